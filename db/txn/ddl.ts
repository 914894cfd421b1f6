/**
 * @module Transactional DDL on storage objects, keyed by id: tables, columns, indexes and
 * sequences are created, altered and dropped inside a transaction, under an exclusive table
 * lock, visible to others only at commit, undone at abort, and WAL-logged in the commit record.
 */
import type { Datum } from "../datum.ts";
import { limits } from "../limits.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import {
  Heap,
  Index,
  type IndexDescriptor,
  Sequence,
  type SequenceDef,
  Table,
} from "../storage/mod.ts";
import { Op, OpKind } from "./ops.ts";
import type { Transaction } from "./transaction.ts";

/** An index descriptor as callers pass it. */
export type IndexDescriptorArg = IndexDescriptor;

/** CREATE TABLE. */
export function createTable(
  txn: Transaction,
  opts: { id?: number; name: string; columns: number },
): number {
  if (opts.columns > limits.columnsPerTableMax) {
    throw new DbError(
      SqlState.tooManyColumns,
      `tables can have at most ${limits.columnsPerTableMax} columns`,
    );
  }
  const id = txn.host.allocateObjectId(opts.id);
  const t = new Table({ id, name: opts.name, columns: opts.columns, dropped: [] }, -txn.xid);
  txn.host.tables.set(id, t);
  t.lockX = txn.xid;
  t.lockS.add(txn.xid);
  txn.tableLocks.set(t, 2);
  txn.ops.push(new Op(OpKind.createTable, t, 0, null, null, null));
  return id;
}

/** DROP TABLE. */
export function dropTable(txn: Transaction, id: number): void {
  const t = txn.table(id);
  txn.lockTableExclusive(t);
  t.droppedBy = -txn.xid;
  txn.ops.push(new Op(OpKind.dropTable, t, 0, null, null, null));
}

/** TRUNCATE: a new empty heap and trees; the old ones come back if the transaction aborts. */
export function truncate(txn: Transaction, id: number): void {
  const t = txn.table(id);
  txn.lockTableExclusive(t);
  const op = new Op(OpKind.truncate, t, 0, null, null, null);
  op.extra = { heap: t.heap, trees: t.indexes.map((i) => i.tree) };
  t.heap = new Heap();
  for (const idx of t.indexes) idx.tree = idx.newTree();
  txn.ops.push(op);
}

/** ALTER TABLE ADD COLUMN: every version gets the default (new row arrays). */
export function addColumn(txn: Transaction, id: number, value: Datum): number {
  const t = txn.table(id);
  txn.lockTableExclusive(t);
  const oldDef = t.def;
  if (oldDef.columns >= limits.columnsPerTableMax) {
    throw new DbError(
      SqlState.tooManyColumns,
      `tables can have at most ${limits.columnsPerTableMax} columns`,
    );
  }
  for (const head of t.heap.heads) {
    for (let v = head ?? null; v !== null; v = v.older) v.row = [...v.row, value];
  }
  t.def = { ...oldDef, columns: oldDef.columns + 1 };
  const op = new Op(OpKind.addColumn, t, 0, null, null, null);
  op.extra = { oldDef, value };
  txn.ops.push(op);
  return oldDef.columns;
}

/** ALTER TABLE DROP COLUMN: the slot becomes NULL in every version and stays. */
export function dropColumn(txn: Transaction, id: number, column: number): void {
  const t = txn.table(id);
  txn.lockTableExclusive(t);
  const oldDef = t.def;
  if (column < 0 || column >= oldDef.columns || oldDef.dropped.includes(column)) {
    throw new DbError(
      SqlState.undefinedColumn,
      `column ${column} of relation "${oldDef.name}" does not exist`,
    );
  }
  for (const idx of t.indexes) {
    const cols = idx.def.descriptor.columns;
    if (Array.isArray(cols) && cols.includes(column) && idx.droppedBy === 0) {
      throw new DbError(
        SqlState.dependentObjectsStillExist,
        `cannot drop column ${column} of table "${oldDef.name}" because index "${idx.def.name}" depends on it`,
      );
    }
  }
  const saved: unknown[] = [];
  for (const head of t.heap.heads) {
    for (let v = head ?? null; v !== null; v = v.older) {
      saved.push(v, v.row[column]);
      const row = v.row.slice();
      row[column] = null;
      v.row = row;
    }
  }
  t.def = { ...oldDef, dropped: [...oldDef.dropped, column] };
  const op = new Op(OpKind.dropColumn, t, 0, null, null, null);
  op.extra = { oldDef, column, saved };
  txn.ops.push(op);
}

/** The 23505 error of a unique index. */
export function uniqueViolation(idx: Index, treeKey: Datum): DbError {
  const key = idx.tupleOf(treeKey);
  const names = idx.def.descriptor.names;
  const cols = Array.isArray(names)
    ? names.join(", ")
    : key.map((_, i) => `key${i + 1}`).join(", ");
  const vals = key.map((d) => typeof d === "string" ? d : JSON.stringify(d, bigintText)).join(", ");
  return new DbError(
    SqlState.uniqueViolation,
    `duplicate key value violates unique constraint "${idx.def.name}"`,
    { detail: `Key (${cols})=(${vals}) already exists.`, constraint: idx.def.name },
  );
}

function bigintText(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

/** CREATE INDEX: builds the tree from every version of every row, sorted, in one pass. */
export function createIndex(
  txn: Transaction,
  tableId: number,
  opts: { id?: number; name: string; unique?: boolean; descriptor: IndexDescriptor },
): number {
  const t = txn.table(tableId);
  txn.lockTableExclusive(t);
  const spec = txn.host.resolveIndexSpec(opts.descriptor, t.def);
  const id = txn.host.allocateObjectId(opts.id);
  const def = {
    id,
    tableId,
    name: opts.name,
    unique: opts.unique ?? false,
    descriptor: opts.descriptor,
  };
  const idx = new Index(def, spec, -txn.xid);
  buildIndex(t, idx);
  t.indexes.push(idx);
  txn.host.indexes.set(id, idx);
  const op = new Op(OpKind.createIndex, t, 0, null, null, null);
  op.extra = idx;
  txn.ops.push(op);
  return id;
}

/** Fills `idx` from the table's versions; 23505 if a unique key is duplicated among live rows. */
export function buildIndex(t: Table, idx: Index): void {
  const key = idx.keyOf;
  const compare = idx.compareKey;
  const keys: Datum[] = [];
  const ids: number[] = [];
  const live: Datum[] = [];
  const heads = t.heap.heads;
  for (let rowId = 0; rowId < heads.length; rowId++) {
    const head = heads[rowId];
    if (head === undefined) continue;
    let prev: Datum = null;
    for (let v: typeof head | null = head; v !== null; v = v.older) {
      const k = key(v.row);
      if (v === head && head.end === 0) live.push(k);
      if (v !== head && compare(prev, k) === 0) continue;
      keys.push(k);
      ids.push(rowId);
      prev = k;
    }
  }
  const order = ids.map((_, i) => i);
  // Keys often arrive in order already (loaded in key order): then skip the sort.
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) {
    sorted = (compare(keys[i - 1]!, keys[i]!) || ids[i - 1]! - ids[i]!) < 0;
  }
  if (!sorted) order.sort((a, b) => compare(keys[a]!, keys[b]!) || ids[a]! - ids[b]!);
  const sortedKeys: Datum[] = [];
  const sortedIds: number[] = [];
  for (const i of order) {
    const n = sortedKeys.length;
    if (n > 0 && sortedIds[n - 1] === ids[i] && compare(sortedKeys[n - 1]!, keys[i]!) === 0) {
      continue;
    }
    sortedKeys.push(keys[i]!);
    sortedIds.push(ids[i]!);
  }
  if (idx.def.unique) {
    live.sort(compare);
    for (let i = 1; i < live.length; i++) {
      if (!idx.keyHasNull(live[i]!) && compare(live[i - 1]!, live[i]!) === 0) {
        const err = uniqueViolation(idx, live[i]!);
        throw new DbError(
          SqlState.uniqueViolation,
          `could not create unique index "${idx.def.name}"`,
          {
            detail: err.fields.detail!.replace("already exists", "is duplicated"),
            constraint: idx.def.name,
          },
        );
      }
    }
  }
  idx.tree.bulkLoad(sortedKeys, sortedIds);
}

/** DROP INDEX. */
export function dropIndex(txn: Transaction, idx: Index): void {
  const t = txn.table(idx.def.tableId);
  txn.lockTableExclusive(t);
  idx.droppedBy = -txn.xid;
  const op = new Op(OpKind.dropIndex, t, 0, null, null, null);
  op.extra = idx;
  txn.ops.push(op);
}

/** Options of CREATE SEQUENCE (PostgreSQL's defaults for bigint). */
export interface SequenceOptions {
  id?: number;
  name: string;
  increment?: bigint;
  minValue?: bigint;
  maxValue?: bigint;
  start?: bigint;
  cycle?: boolean;
}

const int8Max = 2n ** 63n - 1n;
const int8Min = -(2n ** 63n);

/** CREATE SEQUENCE. */
export function createSequence(txn: Transaction, opts: SequenceOptions): number {
  const increment = opts.increment ?? 1n;
  const bad = (m: string) => new DbError(SqlState.invalidParameterValue, m);
  if (increment === 0n) throw bad("INCREMENT must not be zero");
  const minValue = opts.minValue ?? (increment > 0n ? 1n : int8Min);
  const maxValue = opts.maxValue ?? (increment > 0n ? int8Max : -1n);
  if (minValue >= maxValue) {
    throw bad(`MINVALUE (${minValue}) must be less than MAXVALUE (${maxValue})`);
  }
  const start = opts.start ?? (increment > 0n ? minValue : maxValue);
  if (start < minValue) {
    throw bad(`START value (${start}) cannot be less than MINVALUE (${minValue})`);
  }
  if (start > maxValue) {
    throw bad(`START value (${start}) cannot be greater than MAXVALUE (${maxValue})`);
  }
  const id = txn.host.allocateObjectId(opts.id);
  const def: SequenceDef = {
    id,
    name: opts.name,
    increment,
    minValue,
    maxValue,
    start,
    cycle: opts.cycle ?? false,
  };
  const seq = new Sequence(def, -txn.xid);
  txn.host.sequences.set(id, seq);
  const op = new Op(OpKind.createSequence, null, 0, null, null, null);
  op.extra = seq;
  txn.ops.push(op);
  return id;
}

/** DROP SEQUENCE. */
export function dropSequence(txn: Transaction, seq: Sequence): void {
  seq.droppedBy = -txn.xid;
  const op = new Op(OpKind.dropSequence, null, 0, null, null, null);
  op.extra = seq;
  txn.ops.push(op);
}
