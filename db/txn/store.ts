/**
 * @module The database's in-memory state: the catalog of tables, indexes and sequences by id,
 * and the counters (CSN, next xid, next object id). Recovery fills it; transactions change it.
 */
import {
  type Index,
  type IndexDescriptor,
  type IndexSpec,
  type ResolveIndexSpec,
  type Sequence,
  type Table,
  type TableDef,
} from "../storage/mod.ts";

/** The first id handed to objects without a fixed id (PostgreSQL's FirstNormalObjectId). */
export const firstNormalObjectId = 16384;

/** Catalog and counters. */
export class Store {
  readonly tables = new Map<number, Table>();
  readonly indexes = new Map<number, Index>();
  readonly sequences = new Map<number, Sequence>();
  /** CSN of the newest visible commit. Rows loaded from a checkpoint carry CSN 1. */
  csn = 1;
  nextXid = 1;
  nextObjectId = firstNormalObjectId;

  constructor(readonly resolve: ResolveIndexSpec) {}

  /** Resolves an index descriptor with the hook given at open. */
  resolveIndexSpec(descriptor: IndexDescriptor, table: TableDef): IndexSpec {
    return this.resolve(descriptor, table);
  }

  /** True when a table, index or sequence has this id. */
  hasObject(id: number): boolean {
    return this.tables.has(id) || this.indexes.has(id) || this.sequences.has(id);
  }

  /** Notes an id seen in a checkpoint or the log, so new ids never collide with it. */
  sawObjectId(id: number): void {
    if (id >= this.nextObjectId) this.nextObjectId = id + 1;
  }
}
