/**
 * @module The planner's choices as EXPLAIN shows them: index scans for equality on a primary
 * key and on composite-index prefixes, hash joins for equi-joins, filters pushed into scans;
 * and EXPLAIN ANALYZE's actual row counts.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { engine, rows } from "./helpers.ts";

async function plan(s: Parameters<typeof rows>[0], sql: string): Promise<string> {
  return (await rows(s, `EXPLAIN ${sql}`)).map((r) => r[0]).join("\n");
}

Deno.test("equality on a primary key is an Index Scan with an Index Cond", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE TABLE t (id int PRIMARY KEY, grp int, name text)");
    await s.execute("INSERT INTO t SELECT g, g % 10, 'n' || g FROM generate_series(1, 1000) g");
    const p = await plan(s, "SELECT name FROM t WHERE id = 42");
    ok(p.startsWith("Index Scan using t_pkey on t"), p);
    ok(p.includes("Index Cond: (id = 42)"), p);
    assertEquals(await rows(s, "SELECT name FROM t WHERE id = 42"), [["n42"]]);
    const q = await plan(s, "SELECT name FROM t WHERE grp = 3");
    ok(q.startsWith("Seq Scan on t"), q);
    ok(q.includes("Filter: (grp = 3)"), q);
  } finally {
    await cleanup();
  }
});

Deno.test("a composite index serves an equality on its leading column", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE TABLE m (a int, b int, c text); CREATE INDEX m_ab ON m (a, b)");
    await s.execute("INSERT INTO m SELECT g % 50, g, 'x' FROM generate_series(1, 2000) g");
    const p = await plan(s, "SELECT b FROM m WHERE a = 7 AND b > 100");
    ok(p.startsWith("Index Scan using m_ab on m"), p);
    assertEquals(await rows(s, "SELECT count(*) FROM m WHERE a = 7 AND b > 100"), [["38"]]);
  } finally {
    await cleanup();
  }
});

Deno.test("equi-joins are hash joins; EXPLAIN ANALYZE reports actual rows", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute(
      "CREATE TABLE a (id int PRIMARY KEY, grp int); CREATE TABLE b (grp int, label text)",
    );
    await s.execute("INSERT INTO a SELECT g, g % 10 FROM generate_series(1, 500) g");
    await s.execute("INSERT INTO b SELECT g, 'l' || g FROM generate_series(0, 9) g");
    const p = await plan(s, "SELECT a.id, b.label FROM a JOIN b ON a.grp = b.grp");
    ok(p.startsWith("Hash Join"), p);
    ok(p.includes("Hash Cond: (a.grp = b.grp)"), p);
    const an = (await rows(s, "EXPLAIN ANALYZE SELECT count(*) FROM a JOIN b ON a.grp = b.grp"))
      .map((r) => r[0]);
    ok(an.some((l) => /Hash Join .*actual time=.* rows=500 loops=1/.test(l!)), an.join("\n"));
    ok(an.some((l) => l!.startsWith("Execution Time:")), an.join("\n"));
  } finally {
    await cleanup();
  }
});

Deno.test("a small outer side joins a big table through its primary key (index nested loop)", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute(
      "CREATE TABLE big (id int PRIMARY KEY, v int); CREATE TABLE small (id int, ref int)",
    );
    await s.execute("INSERT INTO big SELECT g, g * 2 FROM generate_series(1, 20000) g");
    await s.execute("INSERT INTO small VALUES (1, 5), (2, 19999), (3, 40000)");
    const p = await plan(s, "SELECT small.id, big.v FROM small JOIN big ON big.id = small.ref");
    ok(p.startsWith("Nested Loop"), p);
    ok(p.includes("Index Scan using big_pkey on big"), p);
    assertEquals(
      await rows(s, "SELECT small.id, big.v FROM small JOIN big ON big.id = small.ref ORDER BY 1"),
      [
        ["1", "10"],
        ["2", "39998"],
      ],
    );
    assertEquals(await rows(s, "SELECT count(*) FROM small LEFT JOIN big ON big.id = small.ref"), [[
      "3",
    ]]);
  } finally {
    await cleanup();
  }
});
