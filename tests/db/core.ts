/**
 * @module The storage core as the tests use it: the same names db/mod.ts exports from txn,
 * storage and wal, imported directly so these tests do not depend on the SQL layers.
 */
export * from "../../db/txn/mod.ts";
export { compareDatum, compareTuples } from "../../db/storage/mod.ts";
export type { IndexDescriptor, Row } from "../../db/storage/mod.ts";
export { type FileSystem, formatLsn, parseLsn, type WalFile } from "../../db/wal/mod.ts";
export { type Datum } from "../../db/datum.ts";
export { DbError, SqlState } from "../../db/sqlstate.ts";
