/**
 * @module Window functions: rows are sorted by (PARTITION BY, ORDER BY) per window, then each
 * function is computed over its partition — ranking functions, lag/lead, first/last/nth_value,
 * and aggregates over ROWS / RANGE / GROUPS frames (peers by ORDER BY), appended as columns.
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { PlanNode, SortKey, WinCall } from "../plan/mod.ts";
import { aggImpl } from "./aggregates.ts";
import type { Env, Iter, Row } from "./env.ts";
import { compile, compilePredicate } from "./expr.ts";
import { tupleKey } from "./keys.ts";
import { sortRows } from "./sort.ts";

type Win = Extract<PlanNode, { op: "window" }>;

/** A window node. */
export function openWindow(n: Win, env: Env, open: (n: PlanNode, env: Env) => Iter): Iter {
  const input = open(n.input, env);
  const rows: Row[] = [];
  for (let r = input(); r !== null; r = input()) {
    env.tick();
    rows.push(r);
  }
  const results: Datum[][] = n.funcs.map(() => new Array(rows.length).fill(null));
  n.funcs.forEach((w, j) => computeWindow(w, rows, results[j]!, env));
  const out = rows.map((r, i) => [...r, ...results.map((res) => res[i]!)]);
  let i = 0;
  return () => i < out.length ? out[i++]! : null;
}

function computeWindow(w: WinCall, rows: Row[], res: Datum[], env: Env): void {
  const partKeys: SortKey[] = w.partitionBy.map((e) => ({
    expr: e,
    desc: false,
    nullsFirst: false,
    cmp: () => 0,
  }));
  // Sort indexes by partition (hash grouping keeps partitions contiguous) then ORDER BY.
  const pf = w.partitionBy.map(compile);
  const idx = rows.map((_, i) => i);
  const parts = new Map<unknown, number[]>();
  for (const i of idx) {
    const k = tupleKey(pf.map((f) => f(rows[i]!, env)));
    const list = parts.get(k);
    if (list === undefined) parts.set(k, [i]);
    else list.push(i);
  }
  void partKeys;
  const of = w.orderBy.map((k) => compile(k.expr));
  for (const members of parts.values()) {
    const tagged = members.map((i) => [...rows[i]!, i]);
    const sorted = w.orderBy.length > 0 ? sortRows(tagged, w.orderBy, env) : tagged;
    const order = sorted.map((r) => r[r.length - 1] as number);
    const okeys = order.map((i) => tupleKey(of.map((f) => f(rows[i]!, env))));
    computePartition(w, rows, order, okeys, res, env);
  }
}

function peersRange(okeys: unknown[], i: number): [number, number] {
  let s = i;
  while (s > 0 && okeys[s - 1] === okeys[i]) s--;
  let e = i;
  while (e + 1 < okeys.length && okeys[e + 1] === okeys[i]) e++;
  return [s, e];
}

function computePartition(
  w: WinCall,
  rows: Row[],
  order: number[],
  okeys: unknown[],
  res: Datum[],
  env: Env,
): void {
  const n = order.length;
  const args = w.args.map(compile);
  const argAt = (k: number, a: number): Datum => args[a]!(rows[order[k]!]!, env);
  switch (w.name) {
    case "row_number":
      order.forEach((ri, k) => res[ri] = BigInt(k + 1));
      return;
    case "rank":
    case "dense_rank":
    case "percent_rank":
    case "cume_dist": {
      let rank = 1;
      let dense = 1;
      for (let k = 0; k < n; k++) {
        if (k > 0 && okeys[k] !== okeys[k - 1]) {
          rank = k + 1;
          dense++;
        }
        const ri = order[k]!;
        if (w.name === "rank") res[ri] = BigInt(rank);
        else if (w.name === "dense_rank") res[ri] = BigInt(dense);
        else if (w.name === "percent_rank") res[ri] = n > 1 ? (rank - 1) / (n - 1) : 0;
        else res[ri] = (peersRange(okeys, k)[1] + 1) / n;
      }
      return;
    }
    case "ntile": {
      for (let k = 0; k < n; k++) {
        const buckets = Number(argAt(k, 0));
        if (!(buckets > 0)) {
          throw new DbError(
            SqlState.invalidArgumentForNtile,
            "argument of ntile must be greater than zero",
          );
        }
        const per = Math.floor(n / buckets);
        const extra = n % buckets;
        const big = extra * (per + 1);
        res[order[k]!] = k < big
          ? Math.floor(k / (per + 1)) + 1
          : Math.floor((k - big) / Math.max(per, 1)) + extra + 1;
      }
      return;
    }
    case "lag":
    case "lead": {
      for (let k = 0; k < n; k++) {
        const off = args.length > 1 ? Number(argAt(k, 1)) : 1;
        const t = w.name === "lag" ? k - off : k + off;
        res[order[k]!] = t >= 0 && t < n ? argAt(t, 0) : (args.length > 2 ? argAt(k, 2) : null);
      }
      return;
    }
  }
  // Frame-based: first/last/nth_value and aggregates.
  const f = w.frame;
  const offsetOf = (b: { offset: unknown }) =>
    b.offset ? Number(compile(b.offset as never)([], env)) : 0;
  const startOff = offsetOf(f.start);
  const endOff = offsetOf(f.end);
  if (startOff < 0 || endOff < 0) {
    throw new DbError(
      SqlState.invalidPrecedingOrFollowingSize,
      `frame ${startOff < 0 ? "starting" : "ending"} offset must not be negative`,
    );
  }
  const rangeVals = f.mode === "range" && (f.start.offset || f.end.offset) && w.orderBy.length === 1
    ? order.map((i) => compile(w.orderBy[0]!.expr)(rows[i]!, env))
    : null;
  const filter = compilePredicate(w.filter);
  for (let k = 0; k < n; k++) {
    let [s, e] = rangeVals !== null
      ? rangeBounds(rangeVals, k, f.start.type, f.end.type, startOff, endOff, w.orderBy[0]!.desc)
      : frameBounds(f.mode, f.start.type, f.end.type, startOff, endOff, k, n, okeys);
    if (w.name === "first_value" || w.name === "last_value" || w.name === "nth_value") {
      s = Math.max(s, 0);
      e = Math.min(e, n - 1);
      if (s > e) {
        res[order[k]!] = null;
        continue;
      }
      if (w.name === "first_value") res[order[k]!] = argAt(s, 0);
      else if (w.name === "last_value") res[order[k]!] = argAt(e, 0);
      else {
        const nth = Number(argAt(k, 1));
        res[order[k]!] = s + nth - 1 <= e ? argAt(s + nth - 1, 0) : null;
      }
      continue;
    }
    const impl = aggImpl({
      name: w.name,
      args: w.args,
      distinct: w.distinct,
      star: w.star,
      filter: w.filter,
      orderBy: [],
      type: w.type,
      argTypes: w.argTypes,
    });
    const st = impl.init();
    const seen = w.distinct ? new Set<unknown>() : null;
    for (let x = Math.max(s, 0); x <= Math.min(e, n - 1); x++) {
      if (f.exclude === "current_row" && x === k) continue;
      if (
        (f.exclude === "group" || f.exclude === "ties") && okeys[x] === okeys[k] &&
        !(f.exclude === "ties" && x === k)
      ) continue;
      const r = rows[order[x]!]!;
      if (filter !== null && !filter(r, env)) continue;
      const a = args.map((fn) => fn(r, env));
      if (!w.star && a.some((v) => v === null) && w.name !== "array_agg") continue;
      if (seen) {
        const key = tupleKey(a);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      impl.step(st, a, env.ctx);
    }
    res[order[k]!] = impl.final(st, env.ctx);
  }
}

/** RANGE frames with offsets: rows whose ORDER BY value lies within [v - start, v + end]. */
function rangeBounds(
  vals: Datum[],
  k: number,
  st: string,
  et: string,
  so: number,
  eo: number,
  desc: boolean,
): [number, number] {
  const num = (d: Datum) => (d === null ? NaN : Number(typeof d === "object" ? String(d) : d));
  const v = num(vals[k]!);
  const n = vals.length;
  const sign = desc ? -1 : 1;
  const lo = st === "unbounded_preceding"
    ? -Infinity
    : st === "current_row"
    ? v
    : st === "preceding"
    ? v - sign * so
    : v + sign * so;
  const hi = et === "unbounded_following"
    ? Infinity
    : et === "current_row"
    ? v
    : et === "following"
    ? v + sign * eo
    : v - sign * eo;
  let s = 0;
  while (s < n && !(desc ? num(vals[s]!) <= lo : num(vals[s]!) >= lo)) s++;
  let e = n - 1;
  while (e >= 0 && !(desc ? num(vals[e]!) >= hi : num(vals[e]!) <= hi)) e--;
  return [s, e];
}

function frameBounds(
  mode: string,
  startType: string,
  endType: string,
  startOff: number,
  endOff: number,
  k: number,
  n: number,
  okeys: unknown[],
): [number, number] {
  const [ps, pe] = peersRange(okeys, k);
  const bound = (type: string, off: number, isStart: boolean): number => {
    switch (type) {
      case "unbounded_preceding":
        return 0;
      case "unbounded_following":
        return n - 1;
      case "current_row":
        return mode === "rows" ? k : isStart ? ps : pe;
      case "preceding":
        return mode === "rows"
          ? k - off
          : mode === "groups"
          ? groupShift(okeys, k, -off, isStart)
          : (isStart ? ps : pe);
      case "following":
        return mode === "rows"
          ? k + off
          : mode === "groups"
          ? groupShift(okeys, k, off, isStart)
          : (isStart ? ps : pe);
    }
    return k;
  };
  return [bound(startType, startOff, true), bound(endType, endOff, false)];
}

function groupShift(okeys: unknown[], k: number, by: number, isStart: boolean): number {
  // Walk `by` peer groups from k's group; return the group's first (start) or last (end) row.
  let [s, e] = peersRange(okeys, k);
  let steps = Math.abs(by);
  while (steps-- > 0) {
    if (by < 0) {
      if (s === 0) return isStart ? -1 : -1;
      [s, e] = peersRange(okeys, s - 1);
    } else {
      if (e === okeys.length - 1) return okeys.length;
      [s, e] = peersRange(okeys, e + 1);
    }
  }
  return isStart ? s : e;
}
