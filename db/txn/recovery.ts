/**
 * @module Recovery at open: read the control file (creating it for a new database; refusing
 * another format), load the checkpoint it names, replay the WAL after it in LSN order, and cut
 * the log at the first torn or corrupt record with a warning naming the LSN.
 */
import { assert } from "../assert.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import {
  type ControlData,
  type FileSystem,
  formatLsn,
  formatVersion,
  listSegments,
  type Lsn,
  readCheckpointFrames,
  readControl,
  readWal,
  RecordType,
  truncateWal,
  writeControl,
} from "../wal/mod.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { decodeCommit, decodeSequenceRecord } from "./ops.ts";
import { replayCommit, restoreSequence } from "./replay.ts";
import type { Store } from "./store.ts";

/** What recovery found at open. */
export interface RecoveryInfo {
  isNew: boolean;
  checkpointLsn: Lsn;
  replayedRecords: number;
  endLsn: Lsn;
  /** Why the WAL ended early (torn or corrupt record), if it did. */
  problem?: string;
  durationMs: number;
}

/** Where recovery logs its warning. */
type Log = (level: "warn", msg: string, fields: Record<string, unknown>) => void;

/**
 * Recovers `dir` into the empty `store`; `segmentBytes` applies only to a new database.
 *
 * @example
 * const { control, info } = await recover(fs, dir, store, { segmentBytes, log });
 */
export async function recover(
  fs: FileSystem,
  dir: string,
  store: Store,
  opts: { segmentBytes: number; log: Log },
): Promise<{ control: ControlData; info: RecoveryInfo }> {
  const started = performance.now();
  const walDir = `${dir}/wal`;
  await fs.mkdir(dir);
  await fs.mkdir(walDir);
  let control = await readControl(fs, dir);
  const isNew = control === undefined;
  if (control === undefined) {
    if ((await listSegments(fs, walDir)).length > 0) {
      throw new DbError(
        SqlState.dataCorrupted,
        `data directory ${dir} has WAL but no control file`,
        {
          severity: "FATAL",
        },
      );
    }
    control = {
      format: formatVersion,
      checkpoint: null,
      checkpointLsn: 0,
      systemId: crypto.randomUUID(),
      segmentBytes: opts.segmentBytes,
    };
    await writeControl(fs, dir, control);
  }
  let redo = 0;
  if (control.checkpoint !== null) {
    const path = `${dir}/${control.checkpoint}`;
    const bytes = await fs.readFile(path);
    if (bytes === undefined) {
      throw new DbError(SqlState.dataCorrupted, `checkpoint file ${path} is missing`, {
        severity: "FATAL",
      });
    }
    redo = loadCheckpoint(store, readCheckpointFrames(bytes, path), path);
    assert(redo === control.checkpointLsn, "control and checkpoint agree on the redo LSN");
  }
  // A checkpoint written but never recorded in the control file, or replaced: not needed.
  for (const name of await fs.readDir(dir)) {
    if (name.startsWith("checkpoint.") && name !== control.checkpoint) {
      await fs.remove(`${dir}/${name}`);
    }
  }
  const end = await readWal(fs, walDir, redo, control.segmentBytes, (rec) => {
    if (rec.type === RecordType.commit) {
      replayCommit(store, decodeCommit(rec.payload), ++store.csn);
    } else if (rec.type === RecordType.sequence) {
      const s = decodeSequenceRecord(rec.payload);
      const seq = store.sequences.get(s.id);
      if (seq !== undefined) restoreSequence(seq, s.last, s.isCalled);
    } else {
      assert(false, `WAL record type ${rec.type} at ${formatLsn(rec.lsn)}`);
    }
  });
  if (end.problem !== undefined) {
    const at = formatLsn(end.end);
    opts.log(
      "warn",
      `WAL ends in a torn or corrupt record at ${at}: ${end.problem}; the rest is discarded`,
      {
        lsn: at,
      },
    );
    await truncateWal(fs, walDir, end.end, control.segmentBytes);
  }
  for (const t of store.tables.values()) t.heap.rebuildFreeList();
  return {
    control,
    info: {
      isNew,
      checkpointLsn: redo,
      replayedRecords: end.records,
      endLsn: end.end,
      problem: end.problem,
      durationMs: performance.now() - started,
    },
  };
}
