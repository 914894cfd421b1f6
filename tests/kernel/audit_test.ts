import assert from "node:assert/strict";
import { AuditLog, importPublicKey, verifyAuditFile } from "../../kernel/mod.ts";

async function logWith(n: number): Promise<{ dir: string; path: string; key: CryptoKey }> {
  const dir = await Deno.makeTempDir({ prefix: "bkg-audit-" });
  const log = await AuditLog.open(dir, { fsync: false });
  for (let i = 0; i < n; i++) {
    await log.append({
      event: "exec",
      actor: "alice",
      sandbox: `sb-${i}`,
      command: ["echo", String(i)],
    });
  }
  return {
    dir,
    path: log.path,
    key: await importPublicKey(await Deno.readTextFile(log.publicKeyPath)),
  };
}

Deno.test("audit log chains lines by hash, signs each, and verifies intact", async () => {
  const { dir, path, key } = await logWith(5);
  try {
    const lines = (await Deno.readTextFile(path)).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 5);
    assert.equal(lines[0].prev, "0".repeat(64));
    assert.deepEqual(lines.map((l) => l.seq), [1, 2, 3, 4, 5]);
    assert.equal(lines[2].sandbox, "sb-2");
    assert.ok(typeof lines[4].sig === "string" && lines[4].sig.length > 80);
    assert.deepEqual(await verifyAuditFile(path, key), { ok: true, lines: 5 });
    assert.equal((await Deno.stat(`${dir}/audit-key.pem`)).mode! & 0o777, 0o600);
    // A reopened log continues the same chain with the same key.
    const again = await AuditLog.open(dir, { fsync: false });
    await again.append({ event: "stop", actor: "bob" });
    assert.deepEqual(await verifyAuditFile(path, key), { ok: true, lines: 6 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("audit verify names the first tampered, removed, reordered or forged line", async () => {
  const { dir, path, key } = await logWith(6);
  try {
    const original = await Deno.readTextFile(path);
    const lines = original.trimEnd().split("\n");
    const check = async (text: string) => {
      await Deno.writeTextFile(path, text);
      return await verifyAuditFile(path, key);
    };
    const edited = [...lines];
    edited[2] = edited[2]!.replace('"alice"', '"mallory"');
    assert.deepEqual(await check(edited.join("\n") + "\n"), {
      ok: false,
      line: 3,
      reason: "bad signature",
    });
    const removed = lines.filter((_, i) => i !== 3);
    assert.deepEqual(await check(removed.join("\n") + "\n"), {
      ok: false,
      line: 4,
      reason: "hash chain broken (prev does not match the line before)",
    });
    const swapped = [...lines];
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    assert.equal((await check(swapped.join("\n") + "\n") as { line: number }).line, 2);
    assert.deepEqual(await check(original.slice(0, -20)), {
      ok: false,
      line: 6,
      reason: "the last line is torn (no newline)",
    });
    // Another key cannot vouch for this log.
    const other = await logWith(1);
    await Deno.writeTextFile(path, original);
    assert.deepEqual(await verifyAuditFile(path, other.key), {
      ok: false,
      line: 1,
      reason: "bad signature",
    });
    await Deno.remove(other.dir, { recursive: true });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("audit appends through two open logs on one file (as two processes would) keep one chain", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bkg-audit-" });
  try {
    const a = await AuditLog.open(dir, { fsync: false });
    const b = await AuditLog.open(dir, { fsync: false });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).append({ event: "e", actor: `x${i}` })),
    );
    const key = await importPublicKey(await Deno.readTextFile(a.publicKeyPath));
    assert.deepEqual(await verifyAuditFile(a.path, key), { ok: true, lines: 40 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
