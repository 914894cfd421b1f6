/**
 * @module The executor's dispatcher: opens a plan node into a pull iterator (one operator per
 * file; the small ones — result, values, filter, project, set operations, CTE scans, recursive
 * union, function and subquery scans — live here), wraps iterators with EXPLAIN ANALYZE counters,
 * and runs whole plans, yielding to the event loop every limits.rowsPerYield rows.
 */
import { limits } from "../limits.ts";
import type { PlanNode } from "../plan/mod.ts";
import { AggBuild, openAgg } from "./agg.ts";
import type { Env, Iter, Row } from "./env.ts";
import { compile, compilePredicate, subplanRunner } from "./expr.ts";
import { openJoin } from "./join.ts";
import { tupleKey } from "./keys.ts";
import { openIndexScan, openSeqScan } from "./scan.ts";
import { openDistinct, openLimit, openSort } from "./sort.ts";
import { openWindow } from "./window.ts";

function drain(it: Iter): Row[] {
  const out: Row[] = [];
  for (let r = it(); r !== null; r = it()) out.push(r);
  return out;
}

function fromArray(rows: Row[]): Iter {
  let i = 0;
  return () => i < rows.length ? rows[i++]! : null;
}

/** Opens a plan node (rows drained ahead of time by {@link prematerialize} come from memory). */
export function open(n: PlanNode, env: Env): Iter {
  const pre = env.pre.get(n.id);
  if (pre !== undefined) return fromArray(pre);
  if (env.stats === null) return openNode(n, env);
  const t0 = performance.now();
  let st = env.stats.get(n.id);
  if (st === undefined) {
    st = { rows: 0, loops: 0, startMs: 0, totalMs: 0 };
    env.stats.set(n.id, st);
  }
  const stats = st;
  stats.loops++;
  const it = openNode(n, env);
  let first = true;
  stats.totalMs += performance.now() - t0;
  return () => {
    const t = performance.now();
    const r = it();
    const dt = performance.now() - t;
    stats.totalMs += dt;
    if (first) {
      stats.startMs += performance.now() - t0;
      first = false;
    }
    if (r !== null) stats.rows++;
    return r;
  };
}

function openNode(n: PlanNode, env: Env): Iter {
  switch (n.op) {
    case "result": {
      let done = false;
      return () => {
        if (done) return null;
        done = true;
        return [];
      };
    }
    case "values": {
      const rows = n.rows.map((r) => r.map(compile));
      let i = 0;
      return () => i < rows.length ? rows[i++]!.map((f) => f([], env)) : null;
    }
    case "seqscan":
      return openSeqScan(n, env);
    case "indexscan":
      return openIndexScan(n, env);
    case "filter": {
      const input = open(n.input, env);
      const cond = compilePredicate(n.cond)!;
      return () => {
        for (let r = input(); r !== null; r = input()) if (cond(r, env)) return r;
        return null;
      };
    }
    case "project": {
      const input = open(n.input, env);
      const fns = n.exprs.map(compile);
      const k = fns.length;
      return () => {
        const r = input();
        if (r === null) return null;
        const out: Row = new Array(k);
        for (let i = 0; i < k; i++) out[i] = fns[i]!(r, env);
        return out;
      };
    }
    case "join":
      return openJoin(n, env, open);
    case "agg":
      return openAgg(n, env, open);
    case "window":
      return openWindow(n, env, open);
    case "sort":
      return openSort(n, env, open);
    case "limit":
      return openLimit(n, env, open);
    case "distinct":
      return openDistinct(n, env, open);
    case "setop":
      return openSetOp(n, env);
    case "cte_scan": {
      let rows = env.ctes.get(n.cteId);
      if (rows === undefined) {
        rows = drain(open(n.plan, env));
        env.ctes.set(n.cteId, rows);
      }
      return fromArray(rows);
    }
    case "worktable_scan":
      return fromArray(env.workTables.get(n.cteId) ?? []);
    case "recursive":
      return fromArray(runRecursive(n, env));
    case "function_scan": {
      env.outer.push(env.lateralRow ?? []);
      let rows: Row[];
      try {
        const args = n.args.map((a) => compile(a)([], env));
        rows = [...n.fn(args, env.ctx)];
      } finally {
        env.outer.pop();
      }
      if (n.ordinality) rows = rows.map((r, i) => [...r, BigInt(i + 1)]);
      return fromArray(rows);
    }
    case "system_scan":
      return fromArray(n.produce(env.ctx));
    case "subquery_scan": {
      env.outer.push(env.lateralRow ?? []);
      try {
        return fromArray(drain(open(n.input, env)));
      } finally {
        env.outer.pop();
      }
    }
  }
}

function runRecursive(n: Extract<PlanNode, { op: "recursive" }>, env: Env): Row[] {
  const out: Row[] = [];
  const seen = n.all ? null : new Set<unknown>();
  const add = (rows: Row[]): Row[] => {
    const fresh: Row[] = [];
    for (const r of rows) {
      if (seen !== null) {
        const k = tupleKey(r);
        if (seen.has(k)) continue;
        seen.add(k);
      }
      fresh.push(r);
      out.push(r);
    }
    return fresh;
  };
  let work = add(drain(open(n.base, env)));
  while (work.length > 0) {
    env.workTables.set(n.cteId, work);
    env.check();
    work = add(drain(open(n.step, env)));
  }
  env.workTables.delete(n.cteId);
  return out;
}

function openSetOp(n: Extract<PlanNode, { op: "setop" }>, env: Env): Iter {
  const left = drain(open(n.left, env));
  const right = drain(open(n.right, env));
  if (n.kind === "union") {
    if (n.all) return fromArray([...left, ...right]);
    const seen = new Set<unknown>();
    return fromArray([...left, ...right].filter((r) => {
      const k = tupleKey(r);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }));
  }
  const counts = new Map<unknown, number>();
  for (const r of right) {
    const k = tupleKey(r);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const out: Row[] = [];
  const emitted = new Set<unknown>();
  for (const r of left) {
    const k = tupleKey(r);
    const c = counts.get(k) ?? 0;
    if (n.kind === "intersect") {
      if (n.all) {
        if (c > 0) {
          out.push(r);
          counts.set(k, c - 1);
        }
      } else if (c > 0 && !emitted.has(k)) {
        emitted.add(k);
        out.push(r);
      }
    } else if (n.all) {
      if (c > 0) counts.set(k, c - 1);
      else out.push(r);
    } else if (c === 0 && !emitted.has(k)) {
      emitted.add(k);
      out.push(r);
    }
  }
  return fromArray(out);
}

subplanRunner.run = (plan, env, limit) => {
  const it = open(plan, env);
  const out: Row[] = [];
  for (let r = it(); r !== null && out.length < limit; r = out.length < limit ? it() : null) {
    out.push(r);
  }
  return out;
};

/** Drains a node, yielding to the event loop every limits.rowsPerYield rows. */
async function drainAsync(n: PlanNode, env: Env): Promise<Row[]> {
  const it = open(n, env);
  const out: Row[] = [];
  let k = 0;
  for (let r = it(); r !== null; r = it()) {
    out.push(r);
    if (++k >= limits.rowsPerYield) {
      k = 0;
      await env.yieldNow();
    }
  }
  return out;
}

/** Runs a hash aggregate over its input, yielding to the event loop every limits.rowsPerYield rows. */
async function aggregateAsync(n: Extract<PlanNode, { op: "agg" }>, env: Env): Promise<Row[]> {
  const b = new AggBuild(n, env);
  const it = open(n.input, env);
  let k = 0;
  for (let r = it(); r !== null; r = it()) {
    b.add(r);
    if (++k >= limits.rowsPerYield) {
      k = 0;
      await env.yieldNow();
    }
  }
  return b.finish();
}

/**
 * Drains, bottom-up and with yields, the inputs that blocking operators (aggregate, sort,
 * window, hash build, nested-loop inner side, set operations, subqueries) would otherwise read
 * in one synchronous call, so that a cancel or a timeout is noticed during long statements.
 */
async function prematerialize(n: PlanNode, env: Env): Promise<void> {
  const drain = async (x: PlanNode) => {
    await prematerialize(x, env);
    if (!env.pre.has(x.id)) env.pre.set(x.id, await drainAsync(x, env));
  };
  switch (n.op) {
    case "agg":
      // The aggregate consumes its input as it comes (no copy of the input); EXPLAIN ANALYZE
      // keeps the drained input so that the aggregate's own node is timed when opened.
      if (env.stats !== null) return await drain(n.input);
      await prematerialize(n.input, env);
      if (!env.pre.has(n.id)) env.pre.set(n.id, await aggregateAsync(n, env));
      return;
    case "sort":
    case "window":
      return await drain(n.input);
    case "subquery_scan":
      if (!n.lateral) return await drain(n.input);
      return;
    case "join":
      await prematerialize(n.left, env);
      if (!n.lateral && n.method !== "index") await drain(n.right);
      return;
    case "setop":
      await drain(n.left);
      return await drain(n.right);
    case "filter":
    case "project":
    case "limit":
    case "distinct":
      return await prematerialize(n.input, env);
  }
}

/** Runs a plan to completion, yielding to the event loop every limits.rowsPerYield rows. */
export async function runPlan(plan: PlanNode, env: Env, maxRows = Infinity): Promise<Row[]> {
  await prematerialize(plan, env);
  const it = open(plan, env);
  const out: Row[] = [];
  let n = 0;
  for (;;) {
    if (out.length >= maxRows) break;
    const r = it();
    if (r === null) break;
    out.push(r);
    if (++n >= limits.rowsPerYield) {
      n = 0;
      await env.yieldNow();
    }
  }
  return out;
}
