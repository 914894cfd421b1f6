/**
 * @module Redo at recovery: applies a committed transaction's ops directly (no MVCC is needed
 * while nobody reads), keeping the row ids the log names and the indexes in step.
 */
import { assert } from "../assert.ts";
import { Heap, Index, Sequence, Table, Version } from "../storage/mod.ts";
import { buildIndex } from "./ddl.ts";
import { type CommitRecord, OpKind, type RedoOp } from "./ops.ts";
import type { Store } from "./store.ts";

/** Applies one commit record as the transaction with CSN `csn`. */
export function replayCommit(store: Store, rec: CommitRecord, csn: number): void {
  if (rec.xid >= store.nextXid) store.nextXid = rec.xid + 1;
  for (const op of rec.ops) replayOp(store, op, csn);
}

function table(store: Store, id: number): Table {
  const t = store.tables.get(id);
  if (t === undefined) assert(false, `replay finds table ${id}`);
  return t;
}

function replayOp(store: Store, op: RedoOp, csn: number): void {
  switch (op.k) {
    case OpKind.insert: {
      const t = table(store, op.id);
      t.heap.placeAt(op.rowId, new Version(op.row!, csn, 0));
      for (const idx of t.indexes) idx.tree.insert(idx.keyOf(op.row!), op.rowId);
      return;
    }
    case OpKind.update: {
      const t = table(store, op.id);
      const v = t.heap.heads[op.rowId];
      if (v === undefined) assert(false, `replay update finds row ${op.rowId}`);
      for (const idx of t.indexes) {
        const oldKey = idx.keyOf(v.row);
        const newKey = idx.keyOf(op.row!);
        if (idx.compareKey(oldKey, newKey) === 0) continue;
        idx.tree.delete(oldKey, op.rowId);
        idx.tree.insert(newKey, op.rowId);
      }
      v.row = op.row!;
      v.begin = csn;
      return;
    }
    case OpKind.delete: {
      const t = table(store, op.id);
      const v = t.heap.heads[op.rowId];
      if (v === undefined) assert(false, `replay delete finds row ${op.rowId}`);
      for (const idx of t.indexes) idx.tree.delete(idx.keyOf(v.row), op.rowId);
      t.heap.clearAt(op.rowId);
      return;
    }
    case OpKind.createTable:
      if (store.hasObject(op.id)) assert(false, `replay creates table ${op.id} once`);
      store.tables.set(
        op.id,
        new Table({ id: op.id, name: op.name, columns: op.columns, dropped: op.dropped }, csn),
      );
      store.sawObjectId(op.id);
      return;
    case OpKind.dropTable: {
      const t = table(store, op.id);
      for (const idx of t.indexes) store.indexes.delete(idx.def.id);
      store.tables.delete(op.id);
      return;
    }
    case OpKind.truncate: {
      const t = table(store, op.id);
      t.heap = new Heap();
      for (const idx of t.indexes) idx.tree.clear();
      return;
    }
    case OpKind.addColumn: {
      const t = table(store, op.id);
      for (const v of t.heap.heads) if (v) v.row = [...v.row, op.value];
      t.def = { ...t.def, columns: t.def.columns + 1 };
      return;
    }
    case OpKind.dropColumn: {
      const t = table(store, op.id);
      for (const v of t.heap.heads) {
        if (!v) continue;
        const row = v.row.slice();
        row[op.columns] = null;
        v.row = row;
      }
      t.def = { ...t.def, dropped: [...t.def.dropped, op.columns] };
      return;
    }
    case OpKind.createIndex: {
      const t = table(store, op.tableId);
      const def = {
        id: op.id,
        tableId: op.tableId,
        name: op.name,
        unique: op.unique,
        descriptor: op.descriptor!,
      };
      const idx = new Index(def, store.resolveIndexSpec(def.descriptor, t.def), csn);
      buildIndex(t, idx);
      t.indexes.push(idx);
      store.indexes.set(op.id, idx);
      store.sawObjectId(op.id);
      return;
    }
    case OpKind.dropIndex: {
      const idx = store.indexes.get(op.id);
      if (idx === undefined) assert(false, `replay finds index ${op.id}`);
      const t = table(store, idx.def.tableId);
      t.indexes = t.indexes.filter((i) => i !== idx);
      store.indexes.delete(op.id);
      return;
    }
    case OpKind.createSequence: {
      const seq = new Sequence(op.sequence!, csn);
      restoreSequence(seq, op.last, op.isCalled);
      store.sequences.set(op.id, seq);
      store.sawObjectId(op.id);
      return;
    }
    case OpKind.dropSequence:
      store.sequences.delete(op.id);
      return;
  }
  assert(false, `replay of op kind ${op.k}`);
}

/** Sets a sequence to a logged state: it resumes after `last` (or at it, when !isCalled). */
export function restoreSequence(seq: Sequence, last: bigint, isCalled: boolean): void {
  seq.last = last;
  seq.isCalled = isCalled;
  seq.reserved = isCalled ? last : last - seq.def.increment;
  seq.durableReserved = seq.reserved;
  seq.pendingLsn = 0;
}
