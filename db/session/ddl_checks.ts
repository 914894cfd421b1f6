/**
 * @module The privilege side of DDL, around the statements of ddl.ts and alter.ts: before one
 * runs, CREATE on the target schema (or database), ownership of what is dropped or altered and
 * TRUNCATE rights, with PostgreSQL's 42501 messages; after it ran, the objects it created get
 * the current role as owner and their initial ACL from ALTER DEFAULT PRIVILEGES.
 */
import {
  type Catalog,
  type CatalogObject,
  hasRelationPriv,
  initialAcl,
  isSuperuser,
  objectMask,
  type RelationDef,
} from "../catalog/mod.ts";
import { analyze } from "../analyze/mod.ts";
import type { RangeVar, Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { relationDenied } from "../analyze/mod.ts";
import { relationWord, requireOwner } from "./owners.ts";
import type { RoleDdl } from "./roles.ts";

function denied(message: string): DbError {
  return new DbError(SqlState.insufficientPrivilege, message);
}

function requireSchemaCreate(d: RoleDdl, schemaName: string | null, firstInPath: string | null) {
  const cat = d.catalog();
  const ns = cat.namespaces.get(schemaName ?? firstInPath ?? "");
  if (ns === undefined) return;
  if (!objectMask(cat, "schema", ns, d.roleOid).privs.includes("C")) {
    throw denied(`permission denied for schema ${ns.name}`);
  }
}

function relationOf(d: RoleDdl, rv: RangeVar): RelationDef | undefined {
  return analyze.findRelation(d.env(), rv.schema, rv.name);
}

/**
 * Raises 42501 when the current role may not run DDL statement `s`. Statements whose target
 * does not exist pass: the DDL itself reports that (with IF EXISTS handling).
 */
export function checkDdl(d: RoleDdl, s: Statement, firstInPath: string | null): void {
  const cat = d.catalog();
  if (isSuperuser(cat, d.roleOid)) return;
  switch (s.kind) {
    case "create_table":
    case "create_view":
    case "create_sequence":
      return requireSchemaCreate(d, s.relation.schema, firstInPath);
    case "create_table_as":
      return requireSchemaCreate(d, s.relation.schema, firstInPath);
    case "create_enum":
      return requireSchemaCreate(d, s.name.length > 1 ? s.name[0]! : null, firstInPath);
    case "create_index": {
      const rel = relationOf(d, s.relation);
      if (rel) requireOwner(cat, d.roleOid, rel, "table");
      return;
    }
    case "create_schema": {
      const db = cat.databases.get(d.databaseName);
      if (db && !objectMask(cat, "database", db, d.roleOid).privs.includes("C")) {
        throw denied(`permission denied for database ${db.name}`);
      }
      return;
    }
    case "create_database": {
      const me = cat.roleByOid(d.roleOid);
      if (!me?.createDb) throw denied("permission denied to create database");
      return;
    }
    case "drop":
      return checkDrop(d, s);
    case "alter_table": {
      if (s.commands.every((c) => c.kind === "owner_to")) return;
      const rel = relationOf(d, s.relation);
      if (rel) requireOwner(cat, d.roleOid, rel, relationWord(rel));
      return;
    }
    case "alter_sequence": {
      const rel = relationOf(d, s.relation);
      if (rel) requireOwner(cat, d.roleOid, rel, "sequence");
      return;
    }
    case "rename": {
      if (s.relation !== null && s.objectType !== "policy") {
        const rel = relationOf(d, s.relation);
        if (rel) requireOwner(cat, d.roleOid, rel, relationWord(rel));
      } else if (s.objectType === "schema" && s.object) {
        const ns = cat.namespaces.get(s.object[0]!);
        if (ns) requireOwner(cat, d.roleOid, ns, "schema");
      }
      return;
    }
    case "truncate":
      for (const rv of s.relations) {
        const rel = relationOf(d, rv);
        if (rel && rel.kind === "r" && !hasRelationPriv(cat, rel, d.roleOid, "D")) {
          throw relationDenied(rel);
        }
      }
      return;
  }
}

function checkDrop(d: RoleDdl, s: Extract<Statement, { kind: "drop" }>): void {
  const cat = d.catalog();
  for (const names of s.objects) {
    const name = names[names.length - 1]!;
    const schema = names.length > 1 ? names[names.length - 2]! : null;
    if (s.objectType === "schema") {
      const ns = cat.namespaces.get(name);
      if (ns) requireOwner(cat, d.roleOid, ns, "schema");
      continue;
    }
    if (s.objectType === "type") {
      const t = cat.all("type").find((x) => x.name === name);
      if (t) requireOwner(cat, d.roleOid, t, "type");
      continue;
    }
    if (!["table", "view", "index", "sequence"].includes(s.objectType)) continue;
    const rel = analyze.findRelation(d.env(), schema, name);
    if (rel === undefined) continue;
    const owner = rel.kind === "i" && rel.index
      ? cat.relationByOid(rel.index.table)?.owner ?? rel.owner
      : rel.owner;
    requireOwner(cat, d.roleOid, { owner, name: rel.name }, relationWord(rel));
  }
}

/**
 * Gives the objects a DDL statement created (present in `after`, absent from `before`) their
 * owner — the current role, or `ownerOverride` (CREATE SCHEMA … AUTHORIZATION) — and their
 * initial ACL from ALTER DEFAULT PRIVILEGES.
 */
export function adoptNewObjects(
  d: RoleDdl,
  before: Catalog,
  ownerOverride: number | null,
): void {
  const after = d.catalog();
  const owner = ownerOverride ?? d.roleOid;
  const changed: CatalogObject[] = [];
  for (const o of after.byOid.values()) {
    if (before.byOid.has(o.oid)) continue;
    if (o.objKind === "relation") {
      const table = o.kind === "i" && o.index ? after.relationByOid(o.index.table) : undefined;
      const relOwner = table && before.byOid.has(table.oid) ? table.owner : owner;
      const acl = o.kind === "i"
        ? undefined
        : initialAcl(after, relOwner, o.schema, o.kind === "S" ? "S" : "r");
      if (o.owner === relOwner && (acl ?? null) === (o.acl ?? null)) continue;
      changed.push({ ...o, owner: relOwner, ...(acl ? { acl } : {}) });
    } else if (o.objKind === "namespace" || o.objKind === "type") {
      const acl = o.objKind === "namespace"
        ? initialAcl(after, owner, 0, "n")
        : initialAcl(after, owner, o.schema, "T");
      if (o.owner === owner && acl === null) continue;
      changed.push({ ...o, owner, ...(acl ? { acl } : {}) });
    }
  }
  for (const o of changed) d.store.put(d.txn, o);
}
