/**
 * @module A sandbox's disk: a sparse image file of the disk limit's size, formatted ext4 and
 * loop-mounted (nosuid, nodev) on the host, owned by the sandbox's uid. The overlay's upper and
 * work directories live on it, so a full disk is ENOSPC from the kernel, never an OOM kill as it
 * would be on a tmpfs (whose pages count as memory).
 */
import { kernelError } from "./errors.ts";

/** Runs a host tool; a failure is a KernelError naming the tool and its stderr. */
export async function runTool(
  cmd: string,
  args: string[],
  path: string,
  env?: Record<string, string>,
): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
  } catch (err) {
    throw kernelError(cmd, 2, path, err instanceof Error ? err.message : String(err));
  }
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-2).join(" ");
    throw kernelError(cmd, 0, path, text || `exit status ${out.code}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/**
 * Makes the image and mounts it on `mountDir`, with `upper/` and `work/` owned by `uid`.
 *
 * @example
 * await createDisk("/data/sandboxes/sb1/disk.img", "/run/bkg-cave/sb/x/sb1/disk", 1 << 30, 200001);
 */
export async function createDisk(
  imagePath: string,
  mountDir: string,
  opts: { sizeBytes: number; uid: number },
): Promise<void> {
  const file = await Deno.open(imagePath, {
    write: true,
    create: true,
    truncate: true,
    mode: 0o600,
  });
  try {
    await file.truncate(opts.sizeBytes);
  } finally {
    file.close();
  }
  // No journal and lazy inode tables: the image is thrown away with the sandbox, and these keep
  // mkfs at a few milliseconds for any size.
  await runTool("mkfs.ext4", [
    "-q",
    "-F",
    "-O",
    "^has_journal",
    "-E",
    `lazy_itable_init=1,root_owner=${opts.uid}:${opts.uid}`,
    "-m",
    "0",
    imagePath,
  ], imagePath);
  await Deno.mkdir(mountDir, { recursive: true });
  await runTool("mount", ["-o", "loop,nosuid,nodev", imagePath, mountDir], mountDir);
  for (const dir of ["upper", "work"]) {
    await Deno.mkdir(`${mountDir}/${dir}`, { mode: 0o755 });
    await Deno.chown(`${mountDir}/${dir}`, opts.uid, opts.uid);
  }
  // The writable places of the root exist in the upper layer from the start, owned by the
  // sandbox: copying up a lower directory owned by host root (unmapped in the sandbox's user
  // namespace) would fail.
  for (const [dir, mode] of [["tmp", 0o1777], ["var", 0o755], ["var/tmp", 0o1777]] as const) {
    await Deno.mkdir(`${mountDir}/upper/${dir}`);
    await Deno.chmod(`${mountDir}/upper/${dir}`, mode);
    await Deno.chown(`${mountDir}/upper/${dir}`, opts.uid, opts.uid);
  }
  await Deno.remove(`${mountDir}/lost+found`, { recursive: true }).catch(() => {});
}

/** True when `path` is a mount point in this process's mount namespace. */
export async function isMounted(path: string): Promise<boolean> {
  const info = await Deno.readTextFile("/proc/self/mountinfo");
  return info.split("\n").some((line) => line.split(" ")[4] === path);
}

/** Mount points at or under `prefix` (deepest first), from /proc/self/mountinfo. */
export async function mountsUnder(prefix: string): Promise<string[]> {
  const info = await Deno.readTextFile("/proc/self/mountinfo");
  return info.split("\n").map((line) => line.split(" ")[4] ?? "")
    .filter((p) => p === prefix || p.startsWith(`${prefix}/`))
    .sort((a, b) => b.length - a.length);
}

/** Unmounts the disk (the loop device is freed with it: mount -o loop sets autoclear). */
export async function removeDisk(imagePath: string, mountDir: string): Promise<void> {
  for (const mp of await mountsUnder(mountDir)) {
    await runTool("umount", ["--lazy", mp], mp);
  }
  await Deno.remove(imagePath).catch(() => {});
}
