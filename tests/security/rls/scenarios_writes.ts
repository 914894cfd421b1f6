/**
 * @module Scenarios of writes under RLS: UPDATE (USING versus WITH CHECK, moving a row out of
 * visibility, the SELECT policies a WHERE or RETURNING brings in), DELETE, INSERT with WITH
 * CHECK, RETURNING, and INSERT … ON CONFLICT DO NOTHING / DO UPDATE.
 */
import { alice, comments, docs, group, members, owner, pol, step } from "./fixtures.ts";
import { superuser } from "./prelude.ts";
import type { Scenario } from "./scenario.ts";

const mineAll = pol("p", "FOR ALL USING (owner = current_user)");

function updates(): Scenario[] {
  const g = group("UPDATE");
  g.add("UPDATE touches only rows the USING clause shows", [...docs(), mineAll], [
    step("UPDATE docs SET body = 'x'", 2),
    step("SELECT id FROM docs WHERE body = 'x' ORDER BY id", 2, superuser),
  ], alice);
  g.add("UPDATE of a hidden row changes nothing", [...docs(), mineAll], [
    step("UPDATE docs SET body = 'x' WHERE id = 3", 0),
    step("SELECT body FROM docs WHERE id = 3", 1, superuser),
  ], alice);
  const moving = [
    ...docs(),
    pol("s", "FOR SELECT USING (owner = current_user)"),
    pol("u", "FOR UPDATE USING (owner = current_user) WITH CHECK (true)"),
  ];
  g.add("UPDATE without WHERE may move rows out of visibility", moving, [
    step("UPDATE docs SET owner = 'r_bob'", 2),
    step("SELECT id FROM docs", 0),
  ], alice);
  g.add("UPDATE with WHERE must keep the new row visible to SELECT policies", moving, [
    step("UPDATE docs SET owner = 'r_bob' WHERE id = 1", "42501"),
    step("UPDATE docs SET owner = 'r_bob' RETURNING id", "42501"),
  ], alice);
  g.add("UPDATE may move a row into another visible state", [
    ...docs(),
    pol("s", "FOR SELECT USING (published OR owner = current_user)"),
    pol("u", "FOR UPDATE USING (owner = current_user) WITH CHECK (true)"),
  ], [
    step("UPDATE docs SET owner = 'r_bob', published = true WHERE id = 2", 1),
    step("SELECT id FROM docs ORDER BY id", 3),
  ], alice);
  g.add(
    "UPDATE violating WITH CHECK is 42501",
    [
      ...docs(),
      pol("p", "FOR ALL USING (owner = current_user) WITH CHECK (owner = current_user)"),
    ],
    [step("UPDATE docs SET owner = 'r_bob'", "42501")],
    alice,
  );
  g.add(
    "UPDATE without an UPDATE policy changes nothing",
    [
      ...docs(),
      pol("s", "FOR SELECT USING (true)"),
    ],
    [step("UPDATE docs SET body = 'x'", 0), step("UPDATE docs SET body = 'x' WHERE id = 1", 0)],
    alice,
  );
  g.add(
    "UPDATE … RETURNING returns the updated visible rows",
    [
      ...docs(),
      pol("p", "FOR ALL USING (tenant = 1)"),
    ],
    [step("UPDATE docs SET body = 'x' RETURNING id, body, tenant", 3)],
    alice,
  );
  g.add("UPDATE … FROM another filtered table", [...docs(), mineAll, ...comments()], [
    step("UPDATE docs SET body = c.body FROM comments c WHERE c.doc_id = docs.id", 1),
    step("SELECT id, body FROM docs ORDER BY id", 2),
  ], alice);
  g.add("a restrictive UPDATE WITH CHECK", [
    ...docs(),
    pol("p", "USING (true)"),
    pol("r", "AS RESTRICTIVE FOR UPDATE WITH CHECK (published)"),
  ], [
    step("UPDATE docs SET published = false WHERE id = 1", "42501"),
    step("UPDATE docs SET body = 'y' WHERE id = 1", 1),
    step("UPDATE docs SET body = 'y' WHERE id = 2", "42501"),
  ], alice);
  g.add(
    "UPDATE by the owner under FORCE",
    [
      ...docs({ owner: "r_owner", force: true }),
      pol("p", "TO r_owner USING (tenant = 2)"),
    ],
    [step("UPDATE docs SET body = 'x'", 2)],
    owner,
  );
  g.add(
    "an UPDATE whose SET reads a column brings in the (absent) SELECT policies",
    [
      ...docs(),
      pol("u", "FOR UPDATE USING (true)"),
    ],
    [step("UPDATE docs SET body = body || '!'", 0), step("UPDATE docs SET body = 'k'", 5)],
    alice,
  );
  g.add(
    "the UPDATE and SELECT policies both filter an UPDATE with WHERE",
    [
      ...docs(),
      pol("s", "FOR SELECT USING (tenant = 1)"),
      pol("u", "FOR UPDATE USING (published)"),
    ],
    [step("UPDATE docs SET body = 'x' WHERE id > 0", 1)],
    alice,
  );
  g.add("UPDATE of the key of visible rows", [...docs(), mineAll], [
    step("UPDATE docs SET id = id + 100 WHERE owner = current_user", 2),
    step("SELECT id FROM docs ORDER BY id", 2),
  ], alice);
  return g.list;
}

function deletes(): Scenario[] {
  const g = group("DELETE");
  g.add("DELETE removes only visible rows", [...docs(), mineAll], [
    step("DELETE FROM docs", 2),
    step("SELECT id FROM docs ORDER BY id", 3, superuser),
  ], alice);
  g.add("DELETE of a hidden row deletes nothing", [...docs(), mineAll], [
    step("DELETE FROM docs WHERE id = 3", 0),
  ], alice);
  g.add("DELETE … RETURNING returns the deleted visible rows", [...docs(), mineAll], [
    step("DELETE FROM docs WHERE tenant = 1 RETURNING id, owner", 2),
  ], alice);
  g.add(
    "DELETE … USING another filtered table",
    [
      ...docs(),
      pol("p", "USING (true)"),
      ...comments(),
    ],
    [step("DELETE FROM docs USING comments c WHERE c.doc_id = docs.id", 2)],
    alice,
  );
  g.add(
    "a DELETE policy narrower than the SELECT policy",
    [
      ...docs(),
      pol("s", "FOR SELECT USING (true)"),
      pol("d", "FOR DELETE USING (owner = current_user)"),
    ],
    [step("DELETE FROM docs WHERE published", 1), step("SELECT id FROM docs", 4)],
    alice,
  );
  g.add(
    "DELETE with only a SELECT policy deletes nothing",
    [
      ...docs(),
      pol("s", "FOR SELECT USING (true)"),
    ],
    [step("DELETE FROM docs", 0), step("DELETE FROM docs WHERE id = 1", 0)],
    alice,
  );
  g.add(
    "DELETE … WHERE id IN a subquery over a filtered table",
    [
      ...docs(),
      pol("p", "USING (true)"),
      ...comments(),
    ],
    [step("DELETE FROM docs WHERE id IN (SELECT doc_id FROM comments)", 2)],
    alice,
  );
  g.add(
    "DELETE without the privilege is 42501 before any policy",
    [
      ...docs({ grant: "SELECT" }),
      pol("p", "USING (true)"),
    ],
    [step("DELETE FROM docs WHERE id = 1", "42501")],
    alice,
  );
  g.add(
    "DELETE by the owner under FORCE without policies deletes nothing",
    [
      ...docs({ owner: "r_owner", force: true }),
    ],
    [step("DELETE FROM docs", 0)],
    owner,
  );
  return g.list;
}

function inserts(): Scenario[] {
  const g = group("INSERT and ON CONFLICT");
  const row = (id: number, who: string, tenant = 1) =>
    `INSERT INTO docs VALUES (${id}, '${who}', ${tenant}, 'new', false)`;
  g.add("INSERT allowed by WITH CHECK", [...docs(), mineAll], [
    step(row(6, "r_alice"), 1),
    step("SELECT id FROM docs ORDER BY id", 3),
  ], alice);
  g.add("INSERT violating WITH CHECK is 42501", [...docs(), mineAll], [
    step(row(6, "r_bob"), "42501"),
  ], alice);
  g.add("a multi-row INSERT with one bad row inserts nothing", [...docs(), mineAll], [
    step(
      "INSERT INTO docs VALUES (6, 'r_alice', 1, 'x', false), (7, 'r_bob', 1, 'x', false)",
      "42501",
    ),
    step("SELECT id FROM docs", 5, superuser),
  ], alice);
  g.add("INSERT … SELECT from the filtered table itself", [...docs(), mineAll], [
    step("INSERT INTO docs SELECT id + 10, owner, tenant, body, published FROM docs", 2),
  ], alice);
  const selMine = [
    ...docs(),
    pol("i", "FOR INSERT WITH CHECK (true)"),
    pol("s", "FOR SELECT USING (owner = current_user)"),
  ];
  g.add("INSERT … RETURNING checks the SELECT policies on the new row", selMine, [
    step(row(6, "r_bob") + " RETURNING id", "42501"),
    step(row(7, "r_alice") + " RETURNING id, owner", 1),
    step(row(8, "r_bob"), 1),
  ], alice);
  g.add("ON CONFLICT DO NOTHING with a hidden conflicting row", [...docs(), mineAll], [
    step(row(3, "r_alice") + " ON CONFLICT (id) DO NOTHING", 0),
    step(row(3, "r_alice") + " ON CONFLICT DO NOTHING RETURNING id", 0),
  ], alice);
  g.add("ON CONFLICT DO NOTHING without a conflict inserts", [...docs(), mineAll], [
    step(row(6, "r_alice") + " ON CONFLICT (id) DO NOTHING", 1),
  ], alice);
  g.add("ON CONFLICT DO NOTHING still checks the new row", [...docs(), mineAll], [
    step(row(6, "r_bob") + " ON CONFLICT (id) DO NOTHING", "42501"),
  ], alice);
  g.add("ON CONFLICT DO UPDATE on a visible row updates it", [...docs(), mineAll], [
    step(row(1, "r_alice") + " ON CONFLICT (id) DO UPDATE SET body = excluded.body", 1),
    step("SELECT id, body FROM docs ORDER BY id", 2),
  ], alice);
  g.add("ON CONFLICT DO UPDATE on a row the policies hide is 42501", [...docs(), mineAll], [
    step(row(3, "r_alice") + " ON CONFLICT (id) DO UPDATE SET body = excluded.body", "42501"),
  ], alice);
  g.add("ON CONFLICT DO UPDATE whose new row fails WITH CHECK is 42501", [
    ...docs(),
    pol("s", "FOR SELECT USING (true)"),
    pol("i", "FOR INSERT WITH CHECK (true)"),
    pol("u", "FOR UPDATE USING (true) WITH CHECK (owner = current_user)"),
  ], [
    step(row(1, "r_alice") + " ON CONFLICT (id) DO UPDATE SET owner = 'r_bob'", "42501"),
    step(row(1, "r_alice") + " ON CONFLICT (id) DO UPDATE SET body = 'ok'", 1),
  ], alice);
  g.add("ON CONFLICT DO UPDATE needs an UPDATE policy", [
    ...docs(),
    pol("s", "FOR SELECT USING (true)"),
    pol("i", "FOR INSERT WITH CHECK (true)"),
  ], [
    step(row(1, "r_alice") + " ON CONFLICT (id) DO UPDATE SET body = 'x'", "42501"),
    step(row(6, "r_alice") + " ON CONFLICT (id) DO UPDATE SET body = 'x'", 1),
  ], alice);
  g.add("ON CONFLICT DO UPDATE … WHERE false updates nothing", [...docs(), mineAll], [
    step(row(1, "r_alice") + " ON CONFLICT (id) DO UPDATE SET body = 'x' WHERE false", 0),
  ], alice);
  g.add("ON CONFLICT DO UPDATE … RETURNING", [...docs(), mineAll], [
    step(
      row(2, "r_alice") +
        " ON CONFLICT (id) DO UPDATE SET body = docs.body || excluded.body RETURNING id, body",
      1,
    ),
  ], alice);
  g.add("a column default from current_user passes the check", [
    "CREATE TABLE notes (id int PRIMARY KEY, owner text DEFAULT current_user, body text)",
    "GRANT SELECT, INSERT ON notes TO PUBLIC",
    "ALTER TABLE notes ENABLE ROW LEVEL SECURITY",
    pol("p", "USING (owner = current_user)", "notes"),
  ], [
    step("INSERT INTO notes (id, body) VALUES (1, 'x') RETURNING owner", 1),
    step("INSERT INTO notes (id, owner, body) VALUES (2, 'r_bob', 'x')", "42501"),
  ], alice);
  g.add(
    "an insert check that reads a membership table",
    [
      ...docs(),
      ...members(),
      pol("s", "FOR SELECT USING (true)"),
      pol(
        "i",
        "FOR INSERT WITH CHECK (EXISTS (SELECT 1 FROM members m WHERE m.tenant = docs.tenant AND m.member = current_user))",
      ),
    ],
    [step(row(6, "r_alice", 2), "42501"), step(row(7, "r_alice", 1), 1)],
    alice,
  );
  return g.list;
}

/** Every scenario of this file. */
export function writeScenarios(): Scenario[] {
  return [...updates(), ...deletes(), ...inserts()];
}
