/**
 * @module Where the catalog lives: one storage system table (`bkg_catalog`, fixed id) whose rows
 * are `[oid, json]`, one per catalog object. DDL writes these rows inside the user's
 * transaction, so it commits, rolls back and recovers with the data. Readers share one parsed
 * Catalog rebuilt after a committed catalog change; a transaction that changed the catalog
 * reads its own version from the table under its snapshot.
 */
import { assert } from "../assert.ts";
import type { Database, Transaction } from "../txn/mod.ts";
import { Catalog } from "./catalog.ts";
import type { CatalogObject } from "./defs.ts";
import { bootstrapObjects } from "./bootstrap.ts";

/** The storage id of the catalog system table. */
export const catalogTableId = 9000;

const stores = new WeakMap<Database, CatalogStore>();

/** The catalog of one open database. */
export class CatalogStore {
  #shared: Catalog | null = null;
  #version = 1;
  #nextOid = 16384;
  readonly #dirty = new WeakMap<Transaction, Catalog | null>();

  private constructor(readonly db: Database) {
    db.onCommit((e) => {
      for (const c of e.changes) {
        if (c.tableId === catalogTableId) {
          this.invalidate();
          return;
        }
      }
    });
  }

  /** The store of `db`, bootstrapping the catalog on first use. */
  static async of(db: Database): Promise<CatalogStore> {
    let s = stores.get(db);
    if (s !== undefined) return s;
    s = new CatalogStore(db);
    stores.set(db, s);
    if (db.tableDef(catalogTableId) === undefined) {
      const txn = db.begin();
      txn.createTable({ id: catalogTableId, name: "bkg_catalog", columns: 2 });
      for (const o of bootstrapObjects(() => s!.allocateOid(txn))) {
        txn.insert(catalogTableId, [o.oid, JSON.stringify(o)]);
      }
      await txn.commit();
    }
    const cat = s.shared();
    s.#nextOid = Math.max(s.#nextOid, cat.maxOid() + 1);
    return s;
  }

  /** A catalog change committed (or the shared copy is stale): rebuild on next use. */
  invalidate(): void {
    this.#shared = null;
    this.#version++;
  }

  /** The catalog version: it changes whenever a committed catalog change is seen. */
  get version(): number {
    return this.#version;
  }

  /** The committed catalog. */
  shared(): Catalog {
    if (this.#shared !== null) return this.#shared;
    const txn = this.db.begin({ readOnly: true });
    try {
      this.#shared = load(txn, this.#version);
    } finally {
      txn.rollback();
    }
    return this.#shared;
  }

  /** The catalog as `txn` sees it (its own uncommitted DDL included). */
  for(txn: Transaction | null): Catalog {
    if (txn === null || !this.#dirty.has(txn)) return this.shared();
    let c = this.#dirty.get(txn) ?? null;
    if (c === null) {
      // A new command id: catalog rows this transaction wrote in the current command are visible.
      txn.beginStatement();
      c = load(txn, -1);
      this.#dirty.set(txn, c);
    }
    return c;
  }

  /** Drops `txn`'s cached catalog (after a statement of it rolled back). */
  forget(txn: Transaction): void {
    if (this.#dirty.has(txn)) this.#dirty.set(txn, null);
  }

  /** True when `txn` changed the catalog. */
  changedBy(txn: Transaction): boolean {
    return this.#dirty.has(txn);
  }

  /** A fresh OID, never used by a catalog object or storage object. */
  allocateOid(txn: Transaction): number {
    const host = txn.host;
    let n = this.#nextOid;
    while (host.tables.has(n) || host.indexes.has(n) || host.sequences.has(n)) n++;
    this.#nextOid = n + 1;
    return n;
  }

  /** Inserts or replaces a catalog object in `txn`. */
  put(txn: Transaction, obj: CatalogObject): void {
    // A new command id, so that catalog rows written earlier in this statement are visible
    // (and updatable) now: one DDL statement may write the same object more than once.
    txn.beginStatement();
    const rowId = findRow(txn, obj.oid);
    const row = [obj.oid, JSON.stringify(obj)];
    if (rowId === undefined) txn.insert(catalogTableId, row);
    else {
      const ok = txn.update(catalogTableId, rowId, row);
      assert(ok, "catalog row is visible to its updater");
    }
    this.#dirty.set(txn, null);
  }

  /** Removes a catalog object in `txn` (no-op if absent). */
  remove(txn: Transaction, oid: number): void {
    txn.beginStatement();
    const rowId = findRow(txn, oid);
    if (rowId !== undefined) txn.delete(catalogTableId, rowId);
    this.#dirty.set(txn, null);
  }
}

function findRow(txn: Transaction, oid: number): number | undefined {
  for (const c = txn.scan(catalogTableId); c.next();) {
    if (c.row[0] === oid) return c.rowId;
  }
  return undefined;
}

function load(txn: Transaction, version: number): Catalog {
  const objs: CatalogObject[] = [];
  for (const c = txn.scan(catalogTableId); c.next();) {
    objs.push(JSON.parse(c.row[1] as string) as CatalogObject);
  }
  return new Catalog(objs, version);
}
