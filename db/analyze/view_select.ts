/**
 * @module One SELECT of a view's query as ruleutils' get_basic_select_query prints it: the
 * target list (star expanded, `AS` where the name differs, wrapped at the wrap column), FROM,
 * WHERE, GROUP BY (grouping sets), HAVING, WINDOW, then ORDER BY, OFFSET and LIMIT.
 */
import type { BExpr } from "../plan/mod.ts";
import type { Expr, FuncCall, GroupByItem, Query, SelectStmt, SubLink } from "../sql/mod.ts";
import { Oid, quoteIdent } from "../types/mod.ts";
import type { BindCtx } from "./context.ts";
import { bindExpr } from "./expr.ts";
import { coerce } from "./coerce.ts";
import { targetName } from "./colname.ts";
import { deparseExpr } from "./deparse.ts";
import { type Printer, STD, type Target, Unprintable } from "./view_deparse.ts";
import { collect } from "./view_normalize.ts";
import { windowSpecText } from "./view_calls.ts";
import { fromClause } from "./view_from.ts";

export function selectQuery(p: Printer, s: SelectStmt, c: BindCtx, names: string[] | null): void {
  p.indent += STD;
  p.buf += " SELECT";
  c.aggs = [];
  c.windows = [];
  const targets: Target[] = [];
  const distinctAt = p.buf.length;
  let sep = " ";
  let colno = 0;
  let lastMulti = false;
  const emit = (text: string) => {
    p.buf += sep;
    sep = ", ";
    colno++;
    if (p.wrap >= 0) {
      if (text.startsWith("\n")) p.buf = p.buf.replace(/ +$/, "");
      else {
        const line = p.buf.slice(p.buf.lastIndexOf("\n") + 1);
        if (colno > 1 && (line.length + text.length > p.wrap || lastMulti)) {
          p.kw("", -STD, STD, 4);
        }
      }
      lastMulti = text.slice(1).includes("\n") || (!text.startsWith("\n") && text.includes("\n"));
    }
    p.buf += text;
  };
  // Targets are bound first (DISTINCT ON may name them); DISTINCT ON text was computed lazily.
  for (const t of s.targets) {
    const e = t.expr;
    if (e.kind === "column_ref" && e.star) {
      const alias = e.names.length > 0 ? e.names[e.names.length - 1]! : null;
      for (const st of c.scope.star(alias, e.location)) {
        const name = names?.[colno] ?? st.name;
        const text = deparseExpr(st.expr, p.opts(c, [], []));
        emit(
          st.col.name === name && st.expr.k === "col" ? text : `${text} AS ${quoteIdent(name)}`,
        );
        targets.push({ text, expr: st.expr, name });
      }
      continue;
    }
    const subs: SubLink[] = [];
    const wins: FuncCall[] = [];
    collect(e, subs, wins);
    let b = bindExpr(c, e);
    if (b.type === Oid.unknown) b = coerce(c, b, Oid.text, -1, "implicit", e.location);
    const text = deparseExpr(b, p.opts(c, subs, wins));
    const name = names?.[colno] ?? targetName(t);
    const attname = b.k === "col" || b.k === "outer"
      ? colName(c, b)
      : p.visible
      ? null
      : "?column?";
    emit(attname === name ? text : `${text} AS ${quoteIdent(name)}`);
    targets.push({ text, expr: b, name });
  }
  if (s.distinct !== null) {
    const d = s.distinct.length === 0
      ? " DISTINCT"
      : ` DISTINCT ON (${s.distinct.map((d) => outputExpr(p, c, d, s, targets)).join(", ")})`;
    p.buf = p.buf.slice(0, distinctAt) + d + p.buf.slice(distinctAt);
  }
  if (s.from.length > 0) fromClause(p, s.from, c);
  if (s.where !== null) {
    p.kw(" WHERE ", -STD, STD, 1);
    const aggs = c.aggs;
    c.aggs = null;
    p.buf += p.expr(c, s.where, true, "WHERE");
    c.aggs = aggs;
  }
  if (s.groupBy.length > 0) {
    p.kw(" GROUP BY ", -STD, STD, 1);
    if (s.groupByDistinct) p.buf += "DISTINCT ";
    const item = (g: GroupByItem): string => {
      if (g.kind === "row" && !g.explicit) return `(${g.args.map(item).join(", ")})`;
      if (g.kind !== "grouping_set") return outputExpr(p, c, g, s, targets, true);
      const inner = g.items.map(item).join(", ");
      if (g.type === "empty") return "()";
      if (g.type === "rollup") return `ROLLUP(${inner})`;
      if (g.type === "cube") return `CUBE(${inner})`;
      // GROUPING SETS lists each set in parentheses; ROLLUP and CUBE omit them for one item.
      const sets = g.items.map((x) =>
        x.kind === "grouping_set" || (x.kind === "row" && !x.explicit) ? item(x) : `(${item(x)})`
      );
      return `GROUPING SETS (${sets.join(", ")})`;
    };
    p.buf += s.groupBy.map(item).join(", ");
  }
  if (s.having !== null) {
    p.kw(" HAVING ", -STD, STD, 0);
    p.buf += p.expr(c, s.having, true, "HAVING");
  }
  if (s.windows.length > 0) {
    p.kw(" WINDOW ", -STD, STD, 1);
    p.buf += s.windows.map((w) =>
      `${quoteIdent(w.name!)} AS (${windowSpecText(p, w, c, p.opts(c, [], []))})`
    ).join(", ");
  }
  queryTail(p, s, c, targets);
}

/** ORDER BY / GROUP BY / DISTINCT ON items: output positions and names, else expressions. */
export function outputExpr(
  p: Printer,
  c: BindCtx,
  e: Expr,
  s: Query,
  targets: Target[],
  group = false,
): string {
  let t: { text: string; expr: BExpr } | undefined;
  if (e.kind === "integer") t = targets[e.value - 1];
  else if (e.kind === "column_ref" && e.names.length === 1 && s.kind === "select") {
    const hit = targets.find((x) => x.name === e.names[0]);
    if (hit && !(group && resolves(c, e))) t = hit;
  }
  if (t === undefined) {
    const subs: SubLink[] = [];
    const wins: FuncCall[] = [];
    collect(e, subs, wins);
    const b = bindExpr(c, e);
    t = { text: deparseExpr(b, p.opts(c, subs, wins)), expr: b };
  }
  // get_rule_sortgroupclause: function-like items (and, pretty, any non-column) in parentheses.
  const x = t.expr;
  if (x.k === "col" || x.k === "outer" || x.k === "const") return t.text;
  const fnLike = x.k === "agg" || x.k === "window" || (x.k === "call" && x.op === undefined);
  return p.pretty || fnLike ? `(${t.text})` : t.text;
}

export function queryTail(
  p: Printer,
  q: Query,
  c: BindCtx,
  targets: Target[],
  names: string[] | null = null,
): void {
  if (q.orderBy.length > 0) {
    p.kw(" ORDER BY ", -STD, STD, 1);
    // A set operation's ORDER BY names output columns by position (force_colno).
    const outNames = q.kind === "set_operation" ? setopNames(q, names) : null;
    p.buf += q.orderBy.map((sb) => {
      let text: string;
      if (outNames === null) text = outputExpr(p, c, sb.expr, q, targets);
      else {
        const e = sb.expr;
        const i = e.kind === "integer"
          ? e.value - 1
          : e.kind === "column_ref" && e.names.length === 1
          ? outNames.indexOf(e.names[0]!)
          : -1;
        if (i < 0) throw new Unprintable("ORDER BY of a set operation");
        text = String(i + 1);
      }
      const desc = sb.direction === "desc" ||
        (sb.direction === "using" && sb.usingOp === ">");
      if (desc) text += " DESC";
      if (sb.nulls === "first" && !desc) text += " NULLS FIRST";
      if (sb.nulls === "last" && desc) text += " NULLS LAST";
      return text;
    }).join(", ");
  }
  c.aggs = null;
  c.windows = null;
  if (q.offset !== null) {
    p.kw(" OFFSET ", -STD, STD, 0);
    p.buf += p.expr(c, q.offset);
  }
  if (q.limit !== null && q.withTies) {
    p.kw(" FETCH FIRST ", -STD, STD, 0);
    const n = p.expr(c, q.limit);
    p.buf += `${n.startsWith("(") ? n : `(${n})`} ROWS WITH TIES`;
  } else if (q.limit !== null) {
    p.kw(" LIMIT ", -STD, STD, 0);
    p.buf += q.limit.kind === "null" ? "ALL" : p.expr(c, q.limit);
  }
}

/** The name a column reference prints under (its scope column's name). */
export function colName(c: BindCtx, e: Extract<BExpr, { k: "col" | "outer" }>): string {
  let lc: BindCtx = c;
  if (e.k === "outer") { for (let i = 0; i < e.level && lc.parent; i++) lc = lc.parent; }
  for (const leaf of lc.scope.leaves()) {
    if (e.index >= leaf.offset && e.index < leaf.offset + leaf.cols.length) {
      return leaf.cols[e.index - leaf.offset]!.name;
    }
  }
  return e.name;
}

export function resolves(c: BindCtx, e: Expr): boolean {
  try {
    bindExpr(c, e);
    return true;
  } catch {
    return false;
  }
}

/** The output column names of a set operation: the view's, else its leftmost SELECT's. */
function setopNames(q: Query, names: string[] | null): string[] {
  if (names !== null) return names;
  let leaf: Query = q;
  while (leaf.kind === "set_operation") leaf = leaf.left;
  if (leaf.kind !== "select") return [];
  return leaf.targets.map((t) => targetName(t));
}
