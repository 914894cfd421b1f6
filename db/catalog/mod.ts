/**
 * @module The catalog's public face: object records, the immutable Catalog snapshot, the
 * CatalogStore that persists objects in a storage system table, and the index-spec resolver.
 */
export * from "./defs.ts";
export { Catalog } from "./catalog.ts";
export { CatalogStore, catalogTableId } from "./store.ts";
export { resolveIndexSpec } from "./index_spec.ts";
export { newDatabaseObjects } from "./new_database.ts";
export { isSharedObject } from "./scope.ts";
export * from "./acl.ts";
export * from "./privileges.ts";
export { isScramVerifier, scramVerifier } from "./scram.ts";
export { SUPABASE_AUTH_SQL, SUPABASE_BOOTSTRAP_SQL, supabaseSetupVersion } from "./supabase.ts";
