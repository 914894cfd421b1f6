/**
 * @module A simple cost model, after PostgreSQL's defaults (seq_page_cost 1, cpu_tuple_cost
 * 0.01, cpu_operator_cost 0.0025, 100 rows a page): row estimates from table sizes and, for
 * `column op constant` on an ANALYZEd table, from its statistics (MCVs, histogram, null
 * fraction); otherwise fixed selectivities (equality 0.005, ranges 1/3); costs and row widths.
 */
import { comparator, isComparable, Oid } from "../types/mod.ts";
import { equalSelectivity, lessSelectivity, type TableStats } from "./stats.ts";
import type { BExpr, Estimate, OutCol, PlanNode } from "./nodes.ts";

const widths: Record<number, number> = {
  [Oid.bool]: 1,
  [Oid.int2]: 2,
  [Oid.int4]: 4,
  [Oid.int8]: 8,
  [Oid.float4]: 4,
  [Oid.float8]: 8,
  [Oid.date]: 4,
  [Oid.timestamp]: 8,
  [Oid.timestamptz]: 8,
  [Oid.uuid]: 16,
  [Oid.oid]: 4,
};

function width(cols: OutCol[]): number {
  return cols.reduce((s, c) => s + (widths[c.type] ?? 32), 0);
}

type StatsOf = (tableOid: number) => TableStats | undefined;

/** `col op const` (either side) over one table's row: the column's attnum, op and value. */
function columnComparison(e: BExpr): { attnum: number; op: string; value: BExpr } | undefined {
  if (e.k !== "call" || e.op === undefined || e.args.length !== 2) return undefined;
  const [a, b] = e.args as [BExpr, BExpr];
  const flip: Record<string, string> = { "<": ">", ">": "<", "<=": ">=", ">=": "<=" };
  if (a.k === "col" && b.k === "const") return { attnum: a.index + 1, op: e.op, value: b };
  if (b.k === "col" && a.k === "const") {
    return { attnum: b.index + 1, op: flip[e.op] ?? e.op, value: a };
  }
  return undefined;
}

/** A comparison's selectivity from ANALYZE statistics, when the column has them. */
function statsSelectivity(e: BExpr, t: TableStats | undefined): number | undefined {
  const m = t === undefined ? undefined : columnComparison(e);
  const s = m === undefined ? undefined : t!.columns.get(m.attnum);
  if (m === undefined || s === undefined || m.value.k !== "const") return undefined;
  const col = (e as Extract<BExpr, { k: "call" }>).args.find((x) => x.k === "col")!;
  if (col.type !== m.value.type || !isComparable(col.type)) return undefined;
  const cmp = comparator(col.type);
  const v = m.value.value;
  if (v === null) return 0;
  switch (m.op) {
    case "=":
      return equalSelectivity(s, t!.rows, v, cmp);
    case "<>":
      return Math.max(0, 1 - s.nullFrac - equalSelectivity(s, t!.rows, v, cmp));
    case "<":
    case "<=":
      return lessSelectivity(s, v, m.op === "<=", cmp);
    case ">":
    case ">=":
      return Math.max(0, 1 - s.nullFrac - lessSelectivity(s, v, m.op === ">", cmp));
  }
  return undefined;
}

function selectivity(e: BExpr | null, t?: TableStats): number {
  if (e === null) return 1;
  const fromStats = statsSelectivity(e, t);
  if (fromStats !== undefined) return fromStats;
  switch (e.k) {
    case "and":
      return e.args.reduce((s, a) => s * selectivity(a, t), 1);
    case "or":
      return Math.min(1, e.args.reduce((s, a) => s + selectivity(a, t), 0));
    case "call":
      if (e.op === "=") return 0.005;
      if (e.op === "<" || e.op === ">" || e.op === "<=" || e.op === ">=") return 1 / 3;
      if (e.op === "<>") return 0.995;
      return 0.5;
    case "nulltest": {
      const s = e.arg.k === "col" ? t?.columns.get(e.arg.index + 1) : undefined;
      if (s !== undefined) return e.not ? 1 - s.nullFrac : s.nullFrac;
      return e.not ? 0.995 : 0.005;
    }
    default:
      return 0.5;
  }
}

/** Fills `est` of every node bottom-up; `rowsOf` gives a table's current row count. */
export function estimate(
  n: PlanNode,
  rowsOf: (oid: number) => number,
  statsOf: StatsOf = () => undefined,
): Estimate {
  const set = (rows: number, startup: number, total: number): Estimate => {
    n.est = { rows: Math.max(rows, 1), startup, total, width: width(n.cols) };
    return n.est;
  };
  const sub = (x: PlanNode) => estimate(x, rowsOf, statsOf);
  switch (n.op) {
    case "seqscan": {
      const rows = Math.max(rowsOf(n.rel.oid), 1);
      const pages = Math.max(1, Math.ceil(rows / 100));
      const cpu = rows * 0.01 + (n.filter ? rows * 0.0025 : 0);
      return set(rows * selectivity(n.filter, statsOf(n.rel.oid)), 0, pages + cpu);
    }
    case "indexscan": {
      const rows = Math.max(rowsOf(n.rel.oid), 1);
      const t = statsOf(n.rel.oid);
      const sel = n.eq.length === n.index.slots.length && !n.lower && !n.upper && t === undefined
        ? 1 / rows
        : selectivity({ k: "and", type: 16, typmod: -1, args: n.indexCond }, t);
      const out = Math.max(1, rows * sel) * selectivity(n.filter, t);
      return set(out, 0.29, 0.29 + 8 * Math.max(1, out));
    }
    case "values":
      return set(n.rows.length, 0, n.rows.length * 0.0125);
    case "result":
      return set(1, 0, 0.01);
    case "filter": {
      const i = sub(n.input);
      return set(i.rows * selectivity(n.cond), i.startup, i.total + i.rows * 0.0025);
    }
    case "project": {
      const i = sub(n.input);
      return set(i.rows, i.startup, i.total);
    }
    case "join": {
      const l = sub(n.left);
      const r = sub(n.right);
      const sel = n.method === "hash" ? 1 / Math.max(r.rows, 1) : selectivity(n.cond);
      const rows = n.type === "semi" || n.type === "anti" ? l.rows * 0.5 : l.rows * r.rows * sel;
      if (n.method === "index") {
        const out = l.rows * (n.cond ? selectivity(n.cond) : 1);
        return set(out, l.startup, l.total + l.rows * 8.3);
      }
      if (n.method === "hash") {
        const build = r.total + r.rows * 0.0125;
        return set(rows, build, build + l.total + l.rows * 0.0125 + rows * 0.01);
      }
      return set(
        rows,
        l.startup + r.startup,
        l.total + l.rows * r.total + l.rows * r.rows * 0.0025,
      );
    }
    case "agg": {
      const i = sub(n.input);
      const rows = n.keys.length === 0 ? 1 : Math.min(200, i.rows);
      const total = i.total + i.rows * 0.0025 * Math.max(1, n.aggs.length + n.keys.length);
      return set(rows, total, total + rows * 0.01);
    }
    case "window": {
      const i = sub(n.input);
      return set(i.rows, i.total, i.total + i.rows * 0.0025 * n.funcs.length);
    }
    case "sort": {
      const i = sub(n.input);
      const c = i.total + 2 * 0.0025 * i.rows * Math.log2(Math.max(i.rows, 2));
      return set(i.rows, c, c + i.rows * 0.0025);
    }
    case "limit": {
      const i = sub(n.input);
      const lim = n.limit?.k === "const" && n.limit.value !== null ? Number(n.limit.value) : i.rows;
      const frac = Math.min(1, lim / Math.max(i.rows, 1));
      return set(Math.min(lim, i.rows), i.startup, i.startup + (i.total - i.startup) * frac);
    }
    case "distinct": {
      const i = sub(n.input);
      return set(Math.min(200, i.rows), i.total, i.total + i.rows * 0.0025);
    }
    case "setop": {
      const l = sub(n.left);
      const r = sub(n.right);
      return set(n.kind === "union" ? l.rows + r.rows : l.rows, 0, l.total + r.total);
    }
    case "cte_scan": {
      const i = sub(n.plan);
      return set(i.rows, 0, i.rows * 0.02);
    }
    case "recursive": {
      const b = sub(n.base);
      const s = sub(n.step);
      return set(b.rows * 10, 0, b.total + s.total * 10);
    }
    case "subquery_scan": {
      const i = sub(n.input);
      return set(i.rows, i.startup, i.total);
    }
    case "function_scan":
      return set(1000, 0, 10);
    case "system_scan":
      return set(100, 0, 1);
    case "worktable_scan":
      return set(100, 0, 1);
  }
}
