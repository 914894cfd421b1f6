/**
 * @module Role statements as PostgreSQL 15 runs them: CREATE/ALTER/DROP ROLE (attributes,
 * SCRAM-SHA-256 passwords, IN ROLE/ROLE/ADMIN), ALTER ROLE … RENAME, and the dependencies that
 * keep a role from being dropped (membership and SET ROLE live in role_members.ts).
 */
import {
  type Catalog,
  isScramVerifier,
  type RoleDef,
  scramVerifier,
  WellKnown,
} from "../catalog/mod.ts";
import type { RoleOption, Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { addMember, type RoleDdl, roleName, roleSpecOid } from "./role_members.ts";
import { procEntries, procSignature } from "../analyze/mod.ts";
import { defaultEvalContext, inputText, Oid } from "../types/mod.ts";

async function applyOptions(
  r: RoleDef,
  options: RoleOption[],
  d: RoleDdl,
): Promise<void> {
  for (const o of options) {
    switch (o.name) {
      case "superuser":
        r.superuser = o.value;
        break;
      case "login":
        r.login = o.value;
        break;
      case "inherit":
        r.inherit = o.value;
        break;
      case "createrole":
        r.createRole = o.value;
        break;
      case "createdb":
        r.createDb = o.value;
        break;
      case "bypassrls":
        r.bypassRls = o.value;
        break;
      case "password":
        if (o.value === "") {
          d.notice?.("empty string is not a valid password, clearing password");
          r.password = null;
        } else if (o.value === null || isScramVerifier(o.value)) r.password = o.value;
        else r.password = await scramVerifier(o.value);
        break;
      case "connection_limit":
        if (o.value < -1) {
          throw new DbError(SqlState.invalidParameterValue, `invalid connection limit: ${o.value}`);
        }
        r.connLimit = o.value;
        break;
      case "valid_until":
        r.validUntil = String(
          inputText(Oid.timestamptz, o.value, -1, d.evalContext ?? defaultEvalContext()),
        );
        break;
    }
  }
}

function checkAttributeRights(d: RoleDdl, options: RoleOption[], creating: boolean): void {
  const cat = d.catalog();
  const me = cat.roleByOid(d.roleOid);
  if (me?.superuser) return;
  for (const o of options) {
    if (o.name === "superuser") {
      throw denied(
        creating
          ? "must be superuser to create superusers"
          : "must be superuser to alter superuser roles or change superuser attribute",
      );
    }
    if (o.name === "bypassrls") {
      throw denied(
        creating
          ? "must be superuser to create bypassrls users"
          : "must be superuser to change bypassrls attribute",
      );
    }
    if (o.name === "replication") {
      throw denied(
        creating
          ? "must be superuser to create replication users"
          : "must be superuser to alter replication roles or change replication attribute",
      );
    }
  }
}

/** CREATE ROLE | USER | GROUP. */
export async function createRole(
  d: RoleDdl,
  s: Extract<Statement, { kind: "create_role" }>,
): Promise<string> {
  const cat = d.catalog();
  const me = cat.roleByOid(d.roleOid);
  if (!me?.superuser && !me?.createRole) throw denied("permission denied to create role");
  checkAttributeRights(d, s.options, true);
  if (s.name.startsWith("pg_")) {
    throw new DbError(SqlState.reservedName, `role name "${s.name}" is reserved`, {
      detail: 'Role names starting with "pg_" are reserved.',
    });
  }
  if (cat.roles.has(s.name)) {
    throw new DbError(SqlState.duplicateObject, `role "${s.name}" already exists`);
  }
  const r: RoleDef = {
    objKind: "role",
    oid: d.store.allocateOid(d.txn),
    name: s.name,
    superuser: false,
    login: s.roleType === "user",
    inherit: true,
    createRole: false,
    createDb: false,
    bypassRls: false,
    password: null,
  };
  await applyOptions(r, s.options, d);
  d.store.put(d.txn, r);
  const who = { roleOid: d.roleOid, sessionRoleOid: d.sessionRoleOid };
  for (const o of s.options) {
    if (o.name !== "in_role" && o.name !== "role" && o.name !== "admin") continue;
    for (const spec of o.roles) {
      const other = roleSpecOid(d.catalog(), spec, who);
      if (o.name === "in_role") addMember(d, other, r.oid, false);
      else addMember(d, r.oid, other, o.name === "admin");
    }
  }
  return "CREATE ROLE";
}

/** ALTER ROLE … [WITH] options. */
export async function alterRole(
  d: RoleDdl,
  s: Extract<Statement, { kind: "alter_role" }>,
): Promise<string> {
  const cat = d.catalog();
  const oid = roleSpecOid(cat, s.role, d);
  const target = { ...cat.roleByOid(oid)! };
  const me = cat.roleByOid(d.roleOid);
  if (!me?.superuser) {
    const onlyOwnPassword = oid === d.roleOid && s.options.every((o) => o.name === "password");
    if (target.superuser) {
      throw denied("must be superuser to alter superuser roles or change superuser attribute");
    }
    checkAttributeRights(d, s.options, false);
    if (!onlyOwnPassword && !me?.createRole) throw denied("permission denied");
  }
  await applyOptions(target, s.options, d);
  d.store.put(d.txn, target);
  return "ALTER ROLE";
}

/** ALTER ROLE a RENAME TO b. */
export function renameRole(d: RoleDdl, oldName: string, newName: string): string {
  const cat = d.catalog();
  const r = cat.roles.get(oldName);
  if (r === undefined) {
    throw new DbError(SqlState.undefinedObject, `role "${oldName}" does not exist`);
  }
  if (r.oid === d.sessionRoleOid) {
    throw new DbError(SqlState.featureNotSupported, "session user cannot be renamed");
  }
  if (r.oid === d.roleOid) {
    throw new DbError(SqlState.featureNotSupported, "current user cannot be renamed");
  }
  if (cat.roles.has(newName)) {
    throw new DbError(SqlState.duplicateObject, `role "${newName}" already exists`);
  }
  if (newName.startsWith("pg_")) {
    throw new DbError(SqlState.reservedName, `role name "${newName}" is reserved`, {
      detail: 'Role names starting with "pg_" are reserved.',
    });
  }
  const me = cat.roleByOid(d.roleOid);
  if (r.superuser && !me?.superuser) throw denied("must be superuser to rename superusers");
  if (!me?.superuser && !me?.createRole) throw denied("permission denied to rename role");
  const renamed: RoleDef = { ...r, name: newName };
  if (renamed.password !== null && !isScramVerifier(renamed.password)) renamed.password = null;
  d.store.put(d.txn, renamed);
  return "ALTER ROLE";
}

/** What depends on a role (owned objects, privileges), as DROP ROLE's DETAIL lines. */
function dependents(cat: Catalog, role: number): string[] {
  const out: string[] = [];
  const kindWord = (k: string) =>
    ({ r: "table", v: "view", S: "sequence", i: "index" } as Record<string, string>)[k] ?? "table";
  for (const ns of cat.all("namespace")) {
    if (ns.owner === role) out.push(`owner of schema ${ns.name}`);
  }
  for (const r of cat.all("relation")) {
    if (r.kind === "i") continue;
    if (r.owner === role) out.push(`owner of ${kindWord(r.kind)} ${r.name}`);
    else if (r.acl?.some((a) => a.grantee === role || a.grantor === role)) {
      out.push(`privileges for ${kindWord(r.kind)} ${r.name}`);
    }
    for (const c of r.columns) {
      if (c.acl?.some((a) => a.grantee === role || a.grantor === role)) {
        out.push(`privileges for column ${c.name} of ${kindWord(r.kind)} ${r.name}`);
      }
    }
  }
  for (const ns of cat.all("namespace")) {
    if (ns.owner !== role && ns.acl?.some((a) => a.grantee === role || a.grantor === role)) {
      out.push(`privileges for schema ${ns.name}`);
    }
  }
  for (const t of cat.all("type")) if (t.owner === role) out.push(`owner of type ${t.name}`);
  for (const fa of cat.all("function_acl")) {
    const p = procEntries().find((x) => x.key === fa.func);
    if (p && fa.acl.some((a) => a.grantee === role || a.grantor === role)) {
      out.push(`privileges for function ${procSignature(p.name, p.args)}`);
    }
  }
  for (const p of cat.all("policy")) {
    if (p.roles.includes(role)) {
      out.push(`target of policy ${p.name} on table ${cat.relationByOid(p.table)?.name}`);
    }
  }
  for (const da of cat.all("default_acl")) {
    if (da.role === role || da.acl.some((a) => a.grantee === role)) {
      const what = { r: "relations", S: "sequences", f: "functions", T: "types", n: "schemas" }[
        da.objType
      ];
      const nsName = cat.namespaceByOid(da.schema)?.name;
      out.push(
        `privileges for default privileges on new ${what} belonging to role ${
          roleName(cat, da.role)
        }${nsName ? ` in schema ${nsName}` : ""}`,
      );
    }
  }
  return out;
}

/**
 * What depends on a role outside the current database, as PostgreSQL lists it: the databases it
 * owns or has privileges on (listed first), and a count of its objects in each other database
 * (listed last).
 */
function elsewhere(
  d: RoleDdl,
  cat: Catalog,
  role: number,
): { databases: string[]; counts: string[] } {
  const databases: string[] = [];
  const counts: string[] = [];
  const dbs = cat.all("database").sort((a, b) => a.oid - b.oid);
  for (const db of dbs) {
    if (db.owner === role) databases.push(`owner of database ${db.name}`);
    else if (db.acl?.some((a) => a.grantee === role || a.grantor === role)) {
      databases.push(`privileges for database ${db.name}`);
    }
    if (db.name === d.databaseName) continue;
    const n = dependents(d.store.database(db.oid).for(d.txn), role).length;
    if (n > 0) counts.push(`${n} object${n === 1 ? "" : "s"} in database ${db.name}`);
  }
  return { databases, counts };
}

/** DROP ROLE [IF EXISTS]. */
export function dropRole(d: RoleDdl, s: Extract<Statement, { kind: "drop_role" }>): string {
  const me = d.catalog().roleByOid(d.roleOid);
  if (!me?.superuser && !me?.createRole) throw denied("permission denied to drop role");
  for (const spec of s.roles) {
    const cat = d.catalog();
    const r = spec.type === "name" ? cat.roles.get(spec.name!) : undefined;
    if (r === undefined) {
      if (spec.type === "name" && s.ifExists) {
        d.notice?.(`role "${spec.name}" does not exist, skipping`);
        continue;
      }
      if (spec.type !== "name") roleSpecOid(cat, spec, d);
      throw new DbError(SqlState.undefinedObject, `role "${spec.name}" does not exist`);
    }
    if (r.oid === d.roleOid) {
      throw new DbError(SqlState.objectInUse, "current user cannot be dropped");
    }
    if (r.oid === d.sessionRoleOid) {
      throw new DbError(SqlState.objectInUse, "session user cannot be dropped");
    }
    if (r.oid === WellKnown.postgresRole || r.oid === WellKnown.pgDatabaseOwner) {
      throw new DbError(
        SqlState.dependentObjectsStillExist,
        `cannot drop role ${r.name} because it is required by the database system`,
      );
    }
    if (r.superuser && !me?.superuser) throw denied("must be superuser to drop superusers");
    const other = elsewhere(d, cat, r.oid);
    const deps = [...other.databases, ...dependents(cat, r.oid), ...other.counts];
    if (deps.length > 0) {
      throw new DbError(
        SqlState.dependentObjectsStillExist,
        `role "${r.name}" cannot be dropped because some objects depend on it`,
        { detail: deps.join("\n") },
      );
    }
    for (const m of cat.all("auth_member")) {
      if (m.role === r.oid || m.member === r.oid) d.store.remove(d.txn, m.oid);
    }
    for (const st of cat.all("db_role_setting")) {
      if (st.role === r.oid) d.store.remove(d.txn, st.oid);
    }
    d.store.remove(d.txn, r.oid);
  }
  return "DROP ROLE";
}

export {
  checkSessionAuthorization,
  checkSetRole,
  grantRole,
  type RoleDdl,
  roleSpecOid,
} from "./role_members.ts";

function denied(message: string): DbError {
  return new DbError(SqlState.insufficientPrivilege, message);
}
