/**
 * @module Hash keys for hash joins, hash aggregation, DISTINCT and set operations: a Datum (or
 * tuple) normalized so that values equal under their type's equality share one Map key
 * (1 = 1n across integer widths, numeric 1.0 = 1.00, NaN = NaN).
 */
import type { Datum } from "../datum.ts";
import { Numeric } from "../types/mod.ts";

/** The Map key of one value. */
export function keyOf(d: Datum): unknown {
  if (d === null) return null;
  switch (typeof d) {
    case "number":
    case "string":
    case "boolean":
      return d;
    case "bigint":
      return d >= -9007199254740991n && d <= 9007199254740991n ? Number(d) : `n${d}`;
  }
  if (d instanceof Numeric) {
    const n = d.trimScale();
    const x = Number(n.toString());
    return Number.isSafeInteger(x) && n.toString() === String(x) ? x : `N${n.toString()}`;
  }
  return `J${JSON.stringify(d, (_k, v) => typeof v === "bigint" ? `${v}n` : v)}`;
}

/** The Map key of a tuple. */
export function tupleKey(ds: Datum[]): unknown {
  if (ds.length === 1) return keyOf(ds[0]!);
  let s = "";
  for (const d of ds) {
    const k = keyOf(d);
    s += (k === null ? "\u0001" : typeof k === "string" ? `s${k}` : `${typeof k}${String(k)}`) +
      "\u0000";
  }
  return s;
}
