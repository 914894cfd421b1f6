/**
 * @module The binder's public face: statements (queries and DML) bound against a catalog into
 * logical plans, plus name and type look-ups for DDL.
 */
import type { RelationDef } from "../catalog/mod.ts";
import type { TypeName } from "../sql/mod.ts";
import { BindCtx, type BindEnv } from "./context.ts";
import { type ResolvedType, resolveType as resolveTypeIn } from "./typename.ts";

export { BindCtx, type BindEnv } from "./context.ts";
export { bindQuery } from "./select.ts";
export { bindCopyFrom, bindDelete, bindInsert, bindUpdate } from "./dml.ts";
export { type EngineContext } from "./functions.ts";
import type { Expr } from "../sql/mod.ts";
import type { BExpr } from "../plan/mod.ts";
import { bindBool, bindExpr } from "./expr.ts";
import { parseExpr } from "../sql/mod.ts";
import { coerce } from "./coerce.ts";

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
  c.scope.add({
    alias: rel.name,
    offset: 0,
    cols: rel.columns.map((x) => ({
      name: x.name,
      type: x.type,
      typmod: x.typmod,
      tableOid: rel.oid,
      attnum: x.attnum,
      hidden: x.dropped,
    })),
  });
  const e = parseExpr(text);
  return bool ? bindBool(c, e, "CHECK") : bindExpr(c, e);
}
