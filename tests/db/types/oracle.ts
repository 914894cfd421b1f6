/**
 * @module Differential-test helpers for db/types: one PostgreSQL 15 per test file, queries sent
 * as simple-protocol text (literals inlined, so PostgreSQL parses them with the type's input
 * function), outcomes compared as text or SQLSTATE + message.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { DbError } from "../../../db/sqlstate.ts";
import { startPostgres } from "../../helpers/pg.ts";

/** A value as text (null for SQL NULL) or an error's SQLSTATE and message. */
export type Outcome = { value: string | null } | { code: string; message: string };

/** A SQL string literal. */
export function lit(s: string): string {
  return "'" + s.replaceAll("'", "''") + "'";
}

/** Runs `fn` and captures a DbError as an outcome. */
export function ours(fn: () => string | null): Outcome {
  try {
    return { value: fn() };
  } catch (e) {
    if (e instanceof DbError) return { code: e.code, message: e.message };
    return {
      code: "JS",
      message: String((e as Error).stack ?? e).split("\n").slice(0, 3).join(" | "),
    };
  }
}

/** The oracle: one PostgreSQL per test file, with a client per session setting. */
export class Oracle {
  #stop: () => Promise<void>;
  #url: string;
  #clients = new Map<string, postgres.Sql>();

  private constructor(url: string, stop: () => Promise<void>) {
    this.#url = url;
    this.#stop = stop;
  }

  static async start(): Promise<Oracle> {
    const pg = await startPostgres();
    await pg.sql.end();
    return new Oracle(pg.url, pg.stop);
  }

  #client(timeZone: string): postgres.Sql {
    let c = this.#clients.get(timeZone);
    if (c === undefined) {
      c = postgres(this.#url, {
        max: 2,
        onnotice: () => {},
        connection: { TimeZone: timeZone, extra_float_digits: 1, DateStyle: "ISO, MDY" },
      });
      this.#clients.set(timeZone, c);
    }
    return c;
  }

  /** The first column of the first row of `query`, as text, or the error. */
  async eval(query: string, timeZone = "UTC"): Promise<Outcome> {
    try {
      const rows = await this.#client(timeZone).unsafe(`select (${query})::text as v`);
      return { value: (rows[0]?.v ?? null) as string | null };
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.code === undefined) throw e;
      return { code: err.code, message: err.message ?? "" };
    }
  }

  /** The output function's text of `expr` (format('%s') calls it; `::text` may be a cast function). */
  async out(expr: string, timeZone = "UTC"): Promise<Outcome> {
    const r = await this.eval(
      `case when (${expr}) is null then null else format('%s', ${expr}) end`,
      timeZone,
    );
    return r;
  }

  /** All values of a one-column query, as the output function prints them. */
  async rowsOut(query: string, timeZone = "UTC"): Promise<Outcome[]> {
    return await this.rows(
      `select case when v is null then null else format('%s', v) end from (${query}) s0(v)`,
      timeZone,
    );
  }

  /** All rows of `query` (first column as text). */
  async rows(query: string, timeZone = "UTC"): Promise<Outcome[]> {
    try {
      const rows = await this.#client(timeZone).unsafe(
        `select (v)::text as v from (${query}) s(v)`,
      );
      return rows.map((r) => ({ value: r.v as string | null }));
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.code === undefined) throw e;
      return [{ code: err.code, message: err.message ?? "" }];
    }
  }

  async stop(): Promise<void> {
    for (const c of this.#clients.values()) await c.end({ timeout: 5 }).catch(() => {});
    await this.#stop();
  }
}

/** A mismatch collector: compares many cases, then fails once listing them all. */
export class Diff {
  count = 0;
  failures: string[] = [];

  check(label: string, got: Outcome, want: Outcome): void {
    this.count++;
    const g = JSON.stringify(got);
    const w = JSON.stringify(want);
    if (g !== w) this.failures.push(`${label}\n    ours: ${g}\n    pg:   ${w}`);
  }

  /** Like check, but only the SQLSTATE of an error must match (for messages we word alike but not byte for byte). */
  checkCode(label: string, got: Outcome, want: Outcome): void {
    if ("code" in got && "code" in want) {
      return this.check(label, { code: got.code, message: "" }, { code: want.code, message: "" });
    }
    this.check(label, got, want);
  }

  done(min = 1): void {
    assert.ok(this.count >= min, `expected at least ${min} comparisons, ran ${this.count}`);
    assert.deepEqual(
      this.failures.slice(0, 40),
      [],
      `${this.failures.length} of ${this.count} differ from PostgreSQL`,
    );
  }
}
