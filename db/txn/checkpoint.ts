/**
 * @module Checkpoint contents. Writing: an MVCC snapshot of every committed table, index and
 * sequence, streamed in frames of about 256 KiB and yielding to the event loop between frames,
 * so readers and writers keep going. Loading: the frames back into a Store, then every index is
 * built in one sorted bulk load. Frame kinds: 1 header, 2 table, 3 rows, 4 index, 5 sequence,
 * 9 end (with counts, so a file cut short is refused).
 */
import { assert } from "../assert.ts";
import { ByteReader, ByteWriter, readDatum, writeDatum } from "../datum.ts";
import { limits } from "../limits.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import {
  Index,
  type IndexDescriptor,
  type Row,
  Sequence,
  type Snapshot,
  Table,
  Version,
  visibleVersion,
} from "../storage/mod.ts";
import { type CheckpointFileWriter, formatVersion, type Lsn } from "../wal/mod.ts";
import { buildIndex } from "./ddl.ts";
import { readSequenceDef, writeSequenceDef } from "./ops.ts";
import { restoreSequence } from "./replay.ts";
import type { Store } from "./store.ts";

const Frame = { header: 1, table: 2, rows: 3, index: 4, sequence: 5, end: 9 } as const;

/** What a checkpoint captures synchronously at its start. */
export interface CheckpointPlan {
  snapshot: Snapshot;
  redoLsn: Lsn;
  tables: Table[];
  sequences: Sequence[];
  nextXid: number;
  nextObjectId: number;
}

/** Writes the checkpoint described by `plan`; returns the rows written. */
export async function writeCheckpoint(
  out: CheckpointFileWriter,
  plan: CheckpointPlan,
): Promise<number> {
  let w = new ByteWriter(64);
  w.u8(Frame.header);
  w.u32(formatVersion);
  w.varint(plan.redoLsn);
  w.varint(plan.nextXid);
  w.varint(plan.nextObjectId);
  w.f64(Date.now());
  await out.frame(w.finish());
  let rows = 0;
  for (const t of plan.tables) {
    const heads = t.heap.heads;
    w = new ByteWriter(64);
    w.u8(Frame.table);
    w.varint(t.def.id);
    w.string(t.def.name);
    w.varint(t.def.columns);
    writeDatum(w, [...t.def.dropped]);
    w.varint(heads.length);
    await out.frame(w.finish());
    let frame = new ByteWriter(limits.checkpointFrameBytes + 1024);
    let count = 0;
    const flush = async () => {
      if (count === 0) return;
      const body = frame.finish();
      const head = new ByteWriter(16);
      head.u8(Frame.rows);
      head.varint(t.def.id);
      head.varint(count);
      const payload = new Uint8Array(head.length + body.length);
      payload.set(head.finish());
      payload.set(body, head.length);
      await out.frame(payload);
      // Yield to the event loop between frames: writers and readers run meanwhile.
      await new Promise((r) => setTimeout(r, 0));
      frame = new ByteWriter(limits.checkpointFrameBytes + 1024);
      count = 0;
    };
    for (let rowId = 0; rowId < heads.length; rowId++) {
      const v = visibleVersion(heads[rowId], plan.snapshot);
      if (v === undefined) continue;
      frame.varint(rowId);
      writeDatum(frame, v.row);
      count++;
      rows++;
      if (frame.length >= limits.checkpointFrameBytes) await flush();
    }
    await flush();
    for (const idx of t.indexes) {
      w = new ByteWriter(64);
      w.u8(Frame.index);
      w.varint(idx.def.id);
      w.varint(idx.def.tableId);
      w.string(idx.def.name);
      w.u8(idx.def.unique ? 1 : 0);
      writeDatum(w, idx.def.descriptor);
      await out.frame(w.finish());
    }
  }
  for (const seq of plan.sequences) {
    w = new ByteWriter(64);
    w.u8(Frame.sequence);
    writeSequenceDef(w, seq.def);
    // Resume past everything handed out: the logged limit, unless setval(…, false) left a
    // value not yet handed out.
    w.i64(seq.isCalled ? seq.reserved : seq.last);
    w.u8(seq.isCalled ? 1 : 0);
    await out.frame(w.finish());
  }
  w = new ByteWriter(16);
  w.u8(Frame.end);
  w.varint(plan.tables.length);
  w.varint(rows);
  await out.frame(w.finish());
  return rows;
}

/** Loads checkpoint frames into an empty store; returns the redo LSN. */
export function loadCheckpoint(store: Store, frames: Uint8Array[], path: string): Lsn {
  const bad = (why: string) =>
    new DbError(SqlState.dataCorrupted, `checkpoint file ${path} is corrupt: ${why}`, {
      severity: "FATAL",
    });
  let redoLsn = -1;
  let ended = false;
  let rows = 0;
  const pending: Index[] = [];
  for (const frame of frames) {
    const r = new ByteReader(frame);
    const kind = r.u8();
    if (ended) throw bad("frames after the end frame");
    if (redoLsn < 0 && kind !== Frame.header) throw bad("no header frame");
    switch (kind) {
      case Frame.header: {
        const format = r.u32();
        if (format !== formatVersion) {
          throw bad(`format ${format} in a format ${formatVersion} database`);
        }
        redoLsn = r.varint();
        store.nextXid = r.varint();
        store.nextObjectId = r.varint();
        break;
      }
      case Frame.table: {
        const id = r.varint();
        const name = r.string();
        const columns = r.varint();
        const dropped = readDatum(r) as number[];
        const length = r.varint();
        const t = new Table({ id, name, columns, dropped }, 1);
        t.heap.heads.length = length;
        store.tables.set(id, t);
        break;
      }
      case Frame.rows: {
        const t = store.tables.get(r.varint());
        if (t === undefined) throw bad("rows of an unknown table");
        const n = r.varint();
        for (let i = 0; i < n; i++) {
          const rowId = r.varint();
          t.heap.placeAt(rowId, new Version(readDatum(r) as Row, 1, 0));
        }
        rows += n;
        break;
      }
      case Frame.index: {
        const id = r.varint();
        const tableId = r.varint();
        const name = r.string();
        const unique = r.u8() === 1;
        const descriptor = readDatum(r) as IndexDescriptor;
        const t = store.tables.get(tableId);
        if (t === undefined) throw bad("index of an unknown table");
        const def = { id, tableId, name, unique, descriptor };
        const idx = new Index(def, store.resolveIndexSpec(descriptor, t.def), 1);
        t.indexes.push(idx);
        store.indexes.set(id, idx);
        pending.push(idx);
        break;
      }
      case Frame.sequence: {
        const def = readSequenceDef(r);
        const seq = new Sequence(def, 1);
        restoreSequence(seq, r.i64(), r.u8() === 1);
        store.sequences.set(def.id, seq);
        break;
      }
      case Frame.end: {
        const tables = r.varint();
        const total = r.varint();
        if (tables !== store.tables.size || total !== rows) throw bad("counts do not match");
        ended = true;
        break;
      }
      default:
        throw bad(`unknown frame kind ${kind}`);
    }
  }
  if (!ended) throw bad("no end frame");
  for (const idx of pending) buildIndex(store.tables.get(idx.def.tableId)!, idx);
  assert(redoLsn >= 0, "checkpoint had a header");
  return redoLsn;
}
