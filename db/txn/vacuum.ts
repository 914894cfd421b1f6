/**
 * @module Vacuum: prunes versions that no snapshot can see any more, and the index entries of
 * keys no remaining version has. Committed UPDATEs and DELETEs queue their row ids with their CSN;
 * vacuum takes them in CSN order once the CSN is at or below the horizon (the oldest snapshot of
 * any open transaction or running checkpoint), a bounded number per step.
 */
import type { Datum } from "../datum.ts";
import type { Table, Version } from "../storage/mod.ts";

/** What a vacuum pass did. */
export interface VacuumStats {
  rowsExamined: number;
  versionsRemoved: number;
  rowsRemoved: number;
  indexEntriesRemoved: number;
}

/** A fresh, empty tally. */
export function emptyVacuumStats(): VacuumStats {
  return { rowsExamined: 0, versionsRemoved: 0, rowsRemoved: 0, indexEntriesRemoved: 0 };
}

/**
 * Prunes up to `budget` queued rows of `t` whose change is at or below `horizon`; returns the
 * budget left.
 */
export function vacuumTable(t: Table, horizon: number, budget: number, stats: VacuumStats): number {
  const rows = t.vacuumRows;
  const csns = t.vacuumCsns;
  let i = 0;
  while (i < rows.length && budget > 0 && csns[i]! <= horizon) {
    pruneRow(t, rows[i]!, horizon, stats);
    i++;
    budget--;
  }
  if (i > 0) {
    rows.splice(0, i);
    csns.splice(0, i);
  }
  return budget;
}

/** Removes the versions of one row that every snapshot at or after `horizon` cannot see. */
export function pruneRow(t: Table, rowId: number, horizon: number, stats: VacuumStats): void {
  stats.rowsExamined++;
  const head = t.heap.heads[rowId];
  if (head === undefined) return;
  // The newest version committed at or before the horizon is the oldest anyone still needs.
  let keep: Version | null = head;
  while (keep !== null && !(keep.begin > 0 && keep.begin <= horizon)) keep = keep.older;
  if (keep === null) return;
  const dropped: Version[] = [];
  for (let v = keep.older; v !== null; v = v.older) dropped.push(v);
  const rowDead = keep === head && keep.end > 0 && keep.end <= horizon;
  if (rowDead) dropped.push(keep);
  if (dropped.length === 0) return;
  keep.older = null;
  const remaining: Version[] = [];
  if (!rowDead) { for (let v: Version | null = head; v !== null; v = v.older) remaining.push(v); }
  for (const idx of t.indexes) {
    const key = idx.keyOf;
    const compare = idx.compareKey;
    const kept: Datum[] = remaining.map((v) => key(v.row));
    for (const v of dropped) {
      const k = key(v.row);
      if (kept.some((r) => compare(r, k) === 0)) continue;
      if (idx.tree.delete(k, rowId)) stats.indexEntriesRemoved++;
      kept.push(k);
    }
  }
  stats.versionsRemoved += dropped.length;
  if (rowDead) {
    t.heap.release(rowId);
    stats.rowsRemoved++;
  }
}
