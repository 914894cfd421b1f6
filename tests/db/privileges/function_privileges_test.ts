/**
 * @module GRANT/REVOKE EXECUTE on functions in the engine: the ACL survives a restart (it is
 * kept by the function's identity, not its pg_proc OID), a role that logs in directly is refused
 * at call time (in a policy too, as the querying role), and a prepared statement re-checks
 * EXECUTE after SET ROLE and after a GRANT without being prepared again.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { Database } from "../../../db/mod.ts";
import { DbError } from "../../../db/sqlstate.ts";
import { engine, rows } from "../engine/helpers.ts";

async function failure(s: { execute(sql: string): Promise<unknown> }, sql: string) {
  try {
    await s.execute(sql);
  } catch (e) {
    if (e instanceof DbError) return `${e.code} ${e.message}`;
    throw e;
  }
  return "no error";
}

Deno.test("a function ACL survives a restart and refuses a login role in queries and policies", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bkg-fpriv-" });
  try {
    let db = await Database.open(`${dir}/db`, { fsync: true });
    let s = await db.connect({ user: "postgres", database: "postgres" });
    await s.execute(`
      CREATE ROLE reader LOGIN; CREATE ROLE writer LOGIN;
      REVOKE EXECUTE ON FUNCTION upper(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION upper(text) TO reader WITH GRANT OPTION;
      CREATE TABLE notes (body text);
      INSERT INTO notes VALUES ('a'), ('B');
      GRANT SELECT ON notes TO reader, writer;
      ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
      CREATE POLICY upper_only ON notes FOR SELECT USING (upper(body) = body);
    `);
    await s.close();
    await db.close();
    db = await Database.open(`${dir}/db`, { fsync: true });
    s = await db.connect({ user: "postgres", database: "postgres" });
    assertEquals(
      await rows(
        s,
        "SELECT array_to_string(proacl, ',') FROM pg_proc WHERE proname = 'upper' AND proacl IS NOT NULL",
      ),
      [["postgres=X/postgres,reader=X*/postgres"]],
    );
    const writer = await db.connect({ user: "writer", database: "postgres" });
    assertEquals(
      await failure(writer, "SELECT upper('x')"),
      "42501 permission denied for function upper",
    );
    // The policy's function runs with the querying role's rights.
    assertEquals(
      await failure(writer, "SELECT body FROM notes"),
      "42501 permission denied for function upper",
    );
    assertEquals(await rows(writer, "SELECT lower('X')"), [["x"]]);
    const reader = await db.connect({ user: "reader", database: "postgres" });
    assertEquals(await rows(reader, "SELECT body FROM notes"), [["B"]]);
    assertEquals(
      await rows(reader, "SELECT has_function_privilege('writer', 'upper(text)', 'execute')"),
      [["false"]],
    );
    // reader passes EXECUTE on (it holds the grant option); writer may call it now.
    await reader.execute("GRANT EXECUTE ON FUNCTION upper(text) TO writer");
    assertEquals(await rows(writer, "SELECT upper('x')"), [["X"]]);
    for (const x of [writer, reader, s]) await x.close();
    await db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a prepared statement re-checks EXECUTE after SET ROLE and after a GRANT", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute(`
      CREATE ROLE caller;
      REVOKE EXECUTE ON FUNCTION md5(text) FROM PUBLIC;
      PREPARE digest AS SELECT md5('abc');
    `);
    assertEquals(await rows(s, "EXECUTE digest"), [["900150983cd24fb0d6963f7d28e17f72"]]);
    await s.execute("SET ROLE caller");
    assertEquals(await failure(s, "EXECUTE digest"), "42501 permission denied for function md5");
    await s.execute("RESET ROLE; GRANT EXECUTE ON FUNCTION md5(text) TO caller; SET ROLE caller");
    assertEquals(await rows(s, "EXECUTE digest"), [["900150983cd24fb0d6963f7d28e17f72"]]);
    await s.execute(
      "RESET ROLE; REVOKE EXECUTE ON FUNCTION md5(text) FROM caller; SET ROLE caller",
    );
    assertEquals(await failure(s, "EXECUTE digest"), "42501 permission denied for function md5");
    await s.execute("RESET ROLE");
  } finally {
    await cleanup();
  }
});
