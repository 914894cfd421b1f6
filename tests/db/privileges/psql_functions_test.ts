/**
 * @module Function privileges through psql 15: after REVOKE/GRANT EXECUTE on Supabase's auth
 * functions and a built-in, `\df+` prints the same "Access privileges" (and every other column)
 * on `bkg serve` as on a real PostgreSQL 15 prepared the same way, and a role without EXECUTE
 * gets the same error over the wire.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { bkgBootstrapSql, startPostgres } from "../../helpers/pg.ts";
import { psqlCommand, startEngineServer } from "../../pgwire/engine_server.ts";

const scenario = [
  "CREATE ROLE fn_user LOGIN PASSWORD 'fn-pw'",
  "REVOKE EXECUTE ON FUNCTION auth.uid() FROM PUBLIC",
  "GRANT EXECUTE ON FUNCTION auth.uid() TO authenticated, fn_user WITH GRANT OPTION",
  "REVOKE ALL ON FUNCTION auth.jwt FROM PUBLIC",
  "REVOKE EXECUTE ON FUNCTION md5(text) FROM PUBLIC",
  "GRANT USAGE ON SCHEMA auth TO fn_user",
];

Deno.test("psql \\df+ shows function ACLs as PostgreSQL does and a call without EXECUTE is refused", async () => {
  const bkg = await startEngineServer();
  const pg = await startPostgres();
  try {
    const pgEnv = pg.libpqEnv;
    const setup = bkgBootstrapSql;
    for (const sql of [...setup, ...scenario]) {
      const r = await psqlCommand(pgEnv, sql);
      assertEquals(r.code, 0, `PostgreSQL: ${sql}\n${r.stderr}`);
    }
    for (const sql of scenario) {
      const r = await psqlCommand(bkg.libpqEnv, sql);
      assertEquals(r.code, 0, `BKG: ${sql}\n${r.stderr}`);
    }
    for (const meta of ["\\df+ auth.*", "\\df auth.*", "\\df md5"]) {
      const want = await psqlCommand(pgEnv, meta);
      const got = await psqlCommand(bkg.libpqEnv, meta);
      assertEquals(want.code, 0, want.stderr);
      assertEquals(got.stdout, want.stdout, `${meta}\nBKG stderr: ${got.stderr}`);
    }
    ok((await psqlCommand(pgEnv, "\\df+ auth.*")).stdout.includes("fn_user=X*/postgres"));
    for (const env of [pgEnv, bkg.libpqEnv]) {
      const user = { ...env, PGUSER: "fn_user", PGPASSWORD: "fn-pw" };
      const denied = await psqlCommand(user, "SELECT md5('x')");
      assertEquals(denied.code, 1);
      ok(denied.stderr.includes("permission denied for function md5"), denied.stderr);
      const allowed = await psqlCommand(user, "SELECT auth.uid() IS NULL AS anonymous");
      assertEquals(allowed.code, 0, allowed.stderr);
      const jwt = await psqlCommand(user, "SELECT auth.jwt()");
      ok(jwt.stderr.includes("permission denied for function jwt"), jwt.stderr);
    }
  } finally {
    await pg.stop();
    await bkg.stop();
  }
});
