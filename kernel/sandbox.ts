/**
 * @module One sandbox and its life: `create` (uid, cgroup, disk, directories) → `start` (the
 * launcher joins the cgroup, drops to the sandbox uid with setpriv, unshare makes the
 * namespaces, and the Deno init runs its plan) → `exec` (nsenter into the init's namespaces,
 * the exec stage drops to the workload's limits and seccomp profile, execve) → `stop` (kill
 * everything in the cgroup) → `destroy` (cgroup, disk, directories, uid). State that must be
 * cleaned after a crash is written to `<data>/sandboxes/<id>/state.json` first.
 */
import type { CgroupDriver, SandboxCgroup } from "./cgroups.ts";
import { createDisk, mountsUnder, removeDisk } from "./disk.ts";
import { CaveError, kernelError } from "./errors.ts";
import { initReadyTimeoutMs, stopTimeoutMs } from "./limits.ts";
import { type LowerLayer, planExec, planInit } from "./plan.ts";
import type { RuntimeDir } from "./runtime_dir.ts";
import type { ResolvedExec, SandboxLimits } from "./spec.ts";
import type { UidLease } from "./uids.ts";
import {
  discardStage,
  type ExecStage,
  initPidOf,
  launchExecStage,
  launchResident,
  processStart,
  readReady,
  rebuild,
} from "./launcher.ts";
import { collect } from "./output.ts";

/** The three states of the issue. */
export type SandboxState = "created" | "running" | "stopped";

/** What every sandbox of one manager shares. */
export interface SandboxContext {
  runtime: RuntimeDir;
  cgroups: CgroupDriver;
  /** `<data>/sandboxes`. */
  stateRoot: string;
  /** Where disks and roots are mounted (`<runtime root>/sb/<instance>`). */
  mountRoot: string;
  /** An image directory to use as the lower layer instead of the host's system directories. */
  imageDir?: string;
  /** Compiled seccomp programs (base64) by profile name. */
  programs: Readonly<Record<string, string>>;
}

/** What is known about a sandbox, for lists and answers. */
export interface SandboxInfo {
  id: string;
  namespace: string;
  state: SandboxState;
  limits: SandboxLimits;
  profile: string;
  hostname: string;
  uid: number;
  createdAt: string;
  startedAt: string | null;
  stoppedAt: string | null;
  /** Why the sandbox stopped when it did not stop on request (its init died). */
  stopReason: string | null;
}

/** How an exec ended. */
export interface ExecResult {
  /** The status a shell would report: the code, 124 after a timeout, 128+n after signal n. */
  exitCode: number;
  /** The signal name when a signal ended the command. */
  signal: string | null;
  reason: "exited" | "signaled" | "timeout" | "oom";
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** Bytes the command wrote, including what was dropped past the output limit. */
  stdoutBytes: number;
  stderrBytes: number;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  /** CPU time the command (and its children) used. */
  cpuMs: number;
}

/** Receives output as it arrives, for streaming. */
export type OutputSink = (stream: "stdout" | "stderr", chunk: Uint8Array) => void;

/** The record written before any resource is made, so a later run can clean up after a crash. */
export interface StateFile {
  id: string;
  uid: number;
  ownerPid: number;
  ownerStart: string;
  mountDir: string;
  image: string;
}

const signalNumbers: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSYS: 31,
};

/** A sandbox. Lifecycle steps are serialized; execs run side by side. */
export class Sandbox {
  state: SandboxState = "created";
  startedAt: string | null = null;
  stoppedAt: string | null = null;
  stopReason: string | null = null;
  readonly createdAt = new Date().toISOString();
  #child: Deno.ChildProcess | undefined;
  #stdin: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #initPid = 0;
  #initStart = "";
  #execSeq = 0;
  #stopping = false;
  #queue: Promise<unknown> = Promise.resolve();
  /** The next exec stage, already started and waiting for its plan. */
  #warm: Promise<ExecStage> | undefined;

  private constructor(
    readonly id: string,
    readonly namespace: string,
    readonly limits: SandboxLimits,
    readonly profile: string,
    readonly hostname: string,
    readonly uid: UidLease,
    readonly ctx: SandboxContext,
    readonly cgroup: SandboxCgroup,
  ) {}

  get #stateDir(): string {
    return `${this.ctx.stateRoot}/${this.id}`;
  }
  get #mountDir(): string {
    return `${this.ctx.mountRoot}/${this.id}`;
  }

  /**
   * Makes the sandbox's resources: state record, cgroup, disk, overlay directories.
   *
   * @example
   * const sb = await Sandbox.create(ctx, { id, namespace, limits, profile, hostname, uid });
   */
  static async create(
    ctx: SandboxContext,
    o: {
      id: string;
      namespace: string;
      limits: SandboxLimits;
      profile: string;
      hostname: string;
      uid: UidLease;
    },
  ): Promise<Sandbox> {
    const stateDir = `${ctx.stateRoot}/${o.id}`;
    const mountDir = `${ctx.mountRoot}/${o.id}`;
    await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
    const state: StateFile = {
      id: o.id,
      uid: o.uid.uid,
      ownerPid: Deno.pid,
      ownerStart: await processStart(Deno.pid),
      mountDir,
      image: `${stateDir}/disk.img`,
    };
    await Deno.writeTextFile(`${stateDir}/state.json`, JSON.stringify(state), { mode: 0o600 });
    let cgroup: SandboxCgroup | undefined;
    try {
      cgroup = await ctx.cgroups.create(o.id, o.limits);
      await cgroup.createLeaf("init");
      await Deno.mkdir(`${mountDir}/root`, { recursive: true, mode: 0o755 });
      await Deno.chown(`${mountDir}/root`, o.uid.uid, o.uid.uid);
      await createDisk(state.image, `${mountDir}/disk`, {
        sizeBytes: o.limits.diskBytes,
        uid: o.uid.uid,
      });
    } catch (err) {
      await cleanupSandbox(ctx, state, cgroup ?? ctx.cgroups.open(o.id));
      throw err;
    }
    return new Sandbox(
      o.id,
      o.namespace,
      o.limits,
      o.profile,
      o.hostname,
      o.uid,
      ctx,
      cgroup,
    );
  }

  /** Runs lifecycle steps one at a time (two starts at once must not make two inits). */
  serialized<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(step);
    this.#queue = next.catch(() => {});
    return next;
  }

  /** The public description. */
  info(): SandboxInfo {
    return {
      id: this.id,
      namespace: this.namespace,
      state: this.state,
      limits: this.limits,
      profile: this.profile,
      hostname: this.hostname,
      uid: this.uid.uid,
      createdAt: this.createdAt,
      startedAt: this.startedAt,
      stoppedAt: this.stoppedAt,
      stopReason: this.stopReason,
    };
  }

  /** Starts the init; resolves once it reports ready. A running sandbox stays as it is. */
  async start(): Promise<void> {
    if (this.state === "running") return;
    const rt = this.ctx.runtime;
    const lower: LowerLayer = this.ctx.imageDir !== undefined
      ? { kind: "image", dir: this.ctx.imageDir }
      : { kind: "host", skeleton: rt.skeleton, binds: rt.binds };
    const plan = planInit({
      rootDir: `${this.#mountDir}/root`,
      diskDir: `${this.#mountDir}/disk`,
      lower,
      runtimeDir: rt.dir,
      hostname: this.hostname,
      seccomp: { profile: "default", programBase64: this.ctx.programs.default! },
    });
    const child = launchResident({
      procsFiles: this.cgroup.procsFiles("init"),
      uid: this.uid.uid,
      runtimeDir: rt.dir,
    });
    const stdin = child.stdin.getWriter();
    const stderr = new Response(child.stderr).text();
    // An init that dies before reading its plan closes the pipe; readReady then says why.
    await stdin.write(new TextEncoder().encode(`${JSON.stringify(plan)}\n`)).catch(() => {});
    const ready = await readReady(child.stdout, initReadyTimeoutMs);
    if (ready !== "ready") {
      try {
        child.kill("SIGKILL");
      } catch {
        // Gone already.
      }
      await this.cgroup.killAll("init");
      const status = await child.status;
      const text = (await stderr).trim().split("\n").slice(-3).join(" ");
      if (ready.error) throw rebuild(ready.error);
      throw kernelError(
        "unshare",
        0,
        this.id,
        `the init did not report ready (${ready.why}, exit ${status.code}${
          text ? `: ${text}` : ""
        })`,
      );
    }
    this.#child = child;
    this.#stdin = stdin;
    this.#initPid = await initPidOf(child.pid);
    this.#initStart = await processStart(this.#initPid);
    this.state = "running";
    this.#prepareStage();
    this.startedAt = new Date().toISOString();
    this.stoppedAt = null;
    this.stopReason = null;
    child.status.then((s) => {
      if (this.#child !== child || this.#stopping) return;
      // The init died on its own (killed from inside, OOM): the sandbox is stopped.
      this.#child = undefined;
      this.state = "stopped";
      this.stoppedAt = new Date().toISOString();
      this.stopReason = s.signal ? `init killed by ${s.signal}` : `init exited with ${s.code}`;
      this.#initPid = 0;
      const warm = this.#warm;
      this.#warm = undefined;
      warm?.then(discardStage, () => {});
      this.cgroup.killAll().catch(() => {});
    });
  }

  /**
   * Runs a command inside the started sandbox.
   *
   * @example
   * const r = await sb.exec(resolveExec({ argv: ["echo", "hi"] }, sb.limits, sb.hostname));
   */
  async exec(req: ResolvedExec, onOutput?: OutputSink): Promise<ExecResult> {
    if (this.state !== "running" || this.#initPid === 0) {
      throw new CaveError("conflict", `sandbox "${this.id}" is not running (state: ${this.state})`);
    }
    const started = performance.now();
    // A stage started ahead of time saves the Deno start-up; a dead one is replaced.
    // Claimed before any await, so two execs at once never share one stage.
    const warm = this.#warm;
    this.#warm = undefined;
    let stage = await warm?.catch(() => undefined);
    if (stage === undefined || stage.exited) {
      if (stage !== undefined) discardStage(stage);
      stage = await this.#spawnStage();
    }
    const { child, leaf } = stage;
    const plan = planExec({
      argv: req.argv,
      env: req.env,
      cwd: req.cwd,
      openFiles: this.limits.openFiles,
      seccomp: { profile: this.profile, programBase64: this.ctx.programs[this.profile]! },
    });
    const oomBefore = await this.cgroup.oomKills(leaf);
    const cpuBefore = await this.cgroup.cpuUsageNs(leaf);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.cgroup.killAll(leaf).catch(() => {});
    }, req.timeoutS * 1000);
    const feed = (async () => {
      const w = child.stdin.getWriter();
      try {
        // The plan goes first, length-prefixed so the stage reads exactly it; the rest of the
        // pipe is the command's stdin.
        const body = new TextEncoder().encode(JSON.stringify(plan));
        await w.write(new TextEncoder().encode(`${body.length}\n`));
        await w.write(body);
        if (req.stdin.length > 0) await w.write(req.stdin);
        await w.close();
      } catch {
        // The command closed its stdin early; what it did not read is dropped.
      }
    })();
    const out = collect(child.stdout, req.outputBytesMax, (c) => onOutput?.("stdout", c));
    const err = collect(child.stderr, req.outputBytesMax, (c) => onOutput?.("stderr", c));
    const status = await child.status;
    clearTimeout(timer);
    // The next stage starts only now: its Deno start-up would compete for the CPU with this
    // command.
    this.#prepareStage();
    // Background processes the command left may hold the pipes open: give the output a moment
    // to drain, then stop reading.
    const drained = await Promise.race([
      Promise.all([out.done, err.done]).then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 100)),
    ]);
    if (!drained) {
      out.cancel();
      err.cancel();
    }
    await feed;
    const oomAfter = await this.cgroup.oomKills(leaf);
    const cpuMs = ((await this.cgroup.cpuUsageNs(leaf)) - cpuBefore) / 1e6;
    if ((await this.cgroup.pids(leaf)).length === 0) {
      await this.cgroup.removeLeaf(leaf).catch(() => {});
    }
    const so = await out.result();
    const se = await err.result();
    let reason: ExecResult["reason"] = status.signal ? "signaled" : "exited";
    let exitCode = status.signal ? 128 + (signalNumbers[status.signal] ?? 0) : status.code;
    if (timedOut) {
      reason = "timeout";
      exitCode = 124;
    } else if (status.signal === "SIGKILL" && oomAfter > oomBefore) {
      reason = "oom";
      exitCode = 137;
    } else if (status.code === 137 && oomAfter > oomBefore) {
      reason = "oom";
    }
    return {
      exitCode,
      signal: status.signal ?? null,
      reason,
      stdout: so.bytes,
      stderr: se.bytes,
      stdoutBytes: so.total,
      stderrBytes: se.total,
      stdoutTruncated: so.total > so.bytes.length,
      stderrTruncated: se.total > se.bytes.length,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      cpuMs: Math.round(cpuMs * 100) / 100,
    };
  }

  /** Starts the next exec stage in the background, if none is waiting. */
  #prepareStage(): void {
    if (this.state !== "running" || this.#warm !== undefined) return;
    const next = this.#spawnStage();
    next.catch(() => {});
    this.#warm = next;
  }

  /**
   * Starts an exec stage in its own leaf cgroup: the launcher joins the leaf, nsenter enters the
   * init's namespaces and root, and the Deno init waits on stdin for its plan.
   */
  async #spawnStage(): Promise<ExecStage> {
    // nsenter targets a pid: make sure it is still this sandbox's init and not a reused pid.
    if (this.#initPid === 0 || (await processStart(this.#initPid)) !== this.#initStart) {
      throw new CaveError("conflict", `sandbox "${this.id}" is not running (its init is gone)`);
    }
    const leaf = `x${++this.#execSeq}`;
    await this.cgroup.createLeaf(leaf);
    let child: Deno.ChildProcess;
    try {
      child = launchExecStage({
        procsFiles: this.cgroup.procsFiles(leaf),
        initPid: this.#initPid,
        runtimeDir: this.ctx.runtime.dir,
      });
    } catch (err) {
      await this.cgroup.removeLeaf(leaf).catch(() => {});
      throw kernelError("nsenter", 0, this.id, err instanceof Error ? err.message : String(err));
    }
    const stage: ExecStage = { child, leaf, exited: false };
    child.status.then(() => stage.exited = true);
    return stage;
  }

  /** Kills everything in the sandbox; a stopped or never started sandbox stays as it is. */
  async stop(): Promise<void> {
    if (this.state !== "running") return;
    this.#stopping = true;
    try {
      const child = this.#child;
      this.#child = undefined;
      const warm = this.#warm;
      this.#warm = undefined;
      warm?.then(discardStage, () => {});
      // Closing the init's stdin ends it; SIGKILL to every process of the cgroup makes sure.
      await this.#stdin?.close().catch(() => {});
      await this.cgroup.killAll();
      if (child !== undefined) {
        const done = await Promise.race([
          child.status.then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), stopTimeoutMs)),
        ]);
        if (!done) throw kernelError("kill", 0, this.id, "the sandbox's init did not end");
      }
      const left = await this.cgroup.pids();
      if (left.length > 0) throw kernelError("kill", 0, this.id, `pids ${left.join(" ")} survived`);
      this.state = "stopped";
      this.stoppedAt = new Date().toISOString();
      this.#initPid = 0;
    } finally {
      this.#stopping = false;
    }
  }

  /** Stops the sandbox and removes all it holds. */
  async destroy(): Promise<void> {
    await this.stop();
    const state: StateFile = {
      id: this.id,
      uid: this.uid.uid,
      ownerPid: Deno.pid,
      ownerStart: "",
      mountDir: this.#mountDir,
      image: `${this.#stateDir}/disk.img`,
    };
    await cleanupSandbox(this.ctx, state, this.cgroup);
    this.uid.release();
  }
}

/** Removes what a sandbox holds on the host: processes, cgroups, mounts, files. */
export async function cleanupSandbox(
  ctx: SandboxContext,
  state: StateFile,
  cgroup: SandboxCgroup,
): Promise<void> {
  await cgroup.destroy();
  await removeDisk(state.image, `${state.mountDir}/disk`);
  for (const mp of await mountsUnder(state.mountDir)) {
    await new Deno.Command("umount", { args: ["--lazy", mp] }).output();
  }
  await Deno.remove(state.mountDir, { recursive: true }).catch(() => {});
  await Deno.remove(`${ctx.stateRoot}/${state.id}`, { recursive: true }).catch(() => {});
}
