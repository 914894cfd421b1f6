/**
 * @module The committed-change feed: decodes every durable commit once, keeps a bounded window of
 * recent commits for resume by LSN (in memory, and optionally in a ring file that survives
 * restarts), and hands each commit's records to subscribers in LSN order.
 */
import { CatalogStore, catalogTableId } from "../catalog/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { CommitEvent, Database } from "../txn/mod.ts";
import { formatLsn } from "../wal/mod.ts";
import { type ChangeRecord, decodeCommit } from "./decode.ts";
import { defaultRetainedCommits, ringFileName } from "./limits.ts";
import { RingFile } from "./ring.ts";

/** Receives the records of one commit (never empty), in commit order. */
export type ChangeListener = (records: readonly ChangeRecord[]) => void;

/** Options of {@link ChangeFeed.open}. */
export interface ChangeFeedOptions {
  /** How many recent commits (with row changes) are kept for resume. */
  retainedCommits?: number;
  /**
   * Keep the window across restarts in a ring file, `<db dir>/changes.ring` (or `ringPath`);
   * without it the window lives in memory only.
   */
  persist?: boolean;
  /** Where the ring file is, when not beside the WAL. */
  ringPath?: string;
  /** fdatasync the ring file (default true; off for tests and benchmarks that opt out). */
  fsync?: boolean;
  /** Where the feed reports that it dropped the ring's history at open. */
  log?: (message: string) => void;
}

interface Retained {
  lsn: number;
  records: ChangeRecord[];
  /** Where the commit's frame starts in the ring file. */
  offset: number;
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
  #ring: RingFile | null = null;

  #store: CatalogStore | null;
  #storeReady: Promise<CatalogStore> | null = null;

  private constructor(readonly db: Database, store: CatalogStore | null, limit: number) {
    this.#store = store;
    this.#limit = limit;
    // Nothing before the WAL's end is retained: positions from the next commit's LSN - 1 on resume.
    this.#horizon = db.stats().insertLsn - 1;
  }

  /**
   * Starts following `db`'s commits; with `persist`, first reads back the window kept before.
   *
   * @example
   * const feed = await ChangeFeed.open(db, { persist: true });
   * const stop = feed.subscribe((records) => console.log(records), resumeLsn);
   */
  static async open(db: Database, opts: ChangeFeedOptions = {}): Promise<ChangeFeed> {
    // A new database has no catalog yet: the feed does not create it (that would be a commit of
    // its own at start); it picks the catalog up when someone else's bootstrap commits it.
    const store = db.tableDef(catalogTableId) === undefined ? null : await CatalogStore.of(db);
    const limit = Math.max(1, opts.retainedCommits ?? defaultRetainedCommits);
    const feed = new ChangeFeed(db, store, limit);
    if (opts.persist === true || opts.ringPath !== undefined) {
      const walEnd = db.stats().insertLsn;
      const path = opts.ringPath ?? `${db.dir}/${ringFileName}`;
      const { ring, recovery } = await RingFile.open(path, {
        dbDir: db.dir,
        walEnd,
        fsync: opts.fsync ?? true,
      });
      if (recovery.dropped !== undefined) {
        opts.log?.(`change feed window restarts: ${recovery.dropped}`);
      }
      feed.#ring = ring;
      const kept = recovery.commits.slice(-limit);
      for (const c of kept) {
        feed.#retained.push({ lsn: c.frame.lsn, records: c.frame.records, offset: c.offset });
      }
      const dropped = recovery.commits.length - kept.length;
      feed.#horizon = dropped > 0 ? recovery.commits[dropped - 1]!.frame.lsn : recovery.horizon;
      // A commit made while the ring was read may have been notified before the listener below
      // exists: then the window restarts at the current end rather than hide that gap.
      if (db.stats().insertLsn !== walEnd) feed.#restart(db.stats().insertLsn - 1);
    }
    feed.#stop = db.onCommit((e) => feed.#onCommit(e));
    return feed;
  }

  #onCommit(e: CommitEvent): void {
    const store = this.#store;
    if (store === null && e.changes.some((c) => c.tableId !== catalogTableId)) {
      // Rows before the catalog was picked up cannot be decoded: no resume across them.
      this.#restart(e.end - 1);
      void this.ready();
      return;
    }
    if (store === null && e.changes.length > 0) void this.ready();
    const records = store === null || e.changes.length === 0
      ? []
      : decodeCommit(store.shared(), e, performance.now());
    if (records.length > 0) this.#publish(e.lsn, e.end, records);
    else this.#ring?.append({ type: "cover", end: e.end });
  }

  /** The database's catalog store, bootstrapping the catalog if it does not exist yet. */
  ready(): Promise<CatalogStore> {
    if (this.#store !== null) return Promise.resolve(this.#store);
    this.#storeReady ??= CatalogStore.of(this.db).then((s) => this.#store = s);
    return this.#storeReady;
  }

  /** The catalog version (0 before the catalog exists): it moves on every committed DDL. */
  get catalogVersion(): number {
    return this.#store?.version ?? 0;
  }

  /** Forgets the window: nothing before `lsn` can be resumed (`lsn`: the WAL end - 1). */
  #restart(lsn: number): void {
    this.#retained.length = 0;
    this.#head = 0;
    this.#horizon = lsn;
    this.#ring?.reset();
  }

  #publish(lsn: number, end: number, records: ChangeRecord[]): void {
    // Written before any subscriber sees the commit: a position a client saw is in the ring.
    const offset = this.#ring?.append({ type: "commit", lsn, end, records }) ?? 0;
    this.#retained.push({ lsn, records, offset });
    if (this.#retained.length - this.#head > this.#limit) {
      this.#horizon = this.#retained[this.#head]!.lsn;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#retained.length) {
        this.#retained.splice(0, this.#head);
        this.#head = 0;
      }
      // The file keeps at most about twice the window: then its head is cut off.
      const oldest = this.#retained[this.#head]!;
      if (this.#ring !== null && oldest.offset * 2 > this.#ring.size) this.#compact();
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

  #compact(): void {
    const ring = this.#ring!;
    const cut = this.#retained[this.#head]!.offset;
    ring.compact(cut);
    for (let i = this.#head; i < this.#retained.length; i++) this.#retained[i]!.offset -= cut;
  }

  /** Records published since the feed opened. */
  get eventsPublished(): number {
    return this.#events;
  }

  /** The oldest position a subscriber may resume from. */
  get horizon(): number {
    return this.#horizon;
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

  /** Stops following the database; subscribers get nothing more; the ring file is synced. */
  async close(): Promise<void> {
    this.#stop();
    this.#listeners.clear();
    await this.#ring?.close();
    this.#ring = null;
  }
}
