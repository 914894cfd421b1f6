/**
 * @module The small file interface every durable write of BKG-DB goes through (WAL segments,
 * checkpoints, the control file), and its real implementation on Deno's file API. Tests swap in
 * a simulated one that drops unsynced writes, tears the last write and flips bits
 * (tests/db/wal/sim_fs.ts), so crash behaviour is tested at thousands of points per run.
 */

/** An open file, written only at its end. */
export interface WalFile {
  /** Appends all of `bytes` at the end of the file. */
  append(bytes: Uint8Array): Promise<void>;
  /** fdatasync: the appended bytes survive a crash once this resolves. */
  syncData(): Promise<void>;
  /** Cuts the file to `length` bytes. */
  truncate(length: number): Promise<void>;
  close(): void;
}

/** The file operations BKG-DB's storage needs, and nothing more. */
export interface FileSystem {
  /** Creates a directory and its parents; no error when it exists. */
  mkdir(path: string): Promise<void>;
  /** Names of the entries of a directory. */
  readDir(path: string): Promise<string[]>;
  /** The whole file, or undefined when it does not exist. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** Opens for appending, creating an empty file when missing. */
  openAppend(path: string): Promise<WalFile>;
  /** Atomic rename (replaces `to`); durable after {@link FileSystem.syncDir}. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; no error when it is missing. */
  remove(path: string): Promise<void>;
  /** fsync of a directory: makes creations, renames and removals in it durable. */
  syncDir(path: string): Promise<void>;
}

class DenoFile implements WalFile {
  constructor(readonly file: Deno.FsFile) {}

  async append(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) done += await this.file.write(bytes.subarray(done));
  }

  syncData(): Promise<void> {
    return this.file.syncData();
  }

  truncate(length: number): Promise<void> {
    return this.file.truncate(length);
  }

  close(): void {
    this.file.close();
  }
}

/** The real file system, through Deno's API. */
export class DenoFileSystem implements FileSystem {
  async mkdir(path: string): Promise<void> {
    await Deno.mkdir(path, { recursive: true, mode: 0o700 });
  }

  async readDir(path: string): Promise<string[]> {
    const names: string[] = [];
    for await (const e of Deno.readDir(path)) names.push(e.name);
    return names;
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    try {
      return await Deno.readFile(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return undefined;
      throw err;
    }
  }

  async openAppend(path: string): Promise<WalFile> {
    const file = await Deno.open(path, { append: true, create: true, read: true, mode: 0o600 });
    return new DenoFile(file);
  }

  rename(from: string, to: string): Promise<void> {
    return Deno.rename(from, to);
  }

  async remove(path: string): Promise<void> {
    try {
      await Deno.remove(path);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }

  async syncDir(path: string): Promise<void> {
    const dir = await Deno.open(path, { read: true });
    try {
      await dir.sync();
    } finally {
      dir.close();
    }
  }
}

/** A file system whose syncs do nothing: for tests and benchmarks that opt out of fsync. */
export class NoSyncFileSystem extends DenoFileSystem {
  override async openAppend(path: string): Promise<WalFile> {
    const inner = await super.openAppend(path);
    return {
      append: (b) => inner.append(b),
      syncData: () => Promise.resolve(),
      truncate: (n) => inner.truncate(n),
      close: () => inner.close(),
    };
  }

  override syncDir(): Promise<void> {
    return Promise.resolve();
  }
}
