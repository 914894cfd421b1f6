/**
 * @module The storage layer's public face: in-memory tables of version chains, ordered indexes
 * (B+tree), sequences, the visibility rule and allocation-free cursors. Transactions (db/txn)
 * decide what to write; this layer holds it.
 */
export { BTree, BTreeCursor, type Compare } from "./btree.ts";
export { compareDatum, compareTuples } from "./compare.ts";
export { isVisible, type Row, Snapshot, Version, visibleVersion } from "./version.ts";
export { checkRowWidth, Heap, type RowLockState, Table, type TableDef } from "./table.ts";
export {
  Index,
  type IndexDef,
  type IndexDescriptor,
  type IndexSpec,
  resolveColumnsSpec,
  type ResolveIndexSpec,
} from "./index.ts";
export { Sequence, type SequenceDef } from "./sequence.ts";
export { IndexCursor, type IndexRange, TableCursor } from "./cursors.ts";
