/**
 * @module `bkg sandbox create|start|exec|stop|delete|list|run`: CAVE from the command line. All
 * but `run` talk to the running server (`--url`); `run` creates, starts, execs, stops and
 * deletes in one go, through the server when one answers at `--url` and directly through
 * kernel/ otherwise. `exec` and `run` pass the command's stdout and stderr through and exit with
 * its status: 124 after a timeout, 137 after an OOM kill, 128+n after signal n (with the reason
 * on stderr). bkg's own usage errors (exit 2) happen before anything runs.
 */
import {
  type ExecResult,
  formatSize,
  parseSize,
  type SandboxLimits,
  SandboxManager,
  seccompProfileNames,
} from "../../kernel/mod.ts";
import { type Config, resolveConfig } from "../config.ts";
import { adminPassword, callServer } from "./client.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";

const limitFlags = {
  cpus: { type: "string" },
  memory: { type: "string" },
  timeout: { type: "string" },
  disk: { type: "string" },
  pids: { type: "string" },
  profile: { type: "string" },
  hostname: { type: "string" },
  namespace: { type: "string" },
} as const;

const execFlags = {
  cwd: { type: "string" },
  timeout: { type: "string" },
} as const;

/** Takes every `--env K=V` (or `--env=K=V`) out of `args`; the shared parser keeps one value. */
function takeEnv(args: string[]): { rest: string[]; env: Record<string, string> } {
  const rest: string[] = [];
  const env: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let kv: string | undefined;
    if (a === "--env") {
      kv = args[++i];
      if (kv === undefined) throw new UsageError("--env: needs NAME=VALUE");
    } else if (a.startsWith("--env=")) kv = a.slice(6);
    if (kv === undefined) {
      rest.push(a);
      continue;
    }
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`--env: must be NAME=VALUE (got "${kv}")`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return { rest, env };
}

const help = `Usage: bkg sandbox <command> [options]

Commands (through the server at --url, as the superuser):
  create [limits]                      create a sandbox; prints it as JSON
  start ID | stop ID | delete ID       lifecycle steps
  list                                 the sandboxes, one per line
  exec ID [--cwd DIR] [--env K=V]... [--timeout SECONDS] -- cmd args...
  run [limits] -- cmd args...          create, start, exec, stop, delete in one go;
                                       directly (no server needed) when none answers at --url

Limits:
  --cpus N          CPUs of quota, fractions allowed (default 2)
  --memory SIZE     memory limit, e.g. 256M, 1G (default 1G)
  --timeout SECONDS wall-clock limit of the command (default 120)
  --disk SIZE       size of the sandbox's writable disk (default 1G)
  --pids N          most processes and threads (default 512)
  --profile NAME    seccomp profile: ${seccompProfileNames.join(", ")} (default default)
  --hostname NAME   the sandbox's hostname
  --namespace NS    the sandbox's namespace (default "default")

exec and run exit with the command's status; 124 after a timeout, 137 after an OOM kill,
128+n after signal n, with the reason on stderr. Usage errors exit 2 before anything runs.
Also takes --url, --data-dir and the other settings (bkg serve --help).`;

/** Splits `args` at the first `--`: options before, the command after. */
function splitCommand(args: string[]): { head: string[]; command: string[] | undefined } {
  const i = args.indexOf("--");
  return i < 0
    ? { head: args, command: undefined }
    : { head: args.slice(0, i), command: args.slice(i + 1) };
}

function number(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${flag}: must be a positive ${integer ? "integer" : "number"} (got "${text}")`,
    );
  }
  return n;
}

function size(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const bytes = parseSize(text);
  if (bytes === undefined || bytes <= 0) {
    throw new UsageError(`--${flag}: must be a size such as 64M or 1G (got "${text}")`);
  }
  return bytes;
}

interface CreateOptions {
  limits: Partial<SandboxLimits>;
  profile?: string;
  hostname?: string;
  namespace?: string;
}

function createOptions(flags: Record<string, string | undefined>): CreateOptions {
  const limits: Partial<SandboxLimits> = {};
  const set = <K extends keyof SandboxLimits>(k: K, v: number | undefined) => {
    if (v !== undefined) limits[k] = v;
  };
  set("cpus", number("cpus", flags.cpus, false));
  set("memoryBytes", size("memory", flags.memory));
  set("timeoutS", number("timeout", flags.timeout, false));
  set("diskBytes", size("disk", flags.disk));
  set("pids", number("pids", flags.pids, true));
  if (flags.profile !== undefined && !seccompProfileNames.includes(flags.profile)) {
    throw new UsageError(
      `--profile: must be one of ${seccompProfileNames.join(", ")} (got "${flags.profile}")`,
    );
  }
  return { limits, profile: flags.profile, hostname: flags.hostname, namespace: flags.namespace };
}

/** The HTTP body of a create. */
function createBody(o: CreateOptions): Record<string, unknown> {
  const l = o.limits;
  return {
    namespace: o.namespace,
    profile: o.profile,
    hostname: o.hostname,
    limits: {
      cpus: l.cpus,
      memory: l.memoryBytes,
      timeout_s: l.timeoutS,
      disk: l.diskBytes,
      pids: l.pids,
    },
  };
}

function writeAll(file: typeof Deno.stdout, bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) at += file.writeSync(bytes.subarray(at));
}

const signalNumbers: Record<string, number> = {
  SIGKILL: 9,
  SIGTERM: 15,
  SIGINT: 2,
  SIGSEGV: 11,
  SIGABRT: 6,
};

/** The exit status and reason line for a finished command. */
function finish(
  r: Pick<ExecResult, "exitCode" | "reason" | "signal">,
  timeoutS: number,
  memory: number,
): number {
  if (r.reason === "timeout") {
    console.error(`bkg: the command ran past its ${timeoutS} s timeout and was killed`);
  } else if (r.reason === "oom") {
    console.error(`bkg: the command was killed: out of memory (limit ${formatSize(memory)})`);
  } else if (r.reason === "signaled") {
    console.error(`bkg: the command was killed by ${r.signal}`);
  }
  if (r.reason === "signaled" && r.signal && signalNumbers[r.signal]) {
    return 128 + signalNumbers[r.signal]!;
  }
  return r.exitCode;
}

/** Whether a bkg server answers at the configured URL. */
async function serverAnswers(config: Config): Promise<boolean> {
  try {
    const res = await fetch(new URL("/health", config.url), { signal: AbortSignal.timeout(1500) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Runs an exec on the server with streaming output; returns the result line. */
async function execThroughServer(
  config: Config,
  id: string,
  body: Record<string, unknown>,
): Promise<{ exit_code: number; reason: ExecResult["reason"]; signal: string | null }> {
  const password = await adminPassword(config);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (password !== undefined) headers.authorization = `Basic ${btoa(`postgres:${password}`)}`;
  const res = await fetch(new URL(`/api/v1/sandboxes/${encodeURIComponent(id)}/exec`, config.url), {
    method: "POST",
    headers,
    body: JSON.stringify({ ...body, stream: true, output_bytes_max: 0 }),
  });
  if (!res.ok || res.body === null) {
    const text = await res.text();
    let message = text;
    try {
      message = JSON.parse(text).error.message;
    } catch {
      // Not JSON: keep the text.
    }
    throw new Error(`server answered ${res.status}: ${message}`);
  }
  const enc = new TextEncoder();
  let result:
    | { exit_code: number; reason: ExecResult["reason"]; signal: string | null }
    | undefined;
  let buffered = "";
  for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const msg = JSON.parse(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      if (msg.stream === "stdout") writeAll(Deno.stdout, enc.encode(msg.data));
      else if (msg.stream === "stderr") writeAll(Deno.stderr, enc.encode(msg.data));
      else if (msg.result) result = msg.result;
      else if (msg.error) throw new Error(msg.error.message);
    }
  }
  if (result === undefined) throw new Error("the server ended the exec without a result");
  return result;
}

async function runThroughServer(
  config: Config,
  o: CreateOptions,
  command: string[],
): Promise<number> {
  const created = await callServer(config, "POST", "/api/v1/sandboxes", createBody(o)) as {
    id: string;
    limits: { timeout_s: number; memory_bytes: number };
  };
  const path = `/api/v1/sandboxes/${created.id}`;
  try {
    await callServer(config, "POST", `${path}/start`);
    const r = await execThroughServer(config, created.id, { command });
    return finish(
      { exitCode: r.exit_code, reason: r.reason, signal: r.signal },
      created.limits.timeout_s,
      created.limits.memory_bytes,
    );
  } finally {
    await callServer(config, "DELETE", path).catch(() => {});
  }
}

async function runDirectly(config: Config, o: CreateOptions, command: string[]): Promise<number> {
  const manager = await SandboxManager.open({
    dataDir: await ensureDir(config.dataDir),
    runtimeRoot: config.sandboxRuntimeDir,
    uidBase: config.sandboxUidBase,
    uidCount: config.sandboxUidCount,
    imageDir: config.sandboxImage,
    maxima: {
      cpus: config.sandboxMaxCpus,
      memoryBytes: parseSize(config.sandboxMaxMemory),
      diskBytes: parseSize(config.sandboxMaxDisk),
      timeoutS: config.sandboxMaxTimeout,
      pids: config.sandboxMaxPids,
    },
  });
  const who = { actor: `cli:${Deno.env.get("USER") ?? "root"}`, namespace: null };
  const onSignal = () => {
    manager.close().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    const info = await manager.create(who, o);
    await manager.start(who, info.id);
    const r = await manager.exec(
      who,
      info.id,
      { argv: command, outputBytesMax: 0 },
      (stream, chunk) => writeAll(stream === "stdout" ? Deno.stdout : Deno.stderr, chunk),
    );
    return finish(r, info.limits.timeoutS, info.limits.memoryBytes);
  } finally {
    await manager.close();
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
}

async function ensureDir(dir: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function requireId(positionals: string[], sub: string): string {
  if (positionals.length !== 1) throw new UsageError(`sandbox ${sub} needs one sandbox id`);
  return positionals[0]!;
}

/** `bkg sandbox`. */
export const sandboxCommand: Command = {
  name: "sandbox",
  summary: "create, run and manage CAVE sandboxes",
  help,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === "--help" || sub === "-h") {
      if (sub === undefined) throw new UsageError("missing sandbox command");
      console.log(help);
      return 0;
    }
    const split = splitCommand(rest);
    const command = split.command;
    const { rest: head, env } = sub === "exec"
      ? takeEnv(split.head)
      : { rest: split.head, env: {} as Record<string, string> };
    const takesCommand = sub === "run" || sub === "exec";
    if (command !== undefined && !takesCommand) {
      throw new UsageError(`sandbox ${sub} takes no command`);
    }
    const extra = sub === "exec" ? execFlags : sub === "run" || sub === "create" ? limitFlags : {};
    const parsed = parseCommandArgs(head, extra, { positionals: true });
    if (parsed.help) {
      console.log(help);
      return 0;
    }
    const config = resolveConfig(parsed.flags, Deno.env.toObject());
    if (takesCommand && (command === undefined || command.length === 0)) {
      throw new UsageError(`sandbox ${sub} needs a command after --`);
    }
    switch (sub) {
      case "create": {
        if (parsed.positionals.length > 0) {
          throw new UsageError("sandbox create takes no arguments");
        }
        const o = createOptions(parsed.flags);
        console.log(
          JSON.stringify(
            await callServer(config, "POST", "/api/v1/sandboxes", createBody(o)),
            null,
            2,
          ),
        );
        return 0;
      }
      case "start":
      case "stop": {
        const id = requireId(parsed.positionals, sub);
        const s = await callServer(
          config,
          "POST",
          `/api/v1/sandboxes/${encodeURIComponent(id)}/${sub}`,
        ) as { state: string };
        console.log(`${id} ${s.state}`);
        return 0;
      }
      case "delete": {
        const id = requireId(parsed.positionals, sub);
        await callServer(config, "DELETE", `/api/v1/sandboxes/${encodeURIComponent(id)}`);
        console.log(`${id} deleted`);
        return 0;
      }
      case "list": {
        if (parsed.positionals.length > 0) throw new UsageError("sandbox list takes no arguments");
        const { sandboxes } = await callServer(config, "GET", "/api/v1/sandboxes") as {
          sandboxes: { id: string; namespace: string; state: string; profile: string }[];
        };
        for (const s of sandboxes) console.log(`${s.id}\t${s.namespace}\t${s.state}\t${s.profile}`);
        return 0;
      }
      case "exec": {
        const id = requireId(parsed.positionals, sub);
        const timeoutS = number("timeout", parsed.flags.timeout, false);
        const info = await callServer(
          config,
          "GET",
          `/api/v1/sandboxes/${encodeURIComponent(id)}`,
        ) as {
          limits: { timeout_s: number; memory_bytes: number };
        };
        const r = await execThroughServer(config, id, {
          command,
          env,
          cwd: parsed.flags.cwd,
          timeout_s: timeoutS,
        });
        return finish(
          { exitCode: r.exit_code, reason: r.reason, signal: r.signal },
          timeoutS ?? info.limits.timeout_s,
          info.limits.memory_bytes,
        );
      }
      case "run": {
        if (parsed.positionals.length > 0) {
          throw new UsageError(
            `unexpected argument "${parsed.positionals[0]}" (put the command after --)`,
          );
        }
        const o = createOptions(parsed.flags);
        if (await serverAnswers(config)) return await runThroughServer(config, o, command!);
        return await runDirectly(config, o, command!);
      }
      default:
        throw new UsageError(`unknown sandbox command '${sub}'`);
    }
  },
};
