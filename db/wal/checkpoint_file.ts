/**
 * @module The checkpoint file's framing: the magic `BKGCKPT1`, then frames
 * `[length u32][crc32c u32][payload]`. What the payloads hold is the database's business
 * (db/txn/checkpoint.ts); this file only writes them in big appends and reads them back checked.
 */
import { assert } from "../assert.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { limits } from "../limits.ts";
import { crc32c } from "./crc32c.ts";
import type { FileSystem, WalFile } from "./file_system.ts";

const magic = new TextEncoder().encode("BKGCKPT1");
const bufferBytes = 1024 * 1024;

/** Writes frames to `checkpoint.tmp`, then fsyncs and renames it into place. */
export class CheckpointFileWriter {
  #buf = new Uint8Array(bufferBytes);
  #used = 0;
  /** Bytes written so far, the magic included. */
  bytes = 0;

  private constructor(
    readonly fs: FileSystem,
    readonly dir: string,
    readonly file: WalFile,
  ) {}

  /** Starts `<dir>/checkpoint.tmp`, replacing any leftover. */
  static async create(fs: FileSystem, dir: string): Promise<CheckpointFileWriter> {
    await fs.remove(`${dir}/checkpoint.tmp`);
    const w = new CheckpointFileWriter(fs, dir, await fs.openAppend(`${dir}/checkpoint.tmp`));
    w.#put(magic);
    return w;
  }

  #put(bytes: Uint8Array): void {
    if (this.#used + bytes.length > this.#buf.length) {
      const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#used + bytes.length));
      next.set(this.#buf.subarray(0, this.#used));
      this.#buf = next;
    }
    this.#buf.set(bytes, this.#used);
    this.#used += bytes.length;
    this.bytes += bytes.length;
  }

  /** Adds one frame; resolves after writing when the buffer is full (this is where it yields). */
  async frame(payload: Uint8Array): Promise<void> {
    assert(payload.length <= limits.checkpointFrameBytesMax, "checkpoint frame within limit");
    const head = new Uint8Array(8);
    const view = new DataView(head.buffer);
    view.setUint32(0, payload.length, true);
    view.setUint32(4, crc32c(payload), true);
    this.#put(head);
    this.#put(payload);
    if (this.#used >= bufferBytes) await this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#used === 0) return;
    await this.file.append(this.#buf.slice(0, this.#used));
    this.#used = 0;
  }

  /** Writes the rest, fsyncs, renames to `<dir>/<name>` and fsyncs the directory. */
  async finish(name: string): Promise<void> {
    await this.#drain();
    await this.file.syncData();
    this.file.close();
    await this.fs.rename(`${this.dir}/checkpoint.tmp`, `${this.dir}/${name}`);
    await this.fs.syncDir(this.dir);
  }

  /** Gives up on the temporary file. */
  abandon(): void {
    try {
      this.file.close();
    } catch {
      // Already closed.
    }
  }
}

/** Splits a checkpoint file into its payloads, checking every CRC; throws DbError XX001. */
export function readCheckpointFrames(bytes: Uint8Array, path: string): Uint8Array[] {
  const bad = (why: string) =>
    new DbError(SqlState.dataCorrupted, `checkpoint file ${path} is corrupt: ${why}`, {
      severity: "FATAL",
    });
  if (bytes.length < magic.length || magic.some((b, i) => bytes[i] !== b)) {
    throw bad("bad magic");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: Uint8Array[] = [];
  let at = magic.length;
  while (at < bytes.length) {
    if (bytes.length - at < 8) throw bad(`frame header cut short at byte ${at}`);
    const length = view.getUint32(at, true);
    const crc = view.getUint32(at + 4, true);
    if (length > limits.checkpointFrameBytesMax || at + 8 + length > bytes.length) {
      throw bad(`frame at byte ${at} is cut short`);
    }
    const payload = bytes.subarray(at + 8, at + 8 + length);
    if (crc32c(payload) !== crc) throw bad(`checksum mismatch at byte ${at}`);
    frames.push(payload);
    at += 8 + length;
  }
  return frames;
}
