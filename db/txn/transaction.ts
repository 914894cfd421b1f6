/**
 * @module A transaction: snapshots (per statement under READ COMMITTED, one for the whole
 * transaction under REPEATABLE READ), reads through allocation-free cursors, writes that check
 * first-updater-wins, row locks and unique keys, savepoints, and commit through the host's WAL.
 * Nothing here waits: a conflict with a transaction in progress throws LockWaitNeeded, and
 * runStatement undoes the statement, waits and runs it again.
 */
import { assert } from "../assert.ts";
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { Lsn } from "../wal/mod.ts";
import {
  Index,
  type IndexCursor,
  type IndexRange,
  type Row,
  type Sequence,
  Snapshot,
  type Table,
  type TableCursor,
  Version,
  visibleVersion,
} from "../storage/mod.ts";
import { LockWaitNeeded } from "./errors.ts";
import { encodeCommit, Op, OpKind } from "./ops.ts";
import * as ddl from "./ddl.ts";
import * as reads from "./reads.ts";
import { undoOp } from "./undo.ts";
import type { TxnHost } from "./host.ts";

/** Isolation levels; SERIALIZABLE is refused (0A000) rather than run weaker. */
export type Isolation = "read committed" | "repeatable read" | "serializable";

/** Options of {@link Database.begin}. */
export interface BeginOptions {
  isolation?: Isolation;
  readOnly?: boolean;
  /** false: commit is acknowledged before its WAL record is durable (still in order). */
  synchronousCommit?: boolean;
  /** Lock waits longer than this fail with 55P03; 0 waits for ever. */
  lockTimeoutMs?: number;
  /** The session's process id, shown in deadlock messages (default: the xid). */
  pid?: number;
}

/** What commit returns. */
export interface CommitResult {
  xid: number;
  /** LSN of the commit record; null when nothing was written (or it rolled back). */
  lsn: Lsn | null;
  commitTime: number;
  /** false when the transaction had failed and COMMIT rolled it back. */
  committed: boolean;
}

/** A point to roll back to. */
export interface Savepoint {
  readonly opIndex: number;
  readonly xid: number;
}

/** Row lock strengths (FOR UPDATE / FOR SHARE; the KEY variants map onto these). */
export type RowLockMode = "update" | "share";

/** An open transaction. */
export class Transaction {
  readonly isolation: "read committed" | "repeatable read";
  readonly readOnly: boolean;
  readonly synchronousCommit: boolean;
  readonly lockTimeoutMs: number;
  readonly pid: number;
  state: "active" | "committing" | "committed" | "aborted" = "active";
  /** An error ended a statement: only rollback (or rollback to a savepoint) is allowed. */
  failed = false;
  /** The changes, in order: undo, redo and change stream in one list. */
  readonly ops: Op[] = [];
  /** Tables this transaction holds locked: 1 shared, 2 exclusive. */
  readonly tableLocks = new Map<Table, number>();
  #cid = 0;
  #snapshot: Snapshot;
  #rrCsn = -1;

  constructor(readonly host: TxnHost, readonly xid: number, opts: BeginOptions) {
    const iso = opts.isolation ?? "read committed";
    if (iso === "serializable") {
      throw new DbError(
        SqlState.featureNotSupported,
        "SERIALIZABLE isolation is not supported by BKG-DB",
        { hint: "Use REPEATABLE READ, which BKG-DB runs as PostgreSQL does." },
      );
    }
    this.isolation = iso;
    this.readOnly = opts.readOnly ?? false;
    this.synchronousCommit = opts.synchronousCommit ?? host.synchronousCommit;
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 0;
    this.pid = opts.pid ?? xid;
    this.#snapshot = new Snapshot(host.csn, xid, 0);
  }

  /** The snapshot the current statement reads with. */
  get snapshot(): Snapshot {
    return this.#snapshot;
  }

  /** The current command id. */
  get commandId(): number {
    return this.#cid;
  }

  /**
   * Starts a statement: a new command id (so it does not see its own later writes) and, under
   * READ COMMITTED, a new snapshot. runStatement calls it.
   */
  beginStatement(): void {
    this.#check();
    this.#cid++;
    let csn = this.host.csn;
    if (this.isolation === "repeatable read") {
      if (this.#rrCsn < 0) this.#rrCsn = csn;
      csn = this.#rrCsn;
    }
    this.#snapshot = new Snapshot(csn, this.xid, this.#cid);
  }

  #active(): void {
    this.#check();
    if (this.#cid === 0) this.beginStatement();
  }

  #check(): void {
    if (this.state !== "active") {
      throw new DbError(SqlState.noActiveSqlTransaction, "there is no transaction in progress");
    }
    if (this.failed) {
      throw new DbError(
        SqlState.inFailedSqlTransaction,
        "current transaction is aborted, commands ignored until end of transaction block",
      );
    }
  }

  #writable(what: string): void {
    this.#active();
    if (this.readOnly) {
      throw new DbError(
        SqlState.readOnlySqlTransaction,
        `cannot execute ${what} in a read-only transaction`,
      );
    }
  }

  /** A table this transaction may use, locked shared (exclusive DDL of others makes it wait). */
  table(id: number): Table {
    const t = this.host.tables.get(id);
    if (
      t === undefined || (t.createdBy < 0 && t.createdBy !== -this.xid) ||
      t.droppedBy === -this.xid
    ) {
      throw new DbError(SqlState.undefinedTable, `relation with id ${id} does not exist`);
    }
    if (!this.tableLocks.has(t)) {
      if (t.lockX !== 0 && t.lockX !== this.xid) throw new LockWaitNeeded(t.lockX);
      t.lockS.add(this.xid);
      this.tableLocks.set(t, 1);
    }
    return t;
  }

  /** Locks a table exclusively (DDL): waits for every other holder. */
  lockTableExclusive(t: Table): void {
    if (this.tableLocks.get(t) === 2) return;
    if (t.lockX !== 0 && t.lockX !== this.xid) throw new LockWaitNeeded(t.lockX);
    for (const s of t.lockS) if (s !== this.xid) throw new LockWaitNeeded(s);
    t.lockX = this.xid;
    t.lockS.add(this.xid);
    this.tableLocks.set(t, 2);
  }

  // ---- reads ----

  /** The row `rowId` as this statement sees it, or undefined. */
  fetch(tableId: number, rowId: number): Row | undefined {
    this.#active();
    return visibleVersion(this.table(tableId).heap.heads[rowId], this.#snapshot)?.row;
  }

  /** A sequential scan: `while (c.next()) use(c.rowId, c.row)`. */
  scan(tableId: number): TableCursor {
    this.#active();
    return reads.scan(this.table(tableId), this.#snapshot);
  }

  /** A range scan of an index (bounds may be key prefixes; forward or backward). */
  indexScan(indexId: number, range: IndexRange = {}): IndexCursor {
    this.#active();
    const idx = this.#index(indexId);
    return reads.indexScan(this.table(idx.def.tableId), idx, this.#snapshot, range);
  }

  /** Rows whose key equals `key` (a prefix of the key matches every key it starts). */
  lookup(indexId: number, key: Datum[]): IndexCursor {
    return this.indexScan(indexId, { lower: key, upper: key });
  }

  #index(id: number): Index {
    const idx = this.host.indexes.get(id);
    if (
      idx === undefined || (idx.createdBy < 0 && idx.createdBy !== -this.xid) ||
      idx.droppedBy === -this.xid
    ) {
      throw new DbError(SqlState.undefinedObject, `index with id ${id} does not exist`);
    }
    return idx;
  }

  // ---- writes ----

  /** Inserts a row (one Datum per column slot); returns its row id. */
  insert(tableId: number, row: Row): number {
    this.#writable("INSERT");
    const t = this.table(tableId);
    if (row.length !== t.def.columns) this.#badWidth(row, t);
    const indexes = t.indexes;
    const keys: Datum[] = new Array(indexes.length);
    for (let i = 0; i < indexes.length; i++) {
      const idx = indexes[i]!;
      const key = keys[i] = idx.keyOf(row);
      if (idx.def.unique) this.#checkUnique(t, idx, key, -1);
    }
    const rowId = t.heap.allocate();
    const v = new Version(row, -this.xid, this.#cid);
    t.heap.heads[rowId] = v;
    const op = new Op(OpKind.insert, t, rowId, v, null, row);
    let added: (Index | Datum)[] | null = null;
    for (let i = 0; i < indexes.length; i++) {
      if (indexes[i]!.tree.insert(keys[i]!, rowId)) (added ??= []).push(indexes[i]!, keys[i]!);
    }
    op.added = added;
    this.ops.push(op);
    return rowId;
  }

  #badWidth(row: Row, t: Table): never {
    // A caller's bug (the SQL layer builds full rows), so an assertion, not a DbError.
    assert(false, `row of ${row.length} values for ${t.def.columns} columns`);
  }

  /**
   * Replaces the row `rowId` with `row`. False when this statement does not see the row, or
   * already changed it (PostgreSQL ignores such a second update in one statement).
   */
  update(tableId: number, rowId: number, row: Row): boolean {
    this.#writable("UPDATE");
    const t = this.table(tableId);
    if (row.length !== t.def.columns) this.#badWidth(row, t);
    const v = visibleVersion(t.heap.heads[rowId], this.#snapshot);
    if (v === undefined || !this.#mayChange(t, rowId, v)) return false;
    for (const idx of t.indexes) {
      if (!idx.def.unique) continue;
      const key = idx.keyOf(row);
      if (idx.compareKey(key, idx.keyOf(v.row)) !== 0) this.#checkUnique(t, idx, key, rowId);
    }
    const n = new Version(row, -this.xid, this.#cid);
    n.older = v;
    t.heap.heads[rowId] = n;
    v.end = -this.xid;
    v.cmax = this.#cid;
    const op = new Op(OpKind.update, t, rowId, n, v, row);
    op.added = this.#addIndexEntries(t, row, rowId, v.row);
    this.ops.push(op);
    return true;
  }

  /** Deletes the row `rowId`; false when this statement does not see it (or already did). */
  delete(tableId: number, rowId: number): boolean {
    this.#writable("DELETE");
    const t = this.table(tableId);
    const v = visibleVersion(t.heap.heads[rowId], this.#snapshot);
    if (v === undefined || !this.#mayChange(t, rowId, v)) return false;
    v.end = -this.xid;
    v.cmax = this.#cid;
    this.ops.push(new Op(OpKind.delete, t, rowId, null, v, null));
    return true;
  }

  /** SELECT … FOR UPDATE / FOR SHARE of a row; false when the statement does not see it. */
  lockRow(tableId: number, rowId: number, mode: RowLockMode = "update"): boolean {
    this.#writable(mode === "update" ? "SELECT FOR UPDATE" : "SELECT FOR SHARE");
    const t = this.table(tableId);
    const v = visibleVersion(t.heap.heads[rowId], this.#snapshot);
    if (v === undefined) return false;
    if (v.end < 0 && v.end === -this.xid) return true;
    this.#checkEnd(v);
    const st = t.rowLocks.get(rowId);
    if (st !== undefined) {
      if (st.x !== 0 && st.x !== this.xid) throw new LockWaitNeeded(st.x);
      if (mode === "update") {
        for (const s of st.s) if (s !== this.xid) throw new LockWaitNeeded(s);
      }
      if (st.x === this.xid || (mode === "share" && st.s.includes(this.xid))) return true;
    }
    const op = new Op(OpKind.rowLock, t, rowId, null, null, null);
    op.extra = st === undefined ? null : { x: st.x, s: st.s.slice() };
    const next = st ?? { x: 0, s: [] };
    if (mode === "update") next.x = this.xid;
    else next.s.push(this.xid);
    t.rowLocks.set(rowId, next);
    this.ops.push(op);
    return true;
  }

  /** Throws unless `v` (visible to us) may be changed now; false if we changed it already. */
  #mayChange(t: Table, rowId: number, v: Version): boolean {
    if (v.end < 0 && v.end === -this.xid) return false;
    this.#checkEnd(v);
    const st = t.rowLocks.get(rowId);
    if (st !== undefined) {
      if (st.x !== 0 && st.x !== this.xid) throw new LockWaitNeeded(st.x);
      for (const s of st.s) if (s !== this.xid) throw new LockWaitNeeded(s);
    }
    return true;
  }

  /** A version someone else ended: wait for them, or it is a concurrent update. */
  #checkEnd(v: Version): void {
    const e = v.end;
    if (e < 0) throw new LockWaitNeeded(-e);
    if (e > 0) {
      if (this.isolation === "repeatable read") {
        throw new DbError(
          SqlState.serializationFailure,
          "could not serialize access due to concurrent update",
        );
      }
      // READ COMMITTED: run the statement again on a fresh snapshot (EvalPlanQual's effect).
      throw new LockWaitNeeded(0);
    }
  }

  #addIndexEntries(t: Table, row: Row, rowId: number, oldRow: Row | null) {
    let added: (Index | Datum)[] | null = null;
    for (const idx of t.indexes) {
      const key = idx.keyOf(row);
      if (oldRow !== null && idx.compareKey(key, idx.keyOf(oldRow)) === 0) continue;
      if (idx.tree.insert(key, rowId)) (added ??= []).push(idx, key);
    }
    return added;
  }

  /** PostgreSQL's _bt_check_unique: wait for in-progress inserters and deleters, else 23505. */
  #checkUnique(t: Table, idx: Index, key: Datum, exceptRowId: number): void {
    if (idx.keyHasNull(key)) return;
    const cmp = idx.compareKey;
    for (const c = idx.tree.seek(key, false); c.leaf !== null && cmp(c.key, key) === 0; c.next()) {
      const rid = c.rowId;
      if (rid === exceptRowId) continue;
      for (let v = t.heap.heads[rid] ?? null; v !== null; v = v.older) {
        if (v.end > 0) break;
        if (cmp(idx.keyOf(v.row), key) !== 0) continue;
        if (v.begin < 0 && v.begin !== -this.xid) throw new LockWaitNeeded(-v.begin);
        if (v.end < 0) {
          if (v.end === -this.xid) continue;
          throw new LockWaitNeeded(-v.end);
        }
        throw ddl.uniqueViolation(idx, key);
      }
    }
  }

  // ---- DDL (db/txn/ddl.ts does the work) ----

  /** CREATE TABLE: `id` may be fixed (system tables); returns the id. */
  createTable(opts: { id?: number; name: string; columns: number }): number {
    this.#writable("CREATE TABLE");
    return ddl.createTable(this, opts);
  }

  /** DROP TABLE (and its indexes). */
  dropTable(id: number): void {
    this.#writable("DROP TABLE");
    ddl.dropTable(this, id);
  }

  /** TRUNCATE. */
  truncate(id: number): void {
    this.#writable("TRUNCATE TABLE");
    ddl.truncate(this, id);
  }

  /** ALTER TABLE ADD COLUMN with a default for existing rows; returns the column number. */
  addColumn(id: number, defaultValue: Datum = null): number {
    this.#writable("ALTER TABLE");
    return ddl.addColumn(this, id, defaultValue);
  }

  /** ALTER TABLE DROP COLUMN: the slot stays (NULL), column numbers do not change. */
  dropColumn(id: number, column: number): void {
    this.#writable("ALTER TABLE");
    ddl.dropColumn(this, id, column);
  }

  /** CREATE [UNIQUE] INDEX; returns its id. */
  createIndex(
    tableId: number,
    opts: { id?: number; name: string; unique?: boolean; descriptor: ddl.IndexDescriptorArg },
  ): number {
    this.#writable("CREATE INDEX");
    return ddl.createIndex(this, tableId, opts);
  }

  /** DROP INDEX. */
  dropIndex(id: number): void {
    this.#writable("DROP INDEX");
    ddl.dropIndex(this, this.#index(id));
  }

  /** CREATE SEQUENCE; returns its id. */
  createSequence(opts: ddl.SequenceOptions): number {
    this.#writable("CREATE SEQUENCE");
    return ddl.createSequence(this, opts);
  }

  /** DROP SEQUENCE. */
  dropSequence(id: number): void {
    this.#writable("DROP SEQUENCE");
    ddl.dropSequence(this, this.sequence(id));
  }

  /** A sequence this transaction may use. */
  sequence(id: number): Sequence {
    const s = this.host.sequences.get(id);
    if (
      s === undefined || (s.createdBy < 0 && s.createdBy !== -this.xid) ||
      s.droppedBy === -this.xid
    ) {
      throw new DbError(SqlState.undefinedTable, `sequence with id ${id} does not exist`);
    }
    return s;
  }

  /** nextval: never rolled back; may throw LockWaitNeeded until its WAL batch is durable. */
  nextval(id: number): bigint {
    this.#writable("nextval()");
    return this.host.nextval(this.sequence(id), this.xid);
  }

  /** setval(id, value, isCalled). */
  setval(id: number, value: bigint, isCalled = true): bigint {
    this.#writable("setval()");
    return this.host.setval(this.sequence(id), value, isCalled);
  }

  // ---- savepoints and the end ----

  /** Marks a point to roll back to (SAVEPOINT, and each statement's own start). */
  savepoint(): Savepoint {
    return { opIndex: this.ops.length, xid: this.xid };
  }

  /** ROLLBACK TO SAVEPOINT: undoes everything after it; the transaction is usable again. */
  rollbackTo(sp: Savepoint): void {
    assert(sp.xid === this.xid && sp.opIndex <= this.ops.length, "savepoint of this transaction");
    if (this.state !== "active") {
      throw new DbError(SqlState.noActiveSqlTransaction, "there is no transaction in progress");
    }
    this.#undoTo(sp.opIndex);
    this.failed = false;
    // Waiters may have waited on something now undone: let them look again.
    this.host.waits.wake(this.xid);
  }

  /**
   * Undoes a statement's own effects before it waits and runs again (runStatement). Unlike
   * rollbackTo it wakes nobody: waiters wait for this transaction's end.
   */
  rollbackStatement(sp: Savepoint): void {
    assert(sp.xid === this.xid && sp.opIndex <= this.ops.length, "savepoint of this transaction");
    this.#undoTo(sp.opIndex);
  }

  /** RELEASE SAVEPOINT: its changes stay part of the transaction. */
  release(sp: Savepoint): void {
    assert(sp.xid === this.xid, "savepoint of this transaction");
  }

  #undoTo(opIndex: number): void {
    while (this.ops.length > opIndex) undoOp(this, this.ops.pop()!);
  }

  /** ROLLBACK: undoes everything and ends the transaction. */
  rollback(): void {
    if (this.state !== "active") return;
    this.#undoTo(0);
    this.state = "aborted";
    this.host.endTransaction(this);
  }

  /**
   * COMMIT: resolves once the commit record is durable and the changes are visible to others
   * (with synchronousCommit off: once visible, in order, before the fsync).
   */
  commit(): Promise<CommitResult> {
    if (this.state !== "active") {
      return Promise.reject(
        new DbError(SqlState.noActiveSqlTransaction, "there is no transaction in progress"),
      );
    }
    if (this.failed) {
      this.rollback();
      return Promise.resolve({
        xid: this.xid,
        lsn: null,
        commitTime: Date.now(),
        committed: false,
      });
    }
    this.state = "committing";
    const commitTime = Date.now();
    const redo = this.ops.some((op) => op.k !== OpKind.rowLock);
    return this.host.commitTransaction(
      this,
      redo ? encodeCommit(this.xid, commitTime, this.ops) : null,
      commitTime,
    );
  }
}
