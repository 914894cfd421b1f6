/**
 * @module CAVE latency benchmark (issue 8): the full create → start → exec(`true`) → stop →
 * delete cycle, and exec alone in an already started sandbox; prints p50/p90/p99 and the mean.
 * A script, named so that `deno bench` does not pick it up (each sample is a whole sandbox, and
 * the count is a knob): `deno run -A tests/bench/cave_latency.ts`. `BKG_CAVE_BENCH_RUNS` sets
 * the cycles (default 200) and `BKG_CAVE_BENCH_EXECS` the execs (default 200).
 */
import { SandboxManager } from "../../kernel/mod.ts";

const runs = Number(Deno.env.get("BKG_CAVE_BENCH_RUNS") ?? 200);
const execs = Number(Deno.env.get("BKG_CAVE_BENCH_EXECS") ?? 200);
const who = { actor: "bench", namespace: null };
const limits = { memoryBytes: 256 << 20, diskBytes: 64 << 20 };

function summary(name: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!.toFixed(1);
  const mean = (s.reduce((a, b) => a + b, 0) / s.length).toFixed(1);
  return `${name}: n=${s.length} p50=${q(0.5)} ms p90=${q(0.9)} ms p99=${
    q(0.99)
  } ms mean=${mean} ms`;
}

const dataDir = await Deno.makeTempDir({ prefix: "bkg-cave-bench-" });
const m = await SandboxManager.open({ dataDir, auditFsync: true });
try {
  const steps = {
    create: [] as number[],
    start: [] as number[],
    exec: [] as number[],
    stop: [] as number[],
    delete: [] as number[],
  };
  const cycle: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    const t0 = t;
    const lap = (k: keyof typeof steps) => {
      const now = performance.now();
      steps[k].push(now - t);
      t = now;
    };
    const { id } = await m.create(who, { limits });
    lap("create");
    await m.start(who, id);
    lap("start");
    const r = await m.exec(who, id, { argv: ["true"] });
    if (r.exitCode !== 0) {
      throw new Error(`true exited ${r.exitCode}: ${new TextDecoder().decode(r.stderr)}`);
    }
    lap("exec");
    await m.stop(who, id);
    lap("stop");
    await m.delete(who, id);
    lap("delete");
    cycle.push(performance.now() - t0);
  }
  const { id } = await m.create(who, { limits });
  await m.start(who, id);
  const execMs: number[] = [];
  for (let i = 0; i < execs; i++) {
    const t = performance.now();
    await m.exec(who, id, { argv: ["true"] });
    execMs.push(performance.now() - t);
  }
  await m.delete(who, id);
  console.log(summary("create+start+exec(true)+stop+delete", cycle));
  for (const [k, v] of Object.entries(steps)) console.log(`  ${summary(k, v)}`);
  console.log(summary("exec(true) in a started sandbox", execMs));
} finally {
  await m.close();
  await Deno.remove(dataDir, { recursive: true });
}
