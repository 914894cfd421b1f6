/**
 * @module Which database a catalog object belongs to. Roles, memberships, databases, comments on
 * them (pg_shdescription) and the built-in schemas pg_catalog and information_schema are shared
 * by every database of the data directory, as PostgreSQL's pg_authid, pg_auth_members and
 * pg_database are; every other object belongs to one database. The owner is stored in the row's
 * JSON as `db` (the database's OID); an object written before databases were kept apart has no
 * tag and belongs to `postgres`. The tag lives only in storage: parsed objects never carry it.
 */
import { type CatalogObject, WellKnown } from "./defs.ts";

/** A stored catalog row's JSON: the object plus the OID of the database that owns it. */
export type StoredObject = CatalogObject & { db?: number };

/** Whether `o` is shared by all databases. */
export function isSharedObject(o: CatalogObject): boolean {
  switch (o.objKind) {
    case "role":
    case "auth_member":
    case "database":
    case "db_role_setting":
      return true;
    case "namespace":
      return o.oid === WellKnown.pgCatalog || o.oid === WellKnown.informationSchema;
    case "comment":
      return o.classOid === WellKnown.pgAuthid || o.classOid === WellKnown.pgDatabase;
    default:
      return false;
  }
}

/** The database that owns a stored object (untagged: `postgres`), or null when it is shared. */
export function ownerDatabase(o: StoredObject): number | null {
  if (isSharedObject(o)) return null;
  return o.db ?? WellKnown.postgresDb;
}

/** A stored row's JSON for `o` written by database `dbOid` (shared objects stay untagged). */
export function storedJson(o: CatalogObject, dbOid: number): string {
  const { db: _old, ...plain } = o as StoredObject;
  return JSON.stringify(isSharedObject(o) ? plain : { ...plain, db: dbOid });
}

/** Parses a stored row: the object without its tag, and its database (null: shared). */
export function parseStored(json: string): { obj: CatalogObject; db: number | null } {
  const o = JSON.parse(json) as StoredObject;
  const db = ownerDatabase(o);
  delete o.db;
  return { obj: o, db };
}
