/**
 * The long storage benchmark, as a script (it is too slow for `deno bench` iterations):
 * 1,000,000 rows of a pgbench_accounts-shaped table (aid int4 primary key, bid int4,
 * abalance int4, filler char(84)) loaded into BKG-DB — load time, RSS per row, checkpoint time
 * and size, recovery time — and the same table in PostgreSQL 15 on this machine (load time with
 * INSERT … SELECT generate_series, data directory growth, table + index size).
 *
 * Usage: deno run -A --v8-flags=--expose-gc tests/bench/storage_load.ts [rows] [--no-pg]
 * (`BKG_LOAD_ROWS` also sets the rows.)
 */
import { Database, runStatement } from "../db/core.ts";
import { startPostgres } from "../helpers/pg.ts";

const rows = Number(
  Deno.args.find((a) => /^\d+$/.test(a)) ?? Deno.env.get("BKG_LOAD_ROWS") ?? 1_000_000,
);
const withPg = !Deno.args.includes("--no-pg");
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

async function dirBytes(path: string): Promise<number> {
  const out = await new Deno.Command("du", { args: ["-sb", path], stdout: "piped" }).output();
  return Number(new TextDecoder().decode(out.stdout).split("\t")[0]);
}

function memory(): { rss: number; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = Deno.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

async function bkg(): Promise<Record<string, string>> {
  const root = await Deno.makeTempDir({ prefix: "bkg-load-" });
  const dir = `${root}/db`;
  const filler = " ".repeat(84);
  let db = await Database.open(dir, { checkpointIntervalMs: 0, checkpointWalBytes: 0 });
  const before = memory();
  const t0 = performance.now();
  let txn = db.begin();
  const t = txn.createTable({ name: "pgbench_accounts", columns: 4 });
  txn.createIndex(t, {
    name: "pgbench_accounts_pkey",
    unique: true,
    descriptor: { kind: "columns", columns: [0] },
  });
  await txn.commit();
  // Loaded in transactions of 100,000 rows (one WAL record each), as pgbench -i commits once.
  for (let start = 1; start <= rows; start += 100_000) {
    txn = db.begin();
    await runStatement(txn, () => {
      const end = Math.min(rows, start + 99_999);
      for (let aid = start; aid <= end; aid++) {
        txn.insert(t, [aid, Math.floor((aid - 1) / 100_000) + 1, 0, filler]);
      }
    });
    await txn.commit();
  }
  const loadMs = performance.now() - t0;
  const after = memory();
  const walBytes = await dirBytes(`${dir}/wal`);
  const ck = await db.checkpoint();
  // Point lookups on the loaded table (the index was created right after the table).
  txn = db.begin();
  const pk = t + 1;
  const lookups = 200_000;
  const l0 = performance.now();
  await runStatement(txn, () => {
    for (let i = 0; i < lookups; i++) {
      const c = txn.lookup(pk, [1 + ((i * 7919) % rows)]);
      if (!c.next()) throw new Error("missing row");
    }
  });
  const lookupUs = (performance.now() - l0) * 1000 / lookups;
  txn.rollback();
  await db.close();
  const r0 = performance.now();
  db = await Database.open(dir, { checkpointIntervalMs: 0 });
  const recoveryMs = performance.now() - r0;
  const stats = db.stats();
  await db.close();
  const dataBytes = await dirBytes(dir);
  await Deno.remove(root, { recursive: true });
  return {
    rows: String(stats.rows),
    "load (insert+commit, incl. WAL fsync)": `${(loadMs / 1000).toFixed(2)} s (${
      Math.round(rows / (loadMs / 1000))
    } rows/s)`,
    "WAL written by the load": mib(walBytes),
    "RSS growth / row": `${Math.round((after.rss - before.rss) / rows)} bytes`,
    "JS heap growth / row (after GC)": `${Math.round((after.heap - before.heap) / rows)} bytes`,
    "checkpoint time": `${(ck.durationMs / 1000).toFixed(2)} s`,
    "checkpoint size": mib(ck.bytes),
    "data directory after checkpoint": mib(dataBytes),
    "recovery (open: load checkpoint + rebuild index)": `${(recoveryMs / 1000).toFixed(2)} s`,
    "point lookup by pk": `${lookupUs.toFixed(2)} µs (${Math.round(1e6 / lookupUs)} /s)`,
  };
}

async function pg(): Promise<Record<string, string>> {
  const oracle = await startPostgres({
    fsync: "on",
    synchronous_commit: "on",
    full_page_writes: "on",
  });
  try {
    const sql = oracle.sql;
    const dataDirectory = String((await sql`show data_directory`)[0]!.data_directory);
    const before = await dirBytes(dataDirectory);
    const t0 = performance.now();
    await sql`create table pgbench_accounts (aid int4 not null, bid int4, abalance int4, filler char(84))`;
    await sql`insert into pgbench_accounts select aid, (aid - 1) / 100000 + 1, 0, '' from generate_series(1, ${rows}) aid`;
    await sql`alter table pgbench_accounts add primary key (aid)`;
    const loadMs = performance.now() - t0;
    await sql`checkpoint`;
    const after = await dirBytes(dataDirectory);
    const total =
      (await sql`select pg_total_relation_size('pgbench_accounts')::int8 as total`)[0]!.total;
    // Single-row insert+commit with fsync, one client, as BKG-DB's bench measures it.
    await sql`create table one_row (id int4 primary key, v text)`;
    const commits = 500;
    const c0 = performance.now();
    for (let i = 0; i < commits; i++) await sql`insert into one_row values (${i}, 'bench')`;
    const commitMs = (performance.now() - c0) / commits;
    return {
      "single-row insert+commit (fsync on, one client, over TCP)": `${commitMs.toFixed(2)} ms (${
        Math.round(1000 / commitMs)
      } /s)`,
      "load (INSERT … SELECT generate_series + primary key)": `${(loadMs / 1000).toFixed(2)} s`,
      "table + index size": mib(Number(total)),
      "data directory growth (incl. WAL)": mib(after - before),
    };
  } finally {
    await oracle.stop();
  }
}

console.log(`BKG-DB, ${rows} rows:`);
console.table(await bkg());
if (withPg) {
  console.log(`PostgreSQL 15, ${rows} rows:`);
  console.table(await pg());
}
