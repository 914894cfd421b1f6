/**
 * @module The sandbox manager: the registry of a process's sandboxes (kept in memory; the
 * control-plane tables do not exist yet), namespace scoping (a caller bound to a namespace sees
 * and touches only its own sandboxes), the audit record of every step, and the clean-up of what
 * a crashed earlier run left behind (processes, cgroups, mounts, loop devices, files).
 */
import { type AuditEvent, AuditLog } from "./audit.ts";
import { type CgroupDriver, detectCgroups } from "./cgroups.ts";
import { mountsUnder } from "./disk.ts";
import { processStart } from "./launcher.ts";
import { CaveError } from "./errors.ts";
import { defaultMaxima, defaultMaxSandboxes, defaultUidBase, defaultUidCount } from "./limits.ts";
import { prepareRuntimeDir } from "./runtime_dir.ts";
import {
  cleanupSandbox,
  type ExecResult,
  type OutputSink,
  Sandbox,
  type SandboxContext,
  type SandboxInfo,
  type StateFile,
} from "./sandbox.ts";
import { compileProfile, encodeProgram, seccompProfiles } from "./seccomp/mod.ts";
import {
  checkName,
  type ExecRequest,
  type LimitMaxima,
  resolveExec,
  resolveLimits,
  resolveSandboxOptions,
  type SandboxRequest,
} from "./spec.ts";
import { UidPool } from "./uids.ts";

/** Who asks: a name for the audit log and the namespace it is bound to (null: every one). */
export interface Caller {
  actor: string;
  namespace: string | null;
}

/** How a manager is set up. */
export interface ManagerOptions {
  /** The data directory: `<data>/sandboxes/` for state, `<data>/audit/` for the log. */
  dataDir: string;
  /** Root-owned 0755 directory for the runtime copy, mounts and uid locks (`/run/bkg-cave`). */
  runtimeRoot?: string;
  uidBase?: number;
  uidCount?: number;
  maxima?: Partial<LimitMaxima>;
  maxSandboxes?: number;
  /** A directory to use as every sandbox's lower layer instead of the host system view. */
  imageDir?: string;
  /** fsync each audit line (default true). */
  auditFsync?: boolean;
  /** Where cgroupfs is and this process's /proc/self/cgroup (tests point these at a fake v2). */
  cgroupFsRoot?: string;
}

/** A create request with the namespace an administrator may choose. */
export interface CreateRequest extends SandboxRequest {
  namespace?: string;
}

/** A sandbox's namespace when none is named. */
export const defaultNamespace = "default";

/** Runs sandboxes for one server (or one direct CLI run). */
export class SandboxManager {
  readonly #sandboxes = new Map<string, Sandbox>();
  #closed = false;

  private constructor(
    readonly ctx: SandboxContext,
    readonly audit: AuditLog,
    readonly uids: UidPool,
    readonly maxima: LimitMaxima,
    readonly maxSandboxes: number,
  ) {}

  /**
   * Checks the host, prepares the runtime directory, cleans leftovers of dead earlier runs and
   * opens the audit log. Throws CaveError("unsupported") naming what the host lacks.
   *
   * @example
   * const manager = await SandboxManager.open({ dataDir: "./data" });
   */
  static async open(opts: ManagerOptions): Promise<SandboxManager> {
    if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") {
      throw new CaveError("unsupported", "sandboxes need Linux on x86_64");
    }
    if (Deno.uid() !== 0) {
      throw new CaveError(
        "unsupported",
        "sandboxes need bkg to run as root (cgroups, loop mounts, per-sandbox uids)",
      );
    }
    for (const tool of ["setpriv", "unshare", "nsenter", "mkfs.ext4", "mount", "umount"]) {
      if (!(await onPath(tool))) {
        throw new CaveError(
          "unsupported",
          `sandboxes need the host tool ${tool} (util-linux, e2fsprogs)`,
        );
      }
    }
    const dataDir = await Deno.realPath(opts.dataDir);
    const runtimeRoot = opts.runtimeRoot ?? "/run/bkg-cave";
    const instance = (await sha256Hex(dataDir)).slice(0, 12);
    const fsRoot = opts.cgroupFsRoot ?? "/sys/fs/cgroup";
    const cgroups = await detectCgroups(
      { fsRoot, selfCgroup: await Deno.readTextFile("/proc/self/cgroup") },
      instance,
    );
    const runtime = await prepareRuntimeDir(runtimeRoot);
    const programs: Record<string, string> = {};
    for (const [name, profile] of Object.entries(seccompProfiles)) {
      const bytes = encodeProgram(compileProfile(profile));
      programs[name] = btoa(String.fromCharCode(...bytes));
    }
    if (opts.imageDir !== undefined) {
      const st = await Deno.stat(opts.imageDir).catch(() => null);
      if (!st?.isDirectory) {
        throw new CaveError("invalid", `sandbox image ${opts.imageDir} is not a directory`);
      }
    }
    const ctx: SandboxContext = {
      runtime,
      cgroups,
      stateRoot: `${dataDir}/sandboxes`,
      mountRoot: `${runtimeRoot}/sb/${instance}`,
      imageDir: opts.imageDir,
      programs,
    };
    await Deno.mkdir(ctx.stateRoot, { recursive: true, mode: 0o700 });
    await Deno.mkdir(ctx.mountRoot, { recursive: true, mode: 0o755 });
    await cleanLeftovers(ctx, cgroups);
    const audit = await AuditLog.open(`${dataDir}/audit`, { fsync: opts.auditFsync });
    return new SandboxManager(
      ctx,
      audit,
      new UidPool(runtimeRoot, opts.uidBase ?? defaultUidBase, opts.uidCount ?? defaultUidCount),
      {
        ...defaultMaxima,
        ...Object.fromEntries(
          Object.entries(opts.maxima ?? {}).filter(([, v]) => v !== undefined),
        ),
      },
      opts.maxSandboxes ?? defaultMaxSandboxes,
    );
  }

  /** The cgroup version in use: `v1` or `v2`. */
  get cgroupVersion(): "v1" | "v2" {
    return this.ctx.cgroups.version;
  }

  /** Creates a sandbox in the caller's namespace (an administrator may name another). */
  async create(who: Caller, req: CreateRequest = {}): Promise<SandboxInfo> {
    const namespace = checkName("namespace", who.namespace ?? req.namespace ?? defaultNamespace);
    const id = `sb-${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const rec0 = { event: "create", actor: "", namespace, sandbox: id };
    return await this.#audited(who, rec0, async (rec) => {
      if (this.#closed) throw new CaveError("conflict", "the sandbox manager is shutting down");
      const limits = resolveLimits(req.limits, this.maxima);
      const { profile, hostname } = resolveSandboxOptions(req, id);
      rec.limits = limits;
      rec.profile = profile;
      if (this.#sandboxes.size >= this.maxSandboxes) {
        throw new CaveError("limit", `too many sandboxes (at most ${this.maxSandboxes})`);
      }
      const uid = await this.uids.lease();
      let sb: Sandbox;
      try {
        sb = await Sandbox.create(this.ctx, { id, namespace, limits, profile, hostname, uid });
      } catch (err) {
        uid.release();
        throw err;
      }
      this.#sandboxes.set(id, sb);
      rec.uid = uid.uid;
      return sb.info();
    });
  }

  /** The caller's sandboxes (all of them for an administrator). */
  list(who: Caller): SandboxInfo[] {
    return [...this.#sandboxes.values()]
      .filter((s) => who.namespace === null || s.namespace === who.namespace)
      .map((s) => s.info());
  }

  /** One sandbox; another namespace's sandbox is not found, as if it did not exist. */
  get(who: Caller, id: string): SandboxInfo {
    return this.#find(who, id).info();
  }

  /** Starts a sandbox (a running one stays running; a stopped one starts again). */
  async start(who: Caller, id: string): Promise<SandboxInfo> {
    return await this.#step(who, "start", id, async (sb) => {
      await sb.serialized(() => sb.start());
      return sb.info();
    });
  }

  /** Runs a command in a running sandbox. */
  async exec(
    who: Caller,
    id: string,
    req: ExecRequest,
    onOutput?: OutputSink,
  ): Promise<ExecResult> {
    return await this.#step(who, "exec", id, async (sb, rec) => {
      rec.command = req.argv?.slice(0, 64).map((a) =>
        String(a).length > 256 ? `${String(a).slice(0, 256)}…` : a
      );
      const resolved = resolveExec(req, sb.limits, sb.hostname);
      rec.timeout_s = resolved.timeoutS;
      const result = await sb.exec(resolved, onOutput);
      rec.exit_code = result.exitCode;
      rec.reason = result.reason;
      rec.cpu_ms = result.cpuMs;
      return result;
    });
  }

  /** Stops a sandbox; stopping a stopped or created sandbox is a no-op. */
  async stop(who: Caller, id: string): Promise<SandboxInfo> {
    return await this.#step(who, "stop", id, async (sb) => {
      await sb.serialized(() => sb.stop());
      return sb.info();
    });
  }

  /** Deletes a sandbox and everything it wrote; it is then not found. */
  async delete(who: Caller, id: string): Promise<void> {
    await this.#step(who, "delete", id, async (sb) => {
      this.#sandboxes.delete(id);
      await sb.serialized(() => sb.destroy());
    });
  }

  /** Deletes every sandbox (at shutdown). */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#sandboxes.values()];
    await Promise.all(
      all.map((sb) =>
        this.delete({ actor: "bkg (shutdown)", namespace: null }, sb.id).catch(() => {})
      ),
    );
    // Empty groups and directories of this instance go too (rmdir fails harmlessly if another
    // process on the same data directory still has sandboxes there).
    await this.ctx.cgroups.removeInstance();
    await Deno.remove(this.ctx.mountRoot).catch(() => {});
  }

  #find(who: Caller, id: string): Sandbox {
    const sb = this.#sandboxes.get(id);
    if (sb === undefined || (who.namespace !== null && sb.namespace !== who.namespace)) {
      throw new CaveError("not_found", `sandbox "${id.slice(0, 80)}" does not exist`);
    }
    return sb;
  }

  /** Finds the sandbox and runs a step on it; a refusal (not found too) is audited as well. */
  async #step<T>(
    who: Caller,
    event: string,
    id: string,
    body: (sb: Sandbox, rec: AuditEvent) => Promise<T>,
  ): Promise<T> {
    const rec: AuditEvent = { event, actor: "", namespace: who.namespace, sandbox: id };
    return await this.#audited(who, rec, async () => {
      const sb = this.#find(who, id);
      rec.namespace = sb.namespace;
      if (event === "start" || event === "exec") rec.limits = sb.limits;
      return await body(sb, rec);
    });
  }

  /** Runs a step and writes its audit line (also when it fails) before answering. */
  async #audited<T>(
    who: Caller,
    rec: AuditEvent,
    step: (rec: AuditEvent) => Promise<T>,
  ): Promise<T> {
    rec.actor = who.actor;
    const started = performance.now();
    try {
      const result = await step(rec);
      rec.ok = true;
      return result;
    } catch (err) {
      rec.ok = false;
      rec.error = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      rec.duration_ms = Math.round((performance.now() - started) * 100) / 100;
      await this.audit.append(rec);
    }
  }
}

/** Removes sandboxes whose owning process is gone (a crash, kill -9) and stray cgroups. */
async function cleanLeftovers(ctx: SandboxContext, cgroups: CgroupDriver): Promise<void> {
  const live = new Set<string>();
  for await (const entry of Deno.readDir(ctx.stateRoot)) {
    if (!entry.isDirectory) continue;
    let state: StateFile;
    try {
      state = JSON.parse(await Deno.readTextFile(`${ctx.stateRoot}/${entry.name}/state.json`));
    } catch {
      state = {
        id: entry.name,
        uid: 0,
        ownerPid: 0,
        ownerStart: "",
        mountDir: `${ctx.mountRoot}/${entry.name}`,
        image: `${ctx.stateRoot}/${entry.name}/disk.img`,
      };
    }
    if (state.ownerPid > 0 && (await processStart(state.ownerPid)) === state.ownerStart) {
      live.add(state.id);
      continue;
    }
    await cleanupSandbox(ctx, state, cgroups.open(state.id));
  }
  for (const id of await cgroups.leftovers()) {
    if (!live.has(id)) await cgroups.open(id).destroy().catch(() => {});
  }
  for (const mp of await mountsUnder(ctx.mountRoot)) {
    const id = mp.slice(ctx.mountRoot.length + 1).split("/")[0] ?? "";
    if (mp !== ctx.mountRoot && !live.has(id)) {
      await new Deno.Command("umount", { args: ["--lazy", mp] }).output();
    }
  }
}

async function onPath(tool: string): Promise<boolean> {
  for (const dir of ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]) {
    if (await Deno.stat(`${dir}/${tool}`).then(() => true, () => false)) return true;
  }
  return false;
}

async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
