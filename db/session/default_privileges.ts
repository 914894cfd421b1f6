/**
 * @module ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT | REVOKE … ON TABLES |
 * SEQUENCES | FUNCTIONS | TYPES | SCHEMAS: the pg_default_acl entries new objects take their
 * initial ACL from (db/catalog/privileges.ts initialAcl).
 */
import {
  aclDefault,
  aclEqual,
  aclMerge,
  type AclObjectKind,
  allRights,
  type DefaultAclDef,
  isSuperuser,
  normalizePrivs,
  privilegeByName,
} from "../catalog/mod.ts";
import type { RoleSpec, Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { type RoleDdl, roleSpecOid } from "./roles.ts";

function denied(message: string): DbError {
  return new DbError(SqlState.insufficientPrivilege, message);
}

function granteeOids(d: RoleDdl, specs: RoleSpec[]): number[] {
  return specs.map((g) => roleSpecOid(d.catalog(), g, d, true));
}

/** ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT | REVOKE … ON TABLES | …. */
export function alterDefaultPrivileges(
  d: RoleDdl,
  s: Extract<Statement, { kind: "alter_default_privileges" }>,
): string {
  const cat = d.catalog();
  const roles = s.roles.length > 0 ? s.roles.map((r) => roleSpecOid(cat, r, d)) : [d.roleOid];
  for (const r of roles) {
    if (!isSuperuser(cat, d.roleOid) && !cat.roleIsMemberOf(d.roleOid, r)) {
      throw denied("permission denied to change default privileges");
    }
  }
  const schemas = s.schemas.length > 0
    ? s.schemas.map((n) => {
      const ns = cat.namespaces.get(n);
      if (ns === undefined) {
        throw new DbError(SqlState.invalidSchemaName, `schema "${n}" does not exist`);
      }
      return ns.oid;
    })
    : [0];
  const a = s.action;
  const objType =
    ({ table: "r", sequence: "S", function: "f", routine: "f", type: "T", schema: "n" }[
      a.objectType as string
    ] ?? "r") as DefaultAclDef["objType"];
  const kind: AclObjectKind =
    ({ r: "table", S: "sequence", f: "function", T: "type", n: "schema" } as const)[
      objType
    ];
  if (objType === "n" && s.schemas.length > 0) {
    throw new DbError(
      SqlState.invalidGrantOperation,
      "cannot use IN SCHEMA clause when using GRANT/REVOKE ON SCHEMAS",
    );
  }
  let privs = "";
  for (const p of a.privileges ?? []) {
    const letter = privilegeByName[p.name.toLowerCase()];
    if (letter === undefined || !allRights[kind].includes(letter)) {
      throw new DbError(
        SqlState.invalidGrantOperation,
        `invalid privilege type ${p.name.toUpperCase()} for ${
          kind === "table" ? "relation" : kind
        }`,
      );
    }
    privs += letter;
  }
  if (a.privileges === null) privs = allRights[kind];
  const grantees = granteeOids(d, a.grantees);
  for (const role of roles) {
    for (const schema of schemas) {
      const cur = d.catalog().all("default_acl").find((x) =>
        x.role === role && x.schema === schema && x.objType === objType
      );
      const base = schema === 0 ? aclDefault(kind, role) : [];
      let acl = cur ? cur.acl.map((x) => ({ ...x })) : base.map((x) => ({ ...x }));
      for (const g of grantees) {
        acl = aclMerge(acl, {
          grantee: g,
          grantor: role,
          privs: normalizePrivs(privs),
          grantOption: a.grantOption,
        }, !a.isGrant);
      }
      const empty = schema === 0 ? aclEqual(acl, aclDefault(kind, role)) : acl.length === 0;
      if (empty) {
        if (cur) d.store.remove(d.txn, cur.oid);
      } else {
        d.store.put(d.txn, {
          objKind: "default_acl",
          oid: cur?.oid ?? d.store.allocateOid(d.txn),
          role,
          schema,
          objType,
          acl,
        });
      }
    }
  }
  return "ALTER DEFAULT PRIVILEGES";
}
