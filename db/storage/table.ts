/**
 * @module In-memory tables. A table's heap is an array of version chains indexed by row id: the
 * row id is stable for the life of the row (UPDATE adds a version to the same chain), so indexes
 * point at row ids and an unchanged key needs no index work. Row ids of rows that vacuum
 * removed are reused. Table definitions are immutable objects, replaced on ALTER.
 */
import { assert } from "../assert.ts";
import type { Datum } from "../datum.ts";
import type { Index } from "./index.ts";
import type { Version } from "./version.ts";

/** What storage needs to know about a table (the catalog above knows the rest). */
export interface TableDef {
  readonly id: number;
  readonly name: string;
  /** Column slots, dropped ones included: column numbers never change. */
  readonly columns: number;
  /** Column numbers dropped (their slots hold NULL). */
  readonly dropped: readonly number[];
}

/** The version chains of one table. */
export class Heap {
  /** Newest version of each row, by row id; undefined for a free slot. */
  heads: (Version | undefined)[] = [];
  #free: number[] = [];
  /** Slots holding a row (of any visibility). */
  rows = 0;

  /** A free row id (reusing vacuumed ones first). */
  allocate(): number {
    this.rows++;
    const id = this.#free.pop();
    if (id !== undefined) return id;
    this.heads.push(undefined);
    return this.heads.length - 1;
  }

  /** Puts a row at a given id (recovery, which replays the ids the log names). */
  placeAt(rowId: number, v: Version): void {
    while (this.heads.length <= rowId) this.heads.push(undefined);
    if (this.heads[rowId] !== undefined) assert(false, `row id ${rowId} is free at replay`);
    this.heads[rowId] = v;
    this.rows++;
  }

  /** Empties a slot. */
  release(rowId: number): void {
    assert(this.heads[rowId] !== undefined, "released row id was in use");
    this.heads[rowId] = undefined;
    this.#free.push(rowId);
    this.rows--;
  }

  /** Empties a slot during replay (the free list is rebuilt afterwards). */
  clearAt(rowId: number): void {
    if (this.heads[rowId] === undefined) assert(false, `row id ${rowId} is in use at replay`);
    this.heads[rowId] = undefined;
    this.rows--;
  }

  /** Rebuilds the free list from the holes (after recovery). */
  rebuildFreeList(): void {
    this.#free = [];
    for (let i = this.heads.length - 1; i >= 0; i--) {
      if (this.heads[i] === undefined) this.#free.push(i);
    }
  }

  /** Versions in all chains. */
  countVersions(): number {
    let n = 0;
    for (const h of this.heads) for (let v = h ?? null; v; v = v.older) n++;
    return n;
  }
}

/** Row-level lock holders of one row: an exclusive holder (0 if none) and sharers. */
export interface RowLockState {
  x: number;
  s: number[];
}

/** A table: definition, heap, indexes, and the lock state transactions keep on it. */
export class Table {
  heap = new Heap();
  indexes: Index[] = [];
  /** CSN (committed) or -xid (creating transaction in progress) of CREATE TABLE. */
  createdBy: number;
  /** -xid of a transaction dropping it, or 0. */
  droppedBy = 0;
  /** Row locks (SELECT FOR UPDATE/SHARE) by row id. */
  rowLocks = new Map<number, RowLockState>();
  /** Table lock: the exclusive holder's xid (DDL) or 0, and the xids holding it shared. */
  lockX = 0;
  lockS = new Set<number>();
  /** Row ids whose chains a committed UPDATE/DELETE left for vacuum, with the CSN of it. */
  vacuumRows: number[] = [];
  vacuumCsns: number[] = [];

  constructor(public def: TableDef, createdBy: number) {
    this.createdBy = createdBy;
  }

  get id(): number {
    return this.def.id;
  }
}

/** A row with `columns` slots: missing ones NULL, extra ones refused by the caller. */
export function checkRowWidth(def: TableDef, row: Datum[]): boolean {
  return row.length === def.columns;
}
