/**
 * @module REASSIGN OWNED and DROP OWNED as PostgreSQL 15 runs them in the current database:
 * REASSIGN gives the roles' schemas, relations and types here, and their databases anywhere, to
 * the new owner (ACLs follow, as aclnewowner does); DROP OWNED revokes what was granted to the
 * roles (tables, columns, schemas, databases, functions, default privileges), takes them out of
 * policies (dropping a policy left without roles), and returns the DROP statements of the objects
 * they own, which the session runs as it runs DROP.
 */
import { type AclItem, aclNewOwner, type Catalog, WellKnown } from "../catalog/mod.ts";
import type { Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { type RoleDdl, roleSpecOid } from "./role_members.ts";

type DropStmt = Extract<Statement, { kind: "drop" }>;

/** The roles named, each checked: the current role must have its privileges. */
function ownedRoles(
  d: RoleDdl,
  specs: Extract<Statement, { kind: "drop_owned" }>["roles"],
  what: string,
): number[] {
  const cat = d.catalog();
  const out: number[] = [];
  for (const spec of specs) {
    const oid = roleSpecOid(cat, spec, d);
    if (!cat.roleHasPrivsOf(d.roleOid, oid)) {
      throw new DbError(SqlState.insufficientPrivilege, `permission denied to ${what} objects`);
    }
    out.push(oid);
  }
  return out;
}

function pinned(cat: Catalog, roles: number[], verb: string): void {
  for (const r of roles) {
    if (r !== WellKnown.postgresRole) continue;
    throw new DbError(
      SqlState.dependentObjectsStillExist,
      `cannot ${verb} objects owned by role ${
        cat.roleByOid(r)?.name
      } because they are required by the database system`,
    );
  }
}

/** REASSIGN OWNED BY roles TO role. */
export function reassignOwned(
  d: RoleDdl,
  s: Extract<Statement, { kind: "reassign_owned" }>,
): string {
  const roles = ownedRoles(d, s.roles, "reassign");
  const cat = d.catalog();
  const to = roleSpecOid(cat, s.newRole, d);
  if (!cat.roleHasPrivsOf(d.roleOid, to)) {
    throw new DbError(SqlState.insufficientPrivilege, "permission denied to reassign objects");
  }
  pinned(cat, roles, "reassign ownership of");
  const from = new Set(roles);
  const move = (acl: AclItem[] | null | undefined, old: number) =>
    acl ? aclNewOwner(acl, old, to) : acl;
  for (const ns of cat.all("namespace")) {
    if (from.has(ns.owner)) d.store.put(d.txn, { ...ns, owner: to, acl: move(ns.acl, ns.owner) });
  }
  for (const r of cat.all("relation")) {
    if (!from.has(r.owner)) continue;
    const next = JSON.parse(JSON.stringify(r)) as typeof r;
    next.owner = to;
    next.acl = move(next.acl, r.owner);
    for (const c of next.columns) if (c.acl) c.acl = aclNewOwner(c.acl, r.owner, to);
    d.store.put(d.txn, next);
  }
  for (const t of cat.all("type")) {
    if (from.has(t.owner)) d.store.put(d.txn, { ...t, owner: to, acl: move(t.acl, t.owner) });
  }
  for (const db of cat.all("database")) {
    if (from.has(db.owner)) d.store.put(d.txn, { ...db, owner: to, acl: move(db.acl, db.owner) });
  }
  return "REASSIGN OWNED";
}

/** An ACL without the items granted to or by `roles`; unchanged (same object) if none were. */
function without(acl: AclItem[], roles: Set<number>): AclItem[] {
  const kept = acl.filter((a) => !roles.has(a.grantee) && !roles.has(a.grantor));
  return kept.length === acl.length ? acl : kept;
}

/**
 * DROP OWNED BY roles: revokes the roles' privileges and policy memberships here and returns the
 * DROP statements of the objects they own (views first, schemas last), to run with `behavior`.
 */
export function dropOwned(d: RoleDdl, s: Extract<Statement, { kind: "drop_owned" }>): DropStmt[] {
  const roles = ownedRoles(d, s.roles, "drop");
  const cat = d.catalog();
  pinned(cat, roles, "drop");
  const set = new Set(roles);
  revokeAll(d, cat, set);
  const drops: DropStmt[] = [];
  const drop = (objectType: string, objects: string[][]) => {
    if (objects.length === 0) return;
    drops.push({
      kind: "drop",
      objectType: objectType as DropStmt["objectType"],
      objects,
      functions: [],
      ifExists: true,
      behavior: s.behavior,
      concurrently: false,
      location: s.location,
    });
  };
  const nsName = (oid: number) => cat.namespaceByOid(oid)?.name ?? "";
  const rels = cat.all("relation").filter((r) => set.has(r.owner)).sort((a, b) => b.oid - a.oid);
  drop("view", rels.filter((r) => r.kind === "v").map((r) => [nsName(r.schema), r.name]));
  drop("table", rels.filter((r) => r.kind === "r").map((r) => [nsName(r.schema), r.name]));
  drop(
    "sequence",
    rels.filter((r) =>
      r.kind === "S" && !set.has(cat.relationByOid(r.ownedBy?.[0] ?? 0)?.owner ?? -1)
    )
      .map((r) => [nsName(r.schema), r.name]),
  );
  const types = cat.all("type").filter((t) => set.has(t.owner));
  drop("type", types.map((t) => [nsName(t.schema), t.name]));
  const schemas = cat.all("namespace").filter((n) => set.has(n.owner));
  drop("schema", schemas.map((n) => [n.name]));
  for (const da of cat.all("default_acl")) {
    if (set.has(da.role)) d.store.remove(d.txn, da.oid);
  }
  return drops;
}

/** RemoveRoleFromObjectACL and RemoveRoleFromObjectPolicy for every object of the database. */
function revokeAll(d: RoleDdl, cat: Catalog, roles: Set<number>): void {
  for (const r of cat.all("relation")) {
    let changed = false;
    const next = JSON.parse(JSON.stringify(r)) as typeof r;
    if (next.acl && !roles.has(r.owner)) {
      const acl = without(next.acl, roles);
      if (acl !== next.acl) (next.acl = acl), (changed = true);
    }
    for (const c of next.columns) {
      if (!c.acl) continue;
      const acl = without(c.acl, roles);
      if (acl !== c.acl) (c.acl = acl), (changed = true);
    }
    if (changed) d.store.put(d.txn, next);
  }
  for (const ns of cat.all("namespace")) {
    if (!ns.acl || roles.has(ns.owner)) continue;
    const acl = without(ns.acl, roles);
    if (acl !== ns.acl) d.store.put(d.txn, { ...ns, acl });
  }
  for (const db of cat.all("database")) {
    if (!db.acl || roles.has(db.owner)) continue;
    const acl = without(db.acl, roles);
    if (acl !== db.acl) d.store.put(d.txn, { ...db, acl });
  }
  for (const fa of cat.all("function_acl")) {
    const acl = without(fa.acl, roles);
    if (acl !== fa.acl) d.store.put(d.txn, { ...fa, acl });
  }
  for (const da of cat.all("default_acl")) {
    if (roles.has(da.role)) continue;
    const acl = without(da.acl, roles);
    if (acl === da.acl) continue;
    if (acl.length === 0) d.store.remove(d.txn, da.oid);
    else d.store.put(d.txn, { ...da, acl });
  }
  for (const p of cat.all("policy")) {
    if (!p.roles.some((r) => roles.has(r))) continue;
    const left = p.roles.filter((r) => !roles.has(r));
    if (left.length === 0) d.store.remove(d.txn, p.oid);
    else d.store.put(d.txn, { ...p, roles: left });
  }
}
