/**
 * @module The change feed's ring file: the resume window survives closing and reopening the
 * database, a torn tail is cut, commits the ring missed (made while no feed followed, or lost with
 * a torn write) restart the window instead of being skipped, and the file stays bounded. Real
 * files with fsync.
 */
import assert from "node:assert/strict";
import { ChangeFeed, type ChangeRecord, Database, DbError } from "../../../db/mod.ts";

const dbOpts = { checkpointIntervalMs: 0, vacuumIntervalMs: 0 };

async function withDb<T>(
  dir: string,
  f: (db: Database, run: (sql: string) => Promise<void>) => Promise<T>,
) {
  const db = await Database.open(`${dir}/db`, dbOpts);
  const s = await db.connect({ user: "postgres", database: "postgres" });
  try {
    return await f(db, async (sql) => void await s.execute(sql));
  } finally {
    await s.close();
    await db.close();
  }
}

/** Subscribes from `lsn` and returns the ids replayed (or the error's message). */
function replayIds(feed: ChangeFeed, lsn: number): number[] | string {
  const ids: number[] = [];
  try {
    const stop = feed.subscribe((recs) => {
      for (const r of recs) ids.push((r.kind === "DELETE" ? r.oldRecord : r.record).id as number);
    }, lsn);
    stop();
  } catch (err) {
    if (err instanceof DbError) return err.message;
    throw err;
  }
  return ids;
}

async function scenario(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "bkg-ring-" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("change feed keeps its resume window and full rows across a reopen", () =>
  scenario(async (dir) => {
    const lsns = await withDb(dir, async (db, run) => {
      const feed = await ChangeFeed.open(db, { persist: true });
      const seen: ChangeRecord[] = [];
      feed.subscribe((recs) => seen.push(...recs));
      await run("create table t (id int primary key, owner text, n numeric)");
      await run("insert into t values (1, 'a', 1.5)");
      await run("insert into t values (2, 'b', 2.5)");
      await run("delete from t where id = 1");
      await feed.close();
      return seen.map((r) => r.lsnValue);
    });
    await withDb(dir, async (db, run) => {
      const feed = await ChangeFeed.open(db, { persist: true });
      assert.deepEqual(replayIds(feed, lsns[0]!), [2, 1]);
      const got: ChangeRecord[] = [];
      feed.subscribe((recs) => got.push(...recs), lsns[1]!).call(null);
      const del = got[0]!;
      assert.equal(del.kind, "DELETE");
      assert.deepEqual(del.oldRecord, { id: 1 });
      // The full old row is kept for access checks (never sent).
      assert.equal(del.oldRow?.length, 3);
      assert.equal(del.oldRow?.[1], "a");
      await run("insert into t values (3, 'c', 0)");
      assert.deepEqual(replayIds(feed, lsns[2]!), [3]);
      await feed.close();
    });
  }));

Deno.test("change feed cuts a torn ring tail and refuses to resume across what it lost", () =>
  scenario(async (dir) => {
    const lsns = await withDb(dir, async (db, run) => {
      const feed = await ChangeFeed.open(db, { persist: true });
      const l: number[] = [];
      feed.subscribe((recs) => l.push(recs[0]!.lsnValue));
      await run("create table t (id int primary key)");
      for (let i = 1; i <= 3; i++) await run(`insert into t values (${i})`);
      await feed.close();
      return l;
    });
    // Tear the last frame (the commit of id 3), as a crash in the middle of its write would.
    const ring = `${dir}/db/changes.ring`;
    const bytes = await Deno.readFile(ring);
    await Deno.writeFile(ring, bytes.subarray(0, bytes.length - 5));
    await withDb(dir, async (db, run) => {
      const feed = await ChangeFeed.open(db, { persist: true });
      // Commit 3 is in the WAL but not in the ring: an old position is refused, not shortened.
      assert.match(String(replayIds(feed, lsns[0]!)), /outside the retention window/);
      assert.ok((await Deno.stat(ring)).size < bytes.length - 5);
      const horizon = feed.horizon;
      await run("insert into t values (4)");
      assert.deepEqual(replayIds(feed, horizon), [4]);
      await feed.close();
    });
  }));

Deno.test("change feed restarts its window after commits made while no feed followed", () =>
  scenario(async (dir) => {
    const lsns = await withDb(dir, async (db, run) => {
      const feed = await ChangeFeed.open(db, { persist: true });
      const l: number[] = [];
      feed.subscribe((recs) => l.push(recs[0]!.lsnValue));
      await run("create table t (id int primary key)");
      await run("insert into t values (1)");
      await run("insert into t values (2)");
      await feed.close();
      await run("insert into t values (3)"); // Nobody recorded this one.
      return l;
    });
    await withDb(dir, async (db) => {
      const feed = await ChangeFeed.open(db, { persist: true });
      assert.match(String(replayIds(feed, lsns[0]!)), /outside the retention window/);
      await feed.close();
    });
    // Commits without user-table changes (DDL) are covered: no false restart after them.
    const more = await withDb(dir, async (db, run) => {
      const feed = await ChangeFeed.open(db, { persist: true });
      const l: number[] = [];
      feed.subscribe((recs) => l.push(recs[0]!.lsnValue));
      await run("insert into t values (4)");
      await run("create table u (id int)");
      await feed.close();
      return l;
    });
    await withDb(dir, async (db) => {
      const feed = await ChangeFeed.open(db, { persist: true });
      assert.deepEqual(replayIds(feed, more[0]! - 1), [4]);
      await feed.close();
    });
  }));

Deno.test("change feed ring file stays bounded by the retention window", () =>
  scenario(async (dir) => {
    const { lsns, sizes } = await withDb(dir, async (db, run) => {
      const feed = await ChangeFeed.open(db, { persist: true, retainedCommits: 5 });
      const l: number[] = [];
      const sizes: number[] = [];
      feed.subscribe((recs) => l.push(recs[0]!.lsnValue));
      await run("create table t (id int primary key, pad text)");
      for (let i = 0; i < 60; i++) {
        await run(`insert into t values (${i}, repeat('x', 200))`);
        sizes.push((await Deno.stat(`${dir}/db/changes.ring`)).size);
      }
      await feed.close();
      return { lsns: l, sizes };
    });
    // About twice the window at most (10 frames and the odd coverage mark), never the 60 written.
    const frame = sizes[1]! - sizes[0]!;
    assert.ok(Math.max(...sizes) <= 11 * frame, `ring grew to ${Math.max(...sizes)} bytes`);
    assert.ok(sizes.some((x, i) => i > 0 && x < sizes[i - 1]!), "the file was compacted");
    await withDb(dir, async (db) => {
      const feed = await ChangeFeed.open(db, { persist: true, retainedCommits: 5 });
      assert.deepEqual(replayIds(feed, lsns[55]!), [56, 57, 58, 59]);
      assert.match(String(replayIds(feed, lsns[40]!)), /outside the retention window/);
      await feed.close();
    });
  }));

Deno.test("change feed on a new database picks the catalog up when someone creates it", () =>
  scenario(async (dir) => {
    const db = await Database.open(`${dir}/db`, dbOpts);
    try {
      const feed = await ChangeFeed.open(db, { persist: true });
      // Opening the feed wrote nothing: no catalog bootstrap of its own.
      assert.equal(db.stats().commits, 0);
      const got: ChangeRecord[] = [];
      feed.subscribe((recs) => got.push(...recs));
      const s = await db.connect({ user: "postgres", database: "postgres" });
      await s.execute("create table t (id int primary key)");
      await s.execute("insert into t values (1)");
      assert.deepEqual(got.map((r) => r.record), [{ id: 1 }]);
      assert.ok(feed.catalogVersion > 0);
      await s.close();
      await feed.close();
    } finally {
      await db.close();
    }
  }));
