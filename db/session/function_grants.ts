/**
 * @module The functions a GRANT or REVOKE on FUNCTION | PROCEDURE | ROUTINE names (by name with
 * or without argument types, or ON ALL … IN SCHEMA), as grant targets whose new ACL is stored
 * as a `function_acl` catalog row (pg_proc.proacl).
 */
import type { AclItem, FunctionAclDef } from "../catalog/mod.ts";
import {
  lookupProc,
  procAcl,
  procArgType,
  procEntries,
  type ProcEntry,
  procOwner,
  procSignature,
} from "../analyze/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { GrantStmt, Target } from "./grants.ts";
import type { RoleDdl } from "./roles.ts";

/** Stores `acl` as the ACL of function `p` (a new function_acl row, or the existing one). */
function saveProcAcl(d: RoleDdl, p: ProcEntry, acl: AclItem[]): void {
  const cur = d.catalog().functionAcl(p.key);
  const row: FunctionAclDef = cur
    ? { ...cur, acl }
    : { objKind: "function_acl", oid: d.store.allocateOid(d.txn), func: p.key, acl };
  d.store.put(d.txn, row);
}

function procsOf(d: RoleDdl, s: GrantStmt): ProcEntry[] {
  const cat = d.catalog();
  if (s.allInSchema) {
    const out: ProcEntry[] = [];
    for (const [name] of s.objects) {
      if (!cat.namespaces.has(name!)) {
        throw new DbError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
      }
      // BKG-DB has no procedures: ALL PROCEDURES is empty, ALL FUNCTIONS and ROUTINES are all.
      if (s.objectType !== "procedure") out.push(...procEntries().filter((p) => p.schema === name));
    }
    return out;
  }
  const path = d.env().searchPath;
  return s.functions.map((f) => {
    // OUT parameters are not part of a function's identity (LookupFuncWithArgs drops them).
    const args = f.args === null
      ? null
      : f.args.filter((a) => a.mode !== "out").map((a) => procArgType(cat, path, a.type));
    const p = lookupProc(cat, { names: f.name, args }, path);
    if (s.objectType === "procedure") {
      throw new DbError(
        SqlState.wrongObjectType,
        `${procSignature(f.name.join("."), p.args)} is not a procedure`,
      );
    }
    return p;
  });
}

/** The grant targets of GRANT | REVOKE … ON FUNCTION | PROCEDURE | ROUTINE. */
export function functionTargets(d: RoleDdl, s: GrantStmt): Target[] {
  const cat = d.catalog();
  return procsOf(d, s).map((p) => ({
    kind: "function",
    word: "function",
    name: p.name,
    owner: procOwner,
    acl: procAcl(cat, p),
    save: (acl) => saveProcAcl(d, p, acl),
  }));
}
