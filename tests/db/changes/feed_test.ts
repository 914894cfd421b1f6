/**
 * @module The committed-change feed in process: decoding (names, JSON values, old keys), commit
 * order, rolled-back transactions, the retention window and resume by LSN. Real files, fsync on.
 */
import assert from "node:assert/strict";
import { ChangeFeed, type ChangeRecord, Database, DbError, parseLsn } from "../../../db/mod.ts";

async function open() {
  const dir = await Deno.makeTempDir({ prefix: "bkg-changes-" });
  const db = await Database.open(`${dir}/db`, { checkpointIntervalMs: 0, vacuumIntervalMs: 0 });
  const s = await db.connect({ user: "postgres", database: "postgres" });
  await s.execute("create table t (id int primary key, name text, ok boolean, j jsonb, x numeric)");
  return {
    db,
    s,
    async close() {
      await s.close();
      await db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("change feed decodes commits in order with names, JSON values and old keys", async () => {
  const { db, s, close } = await open();
  try {
    const feed = await ChangeFeed.open(db, { retainedCommits: 100 });
    const got: ChangeRecord[] = [];
    feed.subscribe((recs) => got.push(...recs));
    await s.execute(`insert into t values (1, 'a', true, '{"k":[1,2]}', 1.5)`);
    await s.execute("begin; insert into t values (2, 'b', false, null, null); rollback");
    await s.execute("update t set name = 'a2' where id = 1");
    await s.execute("delete from t where id = 1");
    assert.deepEqual(got.map((r) => [r.schema, r.table, r.kind]), [
      ["public", "t", "INSERT"],
      ["public", "t", "UPDATE"],
      ["public", "t", "DELETE"],
    ]);
    const [ins, upd, del] = got as [ChangeRecord, ChangeRecord, ChangeRecord];
    assert.deepEqual(ins.record, { id: 1, name: "a", ok: true, j: { k: [1, 2] }, x: 1.5 });
    assert.deepEqual(upd.record.name, "a2");
    assert.deepEqual(upd.oldRecord, { id: 1 });
    assert.deepEqual(del.oldRecord, { id: 1 });
    assert.deepEqual(del.record, {});
    assert.ok(ins.lsnValue < upd.lsnValue && upd.lsnValue < del.lsnValue);
    assert.equal(parseLsn(ins.lsn), ins.lsnValue);
    assert.deepEqual(ins.columns.map((c) => c.type), ["int4", "text", "bool", "jsonb", "numeric"]);
    feed.close();
  } finally {
    await close();
  }
});

Deno.test("change feed resumes after an LSN inside the window and refuses one outside", async () => {
  const { db, s, close } = await open();
  try {
    const feed = await ChangeFeed.open(db, { retainedCommits: 3 });
    const lsns: number[] = [];
    feed.subscribe((recs) => lsns.push(recs[0]!.lsnValue));
    for (let i = 0; i < 5; i++) await s.execute(`insert into t (id) values (${i})`);
    const replay: number[] = [];
    feed.subscribe((recs) => replay.push(recs[0]!.record.id as number), lsns[2]);
    assert.deepEqual(replay, [3, 4]);
    assert.throws(
      () => feed.subscribe(() => {}, lsns[0]),
      (e) => e instanceof DbError && /outside the retention window/.test(e.message),
    );
    await s.execute("insert into t (id) values (5)");
    assert.deepEqual(replay, [3, 4, 5]);
    feed.close();
  } finally {
    await close();
  }
});
