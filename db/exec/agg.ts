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
import { keyOf, KeyTable, tupleKey } from "./keys.ts";
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

/** A hash aggregate: its input drained through an {@link AggBuild}. */
export function openAgg(n: Agg, env: Env, open: (n: PlanNode, env: Env) => Iter): Iter {
  const b = new AggBuild(n, env);
  const input = open(n.input, env);
  for (let row = input(); row !== null; row = input()) b.add(row);
  const out = b.finish();
  let i = 0;
  return () => i < out.length ? out[i++]! : null;
}

/**
 * The build side of a hash aggregate: rows go in one at a time (so a caller may yield between
 * them), `finish` gives the output rows (keys, aggregate values, and the grouping-set bitmask
 * when there are grouping sets).
 */
export class AggBuild {
  readonly #n: Agg;
  readonly #env: Env;
  readonly #keyFns: Compiled[];
  readonly #aggs: Prepared[];
  readonly #sets: number[][];
  readonly #groups: KeyTable<Group>[];
  readonly #order: Group[][];
  readonly #tolerant: boolean[];
  readonly #argBufs: Datum[][];
  /** Aggregates whose step is only counting rows (count(*) without FILTER or DISTINCT). */
  readonly #countOnly: boolean[];
  /** One grouping set of all keys (no GROUPING SETS): the common case. */
  readonly #single: boolean;
  /** The group of the last row (single set, one key): runs of equal keys skip the hash. */
  #lastKey: unknown = undefined;
  #lastGroup: Group | undefined = undefined;

  constructor(n: Agg, env: Env) {
    this.#n = n;
    this.#env = env;
    this.#keyFns = n.keys.map(compile);
    this.#aggs = n.aggs.map((a) => ({
      impl: aggImpl(a),
      args: a.args.map(compile),
      filter: compilePredicate(a.filter),
      distinct: a.distinct,
      star: a.star,
      orderBy: a.orderBy,
    }));
    this.#sets = n.sets ?? [n.keys.map((_, i) => i)];
    this.#groups = this.#sets.map(() => new KeyTable<Group>());
    this.#order = this.#sets.map(() => []);
    this.#tolerant = n.aggs.map((a) => a.star || isNullTolerant(a.name));
    this.#argBufs = this.#aggs.map((a) => new Array<Datum>(a.args.length));
    this.#countOnly = n.aggs.map((a) =>
      a.name === "count" && a.star && a.filter === null && !a.distinct && a.orderBy.length === 0
    );
    this.#single = this.#sets.length === 1 && this.#sets[0]!.length === this.#keyFns.length;
    if (this.#single && this.#keyFns.length === 0) {
      // No GROUP BY: the one group exists even over no input.
      this.#order[0]!.push(this.#newGroup([]));
    }
  }

  #newGroup(keys: Datum[]): Group {
    return {
      keys,
      states: this.#aggs.map((a) => a.impl.init()),
      inputs: this.#aggs.map((a) => a.distinct || a.orderBy.length > 0 ? [] : null),
    };
  }

  /** Adds one input row. */
  add(row: Row): void {
    const env = this.#env;
    env.tick();
    if (this.#single) {
      const keyFns = this.#keyFns;
      let g: Group | undefined;
      if (keyFns.length === 0) g = this.#order[0]![0]!;
      else if (keyFns.length === 1) {
        const v = keyFns[0]!(row, env);
        const hk = keyOf(v);
        if (hk === this.#lastKey && this.#lastGroup !== undefined) g = this.#lastGroup;
        else {
          g = this.#groups[0]!.get(hk);
          if (g === undefined) {
            g = this.#newGroup([v]);
            this.#groups[0]!.set(hk, g);
            this.#order[0]!.push(g);
          }
          this.#lastKey = hk;
          this.#lastGroup = g;
        }
      } else {
        const full: Datum[] = new Array(keyFns.length);
        for (let i = 0; i < keyFns.length; i++) full[i] = keyFns[i]!(row, env);
        const hk = tupleKey(full);
        g = this.#groups[0]!.get(hk);
        if (g === undefined) {
          g = this.#newGroup(full);
          this.#groups[0]!.set(hk, g);
          this.#order[0]!.push(g);
        }
      }
      this.#step(g, row);
      return;
    }
    const full = this.#keyFns.map((f) => f(row, env));
    const sets = this.#sets;
    for (let s = 0; s < sets.length; s++) {
      const set = sets[s]!;
      const keys = set.length === full.length
        ? full
        : full.map((v, i) => set.includes(i) ? v : null);
      const hk = keys.length === 0 ? 0 : keys.length === 1 ? keyOf(keys[0]!) : tupleKey(keys);
      let gg = this.#groups[s]!.get(hk);
      if (gg === undefined) {
        gg = this.#newGroup(keys);
        this.#groups[s]!.set(hk, gg);
        this.#order[s]!.push(gg);
      }
      this.#step(gg, row);
    }
  }

  #step(g: Group, row: Row): void {
    const env = this.#env;
    const aggs = this.#aggs;
    const states = g.states;
    for (let j = 0; j < aggs.length; j++) {
      if (this.#countOnly[j]) {
        states[j]!.n++;
        continue;
      }
      const a = aggs[j]!;
      if (a.filter !== null && !a.filter(row, env)) continue;
      const args = this.#argBufs[j]!;
      const nArgs = a.args.length;
      let hasNull = false;
      for (let k = 0; k < nArgs; k++) {
        const v = a.args[k]!(row, env);
        args[k] = v;
        if (v === null) hasNull = true;
      }
      if (hasNull && !this.#tolerant[j]) continue;
      const inputs = g.inputs[j];
      if (inputs !== null && inputs !== undefined) {
        const sortVals = a.orderBy.map((k) => compile(k.expr)(row, env));
        inputs.push([...args, ...sortVals]);
      } else a.impl.step(states[j]!, args, env.ctx);
    }
  }

  /** The output rows. */
  finish(): Row[] {
    const n = this.#n;
    const env = this.#env;
    const sets = this.#sets;
    const order = this.#order;
    const aggs = this.#aggs;
    if (n.sets !== null && sets.some((s) => s.length === 0)) {
      for (let s = 0; s < sets.length; s++) {
        if (sets[s]!.length === 0 && order[s]!.length === 0) {
          order[s]!.push(this.#newGroup(n.keys.map(() => null)));
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
          return a.impl.final(g.states[j]!, env.ctx);
        });
        const row = [...g.keys, ...vals];
        if (n.sets !== null) row.push(mask);
        out.push(row);
      }
    }
    return out;
  }
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
