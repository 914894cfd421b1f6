/**
 * @module Hash aggregation with grouping sets: rows are grouped by their key values (per set,
 * the keys outside the set are NULL), each group keeps one state per aggregate; DISTINCT
 * arguments are de-duplicated, FILTER skips rows, ORDER BY inside an aggregate sorts its
 * inputs. A query without GROUP BY yields one row even over no input.
 */
import type { Datum } from "../datum.ts";
import type { PlanNode, SortKey } from "../plan/mod.ts";
import { type AggImpl, aggImpl } from "./aggregates.ts";
import type { Env, Iter, Row } from "./env.ts";
import { compile, type Compiled, compilePredicate } from "./expr.ts";
import { keyOf, tupleKey } from "./keys.ts";
import { sortRows } from "./sort.ts";

type Agg = Extract<PlanNode, { op: "agg" }>;

interface Prepared {
  impl: AggImpl;
  args: Compiled[];
  filter: ((r: Row, e: Env) => boolean) | null;
  distinct: boolean;
  star: boolean;
  orderBy: SortKey[];
}

interface Group {
  keys: Datum[];
  states: { v: unknown; n: number }[];
  /** For DISTINCT / ORDER BY aggregates: collected argument rows. */
  inputs: (Datum[][] | null)[];
}

/** A hash aggregate. */
export function openAgg(n: Agg, env: Env, open: (n: PlanNode, env: Env) => Iter): Iter {
  const keyFns = n.keys.map(compile);
  const aggs: Prepared[] = n.aggs.map((a) => ({
    impl: aggImpl(a),
    args: a.args.map(compile),
    filter: compilePredicate(a.filter),
    distinct: a.distinct,
    star: a.star,
    orderBy: a.orderBy,
  }));
  const sets = n.sets ?? [n.keys.map((_, i) => i)];
  const withMask = n.sets !== null;
  const groups: Map<unknown, Group>[] = sets.map(() => new Map());
  const order: Group[][] = sets.map(() => []);
  const input = open(n.input, env);
  const ctx = env.ctx;
  const newGroup = (keys: Datum[]): Group => ({
    keys,
    states: aggs.map((a) => a.impl.init()),
    inputs: aggs.map((a) => a.distinct || a.orderBy.length > 0 ? [] : null),
  });
  const tolerant = n.aggs.map((a) => a.star || isNullTolerant(a.name));
  const nAggs = aggs.length;
  const nKeys = keyFns.length;
  const argBufs = aggs.map((a) => new Array<Datum>(a.args.length));
  const single = sets.length === 1 && sets[0]!.length === nKeys;
  const groups0 = groups[0]!;
  const order0 = order[0]!;
  for (let row = input(); row !== null; row = input()) {
    env.tick();
    let full: Datum[];
    let g: Group | undefined;
    if (single) {
      // The common case: one grouping set of all keys.
      if (nKeys === 0) {
        g = order0[0];
        full = [];
      } else if (nKeys === 1) {
        const v = keyFns[0]!(row, env);
        const hk = keyOf(v);
        g = groups0.get(hk);
        full = g === undefined ? [v] : g.keys;
        if (g === undefined) {
          g = newGroup(full);
          groups0.set(hk, g);
          order0.push(g);
        }
      } else {
        full = keyFns.map((f) => f(row!, env));
        const hk = tupleKey(full);
        g = groups0.get(hk);
        if (g === undefined) {
          g = newGroup(full);
          groups0.set(hk, g);
          order0.push(g);
        }
      }
      if (g === undefined) {
        g = newGroup(full);
        groups0.set(0, g);
        order0.push(g);
      }
      step(g, row);
      continue;
    }
    full = keyFns.map((f) => f(row!, env));
    for (let s = 0; s < sets.length; s++) {
      const set = sets[s]!;
      const keys = set.length === full.length
        ? full
        : full.map((v, i) => set.includes(i) ? v : null);
      const hk = keys.length === 0 ? 0 : keys.length === 1 ? keyOf(keys[0]!) : tupleKey(keys);
      let gg = groups[s]!.get(hk);
      if (gg === undefined) {
        gg = newGroup(keys);
        groups[s]!.set(hk, gg);
        order[s]!.push(gg);
      }
      step(gg, row);
    }
  }
  function step(g: Group, row: Row): void {
    for (let j = 0; j < nAggs; j++) {
      const a = aggs[j]!;
      if (a.filter !== null && !a.filter(row, env)) continue;
      const args = argBufs[j]!;
      let hasNull = false;
      for (let k = 0; k < a.args.length; k++) {
        const v = a.args[k]!(row, env);
        args[k] = v;
        if (v === null) hasNull = true;
      }
      if (hasNull && !tolerant[j]) continue;
      const inputs = g.inputs[j];
      if (inputs !== null && inputs !== undefined) {
        const sortVals = a.orderBy.map((k) => compile(k.expr)(row, env));
        inputs.push([...args, ...sortVals]);
      } else a.impl.step(g.states[j]!, args, ctx);
    }
  }
  if (n.keys.length === 0 || (withMask && sets.some((s) => s.length === 0))) {
    for (let s = 0; s < sets.length; s++) {
      if (sets[s]!.length === 0 && order[s]!.length === 0) {
        order[s]!.push(newGroup(n.keys.map(() => null)));
      }
    }
  }
  const out: Row[] = [];
  for (let s = 0; s < sets.length; s++) {
    let mask = 0;
    n.keys.forEach((_, i) => {
      if (!sets[s]!.includes(i)) mask |= 1 << i;
    });
    for (const g of order[s]!) {
      const vals = aggs.map((a, j) => {
        const inputs = g.inputs[j];
        if (inputs !== null && inputs !== undefined) finishInputs(a, inputs, g.states[j]!, env);
        return a.impl.final(g.states[j]!, ctx);
      });
      const row = [...g.keys, ...vals];
      if (withMask) row.push(mask);
      out.push(row);
    }
  }
  let i = 0;
  return () => i < out.length ? out[i++]! : null;
}

function isNullTolerant(name: string): boolean {
  return name === "array_agg" || name === "json_agg" || name === "jsonb_agg" ||
    name === "json_object_agg" ||
    name === "jsonb_object_agg";
}

function finishInputs(
  a: Prepared,
  inputs: Datum[][],
  state: { v: unknown; n: number },
  env: Env,
): void {
  const nArgs = a.args.length;
  let rows = inputs;
  if (a.orderBy.length > 0) {
    const keys = a.orderBy.map((k, i) => ({
      ...k,
      expr: { k: "col", type: k.expr.type, typmod: -1, index: nArgs + i, name: "" } as const,
    }));
    rows = sortRows(rows, keys, env);
  }
  if (a.distinct) {
    const seen = new Set<unknown>();
    rows = rows.filter((r) => {
      const k = tupleKey(r.slice(0, nArgs));
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  for (const r of rows) a.impl.step(state, r.slice(0, nArgs), env.ctx);
}
