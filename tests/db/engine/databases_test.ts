/**
 * @module Databases as separate sets of objects: what a session of one database sees of
 * another's (nothing but roles and databases), CREATE/DROP DATABASE rules and their SQLSTATEs,
 * storage freed by DROP DATABASE, the separation across a restart (WAL replay and checkpoint),
 * and catalogs written before objects carried a database tag.
 */
import assert from "node:assert/strict";
import { catalogTableId } from "../../../db/catalog/mod.ts";
import { Database, DbError, type Session } from "../../../db/mod.ts";
import { engine, errorCode, rows, run } from "./helpers.ts";

function open(dir: string): Promise<Database> {
  return Database.open(dir, { fsync: false, checkpointIntervalMs: 0, vacuumIntervalMs: 0 });
}

async function error(s: Session, sql: string): Promise<DbError> {
  try {
    await s.execute(sql);
  } catch (e) {
    if (e instanceof DbError) return e;
    throw e;
  }
  throw new Error(`expected an error from: ${sql}`);
}

Deno.test("databases keep tables, schemas and rows apart; roles and databases are shared", async () => {
  const { db, s, cleanup } = await engine();
  const sessions: Session[] = [];
  try {
    await run(s, "CREATE DATABASE d");
    await run(s, "CREATE TABLE t (a int)");
    await run(s, "INSERT INTO t VALUES (1)");
    await run(s, "CREATE ROLE r1");
    const d = await db.connect({ user: "postgres", database: "d" });
    sessions.push(d);
    // Same name, another table: its own columns and rows.
    await run(d, "CREATE TABLE t (a int, b text)");
    await run(d, "INSERT INTO t VALUES (2, 'x'), (3, 'y')");
    await run(d, "CREATE SCHEMA only_d");
    await run(d, "CREATE TYPE mood AS ENUM ('ok')");
    assert.deepEqual(await rows(s, "SELECT * FROM t"), [["1"]]);
    assert.deepEqual(await rows(d, "SELECT * FROM t ORDER BY a"), [["2", "x"], ["3", "y"]]);
    assert.equal(await errorCode(s, "SELECT * FROM only_d.x"), "42P01");
    assert.deepEqual(
      await rows(s, "SELECT count(*) FROM pg_namespace WHERE nspname = 'only_d'"),
      [["0"]],
    );
    assert.equal(await errorCode(s, "SELECT 'ok'::mood"), "42704");
    assert.deepEqual(await rows(d, "SELECT 'ok'::mood"), [["ok"]]);
    // pg_class lists only the current database's relations; the two t differ by OID.
    const q = "SELECT oid FROM pg_class WHERE relname = 't'";
    const [a1] = await rows(s, q);
    const [b1] = await rows(d, q);
    assert.equal((await rows(s, q)).length, 1);
    assert.notEqual(a1![0], b1![0]);
    // A fresh database has the schemas of one, with public's PostgreSQL 15 owner and ACL.
    assert.deepEqual(
      await rows(
        d,
        "SELECT nspname, pg_get_userbyid(nspowner) FROM pg_namespace " +
          "WHERE nspname IN ('public', 'auth', 'information_schema', 'pg_catalog') ORDER BY 1",
      ),
      [
        ["auth", "postgres"],
        ["information_schema", "postgres"],
        ["pg_catalog", "postgres"],
        ["public", "pg_database_owner"],
      ],
    );
    assert.deepEqual(
      await rows(d, "SELECT obj_description('public'::regnamespace, 'pg_namespace')"),
      [["standard public schema"]],
    );
    // The Supabase setup ran for d too: the API roles use public and get default privileges.
    assert.deepEqual(
      await rows(d, "SELECT has_schema_privilege('anon', 'public', 'USAGE')"),
      [["true"]],
    );
    assert.deepEqual(await rows(d, "SELECT count(*) FROM pg_default_acl"), [["3"]]);
    assert.deepEqual(await rows(d, "SELECT has_table_privilege('anon', 't', 'SELECT')"), [[
      "true",
    ]]);
    // Shared: roles and databases.
    assert.deepEqual(await rows(d, "SELECT count(*) FROM pg_roles WHERE rolname = 'r1'"), [["1"]]);
    assert.deepEqual(
      await rows(d, "SELECT datname FROM pg_database ORDER BY 1"),
      [["d"], ["postgres"], ["template0"], ["template1"]],
    );
    assert.deepEqual(await rows(d, "SELECT current_database()"), [["d"]]);
    // The other database's table is not known by OID either (regclass prints a bare number).
    assert.deepEqual(await rows(d, `SELECT ${a1![0]}::regclass::text`), [[a1![0]]]);
    assert.deepEqual(await rows(d, `SELECT ${b1![0]}::regclass::text`), [["t"]]);
  } finally {
    for (const x of sessions) await x.close();
    await cleanup();
  }
});

Deno.test("create database checks its rules: transaction block, privilege, duplicate, options", async () => {
  const { db, s, cleanup } = await engine();
  try {
    await run(s, "BEGIN");
    assert.equal(await errorCode(s, "CREATE DATABASE x"), "25001");
    await run(s, "ROLLBACK");
    await run(s, "CREATE ROLE plain LOGIN");
    await run(s, "CREATE ROLE maker LOGIN CREATEDB");
    await run(s, "SET ROLE plain");
    const denied = await error(s, "CREATE DATABASE x");
    assert.equal(denied.code, "42501");
    assert.equal(denied.message, "permission denied to create database");
    await run(s, "SET ROLE maker");
    await run(s, "CREATE DATABASE mine TEMPLATE template0 ENCODING 'UTF8'");
    assert.deepEqual(
      await rows(s, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'mine'"),
      [["maker"]],
    );
    await run(s, "RESET ROLE");
    assert.equal(await errorCode(s, "CREATE DATABASE mine"), "42P04");
    assert.equal(await errorCode(s, "CREATE DATABASE y OWNER nobody"), "42704");
    assert.equal(await errorCode(s, "CREATE DATABASE y TEMPLATE nosuch"), "3D000");
    assert.equal(await errorCode(s, "CREATE DATABASE y TEMPLATE mine"), "0A000");
    assert.equal(await errorCode(s, "CREATE DATABASE y ENCODING 'LATIN1'"), "0A000");
    await run(s, "CREATE DATABASE owned OWNER plain");
    assert.deepEqual(
      await rows(s, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'owned'"),
      [["plain"]],
    );
    // pg_database_owner stands for the owner of the current database: plain owns public there.
    const p = await db.connect({ user: "plain", database: "owned" });
    try {
      await run(p, "CREATE TABLE mine_t (a int)");
      assert.deepEqual(await rows(p, "SELECT pg_has_role('pg_database_owner', 'MEMBER')"), [[
        "true",
      ]]);
    } finally {
      await p.close();
    }
    const q = await db.connect({ user: "plain", database: "postgres" });
    try {
      assert.equal(await errorCode(q, "CREATE TABLE mine_t (a int)"), "42501");
    } finally {
      await q.close();
    }
  } finally {
    await cleanup();
  }
});

Deno.test("drop database refuses the open one, busy ones and non-owners, and frees storage", async () => {
  const { db, s, cleanup } = await engine();
  const sessions: Session[] = [];
  try {
    await run(s, "CREATE DATABASE d");
    const d = await db.connect({ user: "postgres", database: "d" });
    sessions.push(d);
    await run(d, "CREATE TABLE big (id serial PRIMARY KEY, v text)");
    await run(d, "INSERT INTO big (v) SELECT 'row ' || g FROM generate_series(1, 500) g");
    const tableOid = (await rows(d, "SELECT 'big'::regclass::oid"))[0]![0]!;
    const seqOid = (await rows(d, "SELECT 'big_id_seq'::regclass::oid"))[0]![0]!;
    assert.ok(db.tableDef(Number(tableOid)) !== undefined);

    const self = await error(d, "DROP DATABASE d");
    assert.equal(self.code, "55006");
    assert.equal(self.message, "cannot drop the currently open database");
    const busy = await error(s, "DROP DATABASE d");
    assert.equal(busy.code, "55006");
    assert.equal(busy.message, 'database "d" is being accessed by other users');
    assert.equal(busy.fields.detail, "There is 1 other session using the database.");
    assert.equal(await errorCode(s, "DROP DATABASE template1"), "42809");
    assert.equal(await errorCode(s, "DROP DATABASE nosuch"), "3D000");
    await run(s, "DROP DATABASE IF EXISTS nosuch");
    assert.equal(s.notices.at(-1)?.message, 'database "nosuch" does not exist, skipping');
    await run(s, "BEGIN");
    assert.equal(await errorCode(s, "DROP DATABASE d"), "25001");
    await run(s, "ROLLBACK");
    await run(s, "CREATE ROLE outsider LOGIN");
    await run(s, "SET ROLE outsider");
    const owner = await error(s, "DROP DATABASE d");
    assert.equal(owner.code, "42501");
    assert.equal(owner.message, "must be owner of database d");
    await run(s, "RESET ROLE");

    // FORCE ends the other session, even inside a transaction holding a lock on big.
    await run(d, "BEGIN");
    await run(d, "UPDATE big SET v = 'locked' WHERE id = 1");
    await run(s, "DROP DATABASE d WITH (FORCE)");
    const ended = await error(d, "SELECT 1");
    assert.equal(ended.code, "57P01");
    assert.equal(ended.severity, "FATAL");
    assert.deepEqual(await rows(s, "SELECT count(*) FROM pg_database WHERE datname = 'd'"), [[
      "0",
    ]]);
    assert.equal(db.tableDef(Number(tableOid)), undefined);
    assert.equal(db.begin().host.sequences.has(Number(seqOid)), false);
    assert.equal(
      (await db.connect({ user: "postgres", database: "d" }).catch((e) => e)).code,
      "3D000",
    );
    // A database of the same name later is new and empty.
    await run(s, "CREATE DATABASE d");
    const d2 = await db.connect({ user: "postgres", database: "d" });
    sessions.push(d2);
    assert.equal(await errorCode(d2, "SELECT * FROM big"), "42P01");
    await d2.close();
    await run(s, "DROP DATABASE d");
  } finally {
    for (const x of sessions) await x.close();
    await cleanup();
  }
});

Deno.test("databases stay apart after a restart, by WAL replay and from a checkpoint", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bkg-databases-" });
  try {
    let db = await open(dir);
    let p = await db.connect({ user: "postgres", database: "postgres" });
    await run(p, "CREATE DATABASE d");
    await run(p, "CREATE TABLE t (a int)");
    await run(p, "INSERT INTO t VALUES (1)");
    let d = await db.connect({ user: "postgres", database: "d" });
    await run(d, "CREATE TABLE t (a int PRIMARY KEY)");
    await run(d, "INSERT INTO t VALUES (2), (3)");
    await p.close();
    await d.close();
    await db.close();
    for (const step of ["replay", "checkpoint"]) {
      db = await open(dir);
      p = await db.connect({ user: "postgres", database: "postgres" });
      d = await db.connect({ user: "postgres", database: "d" });
      assert.deepEqual(await rows(p, "SELECT a FROM t"), [["1"]], step);
      assert.deepEqual(await rows(d, "SELECT a FROM t ORDER BY a"), [["2"], ["3"]], step);
      assert.equal(await errorCode(d, "INSERT INTO t VALUES (2)"), "23505", step);
      assert.deepEqual(
        await rows(p, "SELECT count(*) FROM pg_class WHERE relname = 't_pkey'"),
        [["0"]],
        step,
      );
      await p.close();
      await d.close();
      if (step === "replay") await db.checkpoint();
      await db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("catalog objects without a database tag belong to postgres", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bkg-databases-" });
  try {
    let db = await open(dir);
    const p = await db.connect({ user: "postgres", database: "postgres" });
    await run(p, "CREATE TABLE old_t (a int)");
    await run(p, "INSERT INTO old_t VALUES (7)");
    await run(p, "COMMENT ON TABLE old_t IS 'from before'");
    await p.close();
    // Strip every tag, as a data directory written before databases were kept apart has none.
    const txn = db.begin();
    let stripped = 0;
    const edits: [number, unknown[]][] = [];
    for (const c = txn.scan(catalogTableId); c.next();) {
      const obj = JSON.parse(c.row[1] as string) as Record<string, unknown>;
      if (obj.db === undefined) continue;
      delete obj.db;
      edits.push([c.rowId, [c.row[0], JSON.stringify(obj)]]);
    }
    for (const [rowId, row] of edits) {
      assert.ok(txn.update(catalogTableId, rowId, row as never));
      stripped++;
    }
    await txn.commit();
    assert.ok(stripped > 5, `stripped ${stripped} tags`);
    await db.close();

    db = await open(dir);
    const p2 = await db.connect({ user: "postgres", database: "postgres" });
    let o: Session | null = null;
    try {
      assert.deepEqual(await rows(p2, "SELECT a FROM old_t"), [["7"]]);
      assert.deepEqual(await rows(p2, "SELECT obj_description('old_t'::regclass)"), [[
        "from before",
      ]]);
      // A database made now sees none of the old objects; postgres keeps one public schema.
      await run(p2, "CREATE DATABASE other");
      o = await db.connect({ user: "postgres", database: "other" });
      assert.equal(await errorCode(o, "SELECT a FROM old_t"), "42P01");
      assert.deepEqual(await rows(o, "SELECT count(*) FROM pg_class WHERE relname = 'old_t'"), [[
        "0",
      ]]);
      for (const x of [p2, o]) {
        assert.deepEqual(
          await rows(x, "SELECT count(*) FROM pg_namespace WHERE nspname = 'public'"),
          [["1"]],
        );
      }
      await run(o, "CREATE TABLE old_t (b text)");
      await run(o, "INSERT INTO old_t VALUES ('new')");
      assert.deepEqual(await rows(p2, "SELECT a FROM old_t"), [["7"]]);
      assert.deepEqual(await rows(o, "SELECT b FROM old_t"), [["new"]]);
    } finally {
      await p2.close();
      await o?.close();
      await db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("notifications stay within their database", async () => {
  const { db, s, cleanup } = await engine();
  try {
    await run(s, "CREATE DATABASE d");
    const d = await db.connect({ user: "postgres", database: "d" });
    const p = await db.connect({ user: "postgres", database: "postgres" });
    const heard: string[] = [];
    d.onNotification = (_c, payload) => heard.push(`d:${payload}`);
    p.onNotification = (_c, payload) => heard.push(`p:${payload}`);
    await run(d, "LISTEN ch");
    await run(p, "LISTEN ch");
    await run(s, "NOTIFY ch, 'from postgres'");
    assert.deepEqual(heard, ["p:from postgres"]);
    await d.close();
    await p.close();
  } finally {
    await cleanup();
  }
});

Deno.test("drop database waits for a session that leaves meanwhile", async () => {
  const { db, s, cleanup } = await engine();
  try {
    await run(s, "CREATE DATABASE soon");
    const leaving = await db.connect({ user: "postgres", database: "soon" });
    const started = performance.now();
    const drop = run(s, "DROP DATABASE soon");
    setTimeout(() => void leaving.close(), 250);
    assert.equal((await drop).command, "DROP DATABASE");
    const waited = performance.now() - started;
    assert.ok(waited >= 200 && waited < 4000, `waited ${waited} ms`);
  } finally {
    await cleanup();
  }
});

Deno.test("drop role counts what the role has in other databases, as PostgreSQL's DETAIL does", async () => {
  const { db, s, cleanup } = await engine();
  try {
    await run(s, "CREATE ROLE r1");
    await run(s, "CREATE DATABASE d OWNER r1");
    await run(s, "GRANT CONNECT ON DATABASE postgres TO r1");
    await run(s, "CREATE TABLE t (a int)");
    await run(s, "ALTER TABLE t OWNER TO r1");
    const d = await db.connect({ user: "postgres", database: "d" });
    try {
      await run(d, "CREATE TABLE x (a int)");
      await run(d, "ALTER TABLE x OWNER TO r1");
      await run(d, "CREATE TABLE y (a int)");
      await run(d, "GRANT SELECT ON y TO r1");
      // The lines PostgreSQL 15 prints for the same script.
      const inPostgres = await error(s, "DROP ROLE r1");
      assert.equal(inPostgres.code, "2BP01");
      assert.equal(
        inPostgres.fields.detail,
        "privileges for database postgres\nowner of database d\nowner of table t\n" +
          "2 objects in database d",
      );
      const inD = await error(d, "DROP ROLE r1");
      assert.equal(
        inD.fields.detail,
        "privileges for database postgres\nowner of database d\nowner of table x\n" +
          "privileges for table y\n1 object in database postgres",
      );
    } finally {
      await d.close();
    }
  } finally {
    await cleanup();
  }
});

Deno.test("drop database with force ends a session waiting on a lock in it", async () => {
  const { db, s, cleanup } = await engine();
  try {
    await run(s, "CREATE DATABASE d");
    const holder = await db.connect({ user: "postgres", database: "d" });
    const waiter = await db.connect({ user: "postgres", database: "d" });
    await run(holder, "CREATE TABLE t (id int PRIMARY KEY, v int)");
    await run(holder, "INSERT INTO t VALUES (1, 0)");
    const tableOid = Number((await rows(holder, "SELECT 't'::regclass::oid"))[0]![0]);
    await run(holder, "BEGIN");
    await run(holder, "UPDATE t SET v = 1 WHERE id = 1");
    await run(waiter, "BEGIN");
    // Waits for holder's row lock: a statement in flight when the drop terminates it.
    const waiting = run(waiter, "UPDATE t SET v = 2 WHERE id = 1").then(
      () => "done",
      (e) => e instanceof DbError ? e.code : String(e),
    );
    await new Promise((r) => setTimeout(r, 50));
    await run(s, "DROP DATABASE d WITH (FORCE)");
    assert.ok(["done", "57014"].includes(await waiting), "the waiting statement ended");
    assert.equal((await error(waiter, "SELECT 1")).code, "57P01");
    assert.equal((await error(holder, "SELECT 1")).code, "57P01");
    assert.equal(db.tableDef(tableOid), undefined);
    await holder.close();
    await waiter.close();
  } finally {
    await cleanup();
  }
});
