/**
 * @module Undo of one op (ROLLBACK, ROLLBACK TO SAVEPOINT, and a statement's own rollback before
 * it waits and runs again). Ops are undone newest first, so each one finds the state it left.
 */
import { assert } from "../assert.ts";
import type { Datum } from "../datum.ts";
import type {
  BTree,
  Heap,
  Index,
  RowLockState,
  Sequence,
  TableDef,
  Version,
} from "../storage/mod.ts";
import { type Op, OpKind } from "./ops.ts";
import type { Transaction } from "./transaction.ts";

function removeAdded(op: Op): void {
  const added = op.added;
  if (added === null) return;
  for (let i = 0; i < added.length; i += 2) {
    (added[i] as Index).tree.delete(added[i + 1] as Datum, op.rowId);
  }
}

/** Reverts `op`, which `txn` made. */
export function undoOp(txn: Transaction, op: Op): void {
  const t = op.table;
  switch (op.k) {
    case OpKind.insert:
      assert(t!.heap.heads[op.rowId] === op.v && op.v!.older === null, "undo insert of head");
      removeAdded(op);
      t!.heap.release(op.rowId);
      return;
    case OpKind.update:
      assert(t!.heap.heads[op.rowId] === op.v, "undo update of head");
      removeAdded(op);
      t!.heap.heads[op.rowId] = op.old!;
      op.old!.end = 0;
      op.old!.cmax = 0;
      return;
    case OpKind.delete:
      op.old!.end = 0;
      op.old!.cmax = 0;
      return;
    case OpKind.rowLock: {
      const prev = op.extra as RowLockState | null;
      if (prev === null) t!.rowLocks.delete(op.rowId);
      else t!.rowLocks.set(op.rowId, prev);
      return;
    }
    case OpKind.createTable:
      txn.host.tables.delete(t!.id);
      for (const idx of t!.indexes) txn.host.indexes.delete(idx.def.id);
      return;
    case OpKind.dropTable:
      t!.droppedBy = 0;
      return;
    case OpKind.truncate: {
      const saved = op.extra as { heap: Heap; trees: BTree<Datum>[] };
      t!.heap = saved.heap;
      t!.indexes.forEach((idx, i) => idx.tree = saved.trees[i]!);
      return;
    }
    case OpKind.addColumn: {
      const { oldDef } = op.extra as { oldDef: TableDef };
      for (const head of t!.heap.heads) {
        for (let v = head ?? null; v !== null; v = v.older) v.row = v.row.slice(0, oldDef.columns);
      }
      t!.def = oldDef;
      return;
    }
    case OpKind.dropColumn: {
      const { oldDef, column, saved } = op.extra as {
        oldDef: TableDef;
        column: number;
        saved: (Version | Datum)[];
      };
      for (let i = 0; i < saved.length; i += 2) {
        const v = saved[i] as Version;
        const row = v.row.slice();
        row[column] = saved[i + 1] as Datum;
        v.row = row;
      }
      t!.def = oldDef;
      return;
    }
    case OpKind.createIndex: {
      const idx = op.extra as Index;
      const owner = txn.host.tables.get(idx.def.tableId);
      if (owner) owner.indexes = owner.indexes.filter((i) => i !== idx);
      txn.host.indexes.delete(idx.def.id);
      return;
    }
    case OpKind.dropIndex:
      (op.extra as Index).droppedBy = 0;
      return;
    case OpKind.createSequence:
      txn.host.sequences.delete((op.extra as Sequence).def.id);
      return;
    case OpKind.dropSequence:
      (op.extra as Sequence).droppedBy = 0;
      return;
  }
  assert(false, `undo of op kind ${op.k}`);
}
