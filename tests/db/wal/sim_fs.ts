/**
 * @module A simulated file system for crash tests. Appends, truncations and directory changes
 * (create, rename, remove) are volatile until synced (fdatasync of the file; fsync of the
 * directory). `crash` freezes it at a chosen operation; `afterCrash` returns what a disk would
 * hold after power loss: synced state plus a random prefix of what was not synced, with the last
 * surviving write torn at a random byte and bits flipped in the torn part.
 */
import type { FileSystem, WalFile } from "../core.ts";
import { randInt } from "../helpers.ts";

/** Thrown by every operation once the simulated machine has crashed. */
export class SimCrash extends Error {
  constructor() {
    super("simulated crash");
    this.name = "SimCrash";
  }
}

class Inode {
  data = new Uint8Array(0);
  synced = new Uint8Array(0);
  /** Unsynced appends (each a copy), in order, since the last sync. */
  pending: Uint8Array[] = [];
}

type DirOp = { kind: "link"; name: string; inode: Inode } | { kind: "unlink"; name: string };

class Dir {
  entries = new Map<string, Inode>();
  durable = new Map<string, Inode>();
  pending: DirOp[] = [];
}

/** The simulated disk. */
export class SimFileSystem implements FileSystem {
  #dirs = new Map<string, Dir>();
  /** Operations left before the crash; -1 never crashes. */
  opsUntilCrash = -1;
  crashed = false;
  ops = 0;
  /** When set, every fdatasync fails with this error (an EIO from the disk). */
  syncError: Error | undefined;

  #tick(): void {
    if (this.crashed) throw new SimCrash();
    this.ops++;
    if (this.opsUntilCrash === 0) {
      this.crashed = true;
      throw new SimCrash();
    }
    if (this.opsUntilCrash > 0) this.opsUntilCrash--;
  }

  #split(path: string): [Dir, string] {
    const i = path.lastIndexOf("/");
    const dir = this.#dirs.get(path.slice(0, i));
    if (dir === undefined) throw new Deno.errors.NotFound(`no directory for ${path}`);
    return [dir, path.slice(i + 1)];
  }

  mkdir(path: string): Promise<void> {
    this.#tick();
    if (!this.#dirs.has(path)) this.#dirs.set(path, new Dir());
    return Promise.resolve();
  }

  readDir(path: string): Promise<string[]> {
    this.#tick();
    const dir = this.#dirs.get(path);
    if (dir === undefined) throw new Deno.errors.NotFound(path);
    return Promise.resolve([...dir.entries.keys()]);
  }

  readFile(path: string): Promise<Uint8Array | undefined> {
    this.#tick();
    const [dir, name] = this.#split(path);
    const inode = dir.entries.get(name);
    return Promise.resolve(inode === undefined ? undefined : inode.data.slice());
  }

  openAppend(path: string): Promise<WalFile> {
    this.#tick();
    const [dir, name] = this.#split(path);
    let inode = dir.entries.get(name);
    if (inode === undefined) {
      inode = new Inode();
      dir.entries.set(name, inode);
      dir.pending.push({ kind: "link", name, inode });
    }
    const node = inode;
    const tick = () => this.#tick();
    return Promise.resolve({
      append(bytes: Uint8Array) {
        tick();
        const next = new Uint8Array(node.data.length + bytes.length);
        next.set(node.data);
        next.set(bytes, node.data.length);
        node.data = next;
        node.pending.push(bytes.slice());
        return Promise.resolve();
      },
      syncData: () => {
        tick();
        if (this.syncError !== undefined) return Promise.reject(this.syncError);
        node.synced = node.data.slice();
        node.pending = [];
        return Promise.resolve();
      },
      truncate(length: number) {
        tick();
        node.data = node.data.slice(0, length);
        // Modelled as taking effect at once (our callers sync right after).
        node.synced = node.synced.slice(0, Math.min(length, node.synced.length));
        node.pending = [];
        if (node.synced.length < node.data.length) {
          node.pending.push(node.data.slice(node.synced.length));
        }
        return Promise.resolve();
      },
      close() {},
    });
  }

  rename(from: string, to: string): Promise<void> {
    this.#tick();
    const [d1, n1] = this.#split(from);
    const [d2, n2] = this.#split(to);
    const inode = d1.entries.get(n1);
    if (inode === undefined) throw new Deno.errors.NotFound(from);
    d1.entries.delete(n1);
    d1.pending.push({ kind: "unlink", name: n1 });
    d2.entries.set(n2, inode);
    d2.pending.push({ kind: "link", name: n2, inode });
    return Promise.resolve();
  }

  remove(path: string): Promise<void> {
    this.#tick();
    const [dir, name] = this.#split(path);
    if (dir.entries.delete(name)) dir.pending.push({ kind: "unlink", name });
    return Promise.resolve();
  }

  syncDir(path: string): Promise<void> {
    this.#tick();
    const dir = this.#dirs.get(path);
    if (dir === undefined) throw new Deno.errors.NotFound(path);
    dir.durable = new Map(dir.entries);
    dir.pending = [];
    return Promise.resolve();
  }

  /** The disk after power loss, as a new file system that does not crash. */
  afterCrash(r: () => number, opts: { tear?: boolean; flip?: boolean } = {}): SimFileSystem {
    const out = new SimFileSystem();
    const fresh = new Map<Inode, Inode>();
    const survive = (inode: Inode): Inode => {
      let n = fresh.get(inode);
      if (n !== undefined) return n;
      n = new Inode();
      let data = inode.synced;
      const keep = randInt(r, inode.pending.length + 1);
      for (let i = 0; i < keep; i++) {
        let chunk = inode.pending[i]!;
        if (i === keep - 1 && opts.tear !== false && r() < 0.5) {
          chunk = chunk.slice(0, randInt(r, chunk.length + 1));
          if (opts.flip !== false && chunk.length > 0 && r() < 0.5) {
            chunk[randInt(r, chunk.length)]! ^= 1 << randInt(r, 8);
          }
        }
        const next = new Uint8Array(data.length + chunk.length);
        next.set(data);
        next.set(chunk, data.length);
        data = next;
      }
      n.data = data;
      n.synced = data.slice();
      fresh.set(inode, n);
      return n;
    };
    for (const [path, dir] of this.#dirs) {
      const entries = new Map(dir.durable);
      const keep = randInt(r, dir.pending.length + 1);
      for (const op of dir.pending.slice(0, keep)) {
        if (op.kind === "link") entries.set(op.name, op.inode);
        else entries.delete(op.name);
      }
      const d = new Dir();
      for (const [name, inode] of entries) d.entries.set(name, survive(inode));
      d.durable = new Map(d.entries);
      out.#dirs.set(path, d);
    }
    return out;
  }
}
