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
import { type Expr, parseExpr } from "../sql/mod.ts";
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
import { tableItem } from "./scope.ts";
import { inlinedCalls } from "./sql_functions.ts";

/** Options: PostgreSQL's `pretty` flag and the qualifier of column references (views). */
export interface DeparseOptions {
  pretty: boolean;
  qualifier?: string;
  ctx: EvalContext;
  /** Names a column reference (views: `alias.column` of its range table entry). */
  column?: (e: Extract<BExpr, { k: "col" | "outer" }>) => string;
  /** The indentation of ruleutils' line layout (CASE), shared while printing. */
  layout?: { indent: number };
  /** Prints nodes the expression printer does not know (sublinks, windows; view_deparse.ts). */
  extra?: (e: BExpr, o: DeparseOptions) => string | undefined;
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
    case "agg":
    case "window":
    case "row":
      return true;
    case "sublink":
      return groupParent(parent);
    case "anyall":
      return false;
    case "cast":
      return e.arg.k === "col" || e.arg.k === "const" || e.arg.k === "outer" ||
        e.arg.k === "agg" || e.arg.k === "window" ||
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
  const s = go(e, o, true);
  // A keyword placed on a new line (CASE) drops the spaces before it, as appendContextKeyword.
  return s.includes("\n") ? s.replace(/ +\n/g, "\n") : s;
}

/** Non-pretty output brackets every operator-like node itself. */
function wrap(s: string, o: DeparseOptions, _top: boolean): string {
  return o.pretty ? s : `(${s})`;
}

function go(e: BExpr, o: DeparseOptions, top: boolean): string {
  if (o.extra !== undefined && (e.k === "agg" || e.k === "window" || e.k === "sublink")) {
    const x = o.extra(e, o);
    if (x !== undefined) return x;
  }
  if ((e.k === "call" || e.k === "cast") && e.sql !== undefined) return e.sql;
  const inlined = inlinedCalls.get(e);
  if (inlined !== undefined) return inlined;
  switch (e.k) {
    case "const":
      return constText(e.value, e.type, e.typmod, o);
    case "col":
    case "outer": {
      if (o.column !== undefined) return o.column(e);
      const name = e.name.includes(".") ? e.name.slice(e.name.lastIndexOf(".") + 1) : e.name;
      return o.qualifier === undefined ? name : `${o.qualifier}.${name}`;
    }
    case "param":
      return `$${e.n}`;
    case "call": {
      if (e.name === "like" || e.name === "ilike" || e.name === "similar") {
        // LIKE … ESCAPE and SIMILAR TO are operators over like_escape / similar_to_escape.
        const [a, p, x] = e.args as [BExpr, BExpr, BExpr | undefined];
        const not = e.op?.startsWith("!") ? "!" : "";
        const esc = x === undefined ? "" : `, ${go(x, o, false)}`;
        if (e.name === "similar") {
          const pat = `similar_to_escape(${go(p, o, false)}${esc})`;
          return wrap(`${child(a, e, o)} ${not}~ ${pat}`, o, top);
        }
        if (x !== undefined) {
          const op = `${not}~~${e.name === "ilike" ? "*" : ""}`;
          return wrap(`${child(a, e, o)} ${op} like_escape(${go(p, o, false)}${esc})`, o, top);
        }
      }
      if (e.name === "array_subscript" || e.name === "array_slice") {
        const [arr, ...bounds] = e.args as [BExpr, ...BExpr[]];
        const b = (x: BExpr) => x.k === "const" && x.value === null ? "" : go(x, o, false);
        let s = arr.k === "col" || arr.k === "outer" ? go(arr, o, false) : `(${go(arr, o, false)})`;
        for (let i = 0; i + 1 < bounds.length; i += 2) {
          s += e.name === "array_slice"
            ? `[${b(bounds[i]!)}:${b(bounds[i + 1]!)}]`
            : `[${go(bounds[i + 1]!, o, false)}]`;
        }
        return s;
      }
      if (e.op !== undefined && e.args.length === 2) {
        return wrap(`${child(e.args[0]!, e, o)} ${e.op} ${child(e.args[1]!, e, o)}`, o, top);
      }
      if (e.op !== undefined && e.args.length === 1) {
        return wrap(`${e.op} ${child(e.args[0]!, e, o)}`, o, top);
      }
      if (e.args.length === 0 && sqlValues.has(e.name)) return e.name.toUpperCase();
      if (e.name === "extract" && e.args.length === 2 && e.args[0]!.k === "const") {
        const field = String(e.args[0]!.value);
        return `EXTRACT(${field} FROM ${go(e.args[1]!, o, false)})`;
      }
      if (e.name === "nullif" && e.args.length === 2) {
        return `NULLIF(${e.args.map((a) => go(a, o, false)).join(", ")})`;
      }
      const fname = e.name.includes(".") ? e.name : quoteIdent(e.name);
      return `${fname}(${e.args.map((a) => go(a, o, false)).join(", ")})`;
    }
    case "cast": {
      if (!e.explicit && top) return go(e.arg, o, top);
      if (e.arg.k === "const" && e.arg.type === e.type) {
        return constText(e.arg.value, e.type, e.typmod, o);
      }
      const inner = go(e.arg, o, false);
      const simple = e.arg.k === "col" || e.arg.k === "const" || e.arg.k === "outer" ||
        e.arg.k === "agg" || e.arg.k === "window" ||
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
        `${child(e.left, e, o)} ${e.op ?? "="} ${e.all ? "ALL" : "ANY"} (${go(e.right, o, false)})`,
        o,
        top,
      );
    case "row":
      return `ROW(${e.args.map((a) => go(a, o, false)).join(", ")})`;
    case "array":
      return `ARRAY[${e.elems.map((a) => go(a, o, false)).join(", ")}]`;
    case "coalesce":
      return `COALESCE(${e.args.map((a) => go(a, o, false)).join(", ")})`;
    case "minmax":
      return `${e.greatest ? "GREATEST" : "LEAST"}(${
        e.args.map((a) => go(a, o, false)).join(", ")
      })`;
    case "case": {
      // ruleutils' PRETTY_INDENT layout (every deparse uses it): one line per WHEN/ELSE.
      const l = o.layout ?? { indent: 0 };
      const o2 = o.layout ? o : { ...o, layout: l };
      const nl = () => "\n" + " ".repeat(Math.max(l.indent, 0));
      let s = nl() + "CASE";
      l.indent += 4;
      if (e.arg !== undefined) s += " " + go(e.arg, o2, true);
      for (const w of e.whens) {
        const cond = e.arg !== undefined && w.cond.k === "call" && w.cond.args.length === 2
          ? w.cond.args[1]!
          : w.cond;
        s += `${nl()}WHEN ${go(cond, o2, true)} THEN ${go(w.result, o2, true)}`;
      }
      s += `${nl()}ELSE ${
        e.else === null ? constText(null, e.type, e.typmod, o2) : go(e.else, o2, true)
      }`;
      l.indent -= 4;
      return s + nl() + "END";
    }
    default: {
      const x = o.extra?.(e, o);
      return x ?? "?";
    }
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
    const env = deparseEnv(cat, o.ctx, source);
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

/** The binding environment of a stored expression: no search path (its names are resolved). */
function deparseEnv(cat: Catalog, ctx: EvalContext, text: string): BindEnv {
  return { catalog: cat, searchPath: [], paramTypes: [], ctx, nextCteId: 0, text };
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
    const env = deparseEnv(cat, ctx, text);
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
    const env = deparseEnv(cat, ctx, text);
    return deparseExpr(bindIn(env, rel, rel.name, parseExpr(text), false), { pretty: true, ctx });
  } catch {
    return text;
  }
}

/**
 * An index expression as pg_get_indexdef prints it: function-like expressions bare
 * (ruleutils' looks_like_function), others in parentheses; null when it does not bind.
 */
export function indexExprText(
  cat: Catalog,
  rel: RelationDef,
  source: string,
  o: DeparseOptions,
): string | null {
  try {
    const env = deparseEnv(cat, o.ctx, source);
    const e = bindIn(env, rel, rel.name, parseExpr(source), false);
    const text = deparseExpr(e, o);
    const fnLike = (e.k === "call" && e.op === undefined && e.sql === undefined &&
      !/^array_s/.test(e.name)) ||
      e.k === "coalesce" || e.k === "minmax" ||
      (e.k === "call" && e.sql !== undefined) || (e.k === "cast" && e.sql !== undefined);
    return fnLike ? text : `(${text})`;
  } catch {
    return null;
  }
}
