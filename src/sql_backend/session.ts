/**
 * @module One pgwire session over one engine session: simple queries (each statement's rows and
 * tag sent as it completes, COPY through the sub-protocol), Parse into engine-prepared
 * statements with cached plans, notices, LISTEN/NOTIFY notifications, ParameterStatus when a
 * reported setting changes, and cancel.
 */
import type { Datum, QueryResult, Session as EngineSession } from "../../db/mod.ts";
import type { CatalogStore } from "../../db/catalog/mod.ts";
import type {
  QuerySink,
  Session,
  SessionEvents,
  Statement,
  TransactionStatus,
} from "../pgwire/mod.ts";
import { Codecs } from "./codecs.ts";
import { runCopy, stdioCopy } from "./copy.ts";
import { sqlBackendLimits } from "./limits.ts";
import { ReportedSettings, sendNotices } from "./notices.ts";
import { EmptyStatement, isEmptyQuery, SqlStatement, type StatementHost } from "./statement.ts";

/** A pgwire session backed by an engine session. */
export class SqlSession implements Session, StatementHost {
  readonly #engine: EngineSession;
  readonly #store: CatalogStore;
  readonly #events: SessionEvents;
  readonly #codecs: Codecs;
  readonly #reported = new ReportedSettings();
  #statements = 0;

  constructor(engine: EngineSession, store: CatalogStore, events: SessionEvents) {
    this.#engine = engine;
    this.#store = store;
    this.#events = events;
    this.#codecs = new Codecs(engine.evalContext);
    engine.onNotification = (channel, payload, processId) =>
      events.notification({ processId, channel, payload });
    // The startup parameters may have set reported values (TimeZone, DateStyle, …).
    this.#reported.sendChanges(engine, events);
  }

  get transactionStatus(): TransactionStatus {
    return this.#engine.transactionStatus;
  }

  async simpleQuery(sql: string, sink: QuerySink): Promise<void> {
    const engine = this.#engine;
    try {
      const copy = stdioCopy(sql);
      if (copy !== undefined) {
        await runCopy(engine, this.#store.shared(), sql, copy, sink);
        return;
      }
      let statements = 0;
      await engine.execute(sql, null, {
        onResult: (r) => {
          statements++;
          return this.#send(r, sink);
        },
      });
      if (statements === 0) sink.emptyQuery();
    } finally {
      // Notices raised by a failing statement go out before its error, as in PostgreSQL.
      sendNotices(engine, this.#events);
      this.#reported.sendChanges(engine, this.#events);
    }
  }

  /** One statement's notices, rows and CommandComplete. */
  async #send(r: QueryResult, sink: QuerySink): Promise<void> {
    sendNotices(this.#engine, this.#events);
    if (r.columns !== null) {
      sink.startRows(this.#codecs.columns(r.columns));
      const rows = r.rows;
      for (let i = 0; i < rows.length; i++) {
        sink.row(rows[i]!);
        if (i % sqlBackendLimits.rowsPerDrain === sqlBackendLimits.rowsPerDrain - 1) {
          await sink.drain();
        }
      }
    }
    sink.complete(r.command);
    this.#reported.noteTag(r.command);
  }

  prepare(sql: string, paramTypeOids: readonly number[]): Promise<Statement> {
    if (isEmptyQuery(sql)) return Promise.resolve(new EmptyStatement(paramTypeOids));
    // A name SQL's PREPARE could only spell quoted, so the two practically never collide (a
    // NUL would make them never collide, but the name can appear in error messages).
    const name = `pgwire:${++this.#statements}`;
    try {
      const info = this.#engine.prepare(name, sql, [...paramTypeOids]);
      const columns = info.columns === null ? null : this.#codecs.columns(info.columns);
      return Promise.resolve(new SqlStatement(this, name, info.paramTypes, columns));
    } finally {
      sendNotices(this.#engine, this.#events);
    }
  }

  /** Sync: commits the implicit transaction the pipeline's Executes ran in (as PostgreSQL). */
  async sync(): Promise<void> {
    try {
      await this.#engine.commitImplicit();
    } finally {
      sendNotices(this.#engine, this.#events);
      this.#reported.sendChanges(this.#engine, this.#events);
    }
  }

  cancel(): void {
    this.#engine.cancel();
  }

  close(): Promise<void> {
    this.#engine.onNotification = null;
    return this.#engine.close();
  }

  // ---- StatementHost ----

  param(oid: number, value: Uint8Array | null, format: 0 | 1, index: number): Datum {
    return this.#codecs.param(oid, value, format, index);
  }

  async run(name: string, params: Datum[]): Promise<QueryResult> {
    try {
      const r = await this.#engine.executePrepared(name, params, { deferCommit: true });
      this.#reported.noteTag(r.command);
      return r;
    } finally {
      sendNotices(this.#engine, this.#events);
    }
  }

  deallocate(name: string): void {
    this.#engine.deallocate(name);
  }
}
