/**
 * @module The pure parts of window functions: row_number, rank, dense_rank, percent_rank,
 * cume_dist, ntile, lag, lead, first_value, last_value, nth_value. The executor sorts a
 * partition, computes for the current row its peer group (rows equal under ORDER BY) and frame,
 * and calls `def.impl(view, ctx, types)` with a {@link WindowView} of that state.
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { EvalContext } from "./context.ts";
import { Oid } from "./oids.ts";

/** What the executor feeds a window function for the current row. */
export interface WindowView {
  /** Rows in the partition. */
  rowCount: number;
  /** The current row's index in the (sorted) partition, 0-based. */
  current: number;
  /** The current row's peer group: rows [peerStart, peerEnd) tie with it under ORDER BY. */
  peerStart: number;
  peerEnd: number;
  /** 0-based index of the current peer group among the partition's peer groups (for dense_rank). */
  peerGroup: number;
  /** The current row's frame: rows [frameStart, frameEnd) (empty when frameStart >= frameEnd). */
  frameStart: number;
  frameEnd: number;
  /** The value of argument `k` evaluated at partition row `row`. */
  arg(k: number, row: number): Datum;
}

/** A window function definition. */
export interface WindowDef {
  name: string;
  args: number[];
  variadic: number;
  result: number;
  impl(view: WindowView, ctx: EvalContext, types: number[]): Datum;
}

const registry = new Map<string, WindowDef[]>();

function define(name: string, args: number[], result: number, impl: WindowDef["impl"]): void {
  const def: WindowDef = { name, args, variadic: 0, result, impl };
  const list = registry.get(name);
  if (list === undefined) registry.set(name, [def]);
  else list.push(def);
}

/** Every window function named `name` (aggregates can also be used as window functions). */
export function windowFunctionsNamed(name: string): readonly WindowDef[] {
  return registry.get(name) ?? [];
}

define("row_number", [], Oid.int8, (w) => BigInt(w.current + 1));
define("rank", [], Oid.int8, (w) => BigInt(w.peerStart + 1));
define("dense_rank", [], Oid.int8, (w) => BigInt(w.peerGroup + 1));
define(
  "percent_rank",
  [],
  Oid.float8,
  (w) => (w.rowCount <= 1 ? 0 : w.peerStart / (w.rowCount - 1)),
);
define("cume_dist", [], Oid.float8, (w) => w.peerEnd / w.rowCount);
define("ntile", [Oid.int4], Oid.int4, (w) => {
  const nb = w.arg(0, w.current);
  if (nb === null) return null;
  const buckets = nb as number;
  if (buckets <= 0) {
    throw new DbError(
      SqlState.invalidArgumentForNtile,
      "argument of ntile must be greater than zero",
    );
  }
  const total = w.rowCount;
  const q = Math.floor(total / buckets);
  const rem = total % buckets;
  if (q === 0) return w.current + 1;
  const big = rem * (q + 1);
  return w.current < big
    ? Math.floor(w.current / (q + 1)) + 1
    : rem + Math.floor((w.current - big) / q) + 1;
});

function shifted(w: WindowView, dir: 1 | -1, withOffset: boolean, withDefault: boolean): Datum {
  let offset = 1;
  if (withOffset) {
    const o = w.arg(1, w.current);
    if (o === null) return null;
    offset = o as number;
  }
  const row = w.current + dir * offset;
  if (row < 0 || row >= w.rowCount) return withDefault ? w.arg(2, w.current) : null;
  return w.arg(0, row);
}
for (const [name, dir] of [["lag", -1], ["lead", 1]] as const) {
  define(name, [Oid.anyelement], Oid.anyelement, (w) => shifted(w, dir, false, false));
  define(name, [Oid.anyelement, Oid.int4], Oid.anyelement, (w) => shifted(w, dir, true, false));
  define(
    name,
    [Oid.anycompatible, Oid.int4, Oid.anycompatible],
    Oid.anycompatible,
    (w) => shifted(w, dir, true, true),
  );
}
define(
  "first_value",
  [Oid.anyelement],
  Oid.anyelement,
  (w) => (w.frameStart < w.frameEnd ? w.arg(0, w.frameStart) : null),
);
define(
  "last_value",
  [Oid.anyelement],
  Oid.anyelement,
  (w) => (w.frameStart < w.frameEnd ? w.arg(0, w.frameEnd - 1) : null),
);
define("nth_value", [Oid.anyelement, Oid.int4], Oid.anyelement, (w) => {
  const n = w.arg(1, w.current);
  if (n === null) return null;
  if ((n as number) <= 0) {
    throw new DbError(
      SqlState.invalidArgumentForNthValue,
      "argument of nth_value must be greater than zero",
    );
  }
  const row = w.frameStart + (n as number) - 1;
  return row < w.frameEnd ? w.arg(0, row) : null;
});
