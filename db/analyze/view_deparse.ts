/**
 * @module pg_get_viewdef as PostgreSQL's ruleutils.c prints a view's query: the parsed query is
 * walked for its layout (get_query_def: WITH, SELECT, FROM with joins, WHERE, GROUP BY, HAVING,
 * WINDOW, ORDER BY, OFFSET, LIMIT, set operations, VALUES) and each expression is bound over the
 * level's FROM scope so deparse.ts prints it with PostgreSQL's casts, literal labels and
 * brackets; every column is qualified by its range table entry's name.
 */
import type { Catalog, RelationDef } from "../catalog/mod.ts";
import type { BExpr } from "../plan/mod.ts";
import { type Expr, type FuncCall, parse, type Query, type SubLink } from "../sql/mod.ts";
import { type EvalContext, quoteIdent } from "../types/mod.ts";
import { BindCtx, type BindEnv } from "./context.ts";
import { bindBool, bindExpr } from "./expr.ts";
import { bindFromList } from "./from.ts";
import { bindQuery, bindWith } from "./select.ts";
import { deparseExpr, type DeparseOptions } from "./deparse.ts";
import { type ScopeItem, tableItem } from "./scope.ts";
import { aggText, windowText } from "./view_calls.ts";
import { queryTail, selectQuery } from "./view_select.ts";
import { collect, displayForm } from "./view_normalize.ts";

/** A shape this printer does not know: viewDefText falls back to the view's stored SQL. */
export class Unprintable extends Error {}

/** ruleutils' PRETTYINDENT_STD: the indentation step of one query level. */
export const STD = 8;

/** A printed output column: its text, bound expression and name. */
export interface Target {
  text: string;
  expr: BExpr;
  name: string;
}

export class Printer {
  buf = "";
  indent = 0;
  /** A level whose columns print bare (pg_get_expr of one table's expression). */
  bare: BindCtx | null = null;
  /** The range table names of each query level. */
  names = new Map<BindCtx, Map<ScopeItem, string>>();
  /** ruleutils' colNamesVisible: false in sublinks, where `?column?` needs no AS. */
  visible = true;
  constructor(
    readonly env: BindEnv,
    readonly pretty: boolean,
    readonly wrap: number,
  ) {}

  kw(str: string, before: number, after: number, plus: number): void {
    this.indent += before;
    this.buf = this.buf.replace(/ +$/, "");
    this.buf += "\n" + " ".repeat(Math.max(this.indent, 0) + plus) + str;
    this.indent = Math.max(this.indent + after, 0);
  }

  /**
   * set_rtable_names: each range table entry's name, unique against this level's earlier
   * entries and every enclosing level's (a clash gets `_1`, `_2`, …).
   */
  assignNames(c: BindCtx): void {
    const used = new Map<string, number>();
    for (let p = c.parent; p !== null; p = p.parent) {
      for (const n of this.names.get(p)?.values() ?? []) used.set(n, 0);
    }
    const mine = new Map<ScopeItem, string>();
    const walk = (item: ScopeItem) => {
      if (item.children) {
        item.children.forEach(walk);
        return;
      }
      let name = item.alias;
      if (used.has(name)) {
        let mod: string;
        do {
          const n = used.get(name)! + 1;
          used.set(name, n);
          mod = `${name}_${n}`;
        } while (used.has(mod));
        name = mod;
      }
      used.set(name, 0);
      mine.set(item, name);
    };
    c.scope.items.forEach(walk);
    this.names.set(c, mine);
  }

  refName(c: BindCtx, item: ScopeItem): string {
    return this.names.get(c)?.get(item) ?? item.alias;
  }

  /** A sub-printer writing at the current indentation into its own buffer. */
  sub(): Printer {
    const p = new Printer(this.env, this.pretty, this.wrap);
    p.indent = this.indent;
    p.names = this.names;
    p.bare = this.bare;
    return p;
  }

  /** get_query_def: one query at the current indentation. */
  query(q: Query, parent: BindCtx | null, names: string[] | null, visible = true): void {
    const start = this.indent;
    const wasVisible = this.visible;
    this.visible = visible;
    const c = parent === null ? new BindCtx(this.env, null) : parent.child();
    if (q.with !== null) bindWith(c, q.with);
    if (q.kind === "select") {
      c.namedWindows = q.windows;
      bindFromList(c, q.from);
    }
    this.assignNames(c);
    if (q.with !== null) this.withClause(q, c);
    if (q.kind === "select") selectQuery(this, q, c, names);
    else if (q.kind === "values") {
      this.indent += STD;
      this.buf += " ";
      this.values(q, c);
    } else this.setop(q, c, names);
    if (q.kind !== "select") queryTail(this, q, c, [], names);
    this.indent = start;
    this.visible = wasVisible;
  }

  withClause(q: Query, c: BindCtx): void {
    const w = q.with!;
    this.indent += STD;
    this.buf += " ";
    let sep = w.recursive ? "WITH RECURSIVE " : "WITH ";
    for (const cte of w.ctes) {
      this.buf += sep + quoteIdent(cte.name);
      if (cte.columns.length > 0) this.buf += `(${cte.columns.map(quoteIdent).join(", ")})`;
      this.buf += " AS ";
      if (cte.materialized === "always") this.buf += "MATERIALIZED ";
      if (cte.materialized === "never") this.buf += "NOT MATERIALIZED ";
      this.buf += "(";
      this.kw("", 0, 0, 0);
      if (
        cte.query.kind === "select" || cte.query.kind === "values" ||
        cte.query.kind === "set_operation"
      ) {
        this.query(cte.query, c, null);
      } else throw new Unprintable("data-modifying CTE");
      this.kw("", 0, 0, 0);
      this.buf += ")";
      sep = ", ";
    }
    this.indent -= STD;
    this.kw("", 0, 0, 0);
  }

  values(q: Extract<Query, { kind: "values" }>, c: BindCtx): void {
    const plan = bindQuery(c.child(), { ...q, with: null, orderBy: [], limit: null, offset: null });
    if (plan.op !== "values") throw new Unprintable("values");
    const o = this.opts(c, [], []);
    this.buf += "VALUES " +
      plan.rows.map((r) => `(${r.map((e) => deparseExpr(e, o)).join(",")})`).join(", ");
  }

  setop(q: Query, c: BindCtx, names: string[] | null, first = true): void {
    if (q.kind !== "set_operation") {
      const paren = q.with !== null || q.orderBy.length > 0 || q.limit !== null ||
        q.offset !== null;
      if (paren) this.buf += "(";
      this.query(q, c, names, first && this.visible);
      if (paren) this.buf += ")";
      return;
    }
    const l = q.left;
    const lp = l.kind === "set_operation" && !(l.op === q.op && l.all === q.all);
    let subindent = 0;
    if (lp) {
      this.buf += "(";
      subindent = STD;
      this.kw("", subindent, 0, 0);
    }
    this.setop(l, c, names, first);
    if (lp) this.kw(") ", -subindent, 0, 0);
    else this.kw("", 0, 0, 0);
    this.buf += q.op.toUpperCase() + " " + (q.all ? "ALL " : "");
    const rp = q.right.kind === "set_operation";
    subindent = 0;
    if (rp) {
      this.buf += "(";
      subindent = STD;
    }
    this.kw("", subindent, 0, 0);
    this.setop(q.right, c, names, false);
    this.indent -= subindent;
    if (rp) this.kw(")", 0, 0, 0);
  }

  /** Expression printing options of one query level. */
  opts(c: BindCtx, subs: SubLink[], wins: FuncCall[]): DeparseOptions {
    const column = (e: Extract<BExpr, { k: "col" | "outer" }>): string => {
      let lc: BindCtx = c;
      if (e.k === "outer") { for (let i = 0; i < e.level && lc.parent; i++) lc = lc.parent; }
      for (const leaf of lc.scope.leaves()) {
        if (e.index >= leaf.offset && e.index < leaf.offset + leaf.cols.length) {
          const col = leaf.cols[e.index - leaf.offset]!;
          if (lc === this.bare && e.k === "col") return quoteIdent(col.name);
          return `${quoteIdent(this.refName(lc, leaf))}.${quoteIdent(col.name)}`;
        }
      }
      return quoteIdent(e.name);
    };
    const o: DeparseOptions = {
      pretty: this.pretty,
      ctx: this.env.ctx,
      layout: { indent: this.indent },
      column,
      extra: (e) => {
        if (e.k === "agg") return aggText(e.agg, o);
        if (e.k === "window") return windowText(this, e.win, wins.shift(), c, o);
        if (e.k === "sublink") {
          const s = subs.shift();
          if (s === undefined) return undefined;
          const p = this.sub();
          p.query(s.subquery, c, null, false);
          const body = p.buf;
          switch (e.sub) {
            case "exists":
              return `(EXISTS (${body}))`;
            case "expr":
              return `(${body})`;
            case "array":
              return `ARRAY(${body})`;
            default: {
              const left = e.rowTests
                ? `(${e.rowTests.map((t) => deparseExpr(t.args[0]!, o)).join(", ")})`
                : e.test?.k === "call"
                ? deparseExpr(e.test.args[0]!, o)
                : "?";
              const op = s.op ?? "=";
              const mid = e.sub === "any" && op === "=" ? " IN " : ` ${op} ${e.sub.toUpperCase()} `;
              return `(${left}${mid}(${body}))`;
            }
          }
        }
        return undefined;
      },
    };
    return o;
  }

  expr(c: BindCtx, e: Expr, bool = false, clause = ""): string {
    const subs: SubLink[] = [];
    const wins: FuncCall[] = [];
    collect(e, subs, wins);
    const b = bool ? bindBool(c, e, clause) : bindExpr(c, e);
    return deparseExpr(b, this.opts(c, subs, wins));
  }
}

/**
 * pg_get_viewdef's text of a view: ` SELECT t.a,\n    t.b\n   FROM t;` (`names`: the view's
 * column names; `wrap`: the wrap column, 0 puts each target on its own line). A query this
 * printer cannot bind prints its stored SQL.
 */
export function viewDefText(
  cat: Catalog,
  viewSql: string,
  ctx: EvalContext,
  pretty = false,
  names: string[] | null = null,
  schema = "public",
  wrap = 0,
): string {
  const fallback = ` ${viewSql};`;
  try {
    const st = parse(viewSql);
    const q = st[0];
    if (
      st.length !== 1 || q === undefined ||
      (q.kind !== "select" && q.kind !== "values" && q.kind !== "set_operation")
    ) return fallback;
    const env: BindEnv = {
      catalog: cat,
      searchPath: [schema, "public", "pg_catalog"],
      paramTypes: [],
      ctx,
      nextCteId: 0,
      text: viewSql,
    };
    const p = new Printer(env, pretty, wrap);
    p.query(displayForm(q as Query), null, names);
    return p.buf + ";";
  } catch {
    // Unprintable shapes, and text that no longer binds (a dropped column), print as stored.
    return fallback;
  }
}

/**
 * pg_get_expr's text of an expression over one table's row (policy quals and WITH CHECK):
 * the table's columns bare, sublinks in ruleutils' layout with qualified columns.
 */
export function tableExprText(env: BindEnv, rel: RelationDef, e: Expr, bool: boolean): string {
  const p = new Printer(env, false, 0);
  const c = new BindCtx(env, null);
  c.scope.add(tableItem(rel));
  p.assignNames(c);
  p.bare = c;
  return p.expr(c, displayForm(e), bool, "POLICY");
}

/** A view's column names (its result descriptor). */
export function viewNames(r: RelationDef): string[] {
  return r.columns.filter((c) => !c.dropped).map((c) => c.name);
}

/** The name of a relation's schema. */
export function schemaOfRel(cat: Catalog, r: RelationDef): string {
  for (const [name, ns] of cat.namespaces) if (ns.oid === r.schema) return name;
  return "public";
}
