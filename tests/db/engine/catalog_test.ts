/**
 * @module The catalog as clients see it: pg_catalog and information_schema relations, the
 * functions psql calls, and the bootstrap roles, schemas and databases.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { Database } from "../../../db/mod.ts";
import { engine, errorCode, rows } from "./helpers.ts";

Deno.test("bootstrap creates the roles, schemas and databases of the design", async () => {
  const { db, s, cleanup } = await engine();
  try {
    assertEquals(
      await rows(
        s,
        "SELECT rolname, rolsuper, rolcanlogin, rolbypassrls FROM pg_roles ORDER BY rolname",
      ),
      [["anon", "false", "false", "false"], ["authenticated", "false", "false", "false"], [
        "pg_database_owner",
        "false",
        "false",
        "false",
      ], [
        "postgres",
        "true",
        "true",
        "true",
      ], ["service_role", "false", "false", "true"]],
    );
    assertEquals(
      await rows(
        s,
        "SELECT nspname FROM pg_namespace WHERE nspname IN ('auth', 'public') ORDER BY 1",
      ),
      [["auth"], ["public"]],
    );
    const bad = await db.connect({ user: "nobody", database: "postgres" }).then(
      () => "",
      (e) => e.code,
    );
    assertEquals(bad, "28000");
    const nodb = await db.connect({ user: "postgres", database: "nope" }).then(
      () => "",
      (e) => e.code,
    );
    assertEquals(nodb, "3D000");
  } finally {
    await cleanup();
  }
});

Deno.test("pg_class, pg_attribute and information_schema describe user tables", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute(
      "CREATE TABLE t (id int PRIMARY KEY, name varchar(20) NOT NULL, price numeric(8,2))",
    );
    assertEquals(
      await rows(
        s,
        "SELECT relname, relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'public' ORDER BY 1",
      ),
      [["t", "r"], ["t_pkey", "i"]],
    );
    assertEquals(
      await rows(
        s,
        "SELECT attname, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 ORDER BY attnum",
      ),
      [["id", "integer", "true"], ["name", "character varying(20)", "true"], [
        "price",
        "numeric(8,2)",
        "false",
      ]],
    );
    assertEquals(
      await rows(
        s,
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position",
      ),
      [["id", "integer", "NO"], ["name", "character varying", "NO"], ["price", "numeric", "YES"]],
    );
    assertEquals(
      await rows(
        s,
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 't'::regclass",
      ),
      [[
        "PRIMARY KEY (id)",
      ]],
    );
    assertEquals(await errorCode(s, "SELECT 'nope'::regclass"), "42P01");
  } finally {
    await cleanup();
  }
});

Deno.test("CREATE DATABASE is not transactional and refuses a transaction block", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE DATABASE other");
    assertEquals(await rows(s, "SELECT datname FROM pg_database WHERE datname = 'other'"), [[
      "other",
    ]]);
    assertEquals(await errorCode(s, "BEGIN; CREATE DATABASE x2"), "25001");
  } finally {
    await cleanup();
  }
});

Deno.test("the catalog table is a storage table: it survives reopen", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bkg-engine-" });
  try {
    let db = await Database.open(dir, {
      fsync: false,
      checkpointIntervalMs: 0,
      vacuumIntervalMs: 0,
    });
    let s = await db.connect({ user: "postgres", database: "postgres" });
    await s.execute(
      "CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE m (x mood); INSERT INTO m VALUES ('ok')",
    );
    await s.execute("COMMENT ON TABLE m IS 'moods'");
    await db.close();
    db = await Database.open(dir, { fsync: false, checkpointIntervalMs: 0, vacuumIntervalMs: 0 });
    s = await db.connect({ user: "postgres", database: "postgres" });
    assertEquals(await rows(s, "SELECT x, obj_description('m'::regclass, 'pg_class') FROM m"), [[
      "ok",
      "moods",
    ]]);
    await db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
