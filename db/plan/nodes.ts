/**
 * @module The plan: bound expressions (BExpr) and plan nodes. The binder builds a logical plan
 * of these nodes, the planner's rules rewrite it (filters pushed into scans, index scans, hash
 * joins) and fill estimates, and the executor runs it. Plans are immutable once planned: all
 * per-run state lives in the executor, so a cached plan runs again.
 */
import type { Datum } from "../datum.ts";
import type { EvalContext } from "../types/mod.ts";

/** A scalar function: strict ones are not called with a NULL argument. */
export type ScalarFn = (args: Datum[], ctx: EvalContext) => Datum;

/** A bound expression. `type` is its result type OID. */
export type BExpr =
  | { k: "const"; type: number; typmod: number; value: Datum }
  | { k: "col"; type: number; typmod: number; index: number; name: string }
  | { k: "outer"; type: number; typmod: number; level: number; index: number; name: string }
  | { k: "param"; type: number; typmod: number; n: number }
  | {
    k: "call";
    type: number;
    typmod: number;
    name: string;
    fn: ScalarFn;
    args: BExpr[];
    strict: boolean;
    volatile: boolean;
    /** Set for operators: printed infix in EXPLAIN. */
    op?: string;
    /** A SQL value function's keyword (CURRENT_TIMESTAMP), for deparsing. */
    sql?: string;
  }
  | {
    k: "cast";
    type: number;
    typmod: number;
    arg: BExpr;
    explicit: boolean;
    /** A SQL value function's keyword (CURRENT_DATE), for deparsing. */
    sql?: string;
  }
  | { k: "and" | "or"; type: number; typmod: number; args: BExpr[] }
  | { k: "not"; type: number; typmod: number; arg: BExpr }
  | {
    k: "case";
    type: number;
    typmod: number;
    /** `CASE arg WHEN v …`: each cond is `arg = v` (deparsing prints the simple form). */
    arg?: BExpr;
    whens: { cond: BExpr; result: BExpr }[];
    else: BExpr | null;
  }
  | { k: "coalesce"; type: number; typmod: number; args: BExpr[] }
  | {
    k: "minmax";
    type: number;
    typmod: number;
    greatest: boolean;
    args: BExpr[];
    cmp: (a: Datum, b: Datum) => number;
  }
  | { k: "nulltest"; type: number; typmod: number; arg: BExpr; not: boolean }
  | {
    k: "booltest";
    type: number;
    typmod: number;
    arg: BExpr;
    test: "true" | "false" | "unknown";
    not: boolean;
  }
  | {
    k: "anyall";
    type: number;
    typmod: number;
    left: BExpr;
    right: BExpr;
    all: boolean;
    fn: ScalarFn;
    /** The operator's name, for deparsing. */
    op?: string;
  }
  | {
    k: "sublink";
    type: number;
    typmod: number;
    sub: "exists" | "any" | "all" | "expr" | "array";
    plan: PlanNode;
    /** any/all: the left operand and the comparison (args [left, subquery column]). */
    test: BExpr | null;
    fn: ScalarFn | null;
    correlated: boolean;
    /** Row-valued any/all: one comparison per column (args [left, subquery column]). */
    rowTests?: Extract<BExpr, { k: "call" }>[];
  }
  | { k: "array"; type: number; typmod: number; elems: BExpr[] }
  | { k: "row"; type: number; typmod: number; args: BExpr[]; names?: string[] }
  | { k: "agg"; type: number; typmod: number; agg: AggCall }
  | { k: "window"; type: number; typmod: number; win: WinCall }
  | { k: "grouping"; type: number; typmod: number; args: BExpr[] }
  | { k: "default"; type: number; typmod: number };

/** An aggregate call. */
export interface AggCall {
  name: string;
  args: BExpr[];
  distinct: boolean;
  star: boolean;
  filter: BExpr | null;
  orderBy: SortKey[];
  type: number;
  /** Argument types (for the aggregate's state functions). */
  argTypes: number[];
}

/** A window function call. */
export interface WinCall {
  name: string;
  args: BExpr[];
  type: number;
  argTypes: number[];
  partitionBy: BExpr[];
  orderBy: SortKey[];
  frame: WinFrame;
  /** Aggregate used as a window function. */
  isAgg: boolean;
  filter: BExpr | null;
  distinct: boolean;
  star: boolean;
}

/** A window frame. */
export interface WinFrame {
  mode: "rows" | "range" | "groups";
  start: { type: string; offset: BExpr | null };
  end: { type: string; offset: BExpr | null };
  exclude: "current_row" | "group" | "ties" | "no_others";
  /** Whether a frame was written (without one: RANGE UNBOUNDED PRECEDING to CURRENT ROW). */
  explicit: boolean;
}

/** A sort key. */
export interface SortKey {
  expr: BExpr;
  desc: boolean;
  nullsFirst: boolean;
  cmp: (a: Datum, b: Datum) => number;
}

/** An output column of a plan node. */
export interface OutCol {
  name: string;
  type: number;
  typmod: number;
  tableOid: number;
  attnum: number;
}

/** Estimates of a node (rows and a simple cost). */
export interface Estimate {
  rows: number;
  startup: number;
  total: number;
  width: number;
}

/** A relation as a scan sees it. */
export interface ScanRel {
  oid: number;
  storageId: number;
  name: string;
  alias: string;
  schema: string;
  /** Number of storage slots (dropped columns included). */
  width: number;
}

/** Actual numbers of EXPLAIN ANALYZE, filled by the executor in a side table. */
export type NodeId = number;

interface Base {
  id: NodeId;
  cols: OutCol[];
  est: Estimate;
}

/** A plan node. */
export type PlanNode =
  | Base & { op: "result" }
  | Base & { op: "values"; rows: BExpr[][] }
  | Base & { op: "seqscan"; rel: ScanRel; rowId: boolean; filter: BExpr | null }
  | Base & {
    op: "indexscan";
    rel: ScanRel;
    index: { oid: number; name: string; slots: number[] };
    /** Equality values for a prefix of the index columns. */
    eq: BExpr[];
    lower: { value: BExpr; inclusive: boolean } | null;
    upper: { value: BExpr; inclusive: boolean } | null;
    /** The conditions the index answers, for EXPLAIN's Index Cond. */
    indexCond: BExpr[];
    filter: BExpr | null;
    rowId: boolean;
    reverse: boolean;
  }
  | Base & { op: "filter"; input: PlanNode; cond: BExpr }
  | Base & { op: "project"; input: PlanNode; exprs: BExpr[] }
  | Base & {
    op: "join";
    method: "nestloop" | "hash" | "index";
    type: JoinType;
    left: PlanNode;
    right: PlanNode;
    /** The join condition over the concatenated row (residual for hash joins). */
    cond: BExpr | null;
    /** Hash join keys: left keys over the left row, right keys over the right row. */
    leftKeys: BExpr[];
    rightKeys: BExpr[];
    /** EXPLAIN's Hash Cond (over the concatenated row). */
    hashCond: BExpr[];
    /** The right side reads the left row (LATERAL): re-run it per left row. */
    lateral: boolean;
    /** Index nested loop: the right side is looked up in this index by `leftKeys`. */
    index?: { oid: number; name: string };
  }
  | Base & {
    op: "agg";
    input: PlanNode;
    keys: BExpr[];
    aggs: AggCall[];
    /** GROUPING SETS as lists of key indexes; null: one set of all keys. */
    sets: number[][] | null;
  }
  | Base & { op: "window"; input: PlanNode; funcs: WinCall[] }
  | Base & { op: "sort"; input: PlanNode; keys: SortKey[] }
  | Base & { op: "limit"; input: PlanNode; limit: BExpr | null; offset: BExpr | null }
  | Base & { op: "distinct"; input: PlanNode; on: SortKey[] | null }
  | Base & {
    op: "setop";
    kind: "union" | "intersect" | "except";
    all: boolean;
    left: PlanNode;
    right: PlanNode;
  }
  | Base & { op: "cte_scan"; cteId: number; name: string; plan: PlanNode }
  | Base & { op: "recursive"; cteId: number; base: PlanNode; step: PlanNode; all: boolean }
  | Base & { op: "worktable_scan"; cteId: number; name: string }
  | Base & {
    op: "function_scan";
    name: string;
    fn: SetFn;
    args: BExpr[];
    ordinality: boolean;
    lateral: boolean;
  }
  | Base & { op: "subquery_scan"; input: PlanNode; alias: string; lateral: boolean }
  | Base & { op: "system_scan"; name: string; produce: (ctx: EvalContext) => Datum[][] };

/** A set-returning function: rows of values (one per output column). */
export type SetFn = (args: Datum[], ctx: EvalContext) => Iterable<Datum[]>;

/** Join types, semi and anti included (EXISTS / NOT EXISTS). */
export type JoinType = "inner" | "left" | "right" | "full" | "semi" | "anti";

let nextId = 1;

/** A fresh node id. */
export function newNodeId(): NodeId {
  return nextId++;
}

/** An estimate to be filled in by the planner. */
export function noEstimate(): Estimate {
  return { rows: 1000, startup: 0, total: 0, width: 32 };
}
