/**
 * @module The session's entry to role and privilege statements: dispatches CREATE/ALTER/DROP
 * ROLE, GRANT/REVOKE (roles and privileges), ALTER DEFAULT PRIVILEGES and OWNER TO, and wraps
 * other DDL with the privilege checks before it and ownership/default ACLs after it.
 */
import type { Catalog } from "../catalog/mod.ts";
import { analyze } from "../analyze/mod.ts";
import type { Statement } from "../sql/mod.ts";
import { adoptNewObjects, checkDdl } from "./ddl_checks.ts";
import { grantPrivileges } from "./grants.ts";
import { alterDefaultPrivileges } from "./default_privileges.ts";
import { alterOwner, alterRelationOwner } from "./owners.ts";
import { alterDatabase, alterDatabaseSet, alterRoleSet } from "./role_settings.ts";
import { reassignOwned } from "./owned.ts";
import {
  alterRole,
  createRole,
  dropRole,
  grantRole,
  renameRole,
  type RoleDdl,
  roleSpecOid,
} from "./roles.ts";

/** Runs a role or privilege statement; null when `s` is not one. */
export async function privilegeStatement(d: RoleDdl, s: Statement): Promise<string | null> {
  switch (s.kind) {
    case "create_role":
      return await createRole(d, s);
    case "alter_role":
      return await alterRole(d, s);
    case "drop_role":
      return dropRole(d, s);
    case "alter_role_set":
      return alterRoleSet(d, s);
    case "alter_database_set":
      return alterDatabaseSet(d, s);
    case "alter_database":
      return alterDatabase(d, s);
    case "reassign_owned":
      return reassignOwned(d, s);
    case "grant_role":
      return grantRole(d, s);
    case "grant":
      return grantPrivileges(d, s);
    case "alter_default_privileges":
      return alterDefaultPrivileges(d, s);
    case "alter_owner":
      return alterOwner(d, s);
    case "rename":
      if (s.objectType === "role" && s.object) return renameRole(d, s.object[0]!, s.newName);
      return null;
    case "alter_table": {
      // OWNER TO is done here; alter.ts runs the other subcommands (and reports a missing table).
      for (const cmd of s.commands) {
        if (cmd.kind !== "owner_to") continue;
        const rel = analyze.findRelation(d.env(), s.relation.schema, s.relation.name);
        if (rel !== undefined) alterRelationOwner(d, rel, cmd.owner);
      }
      return null;
    }
  }
  return null;
}

const creating = new Set([
  "create_table",
  "create_view",
  "create_sequence",
  "create_enum",
  "create_table_as",
  "create_index",
  "create_schema",
]);

/**
 * Before a DDL statement: its privilege checks, and the catalog to compare with afterwards
 * (null when the statement creates nothing).
 */
export function beforeDdl(d: RoleDdl, s: Statement, firstInPath: string | null): Catalog | null {
  checkDdl(d, s, firstInPath);
  return creating.has(s.kind) ? d.catalog() : null;
}

/** After a DDL statement that created objects: owners and initial ACLs. */
export function afterDdl(d: RoleDdl, s: Statement, before: Catalog): void {
  const auth = s.kind === "create_schema" && s.authorization
    ? roleSpecOid(d.catalog(), s.authorization, d)
    : null;
  adoptNewObjects(d, before, auth);
}
