/**
 * @module Scenarios of the policy model itself: default deny, permissive and restrictive mixes,
 * policies per command (FOR SELECT | INSERT | UPDATE | DELETE | ALL) and TO roles / PUBLIC.
 */
import { alice, bob, carol, docs, group, pol, step } from "./fixtures.ts";
import type { Scenario } from "./scenario.ts";

function defaultDeny(): Scenario[] {
  const g = group("default deny");
  g.add("enabled with no policy hides every row", docs(), [
    step("SELECT id FROM docs", 0),
    step("SELECT count(*) FROM docs", 1),
    step("SELECT id FROM docs", 5, { role: "postgres" }),
  ], alice);
  g.add("enabled with no policy rejects an insert", docs(), [
    step("INSERT INTO docs VALUES (6, 'r_alice', 1, 'x', false)", "42501"),
  ], alice);
  g.add("enabled with no policy updates nothing", docs(), [
    step("UPDATE docs SET body = 'x'", 0),
    step("UPDATE docs SET body = 'x' WHERE id = 1 RETURNING id", 0),
  ], alice);
  g.add("enabled with no policy deletes nothing", docs(), [
    step("DELETE FROM docs", 0),
    step("SELECT id FROM docs", 5, { role: "postgres" }),
  ], alice);
  g.add(
    "policies of a table without RLS enabled are ignored",
    [
      ...docs({ rls: false }),
      pol("p", "USING (owner = current_user)"),
    ],
    [step("SELECT id FROM docs", 5)],
    alice,
  );
  g.add(
    "a policy for another role only is default deny",
    [
      ...docs(),
      pol("p", "TO r_bob USING (true)"),
    ],
    [step("SELECT id FROM docs", 0), step("SELECT id FROM docs", 5, bob)],
    alice,
  );
  g.add(
    "DISABLE ROW LEVEL SECURITY shows every row again",
    [
      ...docs(),
      "ALTER TABLE docs DISABLE ROW LEVEL SECURITY",
    ],
    [step("SELECT id FROM docs", 5)],
    alice,
  );
  g.add("hidden rows do not reach aggregates", [
    ...docs(),
    pol("p", "USING (published)"),
  ], [
    step("SELECT count(*), sum(id), min(owner), max(tenant) FROM docs", 1),
    step("SELECT tenant, count(*) FROM docs GROUP BY tenant ORDER BY tenant", 2),
  ], alice);
  g.add(
    "no SELECT privilege is 42501 whatever the policies say",
    [
      ...docs({ grant: null }),
      pol("p", "USING (true)"),
    ],
    [step("SELECT id FROM docs", "42501")],
    alice,
  );
  g.add(
    "a policy on one table does not filter another",
    [
      ...docs(),
      "CREATE TABLE plain (id int)",
      "INSERT INTO plain VALUES (1), (2)",
      "GRANT SELECT ON plain TO PUBLIC",
    ],
    [step("SELECT id FROM plain", 2), step("SELECT id FROM docs", 0)],
    alice,
  );
  return g.list;
}

function permissiveRestrictive(): Scenario[] {
  const g = group("permissive and restrictive");
  g.add(
    "two permissive policies are OR'd",
    [
      ...docs(),
      pol("mine", "USING (owner = current_user)"),
      pol("pub", "USING (published)"),
    ],
    [step("SELECT id FROM docs ORDER BY id", 3)],
    alice,
  );
  g.add(
    "a restrictive policy alone denies every row",
    [
      ...docs(),
      pol("r", "AS RESTRICTIVE USING (true)"),
    ],
    [step("SELECT id FROM docs", 0)],
    alice,
  );
  g.add(
    "a restrictive policy narrows a permissive one",
    [
      ...docs(),
      pol("p", "AS PERMISSIVE USING (true)"),
      pol("r", "AS RESTRICTIVE USING (tenant = 1)"),
    ],
    [step("SELECT id FROM docs ORDER BY id", 3)],
    alice,
  );
  g.add(
    "two restrictive policies are AND'd",
    [
      ...docs(),
      pol("p", "USING (true)"),
      pol("r1", "AS RESTRICTIVE USING (tenant = 1)"),
      pol("r2", "AS RESTRICTIVE USING (published)"),
    ],
    [step("SELECT id FROM docs", 1)],
    alice,
  );
  g.add(
    "a restrictive policy for UPDATE does not filter SELECT",
    [
      ...docs(),
      pol("p", "USING (true)"),
      pol("r", "AS RESTRICTIVE FOR UPDATE USING (false)"),
    ],
    [step("SELECT id FROM docs", 5), step("UPDATE docs SET body = 'x'", 0)],
    alice,
  );
  g.add(
    "a restrictive policy TO another role does not apply",
    [
      ...docs(),
      pol("p", "USING (true)"),
      pol("r", "AS RESTRICTIVE TO r_bob USING (false)"),
    ],
    [step("SELECT id FROM docs", 5), step("SELECT id FROM docs", 0, bob)],
    alice,
  );
  g.add(
    "a permissive qual that is NULL hides the row",
    [
      ...docs(),
      pol("p", "USING (nullif(published, false))"),
    ],
    [step("SELECT id FROM docs", 2)],
    alice,
  );
  g.add("a restrictive WITH CHECK rejects an insert the permissive policy allows", [
    ...docs(),
    pol("p", "USING (true) WITH CHECK (true)"),
    pol("r", "AS RESTRICTIVE FOR INSERT WITH CHECK (owner = current_user)"),
  ], [
    step("INSERT INTO docs VALUES (6, 'r_bob', 1, 'x', false)", "42501"),
    step("INSERT INTO docs VALUES (7, 'r_alice', 1, 'x', false)", 1),
  ], alice);
  g.add(
    "a restrictive insert check without any permissive insert policy denies",
    [
      ...docs(),
      pol("s", "FOR SELECT USING (true)"),
      pol("r", "AS RESTRICTIVE FOR INSERT WITH CHECK (true)"),
    ],
    [step("INSERT INTO docs VALUES (6, 'r_alice', 1, 'x', false)", "42501")],
    alice,
  );
  g.add(
    "a restrictive USING hides rows from UPDATE",
    [
      ...docs(),
      pol("p", "USING (true)"),
      pol("r", "AS RESTRICTIVE FOR UPDATE USING (owner = current_user)"),
    ],
    [step("UPDATE docs SET body = 'x' RETURNING id", 2)],
    alice,
  );
  g.add("restrictive SELECT policies bound a DELETE whose WHERE reads columns", [
    ...docs(),
    pol("p", "USING (true)"),
    pol("r", "AS RESTRICTIVE FOR SELECT USING (published)"),
  ], [
    step("DELETE FROM docs WHERE id = 2", 0),
    step("DELETE FROM docs WHERE id = 1", 1),
  ], alice);
  g.add("permissive policies of different commands do not combine", [
    ...docs(),
    pol("s", "FOR SELECT USING (owner = current_user)"),
    pol("u", "FOR UPDATE USING (true)"),
  ], [
    step("UPDATE docs SET body = 'x' WHERE id = 3", 0),
    step("UPDATE docs SET body = 'x' WHERE id = 1", 1),
  ], alice);
  g.add(
    "a restrictive policy with a subquery",
    [
      ...docs(),
      "CREATE TABLE tenants (id int, active bool)",
      "INSERT INTO tenants VALUES (1, false), (2, true)",
      "GRANT SELECT ON tenants TO PUBLIC",
      pol("p", "USING (true)"),
      pol(
        "r",
        "AS RESTRICTIVE USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = tenant AND t.active))",
      ),
    ],
    [step("SELECT id FROM docs ORDER BY id", 2)],
    alice,
  );
  g.add(
    "USING (false) and a restrictive policy still deny",
    [
      ...docs(),
      pol("p", "USING (false)"),
      pol("r", "AS RESTRICTIVE USING (true)"),
    ],
    [step("SELECT id FROM docs", 0), step("DELETE FROM docs", 0)],
    alice,
  );
  return g.list;
}

function perCommand(): Scenario[] {
  const g = group("policies per command");
  g.add("FOR SELECT only: reads filtered, writes denied", [
    ...docs(),
    pol("s", "FOR SELECT USING (owner = current_user)"),
  ], [
    step("SELECT id FROM docs", 2),
    step("INSERT INTO docs VALUES (6, 'r_alice', 1, 'x', false)", "42501"),
    step("UPDATE docs SET body = 'x'", 0),
    step("DELETE FROM docs", 0),
  ], alice);
  g.add("FOR INSERT only: the insert works, reading shows nothing", [
    ...docs(),
    pol("i", "FOR INSERT WITH CHECK (owner = current_user)"),
  ], [
    step("INSERT INTO docs VALUES (6, 'r_alice', 1, 'x', false)", 1),
    step("SELECT id FROM docs", 0),
  ], alice);
  g.add(
    "FOR INSERT only: INSERT RETURNING needs a SELECT policy",
    [
      ...docs(),
      pol("i", "FOR INSERT WITH CHECK (owner = current_user)"),
    ],
    [step("INSERT INTO docs VALUES (6, 'r_alice', 1, 'x', false) RETURNING id", "42501")],
    alice,
  );
  g.add(
    "FOR UPDATE only: an UPDATE without WHERE uses the UPDATE policy",
    [
      ...docs(),
      pol("u", "FOR UPDATE USING (owner = current_user)"),
    ],
    [step("UPDATE docs SET body = 'x'", 2)],
    alice,
  );
  g.add(
    "FOR UPDATE only: a WHERE clause brings in the (absent) SELECT policies",
    [
      ...docs(),
      pol("u", "FOR UPDATE USING (owner = current_user)"),
    ],
    [step("UPDATE docs SET body = 'x' WHERE id = 1", 0)],
    alice,
  );
  g.add(
    "FOR DELETE only: a DELETE without WHERE uses the DELETE policy",
    [
      ...docs(),
      pol("d", "FOR DELETE USING (owner = current_user)"),
    ],
    [step("DELETE FROM docs", 2)],
    alice,
  );
  g.add(
    "FOR DELETE only: a WHERE clause brings in the (absent) SELECT policies",
    [
      ...docs(),
      pol("d", "FOR DELETE USING (owner = current_user)"),
    ],
    [step("DELETE FROM docs WHERE id = 1", 0)],
    alice,
  );
  g.add("FOR ALL with USING only: USING is the insert check too", [
    ...docs(),
    pol("a", "FOR ALL USING (owner = current_user)"),
  ], [
    step("INSERT INTO docs VALUES (6, 'r_bob', 1, 'x', false)", "42501"),
    step("INSERT INTO docs VALUES (7, 'r_alice', 1, 'x', false)", 1),
    step("SELECT id FROM docs ORDER BY id", 3),
  ], alice);
  g.add("FOR ALL with a separate WITH CHECK", [
    ...docs(),
    pol("a", "FOR ALL USING (true) WITH CHECK (owner = current_user)"),
  ], [
    step("SELECT id FROM docs", 5),
    step("INSERT INTO docs VALUES (6, 'r_bob', 1, 'x', false)", "42501"),
    step("UPDATE docs SET body = 'x' WHERE id = 3", "42501"),
    step("UPDATE docs SET body = 'x' WHERE id = 1", 1),
  ], alice);
  g.add("FOR SELECT with WITH CHECK is rejected", docs(), [
    step("CREATE POLICY bad ON docs FOR SELECT USING (true) WITH CHECK (true)", "42601"),
  ]);
  g.add("FOR INSERT with USING is rejected", docs(), [
    step("CREATE POLICY bad ON docs FOR INSERT USING (true)", "42601"),
  ]);
  g.add("FOR DELETE with WITH CHECK is rejected", docs(), [
    step("CREATE POLICY bad ON docs FOR DELETE WITH CHECK (true)", "42601"),
  ]);
  g.add("an UPDATE policy's WITH CHECK defaults to its USING", [
    ...docs(),
    pol("s", "FOR SELECT USING (true)"),
    pol("u", "FOR UPDATE USING (owner = current_user)"),
  ], [
    step("UPDATE docs SET owner = 'r_bob' WHERE id = 1", "42501"),
    step("UPDATE docs SET body = 'ok' WHERE id = 1", 1),
  ], alice);
  g.add("an UPDATE policy WITH CHECK (true) lets a row change hands", [
    ...docs(),
    pol("s", "FOR SELECT USING (true)"),
    pol("u", "FOR UPDATE USING (owner = current_user) WITH CHECK (true)"),
  ], [
    step("UPDATE docs SET owner = 'r_bob' WHERE id = 1", 1),
    step("SELECT id FROM docs WHERE owner = 'r_alice'", 1),
  ], alice);
  g.add("a FOR ALL policy governs every command of its role", [
    ...docs(),
    pol("a", "FOR ALL TO r_alice USING (tenant = 1)"),
  ], [
    step("SELECT id FROM docs", 3),
    step("UPDATE docs SET body = 'x'", 3),
    step("DELETE FROM docs WHERE id = 3", 0),
    step("INSERT INTO docs VALUES (6, 'r_alice', 2, 'x', false)", "42501"),
  ], alice);
  g.add("SELECT FOR UPDATE needs the SELECT and the UPDATE policies", [
    ...docs(),
    pol("s", "FOR SELECT USING (true)"),
    pol("u", "FOR UPDATE USING (owner = current_user)"),
  ], [
    step("SELECT id FROM docs ORDER BY id FOR UPDATE", 2),
    step("SELECT id FROM docs ORDER BY id", 5),
  ], alice);
  return g.list;
}

function toRoles(): Scenario[] {
  const g = group("TO roles and PUBLIC");
  g.add(
    "a policy TO one role applies only to it",
    [
      ...docs(),
      pol("p", "TO r_alice USING (true)"),
    ],
    [step("SELECT id FROM docs", 5), step("SELECT id FROM docs", 0, bob)],
    alice,
  );
  g.add("a policy TO PUBLIC applies to every role", [
    ...docs(),
    pol("p", "TO PUBLIC USING (owner = current_user)"),
  ], [
    step("SELECT id FROM docs", 2),
    step("SELECT id FROM docs", 2, bob),
    step("SELECT id FROM docs", 1, carol),
  ], alice);
  g.add("a policy TO a group applies to its members", [
    ...docs(),
    pol("p", "TO r_group USING (true)"),
  ], [step("SELECT id FROM docs", 5, carol), step("SELECT id FROM docs", 0, alice)]);
  g.add("a policy TO several roles", [
    ...docs(),
    pol("p", "TO r_alice, r_bob USING (tenant = 1)"),
  ], [
    step("SELECT id FROM docs", 3, alice),
    step("SELECT id FROM docs", 3, bob),
    step("SELECT id FROM docs", 0, carol),
  ]);
  g.add("policies for different roles apply per role", [
    ...docs(),
    pol("pa", "TO r_alice USING (tenant = 1)"),
    pol("pb", "TO r_bob USING (tenant = 2)"),
  ], [step("SELECT id FROM docs", 3, alice), step("SELECT id FROM docs", 2, bob)]);
  g.add("a policy TO an unknown role is 42704", docs(), [
    step("CREATE POLICY p ON docs TO nobody USING (true)", "42704"),
  ]);
  g.add("a second policy of the same name is 42710", [...docs(), pol("p", "USING (true)")], [
    step("CREATE POLICY p ON docs USING (false)", "42710"),
  ]);
  g.add("a policy on a missing table is 42P01", docs(), [
    step("CREATE POLICY p ON nope USING (true)", "42P01"),
  ]);
  g.add(
    "DROP POLICY returns to default deny",
    [
      ...docs(),
      pol("p", "USING (true)"),
      "DROP POLICY p ON docs",
    ],
    [step("SELECT id FROM docs", 0)],
    alice,
  );
  g.add(
    "ALTER POLICY replaces the USING expression",
    [
      ...docs(),
      pol("p", "USING (false)"),
      "ALTER POLICY p ON docs USING (tenant = 2)",
    ],
    [step("SELECT id FROM docs", 2)],
    alice,
  );
  g.add("ALTER POLICY TO replaces the roles", [
    ...docs(),
    pol("p", "TO r_alice USING (true)"),
    "ALTER POLICY p ON docs TO r_bob",
  ], [step("SELECT id FROM docs", 0, alice), step("SELECT id FROM docs", 5, bob)]);
  g.add("ALTER POLICY RENAME keeps the policy in force", [
    ...docs(),
    pol("p", "USING (owner = current_user)"),
    "ALTER POLICY p ON docs RENAME TO q",
  ], [
    step("SELECT id FROM docs", 2, alice),
    step("DROP POLICY p ON docs", "42704"),
    step("DROP POLICY IF EXISTS p ON docs"),
  ]);
  return g.list;
}

/** Every scenario of this file. */
export function policyScenarios(): Scenario[] {
  return [...defaultDeny(), ...permissiveRestrictive(), ...perCommand(), ...toRoles()];
}
