/**
 * @module Row-level security in the engine: policies as quals and WITH CHECKs, exemptions
 * (superuser, BYPASSRLS, owner unless FORCE), row_security, views as their owner, recursion,
 * re-planning of prepared statements, Supabase's auth helpers, catalogs and Session.rowPredicate.
 * Non-owner roles are reached by connecting as the bootstrap roles `authenticated` and `anon`
 * (tables are created by the superuser `postgres`, so those roles are not owners).
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import type { Session } from "../../../db/mod.ts";
import { engine, errorCode, rows } from "../engine/helpers.ts";
import { DbError } from "../../../db/sqlstate.ts";

const alice = "11111111-1111-1111-1111-111111111111";
const bob = "22222222-2222-2222-2222-222222222222";

async function message(s: Session, sql: string): Promise<string> {
  try {
    await s.execute(sql);
  } catch (e) {
    if (e instanceof DbError) return `${e.code} ${e.message}`;
    throw e;
  }
  throw new Error(`expected an error from: ${sql}`);
}

async function setup() {
  const e = await engine();
  await e.s.execute(`
    CREATE TABLE t (id int PRIMARY KEY, owner text, v int);
    INSERT INTO t VALUES (1, 'authenticated', 10), (2, 'anon', 20), (3, 'authenticated', 30);
    ALTER TABLE t ENABLE ROW LEVEL SECURITY;
  `);
  const a = await e.db.connect({ user: "authenticated", database: "postgres" });
  return { ...e, a };
}

Deno.test("rls denies every row by default and shows rows permissive policies allow", async () => {
  const { s, a, cleanup } = await setup();
  try {
    assertEquals(await rows(a, "SELECT id FROM t ORDER BY id"), []);
    await s.execute("CREATE POLICY mine ON t USING (owner = current_user)");
    assertEquals(await rows(a, "SELECT id FROM t ORDER BY id"), [["1"], ["3"]]);
    await s.execute("CREATE POLICY twenty ON t FOR SELECT USING (v = 20)");
    assertEquals(await rows(a, "SELECT id FROM t ORDER BY id"), [["1"], ["2"], ["3"]]);
    await s.execute("CREATE POLICY small ON t AS RESTRICTIVE FOR SELECT USING (v < 25)");
    assertEquals(await rows(a, "SELECT id FROM t ORDER BY id"), [["1"], ["2"]]);
    // Policies apply in subqueries, joins and CTEs too.
    assertEquals(
      await rows(a, "WITH c AS (SELECT id FROM t) SELECT count(*) FROM c JOIN t USING (id)"),
      [["2"]],
    );
    assertEquals(await rows(a, "SELECT (SELECT count(*) FROM t)"), [["2"]]);
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("rls with only restrictive policies shows nothing", async () => {
  const { s, a, cleanup } = await setup();
  try {
    await s.execute("CREATE POLICY r ON t AS RESTRICTIVE USING (true)");
    assertEquals(await rows(a, "SELECT id FROM t"), []);
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("rls exempts superusers, BYPASSRLS roles and owners unless FORCE", async () => {
  const { db, s, a, cleanup } = await setup();
  const sr = await db.connect({ user: "service_role", database: "postgres" });
  try {
    assertEquals((await rows(s, "SELECT id FROM t")).length, 3);
    assertEquals((await rows(sr, "SELECT id FROM t")).length, 3);
    await s.execute("ALTER TABLE t FORCE ROW LEVEL SECURITY");
    assertEquals((await rows(s, "SELECT id FROM t")).length, 3);
    assertEquals(await rows(a, "SELECT id FROM t"), []);
    await s.execute("ALTER TABLE t DISABLE ROW LEVEL SECURITY");
    assertEquals((await rows(a, "SELECT id FROM t")).length, 3);
  } finally {
    await sr.close();
    await a.close();
    await cleanup();
  }
});

Deno.test("rls with row_security off fails queries policies would filter", async () => {
  const { s, a, cleanup } = await setup();
  try {
    await s.execute("CREATE POLICY p ON t USING (true)");
    await a.execute("SET row_security = off");
    assertEquals(
      await message(a, "SELECT * FROM t"),
      '42501 query would be affected by row-level security policy for table "t"',
    );
    await s.execute("SET row_security = off");
    assertEquals((await rows(s, "SELECT id FROM t")).length, 3);
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("rls checks new rows with WITH CHECK and names failing restrictive policies", async () => {
  const { s, a, cleanup } = await setup();
  try {
    await s.execute(`
      CREATE POLICY mine ON t USING (owner = current_user);
      CREATE POLICY cap ON t AS RESTRICTIVE FOR UPDATE USING (true) WITH CHECK (v < 100);
    `);
    assertEquals(
      await message(a, "INSERT INTO t VALUES (4, 'anon', 1)"),
      '42501 new row violates row-level security policy for table "t"',
    );
    await a.execute("INSERT INTO t VALUES (4, 'authenticated', 1)");
    assertEquals(
      await message(a, "UPDATE t SET v = 1000 WHERE id = 1"),
      '42501 new row violates row-level security policy "cap" for table "t"',
    );
    // USING doubles as the check of an UPDATE: rows cannot be given away.
    assertEquals(
      await message(a, "UPDATE t SET owner = 'anon' WHERE id = 1"),
      '42501 new row violates row-level security policy for table "t"',
    );
    // UPDATE and DELETE only reach visible rows.
    assertEquals((await a.execute("UPDATE t SET v = 5"))[0]!.command, "UPDATE 3");
    assertEquals((await a.execute("DELETE FROM t WHERE id = 2"))[0]!.command, "DELETE 0");
    assertEquals(await rows(s, "SELECT id, v FROM t ORDER BY id"), [
      ["1", "5"],
      ["2", "20"],
      ["3", "5"],
      ["4", "5"],
    ]);
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("rls adds SELECT policies when UPDATE reads the table or RETURNING is used", async () => {
  const { s, a, cleanup } = await setup();
  try {
    await s.execute(`
      CREATE POLICY sel ON t FOR SELECT USING (id = 1);
      CREATE POLICY upd ON t FOR UPDATE USING (true);
      CREATE POLICY ins ON t FOR INSERT WITH CHECK (true);
    `);
    // No column read: UPDATE policies alone decide.
    assertEquals((await a.execute("UPDATE t SET v = 7"))[0]!.command, "UPDATE 3");
    // WHERE reads columns: SELECT policies filter too.
    assertEquals((await a.execute("UPDATE t SET v = 8 WHERE v > 0"))[0]!.command, "UPDATE 1");
    assertEquals(
      await message(a, "INSERT INTO t VALUES (9, 'x', 1) RETURNING id"),
      '42501 new row violates row-level security policy for table "t"',
    );
    await a.execute("INSERT INTO t VALUES (9, 'x', 1)");
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("rls checks the existing row of INSERT ON CONFLICT DO UPDATE with UPDATE USING", async () => {
  const { s, a, cleanup } = await setup();
  try {
    await s.execute("CREATE POLICY mine ON t USING (owner = current_user)");
    await a.execute(
      "INSERT INTO t VALUES (1, 'authenticated', 0) ON CONFLICT (id) DO UPDATE SET v = 11",
    );
    assertEquals(await rows(s, "SELECT v FROM t WHERE id = 1"), [["11"]]);
    assertEquals(
      await message(
        a,
        "INSERT INTO t VALUES (2, 'authenticated', 0) ON CONFLICT (id) DO UPDATE SET v = 12",
      ),
      '42501 new row violates row-level security policy (USING expression) for table "t"',
    );
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("rls refuses COPY FROM and filters COPY TO", async () => {
  const { s, a, cleanup } = await setup();
  try {
    await s.execute("CREATE POLICY mine ON t USING (owner = current_user)");
    const err = await a.copyIn("COPY t FROM STDIN", ["5\tauthenticated\t1\n"]).then(
      () => "",
      (e) => e.code,
    );
    assertEquals(err, "0A000");
    const out = await a.copyOut("COPY t TO STDOUT");
    assertEquals(out.data, ["1\tauthenticated\t10\n", "3\tauthenticated\t30\n"]);
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("rls applies a view's owner's policies unless security_invoker", async () => {
  const { s, a, cleanup } = await setup();
  try {
    await s.execute(`
      CREATE POLICY mine ON t USING (owner = current_user);
      CREATE VIEW definer_v AS SELECT id FROM t;
      CREATE VIEW invoker_v WITH (security_invoker = true) AS SELECT id FROM t;
    `);
    // The owner (postgres, a superuser) is exempt, so the definer view shows every row.
    assertEquals((await rows(a, "SELECT id FROM definer_v")).length, 3);
    assertEquals(await rows(a, "SELECT id FROM invoker_v ORDER BY id"), [["1"], ["3"]]);
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("rls runs sublinks in policies and detects recursion", async () => {
  const { s, a, cleanup } = await setup();
  try {
    await s.execute(`
      CREATE TABLE m (tid int, who text);
      INSERT INTO m VALUES (2, 'authenticated');
      CREATE POLICY member ON t USING (id IN (SELECT tid FROM m WHERE who = current_user));
    `);
    assertEquals(await rows(a, "SELECT id FROM t"), [["2"]]);
    await s.execute(`
      ALTER TABLE m ENABLE ROW LEVEL SECURITY;
      CREATE POLICY back ON m USING (tid IN (SELECT id FROM t));
    `);
    assertEquals(
      await message(a, "SELECT id FROM t"),
      '42P17 infinite recursion detected in policy for relation "t"',
    );
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("rls re-plans prepared statements when policies change and reads claims at run time", async () => {
  const { db, s, cleanup } = await setup();
  // A session without a token sets its claims in SQL, as PostgREST does on PostgreSQL.
  const a = await db.connect({ user: "authenticated", database: "postgres" });
  try {
    await a.execute(`SELECT set_config('request.jwt.claims', '{"sub":"${alice}"}', false)`);
    await s.execute(`
      CREATE TABLE notes (id int PRIMARY KEY, user_id uuid);
      INSERT INTO notes VALUES (1, '${alice}'), (2, '${bob}');
      ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
      CREATE POLICY own ON notes TO authenticated USING (auth.uid() = user_id);
    `);
    a.prepare("q", "SELECT id FROM notes ORDER BY id", []);
    assertEquals((await a.executePrepared("q", [])).rows, [[1]]);
    await a.execute(`SELECT set_config('request.jwt.claims', '{"sub":"${bob}"}', false)`);
    assertEquals((await a.executePrepared("q", [])).rows, [[2]]);
    await s.execute("CREATE POLICY all_rows ON notes FOR SELECT USING (true)");
    assertEquals((await a.executePrepared("q", [])).rows, [[1], [2]]);
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("auth helpers read request.jwt.claims and the older claim settings", async () => {
  const { s, a, cleanup } = await setup();
  try {
    assertEquals(await rows(s, "SELECT auth.uid(), auth.role(), auth.jwt()"), [[null, null, null]]);
    await s.execute(
      `SELECT set_config('request.jwt.claims', '{"sub":"${alice}","role":"authenticated"}', false)`,
    );
    assertEquals(await rows(s, "SELECT auth.uid()::text, auth.role(), auth.jwt() ->> 'sub'"), [
      [alice, "authenticated", alice],
    ]);
    await s.execute(`SET request.jwt.claim.sub = '${bob}'`);
    assertEquals(await rows(s, "SELECT auth.uid()::text"), [[bob]]);
    assertEquals(
      await rows(
        s,
        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'auth' ORDER BY 1",
      ),
      [["jwt"], ["role"], ["uid"]],
    );
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("policy DDL keeps PostgreSQL's errors and catalogs", async () => {
  const { s, a, cleanup } = await setup();
  try {
    await s.execute(
      "CREATE POLICY p ON t AS RESTRICTIVE FOR UPDATE TO authenticated USING (v > 0)",
    );
    assertEquals(await errorCode(s, "CREATE POLICY p ON t USING (true)"), "42710");
    assertEquals(await errorCode(s, "CREATE POLICY q ON t FOR INSERT USING (true)"), "42601");
    assertEquals(await errorCode(s, "CREATE POLICY q ON t FOR SELECT WITH CHECK (true)"), "42601");
    assertEquals(await errorCode(s, "CREATE POLICY q ON t USING (1)"), "42804");
    assertEquals(await errorCode(s, "CREATE POLICY q ON t TO nobody USING (true)"), "42704");
    assertEquals(await errorCode(s, "DROP POLICY nope ON t"), "42704");
    assertEquals(await errorCode(a, "CREATE POLICY q ON t USING (true)"), "42501");
    await s.execute("DROP POLICY IF EXISTS nope ON t");
    await s.execute("ALTER POLICY p ON t RENAME TO p2");
    await s.execute("ALTER POLICY p2 ON t TO PUBLIC WITH CHECK (v < 10)");
    assertEquals(
      await rows(
        s,
        "SELECT policyname, permissive, roles::text, cmd, qual, with_check FROM pg_policies",
      ),
      [["p2", "RESTRICTIVE", "{public}", "UPDATE", "(v > 0)", "(v < 10)"]],
    );
    assertEquals(
      await rows(s, "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 't'"),
      [[
        "true",
        "false",
      ]],
    );
    await s.execute("DROP TABLE t");
    assertEquals(await rows(s, "SELECT count(*) FROM pg_policy"), [["0"]]);
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("a session opened from a JWT cannot change its claims in SQL", async () => {
  const { db, s, cleanup } = await setup();
  const a = await db.connect({
    user: "authenticated",
    database: "postgres",
    claims: { sub: alice, role: "authenticated" },
    settings: { "request.jwt.claim.sub": bob },
  });
  try {
    await s.execute(`
      CREATE TABLE notes (id int PRIMARY KEY, user_id uuid);
      INSERT INTO notes VALUES (1, '${alice}'), (2, '${bob}');
      ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
      CREATE POLICY own ON notes TO authenticated USING (auth.uid() = user_id);
    `);
    // A startup option does not add a claim of its own: auth.uid() is the token's sub.
    assertEquals(await rows(a, "SELECT id FROM notes"), [["1"]]);
    const denied = '42501 permission denied to set parameter "request.jwt.claims"';
    assertEquals(
      await message(a, `SELECT set_config('request.jwt.claims', '{"sub":"${bob}"}', false)`),
      denied,
    );
    assertEquals(await message(a, `SET request.jwt.claims = '{"sub":"${bob}"}'`), denied);
    assertEquals(
      await message(a, `SET LOCAL "request.jwt.claim.sub" = '${bob}'`),
      '42501 permission denied to set parameter "request.jwt.claim.sub"',
    );
    assertEquals(await message(a, "RESET request.jwt.claims"), denied);
    await a.execute("RESET ALL");
    assertEquals(await rows(a, "SELECT id FROM notes"), [["1"]]);
    // A session without a token (the superuser here) sets claims freely, as on PostgreSQL.
    await s.execute(`SELECT set_config('request.jwt.claims', '{"sub":"${bob}"}', false)`);
    assertEquals(await rows(s, "SELECT auth.uid()::text"), [[bob]]);
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("rowPredicate tells which rows the session's role and claims may see", async () => {
  const { db, s, cleanup } = await setup();
  const a = await db.connect({
    user: "authenticated",
    database: "postgres",
    claims: { sub: alice },
  });
  try {
    await s.execute("CREATE TABLE notes (id int PRIMARY KEY, user_id uuid)");
    await s.execute("GRANT SELECT ON notes TO authenticated");
    const oid = Number((await rows(s, "SELECT 'notes'::regclass::oid"))[0]![0]);
    // RLS disabled: every row is visible.
    ok(a.rowPredicate(oid)([1, bob]));
    await s.execute(`
      ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
      CREATE POLICY own ON notes FOR SELECT USING (auth.uid() = user_id);
    `);
    const visible = a.rowPredicate(oid);
    ok(visible([1, alice]));
    ok(!visible([2, bob]));
    // The superuser is exempt.
    ok(s.rowPredicate(oid)([2, bob]));
  } finally {
    await a.close();
    await cleanup();
  }
});

Deno.test("rls adds UPDATE policies to SELECT FOR UPDATE and checks view targets as the owner", async () => {
  const { s, a, cleanup } = await setup();
  try {
    await s.execute(`
      CREATE POLICY sel ON t FOR SELECT USING (true);
      CREATE POLICY upd ON t FOR UPDATE USING (v < 25);
      CREATE VIEW tv AS SELECT id, v FROM t;
    `);
    assertEquals(await rows(a, "SELECT id FROM t ORDER BY id"), [["1"], ["2"], ["3"]]);
    assertEquals(await rows(a, "SELECT id FROM t ORDER BY id FOR UPDATE"), [["1"], ["2"]]);
    assertEquals(
      await rows(
        a,
        "SELECT row_security_active('t'), row_security_active('t'::regclass::oid)",
      ),
      [["true", "true"]],
    );
    assertEquals(await rows(s, "SELECT row_security_active('t')"), [["false"]]);
    // The view's owner (the superuser) is exempt: every row is updated through it.
    assertEquals((await a.execute("UPDATE tv SET v = v + 1"))[0]!.command, "UPDATE 3");
    assertEquals((await a.execute("UPDATE t SET v = v + 1"))[0]!.command, "UPDATE 2");
  } finally {
    await a.close();
    await cleanup();
  }
});
