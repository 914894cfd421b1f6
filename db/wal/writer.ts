/**
 * @module The WAL writer and group commit. `append` frames a record into memory and gives it its
 * LSN at once (synchronously, so the commit order is the LSN order); `flush` resolves once the
 * log is durable up to an LSN. One write-and-fdatasync runs at a time: records appended while it
 * runs go together in the next batch, so concurrent commits share one fdatasync. A failed write
 * or sync PANICs (PostgreSQL's rule: after a failed fsync the page cache cannot be trusted).
 */
import { assert } from "../assert.ts";
import type { FileSystem, WalFile } from "./file_system.ts";
import { formatLsn, type Lsn } from "./lsn.ts";
import { encodeRecord } from "./record.ts";
import { segmentName, segmentStart } from "./segments.ts";

/** How the writer reaches the disk. */
export interface WalWriterOptions {
  fs: FileSystem;
  /** The `wal` directory. */
  dir: string;
  segmentBytes: number;
  /** Stops the process; called on any write or sync error. */
  panic: (message: string) => never;
  /** Told after each batch is durable, with the new flushed LSN. */
  onFlushed?: (lsn: Lsn) => void;
}

/** Appends records and makes them durable in batches. */
export class WalWriter {
  #insertLsn: Lsn;
  #flushedLsn: Lsn;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #running: Promise<void> | undefined;
  #waiters: { lsn: Lsn; resolve: () => void }[] = [];
  #file: WalFile | undefined;
  #fileStart: Lsn = -1;
  #closed = false;
  /** fdatasync calls made, for stats and tests of group commit. */
  syncs = 0;

  /** A writer that continues the log at `end` (the end found by recovery). */
  constructor(readonly options: WalWriterOptions, end: Lsn) {
    this.#insertLsn = end;
    this.#flushedLsn = end;
  }

  /** Where the next record goes. */
  get insertLsn(): Lsn {
    return this.#insertLsn;
  }

  /** Everything before this LSN is durable. */
  get flushedLsn(): Lsn {
    return this.#flushedLsn;
  }

  /**
   * Frames a record and queues it; returns its LSN and the LSN after it. Not durable until
   * {@link WalWriter.flush} resolves for `end`.
   */
  append(type: number, payload: Uint8Array): { lsn: Lsn; end: Lsn } {
    assert(!this.#closed, "append to a closed WAL");
    const lsn = this.#insertLsn;
    const frame = encodeRecord(lsn, type, payload);
    this.#pending.push(frame);
    this.#pendingBytes += frame.length;
    this.#insertLsn += frame.length;
    return { lsn, end: this.#insertLsn };
  }

  /** Resolves once the log is durable up to `lsn` (default: everything appended so far). */
  flush(lsn: Lsn = this.#insertLsn): Promise<void> {
    if (lsn <= this.#flushedLsn) return Promise.resolve();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#waiters.push({ lsn, resolve });
    // A failed write PANICs inside #run; in production that ends the process. A test's panic
    // hook throws instead, and the writer stays stopped (waiters never resolve, as in a crash).
    this.#running ??= this.#run().catch(() => {});
    return promise;
  }

  async #run(): Promise<void> {
    while (this.#pendingBytes > 0) {
      const chunks = this.#pending;
      const start = this.#flushedLsn;
      const end = start + this.#pendingBytes;
      this.#pending = [];
      this.#pendingBytes = 0;
      const batch = chunks.length === 1 ? chunks[0]! : concat(chunks, end - start);
      try {
        await this.#writeAndSync(start, batch);
      } catch (err) {
        this.options.panic(
          `could not write or fsync WAL at ${formatLsn(start)}: ${
            err instanceof Error ? err.message : err
          }`,
        );
      }
      this.#flushedLsn = end;
      let done = 0;
      while (done < this.#waiters.length && this.#waiters[done]!.lsn <= end) done++;
      const woken = this.#waiters.splice(0, done);
      this.options.onFlushed?.(end);
      for (const w of woken) w.resolve();
    }
    this.#running = undefined;
  }

  async #writeAndSync(start: Lsn, bytes: Uint8Array): Promise<void> {
    const { segmentBytes } = this.options;
    let pos = start;
    let off = 0;
    let createdSegment = false;
    while (off < bytes.length) {
      const seg = segmentStart(pos, segmentBytes);
      if (seg !== this.#fileStart) {
        if (this.#file !== undefined) {
          await this.#file.syncData();
          this.syncs++;
          this.#file.close();
        }
        this.#file = await this.options.fs.openAppend(`${this.options.dir}/${segmentName(seg)}`);
        this.#fileStart = seg;
        createdSegment = true;
      }
      const n = Math.min(bytes.length - off, seg + segmentBytes - pos);
      await this.#file!.append(bytes.subarray(off, off + n));
      off += n;
      pos += n;
    }
    await this.#file!.syncData();
    this.syncs++;
    if (createdSegment) await this.options.fs.syncDir(this.options.dir);
  }

  /** Flushes what is queued and closes the open segment. */
  async close(): Promise<void> {
    await this.flush();
    await this.#running;
    this.#closed = true;
    this.#file?.close();
    this.#file = undefined;
  }

  /** Drops the open file without flushing (a simulated crash, or after a PANIC). */
  abandon(): void {
    this.#closed = true;
    try {
      this.#file?.close();
    } catch {
      // Already closed.
    }
    this.#file = undefined;
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
