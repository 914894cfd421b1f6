/**
 * @module row_security_active(table): whether row-level security applies to the table for the
 * current role (check_enable_rls without raising for row_security = off), by name or OID.
 */
import { rlsApplies } from "../rewrite/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { Oid } from "../types/mod.ts";
import { defineEngineFunction as def, type EngineContext } from "./functions.ts";

for (const argType of [Oid.text, Oid.oid]) {
  def("row_security_active", [argType], Oid.bool, ([arg], ctx) => {
    const eng = ctx as EngineContext;
    const cat = eng.catalogNow();
    const oid = argType === Oid.oid ? Number(arg) : eng.lookupRelation?.(String(arg));
    const rel = oid === undefined ? undefined : cat.relationByOid(oid);
    if (rel === undefined) {
      throw new DbError(SqlState.undefinedTable, `relation "${String(arg)}" does not exist`);
    }
    const role = cat.roles.get(ctx.currentUser())?.oid ?? 0;
    return rlsApplies(cat, rel, role, true);
  });
}
