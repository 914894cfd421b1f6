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
  return [
    { objKind: "namespace", oid: WellKnown.pgCatalog, name: "pg_catalog", owner },
    { objKind: "namespace", oid: WellKnown.public, name: "public", owner },
    {
      objKind: "namespace",
      oid: WellKnown.informationSchema,
      name: "information_schema",
      owner,
    },
    role(owner, "postgres", {
      superuser: true,
      login: true,
      createRole: true,
      createDb: true,
      bypassRls: true,
    }),
    role(allocate(), "anon"),
    role(allocate(), "authenticated"),
    role(allocate(), "service_role", { bypassRls: true }),
    { objKind: "namespace", oid: allocate(), name: "auth", owner },
    { objKind: "database", oid: WellKnown.template1, name: "template1", owner },
    { objKind: "database", oid: WellKnown.template0, name: "template0", owner },
    { objKind: "database", oid: WellKnown.postgresDb, name: "postgres", owner },
  ];
}
