/**
 * @module A policy expression as pg_get_expr prints it (ruleutils.c without pretty printing):
 * every operator and boolean expression parenthesised, constants labelled with their type
 * unless integer or numeric (`'a'::text`, `'-1'::integer`), explicit casts as `(x)::type`,
 * `IN` lists as `= ANY (ARRAY[…])` (see {@link displayForm}), SQL value functions in upper case,
 * subqueries over one table as `( SELECT t.a\n   FROM t\n  WHERE …)` with qualified columns.
 * Shapes it does not know fall back to the SQL printer's text.
 */
import type { Datum } from "../datum.ts";
import type { BExpr, PlanNode } from "../plan/mod.ts";
import { type Expr, printExpr, printStatement, type Statement } from "../sql/mod.ts";
import { type EvalContext, formatType, Numeric, Oid, outputText } from "../types/mod.ts";
import { inlinedCalls } from "./sql_functions.ts";

const sqlValues = new Set([
  "current_user",
  "session_user",
  "current_role",
  "current_catalog",
  "current_schema",
  "user",
]);

function constText(v: Datum, type: number, ctx: EvalContext): string {
  if (v === null) return `NULL::${formatType(type)}`;
  if (typeof v === "boolean" && type === Oid.bool) return v ? "true" : "false";
  let s: string;
  try {
    s = typeof v === "string" ? v : outputText(type, v, ctx);
  } catch {
    s = v instanceof Numeric ? v.toString() : String(v);
  }
  if ((type === Oid.int4 || type === Oid.numeric) && /^[0-9]/.test(s)) {
    return type === Oid.numeric && !/^[0-9]+\.[0-9]+$/.test(s) ? `${s}::numeric` : s;
  }
  return `'${s.replaceAll("'", "''")}'::${formatType(type)}`;
}

/** One query level's column names: `qual` prefixes them when printed from a subquery. */
interface Level {
  qual: string;
  cols: string[];
}

/**
 * The AST as PostgreSQL's parse analysis shapes it for display: `x IN (a, b)` with constant
 * items becomes `x = ANY (ARRAY[a, b])` (`NOT IN`: `<> ALL`), as transformAExprIn does.
 */
export function displayForm(e: Expr): Expr {
  return mapAst(e, (x) => {
    if (x.kind !== "in_list" || x.list.length < 2 || x.list.some(hasColumnRef)) return undefined;
    return {
      kind: "op_any_all",
      op: x.not ? "<>" : "=",
      schema: null,
      quantifier: x.not ? "all" : "any",
      left: displayForm(x.arg),
      right: { kind: "array", elements: x.list.map(displayForm), location: x.location },
      location: x.location,
    };
  }) as Expr;
}

function hasColumnRef(e: unknown): boolean {
  if (e === null || typeof e !== "object") return false;
  const o = e as Record<string, unknown>;
  if (o.kind === "column_ref") return true;
  if (o.kind === "sublink") return false;
  return Object.values(o).some((v) =>
    Array.isArray(v) ? v.some(hasColumnRef) : v !== null && typeof v === "object" && hasColumnRef(v)
  );
}

function mapAst(e: unknown, f: (x: Expr) => Expr | undefined): unknown {
  if (e === null || typeof e !== "object") return e;
  if (Array.isArray(e)) return e.map((x) => mapAst(x, f));
  const o = e as Record<string, unknown>;
  if (typeof o.kind === "string") {
    const r = f(o as unknown as Expr);
    if (r !== undefined) return r;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = mapAst(v, f);
  return out;
}

/** pg_get_expr's text of a bound policy expression over table `table`; `src` is its AST. */
export function policyText(
  e: BExpr,
  src: Expr,
  table: { name: string; columns: string[]; ctx: EvalContext },
): string {
  const ctx = table.ctx;
  const subs: Expr[] = [];
  collectSublinks(src, subs);
  let next = 0;
  // levels[0] is the innermost query level being printed; the policy's table is the last.
  // `implicit`: implicit casts are shown (ruleutils' showimplicit, true in operator and
  // function arguments).
  const go = (x: BExpr, levels: Level[], implicit = false): string => {
    const inlined = inlinedCalls.get(x);
    if (inlined !== undefined) return inlined;
    const r = (y: BExpr) => go(y, levels, false);
    const a = (y: BExpr) => go(y, levels, true);
    switch (x.k) {
      case "const":
        return constText(x.value, x.type, ctx);
      case "col":
      case "outer": {
        const depth = x.k === "col" ? 0 : x.level;
        const lv = levels[depth];
        const name = lv?.cols[x.index] ?? x.name.slice(x.name.lastIndexOf(".") + 1);
        return levels.length === 1 || lv === undefined ? name : `${lv.qual}.${name}`;
      }
      case "param":
        return `$${x.n}`;
      case "call":
        if (x.op !== undefined && x.args.length === 2) {
          return `(${a(x.args[0]!)} ${x.op} ${a(x.args[1]!)})`;
        }
        if (x.op !== undefined && x.args.length === 1) return `(${x.op} ${a(x.args[0]!)})`;
        if (x.args.length === 0 && sqlValues.has(x.name)) return x.name.toUpperCase();
        return `${x.name}(${x.args.map(a).join(", ")})`;
      case "cast":
        // An untyped literal is typed at parse time; other casts stay cast nodes.
        if (x.arg.k === "const" && x.arg.type === Oid.unknown) {
          return constText(x.arg.value, x.type, ctx);
        }
        if (!x.explicit && !implicit) return r(x.arg);
        return `(${a(x.arg)})::${formatType(x.type, x.typmod)}`;
      case "and":
      case "or":
        return `(${x.args.map(r).join(x.k === "and" ? " AND " : " OR ")})`;
      case "not":
        return `(NOT ${r(x.arg)})`;
      case "nulltest":
        return `(${a(x.arg)} IS ${x.not ? "NOT " : ""}NULL)`;
      case "booltest":
        return `(${a(x.arg)} IS ${x.not ? "NOT " : ""}${x.test.toUpperCase()})`;
      case "anyall":
        return `(${a(x.left)} ${x.op ?? "="} ${x.all ? "ALL" : "ANY"} (${a(x.right)}))`;
      case "array":
        return `ARRAY[${x.elems.map(a).join(", ")}]`;
      case "coalesce":
        return `COALESCE(${x.args.map(a).join(", ")})`;
      case "case": {
        // ruleutils' PRETTYINDENT layout of CASE at the top level.
        const whens = x.whens.map((w) => `\n    WHEN ${r(w.cond)} THEN ${r(w.result)}`).join("");
        const other = x.else === null ? "" : `\n    ELSE ${r(x.else)}`;
        return `\nCASE${whens}${other}\nEND`;
      }
      case "sublink": {
        const s = subs[next++];
        const body = subplanText(x.plan, levels, go) ?? (s ? subqueryText(s) : "SELECT");
        if (x.sub === "exists") return `(EXISTS ( ${body}))`;
        if (x.sub === "any" && x.test !== null && x.test.k === "call") {
          const left = a(x.test.args[0]!);
          return x.test.op === "="
            ? `(${left} IN ( ${body}))`
            : `(${left} ${x.test.op} ANY ( ${body}))`;
        }
        if (x.sub === "array") return `ARRAY( ${body})`;
        return `( ${body})`;
      }
      default:
        return printExpr(src);
    }
  };
  return go(e, [{ qual: table.name, cols: table.columns }]);
}

/** A subquery plan of one table (project, optional filter, scan) in ruleutils' layout. */
function subplanText(
  plan: PlanNode,
  outer: Level[],
  go: (x: BExpr, levels: Level[]) => string,
): string | null {
  if (plan.op !== "project") return null;
  let input = plan.input;
  let cond: BExpr | null = null;
  if (input.op === "filter") {
    cond = input.cond;
    input = input.input;
  }
  if (input.op !== "seqscan" || input.filter !== null) return null;
  const rel = input.rel;
  const levels = [{ qual: rel.alias, cols: input.cols.map((c) => c.name) }, ...outer];
  const targets = plan.exprs.map((x, i) => {
    const text = go(x, levels);
    const name = plan.cols[i]?.name;
    const natural = x.k === "col" ? levels[0]!.cols[x.index] : x.k === "const" ? "?column?" : name;
    return name === natural ? text : `${text} AS ${name}`;
  });
  const from = rel.alias === rel.name ? rel.name : `${rel.name} ${rel.alias}`;
  return `SELECT ${targets.join(", ")}\n   FROM ${from}` +
    (cond === null ? "" : `\n  WHERE ${go(cond, levels)}`);
}

function collectSublinks(e: unknown, out: Expr[]): void {
  if (e === null || typeof e !== "object") return;
  const o = e as Record<string, unknown>;
  if (o.kind === "sublink") {
    out.push(o as unknown as Expr);
    collectSublinks(o.test, out);
    return;
  }
  for (const v of Object.values(o)) {
    if (Array.isArray(v)) v.forEach((x) => collectSublinks(x, out));
    else if (v !== null && typeof v === "object") collectSublinks(v, out);
  }
}

/** A subquery's SQL text in ruleutils' line layout, when its plan is not one {@link subplanText} knows. */
function subqueryText(s: Expr): string {
  const q = (s as unknown as { subquery: Statement }).subquery;
  return printStatement(q).replace(/ FROM /, "\n   FROM ").replace(/ WHERE /, "\n  WHERE ");
}
