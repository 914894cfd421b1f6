/**
 * @module WAL segment files: `wal/<16 hex digits of the start LSN>`, each `segmentBytes` long
 * except the last. Records may span a segment boundary; the log is one byte stream.
 */
import type { FileSystem } from "./file_system.ts";
import type { Lsn } from "./lsn.ts";

/** The file name of the segment that starts at `start`. */
export function segmentName(start: Lsn): string {
  return start.toString(16).toUpperCase().padStart(16, "0");
}

/** The start LSNs of the segment files in `dir`, ascending. */
export async function listSegments(fs: FileSystem, dir: string): Promise<Lsn[]> {
  const names = await fs.readDir(dir);
  return names.filter((n) => /^[0-9A-F]{16}$/.test(n)).map((n) => parseInt(n, 16)).sort((a, b) =>
    a - b
  );
}

/** The start of the segment holding `lsn`. */
export function segmentStart(lsn: Lsn, segmentBytes: number): Lsn {
  return lsn - (lsn % segmentBytes);
}
