/**
 * @module Row versions, snapshots and the visibility rule. A version's `begin` and `end` are
 * stamps: a positive number is the commit sequence number (CSN) of the transaction that created
 * or ended it; a negative number is minus the id of a transaction still in progress (it is
 * replaced by the CSN when that transaction becomes visible, and the version is unlinked if it
 * aborts, so no "aborted" state ever needs checking); `end = 0` means not ended. `cmin`/`cmax`
 * are the command ids of the transaction's own writes (PostgreSQL's), so a statement never sees
 * what it wrote itself.
 */
import type { Datum } from "../datum.ts";

/** A row: one Datum per column. Shared, never mutated in place once stored. */
export type Row = Datum[];

/** One version of a row; `older` is the previous version (newest first). */
export class Version {
  end = 0;
  cmax = 0;
  older: Version | null = null;
  constructor(public row: Row, public begin: number, public cmin: number) {}
}

/**
 * What a statement sees: transactions with a CSN up to `csn`, plus its own transaction's
 * (`xid`) writes made by commands before `cid`.
 */
export class Snapshot {
  constructor(readonly csn: number, readonly xid: number, readonly cid: number) {}
}

/**
 * True when `v` is visible to `s`.
 *
 * @example
 * if (isVisible(version, txn.snapshot)) emit(version.row);
 */
export function isVisible(v: Version, s: Snapshot): boolean {
  const b = v.begin;
  if (b > 0) {
    if (b > s.csn) return false;
  } else if (-b !== s.xid || v.cmin >= s.cid) return false;
  const e = v.end;
  if (e === 0) return true;
  if (e > 0) return e > s.csn;
  return -e !== s.xid || v.cmax >= s.cid;
}

/** The version of a chain visible to `s`, if any. */
export function visibleVersion(head: Version | undefined, s: Snapshot): Version | undefined {
  for (let v: Version | null | undefined = head; v; v = v.older) {
    if (isVisible(v, s)) return v;
  }
  return undefined;
}
