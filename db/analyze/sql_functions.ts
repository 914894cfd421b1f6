/**
 * @module SQL-language functions BKG-DB knows by their text (Supabase's auth.uid(), auth.role(),
 * auth.jwt() from db/catalog/supabase.ts): a call is bound as the function's body, inlined as
 * PostgreSQL inlines simple SQL functions, with the result cast to the declared return type.
 */
import { SUPABASE_AUTH_SQL } from "../catalog/mod.ts";
import type { BExpr } from "../plan/mod.ts";
import { type Expr, type FuncCall, parse } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { BindCtx } from "./context.ts";
import { bindExpr } from "./expr.ts";
import { coerce } from "./coerce.ts";
import { resolveType } from "./typename.ts";
import { notePermFunction } from "./permissions.ts";

/** A function defined by SQL text: schema, name, body expression, declared result. */
export interface SqlFunction {
  schema: string;
  name: string;
  body: Expr;
  returns: import("../sql/mod.ts").TypeName;
  /** The body as written (pg_proc.prosrc). */
  source: string;
}

let defs: SqlFunction[] | null = null;

/** Inlined calls and how they were written (`auth.uid()`), for pg_get_expr's text. */
export const inlinedCalls = new WeakMap<BExpr, string>();

/** The SQL-text functions, parsed once. */
export function sqlFunctions(): SqlFunction[] {
  if (defs !== null) return defs;
  defs = [];
  for (const text of SUPABASE_AUTH_SQL) {
    const [stmt] = parse(text);
    if (stmt?.kind !== "create_function" || stmt.body === null || stmt.returns === null) continue;
    const [q] = parse(stmt.body[0]!);
    if (q?.kind !== "select" || q.targets.length !== 1) continue;
    defs.push({
      schema: stmt.name.length > 1 ? stmt.name[0]! : "public",
      name: stmt.name[stmt.name.length - 1]!,
      body: q.targets[0]!.expr,
      returns: stmt.returns,
      source: stmt.body[0]!,
    });
  }
  return defs;
}

/** Binds a call of a SQL-text function as its body; undefined when `e` calls something else. */
export function bindSqlFunction(c: BindCtx, e: FuncCall): BExpr | undefined {
  if (e.name.length > 2 || e.over !== null) return undefined;
  const name = e.name[e.name.length - 1]!;
  const schema = e.name.length === 2 ? e.name[0]! : null;
  const f = sqlFunctions().find((d) =>
    d.name === name && (schema === null ? c.env.searchPath.includes(d.schema) : d.schema === schema)
  );
  if (f === undefined) return undefined;
  if (e.args.length > 0) {
    throw new DbError(
      SqlState.undefinedFunction,
      `function ${f.schema}.${f.name}(${"…"}) does not exist`,
      { position: e.location + 1 },
    );
  }
  // Inlining still needs EXECUTE on the function itself, as PostgreSQL's inline_function checks.
  notePermFunction(c.env.perms, sqlFunctionOid(sqlFunctions().indexOf(f)));
  const t = resolveType(c, f.returns);
  const b = coerce(c, bindExpr(c, f.body), t.oid, t.typmod, "explicit", e.location);
  inlinedCalls.set(b, `${f.schema}.${f.name}()`);
  return b;
}

/** The pg_proc OID of SQL-text function number `i` (below the built-ins' 20000 + i). */
export function sqlFunctionOid(i: number): number {
  return 19000 + i;
}

/** The SQL-text function with pg_proc OID `oid`, if it is one. */
export function sqlFunctionByOid(oid: number): SqlFunction | undefined {
  const i = oid - 19000;
  return i >= 0 && i < 1000 ? sqlFunctions()[i] : undefined;
}
