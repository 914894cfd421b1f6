/**
 * @module Scenarios where a wrong implementation would leak hidden rows without returning them:
 * the order of evaluation (a caller's failing expression must never run on a hidden row),
 * LIMIT and window functions, constraints and foreign keys (which bypass RLS in PostgreSQL),
 * TRUNCATE (not subject to RLS), prepared statements re-planned for another role, and tenancy
 * from a custom setting instead of JWT claims.
 */
import { alice, bob, comments, docs, group, pol, step } from "./fixtures.ts";
import { superuser } from "./prelude.ts";
import type { Scenario } from "./scenario.ts";

const mine = pol("p", "FOR ALL USING (owner = current_user)");

function evaluationOrder(): Scenario[] {
  const g = group("evaluation order and filtering");
  g.add("a caller's WHERE never runs on a hidden row", [...docs(), mine], [
    step("SELECT id FROM docs WHERE 1 / (id - 3) <> 99", 2),
    step("SELECT id FROM docs WHERE 1 / (id - 3) <> 99", "22012", superuser),
  ], alice);
  g.add("a join condition never runs on a hidden row", [...docs(), mine], [
    step("SELECT d.id FROM docs d JOIN (VALUES (3)) v(x) ON 1 / (d.id - v.x) <> 99", 2),
  ], alice);
  g.add("ORDER BY and aggregates never run on a hidden row", [...docs(), mine], [
    step("SELECT id FROM docs ORDER BY 1 / (id - 3), id", 2),
    step("SELECT sum(10 / (id - 3)) FROM docs", 1),
  ], alice);
  g.add("UPDATE and DELETE conditions never run on a hidden row", [...docs(), mine], [
    step("UPDATE docs SET body = 'x' WHERE 1 / (id - 3) <> 99", 2),
    step("DELETE FROM docs WHERE 1 / (id - 4) <> 99", 2),
  ], alice);
  g.add("LIMIT applies after the policies", [...docs(), mine], [
    step("SELECT id FROM docs WHERE owner = 'r_alice' OR true ORDER BY id DESC LIMIT 1", 1),
    step("SELECT id FROM docs ORDER BY id OFFSET 1", 1),
  ], bob);
  g.add("window functions see only visible rows", [...docs(), mine], [
    step("SELECT id, row_number() OVER (ORDER BY id), count(*) OVER () FROM docs ORDER BY id", 2),
  ], bob);
  g.add("a DELETE … RETURNING is filtered by the SELECT policies", [
    ...docs(),
    pol("s", "FOR SELECT USING (published)"),
    pol("d", "FOR DELETE USING (true)"),
  ], [
    step("DELETE FROM docs RETURNING id", 2),
    step("DELETE FROM docs", 3),
  ], alice);
  g.add("an UPDATE's SET subquery reads only visible rows", [
    ...docs(),
    mine,
    ...comments("true"),
  ], [
    step(
      "UPDATE comments SET body = (SELECT d.body FROM docs d WHERE d.id = comments.doc_id) RETURNING id, body",
      4,
    ),
  ], alice);
  g.add(
    "a security_barrier view keeps its filter below the caller's WHERE",
    [
      ...docs({ rls: false }),
      `CREATE VIEW v WITH (security_barrier = true) AS
      SELECT id, owner FROM docs WHERE owner = current_user`,
      "GRANT SELECT ON v TO PUBLIC",
    ],
    [step("SELECT id FROM v WHERE 1 / (id - 3) <> 99", 2)],
    alice,
  );
  return g.list;
}

function constraints(): Scenario[] {
  const g = group("constraints and TRUNCATE");
  g.add("a unique key conflicts with a hidden row (23505)", [...docs(), mine], [
    step("INSERT INTO docs VALUES (3, 'r_alice', 1, 'x', false)", "23505"),
  ], alice);
  const fk = [
    ...docs(),
    pol("p", "USING (owner = current_user)"),
    "CREATE TABLE refs (id int PRIMARY KEY, doc_id int REFERENCES docs (id))",
    "GRANT SELECT, INSERT ON refs TO PUBLIC",
  ];
  g.add("a foreign key check sees rows the caller cannot (RLS is bypassed)", fk, [
    step("INSERT INTO refs VALUES (1, 3)", 1),
    step("INSERT INTO refs VALUES (2, 99)", "23503"),
    step("SELECT doc_id FROM refs", 1),
  ], alice);
  g.add(
    "deleting a referenced visible row fails even though the reference is hidden",
    [
      ...docs(),
      mine,
      "CREATE TABLE refs (id int PRIMARY KEY, doc_id int REFERENCES docs (id))",
      "ALTER TABLE refs ENABLE ROW LEVEL SECURITY",
      "GRANT SELECT, INSERT ON refs TO PUBLIC",
      "INSERT INTO refs VALUES (1, 1)",
    ],
    [step("SELECT id FROM refs", 0), step("DELETE FROM docs WHERE id = 1", "23503")],
    alice,
  );
  g.add("TRUNCATE is not subject to RLS", [
    ...docs({ grant: "SELECT, TRUNCATE" }),
    mine,
  ], [
    step("SELECT id FROM docs", 2),
    step("TRUNCATE docs"),
    step("SELECT id FROM docs", 0, superuser),
  ], alice);
  g.add("TRUNCATE without the privilege is 42501", [...docs(), mine], [
    step("TRUNCATE docs", "42501"),
  ], alice);
  g.add("the policy's WITH CHECK comes before a CHECK constraint", [
    ...docs(),
    "ALTER TABLE docs ADD CONSTRAINT body_short CHECK (length(body) < 5)",
    mine,
  ], [
    step("INSERT INTO docs VALUES (6, 'r_bob', 1, 'far too long', false)", "42501"),
    step("INSERT INTO docs VALUES (7, 'r_alice', 1, 'far too long', false)", "23514"),
  ], alice);
  return g.list;
}

function prepared(): Scenario[] {
  const g = group("prepared statements");
  g.add("a prepared SELECT is re-planned for another role", [...docs(), mine], [
    step("PREPARE q AS SELECT id FROM docs ORDER BY id", undefined, superuser),
    step("EXECUTE q", 2, alice),
    step("EXECUTE q", 2, bob),
    step("EXECUTE q", 5, superuser),
  ]);
  g.add("a prepared statement sees a policy created after it", [...docs()], [
    step("PREPARE q AS SELECT id FROM docs ORDER BY id", undefined, superuser),
    step("EXECUTE q", 0, alice),
    step("CREATE POLICY late ON docs USING (tenant = 2)", undefined, superuser),
    step("EXECUTE q", 2, alice),
  ]);
  g.add("a prepared UPDATE is re-planned for another role", [...docs(), mine], [
    step("PREPARE u(text) AS UPDATE docs SET body = $1 RETURNING id", undefined, superuser),
    step("EXECUTE u('a')", 2, alice),
    step("EXECUTE u('b')", 2, bob),
    step("SELECT id, body FROM docs ORDER BY id", 5, superuser),
  ]);
  g.add("a prepared INSERT is checked for the current role", [...docs(), mine], [
    step("PREPARE i(int, text) AS INSERT INTO docs VALUES ($1, $2, 1, 'x', false)", undefined),
    step("EXECUTE i(6, 'r_alice')", 1, alice),
    step("EXECUTE i(7, 'r_alice')", "42501", bob),
  ]);
  return g.list;
}

function settingsTenancy(): Scenario[] {
  const g = group("tenancy from settings");
  const byTenant = pol("p", "USING (tenant = current_setting('app.tenant')::int)");
  g.add("a tenant setting selects the tenant's rows", [...docs(), byTenant], [
    step("SET LOCAL app.tenant = '2'"),
    step("SELECT id FROM docs ORDER BY id", 2),
    step("SET LOCAL app.tenant = '1'"),
    step("SELECT id FROM docs ORDER BY id", 3),
  ], alice);
  g.add("a missing tenant setting is 42704", [...docs(), byTenant], [
    step("SELECT id FROM docs", "42704"),
  ], alice);
  g.add(
    "current_setting(…, true) makes a missing tenant see nothing",
    [
      ...docs(),
      pol("p", "USING (tenant = current_setting('app.tenant', true)::int)"),
    ],
    [step("SELECT id FROM docs", 0)],
    alice,
  );
  return g.list;
}

/** Every scenario of this file. */
export function leakScenarios(): Scenario[] {
  return [...evaluationOrder(), ...constraints(), ...prepared(), ...settingsTenancy()];
}
