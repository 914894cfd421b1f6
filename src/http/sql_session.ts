/**
 * @module SQL for the HTTP doors: one engine session per request, opened as the caller's role
 * with its JWT claims (the settings `role` and `request.jwt.claims`, as pgwire sets them), each
 * statement through the engine's prepare/executePrepared (the path pgwire's extended protocol
 * takes, so plans and parameter types come from the engine), a wall-clock deadline that a
 * `SET statement_timeout` cannot lift, and results encoded as JSON.
 */
import { connect, type Database, DbError, type QueryResult, SqlState } from "../../db/mod.ts";
import type { Session as EngineSession } from "../../db/mod.ts";
import { CatalogStore } from "../../db/catalog/mod.ts";
import { typeByOid } from "../../db/types/mod.ts";
import { parse } from "../../db/sql/mod.ts";
import type { Principal } from "./auth.ts";
import { type Json, paramText, toJsonValue } from "./json_values.ts";

/** Who a session runs as. */
export interface SqlIdentity {
  /** The role the session logs in as (`postgres`, `anon`, `authenticated`, `service_role`). */
  user: string;
  /** JWT claims, set as `request.jwt.claims` (and `role`), as pgwire does for a JWT login. */
  claims?: Record<string, unknown>;
}

/** The identity of a request's principal: Basic admin runs as postgres; no token is `anon`. */
export function identityOf(p: Principal): SqlIdentity {
  if (p.kind === "superuser") return { user: "postgres" };
  if (p.kind === "token") return { user: p.role, claims: p.claims };
  return { user: "anon", claims: { role: "anon" } };
}

/** One statement of a request. */
export interface StatementInput {
  sql: string;
  params?: unknown[];
}

/** One statement's answer. */
export interface StatementOutput {
  /** The command tag's first word: `SELECT`, `INSERT`, `CREATE`, … */
  command: string;
  /** The command tag's count, or null when the tag has none (`CREATE TABLE`). */
  rowCount: number | null;
  columns: { name: string; type: string }[];
  rows: (Json[] | Record<string, Json>)[];
}

/** Limits of one session. */
export interface SqlSessionOptions {
  /** statement_timeout and the request's wall-clock limit in ms; 0: none. */
  timeoutMs: number;
  /** Most rows one statement may return (54000 above it). */
  maxRows: number;
}

/** An engine session for one HTTP request. */
export class SqlSession {
  readonly #engine: EngineSession;
  readonly #store: CatalogStore;
  readonly #options: SqlSessionOptions;
  readonly #deadline: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;

  private constructor(engine: EngineSession, store: CatalogStore, options: SqlSessionOptions) {
    this.#engine = engine;
    this.#store = store;
    this.#options = options;
    this.#deadline = options.timeoutMs > 0 ? performance.now() + options.timeoutMs : Infinity;
    if (options.timeoutMs > 0) {
      // Cancels a statement that runs past the deadline even after a SET statement_timeout.
      this.#timer = setTimeout(() => {
        this.#timedOut = true;
        engine.cancel();
      }, options.timeoutMs);
    }
  }

  /**
   * Opens a session as `identity` (28000 for an unknown role).
   *
   * @example
   * const s = await SqlSession.open(db, { user: "anon" }, { timeoutMs: 30_000, maxRows: 10_000 });
   * try { const [r] = await s.runAll([{ sql: "select 1 as x" }], "object"); } finally { await s.close(); }
   */
  static async open(
    db: Database,
    identity: SqlIdentity,
    options: SqlSessionOptions,
  ): Promise<SqlSession> {
    const settings: Record<string, string> = {
      application_name: "bkg-http",
      datestyle: "ISO, MDY",
      intervalstyle: "postgres",
      statement_timeout: String(options.timeoutMs),
      is_superuser: identity.user === "postgres" ? "on" : "off",
      session_authorization: identity.user,
    };
    if (identity.claims !== undefined) settings.role = identity.user;
    const engine = await connect(db, {
      user: identity.user,
      database: "postgres",
      settings,
      claims: identity.claims,
    });
    return new SqlSession(engine, await CatalogStore.of(db), options);
  }

  /** Runs one statement with JSON parameters; raw engine values. */
  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    this.#checkDeadline();
    // As pgwire's EmptyQueryResponse: no statement, no tag (the engine has nothing to prepare).
    if (params.length === 0 && isEmptyQuery(sql)) {
      return { command: "", columns: null, rows: [], rowCount: null };
    }
    const info = this.#engine.prepare("", sql, []);
    if (info.paramTypes.length !== params.length) {
      throw new DbError(
        SqlState.protocolViolation,
        `bind message supplies ${params.length} parameters, but prepared statement "" requires ${info.paramTypes.length}`,
      );
    }
    const values = params.map((v, i) => paramText(v, info.paramTypes[i]!));
    let r: QueryResult;
    try {
      r = await this.#engine.executePrepared("", values, { deferCommit: true });
    } catch (err) {
      // The request's own deadline cancelled it: say so, as statement_timeout would.
      if (this.#timedOut && err instanceof DbError && err.code === SqlState.queryCanceled) {
        throw new DbError(SqlState.queryCanceled, "canceling statement due to statement timeout");
      }
      throw err;
    }
    if (r.columns === null && info.columns !== null) r.columns = info.columns;
    if (r.rows.length > this.#options.maxRows) {
      throw new DbError(
        SqlState.programLimitExceeded,
        `statement returned more than ${this.#options.maxRows} rows`,
        { hint: "Add a LIMIT, page with OFFSET or a key, or raise --query-max-rows." },
      );
    }
    return r;
  }

  /** Runs one statement and encodes its result as JSON. */
  async run(input: StatementInput, rowMode: "object" | "array"): Promise<StatementOutput> {
    return this.encode(await this.query(input.sql, input.params ?? []), rowMode);
  }

  /**
   * Runs statements as one transaction: all commit or none (the error names the failing
   * statement's index in `statement`). A single statement runs in its own implicit transaction,
   * as a simple query does.
   */
  async runAll(
    inputs: readonly StatementInput[],
    rowMode: "object" | "array",
  ): Promise<StatementOutput[]> {
    const batch = inputs.length > 1;
    if (batch) {
      inputs.forEach((s, i) => refuseTransactionControl(s.sql, i));
      await this.#engine.execute("BEGIN");
    }
    const out: StatementOutput[] = [];
    for (const [i, input] of inputs.entries()) {
      try {
        out.push(await this.run(input, rowMode));
      } catch (err) {
        if (err instanceof DbError && batch) throw new BatchError(err, i);
        throw err;
      }
    }
    if (batch) await this.#engine.execute("COMMIT");
    else await this.#engine.commitImplicit();
    return out;
  }

  /** Rolls back whatever is open (used by /policy/check, which never commits). */
  async rollback(): Promise<void> {
    if (this.#engine.transactionStatus !== "I") await this.#engine.execute("ROLLBACK");
  }

  /** Starts a transaction block. */
  async begin(): Promise<void> {
    await this.#engine.execute("BEGIN");
  }

  /** Commits the transaction block or the implicit transaction. */
  async commit(): Promise<void> {
    if (this.#engine.transactionStatus === "I") await this.#engine.commitImplicit();
    else await this.#engine.execute("COMMIT");
  }

  /** Closes the session; an open transaction is rolled back. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#engine.close();
  }

  /** A result as the JSON answer of /query. */
  encode(r: QueryResult, rowMode: "object" | "array"): StatementOutput {
    const cols = r.columns ?? [];
    const ctx = this.#engine.evalContext;
    const rows = r.rows.map((row) => {
      const values = cols.map((c, i) => toJsonValue(c.typeOid, row[i] ?? null, ctx));
      if (rowMode === "array") return values;
      const obj: Record<string, Json> = {};
      cols.forEach((c, i) => obj[c.name] = values[i]!);
      return obj;
    });
    const words = r.command.split(" ");
    const last = words[words.length - 1] ?? "";
    return {
      command: words[0] ?? "",
      rowCount: words.length > 1 && /^\d+$/.test(last) ? Number(last) : null,
      columns: cols.map((c) => ({ name: c.name, type: this.typeName(c.typeOid) })),
      rows,
    };
  }

  /** pg_type.typname of `oid` (built-in or from the catalog, such as an enum). */
  typeName(oid: number): string {
    return typeByOid(oid)?.name ?? this.#store.shared().typeByOid(oid)?.name ?? String(oid);
  }

  /** The JSON objects of a raw result, keyed by column name. */
  objects(r: QueryResult): Record<string, Json>[] {
    return this.encode(r, "object").rows as Record<string, Json>[];
  }

  #checkDeadline(): void {
    if (performance.now() > this.#deadline) {
      throw new DbError(SqlState.queryCanceled, "canceling statement due to statement timeout");
    }
  }
}

/** A statement of a batch failed; `index` counts from 0. */
export class BatchError extends Error {
  constructor(override readonly cause: DbError, readonly index: number) {
    super(cause.message);
    this.name = "BatchError";
  }
}

/** A batch is one transaction, so its statements may not end or start one themselves. */
function refuseTransactionControl(sql: string, index: number): void {
  let kinds: string[];
  try {
    kinds = parse(sql).map((s) => s.kind);
  } catch {
    return; // The engine reports the syntax error with its position when the statement runs.
  }
  if (kinds.includes("transaction")) {
    throw new BatchError(
      new DbError(
        SqlState.activeSqlTransaction,
        "transaction control statements are not allowed in a statements batch",
        { hint: "The batch already runs in one transaction." },
      ),
      index,
    );
  }
}

/** True when `sql` holds no statement (only blanks, semicolons and comments). */
function isEmptyQuery(sql: string): boolean {
  if (/^\s*[A-Za-z(]/.test(sql)) return false;
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "").replace(/[\s;]/g, "") === "";
}
