/**
 * @module Role options the compat harness cannot show (it has one login): settings stored with
 * ALTER ROLE | DATABASE … SET applied at connect in PostgreSQL's order (database, role, role in
 * database; the client's settings win) and RESET returning to them, CONNECTION LIMIT and
 * ALLOW_CONNECTIONS refusing new sessions, VALID UNTIL stored as a timestamptz, and DROP OWNED
 * dropping what a role owns.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { DbError } from "../../../db/sqlstate.ts";
import { engine, rows } from "../engine/helpers.ts";

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    const s = await p as { close?(): Promise<void> };
    await s.close?.();
  } catch (e) {
    if (e instanceof DbError) return `${e.code} ${e.message}`;
    throw e;
  }
  throw new Error("expected the connection to be refused");
}

Deno.test("role and database settings apply at connect in postgres order, client settings win", async () => {
  const { db, s, cleanup } = await engine();
  try {
    await s.execute("CREATE ROLE app LOGIN");
    await s.execute("ALTER DATABASE postgres SET statement_timeout = '11s'");
    await s.execute("ALTER DATABASE postgres SET lock_timeout = '1s'");
    await s.execute("ALTER DATABASE postgres SET application_name = 'from_db'");
    await s.execute("ALTER ROLE app SET statement_timeout = '22s'");
    await s.execute("ALTER ROLE app SET search_path = 'a b', public");
    await s.execute("ALTER ROLE app IN DATABASE postgres SET statement_timeout = '33s'");
    await s.execute("ALTER ROLE ALL SET extra_float_digits = 2");
    await s.execute("ALTER ROLE app SET my.flag = 'on'");
    const c = await db.connect({
      user: "app",
      database: "postgres",
      settings: { application_name: "client" },
    });
    try {
      assertEquals(
        await rows(
          c,
          "SELECT current_setting('statement_timeout'), current_setting('lock_timeout'), current_setting('search_path'), current_setting('extra_float_digits'), current_setting('application_name'), current_setting('my.flag')",
        ),
        [["33s", "1s", '"a b", public', "2", "client", "on"]],
      );
      await c.execute("SET statement_timeout = '5s'");
      await c.execute("RESET statement_timeout");
      assertEquals(await rows(c, "SHOW statement_timeout"), [["33s"]]);
      await c.execute("SET lock_timeout = '5s'");
      await c.execute("RESET ALL");
      assertEquals(await rows(c, "SHOW lock_timeout"), [["1s"]]);
    } finally {
      await c.close();
    }
    // A superuser session started before the change keeps its settings; a new one gets them.
    assertEquals(await rows(s, "SHOW lock_timeout"), [["0"]]);
    const p = await db.connect({ user: "postgres", database: "postgres" });
    assertEquals(await rows(p, "SHOW statement_timeout"), [["11s"]]);
    await p.close();
    await s.execute("ALTER ROLE app RESET ALL");
    await s.execute("ALTER ROLE app IN DATABASE postgres RESET statement_timeout");
    const c2 = await db.connect({ user: "app", database: "postgres" });
    assertEquals(await rows(c2, "SHOW statement_timeout"), [["11s"]]);
    await c2.close();
    assertEquals(
      await rows(s, "SELECT setdatabase::int, setconfig::text FROM pg_db_role_setting ORDER BY 1"),
      [["0", "{extra_float_digits=2}"], [
        "5",
        "{statement_timeout=11s,lock_timeout=1s,application_name=from_db}",
      ]],
    );
  } finally {
    await cleanup();
  }
});

Deno.test("connection limit refuses a role's extra session with 53300, superusers are exempt", async () => {
  const { db, s, cleanup } = await engine();
  try {
    await s.execute("CREATE ROLE app LOGIN CONNECTION LIMIT 2");
    const a = await db.connect({ user: "app", database: "postgres" });
    const b = await db.connect({ user: "app", database: "postgres" });
    assertEquals(
      await refusal(db.connect({ user: "app", database: "postgres" })),
      '53300 too many connections for role "app"',
    );
    await b.close();
    const c = await db.connect({ user: "app", database: "postgres" });
    await s.execute("ALTER ROLE app CONNECTION LIMIT 0");
    assertEquals(
      await refusal(db.connect({ user: "app", database: "postgres" })),
      '53300 too many connections for role "app"',
    );
    await s.execute("ALTER ROLE app SUPERUSER");
    const d = await db.connect({ user: "app", database: "postgres" });
    await d.close();
    await s.execute("ALTER ROLE app NOSUPERUSER CONNECTION LIMIT -1");
    await s.execute("CREATE DATABASE other");
    await s.execute("ALTER DATABASE other CONNECTION LIMIT 1");
    const o = await db.connect({ user: "app", database: "other" });
    assertEquals(
      await refusal(db.connect({ user: "app", database: "other" })),
      '53300 too many connections for database "other"',
    );
    const op = await db.connect({ user: "postgres", database: "other" });
    await op.close();
    await o.close();
    await s.execute("ALTER DATABASE other ALLOW_CONNECTIONS false");
    assertEquals(
      await refusal(db.connect({ user: "postgres", database: "other" })),
      '55000 database "other" is not currently accepting connections',
    );
    await a.close();
    await c.close();
  } finally {
    await cleanup();
  }
});

Deno.test("valid until is stored as a timestamptz read in the session time zone", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("SET TimeZone = 'Europe/Paris'");
    await s.execute("CREATE ROLE app LOGIN PASSWORD 'pw' VALID UNTIL '2031-06-01 12:00'");
    await s.execute("SET TimeZone = 'UTC'");
    assertEquals(await rows(s, "SELECT rolvaliduntil::text FROM pg_roles WHERE rolname = 'app'"), [[
      "2031-06-01 10:00:00+00",
    ]]);
    await s.execute("ALTER ROLE app VALID UNTIL 'infinity'");
    assertEquals(await rows(s, "SELECT valuntil::text FROM pg_shadow WHERE usename = 'app'"), [[
      "infinity",
    ]]);
  } finally {
    await cleanup();
  }
});

Deno.test("drop owned drops a role's tables and views and revokes its grants", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE ROLE app");
    await s.execute("CREATE TABLE keep (a int)");
    await s.execute("GRANT SELECT ON keep TO app");
    await s.execute("CREATE SCHEMA sch AUTHORIZATION app");
    await s.execute("SET ROLE app");
    await s.execute("CREATE TABLE sch.t (a serial)");
    await s.execute("CREATE VIEW sch.v AS SELECT * FROM sch.t");
    await s.execute("RESET ROLE");
    await s.execute("DROP OWNED BY app");
    assertEquals(
      await rows(
        s,
        "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'sch'",
      ),
      [],
    );
    assertEquals(await rows(s, "SELECT count(*) FROM pg_namespace WHERE nspname = 'sch'"), [["0"]]);
    assertEquals(
      await rows(s, "SELECT relacl::text LIKE '%app=%' FROM pg_class WHERE relname = 'keep'"),
      [["false"]],
    );
    await s.execute("DROP ROLE app");
  } finally {
    await cleanup();
  }
});
