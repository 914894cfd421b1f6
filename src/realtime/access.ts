/**
 * @module Who may receive a change: the ONE place the hub asks. Each subscriber identity (role and
 * JWT claims) holds one engine session, shared by every channel with that identity and closed
 * when the last one leaves. The session gives a per-table row predicate (`rowPredicate`, row-level
 * security and SELECT privilege, in process); an event is delivered when the predicate passes on
 * the new row (INSERT, UPDATE) or on the old row (DELETE: only those who could see it before).
 * Predicates are rebuilt when the catalog version changes, so GRANT/REVOKE and policy changes take
 * effect for live subscriptions.
 */
import { type ChangeRecord, type Database, type Datum, DbError, SqlState } from "../../db/mod.ts";

/** The catalog's version counter (db/catalog's CatalogStore): it moves on every committed DDL. */
interface CatalogVersion {
  readonly version: number;
}

/** A row visibility test for one table, as the engine's Session gives it. */
export type RowPredicate = (row: Datum[]) => boolean;

/** What the access layer needs from an engine session (db/session's Session). */
interface PredicateSession {
  rowPredicate(tableOid: number): RowPredicate;
  close(): Promise<void>;
}

/** One subscriber identity: a role, its claims, and the engine session that judges rows for it. */
export class Identity {
  refs = 0;
  closed = false;
  #version = -1;
  /** Per table: the predicate, or null when the role may not read the table at all. */
  readonly #predicates = new Map<number, RowPredicate | null>();
  /** Answers per record: channels sharing the identity ask in turn for the same records. */
  #answers = new WeakMap<ChangeRecord, boolean>();

  constructor(
    readonly key: string,
    readonly role: string,
    readonly claims: Record<string, unknown>,
    readonly session: PredicateSession,
    readonly store: CatalogVersion,
  ) {}

  /** The predicate for `tableOid`, or null when the role may not SELECT from it. */
  predicate(tableOid: number): RowPredicate | null {
    if (this.#version !== this.store.version) {
      this.#predicates.clear();
      this.#version = this.store.version;
      this.#answers = new WeakMap();
    }
    let p = this.#predicates.get(tableOid);
    if (p !== undefined) return p;
    p = this.#build(tableOid);
    this.#predicates.set(tableOid, p);
    return p;
  }

  #build(tableOid: number): RowPredicate | null {
    try {
      return this.session.rowPredicate(tableOid);
    } catch (err) {
      if (err instanceof DbError) return null;
      throw err;
    }
  }

  /**
   * Whether this identity may receive `change`: its predicate on the new row (INSERT, UPDATE) or
   * on the old row (DELETE). Evaluated once per record and identity.
   */
  mayReceive(change: ChangeRecord): boolean {
    const p = this.predicate(change.tableId);
    const known = this.#answers.get(change);
    if (known !== undefined) return known;
    const row = change.kind === "DELETE" ? change.oldRow : change.newRow;
    let ok = false;
    if (p !== null && row !== null) {
      try {
        ok = p(row as Datum[]);
      } catch {
        ok = false; // A policy that fails on a row (e.g. a division by zero) hides it.
      }
    }
    this.#answers.set(change, ok);
    return ok;
  }
}

/** The identities of one hub, shared by key. */
export class AccessRegistry {
  readonly #identities = new Map<string, Promise<Identity>>();

  constructor(readonly db: Database, readonly store: CatalogVersion) {}

  /** Open identities (for tests and metrics). */
  get size(): number {
    return this.#identities.size;
  }

  /**
   * The identity for `role` with `claims`, opening its session on first use; each acquire is
   * matched by one {@link AccessRegistry.release}. Throws DbError when the role cannot connect.
   */
  async acquire(role: string, claims: Record<string, unknown>): Promise<Identity> {
    const key = JSON.stringify([role, claims]);
    let p = this.#identities.get(key);
    if (p === undefined) {
      p = this.#open(key, role, claims);
      this.#identities.set(key, p);
      p.catch(() => this.#identities.delete(key));
    }
    const id = await p;
    // Released (and closed) by its last user while this caller waited: open a fresh one.
    if (id.closed) return await this.acquire(role, claims);
    id.refs++;
    return id;
  }

  async #open(key: string, role: string, claims: Record<string, unknown>): Promise<Identity> {
    const session = await this.db.connect({ user: role, database: "postgres", claims });
    return new Identity(key, role, claims, session, this.store);
  }

  /** Drops one use of `id`; the last closes its session. */
  release(id: Identity): void {
    if (--id.refs > 0) return;
    id.closed = true;
    this.#identities.delete(id.key);
    id.session.close().catch(() => {});
  }

  /**
   * Checks that `id` may SELECT from each of `tables`; returns the first refusal's message
   * (PostgreSQL's `permission denied for table t`) for a table a binding named (`named`), while
   * tables matched only by a wildcard are skipped silently.
   */
  checkTables(
    id: Identity,
    tables: readonly { oid: number; name: string; named: boolean }[],
  ): string | undefined {
    for (const t of tables) {
      try {
        id.session.rowPredicate(t.oid);
      } catch (err) {
        if (!(err instanceof DbError)) throw err;
        if (t.named && err.code === SqlState.insufficientPrivilege) return err.message;
      }
    }
    return undefined;
  }
}
