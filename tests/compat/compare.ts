/**
 * @module Compares BKG-DB's outcome of a case with PostgreSQL's: the case's own directive is
 * checked against PostgreSQL first (a case PostgreSQL does not honour is a broken case), then
 * BKG-DB must match: SQLSTATE (and position for 42601), command tags, column names and type OIDs,
 * and rows as text — ordered when the case says so, else as sorted multisets.
 */
import type { Outcome, OutResult } from "./outcome.ts";
import type { SltRecord } from "./slt.ts";

/** The first OID PostgreSQL gives user objects; types from there on are compared by kind only. */
const firstUserOid = 16384;

/** Differences: failures fail the case; warnings are printed (e.g. error message wording). */
export interface Verdict {
  failures: string[];
  warnings: string[];
}

/**
 * Why PostgreSQL's outcome breaks the case's directive, or null if it honours it. Generated
 * cases pass `acceptError` for the errors that are a fair outcome (data errors, not 42xxx).
 */
export function checkOracle(
  rec: SltRecord,
  pg: Outcome,
  acceptError: (code: string) => boolean = () => false,
): string | null {
  if (rec.errorCode !== null) {
    if (pg.ok) return `expected error ${rec.errorCode} but PostgreSQL succeeded`;
    if (pg.error.code !== rec.errorCode) {
      return `expected error ${rec.errorCode} but PostgreSQL raised ${pg.error.code}: ${pg.error.message}`;
    }
    return null;
  }
  if (!pg.ok) {
    if (acceptError(pg.error.code)) return null;
    return `PostgreSQL raised ${pg.error.code}: ${pg.error.message}`;
  }
  if (rec.kind === "query") {
    const last = pg.results[pg.results.length - 1];
    if (last === undefined || last.columns === null) return "query returned no row set";
    if (rec.sort === "plan" && last.rows.length === 0) return "EXPLAIN printed nothing";
  }
  return null;
}

function sameType(a: number, b: number): boolean {
  return a === b || (a >= firstUserOid && b >= firstUserOid);
}

function rowKey(row: (string | null)[]): string {
  return JSON.stringify(row);
}

function compareRows(rec: SltRecord, pg: OutResult, ours: OutResult, out: Verdict): void {
  if (rec.sort === "plan") {
    const bad = ours.rows.length === 0 || ours.rows.some((r) => r.length !== 1 || r[0] === null);
    if (bad) out.failures.push("EXPLAIN must print at least one non-null line per row");
    return;
  }
  let a = pg.rows.map(rowKey);
  let b = ours.rows.map(rowKey);
  if (rec.sort === "rowsort") {
    a = [...a].sort();
    b = [...b].sort();
  }
  if (a.length !== b.length) {
    out.failures.push(`row count: PostgreSQL ${a.length}, BKG ${b.length}`);
    return;
  }
  const diffs: string[] = [];
  for (let i = 0; i < a.length && diffs.length < 5; i++) {
    if (a[i] !== b[i]) diffs.push(`row ${i + 1}: PostgreSQL ${a[i]} BKG ${b[i]}`);
  }
  if (diffs.length > 0) out.failures.push(`rows differ (${rec.sort}):\n  ${diffs.join("\n  ")}`);
}

function compareResult(
  rec: SltRecord,
  i: number,
  pg: OutResult,
  ours: OutResult,
  out: Verdict,
): void {
  const what = `statement ${i + 1}`;
  if (rec.sort !== "plan" && pg.tag !== ours.tag) {
    out.failures.push(`${what} command tag: PostgreSQL "${pg.tag}", BKG "${ours.tag}"`);
  }
  if ((pg.columns === null) !== (ours.columns === null)) {
    out.failures.push(`${what}: PostgreSQL ${pg.columns ? "returned rows" : "returned no rows"}`);
    return;
  }
  if (pg.columns === null || ours.columns === null) return;
  const names = (cs: { name: string }[]) => cs.map((c) => c.name).join(", ");
  if (names(pg.columns) !== names(ours.columns)) {
    out.failures.push(
      `${what} column names: PostgreSQL (${names(pg.columns)}), BKG (${names(ours.columns)})`,
    );
    return;
  }
  pg.columns.forEach((c, k) => {
    const o = ours.columns![k]!;
    if (!sameType(c.typeOid, o.typeOid)) {
      out.failures.push(
        `${what} column "${c.name}" type OID: PostgreSQL ${c.typeOid}, BKG ${o.typeOid}`,
      );
    }
  });
  compareRows(rec, pg, ours, out);
}

/** Compares BKG-DB's outcome with PostgreSQL's (which already honours the directive). */
export function compareOutcomes(rec: SltRecord, pg: Outcome, ours: Outcome): Verdict {
  const out: Verdict = { failures: [], warnings: [] };
  if (!pg.ok) {
    if (ours.ok) {
      out.failures.push(`PostgreSQL raised ${pg.error.code}, BKG succeeded`);
      return out;
    }
    if (ours.error.code !== pg.error.code) {
      out.failures.push(`SQLSTATE: PostgreSQL ${pg.error.code}, BKG ${ours.error.code}`);
      return out;
    }
    if (ours.error.message !== pg.error.message) {
      const m = `message: PostgreSQL "${pg.error.message}", BKG "${ours.error.message}"`;
      (rec.checkMessage ? out.failures : out.warnings).push(m);
    }
    if (pg.error.position !== ours.error.position) {
      const m = `error position: PostgreSQL ${pg.error.position}, BKG ${ours.error.position}`;
      (pg.error.code === "42601" ? out.failures : out.warnings).push(m);
    }
    return out;
  }
  if (!ours.ok) {
    out.failures.push(`BKG raised ${ours.error.code}: ${ours.error.message}`);
    return out;
  }
  if (pg.results.length !== ours.results.length) {
    out.failures.push(`result count: PostgreSQL ${pg.results.length}, BKG ${ours.results.length}`);
    return out;
  }
  pg.results.forEach((r, i) => compareResult(rec, i, r, ours.results[i]!, out));
  return out;
}
