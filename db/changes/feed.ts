/**
 * @module The committed-change feed: decodes every durable commit once, keeps a bounded window of
 * recent commits for resume by LSN, and hands each commit's records to subscribers in LSN order.
 */
import { CatalogStore } from "../catalog/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { Database } from "../txn/mod.ts";
import { formatLsn } from "../wal/mod.ts";
import { type ChangeRecord, decodeCommit } from "./decode.ts";
import { defaultRetainedCommits } from "./limits.ts";

/** Receives the records of one commit (never empty), in commit order. */
export type ChangeListener = (records: readonly ChangeRecord[]) => void;

/** Options of {@link ChangeFeed.open}. */
export interface ChangeFeedOptions {
  /** How many recent commits (with row changes) are kept for resume. */
  retainedCommits?: number;
}

interface Retained {
  lsn: number;
  records: ChangeRecord[];
}

/** The committed-change stream of one database. */
export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>();
  readonly #retained: Retained[] = [];
  readonly #limit: number;
  #head = 0;
  /** Every commit after this LSN is retained; resume from an older position is refused. */
  #horizon: number;
  #stop: () => void = () => {};
  #events = 0;

  private constructor(readonly db: Database, readonly store: CatalogStore, limit: number) {
    this.#limit = limit;
    this.#horizon = db.stats().insertLsn;
  }

  /** Starts following `db`'s commits. */
  static async open(db: Database, opts: ChangeFeedOptions = {}): Promise<ChangeFeed> {
    const store = await CatalogStore.of(db);
    const feed = new ChangeFeed(
      db,
      store,
      Math.max(1, opts.retainedCommits ?? defaultRetainedCommits),
    );
    feed.#stop = db.onCommit((e) => {
      if (e.changes.length === 0) return;
      const records = decodeCommit(store.shared(), e, performance.now());
      if (records.length > 0) feed.#publish(e.lsn, records);
    });
    return feed;
  }

  #publish(lsn: number, records: ChangeRecord[]): void {
    this.#retained.push({ lsn, records });
    if (this.#retained.length - this.#head > this.#limit) {
      this.#horizon = this.#retained[this.#head]!.lsn;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#retained.length) {
        this.#retained.splice(0, this.#head);
        this.#head = 0;
      }
    }
    this.#events += records.length;
    for (const l of this.#listeners) {
      try {
        l(records);
      } catch {
        // A subscriber's failure is its own; the feed and the other subscribers go on.
      }
    }
  }

  /** Records published since the feed opened. */
  get eventsPublished(): number {
    return this.#events;
  }

  /**
   * Subscribes. With `fromLsn`, first replays every retained commit after that position
   * (synchronously, so nothing is lost or repeated before live delivery); a position older than
   * the retention window is an error. Returns the unsubscribe function.
   */
  subscribe(listener: ChangeListener, fromLsn?: number): () => void {
    if (fromLsn !== undefined) {
      if (fromLsn < this.#horizon) {
        throw new DbError(
          SqlState.objectNotInPrerequisiteState,
          `resume position ${
            formatLsn(fromLsn)
          } is outside the retention window (oldest resumable ${formatLsn(this.#horizon)})`,
        );
      }
      for (let i = this.#head; i < this.#retained.length; i++) {
        const r = this.#retained[i]!;
        if (r.lsn > fromLsn) listener(r.records);
      }
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops following the database; subscribers get nothing more. */
  close(): void {
    this.#stop();
    this.#listeners.clear();
  }
}
