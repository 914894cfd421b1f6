/**
 * @module A session: the transaction state machine (implicit transactions per simple-query
 * message, BEGIN/COMMIT/ROLLBACK, savepoints, the failed state), settings, prepared statements,
 * statement_timeout and cancel, and the path of a statement: parse → bind → plan → execute.
 */
import type { Datum } from "../datum.ts";
import { type Catalog, CatalogStore } from "../catalog/mod.ts";
import {
  analyze,
  bindCopyFrom,
  BindCtx,
  bindDelete,
  type BindEnv,
  bindInsert,
  bindQuery,
  bindUpdate,
  coerceExpr,
  type EngineContext,
} from "../analyze/mod.ts";
import { compile, Env, runModify, runPlan } from "../exec/mod.ts";
import {
  explainLines,
  type IndexChoice,
  type ModifyPlan,
  type OutCol,
  type PlanNode,
  planQuery,
  setPlannerStats,
  statsFor,
} from "../plan/mod.ts";
import { parse, type Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import {
  type Database,
  LockWaitNeeded,
  runStatement,
  type Savepoint,
  type Transaction,
} from "../txn/mod.ts";
import {
  defaultEvalContext,
  formatType,
  inputText,
  nowMicros,
  Oid,
  outputText,
  PgArray,
} from "../types/mod.ts";
import * as ddl from "./ddl.ts";
import * as alter from "./alter.ts";
import * as policy from "./policy.ts";
import * as policyLifecycle from "./policy_lifecycle.ts";
import { afterDdl, beforeDdl, privilegeStatement } from "./privilege_ddl.ts";
import { dropOwned } from "./owned.ts";
import { checkConnectionLimits, connectSettings } from "./role_settings.ts";
import { checkSessionAuthorization, checkSetRole, type RoleDdl } from "./roles.ts";
import {
  checkConnect,
  checkPermissions,
  checkSequence,
  needsSetup,
  newPermState,
  type PermEntry,
  permsOfPlan,
  setupDatabase,
} from "./access.ts";
import { copyFormat, formatCopyRow, parseCopy } from "./copy.ts";
import { createDatabase, type DatabaseDdlContext, dropDatabase } from "./databases.ts";
import { analyzeTables, wantsAnalyze } from "./analyze_stats.ts";
import { settingNames, Settings, type SettingsMark } from "./settings.ts";

/** A result column. */
export interface ColumnInfo {
  name: string;
  typeOid: number;
  typmod: number;
  tableOid: number;
  columnNumber: number;
}

/** One statement's result. */
export interface QueryResult {
  command: string;
  columns: ColumnInfo[] | null;
  rows: Datum[][];
  rowCount: number | null;
}

/** What prepare() reports. */
export interface PreparedInfo {
  paramTypes: number[];
  columns: ColumnInfo[] | null;
}

interface Prepared {
  statementText?: string;
  sql: string;
  stmt: Statement;
  paramTypes: number[];
  columns: ColumnInfo[] | null;
  plan: { version: number; rlsKey?: string; node: PlanNode | ModifyPlan } | null;
  portal: Datum[][] | null;
}

let nextPid = 1000;

/** Data-modifying CTEs of bound statements (run before the statement itself). */
const dmlCtesOf = new WeakMap<object, { id: number; plan: ModifyPlan }[]>();

/** A bound statement: its plan and result columns. */
type Bound = { node: PlanNode | ModifyPlan; cols: OutCol[] | null };

/** Sessions of one database, for LISTEN/NOTIFY. */
const hubs = new WeakMap<Database, Set<Session>>();

/** Options of connect. */
export interface ConnectOptions {
  user: string;
  database: string;
  settings?: Record<string, string>;
  /**
   * The stored settings of the role and database (pg_db_role_setting), filled in by `connect`:
   * below `settings`, and what RESET returns to.
   */
  roleSettings?: Record<string, string>;
  /** A JWT's claims: set as `request.jwt.claims`, which SQL then cannot change. */
  claims?: Record<string, unknown>;
  /** The backend process id (pg_backend_pid, notification sender); pgwire passes its own. */
  pid?: number;
}

/** One client session. */
export class Session {
  readonly settings: Settings;
  readonly notices: { severity: string; message: string; hint?: string }[] = [];
  readonly pid: number;
  onNotification: ((channel: string, payload: string, pid: number) => void) | null = null;
  #txn: Transaction | null = null;
  #explicit = false;
  #failed = false;
  #savepoints: { name: string; sp: Savepoint; settings: SettingsMark }[] = [];
  #prepared = new Map<string, Prepared>();
  #cancel = false;
  #seqLog: { oid: number; value: bigint }[] = [];
  #copyText: string | null = null;
  #copyColumns = 0;
  /** Channels this session LISTENs on. */
  readonly listening = new Set<string>();
  #pendingNotifies: { channel: string; payload: string }[] = [];
  #seqPos = 0;
  #env: Env | null = null;
  #closed = false;
  /** Set by terminate(); statements in flight (terminate rolls back only between them). */
  #terminated = false;
  #running = 0;
  /** A DDL statement's catalog before it ran (owners and default ACLs are applied after). */
  #pendingDdl: { rd: RoleDdl; before: Catalog } | null = null;
  readonly #ctx: EngineContext;

  constructor(
    readonly db: Database,
    readonly store: CatalogStore,
    readonly user: string,
    readonly database: string,
    opts: ConnectOptions,
  ) {
    let hub = hubs.get(db);
    if (hub === undefined) hubs.set(db, hub = new Set());
    hub.add(this);
    this.pid = opts.pid ?? nextPid++;
    const superuser = store.shared().roles.get(user)?.superuser === true;
    this.settings = new Settings({
      session_authorization: user,
      is_superuser: superuser ? "on" : "off",
      ...(opts.roleSettings ?? {}),
      ...(opts.settings ?? {}),
    }, opts.roleSettings);
    if (opts.claims) {
      // Only the token speaks for the session: startup options cannot add claims of their own.
      for (const k of [...this.settings.values.keys()]) {
        if (k.startsWith("request.jwt.")) this.settings.values.delete(k);
      }
      this.settings.set("request.jwt.claims", JSON.stringify(opts.claims), false, false);
      this.settings.lock("request.jwt");
    }
    this.#ctx = this.#makeContext();
  }

  /** "I" idle, "T" in a transaction block, "E" in a failed transaction block. */
  get transactionStatus(): "I" | "T" | "E" {
    if (!this.#explicit) return "I";
    return this.#failed ? "E" : "T";
  }

  /** The current role's OID (SET ROLE, else the session user); 0 if it no longer exists. */
  currentRoleOid(): number {
    const role = this.settings.get("role") ?? "none";
    if (role === "none") return this.sessionRoleOid();
    return this.#catalog().roles.get(role)?.oid ?? 0;
  }

  /** The session user's OID (SET SESSION AUTHORIZATION, else the login role). */
  sessionRoleOid(): number {
    const cat = this.#catalog();
    const name = this.settings.get("session_authorization") ?? this.user;
    return cat.roles.get(name)?.oid ?? cat.roles.get(this.user)?.oid ?? 0;
  }

  #roleName(oid: number): string {
    return this.#catalog().roleByOid(oid)?.name ?? this.user;
  }

  #roleDdl(d: ddl.DdlContext): RoleDdl {
    return {
      ...d,
      roleOid: this.currentRoleOid(),
      sessionRoleOid: this.sessionRoleOid(),
      databaseName: this.database,
      warning: (message) => this.notices.push({ severity: "WARNING", message }),
      currentSetting: (name) => this.settings.get(name) ?? "",
      evalContext: this.#ctx,
    };
  }

  /** Raises 42501 unless the current role may do what a bound statement needs. */
  #checkPerms(entries: readonly PermEntry[] | undefined): void {
    if (entries && entries.length > 0) {
      checkPermissions(this.#catalog(), entries, this.currentRoleOid());
    }
  }

  /**
   * SET [LOCAL] ROLE and SET SESSION AUTHORIZATION (null value: RESET / DEFAULT), checked as
   * PostgreSQL does; false for any other setting. Kept as settings, so ROLLBACK and SET LOCAL
   * revert them like any other.
   */
  #roleSetting(name: string, value: string | null, local: boolean): boolean {
    const key = name.toLowerCase();
    if (key !== "role" && key !== "session_authorization") return false;
    const cat = this.#catalog();
    if (key === "role") {
      const v = checkSetRole(cat, this.sessionRoleOid(), value ?? "none");
      this.settings.set("role", v, local, this.#explicit);
    } else {
      const auth = cat.roles.get(this.user)?.oid ?? 0;
      const v = checkSessionAuthorization(cat, auth, value ?? this.user);
      this.settings.set("session_authorization", v, local, this.#explicit);
      this.settings.set("role", "none", local, this.#explicit);
    }
    const superuser = cat.roleByOid(this.currentRoleOid())?.superuser === true;
    this.settings.set("is_superuser", superuser ? "on" : "off", local, this.#explicit);
    return true;
  }

  getSetting(name: string): string | null {
    return this.settings.get(name, true);
  }

  /** The context value I/O runs in (TimeZone, DateStyle, catalog look-ups), for the doors. */
  get evalContext(): EngineContext {
    return this.#ctx;
  }

  /** Commits the implicit transaction that `deferCommit` executions left open (pgwire's Sync). */
  async commitImplicit(): Promise<void> {
    if (this.#explicit || this.#txn === null) return;
    try {
      await this.#finish(true);
    } catch (err) {
      await this.#fail(err);
      throw err;
    }
  }

  /** Drops a prepared statement (a pgwire Close); false if there was none. */
  deallocate(name: string): boolean {
    return this.#prepared.delete(name);
  }

  /**
   * Ends the session from outside (DROP DATABASE … WITH (FORCE)): an idle transaction rolls back
   * now, a running statement is cancelled, and every later statement fails with FATAL 57P01,
   * which makes pgwire close the connection.
   */
  terminate(): void {
    this.#terminated = true;
    // Gone as far as others can tell (a backend that exits): no notifications, no longer "using".
    hubs.get(this.db)?.delete(this);
    this.cancel();
    if (this.#running === 0) this.#abandon();
  }

  /** A terminated session's transaction ends now, not at close: its locks block the drop. */
  #abandon(): void {
    if (this.#txn === null) return;
    if (this.#txn.state === "active") this.#txn.rollback();
    this.#txn = null;
    this.#explicit = false;
    this.#failed = false;
    this.#savepoints = [];
  }

  /** Makes the running statement fail with 57014. */
  cancel(): void {
    this.#cancel = true;
    if (this.#env) this.#env.cancelled = true;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    hubs.get(this.db)?.delete(this);
    if (this.#txn !== null && this.#txn.state === "active") this.#txn.rollback();
    this.#txn = null;
    await Promise.resolve();
  }

  #catalog(): Catalog {
    return this.store.for(this.#txn);
  }

  #searchPath(): string[] {
    const raw = this.settings.get("search_path") ?? "";
    return raw.split(",").map((s) => s.trim().replace(/^"(.*)"$/, "$1")).filter((s) => s !== "")
      .map((s) => s === "$user" ? this.#roleName(this.currentRoleOid()) : s)
      .filter((s) => this.#catalog().namespaces.has(s));
  }

  #makeContext(): EngineContext {
    const base = defaultEvalContext();
    // deno-lint-ignore no-this-alias
    const self = this;
    const seqOid = (oid: number) => oid;
    const ctx: EngineContext = {
      ...base,
      get timeZone() {
        return self.settings.get("timezone") ?? "UTC";
      },
      get dateStyle() {
        return self.settings.get("datestyle") ?? "ISO, MDY";
      },
      get intervalStyle() {
        return self.settings.get("intervalstyle") ?? "postgres";
      },
      get extraFloatDigits() {
        return Number(self.settings.get("extra_float_digits") ?? "1");
      },
      currentUser: () => self.#roleName(self.currentRoleOid()),
      sessionUser: () => self.#roleName(self.sessionRoleOid()),
      currentSchema: () => self.#searchPath()[0] ?? "public",
      lookupRelation: (name: string) => {
        const parts = name.split(".").map((p) => p.replace(/^"(.*)"$/, "$1"));
        const n = parts[parts.length - 1]!;
        const s = parts.length > 1 ? parts[0]! : null;
        if (s !== null && !self.#catalog().namespaces.has(s)) {
          throw new DbError(SqlState.invalidSchemaName, `schema "${s}" does not exist`);
        }
        return new BindCtx(self.#bindEnv(""), null).findRelation(s, n)?.oid;
      },
      relationName: (oid: number) => {
        const cat = self.#catalog();
        const r = cat.relationByOid(oid);
        if (r === undefined) return undefined;
        const visible = ctx.relationVisible(oid);
        return visible ? r.name : `${cat.schemaName(r.schema)}.${r.name}`;
      },
      enumLabels: (oid: number) => {
        const t = self.#catalog().typeByOid(oid);
        return t && t.oid === oid ? t.labels : undefined;
      },
      getSetting: (name, missingOk) => self.settings.get(name, missingOk),
      recordColumns: (oid: number) =>
        oid === Oid.record
          ? (ctx as { currentRecordNames?: string[] }).currentRecordNames
          : undefined,
      setSetting: (name, value, local) => {
        // set_config('role', …) is SET ROLE: the same membership checks apply.
        if (self.#roleSetting(name, value, local)) return self.settings.get(name) ?? value;
        self.settings.set(name, value, local, self.#explicit);
        return value;
      },
      nextval: (oid) => {
        checkSequence(self.#catalog(), oid, self.currentRoleOid(), "nextval");
        // A statement re-run after a lock wait replays the values it already drew, so a retry
        // does not consume extra sequence values.
        const k = self.#seqPos++;
        const prior = self.#seqLog[k];
        if (prior !== undefined && prior.oid === oid) return prior.value;
        const value = self.#txnOrThrow().nextval(seqOid(oid));
        self.#seqLog[k] = { oid, value };
        return value;
      },
      currval: (oid) => {
        checkSequence(self.#catalog(), oid, self.currentRoleOid(), "currval");
        const seq = self.#txnOrThrow().sequence(oid);
        if (!seq.isCalled) {
          throw new DbError(
            SqlState.objectNotInPrerequisiteState,
            `currval of sequence "${seq.def.name}" is not yet defined in this session`,
          );
        }
        return seq.last;
      },
      setval: (oid, v, called) => {
        checkSequence(self.#catalog(), oid, self.currentRoleOid(), "setval");
        return self.#txnOrThrow().setval(oid, v, called);
      },
      backendPid: this.pid,
      databaseName: this.database,
      searchPath: () => self.#searchPath(),
      userName: (oid) => self.#catalog().roleByOid(oid)?.name ?? null,
      typeName: (oid, typmod) => self.#catalog().typeByOid(oid)?.name ?? formatType(oid, typmod),
      relationVisible: (oid) => {
        const cat = self.#catalog();
        const r = cat.relationByOid(oid);
        if (r === undefined) return false;
        for (const s of ["pg_catalog", ...self.#searchPath()]) {
          const ns = cat.namespaces.get(s);
          if (ns === undefined) continue;
          const found = cat.relation(ns.oid, r.name);
          if (found !== undefined) return found.oid === oid;
        }
        return false;
      },
      comment: (obj, cls, sub) => self.#catalog().comment(cls, obj, sub)?.text ?? null,
      xid: () => self.#txnOrThrow().xid,
      allSettings: () =>
        [...self.settings.values.entries()].map(([k, v]) => [settingNames[k] ?? k, v]),
      sequenceDef: (oid) => {
        const seq = self.#txn?.host.sequences.get(oid);
        if (seq === undefined) return undefined;
        const d = seq.def;
        return {
          start: d.start,
          increment: d.increment,
          maxValue: d.maxValue,
          minValue: d.minValue,
          cycle: d.cycle,
          last: seq.isCalled ? seq.last : null,
        };
      },
      tableRows: (oid) => self.#rowsOf(oid),
      tableStats: () => statsFor(self.db),
      preparedStatements: () =>
        [...self.#prepared.entries()].filter(([, p]) => p.statementText !== undefined).map((
          [name, p],
        ) => [
          name,
          p.statementText!,
          self.#ctx.transactionStart,
          PgArray.of(p.paramTypes),
          true,
        ]),
      catalogNow: () => self.#catalog(),
      notify: (channel: string, payload: string) => self.notify(channel, payload),
      checkInterrupts: () => self.#env?.check(),
    };
    return ctx;
  }

  /** NOTIFY at commit: every session of this database listening on the channel hears it. */
  #deliver(list: { channel: string; payload: string }[]): void {
    for (const n of list) {
      for (const s of hubs.get(this.db) ?? []) {
        if (s.database !== this.database) continue;
        if (s.listening.has(n.channel)) s.onNotification?.(n.channel, n.payload, this.pid);
      }
    }
  }

  /** Queues a notification for the end of the transaction (pg_notify and NOTIFY). */
  notify(channel: string, payload: string): void {
    if (payload.length >= 8000) {
      throw new DbError(SqlState.invalidParameterValue, "payload string too long");
    }
    const dup = this.#pendingNotifies.some((n) => n.channel === channel && n.payload === payload);
    if (!dup) this.#pendingNotifies.push({ channel, payload });
    if (this.#txn === null) {
      const list = this.#pendingNotifies;
      this.#pendingNotifies = [];
      this.#deliver(list);
    }
  }

  /** The role policies are checked for: the current role (SET ROLE), else the session user. */
  #policyRole(): number {
    const cur = (this as unknown as { currentRoleOid?: () => number }).currentRoleOid;
    if (typeof cur === "function") return cur.call(this);
    return this.#catalog().roles.get(this.user)?.oid ?? 0;
  }

  /** What a cached plan's policies depend on: the role and row_security. */
  #rlsKey(): string {
    return `${this.#policyRole()}/${this.settings.get("row_security") ?? "on"}`;
  }

  #policyDdl(d: ddl.DdlContext): policy.PolicyDdl {
    return {
      ...d,
      roleOid: this.#policyRole(),
      sessionRoleOid: this.#catalog().roles.get(this.user)?.oid ?? 0,
      warning: (message, hint) => this.notices.push({ severity: "WARNING", message, hint }),
    };
  }

  /**
   * Whether rows of a table are visible to this session's role and claims under its SELECT
   * policies (for realtime): a function over a full row in attnum order (storage layout), true
   * for every row when RLS does not apply. Throws 42P01 for an unknown table and 42501 when the
   * role may not SELECT from it.
   *
   * @example
   * const visible = session.rowPredicate(tableOid);
   * if (visible(row)) send(row);
   */
  rowPredicate(tableOid: number): (row: Datum[]) => boolean {
    const env = this.#bindEnv("");
    const check = policy.rowPredicate(env, tableOid, this.#ctx);
    return (row) => {
      const txn = this.#txn ?? this.db.begin({ readOnly: true });
      try {
        return check(row, new Env(txn, this.#ctx, []));
      } finally {
        if (txn !== this.#txn) txn.rollback();
      }
    };
  }

  #txnOrThrow(): Transaction {
    if (this.#txn === null) {
      throw new DbError(SqlState.noActiveSqlTransaction, "there is no transaction in progress");
    }
    return this.#txn;
  }

  #bindEnv(text: string, paramTypes: number[] = []): BindEnv {
    return {
      rls: policy.rlsState(this.#policyRole(), this.settings),
      catalog: this.#catalog(),
      searchPath: this.#searchPath(),
      paramTypes,
      ctx: this.#ctx,
      nextCteId: 1,
      text,
      role: this.currentRoleOid(),
      perms: newPermState(this.currentRoleOid()),
    };
  }

  #begin(): Transaction {
    const iso = this.settings.get("default_transaction_isolation") ?? "read committed";
    const txn = this.db.begin({
      isolation: storageIsolation(iso),
      readOnly: this.settings.get("default_transaction_read_only") === "on",
      pid: this.pid,
      lockTimeoutMs: parseMs(this.settings.get("lock_timeout") ?? "0"),
    });
    this.settings.set("transaction_isolation", iso, true, true);
    this.#ctx.transactionStart = nowMicros();
    this.#txn = txn;
    return txn;
  }

  async #finish(commit: boolean): Promise<void> {
    const txn = this.#txn;
    this.#txn = null;
    this.#explicit = false;
    this.#failed = false;
    this.#savepoints = [];
    this.settings.endTransaction(commit && txn !== null && !txn.failed);
    if (txn === null || txn.state !== "active") return;
    const dirty = this.store.changedBy(txn);
    const notifies = this.#pendingNotifies;
    this.#pendingNotifies = [];
    if (commit) {
      const r = await txn.commit();
      if (dirty) this.store.invalidate();
      if (r.committed) this.#deliver(notifies);
    } else txn.rollback();
  }

  /** Runs a simple-query message (or one statement with parameters). */
  async execute(
    sql: string,
    params?: Datum[] | null,
    opts?: {
      paramTypes?: number[];
      /** Called as each statement completes (pgwire sends its result before the next runs). */
      onResult?: (r: QueryResult) => void | Promise<void>;
    },
  ): Promise<QueryResult[]> {
    const stmts = parse(sql);
    const results: QueryResult[] = [];
    const implicitStart = this.#txn === null;
    try {
      for (const stmt of stmts) {
        results.push(
          await this.#run(stmt, sql, params ? [...params] : [], opts?.paramTypes ?? [], null),
        );
        await opts?.onResult?.(results[results.length - 1]!);
      }
      if (!this.#explicit && this.#txn !== null) await this.#finish(true);
    } catch (err) {
      await this.#fail(err);
      void implicitStart;
      throw err;
    }
    return results;
  }

  async #fail(err: unknown): Promise<void> {
    if (this.#txn !== null) this.store.forget(this.#txn);
    if (this.#explicit) {
      this.#failed = true;
      if (this.#txn !== null && this.#txn.state === "active") this.#txn.failed = true;
    } else await this.#finish(false);
    void err;
  }

  /** Parses and binds a statement for the extended protocol. */
  prepare(name: string, sql: string, paramTypes: number[]): PreparedInfo {
    const stmts = parse(sql);
    if (stmts.length > 1) {
      throw new DbError(
        SqlState.syntaxError,
        "cannot insert multiple commands into a prepared statement",
      );
    }
    if (this.#prepared.has(name) && name !== "") {
      throw new DbError(
        SqlState.duplicatePreparedStatement,
        `prepared statement "${name}" already exists`,
      );
    }
    const stmt = stmts[0] ?? ({ kind: "select" } as unknown as Statement);
    const types = [...paramTypes];
    let columns: ColumnInfo[] | null = null;
    if (stmts.length === 1) {
      const env = this.#bindEnv(sql, types);
      const bound = this.#bind(stmt, env);
      if (bound !== null) columns = bound.cols === null ? null : toColumns(bound.cols);
    }
    const fixed = types.map((t) => t === 0 || t === Oid.unknown ? Oid.text : t);
    this.#prepared.set(name, { sql, stmt, paramTypes: fixed, columns, plan: null, portal: null });
    return { paramTypes: fixed, columns };
  }

  /** Runs a prepared statement (maxRows: portal-style partial fetch). */
  async executePrepared(
    name: string,
    params: Datum[],
    opts?: {
      maxRows?: number;
      /** Leave the implicit transaction open for {@link commitImplicit} (pgwire: until Sync). */
      deferCommit?: boolean;
    },
  ): Promise<QueryResult> {
    const p = this.#prepared.get(name);
    if (p === undefined) {
      throw new DbError(
        SqlState.invalidSqlStatementName,
        `prepared statement "${name}" does not exist`,
      );
    }
    const typed = params.map((v, i) => coerceParam(v, p.paramTypes[i] ?? Oid.text, this.#ctx));
    try {
      const r = await this.#run(p.stmt, p.sql, typed, p.paramTypes, p);
      if (opts?.maxRows && r.rows.length > opts.maxRows) r.rows = r.rows.slice(0, opts.maxRows);
      if (!this.#explicit && this.#txn !== null && !opts?.deferCommit) await this.#finish(true);
      return r;
    } catch (err) {
      await this.#fail(err);
      throw err;
    }
  }

  #rowsOf = (oid: number): number => this.#txn?.host.tables.get(oid)?.heap.rows ?? 1000;

  #indexChoices = (oid: number): IndexChoice[] => {
    const cat = this.#catalog();
    const rel = cat.relationByOid(oid);
    if (rel === undefined) return [];
    return cat.indexesOf(oid).map((i) => ({
      oid: i.oid,
      name: i.name,
      slots: i.index!.columns.map((a) => a - 1),
      types: i.columns.map((c) => c.type),
    }));
  };

  #bind(stmt: Statement, env: BindEnv): Bound | null {
    const r = this.#bindOnly(stmt, env);
    if (r !== null && env.perms) permsOfPlan.set(r.node, env.perms.entries);
    if (r !== null && env.dmlCtes && env.dmlCtes.length > 0) {
      for (const d of env.dmlCtes) {
        d.plan.source = planQuery(d.plan.source, this.#indexChoices, this.#rowsOf);
      }
      dmlCtesOf.set(r.node, env.dmlCtes);
    }
    return r;
  }

  #bindOnly(stmt: Statement, env: BindEnv): Bound | null {
    const c = new BindCtx(env, null);
    const stats = statsFor(this.db);
    setPlannerStats((oid) => stats.get(oid));
    switch (stmt.kind) {
      case "select":
      case "values":
      case "set_operation": {
        const node = planQuery(bindQuery(c, stmt), this.#indexChoices, this.#rowsOf);
        return { node, cols: node.cols };
      }
      case "insert": {
        const node = bindInsert(c, stmt);
        node.source = planQuery(node.source, this.#indexChoices, this.#rowsOf);
        return { node, cols: stmt.returning.length ? node.returningCols : null };
      }
      case "update": {
        const node = bindUpdate(c, stmt);
        node.source = planQuery(node.source, this.#indexChoices, this.#rowsOf);
        return { node, cols: stmt.returning.length ? node.returningCols : null };
      }
      case "delete": {
        const node = bindDelete(c, stmt);
        node.source = planQuery(node.source, this.#indexChoices, this.#rowsOf);
        return { node, cols: stmt.returning.length ? node.returningCols : null };
      }
    }
    return null;
  }

  async #run(
    stmt: Statement,
    text: string,
    params: Datum[],
    paramTypes: number[],
    prepared: Prepared | null,
  ): Promise<QueryResult> {
    if (this.#terminated) {
      throw new DbError(
        SqlState.adminShutdown,
        "terminating connection due to administrator command",
        { severity: "FATAL" },
      );
    }
    this.#running++;
    try {
      return await this.#runOne(stmt, text, params, paramTypes, prepared);
    } finally {
      this.#running--;
      if (this.#terminated && this.#running === 0) this.#abandon();
    }
  }

  async #runOne(
    stmt: Statement,
    text: string,
    params: Datum[],
    paramTypes: number[],
    prepared: Prepared | null,
  ): Promise<QueryResult> {
    this.#cancel = false;
    if (stmt.kind === "transaction") return await this.#transaction(stmt, text);
    if (this.#failed) {
      throw new DbError(
        SqlState.inFailedSqlTransaction,
        "current transaction is aborted, commands ignored until end of transaction block",
      );
    }
    if (stmt.kind === "vacuum" && wantsAnalyze(stmt) && !(stmt.isVacuum && this.#explicit)) {
      analyzeTables(this.#txn ?? this.#begin(), this.#catalog(), stmt, {
        database: this.db,
        find: (schema, name) => new BindCtx(this.#bindEnv(""), null).findRelation(schema, name),
        ctx: this.#ctx,
      });
    }
    const utility = this.#utility(stmt, text);
    if (utility !== null) return utility;
    if (stmt.kind === "checkpoint") {
      await this.db.checkpoint();
      return { command: "CHECKPOINT", columns: null, rows: [], rowCount: null };
    }
    if (stmt.kind === "execute") return await this.#executeSql(stmt, text);
    const txn = this.#txn ?? this.#begin();
    const timeoutMs = parseMs(this.settings.get("statement_timeout") ?? "0");
    this.#ctx.statementStart = nowMicros();
    const deadline = timeoutMs > 0 ? performance.now() + timeoutMs : Infinity;
    try {
      this.#seqLog = [];
      return await runStatement(txn, async () => {
        // Each attempt (a re-run after a lock wait) starts with fresh per-run state.
        const env = new Env(txn, this.#ctx, params);
        env.deadline = deadline;
        if (this.#cancel) env.cancelled = true;
        this.#env = env;
        this.#seqPos = 0;
        this.#pendingDdl = null;
        const r = await this.#statement(stmt, text, params, paramTypes, prepared, env, txn);
        const pending = this.#pendingDdl as { rd: RoleDdl; before: Catalog } | null;
        if (pending !== null) afterDdl(pending.rd, stmt, pending.before);
        return r;
      });
    } catch (err) {
      if (err instanceof LockWaitNeeded) {
        throw new DbError(SqlState.lockNotAvailable, "could not obtain lock");
      }
      throw err;
    } finally {
      this.#env = null;
    }
  }

  async #statement(
    stmt: Statement,
    text: string,
    _params: Datum[],
    paramTypes: number[],
    prepared: Prepared | null,
    env: Env,
    txn: Transaction,
  ): Promise<QueryResult> {
    const d: ddl.DdlContext = {
      txn,
      store: this.store,
      catalog: () => this.#catalog(),
      env: () => this.#bindEnv(text),
      creationSchema: (name, location) => {
        const n = name ?? this.#searchPath()[0];
        const ns = n === undefined ? undefined : this.#catalog().namespaces.get(n);
        if (ns === undefined) {
          throw new DbError(
            SqlState.invalidSchemaName,
            name ? `schema "${name}" does not exist` : "no schema has been selected to create in",
            { position: location + 1 },
          );
        }
        return ns.oid;
      },
      text,
      notice: (message) => this.notices.push({ severity: "NOTICE", message }),
    };
    const tag = (t: string): QueryResult => ({
      command: t,
      columns: null,
      rows: [],
      rowCount: null,
    });
    const rd = this.#roleDdl(d);
    const privTag = await privilegeStatement(rd, stmt);
    if (privTag !== null) return tag(privTag);
    const before = beforeDdl(rd, stmt, this.#searchPath()[0] ?? null);
    if (before !== null) this.#pendingDdl = { rd, before };
    switch (stmt.kind) {
      case "create_table":
        return tag(ddl.createTable(d, stmt));
      case "create_index":
        return tag(ddl.createIndex(d, stmt));
      case "drop":
        policyLifecycle.beforeDrop(this.#policyDdl(d), stmt);
        return tag(ddl.drop(d, stmt));
      case "drop_owned":
        for (const drop of dropOwned(rd, stmt)) {
          policyLifecycle.beforeDrop(this.#policyDdl(d), drop);
          ddl.drop({ ...d, notice: () => {} }, drop);
        }
        return tag("DROP OWNED");
      case "create_sequence":
        return tag(ddl.createSequence(d, stmt));
      case "create_schema":
        return tag(ddl.createSchema(d, stmt));
      case "create_enum":
        return tag(ddl.createEnum(d, stmt));
      case "create_view": {
        const venv = this.#bindEnv(text);
        venv.touched = new Set();
        const node = bindQuery(new BindCtx(venv, null), stmt.query);
        return tag(ddl.createView(d, stmt, node.cols, [...venv.touched]));
      }
      case "create_database":
      case "drop_database":
        return tag(await this.#database(stmt));
      case "alter_enum":
        return tag(ddl.alterEnum(d, stmt));
      case "alter_sequence":
        return tag(ddl.alterSequence(d, stmt));
      case "create_table_as": {
        if (stmt.objectType !== "table") {
          throw new DbError(
            SqlState.featureNotSupported,
            "materialized views are not supported yet",
          );
        }
        const schema = d.creationSchema(stmt.relation.schema, stmt.relation.location);
        if (this.#catalog().relation(schema, stmt.relation.name) !== undefined) {
          if (stmt.ifNotExists) {
            this.notices.push({
              severity: "NOTICE",
              message: `relation "${stmt.relation.name}" already exists, skipping`,
            });
            return tag("CREATE TABLE AS");
          }
          throw new DbError(
            SqlState.duplicateTable,
            `relation "${stmt.relation.name}" already exists`,
          );
        }
        const plan = planQuery(
          bindQuery(new BindCtx(this.#bindEnv(text), null), stmt.query),
          this.#indexChoices,
          this.#rowsOf,
        );
        const rows = stmt.withData ? await runPlan(plan, env) : [];
        const oid = ddl.createTableFromColumns(
          d,
          schema,
          stmt.relation.name,
          plan.cols.map((c, i) => ({
            name: stmt.columns[i] ?? c.name,
            type: c.type === Oid.unknown ? Oid.text : c.type,
            typmod: c.typmod,
          })),
        );
        for (const r of rows) txn.insert(oid, r);
        return { command: `SELECT ${rows.length}`, columns: null, rows: [], rowCount: rows.length };
      }
      case "truncate": {
        const cat = this.#catalog();
        const oids = new Set<number>();
        for (const rv of stmt.relations) {
          const rel = new BindCtx(this.#bindEnv(text), null).findRelation(rv.schema, rv.name);
          if (rel === undefined || rel.kind !== "r") {
            throw new DbError(SqlState.undefinedTable, `relation "${rv.name}" does not exist`, {
              position: rv.location + 1,
            });
          }
          oids.add(rel.oid);
        }
        for (let changed = true; changed;) {
          changed = false;
          for (const oid of [...oids]) {
            for (const k of cat.referencingKeys(oid)) {
              if (oids.has(k.table)) continue;
              const child = cat.relationByOid(k.table)?.name;
              if (stmt.behavior !== "cascade") {
                throw new DbError(
                  SqlState.featureNotSupported,
                  "cannot truncate a table referenced in a foreign key constraint",
                  {
                    detail: `Table "${child}" references "${cat.relationByOid(oid)?.name}".`,
                    hint:
                      `Truncate table "${child}" at the same time, or use TRUNCATE ... CASCADE.`,
                  },
                );
              }
              this.notices.push({
                severity: "NOTICE",
                message: `truncate cascades to table "${child}"`,
              });
              oids.add(k.table);
              changed = true;
            }
          }
        }
        for (const oid of oids) {
          txn.truncate(oid);
          if (stmt.restartIdentity) {
            for (const sq of cat.sequencesOwnedBy(oid)) {
              txn.setval(sq.oid, txn.sequence(sq.oid).def.start, false);
            }
          }
        }
        return tag("TRUNCATE TABLE");
      }
      case "comment":
        return tag(ddl.comment(d, stmt));
      case "create_policy":
      case "alter_policy":
      case "drop_policy":
        return tag(policy.policyStatement(this.#policyDdl(d), stmt));
      case "explain":
        return await this.#explain(stmt, text, env, paramTypes);
      case "copy":
        return await this.#copy(stmt, text, env);
      case "alter_table":
        policyLifecycle.beforeAlterTable(this.#policyDdl(d), stmt);
        return tag(alter.alterTable(d, stmt, this.#ctx));
      case "rename": {
        if (stmt.objectType === "policy") return tag(policy.renamePolicy(this.#policyDdl(d), stmt));
        const after = policyLifecycle.beforeRename(this.#policyDdl(d), stmt);
        const done = alter.rename(d, stmt);
        after();
        return tag(done);
      }
    }
    let bound: { version: number; node: PlanNode | ModifyPlan; cols: OutCol[] | null };
    if (
      prepared?.plan && prepared.plan.version === this.store.version &&
      prepared.plan.rlsKey === this.#rlsKey() && !this.store.changedBy(txn)
    ) {
      bound = { ...prepared.plan, cols: null };
    } else {
      const env2 = this.#bindEnv(text, [...paramTypes]);
      const b = this.#bind(stmt, env2);
      if (b === null) {
        throw new DbError(
          SqlState.featureNotSupported,
          `${stmt.kind.replace(/_/g, " ").toUpperCase()} is not supported yet`,
        );
      }
      bound = { version: this.store.version, node: b.node, cols: b.cols };
      // Parameters given as text (or JS numbers) take the types the binder inferred.
      if (prepared === null) {
        for (let i = 0; i < _params.length; i++) {
          _params[i] = coerceParam(_params[i] ?? null, env2.paramTypes[i] || Oid.text, this.#ctx);
        }
      }
      if (prepared !== null && !this.store.changedBy(txn)) {
        prepared.plan = { version: bound.version, rlsKey: this.#rlsKey(), node: b.node };
      }
    }
    const node = bound.node;
    this.#checkPerms(permsOfPlan.get(node));
    for (const d of dmlCtesOf.get(node) ?? []) {
      env.ctes.set(d.id, (await runModify(d.plan, env)).rows);
    }
    if (isModify(node)) {
      const r = await runModify(node, env);
      const cols = node.returning.length ? toColumns(node.returningCols) : null;
      const command = node.kind === "insert"
        ? `INSERT 0 ${r.count}`
        : `${node.kind.toUpperCase()} ${r.count}`;
      return { command, columns: cols, rows: r.rows, rowCount: r.count };
    }
    const plan = node as PlanNode;
    const rows = await runPlan(plan, env);
    return {
      command: `SELECT ${rows.length}`,
      columns: toColumns(plan.cols),
      rows,
      rowCount: rows.length,
    };
  }

  async #database(
    stmt: Extract<Statement, { kind: "create_database" | "drop_database" }>,
  ): Promise<string> {
    const create = stmt.kind === "create_database";
    if (this.#explicit) {
      throw new DbError(
        SqlState.activeSqlTransaction,
        `${create ? "CREATE" : "DROP"} DATABASE cannot run inside a transaction block`,
      );
    }
    // Not transactional, as in PostgreSQL: its own transaction, committed now.
    const d: DatabaseDdlContext = {
      db: this.db,
      store: this.store,
      currentDatabase: this.database,
      roleOid: this.currentRoleOid(),
      sessionsOf: (name) =>
        [...hubs.get(this.db) ?? []].filter((s) => s !== this && s.database === name),
      notice: (message) => this.notices.push({ severity: "NOTICE", message }),
    };
    if (create) await createDatabase(d, stmt);
    else await dropDatabase(d, stmt);
    return create ? "CREATE DATABASE" : "DROP DATABASE";
  }

  /** COPY … FROM STDIN: the data chunks pgwire received (CopyData), then the command tag. */
  async copyIn(
    sql: string,
    data: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  ): Promise<QueryResult> {
    const [stmt] = parse(sql);
    if (stmt?.kind !== "copy" || !stmt.isFrom || stmt.target.kind !== "stdio") {
      throw new DbError(SqlState.featureNotSupported, "copyIn needs COPY … FROM STDIN");
    }
    const dec = new TextDecoder();
    let text = "";
    try {
      // Read inside the try: a failed COPY stream (CopyFail) fails the transaction block too.
      for await (const chunk of data) {
        text += typeof chunk === "string" ? chunk : dec.decode(chunk, { stream: true });
      }
      text += dec.decode();
      this.#copyText = text;
      const r = await this.#run(stmt, sql, [], [], null);
      if (!this.#explicit && this.#txn !== null) await this.#finish(true);
      return r;
    } catch (err) {
      await this.#fail(err);
      throw err;
    } finally {
      this.#copyText = null;
    }
  }

  /** COPY … TO STDOUT: the rows formatted as COPY text or CSV, and the command tag. */
  async copyOut(
    sql: string,
  ): Promise<{ command: string; columns: number; csv: boolean; data: string[] }> {
    const r = (await this.execute(sql))[0]!;
    return {
      command: r.command,
      columns: this.#copyColumns,
      csv: r.columns?.[0]?.name === "csv",
      data: r.rows.map((x) => x[0] as string),
    };
  }

  async #copy(
    stmt: Extract<Statement, { kind: "copy" }>,
    text: string,
    env: Env,
  ): Promise<QueryResult> {
    const f = copyFormat(stmt.options as never);
    if (stmt.target.kind !== "stdio") {
      throw new DbError(
        SqlState.insufficientPrivilege,
        "must be superuser or have privileges of the pg_read_server_files role to COPY from a file",
        {
          hint:
            "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.",
        },
      );
    }
    if (stmt.isFrom) {
      // The data is parsed after binding, so that binding's errors (RLS, privileges) come first.
      const copyText = this.#copyText;
      const ctx = this.#ctx;
      let types: { type: number; typmod: number }[] = [];
      const rel = stmt.relation!;
      const b = bindCopyFrom(
        new BindCtx(this.#bindEnv(text), null),
        rel,
        stmt.columns,
        () =>
          parseCopy(copyText ?? "", f).map((row, i) => {
            if (row.length < types.length) {
              throw new DbError(
                SqlState.badCopyFileFormat,
                `missing data for column "${stmt.columns[row.length] ?? row.length + 1}"`,
                {
                  where: `COPY ${rel.name}, line ${i + 1}`,
                },
              );
            }
            if (row.length > types.length) {
              throw new DbError(
                SqlState.badCopyFileFormat,
                "extra data after last expected column",
                { where: `COPY ${rel.name}, line ${i + 1}` },
              );
            }
            return row.map((
              v,
              k,
            ) => (v === null ? null : inputText(types[k]!.type, v, types[k]!.typmod, ctx)));
          }),
      );
      types = b.types;
      if (copyText === null) {
        throw new DbError(
          SqlState.featureNotSupported,
          "COPY FROM STDIN needs the copy-in protocol (session.copyIn)",
        );
      }
      const r = await runModify(b.plan, env);
      return { command: `COPY ${r.count}`, columns: null, rows: [], rowCount: r.count };
    }
    let plan: PlanNode;
    if (stmt.query !== null) {
      const bound = this.#bind(stmt.query, this.#bindEnv(text));
      if (bound === null || isModify(bound.node)) {
        throw new DbError(SqlState.featureNotSupported, "COPY (statement) supports queries only");
      }
      plan = bound.node as PlanNode;
    } else {
      const rel = stmt.relation!;
      const cols = stmt.columns.length ? stmt.columns.map((c) => `"${c}"`).join(", ") : "*";
      const q = parse(
        `SELECT ${cols} FROM ${rel.schema ? `"${rel.schema}".` : ""}"${rel.name}"`,
      )[0]!;
      plan = (this.#bind(q, this.#bindEnv(text)))!.node as PlanNode;
    }
    // COPY TO reads as a query does: the same privilege checks (SELECT on the table).
    this.#checkPerms(permsOfPlan.get(plan));
    const rows = await runPlan(plan, env);
    this.#copyColumns = plan.cols.length;
    const lines: string[] = [];
    if (f.header && f.csv) lines.push(formatCopyRow(plan.cols.map((c) => c.name), f));
    for (const r of rows) {
      lines.push(
        formatCopyRow(
          r.map((v, i) => (v === null ? null : outputText(plan.cols[i]!.type, v, this.#ctx))),
          f,
        ),
      );
    }
    return {
      command: `COPY ${rows.length}`,
      columns: [col(f.csv ? "csv" : "text", Oid.text)],
      rows: lines.map((l) => [l]),
      rowCount: rows.length,
    };
  }

  async #explain(
    stmt: Extract<Statement, { kind: "explain" }>,
    text: string,
    env: Env,
    paramTypes: number[],
  ): Promise<QueryResult> {
    const opt = (name: string, dflt: boolean): boolean => {
      const o = stmt.options.find((x) => x.name === name);
      if (o === undefined) return dflt;
      if (o.arg === null) return true;
      const v = String("value" in o.arg ? o.arg.value : "").toLowerCase();
      return !["false", "off", "0", "no"].includes(v);
    };
    const analyze = opt("analyze", false);
    const o = {
      analyze,
      costs: opt("costs", true),
      timing: opt("timing", analyze),
      verbose: opt("verbose", false),
      stats: undefined as Map<number, never> | undefined,
    };
    const t0 = performance.now();
    const b = this.#bind(stmt.statement, this.#bindEnv(text, [...paramTypes]));
    if (b === null) {
      throw new DbError(
        SqlState.featureNotSupported,
        `EXPLAIN of ${stmt.statement.kind} is not supported`,
      );
    }
    const planMs = performance.now() - t0;
    let lines: string[];
    const t1 = performance.now();
    if (analyze) {
      env.stats = new Map();
      o.stats = env.stats as Map<number, never>;
    }
    const node = b.node;
    if (isModify(node)) {
      if (analyze) await runModify(node, env);
      const src = explainLines(node.source, o);
      const verb = node.kind === "insert" ? "Insert" : node.kind === "update" ? "Update" : "Delete";
      const st = o.costs ? `  (cost=0.00..${node.source.est.total.toFixed(2)} rows=0 width=0)` : "";
      const act = analyze
        ? (o.timing
          ? ` (actual time=0.000..${(performance.now() - t1).toFixed(3)} rows=0 loops=1)`
          : " (actual rows=0 loops=1)")
        : "";
      lines = [
        `${verb} on ${node.table.name}${st}${act}`,
        ...src.map((l, i) => i === 0 ? `  ->  ${l}` : `      ${l}`),
      ];
    } else {
      if (analyze) await runPlan(node as PlanNode, env);
      lines = explainLines(node as PlanNode, o);
    }
    if (analyze) {
      lines.push(`Planning Time: ${planMs.toFixed(3)} ms`);
      lines.push(`Execution Time: ${(performance.now() - t1).toFixed(3)} ms`);
    }
    return {
      command: "EXPLAIN",
      columns: [col("QUERY PLAN", Oid.text)],
      rows: lines.map((l) => [l]),
      rowCount: lines.length,
    };
  }

  async #executeSql(
    stmt: Extract<Statement, { kind: "execute" }>,
    text: string,
  ): Promise<QueryResult> {
    const p = this.#prepared.get(stmt.name);
    if (p === undefined) {
      throw new DbError(
        SqlState.invalidSqlStatementName,
        `prepared statement "${stmt.name}" does not exist`,
      );
    }
    if (stmt.params.length !== p.paramTypes.length) {
      throw new DbError(
        SqlState.syntaxError,
        `wrong number of parameters for prepared statement "${stmt.name}"`,
        {
          detail: `Expected ${p.paramTypes.length} parameters but got ${stmt.params.length}.`,
        },
      );
    }
    const c = new BindCtx(this.#bindEnv(text), null);
    const values = stmt.params.map((e, i) => {
      const b = coerceExpr(c, e, p.paramTypes[i]!);
      return compile(b)([], new Env(this.#txn ?? this.#begin(), this.#ctx, []));
    });
    return await this.#run(p.stmt, p.sql, values, p.paramTypes, p);
  }

  async #transaction(
    stmt: Extract<Statement, { kind: "transaction" }>,
    text: string,
  ): Promise<QueryResult> {
    const tag = (t: string): QueryResult => ({
      command: t,
      columns: null,
      rows: [],
      rowCount: null,
    });
    switch (stmt.type) {
      case "begin": {
        const beginTag = /^start/i.test(text.slice(stmt.location, stmt.location + 5))
          ? "START TRANSACTION"
          : "BEGIN";
        if (this.#explicit) {
          this.notices.push({
            severity: "WARNING",
            message: "there is already a transaction in progress",
          });
          return tag(beginTag);
        }
        const iso = stmt.modes.find((m) => m.kind === "isolation_level") as
          | { level: string }
          | undefined;
        const ro = stmt.modes.find((m) => m.kind === "read_only") as { value: boolean } | undefined;
        if (this.#txn === null) {
          const level = iso?.level ?? this.settings.get("default_transaction_isolation") ??
            "read committed";
          this.#txn = this.db.begin({
            isolation: storageIsolation(level),
            readOnly: ro?.value ?? this.settings.get("default_transaction_read_only") === "on",
            pid: this.pid,
          });
          this.#ctx.transactionStart = nowMicros();
          this.settings.set("transaction_isolation", level, true, true);
          this.settings.set(
            "transaction_read_only",
            (ro?.value ?? this.settings.get("default_transaction_read_only") === "on")
              ? "on"
              : "off",
            true,
            true,
          );
        }
        this.#explicit = true;
        return tag(beginTag);
      }
      case "commit": {
        if (!this.#explicit) {
          this.notices.push({
            severity: "WARNING",
            message: "there is no transaction in progress",
          });
          if (this.#txn !== null) await this.#finish(true);
          return tag("COMMIT");
        }
        const failed = this.#failed;
        await this.#finish(!failed);
        return tag(failed ? "ROLLBACK" : "COMMIT");
      }
      case "rollback":
        if (!this.#explicit) {
          this.notices.push({
            severity: "WARNING",
            message: "there is no transaction in progress",
          });
        }
        await this.#finish(false);
        return tag("ROLLBACK");
      case "savepoint": {
        if (!this.#explicit) {
          throw new DbError(
            SqlState.noActiveSqlTransaction,
            "SAVEPOINT can only be used in transaction blocks",
          );
        }
        if (this.#failed) {
          throw new DbError(
            SqlState.inFailedSqlTransaction,
            "current transaction is aborted, commands ignored until end of transaction block",
          );
        }
        this.#savepoints.push({
          name: stmt.name!,
          sp: this.#txn!.savepoint(),
          settings: this.settings.mark(),
        });
        return tag("SAVEPOINT");
      }
      case "release":
      case "rollback_to": {
        if (!this.#explicit) {
          throw new DbError(
            SqlState.noActiveSqlTransaction,
            `${
              stmt.type === "release" ? "RELEASE SAVEPOINT" : "ROLLBACK TO SAVEPOINT"
            } can only be used in transaction blocks`,
          );
        }
        let i = this.#savepoints.length - 1;
        while (i >= 0 && this.#savepoints[i]!.name !== stmt.name) i--;
        if (i < 0) {
          throw new DbError(
            SqlState.invalidSavepointSpecification,
            `savepoint "${stmt.name}" does not exist`,
          );
        }
        const sp = this.#savepoints[i]!;
        if (stmt.type === "release") {
          this.#savepoints.length = i;
          return tag("RELEASE");
        }
        this.#txn!.rollbackTo(sp.sp);
        // Settings (SET ROLE among them) set after the savepoint are undone with it.
        this.settings.rollbackTo(sp.settings);
        this.store.forget(this.#txn!);
        this.#savepoints.length = i + 1;
        this.#failed = false;
        return tag("ROLLBACK");
      }
    }
    throw new DbError(SqlState.featureNotSupported, "two-phase commit is not supported");
  }

  #utility(stmt: Statement, text: string): QueryResult | null {
    const tag = (t: string): QueryResult => ({
      command: t,
      columns: null,
      rows: [],
      rowCount: null,
    });
    switch (stmt.kind) {
      case "variable_set": {
        if (stmt.fromCurrent) return tag("SET");
        const v = stmt.isDefault
          ? null
          : stmt.values.map((x) => "value" in x ? String(x.value) : "").join(", ");
        if (this.#roleSetting(stmt.name, v, stmt.local)) return tag("SET");
        if (v === null) this.settings.reset(stmt.name);
        else this.settings.set(stmt.name, v, stmt.local, this.#explicit);
        if (
          stmt.name === "transaction_isolation" || stmt.name === "default_transaction_isolation"
        ) void 0;
        return tag("SET");
      }
      case "variable_reset":
        if (stmt.name !== null && this.#roleSetting(stmt.name, null, false)) return tag("RESET");
        this.settings.reset(stmt.name);
        return tag("RESET");
      case "show": {
        if (stmt.name === "all") {
          const rows = [...this.settings.values.entries()].map((
            [k, v],
          ) => [settingNames[k] ?? k, v, ""]);
          return {
            command: `SHOW`,
            columns: ["name", "setting", "description"].map((n) => col(n, Oid.text)),
            rows,
            rowCount: rows.length,
          };
        }
        const v = this.settings.get(stmt.name);
        const name = stmt.name.toLowerCase();
        return {
          command: "SHOW",
          columns: [col(settingNames[name] ?? name, Oid.text)],
          rows: [[v]],
          rowCount: 1,
        };
      }
      case "set_transaction": {
        const iso = stmt.modes.find((m) => m.kind === "isolation_level") as
          | { level: string }
          | undefined;
        const ro = stmt.modes.find((m) => m.kind === "read_only") as { value: boolean } | undefined;
        if (stmt.session) {
          if (iso) this.settings.set("default_transaction_isolation", iso.level, false, false);
          if (ro) {
            this.settings.set(
              "default_transaction_read_only",
              ro.value ? "on" : "off",
              false,
              false,
            );
          }
        } else {
          if (!this.#explicit) {
            this.notices.push({
              severity: "WARNING",
              message: "SET TRANSACTION can only be used in transaction blocks",
            });
            return tag("SET");
          }
          if (iso) this.settings.set("transaction_isolation", iso.level, true, true);
          if (ro) this.settings.set("transaction_read_only", ro.value ? "on" : "off", true, true);
        }
        return tag("SET");
      }
      case "prepare": {
        if (this.#prepared.has(stmt.name)) {
          throw new DbError(
            SqlState.duplicatePreparedStatement,
            `prepared statement "${stmt.name}" already exists`,
          );
        }
        const env = this.#bindEnv(text);
        const types = stmt.argTypes.map((tn) => analyze.resolveType(env, tn).oid);
        const sqlText = text.slice(
          stmt.statement.location,
          stmt.statement.location + (stmt.statement as { textLength?: number }).textLength! ||
            text.length,
        );
        const bound = this.#bind(stmt.statement, this.#bindEnv(text, types));
        const fixed = types.map((x) => x === 0 || x === Oid.unknown ? Oid.text : x);
        this.#prepared.set(stmt.name, {
          sql: text,
          stmt: stmt.statement,
          paramTypes: fixed,
          columns: bound?.cols ? toColumns(bound.cols) : null,
          plan: null,
          portal: null,
          statementText: text.slice(stmt.location, stmtEndOf(text, stmt.location)),
        });
        void sqlText;
        return tag("PREPARE");
      }
      case "deallocate":
        if (stmt.name === null) this.#prepared.clear();
        else if (!this.#prepared.delete(stmt.name)) {
          throw new DbError(
            SqlState.invalidSqlStatementName,
            `prepared statement "${stmt.name}" does not exist`,
          );
        }
        return tag(stmt.name === null ? "DEALLOCATE ALL" : "DEALLOCATE");
      case "vacuum":
        if (stmt.isVacuum && this.#explicit) {
          throw new DbError(
            SqlState.activeSqlTransaction,
            "VACUUM cannot run inside a transaction block",
          );
        }
        return tag(stmt.isVacuum ? "VACUUM" : "ANALYZE");
      case "discard":
        if (stmt.target === "all" && this.#explicit) {
          throw new DbError(
            SqlState.activeSqlTransaction,
            "DISCARD ALL cannot run inside a transaction block",
          );
        }
        this.#prepared.clear();
        this.listening.clear();
        // DISCARD ALL is SET SESSION AUTHORIZATION DEFAULT; RESET ALL.
        this.#roleSetting("session_authorization", null, false);
        this.settings.reset(null);
        return tag("DISCARD ALL");
      case "listen":
        this.listening.add(stmt.channel);
        return tag("LISTEN");
      case "unlisten":
        if (stmt.channel === null) this.listening.clear();
        else this.listening.delete(stmt.channel);
        return tag("UNLISTEN");
      case "notify":
        this.notify(stmt.channel, stmt.payload ?? "");
        return tag("NOTIFY");
      case "create_extension":
        return tag("CREATE EXTENSION");
    }
    return null;
  }
}

function isModify(n: PlanNode | ModifyPlan): n is ModifyPlan {
  return "kind" in n && (n.kind === "insert" || n.kind === "update" || n.kind === "delete");
}

function storageIsolation(level: string): "read committed" | "repeatable read" {
  return level === "repeatable read" || level === "serializable"
    ? "repeatable read"
    : "read committed";
}

/** A duration setting in milliseconds (plain numbers are ms; units ms, s, min, h, d). */
export function parseMs(v: string): number {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(v);
  if (m === null) return 0;
  const n = Number(m[1]);
  const unit = (m[2] ?? "ms").toLowerCase();
  return n *
    ({ ms: 1, s: 1000, min: 60000, h: 3600000, d: 86400000 } as Record<string, number>)[unit]!;
}

function stmtEndOf(text: string, start: number): number {
  const i = text.indexOf(";", start);
  return i < 0 ? text.length : i;
}

function col(name: string, typeOid: number): ColumnInfo {
  return { name, typeOid, typmod: -1, tableOid: 0, columnNumber: 0 };
}

function toColumns(cols: OutCol[]): ColumnInfo[] {
  return cols.map((c) => ({
    name: c.name,
    typeOid: c.type === Oid.unknown ? Oid.text : c.type,
    typmod: c.typmod,
    tableOid: c.tableOid,
    columnNumber: c.attnum,
  }));
}

function coerceParam(v: Datum, type: number, ctx: EngineContext): Datum {
  if (v === null || typeof v !== "string") {
    if (typeof v === "number" && type === Oid.int8) return BigInt(v);
    return v;
  }
  if (type === Oid.text || type === Oid.varchar || type === Oid.unknown) return v;
  return inputText(type, v, -1, ctx);
}

export { outputText };

/** Opens a session on `db` (28000 unknown role, 3D000 unknown database). */
export async function connect(db: Database, opts: ConnectOptions): Promise<Session> {
  const cat = (await CatalogStore.of(db)).shared();
  if (!cat.roles.has(opts.user)) {
    throw new DbError(
      SqlState.invalidAuthorizationSpecification,
      `role "${opts.user}" does not exist`,
      { severity: "FATAL" },
    );
  }
  if (!cat.databases.has(opts.database)) {
    throw new DbError(SqlState.invalidCatalogName, `database "${opts.database}" does not exist`, {
      severity: "FATAL",
    });
  }
  const roleOid = cat.roles.get(opts.user)!.oid;
  const dbOid = cat.databases.get(opts.database)!.oid;
  const open = [...(hubs.get(db) ?? [])];
  checkConnectionLimits(cat, roleOid, dbOid, {
    ofRole: open.filter((s) => s.user === opts.user).length,
    ofDatabase: open.filter((s) => s.database === opts.database).length,
  });
  checkConnect(cat, roleOid, opts.database);
  // The session sees its database's objects (and the shared ones): its own store.
  const store = (await CatalogStore.of(db)).database(cat.databases.get(opts.database)!.oid);
  if (needsSetup(store)) {
    const admin = new Session(db, store, "postgres", opts.database, {
      user: "postgres",
      database: opts.database,
    });
    try {
      await setupDatabase(db, store, (sql) => admin.execute(sql));
    } finally {
      await admin.close();
    }
  }
  const roleSettings = connectSettings(cat, roleOid, dbOid);
  return new Session(db, store, opts.user, opts.database, { ...opts, roleSettings });
}
