import assert from "node:assert/strict";
import { type CommitEvent, DbError, SqlState } from "../core.ts";
import { findKey, kvTable, rowsOf, stmt, tempDb } from "../helpers.ts";

Deno.test("a statement does not see its own writes: UPDATE x = x + 1 ends, INSERT … SELECT doubles once", async () => {
  const { db, cleanup } = await tempDb({ fsync: false });
  const [t, pk] = await kvTable(db);
  const txn = db.begin();
  await stmt(txn, () => {
    for (let k = 0; k < 100; k++) txn.insert(t, [k, k]);
  });
  // UPDATE t SET k = k + 1000 through the index, in key order: new keys land ahead of the scan.
  const updated = await stmt(txn, () => {
    let n = 0;
    for (const c = txn.indexScan(pk, { lower: [0] }); c.next();) {
      if (txn.update(txn.table(t).id, c.rowId, [(c.row[0] as number) + 1000, c.row[1]!])) n++;
    }
    return n;
  });
  assert.equal(updated, 100);
  // INSERT INTO t SELECT k + 5000, v FROM t
  const inserted = await stmt(txn, () => {
    let n = 0;
    for (const c = txn.scan(t); c.next();) {
      txn.insert(t, [(c.row[0] as number) + 5000, c.row[1]!]);
      n++;
    }
    return n;
  });
  assert.equal(inserted, 100);
  await stmt(txn, () => assert.equal(rowsOf(txn, t).length, 200));
  await txn.commit();
  await cleanup();
});

Deno.test("savepoints roll back nested work and keep the rest", async () => {
  const { db, cleanup } = await tempDb({ fsync: false });
  const [t, pk] = await kvTable(db);
  const txn = db.begin();
  await stmt(txn, () => txn.insert(t, [1, "a"]));
  const sp1 = txn.savepoint();
  await stmt(txn, () => txn.insert(t, [2, "b"]));
  const sp2 = txn.savepoint();
  await stmt(txn, () => txn.update(t, findKey(txn, pk, 1)!, [1, "changed"]));
  await stmt(txn, () => txn.delete(t, findKey(txn, pk, 2)!));
  txn.rollbackTo(sp2);
  await stmt(txn, () => assert.deepEqual(rowsOf(txn, t), [[1, "a"], [2, "b"]]));
  txn.release(sp2);
  txn.rollbackTo(sp1);
  await stmt(txn, () => assert.deepEqual(rowsOf(txn, t), [[1, "a"]]));
  // The key rolled back is free again, in the index too.
  await stmt(txn, () => txn.insert(t, [2, "c"]));
  // A failed statement leaves the transaction failed until a rollback to a savepoint.
  const sp3 = txn.savepoint();
  await assert.rejects(
    stmt(txn, () => txn.insert(t, [1, "dup"])),
    (e: unknown) => e instanceof DbError && e.code === SqlState.uniqueViolation,
  );
  await assert.rejects(
    stmt(txn, () => rowsOf(txn, t)),
    (e: unknown) => e instanceof DbError && e.code === SqlState.inFailedSqlTransaction,
  );
  txn.rollbackTo(sp3);
  await txn.commit();
  const r = db.begin();
  await stmt(r, () => assert.deepEqual(rowsOf(r, t), [[1, "a"], [2, "c"]]));
  r.rollback();
  await cleanup();
});

Deno.test("DDL is transactional: invisible to others until commit, undone at abort", async () => {
  const { db, cleanup } = await tempDb({ fsync: false });
  const [t, pk] = await kvTable(db);
  const seed = db.begin();
  await stmt(seed, () => [1, 2, 3].forEach((k) => seed.insert(t, [k, k * 10])));
  await seed.commit();

  const a = db.begin();
  const u = a.createTable({ name: "u", columns: 1 });
  const other = db.begin();
  assert.throws(
    () => other.scan(u),
    (e: unknown) => e instanceof DbError && e.code === SqlState.undefinedTable,
  );
  a.rollback();
  assert.throws(
    () => other.scan(u),
    (e: unknown) => e instanceof DbError && e.code === SqlState.undefinedTable,
  );
  other.rollback();

  // TRUNCATE, ADD COLUMN, DROP COLUMN, CREATE INDEX, DROP TABLE: all rolled back.
  const b = db.begin();
  await stmt(b, () => b.addColumn(t, "dflt"));
  await stmt(
    b,
    () => assert.deepEqual(rowsOf(b, t), [[1, 10, "dflt"], [2, 20, "dflt"], [3, 30, "dflt"]]),
  );
  await stmt(b, () => b.dropColumn(t, 1));
  await stmt(b, () => assert.deepEqual(rowsOf(b, t)[0], [1, null, "dflt"]));
  const i2 = await stmt(
    b,
    () => b.createIndex(t, { name: "by_v", descriptor: { kind: "columns", columns: [2] } }),
  );
  await stmt(b, () => b.truncate(t));
  await stmt(b, () => assert.deepEqual(rowsOf(b, t), []));
  await stmt(b, () => b.insert(t, [9, null, "x"]));
  // Another transaction waits for the exclusive lock rather than seeing half-done DDL.
  const reader = db.begin();
  await assert.rejects(
    stmt(db.begin({ lockTimeoutMs: 20 }), () => rowsOf(reader, t)),
    (e: unknown) => e instanceof DbError && e.code === SqlState.lockNotAvailable,
  );
  b.rollback();
  await stmt(reader, () => assert.deepEqual(rowsOf(reader, t), [[1, 10], [2, 20], [3, 30]]));
  assert.throws(() => reader.indexScan(i2), (e: unknown) => e instanceof DbError);
  await stmt(reader, () => assert.equal(findKey(reader, pk, 2) !== undefined, true));
  reader.rollback();

  // Committed DDL is visible to later transactions; DROP TABLE removes it.
  const c = db.begin();
  await stmt(c, () => c.addColumn(t, 0));
  await c.commit();
  const d = db.begin();
  await stmt(d, () => assert.deepEqual(rowsOf(d, t)[0], [1, 10, 0]));
  await stmt(d, () => d.dropTable(t));
  await d.commit();
  const e = db.begin();
  assert.throws(
    () => e.scan(t),
    (x: unknown) => x instanceof DbError && x.code === SqlState.undefinedTable,
  );
  e.rollback();
  await cleanup();
});

Deno.test("index scans: ranges, prefixes, reverse, NULLS LAST, expression keys, non-unique duplicates", async () => {
  const { db, cleanup } = await tempDb({ fsync: false });
  const txn = db.begin();
  const t = txn.createTable({ name: "p", columns: 3 });
  const comp = txn.createIndex(t, {
    name: "p_ab",
    descriptor: { kind: "columns", columns: [0, 1] },
  });
  const rows = [[1, "b", 0], [1, "a", 1], [2, null, 2], [2, "a", 3], [1, null, 4], [3, "c", 5], [
    2,
    "a",
    6,
  ]];
  await stmt(txn, () => rows.forEach((r) => txn.insert(t, r)));
  const ids = (c: Iterable<{ row: unknown[] }>) => [...c].map((r) => r.row[2]);
  await stmt(txn, () => {
    assert.deepEqual(ids(txn.indexScan(comp)), [1, 0, 4, 3, 6, 2, 5]);
    assert.deepEqual(ids(txn.indexScan(comp, { reverse: true })), [5, 2, 6, 3, 4, 0, 1]);
    assert.deepEqual(ids(txn.lookup(comp, [2])), [3, 6, 2]);
    assert.deepEqual(ids(txn.lookup(comp, [2, "a"])), [3, 6]);
    assert.deepEqual(
      ids(txn.indexScan(comp, { lower: [1, "b"], lowerInclusive: false, upper: [2, "a"] })),
      [4, 3, 6],
    );
    assert.deepEqual(
      ids(
        txn.indexScan(comp, {
          lower: [1],
          lowerInclusive: false,
          upper: [3],
          upperInclusive: false,
          reverse: true,
        }),
      ),
      [2, 6, 3],
    );
  });
  await txn.commit();
  await cleanup();
});

Deno.test("expression indexes resolve through the hook given at open, also at recovery", async () => {
  const resolveIndexSpec = (d: Record<string, unknown>) => {
    if (d.kind !== "expr" || d.text !== "lower(name)") throw new Error("unknown");
    return {
      key: (row: unknown[]) => [String(row[0]).toLowerCase()],
      compare: (a: readonly unknown[], b: readonly unknown[]) =>
        String(a[0]).localeCompare(String(b[0])),
    };
  };
  const h = await tempDb({ fsync: false, resolveIndexSpec: resolveIndexSpec as never });
  let txn = h.db.begin();
  const t = txn.createTable({ name: "people", columns: 1 });
  const i = txn.createIndex(t, {
    name: "people_lower",
    unique: true,
    descriptor: { kind: "expr", text: "lower(name)" },
  });
  await stmt(txn, () => txn.insert(t, ["Alice"]));
  await assert.rejects(
    stmt(txn, () => txn.insert(t, ["ALICE"])),
    (e: unknown) => e instanceof DbError && e.code === SqlState.uniqueViolation,
  );
  assert.equal(txn.failed, true);
  await txn.commit().then((r) =>
    assert.equal(r.committed, false, "COMMIT of a failed transaction rolls back")
  );
  txn = h.db.begin();
  const t2 = txn.createTable({ name: "people2", columns: 1 });
  const i2 = txn.createIndex(t2, {
    name: "p2_lower",
    unique: true,
    descriptor: { kind: "expr", text: "lower(name)" },
  });
  await stmt(txn, () => ["Bob", "carol"].forEach((n) => txn.insert(t2, [n])));
  await txn.commit();
  await h.db.close();
  const { Database } = await import("../core.ts");
  const db2 = await Database.open(h.dir, {
    fsync: false,
    resolveIndexSpec: resolveIndexSpec as never,
    vacuumIntervalMs: 0,
    checkpointIntervalMs: 0,
  });
  txn = db2.begin();
  assert.throws(() => txn.lookup(i, ["alice"]), (e: unknown) => e instanceof DbError);
  await stmt(
    txn,
    () => assert.deepEqual([...txn.lookup(i2, ["bob"])].map((r) => r.row), [["Bob"]]),
  );
  await assert.rejects(
    stmt(txn, () => txn.insert(t2, ["CAROL"])),
    (e: unknown) => e instanceof DbError && e.code === SqlState.uniqueViolation,
  );
  txn.rollback();
  await db2.close();
  await Deno.remove(h.dir, { recursive: true });
});

Deno.test("vacuum reclaims versions no snapshot sees, and their index entries, but not while a snapshot needs them", async () => {
  const { db, cleanup } = await tempDb({ fsync: false });
  const [t, pk] = await kvTable(db);
  let txn = db.begin();
  await stmt(txn, () => {
    for (let k = 0; k < 50; k++) txn.insert(t, [k, 0]);
  });
  await txn.commit();
  const old = db.begin({ isolation: "repeatable read" });
  await stmt(old, () => assert.equal(rowsOf(old, t).length, 50));
  for (let round = 1; round <= 3; round++) {
    txn = db.begin();
    await stmt(txn, () => {
      for (const c = txn.scan(t); c.next();) {
        const k = c.row[0] as number;
        if (k < 10) txn.delete(t, c.rowId);
        else txn.update(t, c.rowId, [k + 100 * round, round]);
      }
    });
    await txn.commit();
  }
  assert.equal(db.stats().versions, 50 + 3 * 40);
  let v = await db.vacuum();
  assert.equal(v.versionsRemoved, 0, "the old snapshot pins everything");
  await stmt(old, () => assert.deepEqual(rowsOf(old, t).map((r) => r[0]).slice(0, 3), [0, 1, 2]));
  old.rollback();
  v = await db.vacuum();
  assert.equal(db.stats().versions, 40);
  assert.equal(v.rowsRemoved, 10);
  assert.equal(db.stats().rows, 40);
  txn = db.begin();
  await stmt(txn, () => {
    assert.notEqual(findKey(txn, pk, 610), undefined);
    assert.equal(findKey(txn, pk, 10), undefined);
    assert.equal([...txn.indexScan(pk)].length, 40);
    // Freed row ids are reused, and the keys they had are free.
    txn.insert(t, [0, "again"]);
  });
  await txn.commit();
  await cleanup();
});

Deno.test("sequences are not rolled back and hand out each value once", async () => {
  const { db, cleanup } = await tempDb({ fsync: false });
  let txn = db.begin();
  const s = txn.createSequence({ name: "s", increment: 5n, start: 10n });
  await txn.commit();
  const seen = new Set<bigint>();
  for (let i = 0; i < 100; i++) {
    txn = db.begin();
    const v = await stmt(txn, () => txn.nextval(s));
    assert.ok(!seen.has(v));
    seen.add(v);
    if (i % 2) txn.rollback();
    else await txn.commit();
  }
  assert.deepEqual([...seen].slice(0, 3), [10n, 15n, 20n]);
  txn = db.begin();
  await stmt(txn, () => txn.setval(s, 1000n, false));
  assert.equal(await stmt(txn, () => txn.nextval(s)), 1000n);
  assert.equal(await stmt(txn, () => txn.nextval(s)), 1005n);
  await txn.commit();
  const lim = db.begin();
  const small = await stmt(lim, () => lim.createSequence({ name: "small", maxValue: 2n }));
  await stmt(lim, () => lim.nextval(small));
  await stmt(lim, () => lim.nextval(small));
  await assert.rejects(
    stmt(lim, () => lim.nextval(small)),
    (e: unknown) => e instanceof DbError && e.code === SqlState.sequenceGeneratorLimitExceeded,
  );
  lim.rollback();
  await cleanup();
});

Deno.test("the commit stream delivers durable commits in LSN order with their changes", async () => {
  const { db, cleanup } = await tempDb({ fsync: true });
  const [t, pk] = await kvTable(db);
  const events: CommitEvent[] = [];
  const stop = db.onCommit((e) => events.push(e));
  const a = db.begin();
  const b = db.begin({ synchronousCommit: false });
  await stmt(a, () => a.insert(t, [1, "x"]));
  await stmt(b, () => b.insert(t, [2, "y"]));
  const c = db.begin();
  await stmt(c, () => c.insert(t, [3, "z"]));
  c.rollback();
  await Promise.all([a.commit(), b.commit()]);
  const d = db.begin();
  await stmt(d, () => d.update(t, findKey(d, pk, 1)!, [1, "x2"]));
  await stmt(d, () => d.delete(t, findKey(d, pk, 2)!));
  await d.commit();
  stop();
  assert.equal(events.length, 3);
  assert.ok(events[0]!.lsn < events[1]!.lsn && events[1]!.lsn < events[2]!.lsn);
  assert.deepEqual(events[0]!.changes, [{
    tableId: t,
    kind: "insert",
    newRow: [1, "x"],
    oldRow: null,
  }]);
  assert.deepEqual(events[2]!.changes.map((c) => c.kind), ["update", "delete"]);
  assert.deepEqual(events[2]!.changes[0]!.oldRow, [1, "x"]);
  await cleanup();
});

Deno.test("group commit: concurrent commits share fdatasyncs", async () => {
  const { db, cleanup } = await tempDb({ fsync: true });
  const [t] = await kvTable(db);
  const before = db.stats().walSyncs;
  const txns = Array.from({ length: 50 }, () => db.begin());
  await Promise.all(txns.map((txn, i) => stmt(txn, () => txn.insert(t, [i, i]))));
  await Promise.all(txns.map((txn) => txn.commit()));
  const syncs = db.stats().walSyncs - before;
  assert.ok(syncs <= 5, `50 concurrent commits took ${syncs} fdatasyncs`);
  await cleanup();
});
