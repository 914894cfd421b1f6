/**
 * @module Compares a scenario's BKG-DB transcript with PostgreSQL's, statement by statement:
 * errors by SQLSTATE and message; results by command tag, column names and type OIDs (user types
 * by kind only) and rows as text — ordered when the step asks, else as multisets. A mismatch
 * names the statement and prints both outcomes; its cause is a short key to group mismatches by.
 */
import type { Outcome } from "./sides.ts";
import { type Entry, show } from "./scenario.ts";

/** The first OID PostgreSQL gives user objects; such types are compared by kind only. */
const firstUserOid = 16384;

/** The first difference of a scenario: the report and a short cause. */
export interface Mismatch {
  report: string;
  cause: string;
}

function sameType(a: number, b: number): boolean {
  return a === b || (a >= firstUserOid && b >= firstUserOid);
}

/** Why two outcomes differ, or null when they agree. */
export function diffOutcome(pg: Outcome, bkg: Outcome, ordered: boolean): string | null {
  if (!pg.ok || !bkg.ok) {
    if (pg.ok) return `BKG raised ${bkg.ok ? "" : bkg.code}, PostgreSQL succeeded`;
    if (bkg.ok) return `PostgreSQL raised ${pg.code}, BKG succeeded`;
    if (pg.code !== bkg.code) return `SQLSTATE: PostgreSQL ${pg.code}, BKG ${bkg.code}`;
    if (pg.message !== bkg.message) return `message differs`;
    return null;
  }
  if (pg.tag !== bkg.tag) return `command tag: PostgreSQL "${pg.tag}", BKG "${bkg.tag}"`;
  if ((pg.columns === null) !== (bkg.columns === null)) return "one side returned no row set";
  if (pg.columns !== null && bkg.columns !== null) {
    const names = (o: { name: string }[]) => o.map((c) => c.name).join(", ");
    if (names(pg.columns) !== names(bkg.columns)) return "column names differ";
    const bad = pg.columns.find((c, i) => !sameType(c.typeOid, bkg.columns![i]!.typeOid));
    if (bad !== undefined) return `column "${bad.name}" type OID differs`;
  }
  let a = pg.rows.map((r) => JSON.stringify(r));
  let b = bkg.rows.map((r) => JSON.stringify(r));
  if (!ordered) {
    a = [...a].sort();
    b = [...b].sort();
  }
  if (a.length !== b.length) return `row count: PostgreSQL ${a.length}, BKG ${b.length}`;
  const i = a.findIndex((x, k) => x !== b[k]);
  return i < 0 ? null : `rows differ${ordered ? " (ordered)" : ""}`;
}

/** A short key for grouping: the kind of difference and BKG's error with names blanked. */
function causeOf(e: Entry, bkg: Outcome, why: string): string {
  const where = e.phase === "step" ? "" : `${e.phase}: `;
  if (!bkg.ok) {
    const msg = bkg.message.replace(/"[^"]*"/g, '"…"').replace(/\s+at .*$/, "").slice(0, 90);
    return `${where}BKG ${bkg.code} ${msg}`;
  }
  const pg = /^PostgreSQL raised (\w+)/.exec(why);
  if (pg !== null) return `${where}BKG succeeded where PostgreSQL raised ${pg[1]}`;
  if (why.startsWith("command tag")) return `${where}command tag (row count) differs`;
  return `${where}${why.replace(/\d+/g, "N")}`;
}

/** The first difference between the transcripts, or null when they agree. */
export function compareTranscripts(pg: Entry[], bkg: Entry[]): Mismatch | null {
  for (let i = 0; i < pg.length; i++) {
    const p = pg[i]!;
    const k = bkg[i];
    if (k === undefined) {
      return {
        report: `BKG stopped before: ${p.sql}`,
        cause: "BKG transcript ended early",
      };
    }
    const ordered = p.step?.ordered ?? /\border\s+by\b/i.test(p.sql);
    const why = diffOutcome(p.outcome, k.outcome, ordered);
    if (why === null) continue;
    const report = [
      `${p.phase} statement ${i + 1} as ${p.actor}: ${p.sql}`,
      `  ${why}`,
      `  PostgreSQL: ${show(p.outcome)}`,
      `  BKG:        ${show(k.outcome)}`,
    ].join("\n");
    return { report, cause: causeOf(p, k.outcome, why) };
  }
  if (bkg.length > pg.length) return { report: "BKG ran extra statements", cause: "extra" };
  return null;
}
