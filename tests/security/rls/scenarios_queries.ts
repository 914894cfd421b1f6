/**
 * @module Scenarios of RLS inside richer queries: views (default, security_invoker, owned by
 * other roles), joins, subqueries and EXISTS in queries and in policies, CTEs (recursive and
 * data-modifying) and COPY TO.
 */
import {
  alice,
  bob,
  bypass,
  comments,
  docs,
  group,
  members,
  owner,
  pol,
  step,
} from "./fixtures.ts";
import { superuser } from "./prelude.ts";
import type { Scenario } from "./scenario.ts";

const mine = pol("p", "USING (owner = current_user)");

function views(): Scenario[] {
  const g = group("views");
  const view = (opts = "") => [
    `CREATE VIEW v ${opts} AS SELECT * FROM docs`,
    "GRANT SELECT, INSERT, UPDATE, DELETE ON v TO PUBLIC",
  ];
  g.add("a view owned by the superuser bypasses RLS", [...docs(), mine, ...view()], [
    step("SELECT id FROM v", 5),
    step("SELECT id FROM docs", 2),
  ], alice);
  g.add("a security_invoker view applies the caller's policies", [
    ...docs(),
    mine,
    ...view("WITH (security_invoker = true)"),
  ], [step("SELECT id FROM v", 2, alice), step("SELECT id FROM v", 2, bob)]);
  g.add(
    "a security_invoker view needs the caller's grant on the table",
    [
      ...docs({ grant: null }),
      mine,
      ...view("WITH (security_invoker = true)"),
    ],
    [step("SELECT id FROM v", "42501")],
    alice,
  );
  g.add(
    "a default view needs only the grant on the view",
    [
      ...docs({ grant: null }),
      mine,
      ...view(),
    ],
    [step("SELECT id FROM v", 5), step("SELECT id FROM docs", "42501")],
    alice,
  );
  g.add(
    "no grant on the view is 42501",
    [
      ...docs(),
      mine,
      "CREATE VIEW v AS SELECT * FROM docs",
    ],
    [step("SELECT id FROM v", "42501")],
    alice,
  );
  g.add(
    "a view owned by the table owner is exempt",
    [
      ...docs({ owner: "r_owner" }),
      mine,
      ...view(),
      "ALTER VIEW v OWNER TO r_owner",
    ],
    [step("SELECT id FROM v", 5)],
    alice,
  );
  g.add("a view owned by another role: policies of the owner, current_user of the caller", [
    ...docs(),
    mine,
    ...view(),
    "ALTER VIEW v OWNER TO r_bob",
  ], [
    step("SELECT id, owner FROM v ORDER BY id", 2, alice),
    step("SELECT current_user, count(*) FROM v GROUP BY 1", 1, alice),
    step("SELECT id FROM v", 1, { role: "r_carol" }),
  ]);
  g.add(
    "policy roles are matched against the view's owner",
    [
      ...docs(),
      pol("p", "TO r_bob USING (true)"),
      ...view(),
      "ALTER VIEW v OWNER TO r_bob",
    ],
    [step("SELECT id FROM v", 5), step("SELECT id FROM docs", 0)],
    alice,
  );
  g.add(
    "a view owned by the table owner under FORCE applies the owner's policies",
    [
      ...docs({ owner: "r_owner", force: true }),
      pol("p", "TO r_owner USING (published)"),
      ...view(),
      "ALTER VIEW v OWNER TO r_owner",
    ],
    [step("SELECT id FROM v ORDER BY id", 2)],
    alice,
  );
  g.add("a view's WHERE combines with RLS", [
    ...docs(),
    mine,
    "CREATE VIEW v WITH (security_invoker = true) AS SELECT * FROM docs WHERE tenant = 1",
    "GRANT SELECT ON v TO PUBLIC",
  ], [step("SELECT id FROM v", 2, alice), step("SELECT id FROM v", 1, bob)]);
  g.add("updating through a security_invoker view touches only visible rows", [
    ...docs(),
    mine,
    ...view("WITH (security_invoker = true)"),
  ], [
    step("UPDATE v SET body = 'x'", 2),
    step("SELECT id FROM docs WHERE body = 'x'", 2, superuser),
  ], alice);
  g.add("inserting through a security_invoker view is checked", [
    ...docs(),
    mine,
    ...view("WITH (security_invoker = true)"),
  ], [
    step("INSERT INTO v VALUES (6, 'r_bob', 1, 'x', false)", "42501"),
    step("INSERT INTO v VALUES (7, 'r_alice', 1, 'x', false)", 1),
  ], alice);
  g.add(
    "deleting through a default view is not filtered for its superuser owner",
    [
      ...docs(),
      mine,
      ...view(),
    ],
    [step("DELETE FROM v WHERE tenant = 2", 2)],
    alice,
  );
  g.add("a view joining two RLS tables filters both", [
    ...docs(),
    mine,
    ...comments(),
    `CREATE VIEW dc WITH (security_invoker = true) AS
      SELECT d.id AS doc, c.id AS comment FROM docs d JOIN comments c ON c.doc_id = d.id`,
    "GRANT SELECT ON dc TO PUBLIC",
  ], [step("SELECT doc, comment FROM dc", 1, alice), step("SELECT doc, comment FROM dc", 0, bob)]);
  g.add(
    "a view owned by a BYPASSRLS role bypasses",
    [
      ...docs(),
      mine,
      ...view(),
      "ALTER VIEW v OWNER TO r_bypass",
    ],
    [step("SELECT id FROM v", 5)],
    alice,
  );
  return g.list;
}

function joins(): Scenario[] {
  const g = group("joins and subqueries");
  g.add("a join of two RLS tables filters both sides", [...docs(), mine, ...comments()], [
    step("SELECT d.id, c.id FROM docs d JOIN comments c ON c.doc_id = d.id", 1),
  ], alice);
  g.add("a left join shows hidden right rows as missing", [...docs(), mine, ...comments()], [
    step("SELECT d.id, c.id FROM docs d LEFT JOIN comments c ON c.doc_id = d.id ORDER BY 1, 2", 2),
  ], alice);
  const open = pol("p", "USING (true)");
  g.add("an IN subquery reads only visible rows", [...docs(), open, ...comments()], [
    step("SELECT id FROM docs WHERE id IN (SELECT doc_id FROM comments)", 2),
  ], alice);
  g.add("EXISTS in a query reads only visible rows", [...docs(), open, ...comments()], [
    step("SELECT id FROM docs d WHERE EXISTS (SELECT 1 FROM comments c WHERE c.doc_id = d.id)", 2),
  ], alice);
  g.add("NOT EXISTS over a filtered table", [...docs(), open, ...comments()], [
    step(
      "SELECT id FROM docs d WHERE NOT EXISTS (SELECT 1 FROM comments c WHERE c.doc_id = d.id)",
      3,
    ),
  ], alice);
  g.add("a policy with EXISTS over a membership table", [
    ...docs(),
    ...members(),
    pol(
      "p",
      "USING (EXISTS (SELECT 1 FROM members m WHERE m.tenant = docs.tenant AND m.member = current_user))",
    ),
  ], [step("SELECT id FROM docs", 3, alice), step("SELECT id FROM docs", 5, bob)]);
  g.add("a policy's subquery is filtered by that table's own policies", [
    ...docs(),
    ...members(),
    "ALTER TABLE members ENABLE ROW LEVEL SECURITY",
    pol("m", "USING (member = current_user)", "members"),
    pol("p", "USING (EXISTS (SELECT 1 FROM members m WHERE m.tenant = docs.tenant))"),
  ], [
    step("SELECT id FROM docs", 3, alice),
    step("SELECT id FROM docs", 5, bob),
    step("SELECT id FROM docs", 0, { role: "r_carol" }),
  ]);
  g.add(
    "a policy reading a table the caller may not read is 42501",
    [
      ...docs(),
      ...members(false),
      pol("p", "USING (tenant IN (SELECT tenant FROM members WHERE member = current_user))"),
    ],
    [step("SELECT id FROM docs", "42501")],
    alice,
  );
  g.add(
    "a policy that reads its own table is infinite recursion",
    [
      ...docs(),
      pol("p", "USING (EXISTS (SELECT 1 FROM docs d2 WHERE d2.id = docs.id))"),
    ],
    [step("SELECT id FROM docs", "42P17")],
    alice,
  );
  g.add(
    "policies that read each other's tables are infinite recursion",
    [
      ...docs(),
      ...comments("EXISTS (SELECT 1 FROM docs d WHERE d.id = doc_id)"),
      pol("p", "USING (EXISTS (SELECT 1 FROM comments c WHERE c.doc_id = docs.id))"),
    ],
    [step("SELECT id FROM docs", "42P17")],
    alice,
  );
  g.add("a scalar subquery counts visible rows", [...docs(), mine], [
    step("SELECT (SELECT count(*) FROM docs) AS n, (SELECT max(id) FROM docs) AS m", 1),
  ], alice);
  g.add("a self join sees the filtered table on both sides", [...docs(), mine], [
    step("SELECT a.id, b.id FROM docs a JOIN docs b ON a.tenant = b.tenant", 4),
  ], alice);
  g.add("UNION ALL of two filtered tables", [...docs(), mine, ...comments()], [
    step("SELECT id FROM docs UNION ALL SELECT doc_id FROM comments", 4),
  ], alice);
  g.add("GROUP BY over a join of filtered tables", [...docs(), open, ...comments()], [
    step(
      "SELECT d.tenant, count(*) FROM docs d JOIN comments c ON c.doc_id = d.id GROUP BY d.tenant ORDER BY 1",
      2,
    ),
  ], alice);
  g.add("a LATERAL subquery reads only visible rows", [...docs(), open, ...comments()], [
    step(
      `SELECT d.id, x.n FROM docs d,
      LATERAL (SELECT count(*) AS n FROM comments c WHERE c.doc_id = d.id) x ORDER BY d.id`,
      5,
    ),
  ], alice);
  g.add("a correlated subquery in the select list", [...docs(), mine, ...comments("true")], [
    step(
      "SELECT c.id, (SELECT d.owner FROM docs d WHERE d.id = c.doc_id) FROM comments c ORDER BY c.id",
      4,
    ),
  ], alice);
  return g.list;
}

function ctes(): Scenario[] {
  const g = group("CTEs");
  const all = pol("p", "FOR ALL USING (owner = current_user)");
  g.add("a CTE over an RLS table", [...docs(), all], [
    step("WITH v AS (SELECT * FROM docs) SELECT id FROM v", 2),
  ], alice);
  g.add("a materialized CTE", [...docs(), all], [
    step("WITH v AS MATERIALIZED (SELECT id FROM docs) SELECT v.id FROM v, v AS w", 4),
  ], alice);
  g.add("a recursive CTE stops at hidden nodes", [
    "CREATE TABLE nodes (id int, parent int, owner text)",
    `INSERT INTO nodes VALUES (1, NULL, 'r_alice'), (2, 1, 'r_alice'), (3, 2, 'r_bob'),
      (4, 3, 'r_alice')`,
    "GRANT SELECT ON nodes TO PUBLIC",
    "ALTER TABLE nodes ENABLE ROW LEVEL SECURITY",
    pol("p", "USING (owner = current_user)", "nodes"),
  ], [
    step(
      `WITH RECURSIVE walk AS (SELECT id FROM nodes WHERE parent IS NULL
      UNION ALL SELECT n.id FROM nodes n JOIN walk w ON n.parent = w.id) SELECT id FROM walk`,
      2,
    ),
  ], alice);
  g.add("a data-modifying CTE deletes only visible rows", [...docs(), all], [
    step("WITH d AS (DELETE FROM docs RETURNING id) SELECT id FROM d", 2),
    step("SELECT id FROM docs", 3, superuser),
  ], alice);
  g.add("a data-modifying CTE's insert is checked", [...docs(), all], [
    step(
      "WITH i AS (INSERT INTO docs VALUES (6, 'r_bob', 1, 'x', false) RETURNING id) SELECT * FROM i",
      "42501",
    ),
  ], alice);
  g.add(
    "INSERT … SELECT copies only visible rows",
    [
      ...docs(),
      all,
      "CREATE TABLE archive (id int, owner text, tenant int, body text, published bool)",
      "GRANT SELECT, INSERT ON archive TO PUBLIC",
    ],
    [step("INSERT INTO archive SELECT * FROM docs", 2)],
    alice,
  );
  g.add("a CTE's UPDATE … RETURNING", [...docs(), all], [
    step("WITH u AS (UPDATE docs SET body = 'x' RETURNING id) SELECT id FROM u ORDER BY id", 2),
  ], alice);
  return g.list;
}

function copy(): Scenario[] {
  const g = group("COPY");
  g.add("COPY TO copies only visible rows", [...docs(), mine], [
    step("COPY docs TO STDOUT", 2),
  ], alice);
  g.add("COPY (SELECT …) TO applies RLS", [...docs(), mine], [
    step("COPY (SELECT id, body FROM docs ORDER BY id) TO STDOUT", 2),
  ], alice);
  g.add("COPY TO by the superuser copies every row", [...docs(), mine], [
    step("COPY docs (id, owner) TO STDOUT", 5),
  ]);
  g.add("COPY FROM is refused under RLS", [...docs(), mine], [
    step("COPY docs FROM STDIN", "0A000"),
  ], alice);
  g.add("COPY TO without SELECT privilege is 42501", [...docs({ grant: null }), mine], [
    step("COPY docs TO STDOUT", "42501"),
  ], alice);
  g.add("COPY TO with row_security = off is 42501", [...docs(), mine], [
    step("SET LOCAL row_security = off"),
    step("COPY docs TO STDOUT", "42501"),
  ], alice);
  g.add("COPY TO by a BYPASSRLS role and by the owner copies every row", [
    ...docs({ owner: "r_owner" }),
    mine,
  ], [step("COPY docs TO STDOUT", 5, bypass), step("COPY docs TO STDOUT", 5, owner)]);
  return g.list;
}

/** Every scenario of this file. */
export function queryScenarios(): Scenario[] {
  return [...views(), ...joins(), ...ctes(), ...copy()];
}
