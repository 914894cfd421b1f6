/**
 * @module The pg_stats view: one row per ANALYZEd column (db/plan/stats.ts), with PostgreSQL's
 * columns and its filter: only columns the current role may SELECT, of tables where row-level
 * security does not apply to it (the values would otherwise leak rows a policy hides).
 * most_common_vals and histogram_bounds are anyarray in PostgreSQL; here they are the same
 * array text typed text (compare them as `::text`).
 */
import { type Catalog, hasColumnPriv } from "../catalog/mod.ts";
import { rlsApplies } from "../rewrite/mod.ts";
import type { Datum } from "../datum.ts";
import { arrayOf, Oid, outputText, PgArray } from "../types/mod.ts";
import type { EngineContext } from "./functions.ts";

const F4 = Oid.float4;

/** pg_stats' columns and rows, in system_tables.ts's shape. */
export const pgStatsTable = {
  cols: [
    ["schemaname", Oid.name],
    ["tablename", Oid.name],
    ["attname", Oid.name],
    ["inherited", Oid.bool],
    ["null_frac", F4],
    ["avg_width", Oid.int4],
    ["n_distinct", F4],
    ["most_common_vals", Oid.text],
    ["most_common_freqs", Oid.float4Array],
    ["histogram_bounds", Oid.text],
    ["correlation", F4],
    ["most_common_elems", Oid.text],
    ["most_common_elem_freqs", Oid.float4Array],
    ["elem_count_histogram", Oid.float4Array],
  ] as [string, number][],
  rows: (cat: Catalog, ctx: EngineContext): Datum[][] => {
    const out: Datum[][] = [];
    const role = cat.roles.get(ctx.currentUser())?.oid ?? 0;
    for (const [oid, t] of ctx.tableStats?.() ?? []) {
      const rel = cat.relationByOid(oid);
      if (rel === undefined || rlsApplies(cat, rel, role, true)) continue;
      for (const [attnum, s] of t.columns) {
        const col = rel.columns[attnum - 1];
        if (col === undefined || col.dropped || !hasColumnPriv(cat, rel, attnum, role, "r")) {
          continue;
        }
        const arrayType = arrayOf(col.type);
        const arr = (vals: Datum[]) =>
          vals.length === 0 || arrayType === 0
            ? null
            : outputText(arrayType, PgArray.of(vals), ctx);
        out.push([
          cat.schemaName(rel.schema),
          rel.name,
          col.name,
          false,
          Math.fround(s.nullFrac),
          s.avgWidth,
          Math.fround(s.nDistinct),
          arr(s.mcv),
          s.mcvFreqs.length === 0 ? null : PgArray.of(s.mcvFreqs),
          arr(s.histogram),
          s.correlation,
          null,
          null,
          null,
        ]);
      }
    }
    return out;
  },
};
