/**
 * @module Roles and privileges in the engine (db.connect sessions): SCRAM verifiers checked
 * against an independent computation, enforcement for a role that logs in directly (not only
 * SET ROLE), role changes that roll back, set_config('role') and DISCARD ALL that cannot escalate,
 * views checked as their owner, cached plans re-checked after SET ROLE, default privileges of the
 * Supabase setup, ownership, and what survives a restart.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import { Database } from "../../../db/mod.ts";
import { DbError } from "../../../db/sqlstate.ts";
import { engine, errorCode, rows } from "../engine/helpers.ts";

async function message(s: { execute(sql: string): Promise<unknown> }, sql: string) {
  try {
    await s.execute(sql);
  } catch (e) {
    if (e instanceof DbError) return `${e.code} ${e.message}`;
    throw e;
  }
  throw new Error(`expected an error from: ${sql}`);
}

Deno.test("create role stores a SCRAM-SHA-256 verifier that matches RFC 5802 for the password", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE ROLE app LOGIN PASSWORD 'correct horse'");
    const [[v]] = await rows(s, "SELECT rolpassword FROM pg_authid WHERE rolname = 'app'") as [
      [string],
    ];
    const m = /^SCRAM-SHA-256\$4096:([^$]+)\$([^:]+):(.+)$/.exec(v);
    ok(m, v);
    const salted = pbkdf2Sync("correct horse", Buffer.from(m[1]!, "base64"), 4096, 32, "sha256");
    const clientKey = createHmac("sha256", salted).update("Client Key").digest();
    const stored = createHash("sha256").update(clientKey).digest("base64");
    const server = createHmac("sha256", salted).update("Server Key").digest("base64");
    assertEquals([m[2], m[3]], [stored, server]);
    // pg_roles never shows it.
    assertEquals(await rows(s, "SELECT rolpassword FROM pg_roles WHERE rolname = 'app'"), [[
      "********",
    ]]);
  } finally {
    await cleanup();
  }
});

Deno.test("a role that logs in directly is refused what it was not granted, with PostgreSQL's messages", async () => {
  const { db, s, cleanup } = await engine();
  try {
    await s.execute(`
      CREATE ROLE reader LOGIN;
      CREATE SCHEMA priv;
      CREATE TABLE priv.t (id int, secret text);
      CREATE TABLE pub (id int, secret text);
      REVOKE ALL ON pub FROM anon, authenticated, service_role;
      CREATE SEQUENCE sq;
      REVOKE ALL ON sq FROM anon, authenticated, service_role;
      GRANT SELECT (id) ON pub TO reader;
    `);
    const r = await db.connect({ user: "reader", database: "postgres" });
    try {
      assertEquals(
        await message(r, "SELECT * FROM priv.t"),
        "42501 permission denied for schema priv",
      );
      assertEquals(
        await message(r, "SELECT secret FROM pub"),
        "42501 permission denied for table pub",
      );
      assertEquals(await rows(r, "SELECT id FROM pub"), []);
      assertEquals(
        await message(r, "SELECT nextval('sq')"),
        "42501 permission denied for sequence sq",
      );
      assertEquals(await message(r, "DROP TABLE pub"), "42501 must be owner of table pub");
      assertEquals(
        await message(r, "CREATE TABLE mine (x int)"),
        "42501 permission denied for schema public",
      );
      assertEquals(await rows(r, "SELECT current_user, session_user"), [["reader", "reader"]]);
      assertEquals(await errorCode(r, "SET ROLE postgres"), "42501");
      assertEquals(await errorCode(r, "SET SESSION AUTHORIZATION postgres"), "42501");
      // set_config('role') is SET ROLE: no way around the membership check.
      assertEquals(await errorCode(r, "SELECT set_config('role', 'postgres', false)"), "42501");
      assertEquals(await rows(r, "SHOW is_superuser"), [["off"]]);
      assertEquals(await errorCode(r, "SELECT count(*) FROM pg_authid"), "42501");
    } finally {
      await r.close();
    }
  } finally {
    await cleanup();
  }
});

Deno.test("set role reverts on rollback, set local role at commit, and discard all returns to the login role", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE ROLE r1; CREATE ROLE r2 LOGIN");
    await s.execute("BEGIN; SET ROLE r1");
    assertEquals(await rows(s, "SELECT current_user"), [["r1"]]);
    await s.execute("ROLLBACK");
    assertEquals(await rows(s, "SELECT current_user"), [["postgres"]]);
    await s.execute("BEGIN; SET LOCAL ROLE r1; COMMIT");
    assertEquals(await rows(s, "SELECT current_user"), [["postgres"]]);
    await s.execute("SET SESSION AUTHORIZATION r2; SET ROLE NONE");
    assertEquals(await rows(s, "SELECT current_user, session_user"), [["r2", "r2"]]);
    assertEquals(s.currentRoleOid(), s.sessionRoleOid());
    await s.execute("RESET ALL");
    assertEquals(await rows(s, "SELECT session_user"), [["r2"]]);
    await s.execute("DISCARD ALL");
    assertEquals(await rows(s, "SELECT current_user, session_user"), [["postgres", "postgres"]]);
    assertEquals(s.currentRoleOid(), 10);
  } finally {
    await cleanup();
  }
});

Deno.test("a view reads its tables as the view's owner and a cached plan is re-checked after set role", async () => {
  const { db, s, cleanup } = await engine();
  try {
    await s.execute(`
      CREATE ROLE viewer LOGIN;
      CREATE TABLE base (id int, v text);
      INSERT INTO base VALUES (1, 'a');
      REVOKE ALL ON base FROM anon, authenticated, service_role;
      CREATE VIEW v AS SELECT id FROM base;
      GRANT SELECT ON v TO viewer;
      CREATE VIEW vi WITH (security_invoker = true) AS SELECT id FROM base;
      GRANT SELECT ON vi TO viewer;
    `);
    const c = await db.connect({ user: "viewer", database: "postgres" });
    try {
      assertEquals(await rows(c, "SELECT id FROM v"), [["1"]]);
      assertEquals(await errorCode(c, "SELECT id FROM vi"), "42501");
      assertEquals(await errorCode(c, "SELECT id FROM base"), "42501");
    } finally {
      await c.close();
    }
    await s.execute("GRANT viewer TO postgres");
    s.prepare("q", "SELECT count(*) FROM base", []);
    assertEquals((await s.executePrepared("q", [])).rows.length, 1);
    await s.execute("SET ROLE viewer");
    await assertRejects42501(() => s.executePrepared("q", []));
    await s.execute("RESET ROLE");
    assertEquals((await s.executePrepared("q", [])).rows.length, 1);
  } finally {
    await cleanup();
  }
});

async function assertRejects42501(f: () => Promise<unknown>): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (e instanceof DbError && e.code === "42501") return;
    throw e;
  }
  throw new Error("expected 42501");
}

Deno.test("the supabase setup lets anon and authenticated use tables and serials the superuser creates", async () => {
  const { db, s, cleanup } = await engine();
  try {
    await s.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text)");
    const anon = await db.connect({ user: "anon", database: "postgres" });
    try {
      await anon.execute("INSERT INTO notes (body) VALUES ('hi')");
      assertEquals(await rows(anon, "SELECT id, body FROM notes"), [["1", "hi"]]);
    } finally {
      await anon.close();
    }
    assertEquals(
      await rows(s, "SELECT array_to_string(relacl, ',') FROM pg_class WHERE relname = 'notes'"),
      [[
        "postgres=arwdDxt/postgres,anon=arwdDxt/postgres,authenticated=arwdDxt/postgres,service_role=arwdDxt/postgres",
      ]],
    );
    // Tables outside public get nothing by default.
    await s.execute(
      "CREATE SCHEMA app; GRANT USAGE ON SCHEMA app TO anon; CREATE TABLE app.x (i int)",
    );
    const anon2 = await db.connect({ user: "anon", database: "postgres" });
    try {
      assertEquals(await errorCode(anon2, "SELECT * FROM app.x"), "42501");
    } finally {
      await anon2.close();
    }
  } finally {
    await cleanup();
  }
});

Deno.test("roles, memberships, grants and owners survive a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bkg-priv-" });
  try {
    let db = await Database.open(`${dir}/db`, { fsync: true });
    let s = await db.connect({ user: "postgres", database: "postgres" });
    await s.execute(`
      CREATE ROLE owner1 LOGIN; CREATE ROLE member1 LOGIN; GRANT owner1 TO member1;
      CREATE TABLE kept (id int); ALTER TABLE kept OWNER TO owner1;
      GRANT SELECT ON kept TO PUBLIC;
    `);
    await s.close();
    await db.close();
    db = await Database.open(`${dir}/db`, { fsync: true });
    s = await db.connect({ user: "member1", database: "postgres" });
    // member1 inherits owner1's privileges: it may alter the table.
    await s.execute("ALTER TABLE kept ADD COLUMN v text");
    assertEquals(
      await rows(
        s,
        "SELECT pg_get_userbyid(relowner), array_to_string(relacl, ',') FROM pg_class WHERE relname = 'kept'",
      ),
      [[
        "owner1",
        "owner1=arwdDxt/owner1,anon=arwdDxt/owner1,authenticated=arwdDxt/owner1,service_role=arwdDxt/owner1,=r/owner1",
      ]],
    );
    assertEquals(await errorCode(s, "DROP ROLE owner1"), "42501");
    await s.close();
    await db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("connect needs the CONNECT privilege on the database", async () => {
  const { db, s, cleanup } = await engine();
  try {
    await s.execute("CREATE ROLE visitor LOGIN; REVOKE CONNECT ON DATABASE postgres FROM PUBLIC");
    const refused = await db.connect({ user: "visitor", database: "postgres" }).then(
      () => "connected",
      (e: DbError) => `${e.code} ${e.severity} ${e.message}`,
    );
    assertEquals(refused, '42501 FATAL permission denied for database "postgres"');
    await s.execute("GRANT CONNECT ON DATABASE postgres TO visitor");
    const ok2 = await db.connect({ user: "visitor", database: "postgres" });
    assertEquals(await rows(ok2, "SELECT current_user"), [["visitor"]]);
    await ok2.close();
  } finally {
    await cleanup();
  }
});
