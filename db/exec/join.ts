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

function openNestLoop(n: Join, env: Env, open: Opener): Iter {
  const cond = compilePredicate(n.cond);
  const left = open(n.left, env);
  const rightWidth = n.right.cols.length;
  const leftWidth = n.left.cols.length;
  const type = n.type;
  let rightRows: Row[] | null = null;
  const rightFor = (l: Row): Row[] => {
    if (!n.lateral) return rightRows ??= drain(open(n.right, env));
    const saved = env.lateralRow;
    env.lateralRow = l;
    try {
      return drain(open(n.right, env));
    } finally {
      env.lateralRow = saved;
    }
  };
  const rightMatched = type === "right" || type === "full" ? new Set<number>() : null;
  let cur: Row | null = null;
  let rows: Row[] = [];
  let i = 0;
  let matched = false;
  let leftDone = false;
  let tail = 0;
  return () => {
    for (;;) {
      if (!leftDone && cur === null) {
        cur = left();
        if (cur === null) {
          leftDone = true;
          if (rightMatched !== null && rightRows === null) rightRows = drain(open(n.right, env));
        } else {
          rows = rightFor(cur);
          i = 0;
          matched = false;
        }
      }
      if (leftDone) {
        if (rightMatched === null) return null;
        const all = rightRows!;
        while (tail < all.length) {
          const k = tail++;
          if (!rightMatched.has(k)) return [...nulls(leftWidth), ...all[k]!];
        }
        return null;
      }
      const l = cur!;
      while (i < rows.length) {
        const k = i++;
        const joined = concat(l, rows[k]!);
        env.tick();
        if (cond !== null && !cond(joined, env)) continue;
        matched = true;
        if (rightMatched !== null) rightMatched.add(k);
        if (type === "semi") {
          i = rows.length;
          cur = null;
          return l;
        }
        if (type === "anti") {
          i = rows.length;
          break;
        }
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

function openHashJoin(n: Join, env: Env, open: Opener): Iter {
  const lk = n.leftKeys.map(compile);
  const rk = n.rightKeys.map(compile);
  const cond = compilePredicate(n.cond);
  const rightWidth = n.right.cols.length;
  const leftWidth = n.left.cols.length;
  const type = n.type;
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
  const left = open(n.left, env);
  const rightMatched = type === "right" || type === "full" ? new Set<number>() : null;
  let cur: Row | null = null;
  let bucket: number[] = [];
  let i = 0;
  let matched = false;
  let leftDone = false;
  let tail = 0;
  return () => {
    for (;;) {
      if (leftDone) {
        if (rightMatched === null) return null;
        while (tail < rights.length) {
          const k = tail++;
          if (!rightMatched.has(k)) return [...nulls(leftWidth), ...rights[k]!];
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
        if (one) {
          const v = lk0(cur, env);
          bucket = v === null ? [] : table.get(keyOf(v)) ?? [];
        } else {
          const vals = lk.map((f) => f(cur!, env));
          bucket = vals.some((v) => v === null) ? [] : table.get(tupleKey(vals)) ?? [];
        }
        i = 0;
        matched = false;
      }
      const l = cur;
      while (i < bucket.length) {
        const k = bucket[i++]!;
        const joined = concat(l, rights[k]!);
        if (cond !== null && !cond(joined, env)) continue;
        matched = true;
        if (rightMatched !== null) rightMatched.add(k);
        if (type === "semi") {
          cur = null;
          return l;
        }
        if (type === "anti") {
          i = bucket.length;
          break;
        }
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
