/**
 * @module The planner: a validated sandbox turns into the ordered setup steps its init runs
 * (pure functions, unit-tested without a kernel). Steps are plain JSON so that the host plans
 * and the init, inside the namespaces, only executes: {@link planInit} for the resident init
 * (overlay root, binds, /proc, /dev, pivot_root, hostname, loopback, seccomp) and
 * {@link planExec} for the short stage that starts each command (rlimits, capabilities,
 * no_new_privs, seccomp, execve).
 */

/** mount(2) flags. */
export const ms = {
  rdonly: 1,
  nosuid: 2,
  nodev: 4,
  noexec: 8,
  remount: 32,
  bind: 4096,
  rec: 16384,
  private: 1 << 18,
} as const;

/** One step of a plan; `what` names it in a KernelError (`mount(overlay)`). */
export type InitStep =
  | {
    op: "mount";
    what: string;
    source: string;
    target: string;
    fstype: string;
    flags: number;
    data: string;
  }
  | { op: "mkdir"; path: string; mode: number; recursive?: boolean }
  | { op: "touch"; path: string }
  | { op: "symlink"; target: string; path: string }
  | { op: "pivot_root"; newRoot: string }
  | { op: "sethostname"; name: string }
  | { op: "loopback_up" }
  | { op: "setrlimit"; resource: "nofile" | "core"; soft: number; hard: number }
  | { op: "drop_capabilities"; keep: readonly number[] }
  | { op: "no_new_privs" }
  | { op: "not_dumpable" }
  | { op: "seccomp"; profile: string; programBase64: string }
  | { op: "execve"; argv: readonly string[]; env: readonly string[]; path: readonly string[] }
  | { op: "chdir"; path: string }
  | { op: "setsid" }
  | { op: "ready" };

/** Where the root comes from: the host's system directories, or an image directory. */
export type LowerLayer =
  | { kind: "host"; skeleton: string; binds: readonly string[] }
  | { kind: "image"; dir: string };

/** What {@link planInit} needs to know. */
export interface InitPlanInput {
  /** The empty directory the overlay is mounted on (host path, owned by the sandbox uid). */
  rootDir: string;
  /** The mounted disk: `upper/` and `work/` live there. */
  diskDir: string;
  lower: LowerLayer;
  /** The root-owned directory with the Deno binary and the init, bound at the same path. */
  runtimeDir: string;
  hostname: string;
  /** The seccomp program for the init itself (the `default` profile). */
  seccomp: { profile: string; programBase64: string };
}

/** The device nodes bound from the host into the sandbox's /dev. */
export const devices = ["null", "zero", "full", "random", "urandom", "tty"] as const;

/**
 * Plans the resident init: overlay root, read-only binds, a private /proc and /dev, then
 * pivot_root, hostname, loopback, and the init's own no_new_privs and seccomp.
 *
 * @example
 * const steps = planInit({ rootDir, diskDir, lower, runtimeDir, hostname: "sb1", seccomp });
 */
export function planInit(input: InitPlanInput): InitStep[] {
  const root = input.rootDir;
  const lowerDir = input.lower.kind === "host" ? input.lower.skeleton : input.lower.dir;
  const roBind = (source: string, target: string, what: string): InitStep[] => [
    { op: "mount", what, source, target, fstype: "", flags: ms.bind | ms.rec, data: "" },
    {
      op: "mount",
      what: `${what}(remount ro)`,
      source: "",
      target,
      fstype: "",
      flags: ms.bind | ms.remount | ms.rdonly | ms.nosuid | ms.nodev,
      data: "",
    },
  ];
  const steps: InitStep[] = [
    // A session of its own: no controlling terminal of the host to push keystrokes into
    // (TIOCSTI, bubblewrap's CVE-2017-5226).
    { op: "setsid" },
    // Nothing the sandbox mounts may propagate back to the host, nor the reverse.
    {
      op: "mount",
      what: "make-rprivate",
      source: "",
      target: "/",
      fstype: "",
      flags: ms.rec | ms.private,
      data: "",
    },
    {
      op: "mount",
      what: "overlay",
      source: "overlay",
      target: root,
      fstype: "overlay",
      flags: ms.nosuid | ms.nodev,
      data: `lowerdir=${lowerDir},upperdir=${input.diskDir}/upper,workdir=${input.diskDir}/work`,
    },
  ];
  if (input.lower.kind === "host") {
    for (const dir of input.lower.binds) {
      steps.push(...roBind(dir, `${root}${dir}`, `bind(${dir})`));
    }
  }
  steps.push(
    { op: "mkdir", path: `${root}${input.runtimeDir}`, mode: 0o755, recursive: true },
    ...roBind(input.runtimeDir, `${root}${input.runtimeDir}`, "bind(runtime)"),
    { op: "mkdir", path: `${root}/proc`, mode: 0o555 },
    {
      op: "mount",
      what: "proc",
      source: "proc",
      target: `${root}/proc`,
      fstype: "proc",
      flags: ms.nosuid | ms.nodev | ms.noexec,
      data: "",
    },
    { op: "mkdir", path: `${root}/dev`, mode: 0o755 },
    {
      op: "mount",
      what: "tmpfs(dev)",
      source: "tmpfs",
      target: `${root}/dev`,
      fstype: "tmpfs",
      flags: ms.nosuid | ms.noexec,
      data: "mode=755,size=64k",
    },
  );
  for (const dev of devices) {
    steps.push(
      { op: "touch", path: `${root}/dev/${dev}` },
      {
        op: "mount",
        what: `bind(/dev/${dev})`,
        source: `/dev/${dev}`,
        target: `${root}/dev/${dev}`,
        fstype: "",
        flags: ms.bind,
        data: "",
      },
    );
  }
  steps.push(
    { op: "symlink", target: "/proc/self/fd", path: `${root}/dev/fd` },
    { op: "symlink", target: "/proc/self/fd/0", path: `${root}/dev/stdin` },
    { op: "symlink", target: "/proc/self/fd/1", path: `${root}/dev/stdout` },
    { op: "symlink", target: "/proc/self/fd/2", path: `${root}/dev/stderr` },
    { op: "mkdir", path: `${root}/tmp`, mode: 0o1777 },
    { op: "pivot_root", newRoot: root },
    { op: "sethostname", name: input.hostname },
    { op: "loopback_up" },
    { op: "not_dumpable" },
    { op: "no_new_privs" },
    { op: "seccomp", ...input.seccomp },
    { op: "ready" },
  );
  return steps;
}

/**
 * The capabilities a command keeps inside its user namespace: Docker's default set (chown,
 * dac_override, fowner, fsetid, kill, setgid, setuid, setpcap, net_bind_service, net_raw,
 * sys_chroot, mknod, audit_write, setfcap). sys_admin and sys_ptrace are gone, so even inside
 * its namespaces a command cannot mount or read the init's memory.
 */
export const keptCapabilities: readonly number[] = [0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31];

/** What {@link planExec} needs to know. */
export interface ExecPlanInput {
  argv: readonly string[];
  env: readonly string[];
  /** The working directory inside the sandbox. */
  cwd: string;
  openFiles: number;
  seccomp: { profile: string; programBase64: string };
}

/**
 * Plans the exec stage: rlimits, capabilities, no_new_privs, the workload's seccomp profile,
 * and execve. The search path comes from the command's PATH (or a standard one).
 *
 * @example
 * const steps = planExec({ argv: ["true"], env: [], cwd: "/", openFiles: 1024, seccomp });
 */
export function planExec(input: ExecPlanInput): InitStep[] {
  const pathVar = input.env.find((e) => e.startsWith("PATH="))?.slice(5) ??
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  return [
    { op: "setrlimit", resource: "nofile", soft: input.openFiles, hard: input.openFiles },
    { op: "setrlimit", resource: "core", soft: 0, hard: 0 },
    { op: "setsid" },
    { op: "chdir", path: input.cwd },
    { op: "drop_capabilities", keep: keptCapabilities },
    { op: "no_new_privs" },
    { op: "seccomp", ...input.seccomp },
    { op: "execve", argv: input.argv, env: input.env, path: pathVar.split(":").filter(Boolean) },
  ];
}
