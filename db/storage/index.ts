/**
 * @module Ordered indexes: a B+tree of (key tuple, row id). The key extractor and comparator
 * come from the layer above through a serializable descriptor, so recovery can rebuild them.
 * Entries are added for every version whose key is new in its chain and removed by vacuum (or
 * abort) when no version of the row has that key any more, so a reader checks each entry
 * against the version its snapshot sees.
 */
import type { Datum } from "../datum.ts";
import { BTree } from "./btree.ts";
import { compareDatum, compareTuples } from "./compare.ts";
import type { TableDef } from "./table.ts";
import type { Row } from "./version.ts";

/**
 * How an index computes and orders its keys. `compare` orders tuples on their common prefix
 * (see compareTuples) with NULLs as the type's ordering puts them (PostgreSQL: NULLS LAST).
 */
export interface IndexSpec {
  key(row: Row): Datum[];
  compare(a: readonly Datum[], b: readonly Datum[]): number;
  /**
   * Optional, for a key of one column: the tree then holds that column's value itself, not a
   * one-element tuple (less memory, and comparisons without a pointer chase per probe).
   * `compare` must order values as `compare` orders one-element tuples.
   */
  scalar?: { column: number; compare(a: Datum, b: Datum): number };
}

/**
 * The serializable description of an index's key, stored in the WAL and checkpoints. The default
 * resolver understands `{ kind: "columns", columns: [0, 2] }`; other kinds (expressions,
 * collations) are the business of the resolver the layer above passes at open.
 */
export type IndexDescriptor = { [key: string]: Datum };

/** Turns a descriptor into a spec; throws for a descriptor it does not understand. */
export type ResolveIndexSpec = (descriptor: IndexDescriptor, table: TableDef) => IndexSpec;

/** The default resolver: `{ kind: "columns", columns: number[] }` with {@link compareTuples}. */
export const resolveColumnsSpec: ResolveIndexSpec = (descriptor) => {
  const cols = descriptor.columns;
  if (descriptor.kind !== "columns" || !Array.isArray(cols)) {
    throw new Error(`index descriptor ${JSON.stringify(descriptor)} needs a resolver`);
  }
  const columns = cols.map(Number);
  if (columns.length === 1) {
    const c = columns[0]!;
    return {
      key: (row) => [row[c] ?? null],
      compare: compareTuples,
      scalar: { column: c, compare: compareDatum },
    };
  }
  return { key: (row) => columns.map((c) => row[c] ?? null), compare: compareTuples };
};

/** What storage keeps about an index. */
export interface IndexDef {
  readonly id: number;
  readonly tableId: number;
  readonly name: string;
  readonly unique: boolean;
  readonly descriptor: IndexDescriptor;
}

/**
 * An index: definition, resolved spec, and its tree. Keys in the tree ("tree keys") are tuples,
 * or single values when the spec is scalar; `keyOf`, `compareKey`, `tupleOf` and `boundOf`
 * translate, so callers never care which.
 */
export class Index {
  tree: BTree<Datum>;
  /** CSN or -xid of CREATE INDEX. */
  createdBy: number;
  /** -xid of a transaction dropping it, or 0. */
  droppedBy = 0;
  /** The tree key of a row. */
  readonly keyOf: (row: Row) => Datum;
  /** Orders tree keys (and bounds from boundOf). */
  readonly compareKey: (a: Datum, b: Datum) => number;
  readonly #scalar: boolean;

  constructor(readonly def: IndexDef, readonly spec: IndexSpec, createdBy: number) {
    const s = spec.scalar;
    this.#scalar = s !== undefined;
    if (s !== undefined) {
      const c = s.column;
      this.keyOf = (row) => row[c] ?? null;
      this.compareKey = s.compare;
    } else {
      this.keyOf = spec.key;
      this.compareKey = spec.compare as (a: Datum, b: Datum) => number;
    }
    this.tree = this.newTree();
    this.createdBy = createdBy;
  }

  /** An empty tree with this index's order. */
  newTree(): BTree<Datum> {
    return new BTree<Datum>(this.compareKey);
  }

  /** The key tuple of a tree key. */
  tupleOf(key: Datum): Datum[] {
    return this.#scalar ? [key] : key as Datum[];
  }

  /** A scan bound (a tuple, maybe a prefix) as a tree key; undefined for an empty one. */
  boundOf(tuple: Datum[] | undefined): Datum | undefined {
    if (tuple === undefined || tuple.length === 0) return undefined;
    return this.#scalar ? tuple[0]! : tuple;
  }

  /** True when a tree key has a NULL: such keys never conflict in a unique index. */
  keyHasNull(key: Datum): boolean {
    if (this.#scalar) return key === null;
    for (const d of key as Datum[]) if (d === null) return true;
    return false;
  }
}
