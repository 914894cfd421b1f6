/**
 * @module The database: opening (recovery from checkpoint + WAL), transactions, the commit
 * pipeline (WAL append in commit order, group commit, visibility in LSN order after the fsync,
 * the commit stream), checkpoints, background vacuum and stats.
 */
import { panic as processPanic } from "../assert.ts";
import { limits } from "../limits.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import {
  type IndexDescriptor,
  resolveColumnsSpec,
  type ResolveIndexSpec,
  type TableDef,
} from "../storage/mod.ts";
import {
  CheckpointFileWriter,
  type ControlData,
  DenoFileSystem,
  type FileSystem,
  formatLsn,
  listSegments,
  type Lsn,
  NoSyncFileSystem,
  RecordType,
  segmentName,
  WalWriter,
  writeControl,
} from "../wal/mod.ts";
import { writeCheckpoint } from "./checkpoint.ts";
import { recover, type RecoveryInfo } from "./recovery.ts";
import { type Change, changesOf, releaseLocks, stampCommit } from "./commit.ts";
import type { TxnHost } from "./host.ts";
import { nextval, setval } from "./sequences.ts";
import { Store } from "./store.ts";
import { type BeginOptions, type CommitResult, Transaction } from "./transaction.ts";
import { emptyVacuumStats, type VacuumStats, vacuumTable } from "./vacuum.ts";
import { WaitGraph } from "./waits.ts";

/** Where log lines go; the server passes its logger. */
export type DbLog = (
  level: "info" | "warn" | "error",
  msg: string,
  fields?: Record<string, unknown>,
) => void;

/** Options of {@link Database.open}. */
export interface DatabaseOptions {
  /** false: no fsync at all (tests, benchmarks). Default true. */
  fsync?: boolean;
  /** The file interface (fault injection); default the real one. */
  fs?: FileSystem;
  /** WAL segment size of a new database (default 16 MiB); an existing one keeps its own. */
  segmentBytes?: number;
  /** Checkpoint after this much WAL (default 256 MiB; 0: never by volume). */
  checkpointWalBytes?: number;
  /** Checkpoint this often when there was WAL since the last one (default 5 min; 0: never). */
  checkpointIntervalMs?: number;
  /** Background vacuum period (default 100 ms; 0: only `db.vacuum()`). */
  vacuumIntervalMs?: number;
  /** Default of each transaction's synchronousCommit (default true). */
  synchronousCommit?: boolean;
  /** Checkpoint in close() (default false). */
  checkpointOnClose?: boolean;
  /** Turns index descriptors into key extractors and comparators (default: column keys). */
  resolveIndexSpec?: ResolveIndexSpec;
  log?: DbLog;
  /** Stops the process on a failed write or fsync (default: db/assert.ts panic). */
  panic?: (message: string) => never;
}

/** What a checkpoint did. */
export interface CheckpointInfo {
  /** The redo LSN: recovery replays the WAL from here. */
  lsn: Lsn;
  bytes: number;
  rows: number;
  durationMs: number;
  file: string;
}

/** One committed transaction, delivered to onCommit listeners in LSN order after it is durable. */
export interface CommitEvent {
  xid: number;
  lsn: Lsn;
  end: Lsn;
  commitTime: number;
  changes: Change[];
}

interface PendingCommit {
  txn: Transaction;
  lsn: Lsn;
  end: Lsn;
  commitTime: number;
  resolve: (r: CommitResult) => void;
}

const defaultLog: DbLog = (level, msg, fields) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  Deno.stderr.writeSync(new TextEncoder().encode(line + "\n"));
};

/** An open BKG-DB database directory. */
export class Database {
  readonly #store: Store;
  readonly #fs: FileSystem;
  readonly #opts: DatabaseOptions;
  readonly #active = new Map<number, Transaction>();
  readonly #waits: WaitGraph;
  readonly #host: TxnHost;
  readonly #listeners = new Set<(e: CommitEvent) => void>();
  #wal!: WalWriter;
  #control!: ControlData;
  #visibleQueue: PendingCommit[] = [];
  #notifyQueue: CommitEvent[] = [];
  #lastVisibleEnd = 0;
  #commits = 0;
  #closed = false;
  #checkpointChain: Promise<unknown> = Promise.resolve();
  #checkpointRunning = false;
  #lastCheckpoint: CheckpointInfo | null = null;
  #walAtCheckpoint = 0;
  #timers: ReturnType<typeof setInterval>[] = [];
  #vacuumStats = emptyVacuumStats();
  /** What recovery found when this database opened. */
  recovery!: RecoveryInfo;

  private constructor(readonly dir: string, opts: DatabaseOptions, fs: FileSystem) {
    this.#opts = opts;
    this.#fs = fs;
    this.#store = new Store(opts.resolveIndexSpec ?? resolveColumnsSpec);
    this.#waits = new WaitGraph(
      (xid) => this.#active.has(xid),
      (xid) => this.#active.get(xid)?.pid ?? xid,
    );
    const store = this.#store;
    this.#host = {
      tables: store.tables,
      indexes: store.indexes,
      sequences: store.sequences,
      get csn() {
        return store.csn;
      },
      synchronousCommit: opts.synchronousCommit ?? true,
      waits: this.#waits,
      resolveIndexSpec: (d: IndexDescriptor, t: TableDef) => store.resolveIndexSpec(d, t),
      allocateObjectId: (fixed?: number) => this.#allocateObjectId(fixed),
      nextval: (seq) => nextval(seq, this.#wal),
      setval: (seq, value, isCalled) => setval(seq, this.#wal, value, isCalled),
      commitTransaction: (txn, payload, time) => this.#commit(txn, payload, time),
      endTransaction: (txn) => this.#end(txn),
    };
  }

  #log(level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>): void {
    (this.#opts.log ?? defaultLog)(level, msg, fields);
  }

  #panic(message: string): never {
    return (this.#opts.panic ?? processPanic)(message);
  }

  /**
   * Opens (creating on first use) the database in `dir`: loads the last checkpoint, replays
   * the WAL after it, cuts a torn tail. Throws DbError 55000 for an incompatible format.
   *
   * @example
   * const db = await Database.open("./data/db");
   * const txn = db.begin();
   * const t = txn.createTable({ name: "t", columns: 2 });
   * txn.insert(t, [1, "a"]);
   * await txn.commit();
   */
  static async open(dir: string, options: DatabaseOptions = {}): Promise<Database> {
    const fs = options.fs ??
      (options.fsync === false ? new NoSyncFileSystem() : new DenoFileSystem());
    const db = new Database(dir, options, fs);
    await db.#recover();
    db.#startTimers();
    return db;
  }

  /** The segment size recorded at creation; the option only applies to a new database. */
  get #segmentBytes(): number {
    return this.#control.segmentBytes;
  }

  async #recover(): Promise<void> {
    const r = await recover(this.#fs, this.dir, this.#store, {
      segmentBytes: this.#opts.segmentBytes ?? limits.walSegmentBytes,
      log: (level, msg, fields) => this.#log(level, msg, fields),
    });
    this.#control = r.control;
    this.#lastVisibleEnd = r.info.endLsn;
    this.#walAtCheckpoint = r.info.checkpointLsn;
    this.#wal = new WalWriter({
      fs: this.#fs,
      dir: `${this.dir}/wal`,
      segmentBytes: this.#segmentBytes,
      panic: (m) => this.#panic(m),
      onFlushed: () => this.#onFlushed(),
    }, r.info.endLsn);
    this.recovery = r.info;
  }

  #startTimers(): void {
    const interval = this.#opts.checkpointIntervalMs ?? 5 * 60_000;
    if (interval > 0) {
      this.#timers.push(setInterval(() => {
        if (!this.#checkpointRunning && this.#wal.insertLsn > this.#walAtCheckpoint) {
          this.checkpoint().catch((e) =>
            this.#log("error", "checkpoint failed", { error: String(e) })
          );
        }
      }, interval));
    }
    const vacuumMs = this.#opts.vacuumIntervalMs ?? 100;
    if (vacuumMs > 0) this.#timers.push(setInterval(() => this.#vacuumStep(), vacuumMs));
    for (const t of this.#timers) Deno.unrefTimer(t as unknown as number);
  }

  #allocateObjectId(fixed?: number): number {
    const store = this.#store;
    if (fixed !== undefined) {
      if (store.hasObject(fixed)) {
        throw new DbError(SqlState.duplicateObject, `object with id ${fixed} already exists`);
      }
      store.sawObjectId(fixed);
      return fixed;
    }
    while (store.hasObject(store.nextObjectId)) store.nextObjectId++;
    return store.nextObjectId++;
  }

  // ---- transactions ----

  /**
   * Begins a transaction (READ COMMITTED unless asked; SERIALIZABLE is refused with 0A000).
   *
   * @example
   * const txn = db.begin({ isolation: "repeatable read" });
   */
  begin(options: BeginOptions = {}): Transaction {
    if (this.#closed) throw new DbError(SqlState.adminShutdown, "the database is shut down");
    const txn = new Transaction(this.#host, this.#store.nextXid, options);
    this.#store.nextXid++;
    this.#active.set(txn.xid, txn);
    return txn;
  }

  /** Resolves when transaction `holder` has ended; 40P01 on deadlock, 55P03 on lock timeout. */
  waitFor(txn: Transaction, holder: number): Promise<void> {
    return this.#waits.wait(txn, holder, txn.lockTimeoutMs);
  }

  #end(txn: Transaction): void {
    releaseLocks(txn);
    this.#active.delete(txn.xid);
    this.#waits.wake(txn.xid);
  }

  #commit(txn: Transaction, payload: Uint8Array | null, commitTime: number): Promise<CommitResult> {
    if (payload === null) {
      txn.state = "committed";
      this.#end(txn);
      return Promise.resolve({ xid: txn.xid, lsn: null, commitTime, committed: true });
    }
    const { lsn, end } = this.#wal.append(RecordType.commit, payload);
    const { promise, resolve } = Promise.withResolvers<CommitResult>();
    this.#visibleQueue.push({ txn, lsn, end, commitTime, resolve });
    const flushed = this.#wal.flush(end);
    if (!txn.synchronousCommit) this.#drainVisible();
    void flushed;
    return promise;
  }

  /** Makes queued commits visible, in LSN order, as far as durability (or async) allows. */
  #drainVisible(): void {
    const q = this.#visibleQueue;
    let i = 0;
    const flushed = this.#wal.flushedLsn;
    while (i < q.length && (!q[i]!.txn.synchronousCommit || q[i]!.end <= flushed)) {
      this.#makeVisible(q[i]!);
      i++;
    }
    if (i > 0) q.splice(0, i);
    this.#notify();
  }

  #makeVisible(p: PendingCommit): void {
    const store = this.#store;
    const csn = ++store.csn;
    const txn = p.txn;
    if (this.#listeners.size > 0) {
      this.#notifyQueue.push({
        xid: txn.xid,
        lsn: p.lsn,
        end: p.end,
        commitTime: p.commitTime,
        changes: changesOf(txn),
      });
    }
    stampCommit(store, txn, csn);
    this.#lastVisibleEnd = p.end;
    this.#commits++;
    txn.state = "committed";
    this.#end(txn);
    p.resolve({ xid: txn.xid, lsn: p.lsn, commitTime: p.commitTime, committed: true });
  }

  #notify(): void {
    const flushed = this.#wal.flushedLsn;
    const q = this.#notifyQueue;
    let i = 0;
    while (i < q.length && q[i]!.end <= flushed) {
      for (const l of this.#listeners) {
        try {
          l(q[i]!);
        } catch (err) {
          this.#log("error", "commit listener failed", { error: String(err) });
        }
      }
      i++;
    }
    if (i > 0) q.splice(0, i);
  }

  #onFlushed(): void {
    this.#drainVisible();
    const volume = this.#opts.checkpointWalBytes ?? 256 * 1024 * 1024;
    if (
      volume > 0 && !this.#checkpointRunning && !this.#closed &&
      this.#wal.flushedLsn - this.#walAtCheckpoint >= volume
    ) {
      this.checkpoint().catch((e) => this.#log("error", "checkpoint failed", { error: String(e) }));
    }
  }

  /**
   * Listens to committed transactions: called in LSN order once each is durable.
   * Returns a function that stops listening.
   */
  onCommit(listener: (event: CommitEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // The SQL layer adds `connect(role, settings) → Session` here (db/mod.ts re-exports it).

  // ---- checkpoints ----

  /** Writes a checkpoint now (after any running one) and removes the WAL it makes obsolete. */
  checkpoint(): Promise<CheckpointInfo> {
    if (this.#closed) {
      return Promise.reject(new DbError(SqlState.adminShutdown, "the database is shut down"));
    }
    const run = this.#checkpointChain.then(() => this.#checkpoint(), () => this.#checkpoint());
    this.#checkpointChain = run.catch(() => {});
    return run;
  }

  async #checkpoint(): Promise<CheckpointInfo> {
    const started = performance.now();
    this.#checkpointRunning = true;
    const store = this.#store;
    const txn = this.begin({ isolation: "repeatable read", readOnly: true, pid: 0 });
    try {
      // Share-lock every committed table at once, so no DDL runs on them meanwhile; wait for
      // DDL in progress first (holding nothing while waiting, so no deadlock is possible).
      for (;;) {
        let blocker = 0;
        for (const t of store.tables.values()) {
          if (t.createdBy > 0 && t.lockX !== 0) blocker = t.lockX;
        }
        if (blocker === 0) break;
        await this.#waits.wait(txn, blocker);
      }
      const tables = [...store.tables.values()].filter((t) => t.createdBy > 0);
      for (const t of tables) {
        t.lockS.add(txn.xid);
        txn.tableLocks.set(t, 1);
      }
      txn.beginStatement();
      const redoLsn = this.#lastVisibleEnd;
      const plan = {
        snapshot: txn.snapshot,
        redoLsn,
        tables,
        sequences: [...store.sequences.values()].filter((s) => s.createdBy > 0),
        nextXid: store.nextXid,
        nextObjectId: store.nextObjectId,
      };
      this.#walAtCheckpoint = this.#wal.insertLsn;
      let out: CheckpointFileWriter | undefined;
      let rows = 0;
      const file = `checkpoint.${segmentName(redoLsn)}`;
      try {
        out = await CheckpointFileWriter.create(this.#fs, this.dir);
        rows = await writeCheckpoint(out, plan);
        await out.finish(file);
        const previous = this.#control.checkpoint;
        const control = { ...this.#control, checkpoint: file, checkpointLsn: redoLsn };
        await writeControl(this.#fs, this.dir, control);
        this.#control = control;
        if (previous !== null && previous !== file) {
          await this.#fs.remove(`${this.dir}/${previous}`);
        }
        const walDir = `${this.dir}/wal`;
        for (const seg of await listSegments(this.#fs, walDir)) {
          if (seg + this.#segmentBytes <= redoLsn) {
            await this.#fs.remove(`${walDir}/${segmentName(seg)}`);
          }
        }
        await this.#fs.syncDir(walDir);
      } catch (err) {
        out?.abandon();
        this.#panic(`checkpoint failed: ${err instanceof Error ? err.message : err}`);
      }
      const info = {
        lsn: redoLsn,
        bytes: out!.bytes,
        rows,
        durationMs: performance.now() - started,
        file,
      };
      this.#lastCheckpoint = info;
      this.#log("info", "checkpoint complete", {
        lsn: formatLsn(redoLsn),
        bytes: info.bytes,
        rows,
        duration_ms: Math.round(info.durationMs),
      });
      return info;
    } finally {
      this.#checkpointRunning = false;
      txn.state = "committed";
      this.#end(txn);
    }
  }

  // ---- vacuum ----

  /** The oldest CSN any open snapshot may still read. */
  #horizon(): number {
    let h = this.#store.csn;
    for (const txn of this.#active.values()) if (txn.snapshot.csn < h) h = txn.snapshot.csn;
    return h;
  }

  #vacuumStep(): boolean {
    const horizon = this.#horizon();
    let budget: number = limits.vacuumRowsPerStep;
    for (const t of this.#store.tables.values()) {
      if (t.vacuumRows.length === 0) continue;
      budget = vacuumTable(t, horizon, budget, this.#vacuumStats);
      if (budget === 0) return true;
    }
    return false;
  }

  /** Runs vacuum until nothing is left below the horizon, yielding between steps. */
  async vacuum(): Promise<VacuumStats> {
    const before = { ...this.#vacuumStats };
    while (this.#vacuumStep()) await new Promise((r) => setTimeout(r, 0));
    const s = this.#vacuumStats;
    return {
      rowsExamined: s.rowsExamined - before.rowsExamined,
      versionsRemoved: s.versionsRemoved - before.versionsRemoved,
      rowsRemoved: s.rowsRemoved - before.rowsRemoved,
      indexEntriesRemoved: s.indexEntriesRemoved - before.indexEntriesRemoved,
    };
  }

  // ---- inspection ----

  /** Counters for monitoring and tests (rows and versions are counted on call: O(rows)). */
  stats(): DbStats {
    let rows = 0;
    let versions = 0;
    for (const t of this.#store.tables.values()) {
      rows += t.heap.rows;
      versions += t.heap.countVersions();
    }
    return {
      insertLsn: this.#wal.insertLsn,
      flushedLsn: this.#wal.flushedLsn,
      walBytesSinceCheckpoint: this.#wal.insertLsn - this.#walAtCheckpoint,
      walSyncs: this.#wal.syncs,
      commits: this.#commits,
      csn: this.#store.csn,
      nextXid: this.#store.nextXid,
      tables: this.#store.tables.size,
      indexes: this.#store.indexes.size,
      sequences: this.#store.sequences.size,
      rows,
      versions,
      activeTransactions: this.#active.size,
      waitingTransactions: this.#waits.waiting,
      vacuum: { ...this.#vacuumStats },
      lastCheckpoint: this.#lastCheckpoint,
    };
  }

  /** Ids of the committed tables. */
  tableIds(): number[] {
    return [...this.#store.tables.values()].filter((t) => t.createdBy > 0).map((t) => t.id);
  }

  /** The committed definition of a table, or undefined. */
  tableDef(id: number): TableDef | undefined {
    const t = this.#store.tables.get(id);
    return t !== undefined && t.createdBy > 0 ? t.def : undefined;
  }

  // ---- shutdown ----

  /**
   * Rolls back open transactions, finishes commits and checkpoints (unless `checkpoint` is false:
   * a server whose start failed leaves the WAL to recovery), closes the WAL.
   */
  async close(opts: { checkpoint?: boolean } = {}): Promise<void> {
    if (this.#closed) return;
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await this.#checkpointChain;
    for (const txn of [...this.#active.values()]) if (txn.state === "active") txn.rollback();
    await this.#wal.flush();
    // A checkpoint at shutdown only when there is WAL since the last one.
    const checkpoint = opts.checkpoint ?? this.#opts.checkpointOnClose;
    if (checkpoint && this.#wal.insertLsn > this.#walAtCheckpoint) {
      await this.checkpoint();
    }
    this.#closed = true;
    await this.#wal.close();
  }

  /** Stops without any I/O, as a crash would (tests of recovery). */
  kill(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    this.#closed = true;
    this.#wal.abandon();
  }
}

/** What {@link Database.stats} reports. */
export interface DbStats {
  insertLsn: Lsn;
  flushedLsn: Lsn;
  walBytesSinceCheckpoint: number;
  walSyncs: number;
  commits: number;
  csn: number;
  nextXid: number;
  tables: number;
  indexes: number;
  sequences: number;
  rows: number;
  versions: number;
  activeTransactions: number;
  waitingTransactions: number;
  vacuum: VacuumStats;
  lastCheckpoint: CheckpointInfo | null;
}
