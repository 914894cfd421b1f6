import assert from "node:assert/strict";
import { Database, DbError, formatLsn, parseLsn, runStatement, SqlState } from "../core.ts";
import { crc32c, decodeRecordAt, encodeRecord, RecordType } from "../../../db/wal/mod.ts";
import { randInt, rng, rowsOf, tempDb } from "../helpers.ts";

Deno.test("crc32c matches the standard check value", () => {
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  const big = new Uint8Array(1000).map((_, i) => i * 7);
  assert.equal(crc32c(big.subarray(300), crc32c(big.subarray(0, 300))), crc32c(big));
});

Deno.test("LSNs print and parse as PostgreSQL's", () => {
  assert.equal(formatLsn(23803720), "0/16B3748");
  assert.equal(formatLsn(2 ** 32 + 5), "1/5");
  assert.equal(parseLsn("0/16B3748"), 23803720);
  assert.equal(parseLsn("1/5"), 2 ** 32 + 5);
  assert.equal(parseLsn("nope"), undefined);
});

Deno.test("WAL records round-trip and reject flipped bits, short reads and wrong LSNs", () => {
  const payload = new TextEncoder().encode("hello wal");
  const rec = encodeRecord(4096, RecordType.commit, payload);
  const back = decodeRecordAt(rec, 0, 4096);
  assert.ok(typeof back !== "string");
  assert.deepEqual(back.payload, payload);
  assert.equal(back.end, 4096 + rec.length);
  for (let i = 0; i < rec.length; i++) {
    const bad = rec.slice();
    bad[i]! ^= 0x10;
    assert.equal(typeof decodeRecordAt(bad, 0, 4096), "string", `flip at ${i}`);
  }
  for (let n = 0; n < rec.length; n++) {
    assert.equal(typeof decodeRecordAt(rec.subarray(0, n), 0, 4096), "string", `cut at ${n}`);
  }
  assert.match(decodeRecordAt(rec, 0, 0) as string, /claims LSN 4096/);
});

/** Every table's rows, for comparing whole states. */
async function dump(db: Database): Promise<string> {
  const txn = db.begin();
  const out: Record<string, unknown> = {};
  await runStatement(txn, () => {
    for (const id of db.tableIds().sort()) out[id] = rowsOf(txn, id);
  });
  txn.rollback();
  return JSON.stringify(out, (_k, v) => typeof v === "bigint" ? `${v}n` : v);
}

/** Commits `n` transactions into table `t`, recording the state after each. */
async function history(db: Database, n: number): Promise<{ t: number; states: string[] }> {
  const empty = await dump(db);
  let txn = db.begin();
  const t = txn.createTable({ name: "h", columns: 2 });
  txn.createIndex(t, {
    name: "h_pkey",
    unique: true,
    descriptor: { kind: "columns", columns: [0] },
  });
  await txn.commit();
  const states = [empty, await dump(db)];
  for (let i = 0; i < n; i++) {
    txn = db.begin();
    await runStatement(txn, () => {
      txn.insert(t, [i, "x".repeat(i % 50)]);
      if (i % 3 === 2) {
        for (const c = txn.scan(t); c.next();) {
          if (c.row[0] === i - 1) txn.update(t, c.rowId, [i - 1, `updated ${i}`]);
        }
      }
    });
    if (i % 4 === 3) {
      await runStatement(txn, () => {
        const c = txn.scan(t);
        while (c.next()) if ((c.row[0] as number) === i - 2) txn.delete(t, c.rowId);
      });
    }
    await txn.commit();
    states.push(await dump(db));
  }
  return { t, states };
}

Deno.test("torn WAL: cut at random offsets or with flipped bytes, the database opens as a prefix of its history", async () => {
  const logs: string[] = [];
  const log = (_l: string, msg: string) => logs.push(msg);
  const h = await tempDb({ segmentBytes: 2048, fsync: false });
  const { states } = await history(h.db, 60).catch(async (e) => {
    await h.cleanup();
    throw e;
  });
  await h.db.close();
  const walDir = `${h.dir}/wal`;
  const segs = [...Deno.readDirSync(walDir)].map((e) => e.name).sort();
  assert.ok(segs.length >= 3, "history spans several segments");
  const originals = new Map(segs.map((s) => [s, Deno.readFileSync(`${walDir}/${s}`)]));
  const r = rng(99);
  for (let round = 0; round < 40; round++) {
    for (const [s, bytes] of originals) Deno.writeFileSync(`${walDir}/${s}`, bytes);
    const victim = segs[randInt(r, segs.length)]!;
    const bytes = originals.get(victim)!.slice();
    let damaged: Uint8Array;
    if (round % 2 === 0) damaged = bytes.subarray(0, randInt(r, bytes.length));
    else {
      damaged = bytes;
      damaged[randInt(r, bytes.length)]! ^= 1 << randInt(r, 8);
    }
    Deno.writeFileSync(`${walDir}/${victim}`, damaged);
    logs.length = 0;
    const db = await Database.open(h.dir, {
      fsync: false,
      segmentBytes: 2048,
      log,
      vacuumIntervalMs: 0,
      checkpointIntervalMs: 0,
    });
    const state = await dump(db);
    const at = states.indexOf(state);
    assert.ok(at >= 0, `round ${round}: the state is a prefix of the history`);
    if (at < states.length - 1) {
      assert.ok(db.recovery.problem !== undefined, `round ${round}: damage is reported`);
      assert.match(logs.join("\n"), /WAL ends in a torn or corrupt record at \d+\/[0-9A-F]+/);
    }
    // New commits append cleanly after the cut, and survive another reopen.
    const txn = db.begin();
    if (db.tableIds().length > 0) {
      await runStatement(txn, () => txn.insert(db.tableIds()[0]!, [10_000 + round, "after"]));
    } else {
      await runStatement(txn, () => txn.createTable({ name: "after", columns: 1 }));
    }
    await txn.commit();
    const after = await dump(db);
    await db.close();
    const again = await Database.open(h.dir, {
      fsync: false,
      segmentBytes: 2048,
      log,
      vacuumIntervalMs: 0,
      checkpointIntervalMs: 0,
    });
    assert.equal(await dump(again), after);
    assert.equal(again.recovery.problem, undefined);
    await again.close();
    // Put back the full history for the next round.
    for (const name of [...Deno.readDirSync(walDir)].map((e) => e.name)) {
      if (!originals.has(name)) Deno.removeSync(`${walDir}/${name}`);
    }
  }
  await h.cleanup();
});

Deno.test("replaying the WAL twice gives the same state; recovery after a checkpoint plus more WAL", async () => {
  const h = await tempDb({ segmentBytes: 4096, fsync: false });
  await history(h.db, 30);
  const before = await dump(h.db);
  await h.db.close();
  const reopen = () =>
    Database.open(h.dir, {
      fsync: false,
      segmentBytes: 4096,
      vacuumIntervalMs: 0,
      checkpointIntervalMs: 0,
    });
  let db = await reopen();
  assert.equal(await dump(db), before);
  await db.close();
  db = await reopen();
  assert.equal(await dump(db), before, "second replay, same state");
  const ck = await db.checkpoint();
  assert.ok(ck.rows > 0 && ck.bytes > 0);
  const segsAfter = [...Deno.readDirSync(`${h.dir}/wal`)].length;
  assert.ok(segsAfter <= 2, `old segments removed (${segsAfter} left)`);
  const txn = db.begin();
  await runStatement(txn, () => txn.insert(db.tableIds()[0]!, [999, "post-checkpoint"]));
  await txn.commit();
  const after = await dump(db);
  await db.close();
  db = await reopen();
  assert.equal(db.recovery.checkpointLsn, ck.lsn);
  assert.equal(db.recovery.replayedRecords, 1);
  assert.equal(await dump(db), after);
  await db.close();
  await Deno.remove(h.dir, { recursive: true });
});

Deno.test("an incompatible on-disk format version is refused with a clear message", async () => {
  const h = await tempDb({ fsync: false });
  await h.db.close();
  const control = JSON.parse(await Deno.readTextFile(`${h.dir}/control`));
  const body = JSON.parse(control.body);
  body.format = 99;
  control.body = JSON.stringify(body);
  control.crc = crc32c(new TextEncoder().encode(control.body));
  await Deno.writeTextFile(`${h.dir}/control`, JSON.stringify(control));
  await assert.rejects(
    Database.open(h.dir, { fsync: false }),
    (e: unknown) =>
      e instanceof DbError && e.code === SqlState.objectNotInPrerequisiteState &&
      e.message === "database files are incompatible with server" &&
      /initialized with BKG-DB on-disk format 99, which is not compatible with this server's format 1/
        .test(e.fields.detail ?? ""),
  );
  await Deno.remove(h.dir, { recursive: true });
});

Deno.test("the WAL segment size is fixed at creation: reopening with another setting keeps the data", async () => {
  const h = await tempDb({ segmentBytes: 1024, fsync: false });
  await history(h.db, 20);
  const before = await dump(h.db);
  await h.db.close();
  const db = await Database.open(h.dir, {
    fsync: false,
    segmentBytes: 16 * 1024 * 1024,
    vacuumIntervalMs: 0,
    checkpointIntervalMs: 0,
  });
  assert.equal(await dump(db), before);
  await db.close();
  await Deno.remove(h.dir, { recursive: true });
});
