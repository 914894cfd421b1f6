/**
 * @module The binder's public face: statements (queries and DML) bound against a catalog into
 * logical plans, plus name and type look-ups for DDL.
 */
import type { RelationDef } from "../catalog/mod.ts";
import type { TypeName } from "../sql/mod.ts";
import { BindCtx, type BindEnv } from "./context.ts";
import { type ResolvedType, resolveType as resolveTypeIn } from "./typename.ts";

export { BindCtx, type BindEnv } from "./context.ts";
export { type RlsState } from "./rls.ts";
export { bindQuery } from "./select.ts";
export { bindCopyFrom, bindDelete, bindInsert, bindUpdate } from "./dml.ts";
export { type EngineContext } from "./functions.ts";
import type { Expr } from "../sql/mod.ts";
import type { BExpr } from "../plan/mod.ts";
import { bindBool, bindExpr } from "./expr.ts";
import { parseExpr } from "../sql/mod.ts";
import { coerce } from "./coerce.ts";
import { tableExprText } from "./view_deparse.ts";
import { DbError } from "../sqlstate.ts";
import { applyReadPolicies } from "./rls.ts";
import { mk } from "./build.ts";

/** Binds an expression and coerces it to `type` by assignment (EXECUTE arguments, SET values). */
export function coerceExpr(c: BindCtx, e: Expr, type: number): BExpr {
  return coerce(c, bindExpr(c, e), type, -1, "assignment", e.location);
}

/** Look-ups DDL needs. */
export const analyze = {
  resolveType(env: BindEnv, t: TypeName): ResolvedType {
    return resolveTypeIn(new BindCtx(env, null), t);
  },
  findRelation(env: BindEnv, schema: string | null, name: string): RelationDef | undefined {
    return new BindCtx(env, null).findRelation(schema, name);
  },
};

/** Binds SQL text as an expression over one table's row (CHECK validation, defaults). */
export function bindTableExpr(env: BindEnv, rel: RelationDef, text: string, bool: boolean): BExpr {
  const c = new BindCtx(env, null);
  c.scope.add(tableItem(rel));
  const e = parseExpr(text);
  return bool ? bindBool(c, e, "CHECK") : bindExpr(c, e);
}

/**
 * Validates a policy expression over `rel` as CREATE POLICY does (boolean, no aggregates or
 * window functions) and returns its text as pg_get_expr prints it.
 */
export function bindPolicyExpr(env: BindEnv, rel: RelationDef, e: Expr): string {
  const c = new BindCtx({ ...env, rls: undefined }, null);
  c.clause = "policy expressions";
  c.scope.add(tableItem(rel));
  try {
    // Validate the expression as written, then print its display form (IN lists as arrays).
    bindBool(c, e, "POLICY");
    return tableExprText({ ...env, rls: undefined }, rel, e, true);
  } catch (err) {
    // PostgreSQL reports policy expression errors without a position, and a missing column
    // by its quoted name.
    if (!(err instanceof DbError)) throw err;
    const m = /^column ([^".]+) does not exist$/.exec(err.message);
    const { position: _p, ...fields } = err.fields;
    throw new DbError(err.code, m ? `column "${m[1]}" does not exist` : err.message, fields);
  }
}
export {
  checkPermissions,
  newPermState,
  type PermEntry,
  type PermState,
  relationDenied,
} from "./permissions.ts";
export { procAcl, procEntries, type ProcEntry, procOwner } from "./proc_catalog.ts";
export { lookupProc, procArgType, procSignature } from "./proc_lookup.ts";

/**
 * The SELECT policies of `rel` for the statement role of `env`, bound over a full row of the
 * table (attnum order); null when RLS does not apply to that role (realtime's row filter).
 */
export function bindRowPolicies(env: BindEnv, rel: RelationDef): BExpr | null {
  const c = new BindCtx(env, null);
  const scan = mk({ op: "result", cols: [] });
  const secured = applyReadPolicies(c, rel, scan, ["select"]);
  return secured === scan || secured.op !== "filter" ? null : secured.cond;
}
import "./privilege_functions.ts";
import "./rls_functions.ts";
import { tableItem } from "./scope.ts";
