/**
 * @module The differential fuzzer's loop: for each random schema, a fresh database on both sides,
 * the setup SQL, then random queries compared like hand-written `query` cases. On a mismatch the
 * query is shrunk (delta debugging over the query tree) and reported with the seed, the setup
 * and the minimal failing SQL.
 */
import { openBkg } from "./bkg_adapter.ts";
import { compareOutcomes } from "./compare.ts";
import { type FuzzQuery, genSchema, QueryGen, renderQuery, shrinkCandidates } from "./fuzz_gen.ts";
import { type Outcome, showOutcome, type SideConnection, type SideDatabase } from "./outcome.ts";
import type { PgSide } from "./pg_side.ts";
import { Rng } from "./rng.ts";
import type { SltRecord } from "./slt.ts";

/** How long and how wide to fuzz. */
export interface FuzzOptions {
  seed: number;
  /** Stop after this many seconds … */
  seconds?: number;
  /** … or after this many queries (whichever comes first). */
  queries?: number;
  queriesPerSchema?: number;
  /** false: PostgreSQL only (validates the generator). */
  withBkg: boolean;
  log?: (line: string) => void;
  /** The side compared with PostgreSQL (default: BKG-DB on a fresh data directory). */
  openOther?: () => Promise<SideDatabase>;
}

/** A difference between the sides, already shrunk. */
export interface FuzzMismatch {
  schema: number;
  query: number;
  setup: string[];
  sql: string;
  minimal: string;
  differences: string[];
  pg: Outcome;
  bkg: Outcome;
}

/** What a run did. */
export interface FuzzReport {
  seed: number;
  schemas: number;
  queries: number;
  /** PostgreSQL's outcomes by SQLSTATE (`ok` for success). */
  pgOutcomes: Map<string, number>;
  /** Queries PostgreSQL rejected as malformed (42xxx): bugs of the generator. */
  generatorBugs: string[];
  mismatch: FuzzMismatch | null;
}

function record(q: FuzzQuery): SltRecord {
  return {
    line: 0,
    kind: "query",
    errorCode: null,
    checkMessage: false,
    sort: q.orderBy === null ? "rowsort" : "nosort",
    sql: renderQuery(q),
    connection: "default",
  };
}

async function differs(q: FuzzQuery, pg: SideConnection, bkg: SideConnection) {
  const rec = record(q);
  const pgOut = await pg.run(rec.sql);
  if (!pgOut.ok && pgOut.error.code.startsWith("42")) return null;
  const bkgOut = await bkg.run(rec.sql);
  const v = compareOutcomes(rec, pgOut, bkgOut);
  return v.failures.length === 0 ? null : { pgOut, bkgOut, failures: v.failures };
}

async function shrink(q: FuzzQuery, pg: SideConnection, bkg: SideConnection): Promise<FuzzQuery> {
  let current = q;
  for (let round = 0; round < 200; round++) {
    let smaller: FuzzQuery | null = null;
    for (const c of shrinkCandidates(current)) {
      if ((await differs(c, pg, bkg)) !== null) {
        smaller = c;
        break;
      }
    }
    if (smaller === null) return current;
    current = smaller;
  }
  return current;
}

/** Runs the fuzzer against `pg` (and BKG-DB when `withBkg`). */
export async function fuzz(pgSide: PgSide, opts: FuzzOptions): Promise<FuzzReport> {
  const log = opts.log ?? (() => {});
  const rng = new Rng(opts.seed);
  const deadline = Date.now() + (opts.seconds ?? Infinity) * 1000;
  const maxQueries = opts.queries ?? Infinity;
  const perSchema = opts.queriesPerSchema ?? 50;
  const report: FuzzReport = {
    seed: opts.seed,
    schemas: 0,
    queries: 0,
    pgOutcomes: new Map(),
    generatorBugs: [],
    mismatch: null,
  };
  while (Date.now() < deadline && report.queries < maxQueries && report.mismatch === null) {
    const schemaIndex = report.schemas++;
    const schema = genSchema(rng);
    const pgDb = await pgSide.freshDatabase();
    const bkgDb = opts.withBkg ? await (opts.openOther ?? openBkg)() : null;
    try {
      const pg = await pgDb.connect();
      const bkg = bkgDb === null ? null : await bkgDb.connect();
      for (const sql of schema.setup) {
        const a = await pg.run(sql);
        if (!a.ok) throw new Error(`fuzz setup failed on PostgreSQL: ${showOutcome(a)}\n${sql}`);
        const b = bkg === null ? a : await bkg.run(sql);
        if (!b.ok) {
          report.mismatch = {
            schema: schemaIndex,
            query: -1,
            setup: schema.setup,
            sql,
            minimal: sql,
            differences: ["setup statement failed on BKG-DB"],
            pg: a,
            bkg: b,
          };
          return report;
        }
      }
      const gen = new QueryGen(rng, schema);
      for (let i = 0; i < perSchema; i++) {
        if (Date.now() >= deadline || report.queries >= maxQueries) break;
        const q = gen.query();
        const rec = record(q);
        report.queries++;
        const pgOut = await pg.run(rec.sql);
        const key = pgOut.ok ? "ok" : pgOut.error.code;
        report.pgOutcomes.set(key, (report.pgOutcomes.get(key) ?? 0) + 1);
        if (!pgOut.ok && key.startsWith("42")) {
          report.generatorBugs.push(`${key} ${pgOut.error.message}: ${rec.sql}`);
          continue;
        }
        if (bkg === null) continue;
        const d = await differs(q, pg, bkg);
        if (d === null) continue;
        log(`mismatch at schema ${schemaIndex} query ${i}; shrinking…`);
        const minimal = await shrink(q, pg, bkg);
        const m = (await differs(minimal, pg, bkg)) ?? d;
        report.mismatch = {
          schema: schemaIndex,
          query: i,
          setup: schema.setup,
          sql: rec.sql,
          minimal: renderQuery(minimal),
          differences: m.failures,
          pg: m.pgOut,
          bkg: m.bkgOut,
        };
        return report;
      }
    } finally {
      await pgDb.close();
      await bkgDb?.close();
    }
    log(`schema ${schemaIndex}: ${report.queries} queries so far`);
  }
  return report;
}

/** A readable report of a mismatch: the seed, the setup and the minimal query, both outputs. */
export function describeMismatch(seed: number, m: FuzzMismatch): string {
  return [
    `fuzz mismatch (BKG_COMPAT_SEED=${seed}, schema ${m.schema}, query ${m.query})`,
    "-- setup",
    ...m.setup.map((s) => s + ";"),
    "-- query as generated",
    m.sql + ";",
    "-- minimal failing query",
    m.minimal + ";",
    "-- differences",
    ...m.differences,
    "-- PostgreSQL",
    showOutcome(m.pg),
    "-- BKG-DB",
    showOutcome(m.bkg),
  ].join("\n");
}
