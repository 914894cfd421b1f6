/**
 * @module Roles and privileges through real clients: psql 15 against `bkg serve` and against a
 * real PostgreSQL 15 prepared the same way (the bootstrap roles and SUPABASE_BOOTSTRAP_SQL) —
 * a role created with a password logs in over SCRAM-SHA-256 and a wrong password is refused, and
 * psql's \du, \dp and \dn+ print the same text on both.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { bkgBootstrapSql, startPostgres } from "../../helpers/pg.ts";
import { psqlCommand, startEngineServer } from "../../pgwire/engine_server.ts";

const scenario = [
  "CREATE ROLE app_user LOGIN PASSWORD 'app-pw'",
  "CREATE ROLE app_group NOINHERIT",
  "GRANT app_group TO app_user WITH ADMIN OPTION",
  "CREATE SCHEMA app",
  "GRANT USAGE ON SCHEMA app TO app_user",
  "CREATE TABLE items (id serial PRIMARY KEY, name text, secret text)",
  "GRANT SELECT (id, name), UPDATE (name) ON items TO app_user",
  "REVOKE ALL ON items FROM anon",
  "GRANT SELECT ON items TO PUBLIC",
  "CREATE VIEW items_v AS SELECT id, name FROM items",
  "GRANT SELECT ON items_v TO app_group WITH GRANT OPTION",
  "CREATE TABLE app.logs (at timestamptz)",
  "ALTER TABLE app.logs OWNER TO app_user",
];

Deno.test("psql logs in as a created role with its password and prints \\du, \\dp and \\dn+ as PostgreSQL does", async () => {
  const bkg = await startEngineServer();
  const pg = await startPostgres();
  try {
    const pgEnv = pg.libpqEnv;
    for (
      const sql of [...bkgBootstrapSql, ...scenario]
    ) {
      const r = await psqlCommand(pgEnv, sql);
      assertEquals(r.code, 0, `PostgreSQL: ${sql}\n${r.stderr}`);
    }
    for (const sql of scenario) {
      const r = await psqlCommand(bkg.libpqEnv, sql);
      assertEquals(r.code, 0, `BKG: ${sql}\n${r.stderr}`);
    }

    const login = await psqlCommand(
      { ...bkg.libpqEnv, PGUSER: "app_user", PGPASSWORD: "app-pw" },
      "SELECT current_user, session_user",
    );
    assertEquals(login.code, 0, login.stderr);
    ok(login.stdout.includes("app_user     | app_user"), login.stdout);
    const wrong = await psqlCommand(
      { ...bkg.libpqEnv, PGUSER: "app_user", PGPASSWORD: "nope" },
      "SELECT 1",
    );
    assertEquals(wrong.code, 2);
    ok(wrong.stderr.includes('password authentication failed for user "app_user"'), wrong.stderr);
    const denied = await psqlCommand(
      { ...bkg.libpqEnv, PGUSER: "app_user", PGPASSWORD: "app-pw" },
      "UPDATE items SET secret = 'x'",
    );
    ok(denied.stderr.includes("permission denied for table items"), denied.stderr);
    // psql's own catalog queries work for a role that is not a superuser.
    const du = await psqlCommand(
      { ...bkg.libpqEnv, PGUSER: "app_user", PGPASSWORD: "app-pw" },
      "\\dp items",
    );
    assertEquals(du.code, 0, du.stderr);
    ok(du.stdout.includes("app_user=r/postgres"), du.stdout);

    for (const meta of ["\\du", "\\dp", "\\dn+ app", "\\dn+ public", "\\dp app.*"]) {
      const want = await psqlCommand(pgEnv, meta);
      const got = await psqlCommand(bkg.libpqEnv, meta);
      assertEquals(want.code, 0, want.stderr);
      assertEquals(got.stdout, want.stdout, `${meta}\nBKG stderr: ${got.stderr}`);
    }
  } finally {
    await pg.stop();
    await bkg.stop();
  }
});
