/**
 * @module EXPLAIN in PostgreSQL's text format: one line per node (`Seq Scan on t  (cost=…
 * rows=… width=…)`), details indented under it (`Filter: (…)`, `Index Cond: (…)`, `Hash Cond:
 * (…)`, `Sort Key: …`), and with ANALYZE the actual time, rows and loops of each node.
 */
import type { Datum } from "../datum.ts";
import { formatType, Numeric, Oid } from "../types/mod.ts";
import type { BExpr, PlanNode } from "./nodes.ts";

/** Options of {@link explainLines}. */
export interface ExplainOptions {
  costs: boolean;
  analyze: boolean;
  timing: boolean;
  verbose: boolean;
  stats?: Map<number, { rows: number; loops: number; startMs: number; totalMs: number }>;
}

function lit(v: Datum, type: number): string {
  if (v === null) return "NULL";
  let s: string;
  if (typeof v === "string") s = `'${v.replace(/'/g, "''")}'`;
  else if (v instanceof Numeric) s = v.toString();
  else if (typeof v === "bigint" || typeof v === "number") s = String(v);
  else if (typeof v === "boolean") return v ? "true" : "false";
  else s = `'${String(v)}'`;
  if (type === Oid.int4 || type === Oid.int8 || type === Oid.numeric) {
    return (typeof v === "number" || typeof v === "bigint") && Number(v) < 0
      ? `'${s}'::${formatType(type)}`
      : s;
  }
  return `${s}::${formatType(type)}`;
}

/** An expression as EXPLAIN prints it. */
export function deparse(e: BExpr, top = true): string {
  const wrap = (s: string) => (top ? `(${s})` : `(${s})`);
  switch (e.k) {
    case "const":
      return lit(e.value, e.type);
    case "col":
    case "outer":
      return e.name;
    case "param":
      return `$${e.n}`;
    case "call":
      if (e.op !== undefined && e.args.length === 2) {
        return wrap(`${deparse(e.args[0]!, false)} ${e.op} ${deparse(e.args[1]!, false)}`);
      }
      if (e.op !== undefined && e.args.length === 1) {
        return wrap(`${e.op} ${deparse(e.args[0]!, false)}`);
      }
      return `${e.name}(${e.args.map((a) => deparse(a, false)).join(", ")})`;
    case "cast":
      return `(${deparse(e.arg, false)})::${formatType(e.type, e.typmod)}`;
    case "and":
    case "or":
      return `(${e.args.map((a) => deparse(a, false)).join(e.k === "and" ? " AND " : " OR ")})`;
    case "not":
      return `(NOT ${deparse(e.arg, false)})`;
    case "nulltest":
      return `(${deparse(e.arg, false)} IS ${e.not ? "NOT " : ""}NULL)`;
    case "booltest":
      return `(${deparse(e.arg, false)} IS ${e.not ? "NOT " : ""}${e.test.toUpperCase()})`;
    case "anyall":
      return `(${deparse(e.left, false)} = ${e.all ? "ALL" : "ANY"} (${deparse(e.right, false)}))`;
    case "sublink":
      return e.sub === "exists" ? "(SubPlan)" : "(SubPlan)";
    case "coalesce":
      return `COALESCE(${e.args.map((a) => deparse(a, false)).join(", ")})`;
    case "case":
      return "CASE … END";
    default:
      return e.k;
  }
}

function nodeName(n: PlanNode): string {
  switch (n.op) {
    case "seqscan":
      return `Seq Scan on ${n.rel.name}${n.rel.alias !== n.rel.name ? ` ${n.rel.alias}` : ""}`;
    case "indexscan":
      return `Index Scan${n.reverse ? " Backward" : ""} using ${n.index.name} on ${n.rel.name}${
        n.rel.alias !== n.rel.name ? ` ${n.rel.alias}` : ""
      }`;
    case "join": {
      const kind = n.type === "inner"
        ? ""
        : n.type === "semi"
        ? " Semi"
        : n.type === "anti"
        ? " Anti"
        : ` ${n.type[0]!.toUpperCase()}${n.type.slice(1)}`;
      return n.method === "hash"
        ? `Hash${kind} Join`
        : `Nested Loop${kind === "" ? "" : kind + " Join"}`;
    }
    case "agg":
      return n.keys.length === 0 ? "Aggregate" : n.sets ? "MixedAggregate" : "HashAggregate";
    case "sort":
      return "Sort";
    case "limit":
      return "Limit";
    case "distinct":
      return n.on ? "Unique" : "HashAggregate";
    case "window":
      return "WindowAgg";
    case "values":
      return 'Values Scan on "*VALUES*"';
    case "result":
      return "Result";
    case "setop":
      return n.kind === "union"
        ? (n.all ? "Append" : "HashAggregate")
        : `HashSetOp ${n.kind === "intersect" ? "Intersect" : "Except"}${n.all ? " All" : ""}`;
    case "cte_scan":
      return `CTE Scan on ${n.name}`;
    case "worktable_scan":
      return `WorkTable Scan on ${n.name}`;
    case "recursive":
      return "Recursive Union";
    case "function_scan":
      return `Function Scan on ${n.name}`;
    case "subquery_scan":
      return `Subquery Scan on ${n.alias}`;
    case "system_scan":
      return `Seq Scan on ${n.name}`;
    case "project":
    case "filter":
      return n.op === "filter" ? "Result" : "Result";
  }
}

function conds(list: BExpr[]): string {
  const parts = list.map((x) => deparse(x));
  return parts.length === 1 ? parts[0]! : `(${parts.join(" AND ")})`;
}

function children(n: PlanNode): PlanNode[] {
  switch (n.op) {
    case "join":
      return [n.left, n.right];
    case "setop":
      return [n.left, n.right];
    case "recursive":
      return [n.base, n.step];
    case "filter":
    case "project":
    case "agg":
    case "window":
    case "sort":
    case "limit":
    case "distinct":
    case "subquery_scan":
      return [n.input];
    case "cte_scan":
      return [];
    default:
      return [];
  }
}

/** EXPLAIN's lines for a plan. */
export function explainLines(root: PlanNode, o: ExplainOptions): string[] {
  const out: string[] = [];
  const fmt = (x: number) => x.toFixed(2);
  const head = (n: PlanNode, name: string, depth: number) => {
    const pad = depth === 0 ? "" : " ".repeat(depth * 6 - 4) + "->  ";
    let line = pad + name;
    const e = n.est;
    if (o.costs) {
      line += `  (cost=${fmt(e.startup)}..${fmt(e.total)} rows=${
        Math.max(1, Math.round(e.rows))
      } width=${e.width})`;
    }
    if (o.analyze) {
      const st = o.stats?.get(n.id);
      if (st === undefined) line += " (never executed)";
      else {
        const loops = Math.max(st.loops, 1);
        const rows = Math.round(st.rows / loops);
        line += o.timing
          ? ` (actual time=${(st.startMs / loops).toFixed(3)}..${
            (Math.max(st.totalMs, st.startMs) / loops).toFixed(3)
          } rows=${rows} loops=${st.loops})`
          : ` (actual rows=${rows} loops=${st.loops})`;
      }
    }
    out.push(line);
  };
  const visit = (n: PlanNode, depth: number, hashed: boolean): void => {
    // Projections print as part of the node beneath them, as PostgreSQL's do.
    if (n.op === "project") return visit(n.input, depth, hashed);
    if (n.op === "subquery_scan" && depth > 0) return visit(n.input, depth, hashed);
    if (hashed) {
      head(n, "Hash", depth);
      return visit(n, depth + 1, false);
    }
    let filterAbove: BExpr | null = null;
    if (n.op === "filter" && n.input.op !== "agg" && n.input.op !== "window") {
      filterAbove = n.cond;
      n = n.input;
    }
    head(n, nodeName(n), depth);
    const det = " ".repeat(depth === 0 ? 2 : depth * 6 + 2);
    if (n.op === "indexscan" && n.indexCond.length > 0) {
      out.push(`${det}Index Cond: ${conds(n.indexCond)}`);
    }
    if ((n.op === "seqscan" || n.op === "indexscan") && n.filter) {
      out.push(`${det}Filter: ${deparse(n.filter)}`);
    }
    if (n.op === "join" && n.method === "hash") {
      out.push(`${det}Hash Cond: ${conds(n.hashCond)}`);
    }
    if (n.op === "join" && n.cond) out.push(`${det}Join Filter: ${deparse(n.cond)}`);
    if (n.op === "sort") {
      out.push(
        `${det}Sort Key: ${
          n.keys.map((k) => deparse(k.expr, false) + (k.desc ? " DESC" : "")).join(", ")
        }`,
      );
    }
    if (n.op === "agg" && n.keys.length > 0) {
      out.push(`${det}Group Key: ${n.keys.map((k) => deparse(k, false)).join(", ")}`);
    }
    if (n.op === "filter") out.push(`${det}Filter: ${deparse(n.cond)}`);
    if (filterAbove) out.push(`${det}Filter: ${deparse(filterAbove)}`);
    if (n.op === "join" && n.method === "index") {
      visit(n.left, depth + 1, false);
      const r = n.right as Extract<PlanNode, { op: "seqscan" }>;
      const alias = r.rel.alias !== r.rel.name ? ` ${r.rel.alias}` : "";
      out.push(
        `${" ".repeat((depth + 1) * 6 - 4)}->  Index Scan using ${
          n.index!.name
        } on ${r.rel.name}${alias}`,
      );
      out.push(`${" ".repeat((depth + 1) * 6 + 2)}Index Cond: ${conds(n.hashCond)}`);
      return;
    }
    if (n.op === "join") {
      visit(n.left, depth + 1, false);
      visit(n.right, depth + 1, n.method === "hash");
      return;
    }
    for (const ch of children(n)) visit(ch, depth + 1, false);
  };
  visit(root, 0, false);
  return out;
}
