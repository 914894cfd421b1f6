import assert from "node:assert/strict";
import { Database, runStatement } from "../core.ts";
import { kvTable, settled, stmt, tempDb } from "../helpers.ts";
import { SimFileSystem } from "../wal/sim_fs.ts";

Deno.test("a failed fdatasync PANICs instead of retrying, and the commit is never acknowledged", async () => {
  const fs = new SimFileSystem();
  const panics: string[] = [];
  const db = await Database.open("/sim/db", {
    fs,
    checkpointIntervalMs: 0,
    vacuumIntervalMs: 0,
    panic: (m) => {
      panics.push(m);
      throw new Error("panicked");
    },
  });
  const [t] = await kvTable(db);
  fs.syncError = new Error("EIO: input/output error");
  const txn = db.begin();
  await stmt(txn, () => txn.insert(t, [1, 1]));
  const commit = txn.commit();
  assert.equal(await settled(commit, 50), false, "not acknowledged");
  assert.equal(panics.length, 1);
  assert.match(
    panics[0]!,
    /^could not write or fsync WAL at 0\/[0-9A-F]+: EIO: input\/output error$/,
  );
  // Nothing was made visible.
  const other = db.begin();
  await stmt(other, () => assert.equal(other.scan(t).next(), false));
  db.kill();
});

Deno.test("checkpoints start by themselves after checkpointWalBytes of WAL and remove old segments", async () => {
  const h = await tempDb({ fsync: false, segmentBytes: 4096, checkpointWalBytes: 16 * 1024 });
  const [t] = await kvTable(h.db);
  for (let i = 0; i < 300; i++) {
    const txn = h.db.begin();
    await stmt(txn, () => txn.insert(t, [i, "x".repeat(40)]));
    await txn.commit();
  }
  await new Promise((r) => setTimeout(r, 50));
  const last = h.db.stats().lastCheckpoint;
  assert.ok(last !== null && last.rows > 0, "an automatic checkpoint ran");
  const segs = [...Deno.readDirSync(`${h.dir}/wal`)].length;
  assert.ok(segs * 4096 < 300 * 60, `old segments removed (${segs} left)`);
  await h.cleanup();
});

Deno.test("a checkpoint does not stop writers: commits complete while it runs, and recovery sees them all", async () => {
  const h = await tempDb({ fsync: false });
  const [t] = await kvTable(h.db);
  let txn = h.db.begin();
  await stmt(txn, () => {
    for (let i = 0; i < 60_000; i++) txn.insert(t, [i, "row " + i]);
  });
  await txn.commit();
  let longestStallMs = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
  }, 1);
  let done = false;
  const ck = h.db.checkpoint().finally(() => done = true);
  let duringCheckpoint = 0;
  let k = 100_000;
  while (!done) {
    txn = h.db.begin();
    await stmt(txn, () => txn.insert(t, [k++, "during"]));
    await txn.commit();
    if (!done) duringCheckpoint++;
  }
  const info = await ck;
  clearInterval(ticker);
  assert.ok(duringCheckpoint > 0, "commits completed during the checkpoint");
  assert.ok(info.rows >= 60_000 && info.rows < 60_000 + duringCheckpoint + 2, `${info.rows} rows`);
  assert.ok(longestStallMs < 250, `event loop stalled ${longestStallMs.toFixed(0)} ms`);
  await h.db.close();
  const db = await Database.open(h.dir, {
    fsync: false,
    vacuumIntervalMs: 0,
    checkpointIntervalMs: 0,
  });
  const r = db.begin();
  const n = await runStatement(r, () => {
    let n = 0;
    for (const c = r.scan(t); c.next();) n++;
    return n;
  });
  assert.equal(n, 60_000 + (k - 100_000));
  r.rollback();
  await db.close();
  await Deno.remove(h.dir, { recursive: true });
});
