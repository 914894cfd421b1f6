/**
 * @module The ring file's frame codec: `[length u32][crc32c u32][payload]`, payload a commit's
 * decoded records (names and JSON as sent, plus the full rows as Datums for access checks) or a
 * coverage mark (a commit without user-table changes: the ring is complete up to its end).
 */
import { assert } from "../assert.ts";
import { ByteReader, ByteWriter, type Datum, readDatum, writeDatum } from "../datum.ts";
import { crc32c, formatLsn } from "../wal/mod.ts";
import type { ChangeRecord, JsonValue } from "./decode.ts";

/** What one frame says. */
export type RingFrame =
  | { type: "commit"; lsn: number; end: number; records: ChangeRecord[] }
  /** A commit with no user-table changes: the ring is complete up to `end`. */
  | { type: "cover"; end: number };

const frameHeaderBytes = 8;
const kinds = ["INSERT", "UPDATE", "DELETE"] as const;
const typeCodes = { commit: 1, cover: 2 } as const;

function writeRow(w: ByteWriter, row: readonly Datum[] | null): void {
  if (row === null) return w.u8(0);
  w.u8(1);
  w.varint(row.length);
  for (const d of row) writeDatum(w, d);
}

function readRow(r: ByteReader): Datum[] | null {
  if (r.u8() === 0) return null;
  const n = r.varint();
  const row: Datum[] = [];
  for (let i = 0; i < n; i++) row.push(readDatum(r));
  return row;
}

/** Encodes one frame, header included. */
export function encodeFrame(f: RingFrame): Uint8Array {
  const w = new ByteWriter(256);
  w.u32(0);
  w.u32(0);
  w.u8(typeCodes[f.type]);
  w.f64(f.end);
  if (f.type === "commit") {
    w.f64(f.lsn);
    w.varint(f.records.length);
    for (const r of f.records) {
      w.varint(r.tableId);
      w.string(r.schema);
      w.string(r.table);
      w.u8(kinds.indexOf(r.kind));
      w.f64(Date.parse(r.commitTime));
      w.string(JSON.stringify(r.record));
      w.string(JSON.stringify(r.oldRecord));
      w.string(JSON.stringify(r.columns));
      writeRow(w, r.newRow);
      writeRow(w, r.oldRow);
    }
  }
  const bytes = w.finish();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(0, bytes.length - frameHeaderBytes, true);
  view.setUint32(4, crc32c(bytes.subarray(frameHeaderBytes)), true);
  return bytes;
}

function decodePayload(payload: Uint8Array): RingFrame {
  const r = new ByteReader(payload);
  const code = r.u8();
  const end = r.f64();
  if (code === typeCodes.cover) return { type: "cover", end };
  assert(code === typeCodes.commit, `ring frame type ${code} is known`);
  const lsn = r.f64();
  const n = r.varint();
  const records: ChangeRecord[] = [];
  for (let i = 0; i < n; i++) {
    const tableId = r.varint();
    const schema = r.string();
    const table = r.string();
    const kind = kinds[r.u8()];
    assert(kind !== undefined, "ring record kind is known");
    const commitTime = new Date(r.f64()).toISOString();
    records.push({
      tableId,
      schema,
      table,
      kind,
      record: JSON.parse(r.string()) as Record<string, JsonValue>,
      oldRecord: JSON.parse(r.string()) as Record<string, JsonValue>,
      columns: JSON.parse(r.string()) as { name: string; type: string }[],
      newRow: readRow(r),
      oldRow: readRow(r),
      lsn: formatLsn(lsn),
      lsnValue: lsn,
      commitTime,
      receivedAt: -1,
    });
  }
  return { type: "commit", lsn, end, records };
}

/** One frame read back, with where it starts in the file. */
export interface ReadFrame {
  frame: RingFrame;
  offset: number;
}

/**
 * Reads frames from the start of `bytes` until the end or the first torn or corrupt frame;
 * `goodBytes` is where the intact prefix ends (the caller cuts the file there).
 */
export function readFrames(bytes: Uint8Array): { frames: ReadFrame[]; goodBytes: number } {
  const frames: ReadFrame[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + frameHeaderBytes <= bytes.length) {
    const len = view.getUint32(offset, true);
    const crc = view.getUint32(offset + 4, true);
    const start = offset + frameHeaderBytes;
    if (start + len > bytes.length) break;
    const payload = bytes.subarray(start, start + len);
    if (crc32c(payload) !== crc) break;
    let frame: RingFrame;
    try {
      frame = decodePayload(payload);
    } catch {
      break; // A frame whose checksum matches but does not decode is treated as the end.
    }
    frames.push({ frame, offset });
    offset = start + len;
  }
  return { frames, goodBytes: offset };
}
