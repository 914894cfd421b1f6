/**
 * @module Helpers for the SQL engine tests: a database in a temporary directory with a session,
 * and shorthands that run SQL and return rows or the DbError.
 */
import { Database, type QueryResult, type Session } from "../../../db/mod.ts";
import { DbError } from "../../../db/sqlstate.ts";

/** A fresh database and one session on it. */
export async function engine(opts: { fsync?: boolean } = {}): Promise<{
  db: Database;
  s: Session;
  dir: string;
  cleanup(): Promise<void>;
}> {
  const dir = await Deno.makeTempDir({ prefix: "bkg-engine-" });
  const db = await Database.open(`${dir}/db`, {
    fsync: opts.fsync ?? false,
    checkpointIntervalMs: 0,
    vacuumIntervalMs: 0,
  });
  const s = await db.connect({ user: "postgres", database: "postgres" });
  return {
    db,
    s,
    dir: `${dir}/db`,
    cleanup: async () => {
      await s.close();
      await db.close().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** Runs `sql` and returns the last result. */
export async function run(s: Session, sql: string): Promise<QueryResult> {
  const r = await s.execute(sql);
  return r[r.length - 1]!;
}

/** Runs `sql` and returns the rows with values as strings (bigint and Numeric too). */
export async function rows(s: Session, sql: string): Promise<(string | null)[][]> {
  const r = await run(s, sql);
  return r.rows.map((row) => row.map((v) => (v === null ? null : String(v))));
}

/** Runs `sql`, expecting a DbError; returns its SQLSTATE. */
export async function errorCode(s: Session, sql: string): Promise<string> {
  try {
    await s.execute(sql);
  } catch (e) {
    if (e instanceof DbError) return e.code;
    throw e;
  }
  throw new Error(`expected an error from: ${sql}`);
}
