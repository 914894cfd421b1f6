/**
 * @module The moment a transaction becomes visible: its stamps change from -xid to its CSN, its
 * DDL takes effect in the catalog, its UPDATEs and DELETEs are queued for vacuum, and its locks
 * are released. Also the change list the commit stream delivers.
 */
import type { Index, Row, Sequence } from "../storage/mod.ts";
import { OpKind } from "./ops.ts";
import type { Store } from "./store.ts";
import type { Transaction } from "./transaction.ts";

/** One committed row change, for the commit stream. */
export interface Change {
  tableId: number;
  kind: "insert" | "update" | "delete";
  newRow: Row | null;
  oldRow: Row | null;
}

/** Stamps `txn`'s writes with `csn` and applies its DDL to the catalog. */
export function stampCommit(store: Store, txn: Transaction, csn: number): void {
  for (const op of txn.ops) {
    const t = op.table;
    switch (op.k) {
      case OpKind.insert:
        op.v!.begin = csn;
        break;
      case OpKind.update:
        op.old!.end = csn;
        op.v!.begin = csn;
        t!.vacuumRows.push(op.rowId);
        t!.vacuumCsns.push(csn);
        break;
      case OpKind.delete:
        op.old!.end = csn;
        t!.vacuumRows.push(op.rowId);
        t!.vacuumCsns.push(csn);
        break;
      case OpKind.createTable:
        t!.createdBy = csn;
        break;
      case OpKind.dropTable:
        for (const idx of t!.indexes) store.indexes.delete(idx.def.id);
        store.tables.delete(t!.id);
        break;
      case OpKind.createIndex:
        (op.extra as Index).createdBy = csn;
        break;
      case OpKind.dropIndex: {
        const idx = op.extra as Index;
        t!.indexes = t!.indexes.filter((i) => i !== idx);
        store.indexes.delete(idx.def.id);
        break;
      }
      case OpKind.createSequence:
        (op.extra as Sequence).createdBy = csn;
        break;
      case OpKind.dropSequence:
        store.sequences.delete((op.extra as Sequence).def.id);
        break;
    }
  }
}

/** Releases every table and row lock `txn` holds. */
export function releaseLocks(txn: Transaction): void {
  const xid = txn.xid;
  for (const op of txn.ops) {
    if (op.k !== OpKind.rowLock) continue;
    const st = op.table!.rowLocks.get(op.rowId);
    if (st === undefined) continue;
    if (st.x === xid) st.x = 0;
    if (st.s.includes(xid)) st.s = st.s.filter((s) => s !== xid);
    if (st.x === 0 && st.s.length === 0) op.table!.rowLocks.delete(op.rowId);
  }
  for (const t of txn.tableLocks.keys()) {
    t.lockS.delete(xid);
    if (t.lockX === xid) t.lockX = 0;
  }
  txn.tableLocks.clear();
}

/** The row changes of `txn`, in order. */
export function changesOf(txn: Transaction): Change[] {
  const out: Change[] = [];
  for (const op of txn.ops) {
    const tableId = op.table?.id ?? 0;
    if (op.k === OpKind.insert) out.push({ tableId, kind: "insert", newRow: op.row, oldRow: null });
    else if (op.k === OpKind.update) {
      out.push({ tableId, kind: "update", newRow: op.row, oldRow: op.old!.row });
    } else if (op.k === OpKind.delete) {
      out.push({ tableId, kind: "delete", newRow: null, oldRow: op.old!.row });
    }
  }
  return out;
}
