/**
 * pgbench 15 against `bkg serve` with the real engine: `pgbench -i -s 1 -I dtgp` (drop, create,
 * client-side COPY, primary keys), the built-in TPC-B script with `-M simple` (pgbench's own
 * VACUUM and TRUNCATE first), `-S` with `-M simple`, `-M extended` and `-M prepared`, then TPC-B
 * with `-n` in extended and prepared mode; 4 clients each. Afterwards the TPC-B invariant holds:
 * the sums of account, teller and branch balances and of the history deltas are equal, and the
 * history holds one row per TPC-B transaction pgbench counted. Seconds per run:
 * BKG_PGBENCH_ENGINE_SECONDS (default 2).
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { enginePassword, runClient, startEngineServer } from "./engine_server.ts";

const seconds = Deno.env.get("BKG_PGBENCH_ENGINE_SECONDS") ?? "2";

/** Runs pgbench; asserts it succeeded with no failed transaction; returns transactions done. */
async function pgbench(env: Record<string, string>, args: string[]): Promise<number> {
  const out = await runClient("pgbench", [...args, "postgres"], env);
  const text = out.stdout + out.stderr;
  assert.equal(out.code, 0, `pgbench ${args.join(" ")}:\n${text}`);
  if (args.includes("-i")) {
    assert.match(text, /done in [\d.]+ s/);
    return 0;
  }
  assert.match(text, /number of failed transactions: 0 /, text);
  const done = Number(/number of transactions actually processed: (\d+)/.exec(text)?.[1]);
  const tps = /tps = ([\d.]+) \(without/.exec(text)?.[1];
  assert.ok(done > 0, text);
  console.log(`pgbench ${args.join(" ")}: ${done} transactions, ${tps} tps`);
  return done;
}

Deno.test("pgbench initialises, runs TPC-B and select-only in every mode, and balances add up", async () => {
  const server = await startEngineServer();
  const sql = postgres({
    host: "127.0.0.1",
    port: server.pgPort,
    user: "postgres",
    password: enginePassword,
    database: "postgres",
    max: 1,
  });
  try {
    const env = server.libpqEnv;
    await pgbench(env, ["-i", "-s", "1", "-I", "dtgp"]);
    const [counts] = await sql`select (select count(*) from pgbench_accounts)::int as a,
      (select count(*) from pgbench_tellers)::int as t,
      (select count(*) from pgbench_branches)::int as b`;
    assert.deepEqual({ ...counts }, { a: 100000, t: 10, b: 1 });
    const run = ["-c", "4", "-j", "2", "-T", seconds];
    // Without -n, pgbench vacuums the tellers and branches and truncates the history first.
    let tpcb = await pgbench(env, [...run, "-M", "simple"]);
    for (const mode of ["simple", "extended", "prepared"]) {
      await pgbench(env, [...run, "-n", "-S", "-M", mode]);
    }
    for (const mode of ["extended", "prepared"]) {
      tpcb += await pgbench(env, [...run, "-n", "-M", mode]);
    }
    const [sums] = await sql`select
      (select sum(abalance) from pgbench_accounts)::int8 as accounts,
      (select sum(tbalance) from pgbench_tellers)::int8 as tellers,
      (select sum(bbalance) from pgbench_branches)::int8 as branches,
      (select sum(delta) from pgbench_history)::int8 as history,
      (select count(*) from pgbench_history)::int8 as transactions`;
    assert.equal(sums!.accounts, sums!.tellers);
    assert.equal(sums!.accounts, sums!.branches);
    assert.equal(sums!.accounts, sums!.history);
    assert.equal(Number(sums!.transactions), tpcb);
  } finally {
    await sql.end();
    await server.stop();
  }
});
