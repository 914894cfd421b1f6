/**
 * @module Privilege look-ups over a catalog snapshot (PostgreSQL's aclmask and the
 * pg_*_aclmask family): the privileges and grant options a role holds on a relation, column,
 * schema, database, sequence or type, ownership (has_privs_of_role on the owner), and the ACL a
 * new object starts with under ALTER DEFAULT PRIVILEGES.
 */
import {
  aclDefault,
  aclEqual,
  type AclItem,
  aclMerge,
  type AclObjectKind,
  allRights,
  cloneAcl,
  normalizePrivs,
} from "./acl.ts";
import type { Catalog } from "./catalog.ts";
import { type DefaultAclDef, type RelationDef, WellKnown } from "./defs.ts";

/** Privileges held and those held WITH GRANT OPTION, as letters. */
export interface PrivMask {
  privs: string;
  options: string;
}

/** The ACL kind of a relation: sequences have their own rights, everything else is a table. */
export function relationAclKind(rel: RelationDef): AclObjectKind {
  return rel.kind === "S" ? "sequence" : "table";
}

/** An object's ACL, the hard-wired default when it has none (NULL acl). */
export function effectiveAcl(
  acl: readonly AclItem[] | null | undefined,
  kind: AclObjectKind,
  owner: number,
): AclItem[] {
  return acl ? cloneAcl(acl) : aclDefault(kind, owner);
}

/** Whether `role` is a superuser. */
export function isSuperuser(cat: Catalog, role: number): boolean {
  return cat.roleByOid(role)?.superuser === true;
}

/** Whether `role` has the privileges of `owner` (ownership checks; superusers always do). */
export function ownsObject(cat: Catalog, role: number, owner: number): boolean {
  return cat.roleHasPrivsOf(role, owner);
}

/**
 * What `role` holds by `acl` (aclmask): items granted to PUBLIC, to the role, and to roles whose
 * privileges it has; an owner implicitly holds every grant option. Superusers are not special
 * here (callers decide).
 */
export function aclMask(
  cat: Catalog,
  acl: readonly AclItem[],
  owner: number,
  role: number,
  all: string,
): PrivMask {
  let privs = "";
  let options = "";
  if (cat.roleHasPrivsOf(role, owner)) options = all;
  for (const it of acl) {
    if (it.grantee === 0 || it.grantee === role || cat.roleHasPrivsOf(role, it.grantee)) {
      privs += it.privs;
      options += it.options;
    }
  }
  return { privs: normalizePrivs(privs), options: normalizePrivs(options) };
}

/** `role`'s privileges on an object of `kind` with `acl` and `owner` (superusers: all). */
export function objectMask(
  cat: Catalog,
  kind: AclObjectKind,
  obj: { owner: number; acl?: AclItem[] | null },
  role: number,
): PrivMask {
  const all = allRights[kind];
  if (isSuperuser(cat, role)) return { privs: all, options: all };
  return aclMask(cat, effectiveAcl(obj.acl, kind, obj.owner), obj.owner, role, all);
}

/** Whether `role` holds privilege letter `priv` on relation `rel` at table level. */
export function hasRelationPriv(
  cat: Catalog,
  rel: RelationDef,
  role: number,
  priv: string,
): boolean {
  return objectMask(cat, relationAclKind(rel), rel, role).privs.includes(priv);
}

/** Whether `role` holds `priv` on column `attnum` of `rel` (table level or the column's ACL). */
export function hasColumnPriv(
  cat: Catalog,
  rel: RelationDef,
  attnum: number,
  role: number,
  priv: string,
): boolean {
  if (hasRelationPriv(cat, rel, role, priv)) return true;
  const col = rel.columns.find((c) => c.attnum === attnum);
  if (col === undefined || !col.acl) return false;
  return aclMask(cat, col.acl, rel.owner, role, "arwx").privs.includes(priv);
}

/** Whether `role` holds `priv` on at least one live column of `rel` (or on the table). */
export function hasAnyColumnPriv(
  cat: Catalog,
  rel: RelationDef,
  role: number,
  priv: string,
): boolean {
  if (hasRelationPriv(cat, rel, role, priv)) return true;
  return rel.columns.some((c) =>
    !c.dropped && c.acl && aclMask(cat, c.acl, rel.owner, role, "arwx").privs.includes(priv)
  );
}

/** Whether `role` holds `priv` on the schema `nspOid` (USAGE "U", CREATE "C"). */
export function hasSchemaPriv(cat: Catalog, nspOid: number, role: number, priv: string): boolean {
  const ns = cat.namespaceByOid(nspOid);
  if (ns === undefined) return true;
  // Catalogs made before ACLs existed: the system schemas are usable by everyone.
  const system = nspOid === WellKnown.pgCatalog || nspOid === WellKnown.informationSchema;
  if (system && !ns.acl && priv === "U") return true;
  return objectMask(cat, "schema", ns, role).privs.includes(priv);
}

/**
 * The ACL a new object of `objType` that `owner` creates in `schema` starts with
 * (get_user_default_acl): the global default entry (or acldefault) plus the schema's entry;
 * null when that equals the hard-wired default, as PostgreSQL stores it.
 */
export function initialAcl(
  cat: Catalog,
  owner: number,
  schema: number,
  objType: DefaultAclDef["objType"],
): AclItem[] | null {
  const kind: AclObjectKind = ({
    r: "table",
    S: "sequence",
    f: "function",
    T: "type",
    n: "schema",
  } as const)[objType];
  const entries = cat.all("default_acl").filter((d) => d.role === owner && d.objType === objType);
  const global = entries.find((d) => d.schema === 0);
  const local = objType === "n" ? undefined : entries.find((d) => d.schema === schema);
  if (global === undefined && local === undefined) return null;
  const base = aclDefault(kind, owner);
  let acl = global ? cloneAcl(global.acl) : base;
  for (const it of local?.acl ?? []) {
    acl = aclMerge(acl, { ...it, grantOption: false }, false);
    if (it.options) acl = aclMerge(acl, { ...it, privs: it.options, grantOption: true }, false);
  }
  return aclEqual(acl, base) ? null : acl;
}
