/**
 * @module Helpers for the storage-core tests: a seeded random generator, temporary databases,
 * and shorthands for statements over the transaction API.
 */
import { Database, type DatabaseOptions, runStatement, type Transaction } from "./core.ts";

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randInt(r: () => number, n: number): number {
  return Math.floor(r() * n);
}

/** A database in a fresh temporary directory (no background timers unless asked). */
export async function tempDb(
  opts: DatabaseOptions = {},
): Promise<{ db: Database; dir: string; cleanup(): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "bkg-db-" });
  const db = await Database.open(`${dir}/db`, {
    checkpointIntervalMs: 0,
    vacuumIntervalMs: 0,
    ...opts,
  });
  return {
    db,
    dir: `${dir}/db`,
    cleanup: async () => {
      await db.close().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** All visible rows of a table, sorted by their first column. */
export function rowsOf(txn: Transaction, tableId: number): unknown[][] {
  const out: unknown[][] = [];
  for (const c = txn.scan(tableId); c.next();) out.push(c.row);
  return out.sort((a, b) => (a[0] as number) - (b[0] as number));
}

/** Runs `fn` as one statement. */
export function stmt<T>(txn: Transaction, fn: () => T): Promise<T> {
  return runStatement(txn, fn);
}

/** Creates table `(k int, v)` with a unique index on k; returns [tableId, indexId]. */
export async function kvTable(db: Database, name = "kv"): Promise<[number, number]> {
  const txn = db.begin();
  const t = txn.createTable({ name, columns: 2 });
  const i = txn.createIndex(t, {
    name: `${name}_pkey`,
    unique: true,
    descriptor: { kind: "columns", columns: [0], names: ["k"] },
  });
  await txn.commit();
  return [t, i];
}

/** The row id of key `k` in `kv`, as `txn` sees it. */
export function findKey(txn: Transaction, index: number, k: number): number | undefined {
  const c = txn.lookup(index, [k]);
  return c.next() ? c.rowId : undefined;
}

/** True when `p` has settled after the event loop has run a little. */
export async function settled(p: Promise<unknown>, ms = 20): Promise<boolean> {
  let done = false;
  p.then(() => done = true, () => done = true);
  await new Promise((r) => setTimeout(r, ms));
  return done;
}
