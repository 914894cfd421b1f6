/**
 * @module Launching the processes of a sandbox: the resident init (a shell that joins the init's
 * cgroup leaf, setpriv to the sandbox uid, unshare for the namespaces, the Deno init) and each
 * exec stage (a shell that joins the exec's leaf, nsenter into the init's namespaces and root,
 * the Deno init in exec mode), plus reading the init's ready line and finding its host pid.
 * The only shell is the one-line launcher that joins a cgroup; after unshare/nsenter, all the
 * setup is kernel/init.ts.
 */
import { kernelError } from "./errors.ts";

/** The launcher's first stage: join the cgroup leaves given before `--`, then exec the rest. */
const joinScript =
  'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

/** This process's start time (field 22 of /proc/<pid>/stat), to tell a live owner from a reused pid. */
export async function processStart(pid: number): Promise<string> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
  } catch {
    return "";
  }
}

/** A started exec stage waiting for its plan. */
export interface ExecStage {
  child: Deno.ChildProcess;
  leaf: string;
  exited: boolean;
}

/**
 * Starts the resident init: join `procsFiles`, drop to `uid`, make the namespaces, run the init.
 *
 * @example
 * const child = launchResident({ procsFiles, uid: 200001, runtimeDir: "/run/bkg-cave/rt-…" });
 */
export function launchResident(o: {
  procsFiles: string[];
  uid: number;
  runtimeDir: string;
}): Deno.ChildProcess {
  const uid = String(o.uid);
  return new Deno.Command("/bin/sh", {
    args: [
      "-c",
      joinScript,
      "cave-launcher",
      ...o.procsFiles,
      "--",
      "setpriv",
      `--reuid=${uid}`,
      `--regid=${uid}`,
      "--clear-groups",
      "--",
      "unshare",
      "--user",
      "--map-root-user",
      "--pid",
      "--fork",
      "--kill-child",
      "--mount",
      "--net",
      "--uts",
      "--ipc",
      "--cgroup",
      "--",
      ...denoArgs(o.runtimeDir),
      "resident",
    ],
    clearEnv: true,
    env: denoEnv(o.runtimeDir),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * Starts an exec stage: join `procsFiles`, enter the namespaces and root of `initPid`, and run
 * the init in exec mode, which waits for its plan on stdin.
 *
 * @example
 * const child = launchExecStage({ procsFiles, initPid: 4242, runtimeDir });
 */
export function launchExecStage(o: {
  procsFiles: string[];
  initPid: number;
  runtimeDir: string;
}): Deno.ChildProcess {
  return new Deno.Command("/bin/sh", {
    args: [
      "-c",
      joinScript,
      "cave-exec",
      ...o.procsFiles,
      "--",
      "nsenter",
      `--target=${o.initPid}`,
      "--user",
      "--mount",
      "--pid",
      "--net",
      "--uts",
      "--ipc",
      "--cgroup",
      "--root",
      "--wd",
      "--",
      ...denoArgs(o.runtimeDir),
      "exec",
    ],
    clearEnv: true,
    env: denoEnv(o.runtimeDir),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Ends a stage that will not be used and releases its pipes. */
export function discardStage(stage: ExecStage): void {
  try {
    stage.child.kill("SIGKILL");
  } catch {
    // Already gone.
  }
  stage.child.stdin.close().catch(() => {});
  stage.child.stdout.cancel().catch(() => {});
  stage.child.stderr.cancel().catch(() => {});
}

function denoArgs(rtDir: string): string[] {
  return [
    `${rtDir}/deno`,
    "run",
    "--no-config",
    "--no-lock",
    "--no-prompt",
    "--allow-ffi",
    "--allow-read",
    "--allow-write",
    `${rtDir}/init.ts`,
  ];
}

function denoEnv(rtDir: string): Record<string, string> {
  return {
    PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
    DENO_DIR: `${rtDir}/deno_dir`,
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
  };
}

export interface InitFailure {
  syscall?: string;
  errno?: number;
  path?: string;
  message: string;
}

export function rebuild(e: InitFailure): Error {
  if (e.syscall !== undefined) {
    const err = kernelError(e.syscall, e.errno ?? 0, e.path ?? "");
    return err;
  }
  return kernelError("init", 0, "", e.message);
}

/** Reads the init's stdout until its ready line, its error line, EOF or the timeout. */
export async function readReady(
  stdout: ReadableStream<Uint8Array>,
  timeoutMs: number,
): Promise<"ready" | { why: string; error?: InitFailure }> {
  const reader = stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const timeout = new Promise<{ why: string }>((r) =>
    setTimeout(() => r({ why: `no answer in ${timeoutMs} ms` }), timeoutMs)
  );
  try {
    while (true) {
      const next = await Promise.race([reader.read(), timeout]);
      if ("why" in next) return next;
      if (next.done) return { why: "it exited" };
      text += decoder.decode(next.value, { stream: true });
      const nl = text.indexOf("\n");
      if (nl < 0) continue;
      let msg: { ready?: boolean; error?: InitFailure };
      try {
        msg = JSON.parse(text.slice(0, nl));
      } catch {
        return { why: `it wrote ${JSON.stringify(text.slice(0, Math.min(nl, 200)))}` };
      }
      if (msg.ready) return "ready";
      return { why: "it failed", error: msg.error };
    }
  } finally {
    reader.releaseLock();
  }
}

/** The pid of unshare's forked child, PID 1 of the sandbox, as the host sees it. */
export async function initPidOf(unsharePid: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const text = await Deno.readTextFile(`/proc/${unsharePid}/task/${unsharePid}/children`)
      .catch(() => "");
    const pid = Number(text.trim().split(/\s+/)[0]);
    if (pid > 0) return pid;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw kernelError("unshare", 0, String(unsharePid), "cannot find the sandbox's init process");
}
