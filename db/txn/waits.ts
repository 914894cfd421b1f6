/**
 * @module Lock waits: a transaction that must wait for another one queues behind it (FIFO) and
 * is woken when that one ends. Before queueing, the waits-for graph is followed from the holder:
 * if it leads back to the waiter, waiting would never end, and the waiter gets 40P01 with a
 * DETAIL like PostgreSQL's. An optional timeout gives 55P03 (PostgreSQL's lock_timeout).
 */
import { DbError, SqlState } from "../sqlstate.ts";

interface Waiter {
  xid: number;
  resolve: () => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Who a transaction is, for messages: its xid and the session pid the layer above set. */
export interface WaitParty {
  xid: number;
  pid: number;
}

/** The waits-for graph and the queues. */
export class WaitGraph {
  /** waiter xid → holder xid. */
  #edges = new Map<number, number>();
  /** holder xid → its waiters, in arrival order. */
  #queues = new Map<number, Waiter[]>();

  /**
   * @param isRunning whether a transaction is still in progress.
   * @param pidOf the session pid of a transaction, for the DETAIL of 40P01.
   */
  constructor(
    readonly isRunning: (xid: number) => boolean,
    readonly pidOf: (xid: number) => number,
  ) {}

  /**
   * Resolves when `holder` ends (commits visibly or aborts), or at once if it has. Throws
   * 40P01 if waiting would close a cycle; rejects 55P03 after `timeoutMs`.
   */
  wait(waiter: WaitParty, holder: number, timeoutMs = 0): Promise<void> {
    if (!this.isRunning(holder)) return Promise.resolve();
    this.#checkDeadlock(waiter, holder);
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    const entry: Waiter = { xid: waiter.xid, resolve, timer: undefined };
    if (timeoutMs > 0) {
      entry.timer = setTimeout(() => {
        this.#remove(holder, entry);
        reject(new DbError(SqlState.lockNotAvailable, "canceling statement due to lock timeout"));
      }, timeoutMs);
    }
    this.#edges.set(waiter.xid, holder);
    const q = this.#queues.get(holder);
    if (q) q.push(entry);
    else this.#queues.set(holder, [entry]);
    return promise;
  }

  #remove(holder: number, entry: Waiter): void {
    const q = this.#queues.get(holder);
    if (q) {
      const i = q.indexOf(entry);
      if (i >= 0) q.splice(i, 1);
      if (q.length === 0) this.#queues.delete(holder);
    }
    if (this.#edges.get(entry.xid) === holder) this.#edges.delete(entry.xid);
  }

  #checkDeadlock(waiter: WaitParty, holder: number): void {
    const cycle: number[] = [waiter.xid];
    let at: number | undefined = holder;
    while (at !== undefined && cycle.length < 10_000) {
      cycle.push(at);
      if (at === waiter.xid) break;
      at = this.#edges.get(at);
    }
    if (at !== waiter.xid) return;
    const lines: string[] = [];
    for (let i = 0; i + 1 < cycle.length; i++) {
      const w = cycle[i]!;
      const h = cycle[i + 1]!;
      lines.push(
        `Process ${this.pidOf(w)} waits for ShareLock on transaction ${h}; blocked by process ${
          this.pidOf(h)
        }.`,
      );
    }
    throw new DbError(SqlState.deadlockDetected, "deadlock detected", {
      detail: lines.join("\n"),
      hint: "See server log for query details.",
    });
  }

  /** Wakes every waiter of `holder` in arrival order (it ended, or rolled back a savepoint). */
  wake(holder: number): void {
    const q = this.#queues.get(holder);
    if (q === undefined) return;
    this.#queues.delete(holder);
    for (const w of q) {
      if (w.timer !== undefined) clearTimeout(w.timer);
      if (this.#edges.get(w.xid) === holder) this.#edges.delete(w.xid);
      w.resolve();
    }
  }

  /** Transactions waiting right now. */
  get waiting(): number {
    return this.#edges.size;
  }
}
