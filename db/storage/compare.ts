/**
 * @module The default ordering of Datums and Datum tuples, for indexes whose creator supplies no
 * comparator (tests, system tables): NULLs last as in PostgreSQL, numbers and bigints compared by
 * value, strings by UTF-16 code units (the "C" collation for ASCII), bytes and arrays
 * lexicographically. The SQL layer passes type-aware comparators instead.
 */
import type { Datum } from "../datum.ts";

/** A rank per kind of value, so values of different kinds still order totally. */
function rank(v: Datum): number {
  switch (typeof v) {
    case "boolean":
      return 1;
    case "number":
    case "bigint":
      return 2;
    case "string":
      return 3;
  }
  if (v === null) return 9;
  if (v instanceof Uint8Array) return 4;
  if (Array.isArray(v)) return 5;
  return 6;
}

/**
 * Orders two Datums; NULL sorts after everything (NULLS LAST).
 *
 * @example
 * compareDatum(1, 2n) < 0; compareDatum(null, "a") > 0;
 */
export function compareDatum(a: Datum, b: Datum): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 1:
      return Number(a) - Number(b);
    case 2:
      // Mixed number/bigint: compare exactly when both are integers.
      if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
      if (Number.isInteger(a) && Number.isInteger(b)) {
        const x = BigInt(a as number | bigint);
        const y = BigInt(b as number | bigint);
        return x < y ? -1 : x > y ? 1 : 0;
      }
      return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
    case 4:
      return compareSeq(a as Uint8Array, b as Uint8Array, (x, y) => (x as number) - (y as number));
    case 5:
      return compareSeq(a as Datum[], b as Datum[], compareDatum);
    case 9:
      return 0;
  }
  const sa = JSON.stringify(a, (_k, v) => typeof v === "bigint" ? v.toString() : v);
  const sb = JSON.stringify(b, (_k, v) => typeof v === "bigint" ? v.toString() : v);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function compareSeq<T>(
  a: ArrayLike<T>,
  b: ArrayLike<T>,
  cmp: (x: T, y: T) => number,
): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmp(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Orders two key tuples on their common prefix: a shorter bound equals every key it is a
 * prefix of, which is what range scans on a leading subset of columns need. Every comparator
 * given to an index must follow this contract.
 */
export function compareTuples(a: readonly Datum[], b: readonly Datum[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareDatum(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}
