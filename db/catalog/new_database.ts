/**
 * @module The objects CREATE DATABASE gives a new database, as PostgreSQL's template1 has them
 * (and bootstrap.ts gives `postgres`): schema public owned by pg_database_owner with PostgreSQL
 * 15's ACL and its comment, and schema auth for Supabase's helpers. pg_catalog and
 * information_schema are shared built-ins (scope.ts). The grants and default privileges of
 * SUPABASE_BOOTSTRAP_SQL follow when the first session connects (db/session/access.ts).
 */
import { type CatalogObject, WellKnown } from "./defs.ts";

/** The per-database objects of a new database; `allocate` hands out their OIDs. */
export function newDatabaseObjects(allocate: () => number): CatalogObject[] {
  const dbOwner = WellKnown.pgDatabaseOwner;
  const publicOid = allocate();
  return [
    {
      objKind: "namespace",
      oid: publicOid,
      name: "public",
      owner: dbOwner,
      acl: [
        { grantee: dbOwner, grantor: dbOwner, privs: "UC", options: "" },
        { grantee: 0, grantor: dbOwner, privs: "U", options: "" },
      ],
    },
    { objKind: "namespace", oid: allocate(), name: "auth", owner: WellKnown.postgresRole },
    {
      objKind: "comment",
      oid: allocate(),
      classOid: WellKnown.pgNamespace,
      objOid: publicOid,
      subId: 0,
      text: "standard public schema",
    },
  ];
}
