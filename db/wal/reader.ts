/**
 * @module Reading the WAL at recovery: records from a start LSN, in order, until the end of the
 * log or the first record that is torn or corrupt; then the tail after the last good record is
 * cut off so that new records append cleanly.
 */
import { decodeRecordAt, type WalRecord } from "./record.ts";
import type { FileSystem } from "./file_system.ts";
import type { Lsn } from "./lsn.ts";
import { listSegments, segmentName, segmentStart } from "./segments.ts";

/** Where reading stopped. */
export interface WalReadEnd {
  /** The LSN after the last good record: where the next record goes. */
  end: Lsn;
  /** Why reading stopped before the end of the bytes on disk; undefined at a clean end. */
  problem?: string;
  /** Records read. */
  records: number;
}

/**
 * Calls `apply` for every intact record from `from` on, in LSN order.
 *
 * @example
 * const { end, problem } = await readWal(fs, `${dir}/wal`, checkpointLsn, segBytes, replay);
 */
export async function readWal(
  fs: FileSystem,
  dir: string,
  from: Lsn,
  segmentBytes: number,
  apply: (record: WalRecord) => void,
): Promise<WalReadEnd> {
  const segments = new Set(await listSegments(fs, dir));
  let segStart = segmentStart(from, segmentBytes);
  let buf = new Uint8Array(0);
  let bufLsn = from;
  let offset = 0;
  let records = 0;
  let segmentFull = true;
  let loaded = false;
  for (;;) {
    const rec = loaded ? decodeRecordAt(buf, offset, bufLsn) : "end of log";
    if (typeof rec !== "string") {
      apply(rec);
      records++;
      offset = rec.end - bufLsn;
      continue;
    }
    // Out of bytes: the record may continue in the next segment, if this one was full.
    const next = loaded ? segStart + segmentBytes : segStart;
    if (
      (rec === "end of log" || rec.includes("cut short")) && segmentFull && segments.has(next)
    ) {
      const bytes = (await fs.readFile(`${dir}/${segmentName(next)}`)) ?? new Uint8Array(0);
      const skip = loaded ? 0 : from - next;
      const rest = buf.subarray(offset);
      const joined = new Uint8Array(rest.length + Math.max(0, bytes.length - skip));
      joined.set(rest);
      joined.set(bytes.subarray(skip), rest.length);
      bufLsn += offset;
      buf = joined;
      offset = 0;
      segStart = next;
      segmentFull = bytes.length >= segmentBytes;
      loaded = true;
      continue;
    }
    const end = bufLsn + offset;
    const clean = rec === "end of log" && !segments.has(segStart + segmentBytes);
    if (clean) return { end, records };
    return { end, records, problem: rec === "end of log" ? "segment ends before the next" : rec };
  }
}

/**
 * Cuts the log at `end`: truncates the segment holding it and removes every later segment,
 * then makes that durable.
 */
export async function truncateWal(
  fs: FileSystem,
  dir: string,
  end: Lsn,
  segmentBytes: number,
): Promise<void> {
  const start = segmentStart(end, segmentBytes);
  for (const seg of await listSegments(fs, dir)) {
    if (seg > start) await fs.remove(`${dir}/${segmentName(seg)}`);
  }
  const file = await fs.openAppend(`${dir}/${segmentName(start)}`);
  try {
    await file.truncate(end - start);
    await file.syncData();
  } finally {
    file.close();
  }
  await fs.syncDir(dir);
}
