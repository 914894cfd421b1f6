/**
 * @module WAL record framing: `[length u32][crc32c u32][lsn u64][type u8][payload]`, little-endian.
 * `length` counts the payload; the CRC covers the length, LSN, type and payload, so a record that
 * was torn, overwritten by an older one (its LSN differs) or corrupted is recognised when read.
 */
import { assert } from "../assert.ts";
import { limits } from "../limits.ts";
import { crc32c } from "./crc32c.ts";
import type { Lsn } from "./lsn.ts";

/** Bytes before the payload. */
export const recordHeaderBytes = 17;

/** The kinds of WAL record. */
export const RecordType = {
  /** One committed transaction: all its changes, DDL included. */
  commit: 1,
  /** A sequence's new durable state (a log-ahead batch, or setval). */
  sequence: 2,
} as const;

/** A decoded record. */
export interface WalRecord {
  lsn: Lsn;
  type: number;
  payload: Uint8Array;
  /** The LSN just after this record. */
  end: Lsn;
}

/**
 * Frames one record that starts at `lsn`.
 *
 * @example
 * const bytes = encodeRecord(0, RecordType.commit, payload);
 */
export function encodeRecord(lsn: Lsn, type: number, payload: Uint8Array): Uint8Array {
  assert(payload.length <= limits.walRecordBytesMax, "WAL record within its limit");
  const out = new Uint8Array(recordHeaderBytes + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length, true);
  view.setBigUint64(8, BigInt(lsn), true);
  out[16] = type;
  out.set(payload, recordHeaderBytes);
  view.setUint32(4, recordCrc(out), true);
  return out;
}

function recordCrc(frame: Uint8Array): number {
  return crc32c(frame.subarray(8), crc32c(frame.subarray(0, 4)));
}

/**
 * Reads the record at `offset` of `buf`, which holds the WAL from LSN `bufLsn`. Returns a string
 * saying what is wrong when the bytes there are not a whole, intact record for that LSN.
 */
export function decodeRecordAt(buf: Uint8Array, offset: number, bufLsn: Lsn): WalRecord | string {
  if (buf.length - offset < recordHeaderBytes) {
    return buf.length === offset ? "end of log" : "record header is cut short";
  }
  const view = new DataView(buf.buffer, buf.byteOffset + offset);
  const length = view.getUint32(0, true);
  if (length > limits.walRecordBytesMax) return `record length ${length} is impossible`;
  if (buf.length - offset < recordHeaderBytes + length) return "record is cut short";
  const frame = buf.subarray(offset, offset + recordHeaderBytes + length);
  if (view.getUint32(4, true) !== recordCrc(frame)) return "record checksum mismatch";
  const lsn = Number(view.getBigUint64(8, true));
  if (lsn !== bufLsn + offset) return `record claims LSN ${lsn}, expected ${bufLsn + offset}`;
  return {
    lsn,
    type: frame[16]!,
    payload: frame.subarray(recordHeaderBytes),
    end: lsn + frame.length,
  };
}
