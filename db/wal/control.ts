/**
 * @module The control file (`<dir>/control`): the on-disk format version and which checkpoint to
 * start recovery from. It is JSON with a CRC32C of its body, written atomically (temp file,
 * fsync, rename, fsync of the directory), so it is either the old or the new one after a crash.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { crc32c } from "./crc32c.ts";
import type { FileSystem } from "./file_system.ts";
import type { Lsn } from "./lsn.ts";

/** The on-disk format this build reads and writes. Bump it on any incompatible change. */
export const formatVersion = 1;

/** What the control file says. */
export interface ControlData {
  format: number;
  /** The checkpoint file name, or null before the first checkpoint. */
  checkpoint: string | null;
  /** Recovery replays the WAL from here. */
  checkpointLsn: Lsn;
  /** Random id of this database, set at creation (PostgreSQL's system identifier). */
  systemId: string;
  /** WAL segment size, fixed at creation (as PostgreSQL's pg_control records it). */
  segmentBytes: number;
}

const encoder = new TextEncoder();

/** Reads `<dir>/control`; undefined when there is none (a new database). */
export async function readControl(fs: FileSystem, dir: string): Promise<ControlData | undefined> {
  const bytes = await fs.readFile(`${dir}/control`);
  if (bytes === undefined) return undefined;
  let parsed: { body?: string; crc?: number };
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw corrupt(dir, "it is not JSON");
  }
  if (typeof parsed.body !== "string" || parsed.crc !== crc32c(encoder.encode(parsed.body))) {
    throw corrupt(dir, "its checksum does not match");
  }
  const data = JSON.parse(parsed.body) as ControlData;
  if (
    data.format === formatVersion && !(Number.isInteger(data.segmentBytes) && data.segmentBytes > 0)
  ) {
    throw corrupt(dir, "it has no valid WAL segment size");
  }
  if (data.format !== formatVersion) {
    throw new DbError(
      SqlState.objectNotInPrerequisiteState,
      "database files are incompatible with server",
      {
        severity: "FATAL",
        detail:
          `The data directory ${dir} was initialized with BKG-DB on-disk format ${data.format}, which is not compatible with this server's format ${formatVersion}.`,
        hint: "Use a bkg build that reads this format, or dump and reload the data.",
      },
    );
  }
  return data;
}

function corrupt(dir: string, why: string): DbError {
  return new DbError(SqlState.dataCorrupted, `control file ${dir}/control is corrupt: ${why}`, {
    severity: "FATAL",
  });
}

/** Writes `<dir>/control` atomically. */
export async function writeControl(fs: FileSystem, dir: string, data: ControlData): Promise<void> {
  const body = JSON.stringify(data);
  const text = JSON.stringify({ body, crc: crc32c(encoder.encode(body)) }) + "\n";
  const tmp = `${dir}/control.tmp`;
  await fs.remove(tmp);
  const file = await fs.openAppend(tmp);
  try {
    await file.append(encoder.encode(text));
    await file.syncData();
  } finally {
    file.close();
  }
  await fs.rename(tmp, `${dir}/control`);
  await fs.syncDir(dir);
}
