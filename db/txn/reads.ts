/** @module Read paths: sequential and index scans under a snapshot (cursors from db/storage). */
import {
  type Index,
  IndexCursor,
  type IndexRange,
  type Snapshot,
  type Table,
  TableCursor,
} from "../storage/mod.ts";

/** A sequential scan of `t`. */
export function scan(t: Table, s: Snapshot): TableCursor {
  return new TableCursor(t.heap.heads, s);
}

/** A range scan of `idx` on `t`. */
export function indexScan(t: Table, idx: Index, s: Snapshot, range: IndexRange): IndexCursor {
  return new IndexCursor(idx, t.heap.heads, s, range);
}
