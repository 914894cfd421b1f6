/**
 * @module A transaction's write log: one `Op` per change, in order. The same list is the undo
 * log (rolled back in reverse, to a savepoint or entirely), the redo log (encoded into the
 * transaction's one WAL commit record) and the source of the committed-change stream.
 */
import { assert } from "../assert.ts";
import { ByteReader, ByteWriter, type Datum, readDatum, writeDatum } from "../datum.ts";
import type { Index, IndexDescriptor, Row, SequenceDef, Table, Version } from "../storage/mod.ts";

/** Kinds of change. */
export const OpKind = {
  insert: 1,
  update: 2,
  delete: 3,
  rowLock: 4,
  createTable: 10,
  dropTable: 11,
  truncate: 12,
  addColumn: 13,
  dropColumn: 14,
  createIndex: 20,
  dropIndex: 21,
  createSequence: 30,
  dropSequence: 31,
} as const;

/** One change made by a transaction. Fields unused by a kind stay null. */
export class Op {
  /** Index entries this op added (index, key): removed again if it is undone. */
  added: (Index | Datum)[] | null = null;
  /** Kind-specific data: the row lock's previous state, a truncated heap, a dropped value… */
  extra: unknown = null;
  constructor(
    readonly k: number,
    readonly table: Table | null,
    readonly rowId: number,
    /** The version this op created (insert, update). */
    readonly v: Version | null,
    /** The version this op ended (update, delete). */
    readonly old: Version | null,
    /** The row as written, kept apart from `v.row`, which ALTER may replace later. */
    readonly row: Row | null,
  ) {}
}

/** A decoded op from a commit record, for replay. */
export interface RedoOp {
  k: number;
  id: number;
  rowId: number;
  row: Row | null;
  name: string;
  columns: number;
  dropped: number[];
  value: Datum;
  tableId: number;
  unique: boolean;
  descriptor: IndexDescriptor | null;
  sequence: SequenceDef | null;
  last: bigint;
  isCalled: boolean;
}

/** A decoded commit record. */
export interface CommitRecord {
  xid: number;
  commitTime: number;
  ops: RedoOp[];
}

/** Encodes the redo part of `ops` (row locks leave no trace). */
export function encodeCommit(xid: number, commitTime: number, ops: readonly Op[]): Uint8Array {
  const w = new ByteWriter(64 + ops.length * 48);
  w.varint(xid);
  w.f64(commitTime);
  let n = 0;
  for (const op of ops) if (op.k !== OpKind.rowLock) n++;
  w.varint(n);
  for (const op of ops) {
    if (op.k === OpKind.rowLock) continue;
    w.u8(op.k);
    switch (op.k) {
      case OpKind.insert:
      case OpKind.update:
        w.varint(op.table!.id);
        w.varint(op.rowId);
        writeDatum(w, op.row!);
        break;
      case OpKind.delete:
        w.varint(op.table!.id);
        w.varint(op.rowId);
        break;
      case OpKind.createTable: {
        const def = op.table!.def;
        w.varint(def.id);
        w.string(def.name);
        w.varint(def.columns);
        writeDatum(w, [...def.dropped]);
        break;
      }
      case OpKind.dropTable:
      case OpKind.truncate:
        w.varint(op.table!.id);
        break;
      case OpKind.addColumn:
        w.varint(op.table!.id);
        writeDatum(w, (op.extra as { value: Datum }).value);
        break;
      case OpKind.dropColumn:
        w.varint(op.table!.id);
        w.varint((op.extra as { column: number }).column);
        break;
      case OpKind.createIndex: {
        const def = (op.extra as Index).def;
        w.varint(def.id);
        w.varint(def.tableId);
        w.string(def.name);
        w.u8(def.unique ? 1 : 0);
        writeDatum(w, def.descriptor);
        break;
      }
      case OpKind.dropIndex:
        w.varint((op.extra as Index).def.id);
        break;
      case OpKind.createSequence: {
        const seq = op.extra as { def: SequenceDef; last: bigint; isCalled: boolean };
        writeSequenceDef(w, seq.def);
        w.i64(seq.last);
        w.u8(seq.isCalled ? 1 : 0);
        break;
      }
      case OpKind.dropSequence:
        w.varint((op.extra as { def: SequenceDef }).def.id);
        break;
      default:
        assert(false, `op kind ${op.k} has an encoding`);
    }
  }
  // No copy: the WAL frames the record (copying it) before anything else writes here.
  return w.view();
}

/** Writes a sequence definition (also used by checkpoints). */
export function writeSequenceDef(w: ByteWriter, d: SequenceDef): void {
  w.varint(d.id);
  w.string(d.name);
  w.i64(d.increment);
  w.i64(d.minValue);
  w.i64(d.maxValue);
  w.i64(d.start);
  w.u8(d.cycle ? 1 : 0);
}

/** Reads what {@link writeSequenceDef} wrote. */
export function readSequenceDef(r: ByteReader): SequenceDef {
  return {
    id: r.varint(),
    name: r.string(),
    increment: r.i64(),
    minValue: r.i64(),
    maxValue: r.i64(),
    start: r.i64(),
    cycle: r.u8() === 1,
  };
}

function blank(k: number): RedoOp {
  return {
    k,
    id: 0,
    rowId: 0,
    row: null,
    name: "",
    columns: 0,
    dropped: [],
    value: null,
    tableId: 0,
    unique: false,
    descriptor: null,
    sequence: null,
    last: 0n,
    isCalled: false,
  };
}

/** Decodes a commit record; throws DatumCorrupt (a bug, since the CRC matched) on bad bytes. */
export function decodeCommit(payload: Uint8Array): CommitRecord {
  const r = new ByteReader(payload);
  const xid = r.varint();
  const commitTime = r.f64();
  const n = r.varint();
  const ops: RedoOp[] = [];
  for (let i = 0; i < n; i++) {
    const op = blank(r.u8());
    switch (op.k) {
      case OpKind.insert:
      case OpKind.update:
        op.id = r.varint();
        op.rowId = r.varint();
        op.row = readDatum(r) as Row;
        break;
      case OpKind.delete:
        op.id = r.varint();
        op.rowId = r.varint();
        break;
      case OpKind.createTable:
        op.id = r.varint();
        op.name = r.string();
        op.columns = r.varint();
        op.dropped = readDatum(r) as number[];
        break;
      case OpKind.dropTable:
      case OpKind.truncate:
      case OpKind.dropIndex:
      case OpKind.dropSequence:
        op.id = r.varint();
        break;
      case OpKind.addColumn:
        op.id = r.varint();
        op.value = readDatum(r);
        break;
      case OpKind.dropColumn:
        op.id = r.varint();
        op.columns = r.varint();
        break;
      case OpKind.createIndex:
        op.id = r.varint();
        op.tableId = r.varint();
        op.name = r.string();
        op.unique = r.u8() === 1;
        op.descriptor = readDatum(r) as IndexDescriptor;
        break;
      case OpKind.createSequence:
        op.sequence = readSequenceDef(r);
        op.id = op.sequence.id;
        op.last = r.i64();
        op.isCalled = r.u8() === 1;
        break;
      default:
        assert(false, `unknown op kind ${op.k} in a commit record`);
    }
    ops.push(op);
  }
  assert(r.remaining === 0, "commit record fully read");
  return { xid, commitTime, ops };
}

/** A sequence record: the state to restore at recovery. */
export function encodeSequenceRecord(id: number, last: bigint, isCalled: boolean): Uint8Array {
  const w = new ByteWriter(16);
  w.varint(id);
  w.i64(last);
  w.u8(isCalled ? 1 : 0);
  return w.finish();
}

/** Reads a sequence record. */
export function decodeSequenceRecord(
  payload: Uint8Array,
): { id: number; last: bigint; isCalled: boolean } {
  const r = new ByteReader(payload);
  return { id: r.varint(), last: r.i64(), isCalled: r.u8() === 1 };
}
