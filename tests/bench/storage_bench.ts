/**
 * `deno bench` for the storage core: single-row insert+commit with real fdatasync (alone, and
 * 32 at once to show group commit), and point lookups by primary key. The 1M-row load, RSS per
 * row, checkpoint and recovery numbers come from the script tests/bench/storage_load.ts.
 */
import { Database, runStatement } from "../db/core.ts";

const root = await Deno.makeTempDir({ prefix: "bkg-bench-" });
const db = await Database.open(`${root}/db`, { checkpointIntervalMs: 0 });
const txn = db.begin();
const t = txn.createTable({ name: "bench", columns: 3 });
const pk = txn.createIndex(t, {
  name: "bench_pkey",
  unique: true,
  descriptor: { kind: "columns", columns: [0] },
});
const rows = 100_000;
await runStatement(txn, () => {
  for (let i = 0; i < rows; i++) txn.insert(t, [i, i % 100, "x".repeat(20)]);
});
await txn.commit();
let next = rows;

Deno.bench("insert+commit, one row, fdatasync per commit", async () => {
  const tx = db.begin();
  tx.insert(t, [next++, 0, "bench"]);
  await tx.commit();
});

Deno.bench("insert+commit, 32 concurrent single-row transactions (group commit)", async () => {
  await Promise.all(Array.from({ length: 32 }, async () => {
    const tx = db.begin();
    tx.insert(t, [next++, 0, "bench"]);
    await tx.commit();
  }));
});

const reader = db.begin();
let k = 0;
Deno.bench("point lookup by primary key (100k rows)", () => {
  const c = reader.lookup(pk, [k = (k + 7919) % rows]);
  if (!c.next()) throw new Error("missing");
});

Deno.bench("sequential scan of 100k rows", () => {
  let n = 0;
  for (const c = reader.scan(t); c.next();) n++;
  if (n < rows) throw new Error("short");
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(root, { recursive: true });
});
