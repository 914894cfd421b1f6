/**
 * @module Role options through psql 15 against `bkg serve` and a real PostgreSQL 15 prepared the
 * same way: a password past VALID UNTIL is refused (28P01; BKG only, the oracle trusts logins), CONNECTION LIMIT 0 refuses the login
 * (53300), ALTER ROLE … SET and ALTER DATABASE … SET apply at login, and \du and \drds print
 * the same text on both.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { startPostgres } from "../../helpers/pg.ts";
import { psqlCommand, startEngineServer } from "../../pgwire/engine_server.ts";

const scenario = [
  "CREATE ROLE ro_old LOGIN PASSWORD 'old-pw' VALID UNTIL '2001-01-01 00:00:00+00'",
  "CREATE ROLE ro_new LOGIN PASSWORD 'new-pw' VALID UNTIL '2999-01-01 00:00:00+00'",
  "CREATE ROLE ro_full LOGIN PASSWORD 'full-pw' CONNECTION LIMIT 0",
  "CREATE ROLE ro_cfg LOGIN PASSWORD 'cfg-pw' CONNECTION LIMIT 5",
  "ALTER ROLE ro_cfg SET statement_timeout = '42s'",
  "ALTER ROLE ro_cfg IN DATABASE postgres SET lock_timeout = '7s'",
  "ALTER DATABASE postgres SET lock_timeout = '3s'",
  "ALTER DATABASE postgres SET idle_in_transaction_session_timeout = '9s'",
];

Deno.test("psql sees valid until, connection limit and role settings as PostgreSQL does", async () => {
  const bkg = await startEngineServer();
  const pg = await startPostgres();
  try {
    const pgEnv = pg.libpqEnv;
    for (const sql of scenario) {
      const a = await psqlCommand(pgEnv, sql);
      assertEquals(a.code, 0, `PostgreSQL: ${sql}\n${a.stderr}`);
      const b = await psqlCommand(bkg.libpqEnv, sql);
      assertEquals(b.code, 0, `BKG: ${sql}\n${b.stderr}`);
    }
    const as = (env: Record<string, string>, user: string, pw: string, sql: string) =>
      psqlCommand({ ...env, PGUSER: user, PGPASSWORD: pw }, sql);
    for (const [name, env] of [["PostgreSQL", pgEnv], ["BKG", bkg.libpqEnv]] as const) {
      if (name === "BKG") {
        // The oracle runs with trust authentication, so only BKG checks passwords here;
        // PostgreSQL's get_role_password refuses a password past rolvaliduntil the same way.
        const old = await as(env, "ro_old", "old-pw", "SELECT 1");
        assertEquals(old.code, 2, `${name}: ${old.stdout}`);
        ok(old.stderr.includes('password authentication failed for user "ro_old"'), old.stderr);
        const bad = await as(env, "ro_new", "wrong", "SELECT 1");
        assertEquals(bad.code, 2, `${name}: ${bad.stdout}`);
      }
      const fresh = await as(env, "ro_new", "new-pw", "SELECT current_user");
      assertEquals(fresh.code, 0, `${name}: ${fresh.stderr}`);
      const full = await as(env, "ro_full", "full-pw", "SELECT 1");
      assertEquals(full.code, 2, `${name}: ${full.stdout}`);
      ok(full.stderr.includes('too many connections for role "ro_full"'), full.stderr);
      const cfg = await as(
        env,
        "ro_cfg",
        "cfg-pw",
        "SELECT current_setting('statement_timeout'), current_setting('lock_timeout'), current_setting('idle_in_transaction_session_timeout')",
      );
      assertEquals(cfg.code, 0, `${name}: ${cfg.stderr}`);
      ok(cfg.stdout.includes(" 42s             | 7s              | 9s"), `${name}: ${cfg.stdout}`);
    }
    for (const meta of ["\\du ro_*", "\\drds"]) {
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
