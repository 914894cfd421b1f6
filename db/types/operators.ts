/**
 * @module Operators: the pg_operator rows of operator_table.ts, each bound to its implementation
 * — integer arithmetic with overflow checks (mixed widths), float and numeric arithmetic, power,
 * roots, bitwise operators, comparisons for every type pair PostgreSQL has, text and bytea
 * concatenation, LIKE/ILIKE, POSIX regex, date/time arithmetic, interval arithmetic, json/jsonb
 * operators and array operators. Operators are strict: the evaluator returns NULL for a NULL
 * operand without calling them. A prefix operator receives its operand as the first argument.
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { PgArray } from "./array.ts";
import { cmpFloat, type Comparator, comparator } from "./compare.ts";
import type { EvalContext } from "./context.ts";
import { fromLocal, isFiniteTimestamp, sessionZone, usPerSecond } from "./datetime.ts";
import {
  dateMinus,
  datePlusDays,
  dateToTimestamp,
  timePlusInterval,
  timestampMinus,
  timestampPlusInterval,
  timestamptzPlusInterval,
} from "./datetime_math.ts";
import { checkedInterval, Interval } from "./interval.ts";
import { outputText } from "./io.ts";
import {
  jsonbConcat,
  jsonbContains,
  jsonbDeleteIndex,
  jsonbDeleteKeys,
  jsonbDeletePath,
  jsonbElement,
  jsonbExists,
  jsonbField,
  jsonbPath,
  jsonbText,
  jsonExtract,
  jsonExtractText,
  pathOf,
} from "./json_ops.ts";
import { Numeric } from "./numeric.ts";
import { numericPowerGeneral } from "./numeric_math.ts";
import { elementOf, Oid } from "./oids.ts";
import { pgOperatorRows } from "./operator_table.ts";
import { jsonPathExists, jsonPathMatch } from "./jsonpath_eval.ts";
import { like, regexMatch } from "./regex.ts";
import { bpcharTrim } from "./strings.ts";
import { arrayAppend, arrayCat, arrayPrepend } from "./array_ops.ts";

/** An operator implementation; `types` are the actual argument types (for polymorphic ones). */
export type OperatorImpl = (a: Datum, b: Datum, ctx: EvalContext, types: number[]) => Datum;

/** One pg_operator row with its implementation. */
export interface OperatorDef {
  oid: number;
  name: string;
  /** Left operand type; 0 for a prefix operator. */
  left: number;
  right: number;
  result: number;
  /** PostgreSQL's implementing function (oprcode). */
  code: string;
  /** Strict operators return NULL for a NULL operand (the evaluator does that); || on arrays is not strict. */
  strict: boolean;
  impl: OperatorImpl;
}

function outOfRange(what: string): DbError {
  return new DbError(SqlState.numericValueOutOfRange, `${what} out of range`);
}

function divisionByZero(): DbError {
  return new DbError(SqlState.divisionByZero, "division by zero");
}

const intName: Record<number, string> = {
  [Oid.int2]: "smallint",
  [Oid.int4]: "integer",
  [Oid.int8]: "bigint",
};
const int8Max = 9223372036854775807n;
const int8Min = -9223372036854775808n;

function checkInt(v: number, result: number): number {
  if (result === Oid.int2 ? v > 32767 || v < -32768 : v > 2147483647 || v < -2147483648) {
    throw outOfRange(intName[result]!);
  }
  return v + 0; // -0 → 0
}

function checkInt8(v: bigint): bigint {
  if (v > int8Max || v < int8Min) throw outOfRange("bigint");
  return v;
}

type ArithOp = "pl" | "mi" | "mul" | "div" | "mod";

function intArith(op: ArithOp, result: number): OperatorImpl {
  if (result === Oid.int8) {
    return (a, b) => {
      const x = BigInt(a as number | bigint);
      const y = BigInt(b as number | bigint);
      switch (op) {
        case "pl":
          return checkInt8(x + y);
        case "mi":
          return checkInt8(x - y);
        case "mul":
          return checkInt8(x * y);
        case "div":
          if (y === 0n) throw divisionByZero();
          return checkInt8(x / y);
        case "mod":
          if (y === 0n) throw divisionByZero();
          return y === -1n ? 0n : x % y;
      }
    };
  }
  switch (op) {
    case "pl":
      return (a, b) => checkInt((a as number) + (b as number), result);
    case "mi":
      return (a, b) => checkInt((a as number) - (b as number), result);
    case "mul":
      return (a, b) => checkInt((a as number) * (b as number), result);
    case "div":
      return (a, b) => {
        if (b === 0) throw divisionByZero();
        return checkInt(Math.trunc((a as number) / (b as number)), result);
      };
    case "mod":
      return (a, b) => {
        if (b === 0) throw divisionByZero();
        return ((a as number) % (b as number)) + 0;
      };
  }
}

function floatCheck(r: number, a: number, b: number, single: boolean, zeroOk: boolean): number {
  if (single) r = Math.fround(r);
  if (!Number.isFinite(r) && !Number.isNaN(r) && Number.isFinite(a) && Number.isFinite(b)) {
    throw new DbError(SqlState.numericValueOutOfRange, "value out of range: overflow");
  }
  if (r === 0 && !zeroOk) {
    throw new DbError(SqlState.numericValueOutOfRange, "value out of range: underflow");
  }
  return r;
}

function floatArith(op: ArithOp, result: number): OperatorImpl {
  const single = result === Oid.float4;
  return (a, b) => {
    const x = a as number;
    const y = b as number;
    switch (op) {
      case "pl":
        return floatCheck(x + y, x, y, single, true);
      case "mi":
        return floatCheck(x - y, x, y, single, true);
      case "mul":
        return floatCheck(x * y, x, y, single, x === 0 || y === 0);
      case "div":
        if (y === 0 && !Number.isNaN(x)) throw divisionByZero();
        return floatCheck(x / y, x, y, single, x === 0 || !Number.isFinite(y));
      default:
        throw new DbError(SqlState.undefinedFunction, "operator does not exist");
    }
  };
}

/** float8 ^ float8 with POSIX pow() special cases and PostgreSQL's errors (dpow). */
export function floatPower(x: number, y: number): number {
  if (Number.isNaN(x)) return y === 0 ? 1 : NaN;
  if (Number.isNaN(y)) return x === 1 ? 1 : NaN;
  if (x === 0 && y < 0) {
    throw new DbError(
      SqlState.invalidArgumentForPowerFunction,
      "zero raised to a negative power is undefined",
    );
  }
  if (x < 0 && Number.isFinite(y) && !Number.isInteger(y) && Number.isFinite(x)) {
    throw new DbError(
      SqlState.invalidArgumentForPowerFunction,
      "a negative number raised to a non-integer power yields a complex result",
    );
  }
  if ((x === 1 || x === -1) && !Number.isFinite(y)) return 1;
  const r = Math.pow(x, y);
  if (!Number.isFinite(r) && !Number.isNaN(r) && Number.isFinite(x) && Number.isFinite(y)) {
    throw new DbError(SqlState.numericValueOutOfRange, "value out of range: overflow");
  }
  if (r === 0 && x !== 0 && Number.isFinite(x) && Number.isFinite(y)) {
    throw new DbError(SqlState.numericValueOutOfRange, "value out of range: underflow");
  }
  return r;
}

/** numeric ^ numeric (numeric_power). */
export function numericPower(a: Numeric, b: Numeric): Numeric {
  if (a.isNaN() || b.isNaN()) {
    if (a.isNaN() && b.isFinite() && b.sign() === 0) return Numeric.one;
    if (b.isNaN() && a.isFinite() && a.compare(Numeric.one) === 0) return Numeric.one;
    return Numeric.NaN;
  }
  if (a.isFinite() && a.sign() === 0 && b.sign() < 0) {
    throw new DbError(
      SqlState.invalidArgumentForPowerFunction,
      "zero raised to a negative power is undefined",
    );
  }
  const bIsInt = b.isFinite() && b.trunc(0).compare(b) === 0;
  if (a.isFinite() && a.sign() < 0 && b.isFinite() && !bIsInt) {
    throw new DbError(
      SqlState.invalidArgumentForPowerFunction,
      "a negative number raised to a non-integer power yields a complex result",
    );
  }
  if (!a.isFinite() || !b.isFinite()) {
    return Numeric.fromFloat(floatPower(a.toNumber(), b.toNumber()));
  }
  if (bIsInt) {
    const e = b.trunc(0).coef;
    if (e <= 2147483647n && e >= -2147483648n) return a.powerInt(e);
    const r = numericPowerGeneral(a.abs(), b);
    return a.sign() < 0 && e % 2n !== 0n ? r.neg() : r;
  }
  return numericPowerGeneral(a, b);
}

const numericOps: Record<string, OperatorImpl> = {
  numeric_add: (a, b) => (a as Numeric).add(b as Numeric),
  numeric_sub: (a, b) => (a as Numeric).sub(b as Numeric),
  numeric_mul: (a, b) => (a as Numeric).mul(b as Numeric),
  numeric_div: (a, b) => (a as Numeric).div(b as Numeric),
  numeric_mod: (a, b) => (a as Numeric).mod(b as Numeric),
  numeric_power: (a, b) => numericPower(a as Numeric, b as Numeric),
  numeric_uminus: (a) => (a as Numeric).neg(),
  numeric_uplus: (a) => a,
  numeric_abs: (a) => (a as Numeric).abs(),
};

function intUnary(code: string, type: number): OperatorImpl | undefined {
  const big = type === Oid.int8;
  if (code.endsWith("um") || code.endsWith("abs")) {
    const abs = code.endsWith("abs");
    return big
      ? (a) => checkInt8(abs && (a as bigint) >= 0n ? (a as bigint) : -(a as bigint))
      : (a) => checkInt(abs ? Math.abs(a as number) : -(a as number), type);
  }
  if (code.endsWith("up")) return (a) => a;
  if (code.endsWith("not")) {
    return big ? (a) => ~(a as bigint) : (a) => checkInt(~(a as number), type);
  }
  return undefined;
}

function intBitwise(op: string, type: number): OperatorImpl {
  if (type === Oid.int8) {
    return (a, b) => {
      const x = a as bigint;
      switch (op) {
        case "and":
          return x & (b as bigint);
        case "or":
          return x | (b as bigint);
        case "xor":
          return x ^ (b as bigint);
        case "shl":
          return BigInt.asIntN(64, x << BigInt((b as number) & 63));
        default:
          return x >> BigInt((b as number) & 63);
      }
    };
  }
  const wrap = (v: number) => (type === Oid.int2 ? ((v << 16) >> 16) : v | 0);
  return (a, b) => {
    const x = a as number;
    const y = b as number;
    switch (op) {
      case "and":
        return x & y;
      case "or":
        return x | y;
      case "xor":
        return x ^ y;
      case "shl":
        return wrap(x << y);
      default:
        return wrap(x >> y);
    }
  };
}

const intTypes = new Set<number>([Oid.int2, Oid.int4, Oid.int8]);
const dateTimeTypes = new Set<number>([Oid.date, Oid.timestamp, Oid.timestamptz]);
const textLike = new Set<number>([Oid.text, Oid.name, Oid.varchar]);

const cmpMixedInt: Comparator = (
  a,
  b,
) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);

/** The comparator for a (left, right) type pair of a comparison operator. */
export function crossComparator(
  left: number,
  right: number,
  ctx?: EvalContext,
): (a: Datum, b: Datum, c: EvalContext) => number {
  if (left === right) {
    const c = comparator(left, ctx);
    return (a, b) => c(a, b);
  }
  if (intTypes.has(left) && intTypes.has(right)) return cmpMixedInt;
  if (
    (left === Oid.float4 || left === Oid.float8) && (right === Oid.float4 || right === Oid.float8)
  ) return cmpFloat;
  if (textLike.has(left) && textLike.has(right)) {
    const c = comparator(Oid.text);
    return (a, b) => c(a, b);
  }
  if (dateTimeTypes.has(left) && dateTimeTypes.has(right)) {
    const toTz = left === Oid.timestamptz || right === Oid.timestamptz;
    const norm = (t: number, v: Datum, c: EvalContext): bigint => {
      let ts = t === Oid.date ? dateToTimestamp(v as number) : (v as bigint);
      if (toTz && t !== Oid.timestamptz && isFiniteTimestamp(ts)) {
        ts = fromLocal(ts, sessionZone(c));
      }
      return ts;
    };
    return (a, b, c) => {
      const x = norm(left, a, c);
      const y = norm(right, b, c);
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }
  return (a, b) => comparator(left, ctx)(a, b);
}

const cmpOps: Record<string, (c: number) => boolean> = {
  "=": (c) => c === 0,
  "<>": (c) => c !== 0,
  "<": (c) => c < 0,
  "<=": (c) => c <= 0,
  ">": (c) => c > 0,
  ">=": (c) => c >= 0,
};

function comparison(name: string, left: number, right: number): OperatorImpl {
  const test = cmpOps[name]!;
  const polymorphic = left === Oid.anyarray || left === Oid.anyenum || left === Oid.record ||
    left === Oid.anycompatiblearray;
  if (polymorphic) {
    return (a, b, ctx, types) =>
      test(crossComparator(types[0] ?? left, types[1] ?? right, ctx)(a, b, ctx));
  }
  const c = crossComparator(left, right);
  if (left === Oid.int4 && right === Oid.int4) {
    // The hot path: no closure chain, no allocation.
    switch (name) {
      case "=":
        return (a, b) => a === b;
      case "<":
        return (a, b) => (a as number) < (b as number);
      case ">":
        return (a, b) => (a as number) > (b as number);
    }
  }
  return (a, b, ctx) => test(c(a, b, ctx));
}

function textOf(type: number, v: Datum, ctx: EvalContext): string {
  if (type === Oid.text || type === Oid.varchar || type === Oid.unknown || type === Oid.name) {
    return v as string;
  }
  if (type === Oid.bpchar) return bpcharTrim(v as string);
  // textanycat is `$1 || $2::text`: the bool→text cast spells true/false out.
  if (type === Oid.bool) return v ? "true" : "false";
  return outputText(type, v, ctx);
}

function arrayContains(a: PgArray, b: PgArray, elem: number, ctx: EvalContext): boolean {
  const c = comparator(elem, ctx);
  return b.elements.every((y) => y !== null && a.elements.some((x) => x !== null && c(x, y) === 0));
}

const interval = (v: Datum) => v as Interval;

function dateTimePlus(d: number, t: number): bigint {
  const ts = dateToTimestamp(d);
  return isFiniteTimestamp(ts) ? ts + BigInt(t) : ts;
}
const zoneOf = (ctx: EvalContext) => sessionZone(ctx);

const special: Record<string, OperatorImpl> = {
  ...numericOps,
  float4um: (a) => -(a as number),
  float8um: (a) => -(a as number),
  float4up: (a) => a,
  float8up: (a) => a,
  float4abs: (a) => Math.abs(a as number),
  float8abs: (a) => Math.abs(a as number),
  dpow: (a, b) => floatPower(a as number, b as number),
  dsqrt: (a) => {
    if ((a as number) < 0) {
      throw new DbError(
        SqlState.invalidArgumentForPowerFunction,
        "cannot take square root of a negative number",
      );
    }
    return Math.sqrt(a as number);
  },
  dcbrt: (a) => Math.cbrt(a as number),
  boolne: (a, b) => a !== b,
  textcat: (a, b) => (a as string) + (b as string),
  textanycat: (a, b, ctx, t) => (a as string) + textOf(t[1] ?? Oid.text, b, ctx),
  anytextcat: (a, b, ctx, t) => textOf(t[0] ?? Oid.text, a, ctx) + (b as string),
  byteacat: (a, b) => {
    const x = a as Uint8Array;
    const y = b as Uint8Array;
    const out = new Uint8Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  },
  starts_with: (a, b) => (a as string).startsWith(b as string),
  array_append: (a, b) => arrayAppend(a as PgArray, b),
  array_prepend: (a, b) => arrayPrepend(a, b as PgArray),
  array_cat: (a, b) => arrayCat(a as PgArray, b as PgArray),
  arraycontains: (a, b, ctx, t) => arrayContains(a as PgArray, b as PgArray, elementOf(t[0]!), ctx),
  arraycontained: (a, b, ctx, t) =>
    arrayContains(b as PgArray, a as PgArray, elementOf(t[0]!), ctx),
  arrayoverlap: (a, b, ctx, t) => {
    const c = comparator(elementOf(t[0]!), ctx);
    const x = a as PgArray;
    return (b as PgArray).elements.some((y) =>
      y !== null && x.elements.some((e) => e !== null && c(e, y) === 0)
    );
  },
  // date and time
  date_pli: (a, b) => datePlusDays(a as number, b as number),
  integer_pl_date: (a, b) => datePlusDays(b as number, a as number),
  date_mii: (a, b) => datePlusDays(a as number, -(b as number)),
  date_mi: (a, b) => dateMinus(a as number, b as number),
  date_pl_interval: (a, b) => timestampPlusInterval(dateToTimestamp(a as number), interval(b)),
  interval_pl_date: (a, b) => timestampPlusInterval(dateToTimestamp(b as number), interval(a)),
  date_mi_interval: (a, b) =>
    timestampPlusInterval(dateToTimestamp(a as number), interval(b).neg()),
  datetime_pl: (a, b) => dateTimePlus(a as number, b as number),
  timedate_pl: (a, b) => dateTimePlus(b as number, a as number),
  datetimetz_pl: (a, b) => {
    const [t, z] = b as [number, number];
    return dateToTimestamp(a as number) + BigInt(t) - BigInt(z) * usPerSecond;
  },
  timetzdate_pl: (a, b) => {
    const [t, z] = a as [number, number];
    return dateToTimestamp(b as number) + BigInt(t) - BigInt(z) * usPerSecond;
  },
  timestamp_pl_interval: (a, b) => timestampPlusInterval(a as bigint, interval(b)),
  interval_pl_timestamp: (a, b) => timestampPlusInterval(b as bigint, interval(a)),
  timestamp_mi_interval: (a, b) => timestampPlusInterval(a as bigint, interval(b).neg()),
  timestamp_mi: (a, b) => timestampMinus(a as bigint, b as bigint),
  timestamptz_pl_interval: (a, b, ctx) =>
    timestamptzPlusInterval(a as bigint, interval(b), zoneOf(ctx)),
  interval_pl_timestamptz: (a, b, ctx) =>
    timestamptzPlusInterval(b as bigint, interval(a), zoneOf(ctx)),
  timestamptz_mi_interval: (a, b, ctx) =>
    timestamptzPlusInterval(a as bigint, interval(b).neg(), zoneOf(ctx)),
  timestamptz_mi: (a, b) => timestampMinus(a as bigint, b as bigint),
  time_mi_time: (a, b) => checkedInterval(0, 0, BigInt((a as number) - (b as number))),
  time_pl_interval: (a, b) => timePlusInterval(a as number, interval(b)),
  interval_pl_time: (a, b) => timePlusInterval(b as number, interval(a)),
  time_mi_interval: (a, b) => timePlusInterval(a as number, interval(b).neg()),
  timetz_pl_interval: (a, b) => {
    const [t, z] = a as [number, number];
    return [timePlusInterval(t, interval(b)), z];
  },
  interval_pl_timetz: (a, b) => {
    const [t, z] = b as [number, number];
    return [timePlusInterval(t, interval(a)), z];
  },
  timetz_mi_interval: (a, b) => {
    const [t, z] = a as [number, number];
    return [timePlusInterval(t, interval(b).neg()), z];
  },
  interval_um: (a) => interval(a).neg(),
  interval_pl: (a, b) => interval(a).add(interval(b)),
  interval_mi: (a, b) => interval(a).sub(interval(b)),
  interval_mul: (a, b) => interval(a).mul(b as number),
  mul_d_interval: (a, b) => interval(b).mul(a as number),
  interval_div: (a, b) => interval(a).div(b as number),
  // jsonb
  jsonb_object_field: (a, b) => jsonbField(a, b as string) ?? null,
  jsonb_object_field_text: (a, b) => jsonbText(jsonbField(a, b as string)),
  jsonb_array_element: (a, b) => jsonbElement(a, b as number) ?? null,
  jsonb_array_element_text: (a, b) => jsonbText(jsonbElement(a, b as number)),
  jsonb_extract_path: (a, b) => jsonbPath(a, pathOf(b)) ?? null,
  jsonb_extract_path_text: (a, b) => jsonbText(jsonbPath(a, pathOf(b))),
  jsonb_contains: (a, b) => jsonbContains(a, b),
  jsonb_contained: (a, b) => jsonbContains(b, a),
  jsonb_exists: (a, b) => jsonbExists(a, b as string),
  jsonb_exists_any: (a, b) => pathOf(b).some((k) => k !== null && jsonbExists(a, k)),
  jsonb_exists_all: (a, b) => pathOf(b).every((k) => k !== null && jsonbExists(a, k)),
  jsonb_concat: (a, b) => jsonbConcat(a, b),
  jsonb_path_exists_opr: (a, b) => jsonPathExists(a, b as string, { silent: true }),
  jsonb_path_match_opr: (a, b) => jsonPathMatch(a, b as string, { silent: true }),
  jsonb_delete_path: (a, b) => jsonbDeletePath(a, pathOf(b)),
  json_object_field: (a, b) => jsonExtract(a as string, [b as string]) ?? null,
  json_object_field_text: (a, b) => jsonExtractText(a as string, [b as string]),
  json_array_element: (a, b) => jsonExtract(a as string, [b as number]) ?? null,
  json_array_element_text: (a, b) => jsonExtractText(a as string, [b as number]),
  json_extract_path: (a, b) => jsonExtract(a as string, pathOf(b)) ?? null,
  json_extract_path_text: (a, b) => jsonExtractText(a as string, pathOf(b)),
};

function implFor(
  name: string,
  left: number,
  right: number,
  result: number,
  code: string,
): OperatorImpl {
  const fixed = special[code];
  if (fixed !== undefined) return fixed;
  if (code === "pg_catalog.jsonb_delete") {
    if (right === Oid.text) return (a, b) => jsonbDeleteKeys(a, [b as string]);
    if (right === Oid.int4) return (a, b) => jsonbDeleteIndex(a, b as number);
    return (a, b) => jsonbDeleteKeys(a, pathOf(b).filter((k): k is string => k !== null));
  }
  if (cmpOps[name] !== undefined && result === Oid.bool) return comparison(name, left, right);
  let m = /^int[248]{1,2}(pl|mi|mul|div|mod)$/.exec(code);
  if (m !== null) return intArith(m[1] as ArithOp, result);
  m = /^float[48]{1,2}(pl|mi|mul|div)$/.exec(code);
  if (m !== null) return floatArith(m[1] as ArithOp, result);
  m = /^int[248](and|or|xor|shl|shr)$/.exec(code);
  if (m !== null) return intBitwise(m[1]!, left);
  if (/^int[248](um|abs|up|not)$/.test(code)) return intUnary(code, right)!;
  m = /^(text|name|bpchar|bytea)(ic)?(n)?like$/.exec(code);
  if (m !== null) {
    const ci = m[2] !== undefined;
    const neg = m[3] !== undefined;
    const isBytes = m[1] === "bytea";
    const isBpchar = m[1] === "bpchar";
    return (a, b) => {
      const s = isBytes ? latin1(a as Uint8Array) : isBpchar ? (a as string) : (a as string);
      const p = isBytes ? latin1(b as Uint8Array) : (b as string);
      return like(s, p, "\\", ci) !== neg;
    };
  }
  m = /^(text|name|bpchar)(ic)?regex(eq|ne)$/.exec(code);
  if (m !== null) {
    const ci = m[2] !== undefined;
    const neg = m[3] === "ne";
    return (a, b) => regexMatch(a as string, b as string, ci) !== neg;
  }
  return () => {
    throw new DbError(
      SqlState.featureNotSupported,
      `operator ${name} (${code}) is not implemented`,
    );
  };
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

const byName = new Map<string, OperatorDef[]>();
const byOid = new Map<number, OperatorDef>();
for (const [oid, name, left, right, result, code] of pgOperatorRows) {
  const strict = !["array_append", "array_prepend", "array_cat"].includes(code);
  const def: OperatorDef = {
    oid,
    name,
    left,
    right,
    result,
    code,
    strict,
    impl: implFor(name, left, right, result, code),
  };
  const list = byName.get(name);
  if (list === undefined) byName.set(name, [def]);
  else list.push(def);
  byOid.set(oid, def);
}

/** Every operator named `name` (the candidates of operator resolution). */
export function operatorsNamed(name: string): readonly OperatorDef[] {
  return byName.get(name) ?? [];
}

/** The operator with this pg_operator OID. */
export function operatorByOid(oid: number): OperatorDef | undefined {
  return byOid.get(oid);
}

/** Every operator (for pg_operator). */
export function allOperators(): OperatorDef[] {
  return [...byOid.values()];
}
