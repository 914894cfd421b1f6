/**
 * @module What a pgwire connection needs from the SQL engine, after PostgreSQL's own split of
 * postgres.c: `simpleQuery` is exec_simple_query, `prepare` exec_parse_message, `bind`
 * exec_bind_message, `execute` exec_execute_message, `sync` finish_xact_command. The protocol
 * layer owns names (statements, portals), formats, framing and errors on the wire; the engine owns
 * SQL, types, transactions and values. docs/pgwire.md describes the contract in full.
 */
import type { DbError } from "../../db/sqlstate.ts";
import type { JwtClaims } from "../auth/mod.ts";
import type { BinaryOut } from "./codec.ts";
import type { FormatCode } from "./messages.ts";

export type { BinaryOut, FormatCode };

/** ReadyForQuery's status: idle, in a transaction block, in a failed transaction block. */
export type TransactionStatus = "I" | "T" | "E";

/** Output functions of one type (PostgreSQL's typoutput and typsend), supplied by db/types. */
export interface OutputCodec {
  /** The text form of a non-null value. */
  text(value: unknown): string;
  /** Writes the binary form of a non-null value; absent when the type has none. */
  binary?(value: unknown, out: BinaryOut): void;
}

/** One result column, as RowDescription describes it, with its output functions. */
export interface Column {
  name: string;
  /** OID of the table the column comes from, or 0. */
  tableOid: number;
  /** Attribute number in that table, or 0. */
  columnNumber: number;
  typeOid: number;
  /** pg_type.typlen: -1 varlena, -2 cstring, else fixed bytes. */
  typeSize: number;
  /** pg_attribute.atttypmod, -1 when none. */
  typeModifier: number;
  output: OutputCodec;
}

/** COPY's wire format: text and csv are sent as text (0), binary as 1. */
export interface CopyFormat {
  /** The overall format: 0 text or csv, 1 binary. */
  format: FormatCode;
  /** One format per copied column. */
  columnFormats: readonly FormatCode[];
}

/** Where COPY TO STDOUT writes; `data` may be awaited for backpressure. */
export interface CopyOut {
  data(chunk: Uint8Array | string): Promise<void> | void;
  /** Sends CopyDone; the statement then reports its tag. */
  done(): void;
}

/** What an executing statement reports to (one per Execute or simple Query). */
export interface RowSink {
  /** Appends one row, one value per column (null or undefined for SQL NULL). */
  row(values: readonly unknown[]): void;
  /**
   * Writes buffered replies once they exceed the flush size; a long statement awaits this at its
   * yield points so that a large result streams instead of piling up in memory.
   */
  drain(): Promise<void>;
  /**
   * Sends CopyInResponse and yields the client's CopyData until CopyDone. A CopyFail throws
   * 57014 `COPY from stdin failed: …`. Each chunk is valid until the next one is asked for.
   */
  copyIn(format: CopyFormat): AsyncIterable<Uint8Array>;
  /** Sends CopyOutResponse and returns the stream to write to. */
  copyOut(format: CopyFormat): CopyOut;
}

/** A simple Query's sink: statements report their row shape, rows, and completion in turn. */
export interface QuerySink extends RowSink {
  /** A statement that returns rows begins: sends RowDescription (text format). */
  startRows(columns: readonly Column[]): void;
  /** A statement finished: sends CommandComplete with `tag` (`SELECT 3`, `INSERT 0 1`, …). */
  complete(tag: string): void;
  /** The query string held no statement: sends EmptyQueryResponse. */
  emptyQuery(): void;
}

/** How an Execute ended. */
export type ExecuteResult =
  | { kind: "complete"; tag: string }
  | { kind: "suspended" }
  | { kind: "empty" };

/** Parameter values for a bind; `values` are views into the read buffer, valid until it resolves. */
export interface BindParams {
  values: readonly (Uint8Array | null)[];
  /** One format per value. */
  formats: readonly FormatCode[];
  /** One format per result column (the protocol layer encodes rows with these). */
  resultFormats: readonly FormatCode[];
}

/** A portal: a bound statement ready to run (possibly in several Execute steps). */
export interface Portal {
  /** The result columns, or null when the statement returns no rows. */
  readonly columns: readonly Column[] | null;
  /** Runs until done or `maxRows` rows (0 = all) were sent; rows go to `sink`. */
  execute(maxRows: number, sink: RowSink): Promise<ExecuteResult>;
  close(): void;
}

/** A prepared statement (the plan is cached by the engine; the door never parses SQL). */
export interface Statement {
  /** The parameter types, as given or inferred. */
  readonly paramTypeOids: readonly number[];
  /** The result columns, or null when the statement returns no rows. */
  readonly columns: readonly Column[] | null;
  /** Binds parameter values; decoding errors are DbErrors (22P02, 22P03, …). */
  bind(params: BindParams): Promise<Portal>;
  close(): void;
}

/** A notification from LISTEN/NOTIFY. */
export interface Notification {
  processId: number;
  channel: string;
  payload: string;
}

/** What a session sends outside of a statement's own results. */
export interface SessionEvents {
  /** A NoticeResponse (severity WARNING, NOTICE, INFO, LOG or DEBUG in the error's fields). */
  notice(notice: DbError): void;
  /** A NotificationResponse; the engine calls it when PostgreSQL would deliver (after commit, idle). */
  notification(n: Notification): void;
  /** A reported setting changed (SET TimeZone, application_name, …): sends ParameterStatus. */
  parameterStatus(name: string, value: string): void;
}

/** One engine session, bound to one connection. */
export interface Session {
  readonly transactionStatus: TransactionStatus;
  /** Runs every statement of `sql` (implicit transaction as PostgreSQL); throws the first error. */
  simpleQuery(sql: string, sink: QuerySink): Promise<void>;
  /** Parses and plans one statement; `paramTypeOids` entries of 0 are inferred. */
  prepare(sql: string, paramTypeOids: readonly number[]): Promise<Statement>;
  /** Sync: ends the implicit transaction of an extended-query pipeline (commit, or rollback after an error). */
  sync(): Promise<void>;
  /** A CancelRequest for this session: the running statement fails with 57014 at its next yield. */
  cancel(): void;
  /** The connection ended: roll back and release everything. */
  close(): Promise<void>;
}

/** What a session starts with. */
export interface SessionStart {
  user: string;
  database: string;
  applicationName: string;
  superuser: boolean;
  /** The verified JWT claims of a JWT-role login, for row-level security. */
  claims?: JwtClaims;
  /** Every startup parameter as sent (DateStyle, TimeZone, options, …). */
  parameters: ReadonlyMap<string, string>;
  /** The BackendKeyData process id, which notifications name as their sender. */
  processId: number;
}

/** How a role logs in over pgwire. */
export interface RoleInfo {
  superuser: boolean;
  /** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`; absent: no password login. */
  scramVerifier?: string;
  /** VALID UNTIL as epoch milliseconds (Infinity for 'infinity'); absent: no expiry. */
  validUntilMs?: number;
}

/** The SQL engine as the protocol layer sees it. */
export interface Backend {
  /** The login facts of role `name`, or undefined when there is no such role. */
  role(name: string): RoleInfo | undefined;
  hasDatabase(name: string): boolean;
  /** Starts a session; the engine may call `events.parameterStatus` before it resolves. */
  startSession(start: SessionStart, events: SessionEvents): Promise<Session>;
}
