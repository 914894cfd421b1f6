/**
 * @module What one SQL text did on one side (PostgreSQL or BKG-DB), in a form both sides share:
 * per statement its command tag, its columns (name and type OID) and its rows as PostgreSQL's
 * text (null for SQL NULL), or the error's SQLSTATE, message and position.
 */

/** A result column: its name and its type's OID. */
export interface OutColumn {
  name: string;
  typeOid: number;
}

/** One statement's result. `columns` is null for statements that return no rows. */
export interface OutResult {
  tag: string;
  columns: OutColumn[] | null;
  rows: (string | null)[][];
}

/** An error as PostgreSQL reports it; `position` is 1-based in characters, when given. */
export interface OutError {
  code: string;
  message: string;
  position?: number;
}

/** Either every statement's result or the error that ended the text. */
export type Outcome = { ok: true; results: OutResult[] } | { ok: false; error: OutError };

/** A session on one side; `run` never throws for SQL errors, only for broken harnesses. */
export interface SideConnection {
  run(sql: string): Promise<Outcome>;
  close(): Promise<void>;
}

/** One side's database for one case file: named connections open on demand. */
export interface SideDatabase {
  connect(): Promise<SideConnection>;
  close(): Promise<void>;
}

/** Renders an outcome for a failure message (rows capped so a big result stays readable). */
export function showOutcome(o: Outcome, maxRows = 30): string {
  if (!o.ok) {
    const pos = o.error.position === undefined ? "" : ` at ${o.error.position}`;
    return `ERROR ${o.error.code}${pos}: ${o.error.message}`;
  }
  return o.results.map((r) => {
    const lines = [`[${r.tag}]`];
    if (r.columns !== null) {
      lines.push(r.columns.map((c) => `${c.name}:${c.typeOid}`).join(" | "));
      for (const row of r.rows.slice(0, maxRows)) {
        lines.push(row.map((v) => (v === null ? "NULL" : JSON.stringify(v))).join(" | "));
      }
      if (r.rows.length > maxRows) lines.push(`… ${r.rows.length - maxRows} more rows`);
    }
    return lines.join("\n");
  }).join("\n");
}
