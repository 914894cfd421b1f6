/**
 * @module Comparison and hashing for every type (ORDER BY, indexes, DISTINCT, GROUP BY, hash
 * joins): PostgreSQL's btree orders — NaN greatest for floats and numeric, C collation (code
 * point order) for text, bpchar ignoring trailing spaces, jsonb's documented order, arrays
 * element-wise with NULLs last, then by length and dimensions — and hashes consistent with them.
 * Comparators never allocate on the int and text paths.
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { PgArray } from "./array.ts";
import type { EvalContext } from "./context.ts";
import { Interval } from "./interval.ts";
import { compareCodePoints, compareJsonb, isJsonbObject, jsonbKeys } from "./json.ts";
import { Numeric } from "./numeric.ts";
import { elementOf, Oid } from "./oids.ts";
import { bpcharTrim } from "./strings.ts";

/** Compares two non-NULL values of one type: negative, 0 or positive. */
export type Comparator = (a: Datum, b: Datum) => number;

const cmpNumber: Comparator = (
  a,
  b,
) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);
const cmpBigint: Comparator = (
  a,
  b,
) => ((a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0);
const cmpBool: Comparator = (a, b) => (a === b ? 0 : a ? 1 : -1);
/** float8 order: NaN is greater than everything and equal to itself; -0 = 0. */
export const cmpFloat: Comparator = (a, b) => {
  const x = a as number;
  const y = b as number;
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  const xn = Number.isNaN(x);
  const yn = Number.isNaN(y);
  return xn === yn ? 0 : xn ? 1 : -1;
};
const cmpText: Comparator = (a, b) => {
  const x = a as string;
  const y = b as string;
  if (x === y) return 0;
  return compareCodePoints(x, y);
};
const cmpBpchar: Comparator = (a, b) =>
  compareCodePoints(bpcharTrim(a as string), bpcharTrim(b as string));
const cmpNumeric: Comparator = (a, b) => (a as Numeric).compare(b as Numeric);
const cmpInterval: Comparator = (a, b) => (a as Interval).compare(b as Interval);
export const cmpBytes: Comparator = (a, b) => {
  const x = a as Uint8Array;
  const y = b as Uint8Array;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
};
const cmpTimetz: Comparator = (a, b) => {
  const [t1, z1] = a as [number, number];
  const [t2, z2] = b as [number, number];
  const u1 = t1 - z1 * 1e6;
  const u2 = t2 - z2 * 1e6;
  if (u1 !== u2) return u1 < u2 ? -1 : 1;
  // Same instant: the zone further west (smaller offset east) sorts higher, as PostgreSQL does.
  return z1 === z2 ? 0 : z1 > z2 ? -1 : 1;
};

const comparators = new Map<number, Comparator>([
  [Oid.bool, cmpBool],
  [Oid.int2, cmpNumber],
  [Oid.int4, cmpNumber],
  [Oid.oid, cmpNumber],
  [Oid.regclass, cmpNumber],
  [Oid.regtype, cmpNumber],
  [Oid.regproc, cmpNumber],
  [Oid.xid, cmpNumber],
  [Oid.date, cmpNumber],
  [Oid.time, cmpNumber],
  [Oid.int8, cmpBigint],
  [Oid.timestamp, cmpBigint],
  [Oid.timestamptz, cmpBigint],
  [Oid.float4, cmpFloat],
  [Oid.float8, cmpFloat],
  [Oid.numeric, cmpNumeric],
  [Oid.text, cmpText],
  [Oid.varchar, cmpText],
  [Oid.name, cmpText],
  [Oid.char, cmpText],
  [Oid.unknown, cmpText],
  [Oid.uuid, cmpText],
  [Oid.bpchar, cmpBpchar],
  [Oid.bytea, cmpBytes],
  [Oid.interval, cmpInterval],
  [Oid.timetz, cmpTimetz],
  [Oid.jsonb, (a, b) => compareJsonb(a, b)],
  [Oid.int2vector, (a, b) => compareArrays(a as PgArray, b as PgArray, cmpNumber)],
  [Oid.oidvector, (a, b) => compareArrays(a as PgArray, b as PgArray, cmpNumber)],
  [Oid.record, (a, b) => compareRecords(a as Datum[], b as Datum[])],
]);

/** array_cmp: element-wise (NULL greater than any value), then count, ndims, dims, lower bounds. */
export function compareArrays(a: PgArray, b: PgArray, cmp: Comparator): number {
  const n = Math.min(a.elements.length, b.elements.length);
  for (let i = 0; i < n; i++) {
    const x = a.elements[i]!;
    const y = b.elements[i]!;
    if (x === null || y === null) {
      if (x === null && y === null) continue;
      return x === null ? 1 : -1;
    }
    const c = cmp(x, y);
    if (c !== 0) return c < 0 ? -1 : 1;
  }
  if (a.elements.length !== b.elements.length) {
    return a.elements.length < b.elements.length ? -1 : 1;
  }
  if (a.dims.length !== b.dims.length) return a.dims.length < b.dims.length ? -1 : 1;
  for (let d = 0; d < a.dims.length; d++) {
    if (a.dims[d] !== b.dims[d]) return a.dims[d]! < b.dims[d]! ? -1 : 1;
    if (a.lbounds[d] !== b.lbounds[d]) return a.lbounds[d]! < b.lbounds[d]! ? -1 : 1;
  }
  return 0;
}

/** Compares Datums whose type is not known (records built by ROW()): by their JS kind. */
export function compareUntyped(a: Datum, b: Datum): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return cmpFloat(a, b);
  if (typeof a === "bigint" && typeof b === "bigint") return cmpBigint(a, b);
  if (
    (typeof a === "bigint" || typeof a === "number") &&
    (typeof b === "bigint" || typeof b === "number")
  ) {
    return cmpNumeric(Numeric.parse(String(a)), Numeric.parse(String(b)));
  }
  if (typeof a === "string" && typeof b === "string") return cmpText(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return cmpBool(a, b);
  if (a instanceof Numeric && b instanceof Numeric) return cmpNumeric(a, b);
  if (a instanceof Interval && b instanceof Interval) return cmpInterval(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return cmpBytes(a, b);
  if (a instanceof PgArray && b instanceof PgArray) return compareArrays(a, b, compareUntyped);
  if (Array.isArray(a) && Array.isArray(b)) return compareRecords(a, b);
  return compareJsonb(a, b);
}

/** record_cmp with untyped fields. */
export function compareRecords(a: Datum[], b: Datum[], cmps?: Comparator[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === null || y === null) {
      if (x === y) continue;
      return x === null ? 1 : -1;
    }
    const c = (cmps?.[i] ?? compareUntyped)(x, y);
    if (c !== 0) return c;
  }
  if (a.length !== b.length) {
    throw new DbError(
      SqlState.datatypeMismatch,
      "cannot compare record types with different numbers of columns",
    );
  }
  return 0;
}

/**
 * The comparator of a type (btree order). Enum types need `ctx.enumLabels`.
 *
 * @example
 * comparator(Oid.int4)(1, 2); // -1
 */
export function comparator(oid: number, ctx?: EvalContext): Comparator {
  const c = comparators.get(oid);
  if (c !== undefined) return c;
  const elem = elementOf(oid);
  if (elem !== 0) {
    const ec = comparator(elem, ctx);
    return (a, b) => compareArrays(a as PgArray, b as PgArray, ec);
  }
  const labels = ctx?.enumLabels?.(oid);
  if (labels !== undefined) {
    return (a, b) => labels.indexOf(a as string) - labels.indexOf(b as string);
  }
  if (oid === Oid.json) {
    throw new DbError(
      SqlState.undefinedFunction,
      "could not identify an ordering operator for type json",
    );
  }
  return compareUntyped;
}

/** True if the type has a btree order (json, void and most pseudo-types do not). */
export function isComparable(oid: number): boolean {
  if (oid === Oid.json) return false;
  const elem = elementOf(oid);
  if (elem !== 0) return isComparable(elem);
  return comparators.has(oid);
}

// ---- hashing ---------------------------------------------------------------------------------

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix(h);
}

function hashNumber(v: number): number {
  if (Number.isInteger(v) && Math.abs(v) <= 0x7fffffff) return mix(v | 0);
  if (v === 0) return mix(0); // -0 = 0
  if (Number.isNaN(v)) return 0x7ff80000;
  if (Number.isSafeInteger(v)) return hashString(String(v));
  return hashString(v.toString());
}

/**
 * A 32-bit hash consistent with the type's equality (1.0 and 1.00 hash alike, 'a ' and 'a' as
 * bpchar, '1 mon' and '30 days', -0 and 0). int2/int4/int8 values hash alike when equal, so
 * cross-type hash joins on integers work.
 */
export function hashDatum(oid: number, v: Datum): number {
  if (v === null) return 0;
  switch (typeof v) {
    case "number":
      return hashNumber(v);
    case "bigint":
      return v >= -0x80000000n && v <= 0x7fffffffn ? mix(Number(v) | 0) : hashString(v.toString());
    case "boolean":
      return v ? 1 : 0;
    case "string":
      return hashString(oid === Oid.bpchar ? bpcharTrim(v) : v);
  }
  if (v instanceof Numeric) return v.isFinite() ? hashNumeric(v) : hashString(v.toString());
  if (v instanceof Interval) return hashString(v.span().toString());
  if (v instanceof Uint8Array) {
    let h = 0x811c9dc5;
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v[i]!, 0x01000193);
    return mix(h);
  }
  const elem = elementOf(oid);
  if (v instanceof PgArray) {
    let h = 1;
    for (const e of v.elements) h = (Math.imul(h, 31) + hashDatum(elem, e)) | 0;
    return mix(h);
  }
  if (Array.isArray(v)) {
    if (oid === Oid.timetz) return hashString(`${v[0]}@${v[1]}`);
    let h = 7;
    for (const e of v) h = (Math.imul(h, 31) + hashDatum(0, e)) | 0;
    return mix(h);
  }
  if (isJsonbObject(v)) {
    let h = 11;
    for (const k of jsonbKeys(v)) {
      h = (Math.imul(h, 31) + hashString(k) + hashDatum(Oid.jsonb, v[k]!)) | 0;
    }
    return mix(h);
  }
  return 0;
}

function hashNumeric(n: Numeric): number {
  const t = n.trimScale();
  if (t.scale === 0 && t.coef >= -0x80000000n && t.coef <= 0x7fffffffn) {
    return mix(Number(t.coef) | 0);
  }
  return hashString(t.toString());
}
