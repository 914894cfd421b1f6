/**
 * @module Casts: find the cast between two types with its context (PostgreSQL's
 * find_coercion_pathway: pg_cast rows, I/O conversion to string types on assignment and from
 * string types when explicit, array element casts, unknown literals) and perform it: numeric
 * conversions with rounding and range errors, text ↔ anything via I/O, bool ↔ int4,
 * date ↔ timestamp(tz) in the session TimeZone, json ↔ jsonb, jsonb scalars, and typmod
 * coercion (length, numeric(p,s), precision).
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { PgArray } from "./array.ts";
import { pgCastRows } from "./cast_table.ts";
import type { EvalContext } from "./context.ts";
import {
  fromLocal,
  isFiniteTimestamp,
  sessionZone,
  timestampInfinity,
  timestampNegInfinity,
  toLocal,
  usPerDay,
  usPerSecond,
} from "./datetime.ts";
import { formatFloat4, formatFloat8, parseFloat4, parseFloat8 } from "./float.ts";
import { fitsInt, fitsInt8 } from "./int.ts";
import { Interval, rint } from "./interval.ts";
import { applyTypmod, inputText, outputText } from "./io.ts";
import { formatJsonb, jsonbTypeof, parseJsonb } from "./json.ts";
import { Numeric } from "./numeric.ts";
import { elementOf, Oid, typeByOid } from "./oids.ts";
import { bpcharTrim } from "./strings.ts";
import { formatType } from "./typmod.ts";

/** Where a cast may be applied implicitly: in expressions, in assignment, or only when written. */
export type CoercionContext = "implicit" | "assignment" | "explicit";

const contextRank: Record<string, number> = {
  i: 0,
  a: 1,
  e: 2,
  implicit: 0,
  assignment: 1,
  explicit: 2,
};

/** A cast path. */
export interface Cast {
  source: number;
  target: number;
  /** The weakest context in which it applies. */
  context: CoercionContext;
  /** f function, b binary-coercible (no work), i I/O conversion, a array element-wise. */
  method: "f" | "b" | "i" | "a";
}

const castTable = new Map<string, Cast>();
const contextNames: Record<string, CoercionContext> = {
  i: "implicit",
  a: "assignment",
  e: "explicit",
};
for (const [s, t, c, m] of pgCastRows) {
  castTable.set(`${s}:${t}`, { source: s, target: t, context: contextNames[c]!, method: m });
}

function category(oid: number): string {
  return typeByOid(oid)?.category ?? "U";
}

/**
 * find_coercion_pathway: the cast from `source` to `target`, or undefined if none exists.
 * Same type is binary-coercible; `unknown` converts to anything implicitly via input.
 */
export function findCast(source: number, target: number): Cast | undefined {
  if (source === target) return { source, target, context: "implicit", method: "b" };
  if (source === Oid.unknown) return { source, target, context: "implicit", method: "i" };
  const row = castTable.get(`${source}:${target}`);
  if (row !== undefined) return row;
  const se = elementOf(source);
  const te = elementOf(target);
  if (se !== 0 && te !== 0) {
    const ec = findCast(se, te);
    if (ec !== undefined) return { source, target, context: ec.context, method: "a" };
  }
  if (
    target === Oid.text || target === Oid.varchar || target === Oid.bpchar || target === Oid.name
  ) {
    if (source !== Oid.void && typeByOid(source)?.kind !== "p") {
      return { source, target, context: "assignment", method: "i" };
    }
  }
  if (category(source) === "S" && typeByOid(target)?.kind !== "p") {
    return { source, target, context: "explicit", method: "i" };
  }
  return undefined;
}

/** True if a value of `source` may be coerced to `target` in `context`. */
export function canCoerce(source: number, target: number, context: CoercionContext): boolean {
  const c = findCast(source, target);
  return c !== undefined && contextRank[c.context]! <= contextRank[context]!;
}

function range(what: string): DbError {
  return new DbError(SqlState.numericValueOutOfRange, `${what} out of range`);
}

const intNames: Record<number, string> = {
  [Oid.int2]: "smallint",
  [Oid.int4]: "integer",
  [Oid.int8]: "bigint",
};

function toInt(target: number, v: number): number {
  const name = intNames[target]!;
  if (!Number.isFinite(v) || !fitsInt(v, target === Oid.int2 ? 2 : 4)) throw range(name);
  return v;
}

function floatToInt(target: number, v: number): Datum {
  if (Number.isNaN(v)) throw range(intNames[target]!);
  const r = rint(v);
  if (target === Oid.int8) {
    if (!(r >= -9223372036854775808 && r < 9223372036854775808)) throw range("bigint");
    return BigInt(r);
  }
  return toInt(target, r) + 0;
}

function numericToInt(target: number, n: Numeric): Datum {
  const name = intNames[target]!;
  if (n.isNaN()) throw new DbError(SqlState.featureNotSupported, `cannot convert NaN to ${name}`);
  if (!n.isFinite()) {
    throw new DbError(SqlState.featureNotSupported, `cannot convert infinity to ${name}`);
  }
  const r = n.toBigIntRounded();
  if (target === Oid.int8) {
    if (!fitsInt8(r)) throw range("bigint");
    return r;
  }
  if (r > 2147483647n || r < -2147483648n) throw range(name);
  return toInt(target, Number(r));
}

function float8ToFloat4(v: number): number {
  const r = Math.fround(v);
  if (!Number.isFinite(r) && Number.isFinite(v)) {
    throw new DbError(SqlState.numericValueOutOfRange, "value out of range: overflow");
  }
  if (r === 0 && v !== 0) {
    throw new DbError(SqlState.numericValueOutOfRange, "value out of range: underflow");
  }
  return r;
}

function jsonbScalar(target: number, v: Datum): Datum {
  const want = target === Oid.bool ? "boolean" : "number";
  const kind = jsonbTypeof(v);
  if (kind !== want) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `cannot cast jsonb ${kind === "number" ? "numeric" : kind} to type ${formatType(target)}`,
    );
  }
  if (target === Oid.bool) return v;
  const n = v as Numeric;
  switch (target) {
    case Oid.numeric:
      return n;
    case Oid.float8:
      return parseFloat8(n.toString());
    case Oid.float4:
      return parseFloat4(n.toString());
  }
  return numericToInt(target, n);
}

/** The function of a pg_cast row with method "f". */
function castFunction(s: number, t: number, d: Datum, ctx: EvalContext): Datum {
  if (s === Oid.jsonb && t !== Oid.json && t !== Oid.text) return jsonbScalar(t, d);
  const isInt = (o: number) => o === Oid.int2 || o === Oid.int4;
  // integers, oids and reg* types
  if ((isInt(s) || s === Oid.int8) && (isInt(t) || t === Oid.int8)) {
    if (t === Oid.int8) return BigInt(d as number | bigint);
    if (typeof d === "bigint") {
      if (d > 2147483647n || d < -2147483648n) throw range(intNames[t]!);
      return toInt(t, Number(d));
    }
    return toInt(t, d as number);
  }
  if (
    s === Oid.int8 &&
    (t === Oid.oid || t === Oid.regclass || t === Oid.regtype || t === Oid.regproc ||
      t === Oid.regprocedure)
  ) {
    const v = d as bigint;
    if (v < 0n || v > 4294967295n) {
      throw new DbError(SqlState.numericValueOutOfRange, "OID out of range");
    }
    return Number(v);
  }
  if (
    isInt(s) &&
    (t === Oid.oid || t === Oid.regclass || t === Oid.regtype || t === Oid.regproc ||
      t === Oid.regprocedure)
  ) {
    const v = d as number;
    return v < 0 ? v + 4294967296 : v;
  }
  if (
    (s === Oid.oid || s === Oid.regclass || s === Oid.regtype || s === Oid.regproc ||
      s === Oid.regprocedure)
  ) {
    if (t === Oid.int8) return BigInt(d as number);
    if (t === Oid.int4) return (d as number) | 0;
    return d;
  }
  // to floats / numeric
  if (t === Oid.float8 || t === Oid.float4) {
    let v: number;
    if (typeof d === "bigint") v = Number(d);
    else if (d instanceof Numeric) {
      return t === Oid.float8 ? parseFloat8(d.toString()) : parseFloat4(d.toString());
    } else v = d as number;
    return t === Oid.float4 ? (s === Oid.float8 ? float8ToFloat4(v) : Math.fround(v)) : v;
  }
  if (t === Oid.numeric) {
    if (s === Oid.float8) return Numeric.fromFloat(d as number, 15);
    if (s === Oid.float4) return Numeric.fromFloat(d as number, 6);
    if (s === Oid.jsonb) return jsonbScalar(t, d);
    if (d instanceof Numeric) return d;
    return Numeric.fromBigInt(BigInt(d as number | bigint));
  }
  if (isInt(t) || t === Oid.int8) {
    if (s === Oid.float4 || s === Oid.float8) return floatToInt(t, d as number);
    if (s === Oid.numeric) return numericToInt(t, d as Numeric);
    if (s === Oid.bool) return d ? 1 : 0;
    if (s === Oid.char) {
      const c = (d as string).charCodeAt(0) || 0;
      return c > 127 ? c - 256 : c;
    }
    if (s === Oid.jsonb) return jsonbScalar(t, d);
  }
  if (t === Oid.bool) {
    if (s === Oid.int4) return (d as number) !== 0;
    if (s === Oid.jsonb) return jsonbScalar(t, d);
  }
  if (t === Oid.char) {
    if (s === Oid.int4) {
      const v = d as number;
      if (v < -128 || v > 127) {
        throw new DbError(SqlState.numericValueOutOfRange, '"char" out of range');
      }
      return v === 0 ? "" : String.fromCharCode(v < 0 ? v + 256 : v);
    }
    const str = s === Oid.bpchar ? bpcharTrim(d as string) : (d as string);
    return str.length === 0 ? "" : str[0]!;
  }
  // string types
  if (t === Oid.text || t === Oid.varchar || t === Oid.bpchar || t === Oid.name) {
    if (s === Oid.bool) return d ? "true" : "false";
    if (s === Oid.bpchar) return t === Oid.bpchar ? d : bpcharTrim(d as string);
    if (s === Oid.char) return d;
    if (t === Oid.name) return inputText(Oid.name, d as string, -1, ctx);
    return d;
  }
  if (t === Oid.regclass) return inputText(Oid.regclass, d as string, -1, ctx);
  // date/time
  const zone = () => sessionZone(ctx);
  switch (`${s}:${t}`) {
    case `${Oid.date}:${Oid.timestamp}`:
    case `${Oid.date}:${Oid.timestamptz}`: {
      const days = d as number;
      if (days === Infinity) return timestampInfinity;
      if (days === -Infinity) return timestampNegInfinity;
      const local = BigInt(days) * usPerDay;
      if (local >= 9223371331200000000n) {
        throw new DbError(SqlState.datetimeFieldOverflow, "date out of range for timestamp");
      }
      return t === Oid.timestamp ? local : fromLocal(local, zone());
    }
    case `${Oid.timestamp}:${Oid.date}`:
    case `${Oid.timestamptz}:${Oid.date}`: {
      const ts = d as bigint;
      if (ts === timestampInfinity) return Infinity;
      if (ts === timestampNegInfinity) return -Infinity;
      const local = s === Oid.timestamp ? ts : toLocal(ts, zone())[0];
      const days = local / usPerDay - (local % usPerDay < 0n ? 1n : 0n);
      return Number(days);
    }
    case `${Oid.timestamp}:${Oid.time}`:
    case `${Oid.timestamptz}:${Oid.time}`: {
      const ts = d as bigint;
      if (!isFiniteTimestamp(ts)) return null;
      const local = s === Oid.timestamp ? ts : toLocal(ts, zone())[0];
      return Number(((local % usPerDay) + usPerDay) % usPerDay);
    }
    case `${Oid.timestamp}:${Oid.timestamptz}`: {
      const ts = d as bigint;
      return isFiniteTimestamp(ts) ? fromLocal(ts, zone()) : ts;
    }
    case `${Oid.timestamptz}:${Oid.timestamp}`: {
      const ts = d as bigint;
      return isFiniteTimestamp(ts) ? toLocal(ts, zone())[0] : ts;
    }
    case `${Oid.timestamptz}:${Oid.timetz}`: {
      const ts = d as bigint;
      if (!isFiniteTimestamp(ts)) return null;
      const [local, off] = toLocal(ts, zone());
      return [Number(((local % usPerDay) + usPerDay) % usPerDay), off];
    }
    case `${Oid.time}:${Oid.interval}`:
      return new Interval(0, 0, BigInt(d as number));
    case `${Oid.interval}:${Oid.time}`: {
      let us = (d as Interval).micros % usPerDay;
      if (us < 0n) us += usPerDay;
      return Number(us);
    }
    case `${Oid.time}:${Oid.timetz}`: {
      const today = toLocal(ctx.transactionStart, zone())[0];
      const day = today - (((today % usPerDay) + usPerDay) % usPerDay);
      const local = day + BigInt(d as number);
      const utc = fromLocal(local, zone());
      return [d as number, Number((local - utc) / usPerSecond)];
    }
    case `${Oid.timetz}:${Oid.time}`:
      return (d as [number, number])[0];
    case `${Oid.time}:${Oid.time}`:
    case `${Oid.timetz}:${Oid.timetz}`:
    case `${Oid.timestamp}:${Oid.timestamp}`:
    case `${Oid.timestamptz}:${Oid.timestamptz}`:
    case `${Oid.interval}:${Oid.interval}`:
    case `${Oid.numeric}:${Oid.numeric}`:
    case `${Oid.varchar}:${Oid.varchar}`:
      return d; // length-coercion functions: the typmod step does the work
  }
  throw new DbError(SqlState.cannotCoerce, `cannot cast type ${formatType(s)} to ${formatType(t)}`);
}

/** Options of {@link castDatum}. */
export interface CastOptions {
  /** Target typmod (-1 none). */
  typmod?: number;
  /** An explicit cast (CAST / ::) truncates strings where assignment would fail. */
  explicit?: boolean;
}

/**
 * Converts a value from `source` to `target` (NULL stays NULL), then applies the target typmod.
 * Raises 42846 if no cast exists at all; the binder checks the context with {@link canCoerce}.
 *
 * @example
 * castDatum(Numeric.parse("2.5"), Oid.numeric, Oid.int4, ctx); // 3
 */
export function castDatum(
  d: Datum,
  source: number,
  target: number,
  ctx: EvalContext,
  opts: CastOptions = {},
): Datum {
  if (d === null) return null;
  const typmod = opts.typmod ?? -1;
  const explicit = opts.explicit ?? false;
  const cast = findCast(source, target);
  if (cast === undefined) {
    throw new DbError(
      SqlState.cannotCoerce,
      `cannot cast type ${formatType(source)} to ${formatType(target)}`,
    );
  }
  let v: Datum;
  switch (cast.method) {
    case "b":
      v = d;
      if (typeof d === "number" && source !== target) {
        // int4 and the unsigned oid family share bits: reinterpret.
        if (source === Oid.int4 && d < 0) v = d + 4294967296;
        else if (target === Oid.int4 && d > 2147483647) v = d - 4294967296;
      }
      break;
    case "i":
      if (source === Oid.unknown) v = inputText(target, d as string, -1, ctx);
      else if (source === Oid.json && target === Oid.jsonb) v = parseJsonb(d as string);
      else if (source === Oid.jsonb && target === Oid.json) v = formatJsonb(d);
      else {
        const text = source === Oid.float8
          ? formatFloat8(d as number, ctx.extraFloatDigits)
          : source === Oid.float4
          ? formatFloat4(d as number, ctx.extraFloatDigits)
          : outputText(source, d, ctx);
        v = inputText(target, text, -1, ctx);
      }
      break;
    case "a": {
      const a = d as PgArray;
      const se = elementOf(source);
      const te = elementOf(target);
      v = new PgArray(
        a.elements.map((e) => castDatum(e, se, te, ctx, { typmod, explicit })),
        a.dims,
        a.lbounds,
      );
      return v;
    }
    default:
      v = castFunction(source, target, d, ctx);
  }
  return typmod >= 0 ? applyTypmod(target, v, typmod, explicit) : v;
}
