/**
 * @module ANALYZE's statistics in the planner: before ANALYZE a filter gets the fixed guesses
 * (0.5% for equality), after it the most common values, the spread of the rest and the null
 * fraction give PostgreSQL's row estimates; statistics follow the data on the next ANALYZE and
 * are shared by every session of the database.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { engine, rows } from "./helpers.ts";

async function estimate(s: Parameters<typeof rows>[0], where: string): Promise<number> {
  const line = (await rows(s, `EXPLAIN SELECT * FROM st WHERE ${where}`))[0]![0] as string;
  const m = / rows=(\d+) /.exec(line);
  ok(m !== null, line);
  return Number(m[1]);
}

Deno.test("ANALYZE statistics drive the row estimates of filters", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE TABLE st (id int PRIMARY KEY, g int, s text)");
    await s.execute(
      "INSERT INTO st SELECT i, i % 5, CASE WHEN i % 3 = 0 THEN NULL ELSE 'v' || (i % 7) END " +
        "FROM generate_series(1, 2000) i",
    );
    await s.execute("INSERT INTO st SELECT 10000 + i, 99, 'rare' FROM generate_series(1, 3) i");
    // Without statistics: PostgreSQL's default equality selectivity (0.005 of 2003 rows).
    assertEquals(await estimate(s, "g = 1"), 10);
    await s.execute("ANALYZE st");
    // The numbers PostgreSQL 15 prints for the same table (tests/compat/cases/095_*.slt checks
    // pg_stats itself against it).
    assertEquals(await estimate(s, "g = 99"), 3);
    assertEquals(await estimate(s, "g = 1"), 400);
    assertEquals(await estimate(s, "g = 7"), 1);
    assertEquals(await estimate(s, "s IS NULL"), 666);
    assertEquals(await estimate(s, "g <> 1 AND s = 'v3'"), 152);
    // New data changes nothing until the next ANALYZE.
    await s.execute("UPDATE st SET g = 99 WHERE g = 1");
    assertEquals(await estimate(s, "g = 1"), 400);
    await s.execute("ANALYZE st (g)");
    assertEquals(await estimate(s, "g = 1"), 1);
    assertEquals(await estimate(s, "g = 99"), 403);
  } finally {
    await cleanup();
  }
});

Deno.test("ANALYZE names a missing table or column with PostgreSQL's errors", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE TABLE st (id int)");
    await s.execute("INSERT INTO st VALUES (1), (1), (2)");
    await s.execute("ANALYZE");
    assertEquals(
      await rows(
        s,
        "SELECT attname, n_distinct::text, most_common_vals FROM pg_stats WHERE tablename = 'st'",
      ),
      [["id", "-0.6666667", "{1}"]],
    );
    await s.execute("ANALYZE nosuch").then(() => ok(false, "no error"), (e) => {
      assertEquals(e.code, "42P01");
    });
    await s.execute("ANALYZE st (nosuch)").then(() => ok(false, "no error"), (e) => {
      assertEquals(e.code, "42703");
    });
  } finally {
    await cleanup();
  }
});
