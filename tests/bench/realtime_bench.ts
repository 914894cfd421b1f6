/**
 * @module Realtime benchmark (a script: `deno run -A tests/bench/realtime_bench.ts`): a real
 * `bkg serve`, N subscribers (bare websockets, one channel each) on one table, rows inserted
 * through pgwire. Phase 1 paces 1,000 rows/s (10-row commits every 10 ms) and reports
 * commit-to-delivery latency p50/p99 (commit_timestamp → frame received, includes fsync); phase 2
 * inserts 100-row commits as fast as it can (4 in flight) and reports the sustained delivered event rate.
 * Knobs: BKG_RT_BENCH_SUBS (100), BKG_RT_BENCH_SECONDS (5).
 * Under `deno bench` it does nothing (it is a script).
 */
import { RawClient } from "../realtime/raw_client.ts";
import { startRealtimeServer, waitFor } from "../realtime/server.ts";

async function main(): Promise<void> {
  const subscribers = Number(Deno.env.get("BKG_RT_BENCH_SUBS") ?? 100);
  const seconds = Number(Deno.env.get("BKG_RT_BENCH_SECONDS") ?? 5);
  const s = await startRealtimeServer(["--realtime-send-buffer-kb", "65536"]);
  try {
    await s.sql`create table ev (id int primary key, v text)`;
    const token = await s.token("authenticated");
    const cfg = { postgres_changes: [{ event: "INSERT", schema: "public", table: "ev" }] };
    const clients: RawClient[] = [];
    const latencies: number[] = [];
    let received = 0;
    for (let i = 0; i < subscribers; i++) {
      const c = await RawClient.open(s.wsUrl, token);
      await c.join(`realtime:bench-${i}`, cfg);
      c.ws.onmessage = (e) => {
        const m = JSON.parse(e.data as string);
        if (m.event !== "postgres_changes") return;
        received++;
        latencies.push(Date.now() - Date.parse(m.payload.data.commit_timestamp));
      };
      clients.push(c);
    }
    let id = 0;
    // Phase 1: paced 1,000 rows/s.
    const start = performance.now();
    const inflight: Promise<unknown>[] = [];
    for (let tick = 0; tick < seconds * 100; tick++) {
      const due = start + tick * 10;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const base = id;
      id += 10;
      inflight.push(
        s.sql`insert into ev select g, 'x' from generate_series(${base}::int, ${base + 9}::int) g`,
      );
      if (inflight.length > 8) await inflight.shift();
    }
    await Promise.all(inflight);
    const offered = id / ((performance.now() - start) / 1000);
    await waitFor(() => received === id * subscribers, "phase 1 deliveries", 120_000);
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    console.log(
      `phase 1: ${subscribers} subscribers, ${offered.toFixed(0)} rows/s offered, ` +
        `${latencies.length} deliveries, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${
          latencies.at(-1)
        } ms`,
    );
    // Phase 2: as fast as possible.
    received = 0;
    latencies.length = 0;
    const t0 = performance.now();
    const first = id;
    const running: Promise<unknown>[] = [];
    while (performance.now() - t0 < seconds * 1000) {
      const base = id;
      id += 100;
      running.push(
        s.sql`insert into ev select g, 'x' from generate_series(${base}::int, ${base + 99}::int) g`,
      );
      if (running.length >= 4) await running.shift();
    }
    await Promise.all(running);
    const rows = id - first;
    await waitFor(() => received === rows * subscribers, "phase 2 deliveries", 300_000);
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `phase 2: ${rows} rows in 100-row commits, ${(rows / secs).toFixed(0)} rows/s, ` +
        `${(received / secs).toFixed(0)} events/s delivered to ${subscribers} subscribers`,
    );
    for (const c of clients) await c.close();
  } finally {
    await s.stop();
  }
}

if (import.meta.main) await main();
