/**
 * @module Role identity and membership: the context role statements run in (RoleDdl), role
 * specs (CURRENT_USER, SESSION_USER, PUBLIC), GRANT/REVOKE of role membership with ADMIN OPTION
 * (circular grants refused), and the checks of SET ROLE and SET SESSION AUTHORIZATION.
 */
import { type AuthMemberDef, type Catalog } from "../catalog/mod.ts";
import type { RoleSpec, Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { DdlContext } from "./ddl.ts";
import type { EvalContext } from "../types/mod.ts";

/** What role statements need from the session. */
export interface RoleDdl extends DdlContext {
  /** The current role (SET ROLE) and the session user (SET SESSION AUTHORIZATION). */
  roleOid: number;
  sessionRoleOid: number;
  /** The session's database (CREATE SCHEMA needs CREATE on it). */
  databaseName: string;
  warning(message: string): void;
  /** The session's value of a setting (ALTER ROLE … SET x FROM CURRENT). */
  currentSetting?(name: string): string;
  /** The session's evaluation context (VALID UNTIL is read in its TimeZone). */
  evalContext?: EvalContext;
}

function denied(message: string): DbError {
  return new DbError(SqlState.insufficientPrivilege, message);
}

/** The OID a role spec names (PUBLIC is 0 when `allowPublic`); 42704 for an unknown name. */
export function roleSpecOid(
  cat: Catalog,
  spec: RoleSpec,
  who: { roleOid: number; sessionRoleOid: number },
  allowPublic = false,
): number {
  switch (spec.type) {
    case "public":
      if (allowPublic) return 0;
      throw new DbError(SqlState.undefinedObject, `role "public" does not exist`);
    case "current_role":
    case "current_user":
      return who.roleOid;
    case "session_user":
      return who.sessionRoleOid;
  }
  const r = cat.roles.get(spec.name!);
  if (r === undefined) {
    throw new DbError(SqlState.undefinedObject, `role "${spec.name}" does not exist`);
  }
  return r.oid;
}

export function roleName(cat: Catalog, oid: number): string {
  return cat.roleByOid(oid)?.name ?? `${oid}`;
}

export function addMember(d: RoleDdl, role: number, member: number, admin: boolean): void {
  const cat = d.catalog();
  if (member === role || cat.roleIsMemberOf(role, member)) {
    throw new DbError(
      SqlState.invalidGrantOperation,
      `role "${roleName(cat, role)}" is a member of role "${roleName(cat, member)}"`,
    );
  }
  const existing = cat.membershipsOf(member).find((m) => m.role === role);
  if (existing !== undefined) {
    if (admin && !existing.admin) d.store.put(d.txn, { ...existing, admin: true });
    else {
      d.notice?.(
        `role "${roleName(cat, member)}" is already a member of role "${roleName(cat, role)}"`,
      );
    }
    return;
  }
  const m: AuthMemberDef = {
    objKind: "auth_member",
    oid: d.store.allocateOid(d.txn),
    role,
    member,
    grantor: d.roleOid,
    admin,
  };
  d.store.put(d.txn, m);
}

/** Whether the current role may grant or revoke membership in `role` (PostgreSQL 15 rules). */
function checkAdmin(d: RoleDdl, role: number): void {
  const cat = d.catalog();
  const me = cat.roleByOid(d.roleOid);
  if (me?.superuser) return;
  const target = cat.roleByOid(role);
  if (target?.superuser) throw denied("must be superuser to alter superusers");
  if (me?.createRole) return;
  const viaAdmin = (m: number, seen: Set<number>): boolean => {
    for (const g of cat.membershipsOf(m)) {
      if (g.role === role && g.admin) return true;
      if (!seen.has(g.role) && cat.roleByOid(m)?.inherit !== false) {
        seen.add(g.role);
        if (viaAdmin(g.role, seen)) return true;
      }
    }
    return false;
  };
  if (!viaAdmin(d.roleOid, new Set())) {
    throw denied(`must have admin option on role "${roleName(cat, role)}"`);
  }
}

/** GRANT role TO role [WITH ADMIN OPTION] / REVOKE [ADMIN OPTION FOR] role FROM role. */
export function grantRole(d: RoleDdl, s: Extract<Statement, { kind: "grant_role" }>): string {
  for (const rs of s.roles) {
    const role = roleSpecOid(d.catalog(), rs, d);
    checkAdmin(d, role);
    for (const gs of s.grantees) {
      const member = roleSpecOid(d.catalog(), gs, d);
      if (s.isGrant) {
        addMember(d, role, member, s.adminOption);
        continue;
      }
      const cat = d.catalog();
      const m = cat.membershipsOf(member).find((x) => x.role === role);
      if (m === undefined) {
        d.warning(
          `role "${roleName(cat, member)}" is not a member of role "${roleName(cat, role)}"`,
        );
        continue;
      }
      if (s.adminOption) d.store.put(d.txn, { ...m, admin: false });
      else d.store.remove(d.txn, m.oid);
    }
  }
  return s.isGrant ? "GRANT ROLE" : "REVOKE ROLE";
}

/**
 * Checks SET ROLE `name` for a session whose user is `sessionRole` ("none" always passes) and
 * returns the canonical value.
 */
export function checkSetRole(cat: Catalog, sessionRole: number, name: string): string {
  if (name.toLowerCase() === "none") return "none";
  const r = cat.roles.get(name);
  if (r === undefined) {
    throw new DbError(SqlState.invalidParameterValue, `role "${name}" does not exist`);
  }
  if (!cat.roleByOid(sessionRole)?.superuser && !cat.roleIsMemberOf(sessionRole, r.oid)) {
    throw denied(`permission denied to set role "${name}"`);
  }
  return r.name;
}

/** Checks SET SESSION AUTHORIZATION `name` for the authenticated user `authRole`. */
export function checkSessionAuthorization(cat: Catalog, authRole: number, name: string): string {
  const r = cat.roles.get(name);
  if (r === undefined) {
    throw new DbError(SqlState.invalidParameterValue, `role "${name}" does not exist`);
  }
  if (r.oid !== authRole && !cat.roleByOid(authRole)?.superuser) {
    throw denied(`permission denied to set session authorization`);
  }
  return r.name;
}
