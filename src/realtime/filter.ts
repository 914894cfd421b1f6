/**
 * @module postgres_changes filters: `column=op.value` with op one of eq, neq, lt, lte, gt, gte and
 * in (`id=in.(1,2,3)`), evaluated on the decoded record (the new row; the old key for DELETE).
 */
import type { JsonValue } from "../../db/mod.ts";

/** A parsed filter. */
export interface RowFilter {
  column: string;
  op: "eq" | "neq" | "lt" | "lte" | "gt" | "gte" | "in";
  values: string[];
}

const ops = new Set(["eq", "neq", "lt", "lte", "gt", "gte", "in"]);

/** Parses a filter; throws Error with a client-facing message when it is malformed. */
export function parseFilter(text: string): RowFilter {
  const m = /^([^=]+)=([a-z]+)\.(.*)$/s.exec(text);
  if (m === null || !ops.has(m[2]!)) {
    throw new Error(
      `invalid filter "${text}": expected column=op.value with op eq, neq, lt, lte, gt, gte or in`,
    );
  }
  const op = m[2] as RowFilter["op"];
  let values = [m[3]!];
  if (op === "in") {
    const list = /^\((.*)\)$/s.exec(m[3]!);
    if (list === null) throw new Error(`invalid filter "${text}": in expects a list like in.(1,2)`);
    values = list[1]!.split(",").map((s) => s.trim().replace(/^"(.*)"$/s, "$1"));
  }
  return { column: m[1]!, op, values };
}

function compare(a: JsonValue, b: string): number | null {
  if (a === null) return null;
  if (typeof a === "number") {
    const n = Number(b);
    return Number.isNaN(n) ? null : a < n ? -1 : a > n ? 1 : 0;
  }
  const s = typeof a === "string" ? a : typeof a === "boolean" ? String(a) : JSON.stringify(a);
  return s < b ? -1 : s > b ? 1 : 0;
}

/** Whether `record` passes the filter (a missing column or NULL never passes, as in SQL). */
export function matchesFilter(f: RowFilter, record: Record<string, JsonValue>): boolean {
  if (!(f.column in record)) return false;
  const v = record[f.column] ?? null;
  if (f.op === "in") return f.values.some((x) => compare(v, x) === 0);
  const c = compare(v, f.values[0]!);
  if (c === null) return false;
  switch (f.op) {
    case "eq":
      return c === 0;
    case "neq":
      return c !== 0;
    case "lt":
      return c < 0;
    case "lte":
      return c <= 0;
    case "gt":
      return c > 0;
    case "gte":
      return c >= 0;
  }
}
