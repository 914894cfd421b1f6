/**
 * @module Cgroups for sandboxes: v2 where the host's unified hierarchy offers cpu, memory and
 * pids, v1 where it does not (cpu, cpuacct, memory, pids mounted per controller), and a clear
 * error naming what is missing where neither works. Each sandbox gets one group with its limits
 * beneath the group bkg itself runs in (`…/bkg/<instance>/<sandbox>`), and leaf groups below it:
 * `init` for the resident init and `x<n>` for each exec, so that a timed-out exec can be killed
 * to its last descendant and its CPU time read. Paths are parameters, so the v2 code is tested
 * against a directory laid out like a v2 cgroupfs.
 */
import { CaveError, kernelError } from "./errors.ts";

/** The limits a cgroup enforces. */
export interface CgroupLimits {
  cpus: number;
  memoryBytes: number;
  pids: number;
}

/** Where the cgroup filesystems are and what this process's /proc/self/cgroup says. */
export interface CgroupHost {
  /** Usually /sys/fs/cgroup. */
  fsRoot: string;
  /** The text of /proc/self/cgroup. */
  selfCgroup: string;
}

/** The CFS period: 100 ms, the kernel's default. */
export const cpuPeriodUs = 100_000;

/** A sandbox's cgroups. */
export interface SandboxCgroup {
  readonly version: "v1" | "v2";
  /** The `cgroup.procs` files a process writes its pid to, to join leaf `leaf`. */
  procsFiles(leaf: string): string[];
  /** Creates leaf `leaf` (`init`, `x1`, …). */
  createLeaf(leaf: string): Promise<void>;
  /** The pids in leaf `leaf` (or in every leaf when omitted). */
  pids(leaf?: string): Promise<number[]>;
  /** SIGKILLs every process in `leaf` (or the whole sandbox) until none is left. */
  killAll(leaf?: string): Promise<void>;
  /** Removes a leaf (its processes must be gone). */
  removeLeaf(leaf: string): Promise<void>;
  /** How many processes the memory limit has killed so far in the sandbox, or in `leaf`. */
  oomKills(leaf?: string): Promise<number>;
  /** CPU time used by the processes of `leaf`, in nanoseconds. */
  cpuUsageNs(leaf: string): Promise<number>;
  /** Kills what is left and removes every group of the sandbox. */
  destroy(): Promise<void>;
}

/** A way of making sandbox cgroups on this host. */
export interface CgroupDriver {
  readonly version: "v1" | "v2";
  /** Creates the sandbox's group `id` with `limits`. */
  create(id: string, limits: CgroupLimits): Promise<SandboxCgroup>;
  /** Opens the group of a sandbox that an earlier run left behind, to clean it up. */
  open(id: string): SandboxCgroup;
  /** The ids of sandbox groups left under this instance. */
  leftovers(): Promise<string[]>;
  /** Removes this instance's own group when no sandbox group is left in it. */
  removeInstance(): Promise<void>;
}

const v1Controllers = ["cpu", "cpuacct", "memory", "pids"] as const;
const v2Controllers = ["cpu", "memory", "pids"] as const;

/** The cgroup path this process is in per controller (`memory` → `/a/b`), `""` for v2's `0::`. */
export function parseSelfCgroup(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    for (const ctrl of m[1]!.split(",")) out.set(ctrl, m[2]!);
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return "";
  }
}

async function write(path: string, value: string): Promise<void> {
  try {
    await Deno.writeTextFile(path, value);
  } catch (err) {
    throw kernelError("write", errnoOf(err), path, `cannot write ${JSON.stringify(value)}`);
  }
}

function errnoOf(err: unknown): number {
  const code = (err as { code?: string })?.code;
  const table: Record<string, number> = {
    EPERM: 1,
    ENOENT: 2,
    EACCES: 13,
    EBUSY: 16,
    EINVAL: 22,
    ENOSPC: 28,
  };
  return code ? table[code] ?? 0 : 0;
}

async function mkdirp(path: string): Promise<void> {
  try {
    await Deno.mkdir(path, { recursive: true });
  } catch (err) {
    throw kernelError("mkdir", errnoOf(err), path);
  }
}

async function rmdirQuiet(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw kernelError("rmdir", errnoOf(err), path);
  }
}

async function listDirs(path: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(path)) if (e.isDirectory) out.push(e.name);
  } catch {
    // Missing: nothing to list.
  }
  return out;
}

function pidsOf(text: string): number[] {
  return text.split("\n").filter((l) => l.trim() !== "").map(Number);
}

/** Kills the pids listed in `procsFiles` until they are empty (forks in flight are caught). */
async function killUntilEmpty(procsFiles: string[]): Promise<void> {
  for (let round = 0; round < 200; round++) {
    const pids = (await Promise.all(procsFiles.map(readText))).flatMap(pidsOf);
    if (pids.length === 0) return;
    for (const pid of new Set(pids)) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await new Promise((r) => setTimeout(r, round < 10 ? 5 : 25));
  }
}

/**
 * Picks the driver for this host: v2 when its unified hierarchy offers cpu, memory and pids to
 * bkg's group, else v1 when the four v1 controllers are mounted, else a CaveError naming both
 * shortfalls.
 *
 * @example
 * const driver = await detectCgroups({ fsRoot: "/sys/fs/cgroup", selfCgroup }, "a1b2c3");
 */
export async function detectCgroups(host: CgroupHost, instance: string): Promise<CgroupDriver> {
  const self = parseSelfCgroup(host.selfCgroup);
  const v2Mount = (await exists(`${host.fsRoot}/cgroup.controllers`))
    ? host.fsRoot
    : `${host.fsRoot}/unified`;
  const v2Path = self.get("") ?? "/";
  const v2Own = `${v2Mount}${v2Path === "/" ? "" : v2Path}`;
  const offered = (await readText(`${v2Own}/cgroup.controllers`)).trim().split(/\s+/)
    .filter(Boolean);
  const v2Missing = v2Controllers.filter((c) => !offered.includes(c));
  if (offered.length > 0 && v2Missing.length === 0) {
    return new V2Driver(`${v2Own}/bkg/${instance}`, v2Own);
  }
  const v1Missing: string[] = [];
  for (const c of v1Controllers) {
    if (!self.has(c) || !(await exists(`${host.fsRoot}/${c}/cgroup.procs`))) v1Missing.push(c);
  }
  if (v1Missing.length === 0) {
    const bases = Object.fromEntries(v1Controllers.map((c) => {
      const p = self.get(c)!;
      return [c, `${host.fsRoot}/${c}${p === "/" ? "" : p}/bkg/${instance}`];
    })) as Record<typeof v1Controllers[number], string>;
    return new V1Driver(bases);
  }
  throw new CaveError(
    "unsupported",
    `no usable cgroups: v2 at ${v2Own} offers ${offered.join(" ") || "no controllers"} ` +
      `(needs ${v2Controllers.join(", ")}); v1 lacks ${v1Missing.join(", ")}`,
  );
}

class V1Driver implements CgroupDriver {
  readonly version = "v1" as const;
  constructor(readonly bases: Record<typeof v1Controllers[number], string>) {}

  async create(id: string, limits: CgroupLimits): Promise<SandboxCgroup> {
    const g = this.open(id);
    for (const c of v1Controllers) await mkdirp(`${this.bases[c]}/${id}`);
    const quota = Math.max(1000, Math.round(limits.cpus * cpuPeriodUs));
    await write(`${this.bases.cpu}/${id}/cpu.cfs_period_us`, String(cpuPeriodUs));
    await write(`${this.bases.cpu}/${id}/cpu.cfs_quota_us`, String(quota));
    await write(`${this.bases.memory}/${id}/memory.limit_in_bytes`, String(limits.memoryBytes));
    await write(`${this.bases.pids}/${id}/pids.max`, String(limits.pids));
    return g;
  }

  open(id: string): SandboxCgroup {
    const dir = (c: typeof v1Controllers[number], leaf?: string) =>
      `${this.bases[c]}/${id}${leaf === undefined ? "" : `/${leaf}`}`;
    const leaves = async () => await listDirs(dir("pids"));
    const self: SandboxCgroup = {
      version: "v1",
      procsFiles: (leaf) => v1Controllers.map((c) => `${dir(c, leaf)}/cgroup.procs`),
      createLeaf: async (leaf) => {
        for (const c of v1Controllers) await mkdirp(dir(c, leaf));
      },
      pids: async (leaf) => {
        const names = leaf === undefined ? await leaves() : [leaf];
        const texts = await Promise.all(
          names.map((l) => readText(`${dir("pids", l)}/cgroup.procs`)),
        );
        return texts.flatMap(pidsOf);
      },
      killAll: async (leaf) => {
        const names = leaf === undefined ? await leaves() : [leaf];
        await killUntilEmpty([
          ...names.map((l) => `${dir("pids", l)}/cgroup.procs`),
          ...(leaf === undefined ? [`${dir("pids")}/cgroup.procs`] : []),
        ]);
      },
      removeLeaf: async (leaf) => {
        for (const c of v1Controllers) await rmdirQuiet(dir(c, leaf));
      },
      oomKills: async (leaf) => {
        // v1 counts a kill in the victim's own group (no propagation to the parent).
        const text = await readText(`${dir("memory", leaf)}/memory.oom_control`);
        return Number(/oom_kill (\d+)/.exec(text)?.[1] ?? 0);
      },
      cpuUsageNs: async (leaf) =>
        Number((await readText(`${dir("cpuacct", leaf)}/cpuacct.usage`)).trim() || 0),
      destroy: async () => {
        await self.killAll();
        for (const leaf of await leaves()) await self.removeLeaf(leaf);
        for (const c of v1Controllers) await rmdirQuiet(dir(c));
      },
    };
    return self;
  }

  async leftovers(): Promise<string[]> {
    return await listDirs(this.bases.pids);
  }

  async removeInstance(): Promise<void> {
    for (const c of v1Controllers) await Deno.remove(this.bases[c]).catch(() => {});
  }
}

class V2Driver implements CgroupDriver {
  readonly version = "v2" as const;
  constructor(readonly base: string, readonly own: string) {}

  async create(id: string, limits: CgroupLimits): Promise<SandboxCgroup> {
    await this.#prepareBase();
    const dir = `${this.base}/${id}`;
    await mkdirp(dir);
    await write(`${dir}/cgroup.subtree_control`, "+cpu +memory +pids");
    const quota = Math.max(1000, Math.round(limits.cpus * cpuPeriodUs));
    await write(`${dir}/cpu.max`, `${quota} ${cpuPeriodUs}`);
    await write(`${dir}/memory.max`, String(limits.memoryBytes));
    // No swap: the memory limit is the whole limit, and an over-limit process is OOM killed.
    if (await exists(`${dir}/memory.swap.max`)) await write(`${dir}/memory.swap.max`, "0");
    await write(`${dir}/pids.max`, String(limits.pids));
    return this.open(id);
  }

  /**
   * Enables the controllers from bkg's own group down to the instance. A v2 group with
   * processes cannot hand controllers to children ("no internal processes"), so bkg first moves
   * itself into a leaf `bkg-server` of its own group, as a delegated systemd service would.
   */
  async #prepareBase(): Promise<void> {
    const ownProcs = pidsOf(await readText(`${this.own}/cgroup.procs`));
    if (ownProcs.length > 0) {
      await mkdirp(`${this.own}/bkg-server`);
      for (const pid of ownProcs) {
        await write(`${this.own}/bkg-server/cgroup.procs`, String(pid)).catch(() => {});
      }
    }
    await write(`${this.own}/cgroup.subtree_control`, "+cpu +memory +pids");
    const bkg = this.base.slice(0, this.base.lastIndexOf("/"));
    await mkdirp(bkg);
    await write(`${bkg}/cgroup.subtree_control`, "+cpu +memory +pids");
    await mkdirp(this.base);
    await write(`${this.base}/cgroup.subtree_control`, "+cpu +memory +pids");
  }

  open(id: string): SandboxCgroup {
    const dir = (leaf?: string) => `${this.base}/${id}${leaf === undefined ? "" : `/${leaf}`}`;
    const leaves = async () => await listDirs(dir());
    const self: SandboxCgroup = {
      version: "v2",
      procsFiles: (leaf) => [`${dir(leaf)}/cgroup.procs`],
      createLeaf: async (leaf) => await mkdirp(dir(leaf)),
      pids: async (leaf) => {
        const names = leaf === undefined ? await leaves() : [leaf];
        const texts = await Promise.all(names.map((l) => readText(`${dir(l)}/cgroup.procs`)));
        return texts.flatMap(pidsOf);
      },
      killAll: async (leaf) => {
        // cgroup.kill (Linux 5.14) kills a whole subtree at once; the loop catches older hosts.
        const target = dir(leaf);
        if (await exists(`${target}/cgroup.kill`)) await write(`${target}/cgroup.kill`, "1");
        const names = leaf === undefined ? await leaves() : [leaf];
        await killUntilEmpty(names.map((l) => `${dir(l)}/cgroup.procs`));
      },
      removeLeaf: async (leaf) => await rmdirQuiet(dir(leaf)),
      oomKills: async (leaf) => {
        // v2's memory.events is hierarchical: a leaf's kills show in it and in the sandbox's.
        const text = await readText(`${dir(leaf)}/memory.events`);
        return Number(/oom_kill (\d+)/.exec(text)?.[1] ?? 0);
      },
      cpuUsageNs: async (leaf) => {
        const text = await readText(`${dir(leaf)}/cpu.stat`);
        return Number(/usage_usec (\d+)/.exec(text)?.[1] ?? 0) * 1000;
      },
      destroy: async () => {
        await self.killAll();
        for (const leaf of await leaves()) await self.removeLeaf(leaf);
        await rmdirQuiet(dir());
      },
    };
    return self;
  }

  async leftovers(): Promise<string[]> {
    return await listDirs(this.base);
  }

  async removeInstance(): Promise<void> {
    await Deno.remove(this.base).catch(() => {});
  }
}
