/**
 * @module Small constructors for plan nodes and expression utilities the binder shares: node
 * creation with fresh ids, output columns from expressions, shifting column references, and
 * walking expressions.
 */
import type { BExpr, OutCol, PlanNode } from "../plan/mod.ts";
import { newNodeId, noEstimate } from "../plan/mod.ts";

type DistOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A plan node with a fresh id and a placeholder estimate. */
export function mk(n: DistOmit<PlanNode, "id" | "est">): PlanNode {
  return { ...n, id: newNodeId(), est: noEstimate() } as PlanNode;
}

/** An output column computed by an expression. */
export function outCol(name: string, e: BExpr, src?: OutCol): OutCol {
  return {
    name,
    type: e.type,
    typmod: e.typmod,
    tableOid: src?.tableOid ?? 0,
    attnum: src?.attnum ?? 0,
  };
}

/** Column references of this level (k "col") shifted by `delta`; sublink plans untouched. */
export function shiftCols(e: BExpr, delta: number): BExpr {
  if (delta === 0) return e;
  return mapExpr(e, (x) => x.k === "col" ? { ...x, index: x.index + delta } : undefined);
}

/** Rebuilds `e` bottom-up, replacing nodes for which `f` returns a value (not descending). */
export function mapExpr(e: BExpr, f: (x: BExpr) => BExpr | undefined): BExpr {
  const r = f(e);
  if (r !== undefined) return r;
  const m = (x: BExpr) => mapExpr(x, f);
  switch (e.k) {
    case "call":
      return { ...e, args: e.args.map(m) };
    case "cast":
      return { ...e, arg: m(e.arg) };
    case "and":
    case "or":
      return { ...e, args: e.args.map(m) };
    case "not":
      return { ...e, arg: m(e.arg) };
    case "case":
      return {
        ...e,
        whens: e.whens.map((w) => ({ cond: m(w.cond), result: m(w.result) })),
        else: e.else ? m(e.else) : null,
      };
    case "coalesce":
    case "minmax":
    case "row":
    case "grouping":
      return { ...e, args: e.args.map(m) };
    case "array":
      return { ...e, elems: e.elems.map(m) };
    case "nulltest":
    case "booltest":
      return { ...e, arg: m(e.arg) };
    case "anyall":
      return { ...e, left: m(e.left), right: m(e.right) };
    case "sublink":
      return { ...e, test: e.test ? m(e.test) : null };
    case "agg":
      return {
        ...e,
        agg: {
          ...e.agg,
          args: e.agg.args.map(m),
          filter: e.agg.filter ? m(e.agg.filter) : null,
          orderBy: e.agg.orderBy.map((s) => ({ ...s, expr: m(s.expr) })),
        },
      };
    case "window":
      return {
        ...e,
        win: {
          ...e.win,
          args: e.win.args.map(m),
          partitionBy: e.win.partitionBy.map(m),
          orderBy: e.win.orderBy.map((s) => ({ ...s, expr: m(s.expr) })),
          filter: e.win.filter ? m(e.win.filter) : null,
        },
      };
    default:
      return e;
  }
}

/** Visits every node of `e` (not into sublink plans). */
export function walkExpr(e: BExpr, f: (x: BExpr) => void): void {
  mapExpr(e, (x) => {
    f(x);
    return undefined;
  });
}

/** The set of this-level column indexes `e` reads; `sublinks` is set if it has subqueries. */
export function colsOf(e: BExpr): { cols: Set<number>; sublink: boolean; volatile: boolean } {
  const cols = new Set<number>();
  let sublink = false;
  let volatile = false;
  walkExpr(e, (x) => {
    if (x.k === "col") cols.add(x.index);
    if (x.k === "sublink") sublink = true;
    if (x.k === "call" && x.volatile) volatile = true;
  });
  return { cols, sublink, volatile };
}

/** A structural key of an expression (GROUP BY matching). */
export function exprKey(e: BExpr): string {
  return JSON.stringify(e, (k, v) => {
    if (k === "fn" || k === "cmp" || k === "plan") return undefined;
    if (typeof v === "bigint") return `${v}n`;
    if (k === "name" && typeof v === "string") return v;
    return v;
  });
}

/** Splits an AND tree into conjuncts. */
export function conjuncts(e: BExpr | null): BExpr[] {
  if (e === null) return [];
  if (e.k === "and") return e.args.flatMap(conjuncts);
  return [e];
}

/** Joins conjuncts with AND (null when empty). */
export function andOf(list: BExpr[]): BExpr | null {
  if (list.length === 0) return null;
  if (list.length === 1) return list[0]!;
  return { k: "and", type: 16, typmod: -1, args: list };
}
