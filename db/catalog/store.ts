/**
 * @module Where the catalog lives: one storage system table (`bkg_catalog`, fixed id) whose rows
 * are `[oid, json]`, one per catalog object. DDL writes these rows inside the user's
 * transaction, so it commits, rolls back and recovers with the data. The rows of all databases
 * share the table; each object's JSON names the database it belongs to (scope.ts). A
 * CatalogStore is one database's face of the table: its Catalog snapshots hold the shared
 * objects plus that database's own. Readers share one parsed Catalog per database, rebuilt
 * after a committed catalog change; a transaction that changed the catalog reads its own
 * version from the table under its snapshot.
 */
import { assert } from "../assert.ts";
import type { Database, Transaction } from "../txn/mod.ts";
import { Catalog } from "./catalog.ts";
import { type CatalogObject, WellKnown } from "./defs.ts";
import { bootstrapObjects } from "./bootstrap.ts";
import { parseStored, storedJson } from "./scope.ts";

/** The storage id of the catalog system table. */
export const catalogTableId = 9000;

/** A parsed catalog row and its database (null: shared by all). */
type Parsed = { obj: CatalogObject; db: number | null };

/** What every database's store of one open Database shares. */
class Core {
  version = 1;
  nextOid = 16384;
  /** The committed rows, parsed once per catalog version. */
  rows: Parsed[] | null = null;
  /** The committed Catalog of each database, built once per catalog version. */
  readonly views = new Map<number, Catalog>();
  /** Transactions that changed the catalog: their own view (null: stale) and its database. */
  readonly dirty = new WeakMap<Transaction, { db: number; cat: Catalog } | null>();
  readonly stores = new Map<number, CatalogStore>();
}

/** Each database's shared core, once its catalog table exists (concurrent first callers share it). */
const cores = new WeakMap<Database, Promise<Core>>();

/** The catalog of one database of an open data directory. */
export class CatalogStore {
  readonly #core: Core;

  private constructor(
    readonly db: Database,
    core: Core,
    /** The OID of the database this store shows. */
    readonly databaseOid: number,
  ) {
    this.#core = core;
  }

  /**
   * The store of database `databaseOid` (default `postgres`) of `db`, bootstrapping the catalog
   * on first use.
   *
   * @example
   * const store = await CatalogStore.of(db);
   * store.shared().relation(WellKnown.public, "t");
   */
  static async of(db: Database, databaseOid: number = WellKnown.postgresDb): Promise<CatalogStore> {
    let ready = cores.get(db);
    if (ready === undefined) {
      ready = CatalogStore.#init(db);
      cores.set(db, ready);
      // A failed start is not cached: the next caller tries again.
      ready.catch(() => cores.delete(db));
    }
    return CatalogStore.#storeOf(db, await ready, databaseOid);
  }

  /** Loads the catalog of `db`, creating the catalog table with the bootstrap objects if new. */
  static async #init(db: Database): Promise<Core> {
    const c = new Core();
    db.onCommit((e) => {
      for (const ch of e.changes) {
        if (ch.tableId === catalogTableId) {
          invalidate(c);
          return;
        }
      }
    });
    if (db.tableDef(catalogTableId) === undefined) {
      const txn = db.begin();
      txn.createTable({ id: catalogTableId, name: "bkg_catalog", columns: 2 });
      const s = new CatalogStore(db, c, WellKnown.postgresDb);
      for (const o of bootstrapObjects(() => s.allocateOid(txn))) {
        txn.insert(catalogTableId, [o.oid, storedJson(o, WellKnown.postgresDb)]);
      }
      await txn.commit();
    }
    const all = new Catalog(committedRows(db, c).map((r) => r.obj), 0);
    c.nextOid = Math.max(c.nextOid, all.maxOid() + 1);
    return c;
  }

  static #storeOf(db: Database, core: Core, databaseOid: number): CatalogStore {
    let s = core.stores.get(databaseOid);
    if (s === undefined) {
      s = new CatalogStore(db, core, databaseOid);
      core.stores.set(databaseOid, s);
    }
    return s;
  }

  /** The store of another database of the same data directory (no check that it exists). */
  database(databaseOid: number): CatalogStore {
    return CatalogStore.#storeOf(this.db, this.#core, databaseOid);
  }

  /** A catalog change committed (or the shared copy is stale): rebuild on next use. */
  invalidate(): void {
    invalidate(this.#core);
  }

  /** The catalog version: it changes whenever a committed catalog change is seen. */
  get version(): number {
    return this.#core.version;
  }

  /** The committed catalog of this database. */
  shared(): Catalog {
    const core = this.#core;
    let cat = core.views.get(this.databaseOid);
    if (cat === undefined) {
      cat = view(committedRows(this.db, core), core.version, this.databaseOid);
      core.views.set(this.databaseOid, cat);
    }
    return cat;
  }

  /** The catalog as `txn` sees it (its own uncommitted DDL included). */
  for(txn: Transaction | null): Catalog {
    const dirty = this.#core.dirty;
    if (txn === null || !dirty.has(txn)) return this.shared();
    const c = dirty.get(txn) ?? null;
    if (c !== null && c.db === this.databaseOid) return c.cat;
    // A new command id: catalog rows this transaction wrote in the current command are visible.
    txn.beginStatement();
    const cat = view(readRows(txn), -1, this.databaseOid);
    dirty.set(txn, { db: this.databaseOid, cat });
    return cat;
  }

  /** Drops `txn`'s cached catalog (after a statement of it rolled back). */
  forget(txn: Transaction): void {
    if (this.#core.dirty.has(txn)) this.#core.dirty.set(txn, null);
  }

  /** True when `txn` changed the catalog. */
  changedBy(txn: Transaction): boolean {
    return this.#core.dirty.has(txn);
  }

  /** A fresh OID, never used by a catalog object or storage object (of any database). */
  allocateOid(txn: Transaction): number {
    const host = txn.host;
    let n = this.#core.nextOid;
    while (host.tables.has(n) || host.indexes.has(n) || host.sequences.has(n)) n++;
    this.#core.nextOid = n + 1;
    return n;
  }

  /** Inserts or replaces a catalog object in `txn` (belonging to this database unless shared). */
  put(txn: Transaction, obj: CatalogObject): void {
    // A new command id, so that catalog rows written earlier in this statement are visible
    // (and updatable) now: one DDL statement may write the same object more than once.
    txn.beginStatement();
    const rowId = findRow(txn, obj.oid);
    const row = [obj.oid, storedJson(obj, this.databaseOid)];
    if (rowId === undefined) txn.insert(catalogTableId, row);
    else {
      const ok = txn.update(catalogTableId, rowId, row);
      assert(ok, "catalog row is visible to its updater");
    }
    this.#core.dirty.set(txn, null);
  }

  /** Removes a catalog object in `txn` (no-op if absent). */
  remove(txn: Transaction, oid: number): void {
    txn.beginStatement();
    const rowId = findRow(txn, oid);
    if (rowId !== undefined) txn.delete(catalogTableId, rowId);
    this.#core.dirty.set(txn, null);
  }

  /** Removes every object that belongs to this database (not the shared ones) in `txn`. */
  removeAll(txn: Transaction): number {
    txn.beginStatement();
    const doomed: number[] = [];
    for (const c = txn.scan(catalogTableId); c.next();) {
      if (parseStored(c.row[1] as string).db === this.databaseOid) doomed.push(c.rowId);
    }
    for (const rowId of doomed) txn.delete(catalogTableId, rowId);
    this.#core.dirty.set(txn, null);
    return doomed.length;
  }
}

function invalidate(core: Core): void {
  core.rows = null;
  core.views.clear();
  core.version++;
}

function committedRows(db: Database, core: Core): Parsed[] {
  if (core.rows !== null) return core.rows;
  const txn = db.begin({ readOnly: true });
  try {
    core.rows = readRows(txn);
  } finally {
    txn.rollback();
  }
  return core.rows;
}

function findRow(txn: Transaction, oid: number): number | undefined {
  for (const c = txn.scan(catalogTableId); c.next();) {
    if (c.row[0] === oid) return c.rowId;
  }
  return undefined;
}

function readRows(txn: Transaction): Parsed[] {
  const out: Parsed[] = [];
  for (const c = txn.scan(catalogTableId); c.next();) out.push(parseStored(c.row[1] as string));
  return out;
}

/** Database `dbOid`'s Catalog: the shared objects and its own. */
function view(rows: readonly Parsed[], version: number, dbOid: number): Catalog {
  const objs: CatalogObject[] = [];
  for (const r of rows) if (r.db === null || r.db === dbOid) objs.push(r.obj);
  return new Catalog(objs, version, dbOid);
}
