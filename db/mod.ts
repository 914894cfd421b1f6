/**
 * @module BKG-DB's public face. Today: the storage core — `Database.open(dir, options)`,
 * transactions (`db.begin()`), table/index/sequence DDL and row reads and writes on the
 * transaction, `runStatement` (undo, wait, retry on lock conflicts), checkpoints, the commit
 * stream (`db.onCommit`) and `db.stats()`. The SQL layer adds `db.connect(role, settings) →
 * Session` on top of this (see docs/bkg-db.md).
 *
 * @example
 * import { Database, runStatement } from "./db/mod.ts";
 * const db = await Database.open("./data/db");
 * const txn = db.begin();
 * const t = txn.createTable({ name: "accounts", columns: 2 });
 * const pk = txn.createIndex(t, { name: "accounts_pkey", unique: true, descriptor: { kind: "columns", columns: [0] } });
 * await runStatement(txn, () => txn.insert(t, [1, 100]));
 * await txn.commit();
 * await db.close();
 */
export * from "./txn/mod.ts";
export {
  compareDatum,
  compareTuples,
  type IndexDef,
  type IndexDescriptor,
  type IndexRange,
  type IndexSpec,
  type ResolveIndexSpec,
  type Row,
  type TableDef,
} from "./storage/mod.ts";
export type { IndexCursor, TableCursor } from "./storage/mod.ts";
export {
  DenoFileSystem,
  type FileSystem,
  formatLsn,
  type Lsn,
  NoSyncFileSystem,
  parseLsn,
  type WalFile,
} from "./wal/mod.ts";
export { type Datum, registerDatumClass } from "./datum.ts";
export { DbError, SqlState } from "./sqlstate.ts";
export {
  type ColumnInfo,
  connect,
  type ConnectOptions,
  type PreparedInfo,
  type QueryResult,
  Session,
} from "./session/mod.ts";
export {
  ChangeFeed,
  type ChangeFeedOptions,
  type ChangeRecord,
  type JsonValue,
} from "./changes/mod.ts";
export { SUPABASE_BOOTSTRAP_SQL } from "./catalog/mod.ts";
