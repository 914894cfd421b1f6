/**
 * @module ANALYZE [table [(columns)]] and VACUUM ANALYZE: reads the visible rows of each table
 * (every ordinary table of the database when none is named) and stores its per-column
 * statistics (db/plan/stats.ts) for the cost model and pg_stats. Tables hold at most
 * `limits.statsRowsMax` sampled rows' worth of work: a bigger table is sampled uniformly.
 */
import type { Datum } from "../datum.ts";
import type { Catalog, RelationDef } from "../catalog/mod.ts";
import type { Transaction } from "../txn/mod.ts";
import type { VacuumStmt } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { limits } from "../limits.ts";
import { type ColumnStats, columnStats, statsFor } from "../plan/mod.ts";
import {
  comparator,
  type EvalContext,
  isComparable,
  Numeric,
  numericStoredBytes,
  outputText,
  typeByOid,
} from "../types/mod.ts";

const utf8 = new TextEncoder();

/** Bytes a value takes as PostgreSQL stores it (pg_stats.avg_width). */
function storedWidth(type: number, v: Datum, ctx: EvalContext): number {
  const len = typeByOid(type)?.len ?? -1;
  if (len > 0) return len;
  if (v instanceof Numeric) return numericStoredBytes(v, 1);
  const bytes = typeof v === "string"
    ? utf8.encode(v).length
    : v instanceof Uint8Array
    ? v.length
    : utf8.encode(outputText(type, v, ctx)).length;
  return bytes + (bytes < 127 ? 1 : 4);
}

/** True when the statement asks for statistics (ANALYZE, VACUUM ANALYZE, VACUUM (ANALYZE)). */
export function wantsAnalyze(stmt: VacuumStmt): boolean {
  return !stmt.isVacuum || stmt.options.some((o) =>
    o.name === "analyze" &&
    !(o.arg?.kind === "word" && ["false", "off"].includes(o.arg.value)) &&
    !(o.arg?.kind === "integer" && o.arg.value === 0)
  );
}

/**
 * Gathers the statistics of the statement's tables.
 *
 * @example
 * analyzeTables(txn, catalog, stmt, { database: db, find, ctx });
 */
export function analyzeTables(
  txn: Transaction,
  cat: Catalog,
  stmt: VacuumStmt,
  opts: {
    database: object;
    find: (schema: string | null, name: string) => RelationDef | undefined;
    ctx: EvalContext;
  },
): void {
  const targets: { rel: RelationDef; columns: string[] }[] = stmt.relations.length > 0
    ? stmt.relations.map(({ relation, columns }) => {
      const rel = opts.find(relation.schema, relation.name);
      if (rel === undefined) {
        throw new DbError(SqlState.undefinedTable, `relation "${relation.name}" does not exist`);
      }
      return { rel, columns };
    })
    : cat.all("relation").filter((r) => r.kind === "r" && cat.schemaName(r.schema) !== "pg_catalog")
      .map((rel) => ({ rel, columns: [] }));
  const store = statsFor(opts.database);
  for (const { rel, columns } of targets) {
    if (rel.kind !== "r") continue;
    const cols = rel.columns.filter((c) => !c.dropped);
    for (const name of columns) {
      if (!cols.some((c) => c.name === name)) {
        throw new DbError(
          SqlState.undefinedColumn,
          `column "${name}" of relation "${rel.name}" does not exist`,
        );
      }
    }
    const wanted = columns.length > 0 ? cols.filter((c) => columns.includes(c.name)) : cols;
    const sample: Datum[][] = wanted.map(() => []);
    let seen = 0;
    const c = txn.scan(rel.oid);
    while (c.next()) {
      seen++;
      // Reservoir sampling past the limit keeps every row equally likely.
      let slot = sample[0]?.length ?? 0;
      if (seen > limits.statsRowsMax) {
        slot = Math.floor(Math.random() * seen);
        if (slot >= limits.statsRowsMax) continue;
      }
      wanted.forEach((col, i) => (sample[i]![slot] = c.row[col.attnum - 1] ?? null));
    }
    if (seen === 0) continue; // PostgreSQL keeps no statistics for an empty table
    const stats = store.get(rel.oid)?.columns ?? new Map<number, ColumnStats>();
    wanted.forEach((col, i) => {
      const cmp = isComparable(col.type) ? comparator(col.type, opts.ctx) : null;
      const s = columnStats(sample[i]!, cmp, (v) => storedWidth(col.type, v, opts.ctx));
      // An all-NULL column: a fixed-width type keeps its width, a varlena 0.
      if (s.nullFrac === 1) s.avgWidth = Math.max(typeByOid(col.type)?.len ?? 0, 0);
      stats.set(col.attnum, s);
    });
    store.set(rel.oid, { rows: seen, columns: stats });
  }
}
