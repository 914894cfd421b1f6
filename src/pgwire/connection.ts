/**
 * @module One client connection: startup (SSLRequest/GSSENCRequest answered 'N', CancelRequest,
 * protocol 3.0), authentication, then the query loop: simple Query, the extended protocol
 * (Parse/Bind/Describe/Execute/Sync/Flush/Close with the skip-until-Sync rule), COPY, notices
 * and notifications. Replies accumulate in one buffer and are written once no complete message
 * is left to process, so a pipeline gets one write.
 */
import { DbError, SqlState } from "../../db/sqlstate.ts";
import type { JwtVerifier } from "../auth/mod.ts";
import { log } from "../telemetry/mod.ts";
import { version } from "../version.ts";
import { authenticate } from "./auth.ts";
import type {
  Backend,
  Column,
  CopyFormat,
  CopyOut,
  Notification,
  QuerySink,
  RoleInfo,
  Session,
} from "./backend.ts";
import { MessageCursor, protocolViolation, typeName, WireWriter } from "./codec.ts";
import { Framer } from "./framer.ts";
import { type ExtendedState, handleExtended } from "./extended.ts";
import { pgwireLimits } from "./limits.ts";
import { decodeQuery, type FormatCode, Frontend } from "./messages.ts";
import {
  AuthCode,
  Reply,
  toDbError,
  writeAuth,
  writeBackendKeyData,
  writeCommandComplete,
  writeCopyData,
  writeCopyResponse,
  writeDataRow,
  writeEmpty,
  writeError,
  writeNegotiateProtocolVersion,
  writeNotification,
  writeParameterStatus,
  writeReadyForQuery,
  writeRowDescription,
} from "./replies.ts";
import { checkClientEncoding, decodeStartup, protocolMinor } from "./startup.ts";
import type { Transport } from "./transport.ts";

/** What the listener provides to each connection. */
export interface ConnectionHost {
  readonly backend: Backend;
  readonly jwt: JwtVerifier;
  readonly roleOverrides: ReadonlyMap<string, RoleInfo>;
  readonly mockSecret: Uint8Array;
  readonly authFailureDelayMs: number;
  readonly startupTimeoutMs: number;
  /** Takes a session slot; false when max connections are in use. */
  admit(): boolean;
  /** Returns the slot taken by {@link admit}. */
  release(): void;
  /** Registers a session for CancelRequest; returns its process id and secret key. */
  register(conn: Connection): { processId: number; secretKey: number };
  unregister(processId: number): void;
  cancel(processId: number, secretKey: number): void;
  /** Counts write calls (the pipelining test reads it). */
  countWrite(): void;
}

const resolved = Promise.resolve();

class Closed extends Error {}

/** One client connection's state machine. */
export class Connection implements QuerySink, ExtendedState {
  readonly out = new WireWriter();
  readonly cursor = new MessageCursor();
  readonly statements = new Map();
  readonly portals = new Map();
  session: Session | undefined;
  skipTillSync = false;
  #framer = new Framer();
  #transport: Transport;
  #host: ConnectionHost;
  #flushing: Promise<void> | undefined;
  #idle = false;
  #midPipeline = false;
  #admitted = false;
  #ready = false;
  #processId = 0;
  #pendingParams = new Map<string, string>();
  #notificationsPending = 0;
  #closed = false;
  // The row shape the sink encodes with; set per statement or Execute.
  #columns: readonly Column[] | null = null;
  #formats: readonly FormatCode[] | undefined;

  constructor(transport: Transport, host: ConnectionHost) {
    this.#transport = transport;
    this.#host = host;
  }

  /** Serves the connection until it ends; never throws. */
  async run(): Promise<void> {
    const timer = setTimeout(() => this.#abort(), this.#host.startupTimeoutMs);
    try {
      const started = await this.#start();
      clearTimeout(timer);
      if (started) await this.#loop();
    } catch (err) {
      if (!(err instanceof Closed) && !this.#closed) await this.#fatal(err);
    } finally {
      clearTimeout(timer);
      await this.#end();
    }
  }

  /** Ends the connection with a FATAL error (server shutdown). */
  async terminate(err: DbError): Promise<void> {
    if (this.#closed) return;
    // A running statement is cancelled so that shutdown does not wait for it to finish.
    this.session?.cancel();
    await this.#fatal(err);
    this.#abort();
  }

  /** Routes a CancelRequest to the session. */
  cancel(): void {
    this.session?.cancel();
  }

  // ---- reading ----

  /** Reads until one complete message is framed; false at end of stream. */
  async #next(): Promise<boolean> {
    while (!this.#framer.next()) {
      // Mid-pipeline (after Parse/Bind/Execute … with no Sync or Flush yet) the client is still
      // sending, and the protocol owes it nothing yet: replies wait, as PostgreSQL's do.
      if (!this.#midPipeline || this.out.length >= pgwireLimits.flushBytes) await this.flush();
      let n: number | null;
      try {
        n = await this.#transport.read(this.#framer.space());
      } catch {
        n = null;
      }
      if (n === null) return false;
      this.#framer.commit(n);
    }
    this.cursor.reset(this.#framer.buf, this.#framer.bodyStart, this.#framer.bodyEnd);
    return true;
  }

  async #nextOrClosed(): Promise<number> {
    if (!await this.#next()) throw new Closed();
    return this.#framer.type;
  }

  // ---- startup and authentication ----

  async #start(): Promise<boolean> {
    let negotiations = 0;
    let packet;
    for (;;) {
      if (!await this.#next()) return false;
      packet = decodeStartup(this.cursor);
      if (packet.kind === "cancel") {
        this.#host.cancel(packet.processId, packet.secretKey);
        return false;
      }
      if (packet.kind === "startup") break;
      if (++negotiations > 2) throw protocolViolation("too many encryption requests");
      const startTls = this.#transport.startTls;
      if (packet.kind === "ssl" && startTls !== undefined) {
        // Bytes sent before the handshake would be trusted as if encrypted (CVE-2021-23214).
        if (this.#framer.buffered > 0) {
          throw protocolViolation("received unencrypted data after SSL request");
        }
        this.out.int8(0x53); // 'S'
        await this.flush();
        this.#transport = await startTls();
        continue;
      }
      this.out.int8(0x4e); // 'N': no TLS (not configured, or already on), no GSSAPI encryption.
    }
    this.#framer.startup = false;
    const params = packet.parameters;
    checkClientEncoding(params.get("client_encoding"));
    if (!this.#host.admit()) {
      throw new DbError(SqlState.tooManyConnections, "sorry, too many clients already", {
        severity: "FATAL",
      });
    }
    this.#admitted = true;
    if (packet.minor > protocolMinor || packet.unrecognized.length > 0) {
      writeNegotiateProtocolVersion(this.out, protocolMinor, packet.unrecognized);
    }
    const user = params.get("user")!;
    const host = this.#host;
    const role = host.roleOverrides.get(user) ?? host.backend.role(user);
    const login = await authenticate(this, {
      user,
      role,
      jwt: host.jwt,
      mockSecret: host.mockSecret,
      failureDelayMs: host.authFailureDelayMs,
      certificate: this.#transport.certificate,
    });
    writeAuth(this.out, AuthCode.ok);
    const database = params.get("database") || user;
    if (!host.backend.hasDatabase(database)) {
      throw new DbError(SqlState.invalidCatalogName, `database "${database}" does not exist`, {
        severity: "FATAL",
      });
    }
    const { processId, secretKey } = host.register(this);
    this.#processId = processId;
    const applicationName = params.get("application_name") ?? "";
    const reported = defaultParameters(user, applicationName, login.superuser);
    this.#pendingParams = reported;
    this.session = await host.backend.startSession({
      user,
      database,
      applicationName,
      superuser: login.superuser,
      claims: login.claims,
      parameters: params,
      processId,
    }, this.#events());
    for (const [name, value] of reported) writeParameterStatus(this.out, name, value);
    writeBackendKeyData(this.out, processId, secretKey);
    this.#ready = true;
    this.#readyForQuery();
    return true;
  }

  /** For authentication: the next message must be a password message. */
  async readPassword(): Promise<MessageCursor> {
    const type = await this.#nextOrClosed();
    if (type !== Frontend.password) {
      throw protocolViolation(
        `expected password response, got message type ${typeName(type)}`,
      );
    }
    return this.cursor;
  }

  #events() {
    return {
      notice: (notice: DbError) => {
        writeError(this.out, notice, Reply.noticeResponse);
        if (this.#idle) void this.flush().catch(() => this.#abort());
      },
      notification: (n: Notification) => {
        if (++this.#notificationsPending > pgwireLimits.notificationsQueuedMax) {
          void this.terminate(
            new DbError(SqlState.insufficientResources, "too many notifications pending", {
              severity: "FATAL",
            }),
          );
          return;
        }
        writeNotification(this.out, n);
        if (this.#idle) void this.flush().catch(() => this.#abort());
      },
      parameterStatus: (name: string, value: string) => {
        if (!this.#ready) this.#pendingParams.set(name, value);
        else writeParameterStatus(this.out, name, value);
      },
    };
  }

  // ---- the query loop ----

  async #loop(): Promise<void> {
    const framer = this.#framer;
    const cursor = this.cursor;
    for (;;) {
      if (!framer.next()) {
        this.#idle = true;
        const ok = await this.#next();
        this.#idle = false;
        if (!ok) return;
      } else {
        cursor.reset(framer.buf, framer.bodyStart, framer.bodyEnd);
      }
      const type = framer.type;
      if (type === Frontend.terminate) return;
      if (this.skipTillSync && type !== Frontend.sync) continue;
      if (type === Frontend.query) {
        await this.#simpleQuery();
        this.#midPipeline = false;
      } else {
        await handleExtended(this, type);
        this.#midPipeline = type !== Frontend.sync && type !== Frontend.flush;
      }
      if (this.out.length >= pgwireLimits.flushBytes) await this.flush();
    }
  }

  async #simpleQuery(): Promise<void> {
    const sql = decodeQuery(this.cursor);
    const session = this.session!;
    this.closeStatement("");
    this.closePortal("");
    try {
      await session.simpleQuery(sql, this);
    } catch (err) {
      this.reportError(err);
    }
    this.#columns = null;
    this.#readyForQuery();
  }

  /** Writes a non-fatal error; rethrows a FATAL one so that the connection ends. */
  reportError(err: unknown): void {
    const e = toDbError(err);
    logBug(err);
    if (e.severity === "FATAL" || e.severity === "PANIC") throw e;
    writeError(this.out, e);
  }

  /** ReadyForQuery; a transaction that ended takes its portals with it. */
  #readyForQuery(): void {
    const status = this.session!.transactionStatus;
    if (status === "I" && this.portals.size > 0) {
      for (const name of [...this.portals.keys()]) this.closePortal(name);
    }
    writeReadyForQuery(this.out, status);
  }

  readyForQuery(): void {
    this.#readyForQuery();
  }

  closeStatement(name: string): void {
    const s = this.statements.get(name);
    if (s === undefined) return;
    this.statements.delete(name);
    s.close();
  }

  closePortal(name: string): void {
    const p = this.portals.get(name);
    if (p === undefined) return;
    this.portals.delete(name);
    p.portal.close();
  }

  /** Sets the row shape that {@link row} encodes with. */
  useColumns(columns: readonly Column[] | null, formats: readonly FormatCode[] | undefined): void {
    this.#columns = columns;
    this.#formats = formats;
  }

  // ---- QuerySink ----

  startRows(columns: readonly Column[]): void {
    writeRowDescription(this.out, columns);
    this.#columns = columns;
    this.#formats = undefined;
  }

  row(values: readonly unknown[]): void {
    const columns = this.#columns;
    if (columns === null) {
      throw new DbError(SqlState.internalError, "row sent for a statement without columns");
    }
    writeDataRow(this.out, columns, this.#formats, values);
  }

  drain(): Promise<void> {
    return this.out.length >= pgwireLimits.flushBytes ? this.flush() : resolved;
  }

  complete(tag: string): void {
    writeCommandComplete(this.out, tag);
  }

  emptyQuery(): void {
    writeEmpty(this.out, Reply.emptyQueryResponse);
  }

  copyIn(format: CopyFormat): AsyncIterable<Uint8Array> {
    writeCopyResponse(this.out, Reply.copyInResponse, format);
    return this.#copyData();
  }

  async *#copyData(): AsyncGenerator<Uint8Array> {
    const c = this.cursor;
    for (;;) {
      const type = await this.#nextOrClosed();
      if (type === Frontend.copyData) yield c.bytes(c.remaining);
      else if (type === Frontend.copyDone) return;
      else if (type === Frontend.copyFail) {
        const reason = c.cstring();
        throw new DbError(SqlState.queryCanceled, `COPY from stdin failed: ${reason}`);
      } else if (type !== Frontend.flush && type !== Frontend.sync) {
        throw protocolViolation(
          `unexpected message type 0x${type.toString(16)} during COPY from stdin`,
        );
      }
    }
  }

  copyOut(format: CopyFormat): CopyOut {
    writeCopyResponse(this.out, Reply.copyOutResponse, format);
    return {
      data: (chunk) => {
        writeCopyData(this.out, chunk);
        return this.drain();
      },
      done: () => writeEmpty(this.out, Reply.copyDone),
    };
  }

  // ---- writing and ending ----

  /** Writes everything pending; concurrent callers share one flush. */
  flush(): Promise<void> {
    if (this.#flushing !== undefined) return this.#flushing;
    if (this.out.length === 0) return resolved;
    this.#flushing = this.#writeOut().finally(() => this.#flushing = undefined);
    return this.#flushing;
  }

  async #writeOut(): Promise<void> {
    const out = this.out;
    while (out.length > 0) {
      const n = out.length;
      let view = out.buf.subarray(0, n);
      while (view.length > 0) {
        let written: number;
        try {
          written = await this.#transport.write(view);
        } catch {
          // The client is gone (reset, broken pipe): end quietly, it is not a server error.
          this.#abort();
          throw new Closed();
        }
        this.#host.countWrite();
        view = view.subarray(written);
      }
      out.consume(n);
    }
    // Only notifications still unwritten count against the limit.
    this.#notificationsPending = 0;
  }

  async #fatal(err: unknown): Promise<void> {
    const e = toDbError(err);
    logBug(err);
    try {
      writeError(this.out, new DbError(e.code, e.message, { ...e.fields, severity: "FATAL" }));
      await this.flush();
    } catch {
      // The client is gone; nothing to tell it.
    }
  }

  #abort(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#transport.close();
    } catch {
      // Already closed.
    }
  }

  async #end(): Promise<void> {
    if (this.#processId !== 0) this.#host.unregister(this.#processId);
    for (const name of [...this.portals.keys()]) this.closePortal(name);
    for (const name of [...this.statements.keys()]) this.closeStatement(name);
    const session = this.session;
    this.session = undefined;
    if (session !== undefined) {
      try {
        await session.close();
      } catch {
        // The connection is over either way.
      }
    }
    if (this.#admitted) this.#host.release();
    this.#abort();
  }
}

/** An error that is not a DbError is a bug (sent as XX000): it goes to the log with its stack. */
function logBug(err: unknown): void {
  if (err instanceof DbError) return;
  log("error", "pgwire: internal error", {
    error: err instanceof Error ? err.message : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
}

/** The ParameterStatus set reported at startup; the engine may change any of them. */
function defaultParameters(user: string, applicationName: string, superuser: boolean) {
  return new Map<string, string>([
    ["application_name", applicationName],
    ["client_encoding", "UTF8"],
    ["DateStyle", "ISO, MDY"],
    ["default_transaction_read_only", "off"],
    ["in_hot_standby", "off"],
    ["integer_datetimes", "on"],
    ["IntervalStyle", "postgres"],
    ["is_superuser", superuser ? "on" : "off"],
    ["server_encoding", "UTF8"],
    ["server_version", `15.0 (BKG ${version})`],
    ["session_authorization", user],
    ["standard_conforming_strings", "on"],
    ["TimeZone", "UTC"],
  ]);
}
