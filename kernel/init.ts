/**
 * @module The init, run by Deno inside the sandbox's namespaces as the sandbox's unprivileged
 * uid: it executes a plan from kernel/plan.ts as one linear checklist, each step naming its
 * system call when it fails. Two modes:
 * - `init.ts resident`: reads its plan as one JSON line on stdin, sets up the root and reports
 *   `{"ready":true}` on stdout, then stays as the sandbox's PID 1 reaping orphans until its
 *   stdin closes (the host is gone or stops the sandbox).
 * - `init.ts exec [<plan JSON>]`: started in the sandbox through nsenter for each command (ahead
 *   of time: without the argument it reads the plan length-prefixed from stdin first); drops
 *   to the workload's limits and seccomp profile and execve's it. A setup failure exits 125 with
 *   the KernelError on stderr; a command that is not found exits 127, one that cannot run 126.
 */
import { KernelError, kernelError } from "./errors.ts";
import { check, cstr, cstrArray, lastErrno, libc, pivotRoot, seccompSetFilter } from "./ffi.ts";
import type { InitStep } from "./plan.ts";

const prSetDumpable = 4;
const prCapbsetDrop = 24;
const prSetNoNewPrivs = 38;
const prCapAmbient = 47;
const prCapAmbientClearAll = 4;
const seccompFilterFlagTsync = 1;
const rlimitResource = { core: 4, nofile: 7 } as const;
const errnoEexist = 17;
const mntDetach = 2;

/** Runs one step; throws KernelError on failure. */
export function runStep(step: InitStep): void {
  const c = libc();
  switch (step.op) {
    case "mount": {
      const src = step.source === "" ? cstr("none") : cstr(step.source);
      const data = step.data === "" ? null : cstr(step.data);
      const fstype = step.fstype === "" ? null : cstr(step.fstype);
      const result = c.mount(src, cstr(step.target), fstype, BigInt(step.flags), data);
      check(result, `mount(${step.what})`, step.target);
      return;
    }
    case "mkdir":
      if (step.recursive) {
        try {
          Deno.mkdirSync(step.path, { recursive: true, mode: step.mode });
        } catch (err) {
          throw kernelError("mkdir", 0, step.path, err instanceof Error ? err.message : "");
        }
        return;
      }
      if (c.mkdir(cstr(step.path), step.mode) < 0 && lastErrno() !== errnoEexist) {
        throw kernelError("mkdir", lastErrno(), step.path);
      }
      return;
    case "touch":
      try {
        Deno.writeFileSync(step.path, new Uint8Array(), { mode: 0o600 });
      } catch (err) {
        throw kernelError("open", 0, step.path, err instanceof Error ? err.message : String(err));
      }
      return;
    case "symlink":
      if (c.symlink(cstr(step.target), cstr(step.path)) < 0 && lastErrno() !== errnoEexist) {
        throw kernelError("symlink", lastErrno(), step.path);
      }
      return;
    case "pivot_root":
      check(c.chdir(cstr(step.newRoot)), "chdir", step.newRoot);
      // pivot_root(".", ".") stacks the old root under the new one; detaching it leaves only
      // the new root (the trick runc and bubblewrap use), so no host path stays reachable.
      pivotRoot(".", ".");
      check(c.umount2(cstr("."), mntDetach), "umount2(old root)", step.newRoot);
      check(c.chdir(cstr("/")), "chdir", "/");
      return;
    case "sethostname": {
      const name = new TextEncoder().encode(step.name);
      check(c.sethostname(name, BigInt(name.length)), "sethostname", step.name);
      return;
    }
    case "loopback_up":
      loopbackUp();
      return;
    case "setrlimit": {
      const rl = new BigUint64Array([BigInt(step.soft), BigInt(step.hard)]);
      const bytes = new Uint8Array(rl.buffer);
      check(c.setrlimit(rlimitResource[step.resource], bytes), `setrlimit(${step.resource})`);
      return;
    }
    case "drop_capabilities":
      dropCapabilities(step.keep);
      return;
    case "no_new_privs":
      check(c.prctl(prSetNoNewPrivs, 1n, 0n, 0n, 0n), "prctl(PR_SET_NO_NEW_PRIVS)");
      return;
    case "not_dumpable":
      check(c.prctl(prSetDumpable, 0n, 0n, 0n, 0n), "prctl(PR_SET_DUMPABLE)");
      return;
    case "seccomp":
      installSeccomp(step.programBase64, step.profile);
      return;
    case "execve":
      execve(step.argv, step.env, step.path);
      return;
    case "chdir":
      check(c.chdir(cstr(step.path)), "chdir", step.path);
      return;
    case "setsid":
      // EPERM means the process already leads a session: nothing to leave.
      if (c.setsid() < 0 && lastErrno() !== 1) throw kernelError("setsid", lastErrno(), "");
      return;
    case "ready":
      return;
  }
}

/** Brings up `lo` in the new network namespace (SIOCGIFFLAGS, then SIOCSIFFLAGS with IFF_UP). */
function loopbackUp(): void {
  const c = libc();
  const fd = check(c.socket(2, /* AF_INET */ 2, /* SOCK_DGRAM */ 0), "socket(AF_INET)");
  try {
    const ifreq = new Uint8Array(40);
    ifreq.set(new TextEncoder().encode("lo"));
    check(c.ioctl(fd, 0x8913n, ifreq), "ioctl(SIOCGIFFLAGS)", "lo");
    const view = new DataView(ifreq.buffer);
    view.setUint16(16, view.getUint16(16, true) | 0x1 /* IFF_UP */ | 0x40, true);
    check(c.ioctl(fd, 0x8914n, ifreq), "ioctl(SIOCSIFFLAGS)", "lo");
  } finally {
    c.close(fd);
  }
}

/** Drops every capability not in `keep` from the bounding set, the ambient set and the sets. */
function dropCapabilities(keep: readonly number[]): void {
  const c = libc();
  for (let cap = 0; cap < 64; cap++) {
    if (keep.includes(cap)) continue;
    // EINVAL marks a number past the kernel's last capability: the loop is done.
    if (c.prctl(prCapbsetDrop, BigInt(cap), 0n, 0n, 0n) < 0) {
      if (lastErrno() === 22) break;
      throw kernelError("prctl(PR_CAPBSET_DROP)", lastErrno(), "", `capability ${cap}`);
    }
  }
  check(c.prctl(prCapAmbient, BigInt(prCapAmbientClearAll), 0n, 0n, 0n), "prctl(PR_CAP_AMBIENT)");
  let low = 0;
  let high = 0;
  for (const cap of keep) {
    if (cap < 32) low |= 1 << cap;
    else high |= 1 << (cap - 32);
  }
  const header = new Uint32Array([0x20080522, /* _LINUX_CAPABILITY_VERSION_3 */ 0]);
  const data = new Uint32Array([low >>> 0, low >>> 0, 0, high >>> 0, high >>> 0, 0]);
  check(c.capset(new Uint8Array(header.buffer), new Uint8Array(data.buffer)), "capset");
}

/** seccomp(SECCOMP_SET_MODE_FILTER, TSYNC) on every thread of this process. */
function installSeccomp(programBase64: string, profile: string): void {
  const program = Uint8Array.from(atob(programBase64), (ch) => ch.charCodeAt(0));
  const fprog = new Uint8Array(16);
  const view = new DataView(fprog.buffer);
  view.setUint16(0, program.length / 8, true);
  view.setBigUint64(8, BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(program))), true);
  try {
    seccompSetFilter(seccompFilterFlagTsync, fprog);
  } catch (err) {
    if (err instanceof KernelError) throw kernelError(`seccomp(${profile})`, err.errno, "");
    throw err;
  }
}

/** Finds `name` on `path` as a shell would; undefined when it is nowhere. */
function resolveCommand(name: string, path: readonly string[]): string | undefined {
  if (name.includes("/")) return name;
  for (const dir of path) {
    try {
      const st = Deno.statSync(`${dir}/${name}`);
      if (st.isFile && ((st.mode ?? 0) & 0o111) !== 0) return `${dir}/${name}`;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

class CommandFailure extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function execve(argv: readonly string[], env: readonly string[], path: readonly string[]): void {
  const name = argv[0] ?? "";
  const file = resolveCommand(name, path);
  if (file === undefined) throw new CommandFailure(127, `${name}: command not found`);
  const args = cstrArray(argv);
  const envp = cstrArray(env);
  libc().execve(
    cstr(file),
    new Uint8Array(args.array.buffer),
    new Uint8Array(envp.array.buffer),
  );
  const errno = lastErrno();
  const err = kernelError("execve", errno, file);
  throw new CommandFailure(errno === 2 ? 127 : 126, err.message);
}

function fail(err: unknown, status: number): never {
  const text = err instanceof Error ? err.message : String(err);
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(`cave: ${text}\n`));
  } finally {
    Deno.exit(status);
  }
}

async function readLine(): Promise<string> {
  const buf = new Uint8Array(1 << 16);
  let text = "";
  while (!text.includes("\n")) {
    const n = await Deno.stdin.read(buf);
    if (n === null) break;
    text += new TextDecoder().decode(buf.subarray(0, n));
  }
  return text.split("\n", 1)[0] ?? "";
}

async function resident(): Promise<void> {
  libc().umask(0o022);
  const steps = JSON.parse(await readLine()) as InitStep[];
  for (const step of steps) {
    try {
      runStep(step);
    } catch (err) {
      const e = err instanceof KernelError
        ? { syscall: err.syscall, errno: err.errno, path: err.path, message: err.message }
        : { message: err instanceof Error ? err.message : String(err) };
      Deno.stdout.writeSync(new TextEncoder().encode(`${JSON.stringify({ error: e })}\n`));
      Deno.exit(1);
    }
  }
  Deno.stdout.writeSync(new TextEncoder().encode(`${JSON.stringify({ ready: true })}\n`));
  // As PID 1 of the namespace the init inherits every orphan; reap them so none stays a zombie
  // holding a pid of the sandbox's limit.
  const status = new Uint8Array(4);
  const reaper = setInterval(() => {
    while (libc().waitpid(-1, status, 1 /* WNOHANG */) > 0) {
      // Reaped one; look for more.
    }
  }, 100);
  const sink = new Uint8Array(4096);
  while ((await Deno.stdin.read(sink)) !== null) {
    // The host never writes after the plan; reading only waits for the pipe to close.
  }
  clearInterval(reaper);
  Deno.exit(0);
}

/** Reads exactly `n` bytes of stdin (never more: what follows is the command's stdin). */
async function readExactly(n: number): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  let at = 0;
  while (at < n) {
    const got = await Deno.stdin.read(buf.subarray(at));
    if (got === null) throw new Error("stdin closed before the plan was complete");
    at += got;
  }
  return buf;
}

/** Reads the plan: its length as decimal digits and a newline, then the JSON itself. */
async function readPlan(): Promise<string> {
  let header = "";
  while (!header.endsWith("\n")) {
    if (header.length > 12) throw new Error("bad plan header");
    header += new TextDecoder().decode(await readExactly(1));
  }
  return new TextDecoder().decode(await readExactly(Number(header.trim())));
}

function execStage(planJson: string): void {
  const steps = JSON.parse(planJson) as InitStep[];
  for (const step of steps) {
    try {
      runStep(step);
    } catch (err) {
      if (err instanceof CommandFailure) fail(err, err.status);
      fail(err, 125);
    }
  }
  fail("execve returned", 125);
}

if (import.meta.main) {
  const [mode, plan] = Deno.args;
  if (mode === "resident") await resident();
  else if (mode === "exec") {
    // Binding the FFI symbols takes most of a stage's work after start-up: do it while the
    // stage waits for its plan. Not dumpable meanwhile: nothing in the sandbox may read or
    // write a stage that still holds the namespace's full capabilities.
    runStep({ op: "not_dumpable" });
    let text = plan;
    try {
      text ??= await readPlan();
    } catch (err) {
      fail(err, 125);
    }
    execStage(text);
  } else fail(`usage: init.ts resident | init.ts exec <plan>`, 125);
}
