/**
 * @module Deparsing as PostgreSQL's ruleutils.c does, for pg_get_constraintdef, pg_get_indexdef,
 * pg_get_expr and pg_get_viewdef: a bound expression back to SQL text with its implicit casts
 * shown (`price > 0::numeric`), constants labelled with their type (`'a'::text`), and
 * ruleutils' two bracketing styles (every operator in parentheses, or "pretty": only where
 * precedence needs them). Views print as ` SELECT t.a,\n    t.b\n   FROM s.t;`.
 */
import type { Datum } from "../datum.ts";
import type { BExpr } from "../plan/mod.ts";
import type { Catalog, RelationDef } from "../catalog/mod.ts";
import { type Expr, parse, parseExpr, type SelectStmt } from "../sql/mod.ts";
import {
  type EvalContext,
  formatType,
  Numeric,
  Oid,
  outputText,
  quoteIdent,
} from "../types/mod.ts";
import { BindCtx, type BindEnv } from "./context.ts";
import { bindBool, bindExpr } from "./expr.ts";
import { coerce } from "./coerce.ts";
import { targetName } from "./colname.ts";
import { tableItem } from "./scope.ts";

/** Options: PostgreSQL's `pretty` flag and the qualifier of column references (views). */
export interface DeparseOptions {
  pretty: boolean;
  qualifier?: string;
  ctx: EvalContext;
}

const sqlValues = new Set([
  "current_user",
  "session_user",
  "current_role",
  "current_catalog",
  "current_schema",
  "current_timestamp",
  "current_date",
  "current_time",
  "localtime",
  "localtimestamp",
]);

const arith = (op: string | undefined) =>
  op === undefined ? 0 : "+-".includes(op) ? 1 : "*/%".includes(op) && op.length === 1 ? 2 : 0;

/** ruleutils' isSimpleNode: whether `e` needs no parentheses under `parent` when pretty. */
function isSimple(e: BExpr, parent: BExpr): boolean {
  switch (e.k) {
    case "col":
    case "outer":
    case "const":
    case "param":
    case "array":
    case "coalesce":
    case "minmax":
    case "case":
      return true;
    case "cast":
      return e.arg.k === "col" || e.arg.k === "const" || e.arg.k === "outer" ||
        (e.arg.k === "call" && e.arg.op === undefined);
    case "and":
    case "or":
    case "not":
      if (parent.k === "and" || parent.k === "or" || parent.k === "not") {
        if (e.k === "not" || e.k === "and") return parent.k === "and" || parent.k === "or";
        return parent.k === "or";
      }
      return groupParent(parent);
    case "call":
      if (e.op === undefined) return true;
      if (parent.k === "call" && parent.op !== undefined) {
        const me = e.args.length === 2 ? arith(e.op) : 0;
        const up = parent.args.length === 2 ? arith(parent.op) : 0;
        if (me === 0 || up === 0) return false;
        if (me > up) return true;
        if (me < up) return false;
        return parent.args[0] === e;
      }
      return groupParent(parent);
    default:
      return groupParent(parent);
  }
}

function groupParent(parent: BExpr): boolean {
  switch (parent.k) {
    case "call":
      return parent.op === undefined;
    case "and":
    case "or":
    case "not":
    case "array":
    case "coalesce":
    case "minmax":
    case "case":
      return true;
    default:
      return false;
  }
}

function child(e: BExpr, parent: BExpr, o: DeparseOptions): string {
  const s = go(e, o, false);
  return o.pretty && !isSimple(e, parent) ? `(${s})` : s;
}

function constText(v: Datum, type: number, typmod: number, o: DeparseOptions): string {
  const label = `::${formatType(type, typmod)}`;
  if (v === null) return `NULL${label}`;
  if (type === Oid.bool) return v ? "true" : "false";
  const s = v instanceof Numeric ? v.toString() : outputText(type, v, o.ctx);
  if (type === Oid.int4) return /^[0-9]/.test(s) ? s : `'${s}'${label}`;
  if (type === Oid.numeric && /^[0-9]/.test(s)) {
    // A float-looking numeric prints bare; an integer one came from an integer literal coerced
    // to numeric, which ruleutils shows as a cast of that literal.
    if (/[.eE]/.test(s)) return s;
    return o.pretty ? `${s}${label}` : `(${s})${label}`;
  }
  return `'${s.replaceAll("'", "''")}'${label}`;
}

/** A bound expression as ruleutils prints it. */
export function deparseExpr(e: BExpr, o: DeparseOptions): string {
  return go(e, o, true);
}

/** Non-pretty output brackets every operator-like node itself. */
function wrap(s: string, o: DeparseOptions, _top: boolean): string {
  return o.pretty ? s : `(${s})`;
}

function go(e: BExpr, o: DeparseOptions, top: boolean): string {
  switch (e.k) {
    case "const":
      return constText(e.value, e.type, e.typmod, o);
    case "col":
    case "outer": {
      const name = e.name.includes(".") ? e.name.slice(e.name.lastIndexOf(".") + 1) : e.name;
      return o.qualifier === undefined ? name : `${o.qualifier}.${name}`;
    }
    case "param":
      return `$${e.n}`;
    case "call": {
      if (e.op !== undefined && e.args.length === 2) {
        return wrap(`${child(e.args[0]!, e, o)} ${e.op} ${child(e.args[1]!, e, o)}`, o, top);
      }
      if (e.op !== undefined && e.args.length === 1) {
        return wrap(`${e.op} ${child(e.args[0]!, e, o)}`, o, top);
      }
      if (e.args.length === 0 && sqlValues.has(e.name)) return e.name.toUpperCase();
      return `${e.name}(${e.args.map((a) => go(a, o, false)).join(", ")})`;
    }
    case "cast": {
      if (!e.explicit && top) return go(e.arg, o, top);
      if (e.arg.k === "const" && e.arg.type === e.type) {
        return constText(e.arg.value, e.type, e.typmod, o);
      }
      const inner = go(e.arg, o, false);
      const simple = e.arg.k === "col" || e.arg.k === "const" || e.arg.k === "outer" ||
        (e.arg.k === "call" && e.arg.op === undefined);
      return `${o.pretty && simple ? inner : `(${inner})`}::${formatType(e.type, e.typmod)}`;
    }
    case "and":
    case "or": {
      const s = e.args.map((a) => child(a, e, o)).join(e.k === "and" ? " AND " : " OR ");
      return wrap(s, o, top);
    }
    case "not":
      return wrap(`NOT ${child(e.arg, e, o)}`, o, top);
    case "nulltest":
      return wrap(`${child(e.arg, e, o)} IS ${e.not ? "NOT " : ""}NULL`, o, top);
    case "booltest":
      return wrap(`${child(e.arg, e, o)} IS ${e.not ? "NOT " : ""}${e.test.toUpperCase()}`, o, top);
    case "anyall":
      return wrap(
        `${child(e.left, e, o)} = ${e.all ? "ALL" : "ANY"} (${go(e.right, o, false)})`,
        o,
        top,
      );
    case "array":
      return `ARRAY[${e.elems.map((a) => go(a, o, false)).join(", ")}]`;
    case "coalesce":
      return `COALESCE(${e.args.map((a) => go(a, o, false)).join(", ")})`;
    case "minmax":
      return `${e.greatest ? "GREATEST" : "LEAST"}(${
        e.args.map((a) => go(a, o, false)).join(", ")
      })`;
    case "case": {
      const whens = e.whens.map((w) =>
        ` WHEN ${go(w.cond, o, true)} THEN ${go(w.result, o, true)}`
      );
      const els = e.else === null ? "" : ` ELSE ${go(e.else, o, true)}`;
      return `CASE${whens.join("")}${els} END`;
    }
    default:
      return "?";
  }
}

/** CHECK ((…)) / CHECK (…) of pg_get_constraintdef, from the constraint's stored source. */
export function checkConstraintText(
  cat: Catalog,
  rel: RelationDef,
  source: string,
  o: DeparseOptions,
): string {
  try {
    const env: BindEnv = {
      catalog: cat,
      searchPath: [],
      paramTypes: [],
      ctx: o.ctx,
      nextCteId: 0,
      text: source,
    };
    const e = bindIn(env, rel, rel.name, parseExpr(source), true);
    return `CHECK (${deparseExpr(e, o)})`;
  } catch {
    return `CHECK ((${source}))`;
  }
}

function bindIn(
  env: BindEnv,
  rel: RelationDef,
  alias: string,
  e: Expr,
  bool: boolean,
): BExpr {
  const c = new BindCtx(env, null);
  c.scope.add(tableItem(rel, alias));
  return bool ? bindBool(c, e, "WHERE") : bindExpr(c, e);
}

/** SQL value functions are bound as calls (now(), now()::date); PostgreSQL keeps the keyword. */
function sqlValueKeyword(text: string): string | null {
  const kw =
    /^(current_timestamp|current_date|current_time|localtime|localtimestamp|current_user|session_user|current_role|user|current_catalog|current_schema)\s*(\(\s*\d+\s*\))?$/i
      .exec(text.trim());
  return kw === null ? null : kw[1]!.toUpperCase() + (kw[2]?.replace(/\s+/g, "") ?? "");
}

/**
 * A column default as pg_get_expr prints pg_attrdef.adbin: the bound expression with a bare
 * literal already of the column's type (`'y'::character varying`, `'-1'::integer`).
 */
export function defaultExprText(
  cat: Catalog,
  col: { default: string | null; type: number; typmod: number },
  ctx: EvalContext,
): string | null {
  const text = col.default;
  if (text === null || /^null$/i.test(text.trim())) return null;
  const kw = sqlValueKeyword(text);
  if (kw !== null) return kw;
  try {
    const env: BindEnv = { catalog: cat, searchPath: [], paramTypes: [], ctx, nextCteId: 0, text };
    const c = new BindCtx(env, null);
    let e = bindExpr(c, parseExpr(text));
    if (e.k === "const" && e.type === Oid.unknown) {
      e = coerce(c, e, col.type, col.typmod, "assignment", -1);
    }
    return deparseExpr(e, { pretty: false, ctx });
  } catch {
    return text;
  }
}

/**
 * pg_get_expr(text, relation, true): BKG-DB keeps expressions as their plain deparsed text, so
 * the pretty form binds that text over the relation again and prints it pretty.
 */
export function prettyExprText(
  cat: Catalog,
  relOid: number,
  text: string,
  ctx: EvalContext,
): string {
  const rel = cat.relationByOid(relOid);
  if (rel === undefined || sqlValueKeyword(text) !== null) return text;
  try {
    const env: BindEnv = { catalog: cat, searchPath: [], paramTypes: [], ctx, nextCteId: 0, text };
    return deparseExpr(bindIn(env, rel, rel.name, parseExpr(text), false), { pretty: true, ctx });
  } catch {
    return text;
  }
}

/**
 * pg_get_viewdef's text for a simple view (one relation in FROM, optional WHERE): columns
 * qualified by the relation's alias, one target per line, clauses on their own lines. Other
 * views print their stored SQL.
 */
export function viewDefText(
  cat: Catalog,
  viewSql: string,
  ctx: EvalContext,
  pretty = false,
): string {
  const fallback = ` ${viewSql};`;
  let s: SelectStmt;
  try {
    const st = parse(viewSql);
    if (st.length !== 1 || st[0]!.kind !== "select") return fallback;
    s = st[0] as unknown as SelectStmt;
  } catch {
    return fallback;
  }
  const from = s.from[0];
  if (
    s.from.length !== 1 || from === undefined || from.kind !== "range_var" || s.with !== null ||
    s.groupBy.length > 0 || s.having !== null || s.windows.length > 0 || s.distinct !== null ||
    s.orderBy.length > 0 || s.limit !== null || s.offset !== null
  ) return fallback;
  const schema = from.schema ?? "public";
  const ns = cat.namespaces.get(schema);
  const rel = ns === undefined ? undefined : cat.relation(ns.oid, from.name);
  if (rel === undefined) return fallback;
  const qualifier = from.alias?.name ?? rel.name;
  const o: DeparseOptions = { pretty, qualifier, ctx };
  const env: BindEnv = {
    catalog: cat,
    searchPath: [schema],
    paramTypes: [],
    ctx,
    nextCteId: 0,
    text: viewSql,
  };
  try {
    const targets = s.targets.flatMap((t) => {
      if (t.expr.kind === "column_ref" && t.expr.star) {
        return rel.columns.filter((c) => !c.dropped).map((c) => `${qualifier}.${c.name}`);
      }
      const b = bindIn(env, rel, qualifier, t.expr, false);
      const name = targetName(t);
      const text = deparseExpr(b, o);
      return [b.k === "col" && b.name === name ? text : `${text} AS ${quoteIdent(name)}`];
    });
    const relName = `${from.schema === null ? "" : schema + "."}${rel.name}`;
    let out = ` SELECT ${targets.join(",\n    ")}\n   FROM ${relName}`;
    if (from.alias) out += ` ${from.alias.name}`;
    if (s.where !== null) {
      out += `\n  WHERE ${deparseExpr(bindIn(env, rel, qualifier, s.where, true), o)}`;
    }
    return out + ";";
  } catch {
    return fallback;
  }
}
