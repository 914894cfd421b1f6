/**
 * @module ROWS FROM (f1(…), f2(…)) and several set-returning functions in one target list:
 * the functions run in lockstep, each row holding the next value of every function and NULLs
 * for the ones already exhausted, until all are done (PostgreSQL 10+'s semantics).
 */
import type { Datum } from "../datum.ts";
import type { RangeFunction } from "../sql/mod.ts";
import type { PlanNode, SetFn } from "../plan/mod.ts";
import { Oid } from "../types/mod.ts";
import { assert } from "../assert.ts";
import { mk } from "./build.ts";
import type { ScopeCol, ScopeItem } from "./scope.ts";

type FunctionScan = Extract<PlanNode, { op: "function_scan" }>;

/** One function of a zip: its implementation, how many arguments it takes and its width. */
interface ZipPart {
  fn: SetFn;
  argCount: number;
  width: number;
}

/** A set function over the concatenated arguments of `parts` that zips their rows. */
export function zipSetFunctions(parts: ZipPart[]): SetFn {
  return function* (args, ctx) {
    let at = 0;
    const iters = parts.map((p) => {
      const mine = args.slice(at, at + p.argCount);
      at += p.argCount;
      return p.fn(mine, ctx)[Symbol.iterator]();
    });
    const done = parts.map(() => false);
    for (;;) {
      const row: Datum[] = [];
      let any = false;
      iters.forEach((it, i) => {
        const r = done[i] ? undefined : it.next();
        if (r === undefined || r.done) {
          done[i] = true;
          for (let k = 0; k < parts[i]!.width; k++) row.push(null);
        } else {
          any = true;
          for (let k = 0; k < parts[i]!.width; k++) row.push(r.value[k] ?? null);
        }
      });
      if (!any) return;
      yield row;
    }
  };
}

/** Combines single-function scans into one ROWS FROM scan named and aliased as `f` says. */
export function zipFunctionScans(
  nodes: PlanNode[],
  f: RangeFunction,
  offset: number,
): { node: PlanNode; item: ScopeItem } {
  const parts = nodes.map((n) => {
    assert(n.op === "function_scan", "ROWS FROM part is a function scan");
    return n as FunctionScan;
  });
  const cols: ScopeCol[] = parts.flatMap((p) => p.cols.map((c) => ({ ...c })));
  if (f.ordinality) {
    cols.push({ name: "ordinality", type: Oid.int8, typmod: -1, tableOid: 0, attnum: 0 });
  }
  (f.alias?.columns ?? []).forEach((name, i) => {
    if (cols[i] !== undefined) cols[i]!.name = name;
  });
  const node = mk({
    op: "function_scan",
    name: parts.map((p) => p.name).join(", "),
    fn: zipSetFunctions(
      parts.map((p) => ({ fn: p.fn, argCount: p.args.length, width: p.cols.length })),
    ),
    args: parts.flatMap((p) => p.args),
    ordinality: f.ordinality,
    lateral: parts.some((p) => p.lateral),
    cols: cols.map((c) => ({ ...c })),
  });
  const alias = f.alias?.name ?? parts[0]!.name;
  return { node, item: { alias, offset, cols } };
}
