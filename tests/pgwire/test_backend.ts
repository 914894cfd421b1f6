// deno-lint-ignore-file require-yield -- statements without rows are generators with no yield
/**
 * @module Test scaffolding, never shipped: a tiny pgwire Backend that answers a fixed set of
 * statements (`select 1`, `select generate_series(1, n)`, `select $1::int4 …`, begin/commit,
 * an error, a cancellable sleep, COPY in and out of one text table, LISTEN/NOTIFY, a notice,
 * SET application_name), so the protocol layer can be tested with real clients before the SQL
 * engine exists.
 */
import { DbError, SqlState } from "../../db/sqlstate.ts";
import type {
  Backend,
  BinaryOut,
  BindParams,
  Column,
  ExecuteResult,
  Notification,
  OutputCodec,
  Portal,
  QuerySink,
  RoleInfo,
  RowSink,
  Session,
  SessionEvents,
  SessionStart,
  Statement,
  TransactionStatus,
} from "../../src/pgwire/mod.ts";

const int4: OutputCodec = {
  text: (v) => String(v),
  binary: (v, out: BinaryOut) => out.int32(v as number),
};
const text: OutputCodec = { text: (v) => String(v), binary: (v, out) => out.utf8(String(v)) };

/** A result column of type int4 (23) or text (25). */
export function column(name: string, type: "int4" | "text"): Column {
  return {
    name,
    tableOid: 0,
    columnNumber: 0,
    typeOid: type === "int4" ? 23 : 25,
    typeSize: type === "int4" ? 4 : -1,
    typeModifier: -1,
    output: type === "int4" ? int4 : text,
  };
}

/** One planned statement of the fixed set. */
interface Plan {
  paramTypes: number[];
  columns: Column[] | null;
  /** Runs with decoded parameters; yields rows; returns the command tag. */
  run(
    session: TestSession,
    params: unknown[],
    sink: RowSink | QuerySink,
  ): AsyncGenerator<unknown[], string>;
}

function decodeParam(type: number, value: Uint8Array | null, format: number): unknown {
  if (value === null) return null;
  if (type === 23) {
    if (format === 1) {
      if (value.length !== 4) {
        throw new DbError(
          SqlState.invalidBinaryRepresentation,
          "incorrect binary data format in bind parameter 1",
        );
      }
      return new DataView(value.buffer, value.byteOffset, 4).getInt32(0);
    }
    const s = new TextDecoder().decode(value);
    if (!/^\s*-?\d+\s*$/.test(s)) {
      throw new DbError(
        SqlState.invalidTextRepresentation,
        `invalid input syntax for type integer: "${s}"`,
      );
    }
    return Number(s);
  }
  return new TextDecoder().decode(value);
}

function plan(sqlRaw: string, oids: readonly number[]): Plan {
  const sql = sqlRaw.trim().replace(/;$/, "").trim().toLowerCase();
  let m: RegExpExecArray | null;
  if ((m = /^select (\d+)(?: as (\w+))?$/.exec(sql))) {
    const n = Number(m[1]);
    return {
      paramTypes: [],
      columns: [column(m[2] ?? "?column?", "int4")],
      async *run() {
        yield [n];
        return "SELECT 1";
      },
    };
  }
  if ((m = /^select generate_series\(1, ?(\d+)\)$/.exec(sql))) {
    const n = Number(m[1]);
    return {
      paramTypes: [],
      columns: [column("generate_series", "int4")],
      async *run() {
        for (let i = 1; i <= n; i++) yield [i];
        return `SELECT ${n}`;
      },
    };
  }
  if ((m = /^select \$1::(int4|int|integer|text)(?: \+ (\d+))?(?: as (\w+))?$/.exec(sql))) {
    const type = m[1] === "text" ? "text" : "int4";
    const add = m[2] === undefined ? 0 : Number(m[2]);
    return {
      paramTypes: [type === "int4" ? 23 : 25],
      // PostgreSQL names `$1::int4` after the type and `$1::int4 + 1` "?column?".
      columns: [column(m[3] ?? (m[2] === undefined ? type : "?column?"), type)],
      async *run(_s, params) {
        const v = params[0];
        yield [v === null ? null : type === "int4" ? (v as number) + add : v];
        return "SELECT 1";
      },
    };
  }
  if (sql === "select count(*) from pgbench_branches") {
    return {
      paramTypes: [],
      columns: [column("count", "int4")],
      async *run() {
        yield [1];
        return "SELECT 1";
      },
    };
  }
  if (sql.includes("pg_catalog.pg_partitioned_table")) {
    // pgbench's partition probe: pgbench_accounts is found and is not partitioned.
    return {
      paramTypes: [],
      columns: [column("n", "int4"), column("partstrat", "text"), column("count", "int4")],
      async *run() {
        yield [1, null, 0];
        return "SELECT 1";
      },
    };
  }
  if (/^select abalance from pgbench_accounts where aid = (\$1|\d+)$/.test(sql)) {
    return {
      paramTypes: sql.endsWith("$1") ? [23] : [],
      columns: [column("abalance", "int4")],
      async *run() {
        yield [0];
        return "SELECT 1";
      },
    };
  }
  if (sql === "select 1/0") {
    // PostgreSQL folds the constant while planning: the error comes before any RowDescription.
    throw new DbError(SqlState.divisionByZero, "division by zero", {
      detail: "a detail",
      hint: "a hint",
      position: 9,
      schema: "public",
      table: "t",
      column: "c",
      dataType: "int4",
      constraint: "k",
      where: "somewhere",
    });
  }
  if (sql === "select pg_sleep(10)") {
    return {
      paramTypes: [],
      columns: [column("pg_sleep", "text")],
      async *run(session) {
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 5));
          session.checkCancel();
        }
        return "SELECT 1";
      },
    };
  }
  if (/^(begin|start transaction)$/.test(sql)) return control("BEGIN", (s) => s.begin());
  if (/^(commit|end)$/.test(sql)) return control("COMMIT", (s) => s.commit());
  if (sql === "rollback") return control("ROLLBACK", (s) => s.rollback());
  if ((m = /^listen "?(\w+)"?$/.exec(sql))) {
    const ch = m[1]!;
    return control("LISTEN", (s) => void s.backend.listeners.add({ session: s, channel: ch }));
  }
  if ((m = /^notify (\w+)(?:, '([^']*)')?$/.exec(sql))) {
    const channel = m[1]!;
    const payload = m[2] ?? "";
    return control("NOTIFY", (s) => s.notify(channel, payload));
  }
  if (sql === "select pg_notify($1, $2)") {
    return {
      paramTypes: [25, 25],
      columns: [column("pg_notify", "text")],
      async *run(s, params) {
        s.notify(String(params[0]), String(params[1]));
        yield [""];
        return "SELECT 1";
      },
    };
  }
  if (sql === "do notice") {
    return control(
      "DO",
      (s) =>
        s.events.notice(
          new DbError(SqlState.warning, "hello from the server", { severity: "NOTICE" }),
        ),
    );
  }
  if ((m = /^set application_name = '([^']*)'$/.exec(sql))) {
    const v = m[1]!;
    return control("SET", (s) => s.events.parameterStatus("application_name", v));
  }
  if (sql === "create table t (a text)") {
    return control("CREATE TABLE", (s) => void s.backend.table.splice(0));
  }
  if (sql === "drop table t") return control("DROP TABLE", (s) => void s.backend.table.splice(0));
  if (sql === "copy t from stdin" || sql === "copy t from stdin (format csv)") {
    return {
      paramTypes: [],
      columns: null,
      async *run(session, _p, sink) {
        let text = "";
        const dec = new TextDecoder();
        for await (const chunk of sink.copyIn({ format: 0, columnFormats: [0] })) {
          text += dec.decode(chunk, { stream: true });
        }
        const rows = text.split("\n").filter((l) => l !== "" && l !== "\\.");
        session.backend.table.push(...rows);
        return `COPY ${rows.length}`;
      },
    };
  }
  if (sql === "copy t to stdout") {
    return {
      paramTypes: [],
      columns: null,
      async *run(session, _p, sink) {
        const out = sink.copyOut({ format: 0, columnFormats: [0] });
        for (const line of session.backend.table) await out.data(`${line}\n`);
        out.done();
        return `COPY ${session.backend.table.length}`;
      },
    };
  }
  if (sql === "") {
    return {
      paramTypes: [],
      columns: null,
      async *run() {
        return "";
      },
    };
  }
  void oids;
  throw new DbError(SqlState.syntaxError, `test backend does not know "${sqlRaw}"`, {
    position: 1,
  });
}

function control(tag: string, act: (s: TestSession) => void): Plan {
  return {
    paramTypes: [],
    columns: null,
    async *run(s) {
      act(s);
      return tag;
    },
  };
}

class TestPortal implements Portal {
  #gen: AsyncGenerator<unknown[], string> | undefined;
  constructor(
    readonly session: TestSession,
    readonly plan: Plan,
    readonly params: unknown[],
    readonly columns: readonly Column[] | null,
    readonly empty: boolean,
  ) {}

  async execute(maxRows: number, sink: RowSink): Promise<ExecuteResult> {
    if (this.empty) return { kind: "empty" };
    return await this.session.guard(async () => {
      this.#gen ??= this.plan.run(this.session, this.params, sink);
      let sent = 0;
      for (;;) {
        if (maxRows > 0 && sent === maxRows) return { kind: "suspended" };
        const r = await this.#gen.next();
        // As PostgreSQL, a SELECT's tag counts the rows of this Execute only.
        if (r.done) {
          return {
            kind: "complete",
            tag: r.value.startsWith("SELECT ") ? `SELECT ${sent}` : r.value,
          };
        }
        sink.row(r.value);
        sent++;
      }
    });
  }

  close(): void {}
}

class TestStatement implements Statement {
  readonly paramTypeOids: readonly number[];
  readonly columns: readonly Column[] | null;
  constructor(readonly session: TestSession, readonly plan: Plan, readonly empty: boolean) {
    this.paramTypeOids = plan.paramTypes;
    this.columns = plan.columns;
  }

  bind(p: BindParams): Promise<Portal> {
    const params = p.values.map((v, i) => decodeParam(this.paramTypeOids[i]!, v, p.formats[i]!));
    return Promise.resolve(
      new TestPortal(this.session, this.plan, params, this.columns, this.empty),
    );
  }

  close(): void {}
}

/** One session of the test backend. */
export class TestSession implements Session {
  transactionStatus: TransactionStatus = "I";
  #cancelled = false;
  #pending: Notification[] = [];
  constructor(
    readonly backend: TestBackend,
    readonly start: SessionStart,
    readonly events: SessionEvents,
  ) {}

  checkCancel(): void {
    if (this.#cancelled) {
      this.#cancelled = false;
      throw new DbError(SqlState.queryCanceled, "canceling statement due to user request");
    }
  }

  begin(): void {
    this.transactionStatus = "T";
  }

  commit(): void {
    this.transactionStatus = "I";
    this.backend.deliver(this.#pending.splice(0));
  }

  rollback(): void {
    this.transactionStatus = "I";
    this.#pending = [];
  }

  notify(channel: string, payload: string): void {
    const n = { processId: this.start.processId, channel, payload };
    if (this.transactionStatus === "I") this.backend.deliver([n]);
    else this.#pending.push(n);
  }

  /** Runs a statement under the failed-transaction rule; an error fails an open block. */
  async guard<T>(f: () => Promise<T>): Promise<T> {
    this.#cancelled = false;
    try {
      return await f();
    } catch (err) {
      if (this.transactionStatus === "T") this.transactionStatus = "E";
      throw err;
    }
  }

  #check(sql: string): void {
    if (this.transactionStatus === "E" && !/^\s*(commit|rollback|end)\s*;?\s*$/i.test(sql)) {
      throw new DbError(
        SqlState.inFailedSqlTransaction,
        "current transaction is aborted, commands ignored until end of transaction block",
      );
    }
  }

  async simpleQuery(sql: string, sink: QuerySink): Promise<void> {
    const parts = sql.split(";").map((s) => s.trim()).filter((s) => s !== "");
    if (parts.length === 0) return sink.emptyQuery();
    for (const part of parts) {
      await this.guard(async () => {
        this.#check(part);
        const p = plan(part, []);
        if (p.columns !== null) sink.startRows(p.columns);
        const gen = p.run(this, [], sink);
        for (;;) {
          const r = await gen.next();
          if (r.done) return sink.complete(r.value);
          sink.row(r.value);
        }
      });
    }
  }

  prepare(sql: string, paramTypeOids: readonly number[]): Promise<Statement> {
    return this.guard(() => {
      this.#check(sql);
      const p = plan(sql, paramTypeOids);
      return Promise.resolve(new TestStatement(this, p, sql.trim() === ""));
    });
  }

  sync(): Promise<void> {
    return Promise.resolve();
  }

  cancel(): void {
    this.#cancelled = true;
  }

  close(): Promise<void> {
    this.backend.sessions.delete(this);
    for (const l of [...this.backend.listeners]) {
      if (l.session === this) this.backend.listeners.delete(l);
    }
    return Promise.resolve();
  }
}

/** The test backend: one database `postgres`, the roles given, a text table for COPY. */
export class TestBackend implements Backend {
  readonly sessions = new Set<TestSession>();
  readonly listeners = new Set<{ session: TestSession; channel: string }>();
  readonly table: string[] = [];
  readonly started: SessionStart[] = [];

  constructor(readonly roles: ReadonlyMap<string, RoleInfo>) {}

  role(name: string): RoleInfo | undefined {
    return this.roles.get(name);
  }

  hasDatabase(name: string): boolean {
    return name === "postgres";
  }

  startSession(start: SessionStart, events: SessionEvents): Promise<Session> {
    const s = new TestSession(this, start, events);
    this.sessions.add(s);
    this.started.push(start);
    return Promise.resolve(s);
  }

  deliver(ns: Notification[]): void {
    for (const n of ns) {
      for (const l of this.listeners) {
        if (l.channel === n.channel) l.session.events.notification(n);
      }
    }
  }
}
