/**
 * @module Hash aggregation and hash joins against PostgreSQL 15: group keys on both sides of the
 * executor's small-integer array table (negative, 0…4095, larger, floats, NaN, -0, numerics of
 * different scales), grouping sets, inner hash joins with a residual condition, left, semi and
 * anti joins; and a GROUP BY that still notices a cancel while it consumes its input.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { startPostgres } from "../../helpers/pg.ts";
import { engine } from "../engine/helpers.ts";
import type { DbError } from "../../../db/sqlstate.ts";

const setup = [
  "CREATE TABLE t (g int, k int, f float8, n numeric)",
  `INSERT INTO t SELECT g, (g % 5003) - 3, CASE WHEN g % 7 = 0 THEN 'NaN'::float8
     WHEN g % 7 = 1 THEN -0.0::float8 ELSE (g % 5) / 2.0 END, (g % 4)::numeric / 2
   FROM generate_series(1, 20000) g`,
  "INSERT INTO t VALUES (0, 4095, 0, 1.0), (0, 4096, 0, 1.00), (0, 9000000, 0, 1)",
  "CREATE TABLE r (k int, tag text)",
  "INSERT INTO r SELECT g % 50, 'r' || g FROM generate_series(1, 200) g",
  "INSERT INTO r VALUES (NULL, 'none'), (4999, 'last')",
];

const queries = [
  "SELECT k::text, count(*)::text, sum(g)::text FROM t GROUP BY k",
  "SELECT f::text, count(*)::text FROM t GROUP BY f",
  "SELECT n::text, count(*)::text FROM t GROUP BY n",
  "SELECT (k % 3)::text, (k % 2)::text, count(*)::text FROM t GROUP BY ROLLUP (k % 3, k % 2)",
  "SELECT count(*)::text, count(DISTINCT k)::text, sum(k)::text FROM t",
  "SELECT t.k::text, r.tag FROM t JOIN r ON r.k = t.k AND r.tag <> 'r7' WHERE t.g < 400",
  "SELECT t.g::text, r.tag FROM t LEFT JOIN r ON r.k = t.k WHERE t.g < 120",
  "SELECT t.g::text FROM t WHERE EXISTS (SELECT 1 FROM r WHERE r.k = t.k) AND t.g < 300",
  "SELECT t.g::text FROM t WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.k = t.k) AND t.g < 300",
];

const sorted = (rows: (string | null)[][]): string[] => rows.map((r) => JSON.stringify(r)).sort();

Deno.test("hash aggregation and hash joins give PostgreSQL's rows across integer, float and numeric keys", async () => {
  const pg = await startPostgres();
  const { s, cleanup } = await engine();
  try {
    for (const q of setup) {
      await s.execute(q);
      await pg.sql.unsafe(q);
    }
    for (const q of queries) {
      const ours = (await s.execute(q)).at(-1)!.rows as (string | null)[][];
      const theirs = (await pg.sql.unsafe(q).values()) as (string | null)[][];
      assertEquals(sorted(ours), sorted(theirs), q);
      assertEquals(ours.length > 0, true, q);
    }
  } finally {
    await cleanup();
    await pg.stop();
  }
});

Deno.test("a GROUP BY notices a cancel while it consumes its input", async () => {
  const { s, cleanup } = await engine();
  try {
    const running = s.execute(
      "SELECT a % 10, count(*) FROM generate_series(1, 20000) a, generate_series(1, 20000) b GROUP BY 1",
    );
    setTimeout(() => s.cancel(), 20);
    const err = await running.then(() => null, (e) => e as DbError);
    assertEquals(err?.code, "57014");
    assertEquals(err?.message, "canceling statement due to user request");
  } finally {
    await cleanup();
  }
});
