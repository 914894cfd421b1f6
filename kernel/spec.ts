/**
 * @module The declarative side of CAVE: what a caller asks for (a sandbox's limits, profile and
 * hostname; an exec's command, environment, directory, stdin and timeout), checked against the
 * configured maxima and the init's minima before anything touches the kernel, plus the size
 * parser shared with the CLI (`64M`, `1G`, binary units).
 */
import { CaveError } from "./errors.ts";
import {
  argvBytesMax,
  argvCountMax,
  defaultLimits,
  envCountMax,
  hostnameBytesMax,
  minimumLimits,
  nameBytesMax,
  outputBytesMax,
  stdinBytesMax,
} from "./limits.ts";
import { seccompProfileNames } from "./seccomp/mod.ts";

/** A sandbox's resource limits, resolved. */
export interface SandboxLimits {
  /** CPUs of quota; fractions allowed (0.5 is half a CPU). */
  cpus: number;
  memoryBytes: number;
  /** The longest an exec may run, in seconds (an exec may ask for less). */
  timeoutS: number;
  diskBytes: number;
  pids: number;
  openFiles: number;
}

/** The most a server allows per sandbox. */
export type LimitMaxima = SandboxLimits;

/** What a caller asks for at create. */
export interface SandboxRequest {
  limits?: Partial<SandboxLimits>;
  /** A seccomp profile name: `default` or `strict`. */
  profile?: string;
  /** The sandbox's hostname (default: its id). */
  hostname?: string;
}

/** What an exec asks for. */
export interface ExecRequest {
  argv: string[];
  env?: Record<string, string>;
  /** The working directory inside the sandbox (default `/tmp`). */
  cwd?: string;
  stdin?: Uint8Array;
  /** Seconds; at most the sandbox's timeout, which is also the default. */
  timeoutS?: number;
  /** Bytes kept of each of stdout and stderr (default and maximum: limits.ts). */
  outputBytesMax?: number;
}

const limitNames: Record<keyof SandboxLimits, string> = {
  cpus: "cpus",
  memoryBytes: "memory",
  timeoutS: "timeout",
  diskBytes: "disk",
  pids: "pids",
  openFiles: "open files",
};

/**
 * Fills defaults and checks every limit: a number, at least what the init needs, at most the
 * configured maximum. The message names the limit and both bounds.
 *
 * @example
 * resolveLimits({ cpus: 0.5, memoryBytes: 256 << 20 }, maxima); // → full SandboxLimits
 */
export function resolveLimits(
  asked: Partial<SandboxLimits> | undefined,
  maxima: LimitMaxima,
): SandboxLimits {
  const out = { ...defaultLimits } as SandboxLimits;
  for (const key of Object.keys(limitNames) as (keyof SandboxLimits)[]) {
    const value = asked?.[key] ?? Math.min(defaultLimits[key], maxima[key]);
    const name = limitNames[key];
    const integer = key !== "cpus" && key !== "timeoutS";
    if (
      typeof value !== "number" || !Number.isFinite(value) || (integer && !Number.isInteger(value))
    ) {
      throw new CaveError(
        "invalid",
        `${name} limit must be ${integer ? "an integer" : "a number"}`,
      );
    }
    if (value < minimumLimits[key]) {
      throw new CaveError(
        "invalid",
        `${name} limit ${show(key, value)} is below the ${show(key, minimumLimits[key])} ` +
          `the sandbox init itself needs`,
      );
    }
    if (value > maxima[key]) {
      throw new CaveError(
        "invalid",
        `${name} limit ${show(key, value)} is above the configured maximum ${
          show(key, maxima[key])
        }`,
      );
    }
    out[key] = value;
  }
  return out;
}

function show(key: keyof SandboxLimits, value: number): string {
  if (key === "memoryBytes" || key === "diskBytes") return formatSize(value);
  if (key === "timeoutS") return `${value} s`;
  return String(value);
}

/** Checks a create request's profile and hostname; returns them resolved. */
export function resolveSandboxOptions(
  req: SandboxRequest,
  id: string,
): { profile: string; hostname: string } {
  const profile = req.profile ?? "default";
  if (!seccompProfileNames.includes(profile)) {
    throw new CaveError(
      "invalid",
      `unknown seccomp profile "${profile}" (known: ${seccompProfileNames.join(", ")})`,
    );
  }
  const hostname = req.hostname ?? id;
  if (
    hostname.length > hostnameBytesMax ||
    !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/.test(hostname)
  ) {
    throw new CaveError("invalid", `invalid hostname "${hostname.slice(0, 80)}"`);
  }
  return { profile, hostname };
}

/** Checks a namespace or name: short, printable, no slashes. */
export function checkName(kind: string, value: string): string {
  if (value.length === 0 || value.length > nameBytesMax || !/^[A-Za-z0-9_.@-]+$/.test(value)) {
    throw new CaveError("invalid", `invalid ${kind} "${value.slice(0, 80)}"`);
  }
  return value;
}

/** The checked parts of an exec request, with defaults filled. */
export interface ResolvedExec {
  argv: string[];
  env: string[];
  cwd: string;
  stdin: Uint8Array;
  timeoutS: number;
  outputBytesMax: number;
}

/**
 * Checks an exec request against the sandbox's limits.
 *
 * @example
 * resolveExec({ argv: ["echo", "hi"] }, limits, "sb-1");
 */
export function resolveExec(
  req: ExecRequest,
  limits: SandboxLimits,
  hostname: string,
): ResolvedExec {
  if (!Array.isArray(req.argv) || req.argv.length === 0 || req.argv[0] === "") {
    throw new CaveError("invalid", "command must not be empty");
  }
  const argBytes = req.argv.reduce((n, a) => n + a.length + 1, 0);
  if (req.argv.length > argvCountMax || argBytes > argvBytesMax) {
    throw new CaveError(
      "invalid",
      `command is too long (at most ${argvCountMax} arguments, ${argvBytesMax} bytes)`,
    );
  }
  if (req.argv.some((a) => a.includes("\0"))) {
    throw new CaveError("invalid", "command arguments must not contain NUL bytes");
  }
  const envMap: Record<string, string> = {
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOME: "/tmp",
    HOSTNAME: hostname,
    ...req.env,
  };
  const env = Object.entries(envMap).map(([k, v]) => `${k}=${v}`);
  if (env.length > envCountMax) {
    throw new CaveError("invalid", `at most ${envCountMax} environment variables`);
  }
  for (const [k, v] of Object.entries(envMap)) {
    if (k === "" || k.includes("=") || k.includes("\0") || v.includes("\0")) {
      throw new CaveError("invalid", `invalid environment variable "${k.slice(0, 80)}"`);
    }
  }
  const envBytes = env.reduce((n, e) => n + e.length + 1, 0);
  if (envBytes > argvBytesMax / 2) throw new CaveError("invalid", "environment is too large");
  const cwd = req.cwd ?? "/tmp";
  if (!cwd.startsWith("/") || cwd.includes("\0")) {
    throw new CaveError("invalid", `working directory must be an absolute path`);
  }
  const timeoutS = req.timeoutS ?? limits.timeoutS;
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > limits.timeoutS) {
    throw new CaveError(
      "invalid",
      `exec timeout must be above 0 and at most the sandbox's ${limits.timeoutS} s`,
    );
  }
  const stdin = req.stdin ?? new Uint8Array();
  if (stdin.length > stdinBytesMax) {
    throw new CaveError("invalid", `stdin is larger than ${formatSize(stdinBytesMax)}`);
  }
  const out = req.outputBytesMax ?? outputBytesMax;
  if (!Number.isInteger(out) || out < 0 || out > outputBytesMax) {
    throw new CaveError("invalid", `output limit must be between 0 and ${outputBytesMax} bytes`);
  }
  return { argv: req.argv, env, cwd, stdin, timeoutS, outputBytesMax: out };
}

const units: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/**
 * Parses a size with binary units: `512`, `64K`, `64M`, `1G`, `1.5G`, also `64MiB`/`64MB`.
 * Returns undefined when the text is not a size.
 *
 * @example
 * parseSize("64M"); // 67108864
 */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text);
  if (!m) return undefined;
  const bytes = Number(m[1]) * units[m[2]!.toUpperCase()]!;
  return Number.isFinite(bytes) ? Math.floor(bytes) : undefined;
}

/** Formats bytes with the largest binary unit that divides them (`64 MiB`). */
export function formatSize(bytes: number): string {
  for (
    const [unit, size] of [["TiB", 1024 ** 4], ["GiB", 1024 ** 3], ["MiB", 1024 ** 2], [
      "KiB",
      1024,
    ]] as const
  ) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}
