/**
 * @module Helpers for tests that run real sandboxes: a probe for what CAVE needs on this host
 * (root, util-linux, e2fsprogs, cgroups), a manager on a temporary data directory, and short
 * ways to create, start and exec. On these machines a missing capability FAILS the test; on
 * other hosts `BKG_CAVE_ALLOW_SKIP=1` turns it into a skip that prints which capability is
 * missing and why — never a silent pass.
 */
import { type Caller, type ExecResult, SandboxManager } from "../../kernel/mod.ts";

/** The administrator caller. */
export const admin: Caller = { actor: "test", namespace: null };

/** Why sandboxes cannot run here, or undefined when they can. */
export async function missingCapability(): Promise<string | undefined> {
  if (Deno.build.os !== "linux") return "not Linux";
  if (Deno.uid() !== 0) return "not root (cgroups, loop mounts and per-sandbox uids need it)";
  for (
    const tool of [
      "/usr/bin/setpriv",
      "/usr/bin/unshare",
      "/usr/bin/nsenter",
      "/usr/sbin/mkfs.ext4",
    ]
  ) {
    if (!(await Deno.stat(tool).then(() => true, () => false))) return `${tool} is missing`;
  }
  const userns = await Deno.readTextFile("/proc/sys/user/max_user_namespaces").catch(() => "0");
  if (Number(userns.trim()) === 0) return "user namespaces are disabled (max_user_namespaces = 0)";
  return undefined;
}

/** A Deno.test for real sandboxes, with the probe in front. */
export function sandboxTest(
  name: string,
  fn: () => Promise<void>,
  opts: { ignore?: boolean } = {},
) {
  Deno.test({
    name,
    ignore: opts.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      const missing = await missingCapability();
      if (missing !== undefined) {
        if (Deno.env.get("BKG_CAVE_ALLOW_SKIP") === "1") {
          console.log(`SKIPPED ${t.name}: ${missing}`);
          return;
        }
        throw new Error(`this host cannot run sandboxes: ${missing}`);
      }
      await fn();
    },
  });
}

/** A manager on a fresh temporary data directory; closes and removes it after `fn`. */
export async function withManager<T>(
  fn: (m: SandboxManager, dataDir: string) => Promise<T>,
  opts: { auditFsync?: boolean; maxSandboxes?: number } = {},
): Promise<T> {
  const dataDir = await Deno.makeTempDir({ prefix: "bkg-cave-test-" });
  const m = await SandboxManager.open({ dataDir, auditFsync: opts.auditFsync ?? false, ...opts });
  try {
    return await fn(m, dataDir);
  } finally {
    await m.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}

/** Creates and starts a sandbox; returns its id. */
export async function started(
  m: SandboxManager,
  req: Parameters<SandboxManager["create"]>[1] = {},
): Promise<string> {
  const { id } = await m.create(admin, req);
  await m.start(admin, id);
  return id;
}

/** Runs `sh -c script` in sandbox `id`. */
export async function sh(
  m: SandboxManager,
  id: string,
  script: string,
  opts: { timeoutS?: number; stdin?: string } = {},
): Promise<ExecResult & { out: string; err: string }> {
  const r = await m.exec(admin, id, {
    argv: ["/bin/sh", "-c", script],
    timeoutS: opts.timeoutS,
    stdin: opts.stdin === undefined ? undefined : new TextEncoder().encode(opts.stdin),
  });
  const dec = new TextDecoder();
  return { ...r, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

/** Runs a perl one-liner that makes raw system call `nr` and prints `errno` (0 on success). */
export function perlSyscall(nr: number, args: (number | string)[] = []): string {
  // perl passes a string argument as a pointer only when it is a variable.
  const vars = args.map((a, i) => typeof a === "string" ? `my $s${i} = ${JSON.stringify(a)}; ` : "")
    .join("");
  const list = [nr, ...args.map((a, i) => typeof a === "string" ? `$s${i}` : String(a))];
  return `perl -e '${vars}$! = 0; my $r = syscall(${
    list.join(", ")
  }); print $r < 0 ? ($! + 0) : 0'`;
}
