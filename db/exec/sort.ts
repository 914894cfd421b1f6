/**
 * @module Sort (stable, per key direction and NULLS FIRST/LAST), LIMIT/OFFSET, and DISTINCT /
 * DISTINCT ON.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import type { PlanNode, SortKey } from "../plan/mod.ts";
import type { Env, Iter, Row } from "./env.ts";
import { compile } from "./expr.ts";
import { tupleKey } from "./keys.ts";

type Open = (n: PlanNode, env: Env) => Iter;

/** Sorts rows by keys (a new array). */
export function sortRows(rows: Row[], keys: SortKey[], env: Env): Row[] {
  const fns = keys.map((k) => compile(k.expr));
  const decorated = rows.map((r) => ({ r, k: fns.map((f) => f(r, env)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const x = a.k[i]!;
      const y = b.k[i]!;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === key.nullsFirst ? -1 : 1;
      }
      const c = key.cmp(x, y);
      if (c !== 0) return key.desc ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.r);
}

/** A sort. */
export function openSort(n: Extract<PlanNode, { op: "sort" }>, env: Env, open: Open): Iter {
  const input = open(n.input, env);
  const rows: Row[] = [];
  for (let r = input(); r !== null; r = input()) {
    env.tick();
    rows.push(r);
  }
  const sorted = sortRows(rows, n.keys, env);
  let i = 0;
  return () => i < sorted.length ? sorted[i++]! : null;
}

/** LIMIT / OFFSET. */
export function openLimit(n: Extract<PlanNode, { op: "limit" }>, env: Env, open: Open): Iter {
  const lim = n.limit ? compile(n.limit)([], env) : null;
  const off = n.offset ? compile(n.offset)([], env) : null;
  if (lim !== null && Number(lim) < 0) {
    throw new DbError(SqlState.invalidRowCountInLimitClause, "LIMIT must not be negative");
  }
  if (off !== null && Number(off) < 0) {
    throw new DbError(SqlState.invalidRowCountInResultOffsetClause, "OFFSET must not be negative");
  }
  const limit = lim === null ? Infinity : Number(lim);
  let skip = off === null ? 0 : Number(off);
  let given = 0;
  if (limit === 0) return () => null;
  const input = open(n.input, env);
  return () => {
    if (given >= limit) return null;
    for (;;) {
      const r = input();
      if (r === null) return null;
      if (skip > 0) {
        skip--;
        continue;
      }
      given++;
      return r;
    }
  };
}

/** DISTINCT (all columns, hashed) and DISTINCT ON (first row of each run of equal keys). */
export function openDistinct(n: Extract<PlanNode, { op: "distinct" }>, env: Env, open: Open): Iter {
  const input = open(n.input, env);
  if (n.on === null) {
    const seen = new Set<unknown>();
    return () => {
      for (let r = input(); r !== null; r = input()) {
        env.tick();
        const k = tupleKey(r);
        if (seen.has(k)) continue;
        seen.add(k);
        return r;
      }
      return null;
    };
  }
  const fns = n.on.map((k) => compile(k.expr));
  let last: unknown = undefined;
  return () => {
    for (let r = input(); r !== null; r = input()) {
      const k = tupleKey(fns.map((f) => f(r!, env)));
      if (last !== undefined && k === last) continue;
      last = k;
      return r;
    }
    return null;
  };
}
