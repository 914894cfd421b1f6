import assert from "node:assert/strict";
import { DbError, SqlState } from "../core.ts";
import { findKey, kvTable, rowsOf, settled, stmt, tempDb } from "../helpers.ts";

async function setup(rows: [number, number][] = [[1, 10], [2, 20]]) {
  const h = await tempDb({ fsync: false });
  const [t, pk] = await kvTable(h.db);
  const txn = h.db.begin();
  await stmt(txn, () => rows.forEach((r) => txn.insert(t, r)));
  await txn.commit();
  return { ...h, t, pk };
}

function valueOf(
  txn: ReturnType<Awaited<ReturnType<typeof setup>>["db"]["begin"]>,
  pk: number,
  t: number,
  k: number,
) {
  const id = findKey(txn, pk, k);
  return id === undefined ? undefined : txn.fetch(t, id)![1];
}

Deno.test("isolation: dirty reads are prevented", async () => {
  const { db, t, pk, cleanup } = await setup();
  const a = db.begin();
  const b = db.begin();
  await stmt(a, () => a.update(t, findKey(a, pk, 1)!, [1, 99]));
  await stmt(a, () => a.insert(t, [3, 30]));
  await stmt(b, () => {
    assert.equal(valueOf(b, pk, t, 1), 10);
    assert.equal(findKey(b, pk, 3), undefined);
    assert.equal(rowsOf(b, t).length, 2);
  });
  a.rollback();
  b.rollback();
  await cleanup();
});

Deno.test("isolation: non-repeatable reads happen under READ COMMITTED, not under REPEATABLE READ", async () => {
  const { db, t, pk, cleanup } = await setup();
  const rc = db.begin();
  const rr = db.begin({ isolation: "repeatable read" });
  await stmt(rc, () => assert.equal(valueOf(rc, pk, t, 1), 10));
  await stmt(rr, () => assert.equal(valueOf(rr, pk, t, 1), 10));
  const w = db.begin();
  await stmt(w, () => w.update(t, findKey(w, pk, 1)!, [1, 11]));
  await w.commit();
  await stmt(rc, () => assert.equal(valueOf(rc, pk, t, 1), 11));
  await stmt(rr, () => assert.equal(valueOf(rr, pk, t, 1), 10));
  rc.rollback();
  rr.rollback();
  await cleanup();
});

Deno.test("isolation: phantoms are prevented under REPEATABLE READ", async () => {
  const { db, t, cleanup } = await setup();
  const rr = db.begin({ isolation: "repeatable read" });
  await stmt(rr, () => assert.equal(rowsOf(rr, t).length, 2));
  const w = db.begin();
  await stmt(w, () => w.insert(t, [5, 50]));
  await w.commit();
  await stmt(rr, () => assert.equal(rowsOf(rr, t).length, 2));
  const rc = db.begin();
  await stmt(rc, () => assert.equal(rowsOf(rc, t).length, 3));
  rr.rollback();
  rc.rollback();
  await cleanup();
});

Deno.test("isolation: lost update under READ COMMITTED: the second updater waits, then re-runs on the new version", async () => {
  const { db, t, pk, cleanup } = await setup();
  const add = (txn: ReturnType<typeof db.begin>, n: number) =>
    stmt(txn, () => {
      const id = findKey(txn, pk, 1)!;
      const row = txn.fetch(t, id)!;
      return txn.update(t, id, [1, (row[1] as number) + n]);
    });
  const a = db.begin();
  const b = db.begin();
  await add(a, 5);
  const bDone = add(b, 7);
  assert.equal(await settled(bDone), false, "b waits for a");
  await a.commit();
  assert.equal(await bDone, true);
  await b.commit();
  const r = db.begin();
  await stmt(r, () => assert.equal(valueOf(r, pk, t, 1), 22));
  r.rollback();
  await cleanup();
});

Deno.test("isolation: lost update under REPEATABLE READ: 40001 once the first updater commits", async () => {
  const { db, t, pk, cleanup } = await setup();
  const a = db.begin({ isolation: "repeatable read" });
  const b = db.begin({ isolation: "repeatable read" });
  await stmt(b, () => valueOf(b, pk, t, 1)); // b's snapshot is taken before a commits
  await stmt(a, () => a.update(t, findKey(a, pk, 1)!, [1, 15]));
  const bDone = stmt(b, () => b.update(t, findKey(b, pk, 1)!, [1, 17]));
  assert.equal(await settled(bDone), false);
  await a.commit();
  await assert.rejects(
    bDone,
    (e: unknown) =>
      e instanceof DbError && e.code === SqlState.serializationFailure &&
      e.message === "could not serialize access due to concurrent update",
  );
  assert.ok(b.failed);
  b.rollback();
  // If the first updater aborts instead, the second goes ahead.
  const c = db.begin({ isolation: "repeatable read" });
  const d = db.begin({ isolation: "repeatable read" });
  await stmt(d, () => valueOf(d, pk, t, 1));
  await stmt(c, () => c.update(t, findKey(c, pk, 1)!, [1, 100]));
  const dDone = stmt(d, () => d.update(t, findKey(d, pk, 1)!, [1, 200]));
  assert.equal(await settled(dDone), false);
  c.rollback();
  assert.equal(await dDone, true);
  await d.commit();
  const r = db.begin();
  await stmt(r, () => assert.equal(valueOf(r, pk, t, 1), 200));
  r.rollback();
  await cleanup();
});

Deno.test("isolation: write skew is allowed under REPEATABLE READ, as in PostgreSQL", async () => {
  const { db, t, pk, cleanup } = await setup([[1, 1], [2, 1]]);
  const a = db.begin({ isolation: "repeatable read" });
  const b = db.begin({ isolation: "repeatable read" });
  const onCall = (txn: typeof a) => rowsOf(txn, t).filter((r) => r[1] === 1).length;
  await stmt(a, () => assert.equal(onCall(a), 2));
  await stmt(b, () => assert.equal(onCall(b), 2));
  await stmt(a, () => a.update(t, findKey(a, pk, 1)!, [1, 0]));
  await stmt(b, () => b.update(t, findKey(b, pk, 2)!, [2, 0]));
  await a.commit();
  await b.commit();
  const r = db.begin();
  await stmt(r, () => assert.equal(onCall(r), 0));
  r.rollback();
  await cleanup();
});

Deno.test("isolation: a unique insert race waits, then 23505 if the first commits or success if it aborts", async () => {
  const { db, t, pk, cleanup } = await setup();
  for (const outcome of ["commit", "abort"] as const) {
    const key = outcome === "commit" ? 7 : 8;
    const a = db.begin();
    const b = db.begin();
    await stmt(a, () => a.insert(t, [key, 1]));
    const bDone = stmt(b, () => b.insert(t, [key, 2]));
    assert.equal(await settled(bDone), false, "second inserter waits");
    if (outcome === "commit") {
      await a.commit();
      await assert.rejects(
        bDone,
        (e: unknown) =>
          e instanceof DbError && e.code === SqlState.uniqueViolation &&
          e.message === 'duplicate key value violates unique constraint "kv_pkey"' &&
          e.fields.detail === `Key (k)=(${key}) already exists.`,
      );
      b.rollback();
    } else {
      a.rollback();
      assert.equal(typeof (await bDone), "number");
      await b.commit();
    }
  }
  // A key deleted by a committed transaction can be inserted again; NULLs never conflict.
  const c = db.begin();
  await stmt(c, () => assert.ok(c.delete(t, findKey(c, pk, 7)!)));
  await c.commit();
  const e = db.begin();
  await stmt(e, () => e.insert(t, [7, 3]));
  await e.commit();
  const d = db.begin();
  await stmt(d, () => {
    d.insert(t, [null, 1]);
    d.insert(t, [null, 2]);
  });
  await d.commit();
  await cleanup();
});

Deno.test("isolation: a deadlock gives 40P01 to one transaction; the other proceeds", async () => {
  const { db, t, pk, cleanup } = await setup();
  const a = db.begin({ pid: 101 });
  const b = db.begin({ pid: 202 });
  await stmt(a, () => a.update(t, findKey(a, pk, 1)!, [1, 11]));
  await stmt(b, () => b.update(t, findKey(b, pk, 2)!, [2, 21]));
  const aDone = stmt(a, () => a.update(t, findKey(a, pk, 2)!, [2, 12]));
  assert.equal(await settled(aDone), false);
  let err: unknown;
  try {
    await stmt(b, () => b.update(t, findKey(b, pk, 1)!, [1, 22]));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof DbError && err.code === SqlState.deadlockDetected, String(err));
  assert.equal(err.message, "deadlock detected");
  assert.match(
    err.fields.detail!,
    /^Process 202 waits for ShareLock on transaction \d+; blocked by process 101\.\nProcess 101 waits for ShareLock on transaction \d+; blocked by process 202\.$/,
  );
  b.rollback();
  assert.equal(await aDone, true);
  await a.commit();
  await cleanup();
});

Deno.test("isolation: lock waits resume when the holder ends, in FIFO order, and lock_timeout gives 55P03", async () => {
  const { db, t, pk, cleanup } = await setup();
  const holder = db.begin();
  await stmt(holder, () => holder.lockRow(t, findKey(holder, pk, 1)!, "update"));
  const order: string[] = [];
  const w1 = db.begin();
  const w2 = db.begin();
  const p1 = stmt(w1, () => w1.lockRow(t, findKey(w1, pk, 1)!, "share")).then(() =>
    order.push("w1")
  );
  const p2 = stmt(w2, () => w2.lockRow(t, findKey(w2, pk, 1)!, "share")).then(() =>
    order.push("w2")
  );
  const impatient = db.begin({ lockTimeoutMs: 30 });
  await assert.rejects(
    stmt(impatient, () => impatient.update(t, findKey(impatient, pk, 1)!, [1, 0])),
    (e: unknown) => e instanceof DbError && e.code === SqlState.lockNotAvailable,
  );
  impatient.rollback();
  assert.deepEqual(order, []);
  await holder.commit();
  await Promise.all([p1, p2]);
  assert.deepEqual(order, ["w1", "w2"]);
  // Two sharers block a writer until both end.
  const writer = db.begin();
  const wDone = stmt(writer, () => writer.update(t, findKey(writer, pk, 1)!, [1, 5]));
  assert.equal(await settled(wDone), false);
  await w1.commit();
  assert.equal(await settled(wDone), false);
  await w2.commit();
  assert.equal(await wDone, true);
  await writer.commit();
  await cleanup();
});

Deno.test("isolation: SERIALIZABLE is refused with 0A000, never run weaker", async () => {
  const { db, cleanup } = await setup();
  assert.throws(
    () => db.begin({ isolation: "serializable" }),
    (e: unknown) => e instanceof DbError && e.code === SqlState.featureNotSupported,
  );
  await cleanup();
});

Deno.test("isolation: read-only transactions refuse writes with 25006", async () => {
  const { db, t, cleanup } = await setup();
  const ro = db.begin({ readOnly: true });
  await assert.rejects(
    stmt(ro, () => ro.insert(t, [9, 9])),
    (e: unknown) =>
      e instanceof DbError && e.code === SqlState.readOnlySqlTransaction &&
      e.message === "cannot execute INSERT in a read-only transaction",
  );
  ro.rollback();
  await cleanup();
});
