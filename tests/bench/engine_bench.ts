/**
 * @module SQL engine benchmark (issue 4): parse+bind+plan time of typical statements, a point
 * select by primary key (prepared), a 3-way join, and a GROUP BY over 1,000,000 rows — on
 * BKG-DB in process and on PostgreSQL 15 (tests/helpers/pg.ts), printed with the ratio.
 * PostgreSQL's numbers include a loopback round trip per statement (postgres.js); its planning
 * time comes from EXPLAIN's "Planning Time". A script, not a `deno bench` file:
 * `deno run -A tests/bench/engine_bench.ts`; `BKG_ENGINE_BENCH_ROWS` sets the GROUP BY table
 * size (default 1000000) and `BKG_ENGINE_BENCH_POINTS` the point selects (default 20000).
 */
import { Database } from "../../db/mod.ts";
import { startPostgres } from "../helpers/pg.ts";

const bigRows = Number(Deno.env.get("BKG_ENGINE_BENCH_ROWS") ?? 1_000_000);
const points = Number(Deno.env.get("BKG_ENGINE_BENCH_POINTS") ?? 20_000);

const setup = [
  "CREATE TABLE accounts (aid int PRIMARY KEY, bid int, abalance int, filler text)",
  "INSERT INTO accounts SELECT g, g % 10, 0, 'x' FROM generate_series(1, 100000) g",
  "CREATE TABLE branches (bid int PRIMARY KEY, bname text)",
  "INSERT INTO branches SELECT g, 'b' || g FROM generate_series(0, 9) g",
  "CREATE TABLE tellers (tid int PRIMARY KEY, bid int)",
  "INSERT INTO tellers SELECT g, g % 10 FROM generate_series(1, 100) g",
  "CREATE TABLE big (id int, grp int, v int)",
  `INSERT INTO big SELECT g, g % 1000, g % 97 FROM generate_series(1, ${bigRows}) g`,
];
const planned = [
  "SELECT abalance FROM accounts WHERE aid = 42",
  "UPDATE accounts SET abalance = abalance + 1 WHERE aid = 42",
  "SELECT b.bname, count(*) FROM accounts a JOIN branches b ON a.bid = b.bid WHERE a.aid < 100 GROUP BY b.bname ORDER BY 1",
];
const join3 =
  "SELECT b.bname, count(*) FROM accounts a JOIN tellers t ON t.bid = a.bid JOIN branches b ON b.bid = t.bid WHERE a.aid <= 2000 GROUP BY b.bname";
const groupBy = "SELECT grp, count(*), sum(v) FROM big GROUP BY grp";

async function time(fn: () => Promise<unknown>, n = 1): Promise<number> {
  await fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t) / n;
}

const results: { name: string; bkg: number; pg: number; unit: string }[] = [];

const dir = await Deno.makeTempDir({ prefix: "bkg-engine-bench-" });
const db = await Database.open(dir, { fsync: false, checkpointIntervalMs: 0, vacuumIntervalMs: 0 });
const s = await db.connect({ user: "postgres", database: "postgres" });
const pg = await startPostgres();
try {
  for (const q of setup) {
    await s.execute(q);
    await pg.sql.unsafe(q);
  }
  await pg.sql.unsafe("ANALYZE");
  for (const [i, q] of planned.entries()) {
    const bkg = await time(async () => {
      s.prepare(`p${i}`, q, []);
      await s.execute(`DEALLOCATE p${i}`);
    }, 200);
    const pgRows = await pg.sql.unsafe(`EXPLAIN (SUMMARY) ${q}`);
    const line = pgRows.map((r) => String(r["QUERY PLAN"])).find((l) =>
      l.startsWith("Planning Time")
    );
    const pgMs = Number(/([\d.]+) ms/.exec(line ?? "")?.[1] ?? NaN);
    results.push({ name: `parse+plan: ${q.slice(0, 50)}…`, bkg, pg: pgMs, unit: "ms" });
  }
  s.prepare("pt", "SELECT abalance FROM accounts WHERE aid = $1", [23]);
  let k = 0;
  const bkgPoint = await time(() => s.executePrepared("pt", [(k++ % 100000) + 1]), points);
  let j = 0;
  const pgPoint = await time(
    () => pg.sql`SELECT abalance FROM accounts WHERE aid = ${(j++ % 100000) + 1}`,
    points,
  );
  results.push({
    name: "point select by primary key (prepared)",
    bkg: bkgPoint * 1000,
    pg: pgPoint * 1000,
    unit: "µs",
  });
  results.push({
    name: "3-way join + GROUP BY",
    bkg: await time(() => s.execute(join3), 5),
    pg: await time(() => pg.sql.unsafe(join3), 5),
    unit: "ms",
  });
  results.push({
    name: `GROUP BY over ${bigRows} rows`,
    bkg: await time(() => s.execute(groupBy), 3),
    pg: await time(() => pg.sql.unsafe(groupBy), 3),
    unit: "ms",
  });
} finally {
  await pg.stop();
  await s.close();
  await db.close();
  await Deno.remove(dir, { recursive: true });
}
for (const r of results) {
  console.log(
    `${r.name.padEnd(75)} BKG ${r.bkg.toFixed(3).padStart(10)} ${r.unit}  PG ${
      r.pg.toFixed(3).padStart(10)
    } ${r.unit}  BKG/PG ${(r.bkg / r.pg).toFixed(2)}`,
  );
}
