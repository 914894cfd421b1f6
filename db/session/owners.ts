/**
 * @module Ownership as PostgreSQL 15 checks and changes it: the "must be owner of …" check of
 * DDL, and OWNER TO for tables, views, sequences (with their indexes and owned sequences),
 * schemas, databases and types, the ACLs following the new owner (aclnewowner).
 */
import {
  aclNewOwner,
  type Catalog,
  isSuperuser,
  objectMask,
  ownsObject,
  type RelationDef,
} from "../catalog/mod.ts";
import type { RoleSpec, Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { type RoleDdl, roleSpecOid } from "./roles.ts";

function denied(message: string): DbError {
  return new DbError(SqlState.insufficientPrivilege, message);
}

/** "table", "view", "sequence" for messages about relations. */
export function relationWord(rel: RelationDef): string {
  return ({ r: "table", v: "view", S: "sequence", i: "index" } as Record<string, string>)[
    rel.kind
  ] ?? "table";
}

/** Raises 42501 `must be owner of <kind> <name>` unless `role` owns it (superusers do). */
export function requireOwner(
  cat: Catalog,
  role: number,
  obj: { owner: number; name: string },
  word: string,
): void {
  if (!ownsObject(cat, role, obj.owner)) throw denied(`must be owner of ${word} ${obj.name}`);
}

/** Checks an owner change by the current role to `newOwner` (PostgreSQL 15's rules). */
function checkOwnerChange(
  d: RoleDdl,
  obj: { owner: number; name: string },
  word: string,
  newOwner: number,
  schema: number | null,
): void {
  const cat = d.catalog();
  if (isSuperuser(cat, d.roleOid)) return;
  requireOwner(cat, d.roleOid, obj, word);
  if (!cat.roleIsMemberOf(d.roleOid, newOwner)) {
    throw denied(`must be member of role "${cat.roleByOid(newOwner)?.name}"`);
  }
  if (schema !== null) {
    const ns = cat.namespaceByOid(schema);
    if (ns && !objectMask(cat, "schema", ns, newOwner).privs.includes("C")) {
      throw denied(`permission denied for schema ${ns.name}`);
    }
  }
}

/** ALTER TABLE | VIEW | SEQUENCE … OWNER TO (and the sequences and indexes that follow it). */
export function alterRelationOwner(d: RoleDdl, rel: RelationDef, spec: RoleSpec): void {
  const cat = d.catalog();
  const newOwner = roleSpecOid(cat, spec, d);
  if (rel.owner === newOwner) return;
  checkOwnerChange(d, rel, relationWord(rel), newOwner, rel.schema);
  const follow = [rel, ...cat.indexesOf(rel.oid), ...cat.sequencesOwnedBy(rel.oid)];
  for (const r of follow) {
    const next: RelationDef = JSON.parse(JSON.stringify(d.catalog().relationByOid(r.oid)!));
    const old = next.owner;
    next.owner = newOwner;
    if (next.acl) next.acl = aclNewOwner(next.acl, old, newOwner);
    for (const c of next.columns) if (c.acl) c.acl = aclNewOwner(c.acl, old, newOwner);
    d.store.put(d.txn, next);
  }
}

/** ALTER SCHEMA | DATABASE | TYPE … OWNER TO. */
export function alterOwner(d: RoleDdl, s: Extract<Statement, { kind: "alter_owner" }>): string {
  const cat = d.catalog();
  const name = s.object[s.object.length - 1]!;
  const newOwner = roleSpecOid(cat, s.owner, d);
  if (s.objectType === "schema") {
    const ns = cat.namespaces.get(name);
    if (ns === undefined) {
      throw new DbError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
    }
    if (ns.owner !== newOwner) {
      checkOwnerChange(d, ns, "schema", newOwner, null);
      const acl = ns.acl ? aclNewOwner(ns.acl, ns.owner, newOwner) : ns.acl;
      d.store.put(d.txn, { ...ns, owner: newOwner, acl });
    }
    return "ALTER SCHEMA";
  }
  if (s.objectType === "database") {
    const db = cat.databases.get(name);
    if (db === undefined) {
      throw new DbError(SqlState.invalidCatalogName, `database "${name}" does not exist`);
    }
    if (db.owner !== newOwner) {
      checkOwnerChange(d, db, "database", newOwner, null);
      const acl = db.acl ? aclNewOwner(db.acl, db.owner, newOwner) : db.acl;
      d.store.put(d.txn, { ...db, owner: newOwner, acl });
    }
    return "ALTER DATABASE";
  }
  if (s.objectType === "type") {
    const t = cat.all("type").find((x) => x.name === name);
    if (t === undefined) {
      throw new DbError(SqlState.undefinedObject, `type "${name}" does not exist`);
    }
    if (t.owner !== newOwner) {
      checkOwnerChange(d, t, "type", newOwner, t.schema);
      d.store.put(d.txn, { ...t, owner: newOwner });
    }
    return "ALTER TYPE";
  }
  throw new DbError(
    SqlState.featureNotSupported,
    `ALTER ${s.objectType.toUpperCase()} OWNER is not supported yet`,
  );
}
