/**
 * @module Realtime benchmark (a script: `deno run -A tests/bench/realtime_bench.ts`): a real
 * `bkg serve`, N subscribers (bare websockets, one channel each) on one table, rows inserted
 * through pgwire. Phase 1 paces 1,000 rows/s (10-row commits every 10 ms) and reports
 * commit-to-delivery latency p50/p99 (commit_timestamp → frame received, includes fsync); phase 2
 * inserts 100-row commits as fast as it can (4 in flight) and reports the sustained delivered event rate.
 * Row-level security is on by default: the table has a SELECT policy (BKG_RT_BENCH_POLICY, by
 * default `auth.role() = 'authenticated'`, which reads the JWT claims per row) and every subscriber
 * has its own token (its own `sub`), so each event is checked once per subscriber, in process.
 * Knobs: BKG_RT_BENCH_SUBS (100), BKG_RT_BENCH_SECONDS (5), BKG_RT_BENCH_RLS (1; 0: no policy, one
 * shared token), BKG_RT_BENCH_POLICY (the policy's USING expression).
 * Under `deno bench` it does nothing (it is a script).
 */
import { RawClient } from "../realtime/raw_client.ts";
import { startRealtimeServer, waitFor } from "../realtime/server.ts";

async function main(): Promise<void> {
  const subscribers = Number(Deno.env.get("BKG_RT_BENCH_SUBS") ?? 100);
  const seconds = Number(Deno.env.get("BKG_RT_BENCH_SECONDS") ?? 5);
  const s = await startRealtimeServer(["--realtime-send-buffer-kb", "65536"]);
  try {
    const rls = Deno.env.get("BKG_RT_BENCH_RLS") !== "0";
    await s.sql`create table ev (id int primary key, v text)`;
    if (rls) {
      await s.sql`alter table ev enable row level security`;
      const using = Deno.env.get("BKG_RT_BENCH_POLICY") ?? "auth.role() = 'authenticated'";
      await s.sql.unsafe(`create policy readers on ev for select using (${using})`);
    }
    const shared = await s.token("authenticated");
    const cfg = { postgres_changes: [{ event: "INSERT", schema: "public", table: "ev" }] };
    const clients: RawClient[] = [];
    const latencies: number[] = [];
    let received = 0;
    for (let i = 0; i < subscribers; i++) {
      const sub = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      const token = rls ? await s.token("authenticated", 600, { sub }) : shared;
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
    const histBefore = histogram(await s.metrics());
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
      `phase 1: ${subscribers} subscribers, RLS ${rls ? "on" : "off"}, ` +
        `${offered.toFixed(0)} rows/s offered, ` +
        `${latencies.length} deliveries, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${
          latencies.at(-1)
        } ms`,
    );
    // The server's own view (commit durable → frame handed to the socket), without the client's
    // parsing: the /metrics histogram, as the bucket bound that holds the percentile.
    const hist = histogram(await s.metrics()).map((
      [le, n],
      i,
    ): [number, number] => [le, n - histBefore[i]![1]]);
    const total = hist.at(-1)![1];
    const bound = (p: number) => hist.find(([, n]) => n >= p * total)![0];
    console.log(`phase 1 server side: p50 <= ${bound(0.5)} ms, p99 <= ${bound(0.99)} ms`);
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

/** The delivery-latency histogram of /metrics: [bucket bound in ms, cumulative count]. */
function histogram(metrics: string): [number, number][] {
  const out: [number, number][] = [];
  for (
    const m of metrics.matchAll(
      /^bkg_realtime_delivery_latency_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm,
    )
  ) {
    out.push([m[1] === "+Inf" ? Infinity : Number(m[1]) * 1000, Number(m[2])]);
  }
  return out;
}

if (import.meta.main) await main();
