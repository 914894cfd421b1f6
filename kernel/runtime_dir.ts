/**
 * @module The runtime directory every sandbox binds read-only at its own host path: a copy of the Deno
 * executable, the init's sources with their transpiled cache (DENO_DIR), and the skeleton of
 * the default lower layer (a minimal /etc, empty mount points, the host's /bin → usr/bin style
 * links). The init runs as the sandbox's unprivileged uid, so all of it is root-owned and
 * world-readable (0755/0644) in a root-owned 0755 place, never in /root or a mktemp folder
 * (0700). It is built once per content hash, in a temporary directory renamed into place, so
 * concurrent servers share it safely.
 */
import { runTool } from "./disk.ts";

/** The init's sources, relative to kernel/: what `init.ts` imports at run time. */
const initSources = ["init.ts", "ffi.ts", "errors.ts", "plan.ts"] as const;

/** What the default lower layer shows of the host, read-only. */
export const hostSystemDirs = ["/usr", "/bin", "/sbin", "/lib", "/lib64"] as const;

/** A prepared runtime directory. */
export interface RuntimeDir {
  /** The directory (host path). */
  dir: string;
  /** The skeleton lower layer. */
  skeleton: string;
  /** The host directories to bind read-only over the skeleton (links need no bind). */
  binds: string[];
}

const etcFiles: Record<string, string> = {
  passwd:
    "root:x:0:0:root:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
  group: "root:x:0:\nnogroup:x:65534:\n",
  hosts: "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
  "nsswitch.conf": "passwd: files\ngroup: files\nshadow: files\nhosts: files\n",
};

async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Makes sure the runtime directory for this Deno and these init sources exists under `root`
 * (created 0755 when missing) and returns it.
 *
 * @example
 * const rt = await prepareRuntimeDir("/run/bkg-cave");
 */
export async function prepareRuntimeDir(root: string): Promise<RuntimeDir> {
  await Deno.mkdir(root, { recursive: true, mode: 0o755 });
  await Deno.chmod(root, 0o755);
  const denoPath = Deno.execPath();
  const denoStat = await Deno.stat(denoPath);
  const sources = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const name of initSources) {
    sources.set(name, await Deno.readFile(new URL(`./${name}`, import.meta.url)));
  }
  const fingerprint = new TextEncoder().encode(JSON.stringify({
    deno: [denoPath, denoStat.size, denoStat.mtime?.getTime(), Deno.version.deno],
    sources: await Promise.all([...sources.values()].map(sha256Hex)),
    etc: etcFiles,
    hostDirs: await Promise.all(hostSystemDirs.map(linkTarget)),
  }));
  const dir = `${root}/rt-${(await sha256Hex(fingerprint)).slice(0, 16)}`;
  const layout = await hostLayout();
  const result = { dir, skeleton: `${dir}/lower`, binds: layout.binds };
  if (await isComplete(dir)) {
    await pruneRuntimeDirs(root, dir);
    return result;
  }

  const tmp = `${root}/.tmp-${crypto.randomUUID()}`;
  await Deno.mkdir(tmp, { mode: 0o755 });
  try {
    await Deno.copyFile(denoPath, `${tmp}/deno`);
    await Deno.chmod(`${tmp}/deno`, 0o755);
    for (const [name, bytes] of sources) {
      await Deno.writeFile(`${tmp}/${name}`, bytes, { mode: 0o644 });
    }
    await buildSkeleton(`${tmp}/lower`, layout.links, dir);
    await Deno.rename(tmp, dir);
  } catch (err) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    // Another server renamed the same directory into place first: wait for it to finish.
    if (!(await exists(dir))) throw err;
    for (let i = 0; i < 600 && !(await isComplete(dir)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    return result;
  }
  // Transpile the init once, as root, at the path it has inside sandboxes too (the runtime
  // directory is bound at the same path), into a cache the sandboxes read but cannot write.
  await runTool(`${dir}/deno`, ["cache", "--no-config", "--no-lock", `${dir}/init.ts`], dir, {
    DENO_DIR: `${dir}/deno_dir`,
  });
  await runTool("chmod", ["-R", "a+rX,go-w", dir], dir);
  await Deno.writeTextFile(`${dir}/complete`, "ok\n", { mode: 0o644 });
  return result;
}

/** Runtime directories left by older versions stay an hour, and while a process runs from one. */
const staleRuntimeMs = 3600_000;

/** Removes other versions' runtime directories that no process runs from any more. */
async function pruneRuntimeDirs(root: string, keep: string): Promise<void> {
  const candidates: string[] = [];
  for await (const e of Deno.readDir(root)) {
    const path = `${root}/${e.name}`;
    if (!e.isDirectory || !e.name.startsWith("rt-") || path === keep) continue;
    const st = await Deno.stat(path).catch(() => null);
    if (st?.mtime && Date.now() - st.mtime.getTime() > staleRuntimeMs) candidates.push(path);
  }
  if (candidates.length === 0) return;
  const inUse = new Set<string>();
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    const exe = await Deno.readLink(`/proc/${e.name}/exe`).catch(() => "");
    for (const c of candidates) if (exe.startsWith(`${c}/`)) inUse.add(c);
  }
  for (const c of candidates) {
    if (!inUse.has(c)) await Deno.remove(c, { recursive: true }).catch(() => {});
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function isComplete(dir: string): Promise<boolean> {
  try {
    return (await Deno.readTextFile(`${dir}/complete`)).trim() === "ok";
  } catch {
    return false;
  }
}

async function linkTarget(path: string): Promise<string> {
  try {
    return `${path}->${await Deno.readLink(path)}`;
  } catch {
    return path;
  }
}

/** Which system directories are real (bound) and which are links (recreated as links). */
async function hostLayout(): Promise<{ binds: string[]; links: Map<string, string> }> {
  const binds: string[] = [];
  const links = new Map<string, string>();
  for (const path of hostSystemDirs) {
    try {
      const st = await Deno.lstat(path);
      if (st.isSymlink) links.set(path, await Deno.readLink(path));
      else if (st.isDirectory) binds.push(path);
    } catch {
      // Not on this host (no /lib64 on some): the sandbox does without.
    }
  }
  return { binds, links };
}

async function buildSkeleton(
  dir: string,
  links: Map<string, string>,
  runtimeDir: string,
): Promise<void> {
  for (const sub of ["", "/etc", "/proc", "/dev", "/usr", "/var", "/var/tmp"]) {
    await Deno.mkdir(`${dir}${sub}`, { mode: 0o755 });
  }
  // The mount point of the runtime directory, at its host path.
  await Deno.mkdir(`${dir}${runtimeDir}`, { recursive: true, mode: 0o755 });
  await Deno.mkdir(`${dir}/tmp`);
  await Deno.chmod(`${dir}/tmp`, 0o1777);
  await Deno.chmod(`${dir}/var/tmp`, 0o1777);
  for (const path of hostSystemDirs) {
    const target = links.get(path);
    if (target !== undefined) await Deno.symlink(target, `${dir}${path}`);
    else if (path !== "/usr") await Deno.mkdir(`${dir}${path}`, { mode: 0o755 });
  }
  for (const [name, text] of Object.entries(etcFiles)) {
    await Deno.writeTextFile(`${dir}/etc/${name}`, text, { mode: 0o644 });
  }
}
