/**
 * @module Table access: sequential scans and index scans (equality on a key prefix, optionally a
 * range on the next key column) through the transaction's allocation-free cursors, each with its
 * pushed-down filter. A row id column is appended when a DML statement needs it.
 */
import type { Datum } from "../datum.ts";
import type { PlanNode } from "../plan/mod.ts";
import type { Env, Iter, Row } from "./env.ts";
import { compile, compilePredicate } from "./expr.ts";

type SeqScan = Extract<PlanNode, { op: "seqscan" }>;
type IndexScan = Extract<PlanNode, { op: "indexscan" }>;

/** A sequential scan. */
export function openSeqScan(n: SeqScan, env: Env): Iter {
  const c = env.txn.scan(n.rel.storageId);
  const filter = compilePredicate(n.filter);
  const withId = n.rowId;
  return () => {
    while (c.next()) {
      env.tick();
      const row = withId ? [...c.row, c.rowId] : c.row;
      if (filter === null || filter(row, env)) return row;
    }
    return null;
  };
}

/** An index scan. */
export function openIndexScan(n: IndexScan, env: Env): Iter {
  const none: Row = [];
  const eq = n.eq.map((e) => compile(e)(none, env));
  if (eq.some((v) => v === null)) return () => null; // = NULL matches nothing
  let lower: Datum[] | undefined = eq.length > 0 ? eq : undefined;
  let upper: Datum[] | undefined = eq.length > 0 ? eq : undefined;
  let lowerInclusive = true;
  let upperInclusive = true;
  if (n.lower) {
    const v = compile(n.lower.value)(none, env);
    if (v === null) return () => null;
    lower = [...eq, v];
    lowerInclusive = n.lower.inclusive;
  }
  if (n.upper) {
    const v = compile(n.upper.value)(none, env);
    if (v === null) return () => null;
    upper = [...eq, v];
    upperInclusive = n.upper.inclusive;
  }
  if (n.lower && !n.upper && eq.length === 0) {
    // A lower bound alone must not return NULL keys (sorted last).
    upper = undefined;
  }
  const c = env.txn.indexScan(n.index.oid, {
    lower,
    upper,
    lowerInclusive,
    upperInclusive,
    reverse: n.reverse,
  });
  const filter = compilePredicate(n.filter);
  const withId = n.rowId;
  const col0 = n.index.slots[eq.length] ?? -1;
  const needNotNull = n.lower !== null && n.upper === null;
  return () => {
    while (c.next()) {
      env.tick();
      if (needNotNull && c.row[col0] === null) continue;
      const row = withId ? [...c.row, c.rowId] : c.row;
      if (filter === null || filter(row, env)) return row;
    }
    return null;
  };
}
