/**
 * @module The retention ring file: the feed's resume window kept on disk across restarts
 * (docs/decisions/0012-realtime-retention-and-rls.md). Every commit the feed sees is appended synchronously
 * (a frame with its records, or a small coverage frame when it changed no user table) before any
 * subscriber gets it, and fdatasync'd within {@link ringSyncDelayMs} after. At open the
 * intact prefix is read back (a torn tail is cut) and checked against the WAL: if the WAL holds a
 * commit after the last one the ring covers (the process died between the WAL fsync and the
 * ring write, or the OS lost unsynced ring bytes), the window restarts at the WAL's end, so a
 * resume is refused rather than silently missing commits.
 */
import { DenoFileSystem, readControl, readWal, RecordType } from "../wal/mod.ts";
import { encodeFrame, type ReadFrame, readFrames, type RingFrame } from "./codec.ts";
import { ringSyncDelayMs } from "./limits.ts";

/** What {@link RingFile.open} recovered. */
export interface RingRecovery {
  /** Intact commit frames, oldest first, with their file offsets. */
  commits: { frame: Extract<RingFrame, { type: "commit" }>; offset: number }[];
  /** Resume from an LSN below this is refused; every commit after it is in `commits`. */
  horizon: number;
  /** Why the ring's history was dropped, when it was (logged by the caller). */
  dropped?: string;
}

/** Whether the WAL holds a commit record at or after `from`; undefined when it cannot tell. */
async function walHasCommitAfter(dbDir: string, from: number, end: number) {
  if (from === end) return false;
  if (from > end) return undefined;
  const fs = new DenoFileSystem();
  const control = await readControl(fs, dbDir);
  if (control === undefined) return undefined;
  let found = false;
  const read = await readWal(fs, `${dbDir}/wal`, from, control.segmentBytes, (rec) => {
    if (rec.type === RecordType.commit) found = true;
  });
  if (found) return true;
  return read.end === end && read.problem === undefined ? false : undefined;
}

/** The open ring file. */
export class RingFile {
  #file: Deno.FsFile;
  #size: number;
  #syncing: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  private constructor(
    readonly path: string,
    file: Deno.FsFile,
    size: number,
    readonly fsync: boolean,
  ) {
    this.#file = file;
    this.#size = size;
  }

  /**
   * Opens (creating) the ring at `path`, reads its intact frames, cuts a torn tail and checks
   * coverage against the WAL of the database in `dbDir` whose current end is `walEnd`.
   */
  static async open(
    path: string,
    opts: { dbDir: string; walEnd: number; fsync: boolean },
  ): Promise<{ ring: RingFile; recovery: RingRecovery }> {
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o700 });
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
      bytes = new Uint8Array(0);
    }
    const { frames, goodBytes } = readFrames(bytes);
    const recovery = await recover(frames, opts.dbDir, opts.walEnd);
    const file = await Deno.open(path, { read: true, write: true, create: true, mode: 0o600 });
    const ring = new RingFile(
      path,
      file,
      recovery.commits.length === 0 ? 0 : goodBytes,
      opts.fsync,
    );
    // Nothing worth keeping: start the file afresh; otherwise cut a torn tail.
    await file.truncate(ring.#size);
    if (opts.fsync) await file.syncData();
    return { ring, recovery };
  }

  /** Bytes in the file (the offset the next frame gets). */
  get size(): number {
    return this.#size;
  }

  /** Appends a frame now (in the page cache before the call returns); syncs in a batch soon. */
  append(frame: RingFrame): number {
    const offset = this.#size;
    this.#writeAll(encodeFrame(frame));
    this.#scheduleSync();
    return offset;
  }

  #writeAll(bytes: Uint8Array): void {
    this.#file.seekSync(this.#size, Deno.SeekMode.Start);
    let done = 0;
    while (done < bytes.length) done += this.#file.writeSync(bytes.subarray(done));
    this.#size += bytes.length;
  }

  /**
   * fdatasync at most every {@link ringSyncDelayMs}: the ring's durability bounds only how much
   * of the window an OS crash costs (the WAL check at open catches the loss), so it need not
   * add an fsync per commit beside the WAL's.
   */
  #scheduleSync(): void {
    if (!this.fsync || this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#syncing = this.#file.syncData().catch(() => {}).finally(() => this.#syncing = null);
    }, ringSyncDelayMs);
  }

  /**
   * Drops the bytes before `offset` (the oldest frame still retained): the tail is copied to a
   * temporary file, synced and renamed over the ring, as checkpoints are written.
   */
  compact(offset: number): void {
    if (offset <= 0) return;
    const all = new Uint8Array(this.#size - offset);
    this.#file.seekSync(offset, Deno.SeekMode.Start);
    let got = 0;
    while (got < all.length) {
      const n = this.#file.readSync(all.subarray(got));
      if (n === null) break;
      got += n;
    }
    const tmp = `${this.path}.tmp`;
    const out = Deno.openSync(tmp, { write: true, create: true, truncate: true, mode: 0o600 });
    try {
      let done = 0;
      while (done < got) done += out.writeSync(all.subarray(done, got));
      if (this.fsync) out.syncDataSync();
    } finally {
      out.close();
    }
    Deno.renameSync(tmp, this.path);
    if (this.fsync) {
      const dir = Deno.openSync(this.path.slice(0, this.path.lastIndexOf("/")), { read: true });
      try {
        dir.syncSync();
      } finally {
        dir.close();
      }
    }
    this.#file.close();
    this.#file = Deno.openSync(this.path, { read: true, write: true });
    this.#size = got;
  }

  /** Empties the file (the window restarted). */
  reset(): void {
    this.#file.truncateSync(0);
    this.#size = 0;
  }

  /** Syncs what was appended and closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#syncing;
    if (this.fsync) await this.#file.syncData();
    this.#file.close();
  }
}

async function recover(frames: ReadFrame[], dbDir: string, walEnd: number): Promise<RingRecovery> {
  const commits: RingRecovery["commits"] = [];
  let covered: number | undefined;
  for (const { frame, offset } of frames) {
    if (frame.type === "commit") commits.push({ frame, offset });
    covered = frame.end;
  }
  // The horizon is a position a client may resume from: the WAL end - 1 sees every new commit.
  if (covered === undefined) return { commits: [], horizon: walEnd - 1 };
  const gap = await walHasCommitAfter(dbDir, covered, walEnd);
  if (gap !== false) {
    return {
      commits: [],
      horizon: walEnd - 1,
      dropped: gap === true
        ? "the WAL holds commits the ring file missed (unclean stop)"
        : "the WAL after the ring file's end could not be read",
    };
  }
  // Everything after the oldest retained commit is in the ring.
  const oldest = commits[0]?.frame.lsn;
  return { commits, horizon: oldest === undefined ? walEnd - 1 : Math.min(oldest, walEnd) - 1 };
}
