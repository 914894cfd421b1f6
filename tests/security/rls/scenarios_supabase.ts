/**
 * @module Supabase-style scenarios: JWT claims set with set_config('request.jwt.claims', …, true)
 * and SET LOCAL ROLE authenticated / anon / service_role, policies with auth.uid(), auth.role()
 * and auth.jwt(), multi-tenant patterns (tenant from a claim, membership tables, claim arrays).
 */
import { group, items, pol, step } from "./fixtures.ts";
import { anon, serviceRole, uid, user } from "./prelude.ts";
import type { Scenario } from "./scenario.ts";

const a = user("alice", { tenant_id: 1 });
const b = user("bob", { tenant_id: 2 });
const c = user("carol", { tenant_id: 2 });
const byUid = pol("p", "TO authenticated USING (user_id = auth.uid())", "items");

function users(): Scenario[] {
  const g = group("supabase users");
  g.add("auth.uid(): each user sees its own rows", [...items(), byUid], [
    step("SELECT id FROM items ORDER BY id", 2, a),
    step("SELECT id FROM items ORDER BY id", 2, b),
    step("SELECT id FROM items ORDER BY id", 1, c),
  ]);
  g.add("anon sees nothing under an authenticated-only policy", [...items(), byUid], [
    step("SELECT id FROM items", 0, anon),
  ]);
  g.add("an anon policy opens public rows", [
    ...items(),
    pol("pub", "TO anon USING (is_public)", "items"),
  ], [step("SELECT id FROM items", 2, anon), step("SELECT id FROM items", 0, a)]);
  g.add("auth.role() in a policy", [
    ...items(),
    pol("p", "USING (auth.role() = 'authenticated')", "items"),
  ], [step("SELECT id FROM items", 5, a), step("SELECT id FROM items", 0, anon)]);
  g.add("(select auth.uid()) as PostgREST's docs advise", [
    ...items(),
    pol("p", "TO authenticated USING (user_id = (SELECT auth.uid()))", "items"),
  ], [step("SELECT id FROM items", 2, a)]);
  g.add("user_id defaults to auth.uid() on insert", [
    ...items(),
    "ALTER TABLE items ALTER COLUMN user_id SET DEFAULT auth.uid()",
    pol(
      "p",
      "TO authenticated USING (user_id = auth.uid()) WITH CHECK (user_id = auth.uid())",
      "items",
    ),
  ], [
    step("INSERT INTO items (id, tenant_id, title) VALUES (10, 1, 'n') RETURNING user_id", 1, a),
    step("SELECT id FROM items ORDER BY id", 3, a),
  ]);
  const all = pol("p", "TO authenticated USING (user_id = auth.uid())", "items");
  g.add("updating another user's row changes nothing", [...items(), all], [
    step("UPDATE items SET title = 'x' WHERE id = 3", 0, a),
    step("UPDATE items SET title = 'x' WHERE id = 1 RETURNING id, title", 1, a),
  ]);
  g.add("deleting another user's row deletes nothing", [...items(), all], [
    step("DELETE FROM items WHERE id = 3", 0, a),
    step("DELETE FROM items", 2, b),
  ]);
  g.add("inserting a row for another user is 42501", [...items(), all], [
    step(`INSERT INTO items VALUES (10, '${uid.bob}', 1, 'x', false)`, "42501", a),
    step(`INSERT INTO items VALUES (11, '${uid.alice}', 1, 'x', false)`, 1, a),
  ]);
  g.add("service_role bypasses the policies", [...items(), byUid], [
    step("SELECT id FROM items", 5, serviceRole),
    step(`INSERT INTO items VALUES (10, '${uid.bob}', 1, 'x', false)`, 1, serviceRole),
  ]);
  g.add("a malformed sub is 22P02", [...items(), byUid], [
    step("SELECT id FROM items", "22P02", {
      role: "authenticated",
      claims: { sub: "not-a-uuid", role: "authenticated" },
    }),
  ]);
  g.add("auth helpers read the claims of the transaction", items(), [
    step("SELECT auth.uid(), auth.role(), auth.jwt() ->> 'tenant_id' AS tenant", 1, a),
    step("SELECT auth.uid(), auth.role(), auth.jwt()", 1, anon),
  ]);
  g.add("anon without claims: auth.uid() is null", [
    ...items(),
    pol("p", "TO anon USING (auth.uid() IS NULL AND is_public)", "items"),
  ], [step("SELECT id FROM items", 2, { role: "anon" })]);
  g.add("upsert of one's own row and of another's", [
    ...items(),
    pol(
      "p",
      "TO authenticated USING (user_id = auth.uid()) WITH CHECK (user_id = auth.uid())",
      "items",
    ),
  ], [
    step(
      `INSERT INTO items VALUES (1, '${uid.alice}', 1, 'up', false)
        ON CONFLICT (id) DO UPDATE SET title = excluded.title RETURNING id, title`,
      1,
      a,
    ),
    step(
      `INSERT INTO items VALUES (3, '${uid.alice}', 1, 'up', false)
        ON CONFLICT (id) DO UPDATE SET title = excluded.title`,
      "42501",
      a,
    ),
  ]);
  return g.list;
}

function tenants(): Scenario[] {
  const g = group("supabase tenants");
  const tenant = "tenant_id = (auth.jwt() ->> 'tenant_id')::int";
  g.add("tenant from auth.jwt()", [...items(), pol("p", `USING (${tenant})`, "items")], [
    step("SELECT id FROM items ORDER BY id", 3, a),
    step("SELECT id FROM items ORDER BY id", 2, b),
  ]);
  g.add("inserting into another tenant is 42501", [
    ...items(),
    pol("p", `TO authenticated USING (${tenant}) WITH CHECK (${tenant})`, "items"),
  ], [
    step(`INSERT INTO items VALUES (10, '${uid.alice}', 2, 'x', false)`, "42501", a),
    step(`INSERT INTO items VALUES (11, '${uid.alice}', 1, 'x', false)`, 1, a),
  ]);
  g.add(
    "a missing tenant claim sees nothing",
    [...items(), pol("p", `USING (${tenant})`, "items")],
    [
      step("SELECT id FROM items", 0, user("alice")),
    ],
  );
  g.add("a nested app_metadata claim", [
    ...items(),
    pol("p", "USING (tenant_id = (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::int)", "items"),
  ], [
    step("SELECT id FROM items", 2, user("bob", { app_metadata: { tenant_id: 2 } })),
    step("SELECT id FROM items", 0, b),
  ]);
  g.add("a claim array of team ids", [
    ...items(),
    pol("p", "USING ((auth.jwt() -> 'teams') ? tenant_id::text)", "items"),
  ], [
    step("SELECT id FROM items", 5, user("alice", { teams: ["1", "2"] })),
    step("SELECT id FROM items", 2, user("bob", { teams: ["2"] })),
  ]);
  g.add("a restrictive tenant policy over a per-user policy", [
    ...items(),
    byUid,
    pol("t", `AS RESTRICTIVE USING (${tenant})`, "items"),
  ], [
    step("SELECT id FROM items", 2, a),
    step("SELECT id FROM items", 0, user("alice", { tenant_id: 2 })),
    step("SELECT id FROM items", 1, b),
  ]);
  g.add("claims changed in the transaction change visibility", [
    ...items(),
    pol("p", `USING (${tenant})`, "items"),
  ], [
    step("SELECT id FROM items", 3, a),
    step("SELECT set_config('request.jwt.claims', '{\"tenant_id\": 2}', true)", 1, a),
    step("SELECT id FROM items", 2, a),
  ]);
  const teams = [
    "CREATE TABLE team_members (team_id int, user_id uuid, role text)",
    `INSERT INTO team_members VALUES (1, '${uid.alice}', 'admin'), (2, '${uid.alice}', 'member'),
      (2, '${uid.bob}', 'admin')`,
    "GRANT SELECT ON team_members TO authenticated",
    "CREATE TABLE projects (id int PRIMARY KEY, team_id int, name text)",
    "INSERT INTO projects VALUES (1, 1, 'p1'), (2, 2, 'p2'), (3, 2, 'p3'), (4, 3, 'p4')",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON projects TO authenticated",
    "ALTER TABLE projects ENABLE ROW LEVEL SECURITY",
    pol(
      "member_reads",
      `FOR SELECT TO authenticated USING (EXISTS (SELECT 1 FROM team_members tm
        WHERE tm.team_id = projects.team_id AND tm.user_id = auth.uid()))`,
      "projects",
    ),
    pol(
      "admin_writes",
      `FOR UPDATE TO authenticated USING (EXISTS (SELECT 1 FROM team_members tm
        WHERE tm.team_id = projects.team_id AND tm.user_id = auth.uid() AND tm.role = 'admin'))`,
      "projects",
    ),
  ];
  g.add("a membership table: projects of my teams", teams, [
    step("SELECT id FROM projects ORDER BY id", 3, a),
    step("SELECT id FROM projects ORDER BY id", 2, b),
    step("SELECT id FROM projects", 0, c),
  ]);
  g.add("a membership role: only team admins update", teams, [
    step("UPDATE projects SET name = 'x' WHERE team_id = 2", 0, a),
    step("UPDATE projects SET name = 'x' WHERE team_id = 1", 1, a),
    step("UPDATE projects SET name = 'y' WHERE team_id = 2 RETURNING id", 2, b),
  ]);
  g.add("a membership table with its own RLS", [
    ...teams,
    "ALTER TABLE team_members ENABLE ROW LEVEL SECURITY",
    pol("own", "TO authenticated USING (user_id = auth.uid())", "team_members"),
  ], [
    step("SELECT team_id, role FROM team_members ORDER BY team_id", 2, a),
    step("SELECT id FROM projects ORDER BY id", 3, a),
  ]);
  g.add("a join of two tenant-scoped tables", [
    ...items(),
    pol("p", `USING (${tenant})`, "items"),
    "CREATE TABLE item_notes (item_id int, tenant_id int, note text)",
    "INSERT INTO item_notes VALUES (1, 1, 'n1'), (3, 2, 'n3'), (4, 1, 'n4'), (4, 2, 'bad')",
    "GRANT SELECT ON item_notes TO authenticated",
    "ALTER TABLE item_notes ENABLE ROW LEVEL SECURITY",
    pol("p", `USING (${tenant})`, "item_notes"),
  ], [
    step(
      "SELECT i.id, n.note FROM items i JOIN item_notes n ON n.item_id = i.id ORDER BY 1, 2",
      2,
      a,
    ),
    step("SELECT i.id, n.note FROM items i JOIN item_notes n ON n.item_id = i.id", 1, b),
  ]);
  g.add("an email claim", [
    ...items(),
    "ALTER TABLE items ADD COLUMN owner_email text",
    "UPDATE items SET owner_email = CASE WHEN id < 3 THEN 'a@x.test' ELSE 'b@x.test' END",
    pol("p", "TO authenticated USING (owner_email = auth.jwt() ->> 'email')", "items"),
  ], [
    step("SELECT id FROM items", 2, user("alice", { email: "a@x.test" })),
    step("SELECT id FROM items", 3, user("bob", { email: "b@x.test" })),
  ]);
  return g.list;
}

/** Every scenario of this file. */
export function supabaseScenarios(): Scenario[] {
  return [...users(), ...tenants()];
}
