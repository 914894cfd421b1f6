/**
 * @module Prepared statements and portals of the extended protocol over the engine's
 * `prepare`/`executePrepared`: the engine caches the plan per statement; a portal runs its
 * statement at its first Execute and hands the rows out in `maxRows` pieces (PortalSuspended).
 */
import type { Datum, QueryResult } from "../../db/mod.ts";
import type {
  BindParams,
  Column,
  ExecuteResult,
  Portal,
  RowSink,
  Statement,
} from "../pgwire/mod.ts";
import { sqlBackendLimits } from "./limits.ts";

/** What statements and portals need from their session. */
export interface StatementHost {
  /** Decodes one bind parameter. */
  param(oid: number, value: Uint8Array | null, format: 0 | 1, index: number): Datum;
  /** Runs the engine's prepared statement `name`. */
  run(name: string, params: Datum[]): Promise<QueryResult>;
  /** Drops the engine's prepared statement `name`. */
  deallocate(name: string): void;
}

/** A statement prepared in the engine under a name of its own. */
export class SqlStatement implements Statement {
  constructor(
    readonly host: StatementHost,
    readonly engineName: string,
    readonly paramTypeOids: readonly number[],
    readonly columns: readonly Column[] | null,
  ) {}

  bind(params: BindParams): Promise<Portal> {
    const n = params.values.length;
    const values: Datum[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const format = params.formats.length === 1 ? params.formats[0]! : params.formats[i] ?? 0;
      values[i] = this.host.param(this.paramTypeOids[i] ?? 0, params.values[i]!, format, i);
    }
    return Promise.resolve(new SqlPortal(this, values));
  }

  close(): void {
    this.host.deallocate(this.engineName);
  }
}

/** A bound statement; the engine runs it whole at the first Execute. */
export class SqlPortal implements Portal {
  #rows: Datum[][] | null = null;
  #tag = "";
  #next = 0;

  constructor(readonly statement: SqlStatement, readonly params: Datum[]) {}

  get columns(): readonly Column[] | null {
    return this.statement.columns;
  }

  async execute(maxRows: number, sink: RowSink): Promise<ExecuteResult> {
    if (this.#rows === null) {
      const r = await this.statement.host.run(this.statement.engineName, this.params);
      // A statement described as NoData (a utility such as SHOW) cannot send rows now.
      this.#rows = this.columns === null ? [] : r.rows;
      this.#tag = r.command;
    }
    const rows = this.#rows;
    const start = this.#next;
    const end = maxRows > 0 ? Math.min(rows.length, start + maxRows) : rows.length;
    for (let i = start; i < end; i++) {
      sink.row(rows[i]!);
      if ((i - start) % sqlBackendLimits.rowsPerDrain === sqlBackendLimits.rowsPerDrain - 1) {
        await sink.drain();
      }
    }
    this.#next = end;
    // As PostgreSQL: a fetch that filled its row limit suspends, even when nothing is left.
    if (maxRows > 0 && end - start === maxRows) return { kind: "suspended" };
    if (maxRows > 0 && start > 0 && this.#tag.startsWith("SELECT ")) {
      return { kind: "complete", tag: `SELECT ${end - start}` };
    }
    return { kind: "complete", tag: this.#tag };
  }

  close(): void {
    this.#rows = null;
  }
}

/** The statement of an empty query string: its Execute answers EmptyQueryResponse. */
export class EmptyStatement implements Statement {
  readonly columns = null;

  constructor(readonly paramTypeOids: readonly number[]) {}

  bind(): Promise<Portal> {
    return Promise.resolve({
      columns: null,
      execute: () => Promise.resolve({ kind: "empty" } as const),
      close: () => {},
    });
  }

  close(): void {}
}

/** True when `sql` holds no statement (only blanks, semicolons and comments). */
export function isEmptyQuery(sql: string): boolean {
  if (/^\s*[A-Za-z(]/.test(sql)) return false;
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "").replace(/[\s;]/g, "") === "";
}
