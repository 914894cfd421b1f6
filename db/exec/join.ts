/**
 * @module Joins: nested loop (any condition; LATERAL re-runs the right side per left row) and
 * hash join (equi-joins: the right side is built into a hash table), for inner, left, right,
 * full, semi and anti joins. Output rows are the left row followed by the right row.
 */
import type { PlanNode } from "../plan/mod.ts";
import type { Env, Iter, Row } from "./env.ts";
import { compile, compilePredicate } from "./expr.ts";
import { keyOf, tupleKey } from "./keys.ts";

type Join = Extract<PlanNode, { op: "join" }>;
type Opener = (n: PlanNode, env: Env) => Iter;

function drain(it: Iter): Row[] {
  const out: Row[] = [];
  for (let r = it(); r !== null; r = it()) out.push(r);
  return out;
}

/** The joined row: left values then right values (no iterator protocol, unlike a spread). */
function concat(a: Row, b: Row): Row {
  const n = a.length;
  const m = b.length;
  const out: Row = new Array(n + m);
  for (let i = 0; i < n; i++) out[i] = a[i]!;
  for (let i = 0; i < m; i++) out[n + i] = b[i]!;
  return out;
}

function nulls(n: number): Row {
  return new Array(n).fill(null);
}

/** A join. */
export function openJoin(n: Join, env: Env, open: Opener): Iter {
  if (n.method === "index") return openIndexNestLoop(n, env, open);
  return n.method === "hash" ? openHashJoin(n, env, open) : openNestLoop(n, env, open);
}

/**
 * The matching both nested loop and hash join share: for each left row, `rowsFor` gives the
 * right rows and `idxFor` the positions to try among them (null: all of them, no allocation per
 * left row either way); the join condition filters them; unmatched rows
 * are null-extended for outer joins; semi and anti joins emit the left row once or never. For
 * right and full joins, `allRights` gives the right side whose unmatched rows come last.
 */
function matchRows(
  n: Join,
  env: Env,
  left: Iter,
  rowsFor: (l: Row) => Row[],
  idxFor: ((l: Row) => number[]) | null,
  allRights: () => Row[],
): Iter {
  const cond = compilePredicate(n.cond);
  const rightWidth = n.right.cols.length;
  const leftWidth = n.left.cols.length;
  const type = n.type;
  const rightMatched = type === "right" || type === "full" ? new Set<number>() : null;
  let cur: Row | null = null;
  let rows: Row[] = [];
  let idx: number[] | null = null;
  let i = 0;
  let matched = false;
  let leftDone = false;
  let tail = 0;
  return () => {
    for (;;) {
      if (leftDone) {
        if (rightMatched === null) return null;
        const all = allRights();
        while (tail < all.length) {
          const k = tail++;
          if (!rightMatched.has(k)) return [...nulls(leftWidth), ...all[k]!];
        }
        return null;
      }
      if (cur === null) {
        cur = left();
        if (cur === null) {
          leftDone = true;
          continue;
        }
        env.tick();
        rows = rowsFor(cur);
        idx = idxFor === null ? null : idxFor(cur);
        i = 0;
        matched = false;
      }
      const l = cur;
      const count = idx === null ? rows.length : idx.length;
      while (i < count) {
        const k = idx === null ? i : idx[i]!;
        i++;
        const joined = concat(l, rows[k]!);
        env.tick();
        if (cond !== null && !cond(joined, env)) continue;
        matched = true;
        if (rightMatched !== null) rightMatched.add(k);
        if (type === "semi") {
          cur = null;
          return l;
        }
        if (type === "anti") break;
        return joined;
      }
      cur = null;
      if (!matched) {
        if (type === "left" || type === "full") return [...l, ...nulls(rightWidth)];
        if (type === "anti") return l;
      }
    }
  };
}

function openNestLoop(n: Join, env: Env, open: Opener): Iter {
  let rightRows: Row[] | null = null;
  const allRights = () => rightRows ??= drain(open(n.right, env));
  const rightFor = (l: Row): Row[] => {
    if (!n.lateral) return allRights();
    const saved = env.lateralRow;
    env.lateralRow = l;
    try {
      return drain(open(n.right, env));
    } finally {
      env.lateralRow = saved;
    }
  };
  return matchRows(n, env, open(n.left, env), rightFor, null, allRights);
}

function openHashJoin(n: Join, env: Env, open: Opener): Iter {
  const lk = n.leftKeys.map(compile);
  const rk = n.rightKeys.map(compile);
  const table = new Map<unknown, number[]>();
  const rights = drain(open(n.right, env));
  const one = rk.length === 1;
  const rk0 = rk[0]!;
  const lk0 = lk[0]!;
  for (let k = 0; k < rights.length; k++) {
    const r = rights[k]!;
    let key: unknown;
    if (one) {
      const v = rk0(r, env);
      if (v === null) continue;
      key = keyOf(v);
    } else {
      const vals = rk.map((f) => f(r, env));
      if (vals.some((v) => v === null)) continue;
      key = tupleKey(vals);
    }
    const list = table.get(key);
    if (list === undefined) table.set(key, [k]);
    else list.push(k);
    env.tick();
  }
  const none: number[] = [];
  const bucketOf = (l: Row): number[] => {
    if (one) {
      const v = lk0(l, env);
      return v === null ? none : table.get(keyOf(v)) ?? none;
    }
    const vals = lk.map((f) => f(l, env));
    return vals.some((v) => v === null) ? none : table.get(tupleKey(vals)) ?? none;
  };
  const left = open(n.left, env);
  if (n.type === "inner") return innerProbe(left, rights, bucketOf, compilePredicate(n.cond), env);
  const all = () => rights;
  return matchRows(n, env, left, all, bucketOf, all);
}

/**
 * The probe of an inner hash join (the common case, kept apart from {@link matchRows} so that
 * it stays small): each left row meets the right rows of its bucket that pass the residual
 * condition.
 */
function innerProbe(
  left: Iter,
  rights: Row[],
  bucketOf: (l: Row) => number[],
  cond: ((row: Row, env: Env) => boolean) | null,
  env: Env,
): Iter {
  let l: Row = [];
  let bucket: number[] = [];
  let i = 0;
  let done = false;
  return () => {
    for (;;) {
      while (i < bucket.length) {
        const joined = concat(l, rights[bucket[i++]!]!);
        env.tick();
        if (cond === null || cond(joined, env)) return joined;
      }
      const next = done ? null : left();
      if (next === null) {
        done = true;
        return null;
      }
      env.tick();
      l = next;
      bucket = bucketOf(l);
      i = 0;
    }
  };
}

/** Index nested loop: each left row's key is looked up in the right table's index. */
function openIndexNestLoop(n: Join, env: Env, open: Opener): Iter {
  const right = n.right as Extract<PlanNode, { op: "seqscan" }>;
  const lk = compile(n.leftKeys[0]!);
  const rfilter = compilePredicate(right.filter);
  const cond = compilePredicate(n.cond);
  const rightWidth = n.right.cols.length;
  const type = n.type;
  const left = open(n.left, env);
  const indexOid = n.index!.oid;
  let cur: Row | null = null;
  let cursor: { next(): boolean; row: Row; rowId: number } | null = null;
  let matched = false;
  return () => {
    for (;;) {
      if (cur === null) {
        cur = left();
        if (cur === null) return null;
        env.tick();
        const key = lk(cur, env);
        cursor = key === null ? null : env.txn.lookup(indexOid, [key]);
        matched = false;
      }
      const l = cur;
      while (cursor !== null && cursor.next()) {
        const r = right.rowId ? [...cursor.row, cursor.rowId] : cursor.row;
        if (rfilter !== null && !rfilter(r, env)) continue;
        const joined = concat(l, r);
        if (cond !== null && !cond(joined, env)) continue;
        matched = true;
        if (type === "semi") {
          cur = null;
          return l;
        }
        if (type === "anti") {
          cursor = null;
          break;
        }
        return joined;
      }
      cur = null;
      if (!matched) {
        if (type === "left") return [...l, ...nulls(rightWidth)];
        if (type === "anti") return l;
      }
    }
  };
}
