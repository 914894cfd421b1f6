/**
 * @module The catalog's public face: object records, the immutable Catalog snapshot, the
 * CatalogStore that persists objects in a storage system table, and the index-spec resolver.
 */
export * from "./defs.ts";
export { Catalog } from "./catalog.ts";
export { CatalogStore, catalogTableId } from "./store.ts";
export { resolveIndexSpec } from "./index_spec.ts";
