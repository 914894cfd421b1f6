/**
 * @module Every limit of CAVE in one place (after SQLite's `sqliteLimit.h`), each with one line
 * saying why. Per-sandbox defaults follow the issue (2 vCPU, 1 GiB RAM, 120 s, 1 GiB disk); the
 * configured maxima come from the server's settings, and the minima are what the init needs.
 */

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Defaults of a sandbox's resource limits. */
export const defaultLimits = {
  /** Two vCPUs: enough for a build step, small enough to share a host. */
  cpus: 2,
  /** 1 GiB of RAM: a typical interpreter plus its data. */
  memoryBytes: 1 * GiB,
  /** 120 s of wall clock per exec: long enough for tests, short enough to free a stuck slot. */
  timeoutS: 120,
  /** 1 GiB of disk for the writable layer. */
  diskBytes: 1 * GiB,
  /** 512 pids (threads count in cgroup v1): room for a parallel build, not for a fork bomb. */
  pids: 512,
  /** 1024 open files, the usual soft limit. */
  openFiles: 1024,
} as const;

/** Default maxima a server accepts per sandbox (configurable, see src/config.ts). */
export const defaultMaxima = {
  /** No sandbox gets more CPUs than a large host has. */
  cpus: 64,
  /** 64 GiB of RAM. */
  memoryBytes: 64 * GiB,
  /** One hour per exec. */
  timeoutS: 3600,
  /** 64 GiB of disk (a sparse image: only what is written takes space). */
  diskBytes: 64 * GiB,
  /** 32768 pids. */
  pids: 32768,
  /** 65536 open files. */
  openFiles: 65536,
} as const;

/**
 * What the init needs, below which a limit is refused: the resident Deno init (≈ 36 MB, 7
 * threads) plus the short-lived Deno exec stage (the same again) must fit before a workload runs.
 */
export const minimumLimits = {
  /** 1% of a CPU: below it the quota period cannot be honoured. */
  cpus: 0.01,
  /** Two Deno processes of ≈ 36 MB each at the moment an exec starts, plus headroom. */
  memoryBytes: 128 * MiB,
  /** Up to 100 ms per exec, the least a command can be given. */
  timeoutS: 0.1,
  /** mkfs.ext4 needs a few MiB for its own metadata; 16 MiB leaves room for the workload. */
  diskBytes: 16 * MiB,
  /** The init's and the exec stage's threads (≈ 7 each) plus nsenter and the workload. */
  pids: 32,
  /** The Deno init opens a few dozen descriptors at start. */
  openFiles: 64,
} as const;

/** Most sandboxes one server keeps at once (each holds a loop device and a uid). */
export const defaultMaxSandboxes = 64;

/** Most bytes kept of each of stdout and stderr of an exec; the rest is counted and dropped. */
export const outputBytesMax = 1 * MiB;

/** Most bytes of stdin an exec takes (it is held in memory). */
export const stdinBytesMax = 16 * MiB;

/** Most arguments of a command, and their total bytes (ARG_MAX is 2 MiB on Linux). */
export const argvCountMax = 4096;
export const argvBytesMax = 256 * 1024;

/** Most environment variables of an exec. */
export const envCountMax = 512;

/** Length of a sandbox hostname (HOST_NAME_MAX on Linux). */
export const hostnameBytesMax = 64;

/** Length of a namespace or sandbox name, so ids and paths stay short. */
export const nameBytesMax = 64;

/**
 * How long the init may take to report ready before start fails: it needs ≈ 30 ms of CPU, but
 * twenty starting at once on a loaded two-core host have taken over 15 s.
 */
export const initReadyTimeoutMs = 60_000;

/** How long stop waits for the init to go after SIGKILL before it reports a stuck sandbox. */
export const stopTimeoutMs = 10_000;

/** The kernel's BPF_MAXINSNS. */
export const maxBpfInstructions = 4096;

/** Default uid/gid range on the host for sandboxes: [base, base + count). */
export const defaultUidBase = 200_000;
export const defaultUidCount = 10_000;
