/**
 * @module Host uids for sandboxes: each sandbox runs as its own unprivileged uid (and the gid of
 * the same number) from a configured range, never host root. A uid is held by an flock on
 * `<runtime root>/uids/<uid>.lock`, so every bkg process on the host (servers and direct `bkg
 * sandbox run`s) draws from the same pool without sharing, and the kernel frees the lock of a
 * process that dies.
 */
import { assert } from "./assert.ts";
import { CaveError } from "./errors.ts";

/** A uid held for one sandbox. */
export interface UidLease {
  uid: number;
  release(): void;
}

/** Hands out uids from `[base, base + count)`. */
export class UidPool {
  readonly #dir: string;

  constructor(runtimeRoot: string, readonly base: number, readonly count: number) {
    assert(base >= 1000 && count >= 1, "the uid range is checked by the configuration");
    this.#dir = `${runtimeRoot}/uids`;
  }

  /**
   * Leases a free uid, starting at a random place so concurrent processes rarely collide.
   *
   * @example
   * const lease = await pool.lease(); // lease.uid → 200123; lease.release() at delete
   */
  async lease(): Promise<UidLease> {
    await Deno.mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const start = Math.floor(Math.random() * this.count);
    for (let i = 0; i < this.count; i++) {
      const uid = this.base + (start + i) % this.count;
      const file = await Deno.open(`${this.#dir}/${uid}.lock`, {
        read: true,
        write: true,
        create: true,
        mode: 0o600,
      });
      if (file.tryLockSync(true)) {
        return {
          uid,
          release: () => {
            try {
              file.unlockSync();
              file.close();
            } catch {
              // Already released.
            }
          },
        };
      }
      file.close();
    }
    throw new CaveError(
      "limit",
      `no free sandbox uid in ${this.base}-${this.base + this.count - 1}: every one is in use`,
    );
  }
}
