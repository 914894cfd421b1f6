/**
 * @module int2, int4, int8 and oid text I/O (PostgreSQL 15's pg_strtoint*: optional whitespace,
 * sign, decimal digits), written as a character loop so the hot path allocates nothing.
 */
import { DbError, SqlState } from "../sqlstate.ts";

/** SQL names of the integer types, for messages. */
export const intTypeName = { 2: "smallint", 4: "integer", 8: "bigint" } as const;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function syntax(text: string, typeName: string): DbError {
  return new DbError(
    SqlState.invalidTextRepresentation,
    `invalid input syntax for type ${typeName}: "${text}"`,
  );
}

function range(text: string, typeName: string): DbError {
  return new DbError(
    SqlState.numericValueOutOfRange,
    `value "${text}" is out of range for type ${typeName}`,
  );
}

// The last scan's result, kept in module variables so parsing allocates nothing.
let scanNeg = false;
let scanStart = 0;
let scanEnd = 0;

/** Scans `[ws][sign]digits[ws]` into scanNeg/scanStart/scanEnd; false if malformed. */
function scanInto(s: string): boolean {
  let i = 0;
  const n = s.length;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  scanNeg = false;
  const c = s.charCodeAt(i);
  if (c === 45) {
    scanNeg = true;
    i++;
  } else if (c === 43) i++;
  scanStart = i;
  while (i < n) {
    const d = s.charCodeAt(i);
    if (d < 48 || d > 57) break;
    i++;
  }
  scanEnd = i;
  if (scanEnd === scanStart) return false;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  return i === n;
}

/** Scans `[ws][sign]digits[ws]`; returns [negative, start, end] of the digits or null. */
function scan(s: string): [boolean, number, number] | null {
  let i = 0;
  const n = s.length;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const c = s.charCodeAt(i);
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  const start = i;
  while (i < n) {
    const d = s.charCodeAt(i);
    if (d < 48 || d > 57) break;
    i++;
  }
  const end = i;
  if (end === start) return null;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  return i === n ? [neg, start, end] : null;
}

/** Parses an int2 or int4 (`bytes` 2 or 4). */
export function parseSmallInt(s: string, bytes: 2 | 4): number {
  const typeName = intTypeName[bytes];
  if (!scanInto(s)) throw syntax(s, typeName);
  const neg = scanNeg;
  const start = scanStart;
  const end = scanEnd;
  let v = 0;
  let i = start;
  while (i < end && s.charCodeAt(i) === 48) i++;
  if (end - i > 10) throw range(s, typeName);
  for (; i < end; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  if (neg) v = -v;
  const max = bytes === 4 ? 2147483647 : 32767;
  if (v > max || v < -max - 1) throw range(s, typeName);
  return v === 0 ? 0 : v;
}

/** Parses an int4. */
export function parseInt4(s: string): number {
  return parseSmallInt(s, 4);
}

/** Parses an int2. */
export function parseInt2(s: string): number {
  return parseSmallInt(s, 2);
}

const int8Max = 9223372036854775807n;
const int8Min = -9223372036854775808n;

/** Parses an int8. */
export function parseInt8(s: string): bigint {
  const sc = scan(s);
  if (sc === null) throw syntax(s, "bigint");
  const [neg, start, end] = sc;
  const digits = s.slice(start, end);
  const v = neg ? -BigInt(digits) : BigInt(digits);
  if (v > int8Max || v < int8Min) throw range(s, "bigint");
  return v;
}

/** Parses an oid: PostgreSQL accepts -2147483648…4294967295 and wraps negatives. */
export function parseOid(s: string): number {
  const sc = scan(s);
  if (sc === null) throw syntax(s, "oid");
  const [neg, start, end] = sc;
  const digits = s.slice(start, end).replace(/^0+(?=\d)/, "");
  if (digits.length > 10) throw range(s, "oid");
  let v = Number(digits);
  if (neg) v = -v;
  if (v > 4294967295 || v < -2147483648) throw range(s, "oid");
  return v < 0 ? v + 4294967296 : v;
}

/** True if `v` fits in int2/int4. */
export function fitsInt(v: number, bytes: 2 | 4): boolean {
  return bytes === 4 ? v <= 2147483647 && v >= -2147483648 : v <= 32767 && v >= -32768;
}

/** True if `v` fits in int8. */
export function fitsInt8(v: bigint): boolean {
  return v <= int8Max && v >= int8Min;
}

export { int8Max, int8Min };
