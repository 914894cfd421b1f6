/**
 * @module Scans that allocate nothing per row: a cursor object whose `next()` moves to the next
 * visible row and leaves it in `row` and `rowId`.
 *
 * @example
 * const c = txn.scan(tableId);
 * while (c.next()) use(c.rowId, c.row);
 */
import type { Datum } from "../datum.ts";
import type { BTreeCursor } from "./btree.ts";
import type { Index } from "./index.ts";
import { type Row, type Snapshot, type Version, visibleVersion } from "./version.ts";

/** A sequential scan of one table under one snapshot. */
export class TableCursor {
  row: Row = [];
  rowId = -1;
  readonly #heads: (Version | undefined)[];

  constructor(heads: (Version | undefined)[], readonly snapshot: Snapshot) {
    this.#heads = heads;
  }

  next(): boolean {
    const heads = this.#heads;
    const s = this.snapshot;
    for (let i = this.rowId + 1; i < heads.length; i++) {
      const v = visibleVersion(heads[i], s);
      if (v !== undefined) {
        this.rowId = i;
        this.row = v.row;
        return true;
      }
    }
    this.rowId = heads.length;
    return false;
  }

  *[Symbol.iterator](): Generator<{ rowId: number; row: Row }> {
    while (this.next()) yield { rowId: this.rowId, row: this.row };
  }
}

/** Bounds of an index range scan; a bound may be a prefix of the key. */
export interface IndexRange {
  lower?: Datum[];
  lowerInclusive?: boolean;
  upper?: Datum[];
  upperInclusive?: boolean;
  /** Descending order. */
  reverse?: boolean;
}

/** A range scan of an index, checking each entry against the version the snapshot sees. */
export class IndexCursor {
  row: Row = [];
  rowId = -1;
  #key: Datum = null;
  readonly #cursor: BTreeCursor<Datum>;
  readonly #heads: (Version | undefined)[];
  #started = false;
  #stop: Datum | undefined;
  #stopInclusive: boolean;

  constructor(
    readonly index: Index,
    heads: (Version | undefined)[],
    readonly snapshot: Snapshot,
    readonly range: IndexRange,
  ) {
    this.#heads = heads;
    const tree = index.tree;
    const r = range;
    const lower = index.boundOf(r.lower);
    const upper = index.boundOf(r.upper);
    if (!r.reverse) {
      this.#cursor = lower !== undefined
        ? tree.seek(lower, r.lowerInclusive === false)
        : tree.first();
      this.#stop = upper;
      this.#stopInclusive = r.upperInclusive !== false;
    } else {
      this.#cursor = upper !== undefined
        ? tree.seekLast(upper, r.upperInclusive === false)
        : tree.last();
      this.#stop = lower;
      this.#stopInclusive = r.lowerInclusive !== false;
    }
  }

  next(): boolean {
    const c = this.#cursor;
    const cmp = this.index.compareKey;
    const reverse = this.range.reverse === true;
    for (;;) {
      if (this.#started) {
        if (!(reverse ? c.prev() : c.next())) return false;
      } else {
        this.#started = true;
        if (c.leaf === null) return false;
      }
      const key = c.key;
      if (this.#stop !== undefined) {
        const d = cmp(key, this.#stop);
        if (
          reverse
            ? (d < 0 || (d === 0 && !this.#stopInclusive))
            : (d > 0 || (d === 0 && !this.#stopInclusive))
        ) {
          c.leaf = null;
          return false;
        }
      }
      const head = this.#heads[c.rowId];
      const v = visibleVersion(head, this.snapshot);
      if (v === undefined) continue;
      // A chain of one version has exactly the keys of that version; longer chains may carry
      // entries for keys the visible version no longer has.
      if ((head !== v || v.older !== null) && cmp(this.index.keyOf(v.row), key) !== 0) continue;
      this.rowId = c.rowId;
      this.row = v.row;
      this.#key = key;
      return true;
    }
  }

  /** The key tuple of the current entry. */
  get key(): Datum[] {
    return this.index.tupleOf(this.#key);
  }

  *[Symbol.iterator](): Generator<{ rowId: number; row: Row }> {
    while (this.next()) yield { rowId: this.rowId, row: this.row };
  }
}
