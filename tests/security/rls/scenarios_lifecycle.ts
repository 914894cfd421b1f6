/**
 * @module Scenarios of policies as catalog objects: bound at creation (search_path, renamed
 * tables and columns do not change what they mean), dependencies (dropping a column or role a
 * policy uses), TO CURRENT_USER, column privileges that policies do not need, and nested views.
 */
import { alice, bob, docs, group, members, owner, pol, step } from "./fixtures.ts";
import { superuser } from "./prelude.ts";
import type { Scenario } from "./scenario.ts";

const mine = pol("p", "USING (owner = current_user)");

function lifecycle(): Scenario[] {
  const g = group("policy lifecycle");
  g.add(
    "a renamed table keeps its policies",
    [
      ...docs(),
      mine,
      "ALTER TABLE docs RENAME TO papers",
    ],
    [step("SELECT id FROM papers ORDER BY id", 2)],
    alice,
  );
  g.add("a renamed column keeps the policy's meaning", [
    ...docs(),
    mine,
    "ALTER TABLE docs RENAME COLUMN owner TO author",
  ], [
    step("SELECT id, author FROM docs ORDER BY id", 2),
    step("SELECT qual FROM pg_policies WHERE schemaname = current_schema()", 1, superuser),
  ], alice);
  g.add("a column used by a policy cannot be dropped", [...docs(), mine], [
    step("ALTER TABLE docs DROP COLUMN owner", "2BP01"),
    step("ALTER TABLE docs DROP COLUMN body", undefined),
  ]);
  g.add("a role named in a policy cannot be dropped", [
    ...docs(),
    "CREATE ROLE dropme_{schema}",
    pol("p", "TO dropme_{schema} USING (true)"),
  ], [step("DROP ROLE dropme_{schema}", "2BP01")]);
  g.add("a policy's tables are bound at creation, not by the caller's search_path", [
    ...docs(),
    ...members(),
    pol("p", "USING (tenant IN (SELECT tenant FROM members WHERE member = current_user))"),
  ], [
    step("SET LOCAL search_path = public"),
    step("SELECT id FROM {schema}.docs ORDER BY id", 3),
  ], alice);
  g.add("TO CURRENT_USER names the role that creates the policy", docs({ owner: "r_owner" }), [
    step("CREATE POLICY mine ON docs TO CURRENT_USER USING (tenant = 2)", undefined, owner),
    step("ALTER TABLE docs FORCE ROW LEVEL SECURITY", undefined, owner),
    step("SELECT id FROM docs", 2, owner),
    step("SELECT id FROM docs", 0, alice),
  ]);
  g.add("DROP TABLE drops its policies", [...docs(), mine, "DROP TABLE docs", ...docs()], [
    step("SELECT id FROM docs", 0, alice),
    step("SELECT count(*) FROM pg_policies WHERE schemaname = current_schema()", 1, superuser),
  ]);
  g.add(
    "policies read columns the caller may not select",
    [
      ...docs({ grant: null }),
      "GRANT SELECT (id) ON docs TO r_alice",
      mine,
    ],
    [step("SELECT id FROM docs ORDER BY id", 2), step("SELECT owner FROM docs", "42501")],
    alice,
  );
  return g.list;
}

function nestedViews(): Scenario[] {
  const g = group("nested views and upserts");
  g.add("a security_invoker view inside a default view still checks the caller", [
    ...docs(),
    pol("p", "TO r_bob USING (tenant = 1)"),
    "CREATE VIEW inner_v WITH (security_invoker = true) AS SELECT * FROM docs",
    "CREATE VIEW outer_v AS SELECT id FROM inner_v",
    "GRANT SELECT ON inner_v, outer_v TO PUBLIC",
    "ALTER VIEW outer_v OWNER TO r_bob",
  ], [
    step("SELECT id FROM outer_v ORDER BY id", 0, alice),
    step("SELECT id FROM outer_v ORDER BY id", 3, bob),
    step("SELECT id FROM inner_v", 0, alice),
  ]);
  g.add("a security_invoker view over a default view owned by another role", [
    ...docs(),
    pol("p", "TO r_bob USING (owner = current_user)"),
    "CREATE VIEW inner_v AS SELECT * FROM docs",
    "ALTER VIEW inner_v OWNER TO r_bob",
    "CREATE VIEW outer_v WITH (security_invoker = true) AS SELECT id FROM inner_v",
    "GRANT SELECT ON inner_v, outer_v TO PUBLIC",
  ], [step("SELECT id FROM outer_v ORDER BY id", 2, alice)]);
  g.add("ON CONFLICT DO UPDATE cannot touch a row the SELECT policies hide", [
    ...docs(),
    pol("s", "FOR SELECT USING (owner = current_user)"),
    pol("i", "FOR INSERT WITH CHECK (true)"),
    pol("u", "FOR UPDATE USING (true) WITH CHECK (true)"),
  ], [
    step(
      "INSERT INTO docs VALUES (3, 'r_alice', 1, 'x', false) ON CONFLICT (id) DO UPDATE SET body = 'x'",
      "42501",
    ),
    step(
      "INSERT INTO docs VALUES (1, 'r_alice', 1, 'x', false) ON CONFLICT (id) DO UPDATE SET body = 'x'",
      1,
    ),
  ], alice);
  g.add("ON CONFLICT DO UPDATE whose updated row leaves SELECT visibility is 42501", [
    ...docs(),
    pol("s", "FOR SELECT USING (owner = current_user)"),
    pol("i", "FOR INSERT WITH CHECK (true)"),
    pol("u", "FOR UPDATE USING (true) WITH CHECK (true)"),
  ], [
    step(
      "INSERT INTO docs VALUES (1, 'r_alice', 1, 'x', false) ON CONFLICT (id) DO UPDATE SET owner = 'r_bob'",
      "42501",
    ),
  ], alice);
  g.add("ON CONFLICT DO NOTHING RETURNING shows only inserted rows", [
    ...docs(),
    pol("p", "FOR ALL USING (true)"),
  ], [
    step(
      `INSERT INTO docs VALUES (1, 'r_bob', 1, 'x', false), (9, 'r_bob', 1, 'y', false)
        ON CONFLICT DO NOTHING RETURNING id`,
      1,
    ),
  ], bob);
  return g.list;
}

/** Every scenario of this file. */
export function lifecycleScenarios(): Scenario[] {
  return [...lifecycle(), ...nestedViews()];
}
