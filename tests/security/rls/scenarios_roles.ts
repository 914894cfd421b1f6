/**
 * @module Scenarios of who is subject to RLS: table owners and FORCE, BYPASSRLS roles and the
 * superuser, `row_security = off`, GRANT/REVOKE (42501 comes before any policy), and the role
 * machinery RLS leans on (current_user after SET ROLE, row_security_active, pg_policies).
 */
import { alice, bob, bypass, carol, dave, docs, group, owner, pol, step } from "./fixtures.ts";
import { as, superuser } from "./prelude.ts";
import type { Scenario } from "./scenario.ts";

function owners(): Scenario[] {
  const g = group("owners and FORCE");
  const mine = pol("p", "USING (owner = current_user)");
  g.add("a non-superuser owner is exempt", [...docs({ owner: "r_owner" }), mine], [
    step("SELECT id FROM docs", 5, owner),
    step("SELECT id FROM docs", 2, alice),
  ]);
  g.add("FORCE subjects the owner to the policies", [
    ...docs({ owner: "r_owner", force: true }),
    mine,
  ], [step("SELECT id FROM docs", 0, owner), step("SELECT id FROM docs", 2, alice)]);
  g.add("FORCE with no policy denies the owner", docs({ owner: "r_owner", force: true }), [
    step("SELECT id FROM docs", 0),
    step("INSERT INTO docs VALUES (6, 'r_owner', 1, 'x', false)", "42501"),
  ], owner);
  g.add("FORCE does not bind the superuser", docs({ force: true }), [
    step("SELECT id FROM docs", 5, superuser),
  ]);
  g.add(
    "NO FORCE gives the owner its exemption back",
    [
      ...docs({ owner: "r_owner", force: true }),
      "ALTER TABLE docs NO FORCE ROW LEVEL SECURITY",
    ],
    [step("SELECT id FROM docs", 5)],
    owner,
  );
  g.add("members of the owning role count as owner", [
    ...docs({ owner: "r_group" }),
    pol("p", "USING (false)"),
  ], [step("SELECT id FROM docs", 5, carol), step("SELECT id FROM docs", 0, alice)]);
  g.add("only the owner may disable RLS", docs({ owner: "r_owner" }), [
    step("ALTER TABLE docs DISABLE ROW LEVEL SECURITY", "42501", alice),
    step("ALTER TABLE docs DISABLE ROW LEVEL SECURITY", undefined, owner),
    step("SELECT id FROM docs", 5, alice),
  ]);
  g.add("a non-owner may not create a policy", docs({ owner: "r_owner" }), [
    step("CREATE POLICY x ON docs USING (true)", "42501"),
  ], alice);
  g.add("the owner may create a policy", docs({ owner: "r_owner" }), [
    step("CREATE POLICY x ON docs TO r_alice USING (tenant = 2)", undefined, owner),
    step("SELECT id FROM docs ORDER BY id", 2, alice),
  ]);
  g.add("the owner's writes under FORCE must pass WITH CHECK", [
    ...docs({ owner: "r_owner", force: true }),
    pol("p", "TO r_owner USING (true) WITH CHECK (tenant = 1)"),
  ], [
    step("INSERT INTO docs VALUES (6, 'r_owner', 2, 'x', false)", "42501"),
    step("INSERT INTO docs VALUES (7, 'r_owner', 1, 'x', false)", 1),
  ], owner);
  g.add(
    "the owner under FORCE updates only visible rows",
    [
      ...docs({ owner: "r_owner", force: true }),
      pol("p", "TO r_owner USING (published)"),
    ],
    [step("UPDATE docs SET body = 'x'", 2), step("DELETE FROM docs WHERE id = 2", 0)],
    owner,
  );
  return g.list;
}

function bypassing(): Scenario[] {
  const g = group("BYPASSRLS and superuser");
  g.add("a BYPASSRLS role sees every row", [...docs(), pol("p", "USING (false)")], [
    step("SELECT id FROM docs", 5, bypass),
    step("SELECT id FROM docs", 0, alice),
  ]);
  g.add("a BYPASSRLS role writes past WITH CHECK", [
    ...docs(),
    pol("p", "USING (false) WITH CHECK (false)"),
  ], [
    step("INSERT INTO docs VALUES (6, 'r_bypass', 1, 'x', false)", 1),
    step("UPDATE docs SET body = 'x'", 6),
  ], bypass);
  g.add("BYPASSRLS does not bypass privileges", docs({ grant: null }), [
    step("SELECT id FROM docs", "42501"),
  ], bypass);
  g.add("BYPASSRLS is not inherited by members", [...docs(), pol("p", "USING (false)")], [
    step("SELECT id FROM docs", 0),
  ], dave);
  g.add("BYPASSRLS overrides FORCE", [...docs({ force: true }), pol("p", "USING (false)")], [
    step("SELECT id FROM docs", 5),
  ], bypass);
  g.add("the superuser writes past WITH CHECK", [
    ...docs(),
    pol("p", "WITH CHECK (false)"),
  ], [
    step("INSERT INTO docs VALUES (6, 'r_alice', 1, 'x', false)", 1),
    step("INSERT INTO docs VALUES (7, 'r_alice', 1, 'x', false)", "42501", alice),
  ]);
  g.add("RESET ROLE in the transaction returns to the superuser's view", [
    ...docs(),
    pol("p", "USING (owner = current_user)"),
  ], [
    step("SELECT id FROM docs", 2, alice),
    step("SELECT id FROM docs", 5, superuser),
    step("SELECT id FROM docs", 2, bob),
  ]);
  g.add("SET ROLE to a BYPASSRLS role from a member lifts RLS", [
    ...docs(),
    pol("p", "USING (false)"),
  ], [
    step("SELECT id FROM docs", 0),
    step("SET LOCAL ROLE r_bypass"),
    step("SELECT id FROM docs", 5),
  ], dave);
  return g.list;
}

function rowSecurityOff(): Scenario[] {
  const g = group("row_security = off");
  const off = step("SET LOCAL row_security = off");
  g.add(
    "a role subject to RLS gets 42501 instead of filtered rows",
    [
      ...docs(),
      pol("p", "USING (true)"),
    ],
    [off, step("SELECT id FROM docs", "42501")],
    alice,
  );
  g.add("a table without RLS reads normally", docs({ rls: false }), [
    off,
    step("SELECT id FROM docs", 5),
  ], alice);
  g.add("the owner without FORCE reads normally", docs({ owner: "r_owner" }), [
    off,
    step("SELECT id FROM docs", 5),
  ], owner);
  g.add("the owner under FORCE gets 42501", docs({ owner: "r_owner", force: true }), [
    off,
    step("SELECT id FROM docs", "42501"),
  ], owner);
  g.add("a BYPASSRLS role reads normally", docs(), [off, step("SELECT id FROM docs", 5)], bypass);
  g.add("writes of a role subject to RLS get 42501", [...docs(), pol("p", "USING (true)")], [
    off,
    step("UPDATE docs SET body = 'x' WHERE id = 1", "42501"),
    step("DELETE FROM docs", "42501"),
    step("SHOW row_security", 1),
  ], alice);
  return g.list;
}

function grants(): Scenario[] {
  const g = group("GRANT and REVOKE");
  const all = pol("p", "USING (true)");
  g.add("no grant is 42501 even when a policy would allow", [...docs({ grant: null }), all], [
    step("SELECT id FROM docs", "42501"),
    step("DELETE FROM docs", "42501"),
  ], alice);
  g.add("a SELECT-only grant makes INSERT permission denied, not an RLS error", [
    ...docs({ grant: "SELECT" }),
    all,
  ], [
    step("INSERT INTO docs VALUES (6, 'r_alice', 1, 'x', false)", "42501"),
    step("SELECT id FROM docs", 5),
  ], alice);
  g.add(
    "a column grant opens only its columns",
    [
      ...docs({ grant: null }),
      "GRANT SELECT (id, owner) ON docs TO r_alice",
      pol("p", "USING (owner = current_user)"),
    ],
    [step("SELECT id, owner FROM docs", 2), step("SELECT * FROM docs", "42501")],
    alice,
  );
  g.add(
    "REVOKE from PUBLIC takes the access away",
    [
      ...docs(),
      all,
      "REVOKE SELECT ON docs FROM PUBLIC",
    ],
    [step("SELECT id FROM docs", "42501")],
    alice,
  );
  g.add("a grant to a group reaches its members", [
    ...docs({ grant: null }),
    "GRANT SELECT ON docs TO r_group",
    all,
  ], [step("SELECT id FROM docs", 5, carol), step("SELECT id FROM docs", "42501", alice)]);
  g.add("UPDATE with a WHERE clause needs SELECT privilege", [...docs({ grant: "UPDATE" }), all], [
    step("UPDATE docs SET body = 'x' WHERE id = 1", "42501"),
    step("UPDATE docs SET body = 'x'", 5),
  ], alice);
  g.add(
    "a DELETE-only grant deletes without WHERE",
    [
      ...docs({ grant: "DELETE" }),
      pol("d", "FOR DELETE USING (owner = current_user)"),
    ],
    [step("DELETE FROM docs", 2), step("DELETE FROM docs WHERE id = 1", "42501")],
    alice,
  );
  g.add("INSERT RETURNING needs SELECT privilege", [...docs({ grant: "INSERT" }), all], [
    step("INSERT INTO docs VALUES (6, 'r_alice', 1, 'x', false) RETURNING id", "42501"),
    step("INSERT INTO docs VALUES (7, 'r_alice', 1, 'x', false)", 1),
  ], alice);
  g.add(
    "no USAGE on the schema is 42501",
    [
      ...docs(),
      all,
      "REVOKE USAGE ON SCHEMA {schema} FROM PUBLIC",
    ],
    [step("SELECT id FROM {schema}.docs", "42501"), step("SELECT id FROM docs", "42P01")],
    alice,
  );
  g.add("a serial column needs USAGE on its sequence", [
    "CREATE TABLE notes (id serial PRIMARY KEY, body text)",
    "GRANT SELECT, INSERT ON notes TO PUBLIC",
    "ALTER TABLE notes ENABLE ROW LEVEL SECURITY",
    pol("p", "USING (true)", "notes"),
  ], [
    step("INSERT INTO notes (body) VALUES ('x')", "42501", alice),
    step("GRANT USAGE ON SEQUENCE notes_id_seq TO r_bob", undefined, superuser),
    step("INSERT INTO notes (body) VALUES ('y')", 1, bob),
    step("SELECT body FROM notes", 1, bob),
  ]);
  g.add(
    "REVOKE UPDATE after GRANT ALL",
    [
      ...docs({ grant: "ALL" }),
      "REVOKE UPDATE ON docs FROM PUBLIC",
      pol("p", "USING (owner = current_user)"),
    ],
    [step("UPDATE docs SET body = 'x'", "42501"), step("SELECT id FROM docs", 2)],
    alice,
  );
  g.add(
    "an UPDATE without the privilege is 42501 even if no row matches",
    [
      ...docs({ grant: "SELECT" }),
      all,
    ],
    [step("UPDATE docs SET body = 'x' WHERE id = 999", "42501")],
    alice,
  );
  g.add("default privileges grant on tables created later", [
    "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO r_alice",
    ...docs({ grant: null }),
    pol("p", "USING (owner = current_user)"),
  ], [step("SELECT id FROM docs", 2, alice), step("SELECT id FROM docs", "42501", bob)]);
  g.add("a grant option lets the grantee grant on", [
    ...docs({ grant: null }),
    "GRANT SELECT ON docs TO r_alice WITH GRANT OPTION",
    pol("p", "USING (owner = current_user)"),
  ], [
    step("GRANT SELECT ON docs TO r_bob", undefined, alice),
    step("SELECT id FROM docs", 2, bob),
    step("GRANT SELECT ON docs TO r_carol", undefined, bob),
    step("SELECT id FROM docs", "42501", carol),
  ]);
  g.add("GRANT … ON ALL TABLES IN SCHEMA", [
    ...docs({ grant: null }),
    "GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO r_bob",
    pol("p", "USING (tenant = 1)"),
  ], [step("SELECT id FROM docs", 3, bob), step("SELECT id FROM docs", "42501", alice)]);
  g.add(
    "REVOKE from a role leaves what PUBLIC has",
    [
      ...docs({ grant: "SELECT" }),
      "GRANT SELECT ON docs TO r_alice",
      "REVOKE SELECT ON docs FROM r_alice",
      pol("p", "USING (owner = current_user)"),
    ],
    [step("SELECT id FROM docs", 2), step("DELETE FROM docs", "42501")],
    alice,
  );
  g.add("the owner needs no grant", [
    ...docs({ grant: null, owner: "r_owner" }),
    all,
  ], [step("SELECT id FROM docs", 5, owner), step("SELECT id FROM docs", "42501", bob)]);
  g.add("has_table_privilege agrees with the grants", [
    ...docs({ grant: null }),
    "GRANT SELECT ON docs TO r_alice",
    "GRANT INSERT ON docs TO r_group",
  ], [
    step(
      `SELECT has_table_privilege('r_alice', 'docs', 'SELECT') AS a_sel,
      has_table_privilege('r_alice', 'docs', 'INSERT') AS a_ins,
      has_table_privilege('r_carol', 'docs', 'INSERT') AS c_ins,
      has_table_privilege('r_bob', 'docs', 'SELECT') AS b_sel`,
      1,
    ),
  ]);
  return g.list;
}

function roleMachinery(): Scenario[] {
  const g = group("roles in policies");
  g.add("current_user in a policy follows SET ROLE", [
    ...docs(),
    pol("p", "USING (owner = current_user)"),
  ], [
    step("SELECT id FROM docs ORDER BY id", 2, alice),
    step("SELECT id FROM docs ORDER BY id", 2, bob),
    step("SELECT id FROM docs ORDER BY id", 1, carol),
  ]);
  g.add("session_user stays the login role under SET ROLE", docs(), [
    step("SELECT session_user, current_user, current_role", 1),
  ], alice);
  g.add("SET ROLE is checked against the session user, not the current role", [
    ...docs(),
    pol("p", "USING (owner = current_user)"),
  ], [
    step("SET LOCAL ROLE r_bob"),
    step("SELECT current_user, id FROM docs ORDER BY id", 2),
    step("SET LOCAL ROLE nobody", "22023"),
  ], alice);
  g.add("a member may SET ROLE to its group and gets the group's policies", [
    ...docs(),
    pol("p", "TO r_group USING (tenant = 2)"),
    pol("q", "TO r_carol USING (false)"),
  ], [
    step("SELECT id FROM docs", 2),
    step("SET LOCAL ROLE r_group"),
    step("SELECT current_user, count(*) FROM docs GROUP BY 1", 1),
  ], carol);
  g.add("row_security_active tells who is subject to RLS", [
    ...docs({ owner: "r_owner" }),
    "CREATE TABLE plain (id int)",
    "GRANT SELECT ON plain TO PUBLIC",
  ], [
    step("SELECT row_security_active('docs'), row_security_active('plain')", 1, alice),
    step("SELECT row_security_active('docs')", 1, owner),
    step("SELECT row_security_active('docs')", 1, superuser),
  ]);
  g.add("pg_policies and pg_class describe the policies", [
    ...docs({ force: true }),
    pol(
      "a_mine",
      "FOR UPDATE TO r_alice, r_bob USING (owner = current_user) WITH CHECK (tenant = 1)",
    ),
    pol("b_pub", "AS RESTRICTIVE FOR SELECT USING (published)"),
  ], [
    step(
      `SELECT policyname, permissive, roles::text, cmd, qual, with_check FROM pg_policies
      WHERE schemaname = current_schema() ORDER BY policyname`,
      2,
    ),
    step(
      `SELECT relrowsecurity, relforcerowsecurity FROM pg_class
      WHERE oid = 'docs'::regclass`,
      1,
    ),
  ]);
  g.add("pg_has_role in a policy follows memberships", [
    ...docs(),
    pol("p", "USING (pg_has_role('r_group', 'MEMBER') OR owner = current_user)"),
  ], [
    step("SELECT id FROM docs", 5, carol),
    step("SELECT id FROM docs", 2, alice),
  ]);
  g.add("current_setting('role') follows SET ROLE", docs(), [
    step("SELECT current_setting('role'), current_user", 1, alice),
    step("SELECT current_setting('role'), current_user", 1, superuser),
  ]);
  g.add("ROLLBACK TO SAVEPOINT restores the role", [
    ...docs(),
    pol("p", "USING (owner = current_user)"),
  ], [
    step("SET LOCAL ROLE r_bob; SELECT 1 / 0", "22012"),
    step("SELECT current_user, id FROM docs ORDER BY id", 2),
  ], alice);
  g.add("a policy may name a role with a quoted identifier", [
    ...docs(),
    `CREATE ROLE "Mixed Case {schema}"`,
    `GRANT "Mixed Case {schema}" TO r_alice`,
    pol("p", `TO "Mixed Case {schema}" USING (tenant = 2)`),
  ], [step("SELECT id FROM docs", 2, alice), step("SELECT id FROM docs", 0, as("r_bob"))]);
  return g.list;
}

/** Every scenario of this file. */
export function roleScenarios(): Scenario[] {
  return [...owners(), ...bypassing(), ...rowSecurityOff(), ...grants(), ...roleMachinery()];
}
