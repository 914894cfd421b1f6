/**
 * @module The catalog a new database starts with: the schemas pg_catalog, public,
 * information_schema and auth; the superuser `postgres` and the NOLOGIN roles anon,
 * authenticated and service_role (BYPASSRLS) that JWTs name; the databases postgres,
 * template1 and template0.
 */
import { type CatalogObject, type RoleDef, WellKnown } from "./defs.ts";

function role(oid: number, name: string, opts: Partial<RoleDef> = {}): RoleDef {
  return {
    objKind: "role",
    oid,
    name,
    superuser: false,
    login: false,
    inherit: true,
    createRole: false,
    createDb: false,
    bypassRls: false,
    password: null,
    ...opts,
  };
}

/** The objects of a new catalog; `allocate` hands out OIDs for the non-fixed ones. */
export function bootstrapObjects(allocate: () => number): CatalogObject[] {
  const owner = WellKnown.postgresRole;
  const dbOwner = WellKnown.pgDatabaseOwner;
  // The system schemas: everyone may look things up in them.
  const usable = [
    { grantee: owner, grantor: owner, privs: "UC", options: "" },
    { grantee: 0, grantor: owner, privs: "U", options: "" },
  ];
  return [
    { objKind: "namespace", oid: WellKnown.pgCatalog, name: "pg_catalog", owner, acl: usable },
    // PostgreSQL 15: public belongs to pg_database_owner; PUBLIC keeps only USAGE.
    {
      objKind: "namespace",
      oid: WellKnown.public,
      name: "public",
      owner: WellKnown.pgDatabaseOwner,
      acl: [
        { grantee: dbOwner, grantor: dbOwner, privs: "UC", options: "" },
        { grantee: 0, grantor: dbOwner, privs: "U", options: "" },
      ],
    },
    {
      objKind: "namespace",
      oid: WellKnown.informationSchema,
      name: "information_schema",
      owner,
      acl: usable,
    },
    role(owner, "postgres", {
      superuser: true,
      login: true,
      createRole: true,
      createDb: true,
      bypassRls: true,
    }),
    role(dbOwner, "pg_database_owner"),
    role(allocate(), "anon"),
    role(allocate(), "authenticated"),
    role(allocate(), "service_role", { bypassRls: true }),
    { objKind: "namespace", oid: allocate(), name: "auth", owner },
    { objKind: "database", oid: WellKnown.template1, name: "template1", owner },
    { objKind: "database", oid: WellKnown.template0, name: "template0", owner },
    { objKind: "database", oid: WellKnown.postgresDb, name: "postgres", owner },
    {
      objKind: "comment",
      oid: allocate(),
      classOid: WellKnown.pgNamespace,
      objOid: WellKnown.public,
      subId: 0,
      text: "standard public schema",
    },
  ];
}
