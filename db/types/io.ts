/**
 * @module Text I/O dispatch: `inputText(oid, text, typmod, ctx)` (the type's input function,
 * with its typmod applied as PostgreSQL's input functions do) and `outputText(oid, datum, ctx)`,
 * for every built-in type and their arrays; `applyTypmod` (length, numeric(p,s), precision
 * coercions) and record (row) output.
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { formatArray, parseArray, PgArray } from "./array.ts";
import { formatBool, parseBool } from "./bool.ts";
import { formatBytea, parseBytea } from "./bytea.ts";
import type { EvalContext } from "./context.ts";
import {
  formatDate,
  formatTime,
  formatTimestamp,
  formatTimestamptz,
  formatTimetz,
  isFiniteTimestamp,
  parseDate,
  parseTime,
  parseTimestamp,
  parseTimestamptz,
  parseTimetz,
  roundMicros,
} from "./datetime.ts";
import { formatFloat4, formatFloat8, parseFloat4, parseFloat8 } from "./float.ts";
import { parseInt2, parseInt4, parseInt8, parseOid } from "./int.ts";
import { checkedInterval, formatInterval, Interval, parseInterval } from "./interval.ts";
import { formatJsonb, parseJsonb, parseJsonText } from "./json.ts";
import { Numeric } from "./numeric.ts";
import { elementOf, Oid, typeByName, typeByOid } from "./oids.ts";
import { applyCharLength, formatChar, parseChar, parseName } from "./strings.ts";
import { charLength, IntervalField, intervalFields, numericPrecisionScale } from "./typmod.ts";
import { formatType } from "./typmod.ts";
import { parseUuid } from "./uuid.ts";
import { jsonPathIn } from "./jsonpath_parse.ts";
import { miscInputs, miscOutputs } from "./misc_types.ts";

type Input = (text: string, ctx: EvalContext) => Datum;
type Output = (d: Datum, ctx: EvalContext) => string;

function regInput(kind: "relation" | "type" | "function"): Input {
  return (text, ctx) => {
    const t = text.trim();
    if (/^\d+$/.test(t)) return parseOid(t);
    if (kind === "type") {
      const oid = lookupTypeName(t) ?? ctx.lookupType?.(t);
      if (oid !== undefined) return oid;
      throw new DbError(SqlState.undefinedObject, `type "${t}" does not exist`);
    }
    if (kind === "relation") {
      const oid = ctx.lookupRelation?.(t);
      if (oid !== undefined) return oid;
      throw new DbError(SqlState.undefinedTable, `relation "${t}" does not exist`);
    }
    const oid = ctx.lookupFunction?.(t);
    if (oid !== undefined) return oid;
    throw new DbError(SqlState.undefinedFunction, `function "${t}" does not exist`);
  };
}

/** SQL type names (as the parser spells them) → OIDs, for regtype input and casts by name. */
const sqlTypeNames: Record<string, number> = {
  boolean: Oid.bool,
  integer: Oid.int4,
  int: Oid.int4,
  smallint: Oid.int2,
  bigint: Oid.int8,
  real: Oid.float4,
  "double precision": Oid.float8,
  float: Oid.float8,
  decimal: Oid.numeric,
  "character varying": Oid.varchar,
  character: Oid.bpchar,
  char: Oid.bpchar,
  "timestamp without time zone": Oid.timestamp,
  "timestamp with time zone": Oid.timestamptz,
  "time without time zone": Oid.time,
  "time with time zone": Oid.timetz,
  '"char"': Oid.char,
};

/** Resolves a type name as regtype input does (`integer`, `int4`, `text[]`, `_int4`). */
export function lookupTypeName(name: string): number | undefined {
  const n = name.trim().toLowerCase().replace(/^pg_catalog\./, "");
  if (n.endsWith("[]")) {
    const e = lookupTypeName(n.slice(0, -2));
    return e === undefined ? undefined : typeByOid(e)?.array || undefined;
  }
  return sqlTypeNames[n] ?? typeByName(n)?.oid;
}

function regOutput(kind: "relation" | "type" | "function"): Output {
  return (d, ctx) => {
    const oid = d as number;
    if (oid === 0) return "-";
    if (kind === "type") return typeByOid(oid) !== undefined ? formatType(oid) : String(oid);
    if (kind === "relation") return ctx.relationName?.(oid) ?? String(oid);
    return ctx.functionName?.(oid) ?? String(oid);
  };
}

const str: Output = (d) => d as string;
const num: Output = (d) => String(d);

const inputs = new Map<number, Input>([
  [Oid.bool, (t) => parseBool(t)],
  [Oid.bytea, (t) => parseBytea(t)],
  [Oid.char, (t) => parseChar(t)],
  [Oid.name, (t) => parseName(t)],
  [Oid.int8, (t) => parseInt8(t)],
  [Oid.int2, (t) => parseInt2(t)],
  [Oid.int4, (t) => parseInt4(t)],
  [Oid.text, (t) => t],
  // aclitem keeps its text form (grantee=privs/grantor); the catalog computes it.
  [Oid.aclitem, (t) => t],
  [Oid.varchar, (t) => t],
  [Oid.bpchar, (t) => t],
  [Oid.unknown, (t) => t],
  [Oid.cstring, (t) => t],
  [Oid.oid, (t) => parseOid(t)],
  [Oid.xid, (t) => parseOid(t)],
  [Oid.cid, (t) => parseOid(t)],
  [Oid.json, (t) => parseJsonText(t)],
  [Oid.jsonb, (t) => parseJsonb(t)],
  [Oid.jsonpath, (t) => jsonPathIn(t)],
  ...miscInputs.map(([oid, f]): [number, Input] => [oid, (t) => f(t)]),
  [Oid.float4, (t) => parseFloat4(t)],
  [Oid.float8, (t) => parseFloat8(t)],
  [Oid.numeric, (t) => Numeric.parse(t)],
  [Oid.date, (t, c) => parseDate(t, c)],
  [Oid.time, (t, c) => parseTime(t, c)],
  [Oid.timetz, (t, c) => parseTimetz(t, c)],
  [Oid.timestamp, (t, c) => parseTimestamp(t, c)],
  [Oid.timestamptz, (t, c) => parseTimestamptz(t, c)],
  [Oid.interval, (t) => parseInterval(t)],
  [Oid.uuid, (t) => parseUuid(t)],
  [Oid.regclass, regInput("relation")],
  [Oid.regtype, regInput("type")],
  [Oid.regproc, regInput("function")],
  [Oid.regprocedure, regInput("function")],
  [Oid.int2vector, (t) => PgArray.of(t.trim() === "" ? [] : t.trim().split(/\s+/).map(parseInt2))],
  [Oid.oidvector, (t) => PgArray.of(t.trim() === "" ? [] : t.trim().split(/\s+/).map(parseOid))],
]);

const outputs = new Map<number, Output>([
  [Oid.bool, (d) => formatBool(d as boolean)],
  [Oid.bytea, (d) => formatBytea(d as Uint8Array)],
  [Oid.char, (d) => formatChar(d as string)],
  [Oid.name, str],
  [Oid.aclitem, str],
  [Oid.int8, num],
  [Oid.int2, num],
  [Oid.int4, num],
  [Oid.text, str],
  [Oid.varchar, str],
  [Oid.bpchar, str],
  [Oid.unknown, str],
  [Oid.cstring, str],
  [Oid.oid, num],
  [Oid.xid, num],
  [Oid.cid, num],
  [Oid.json, str],
  [Oid.jsonb, (d) => formatJsonb(d)],
  [Oid.jsonpath, str],
  ...miscOutputs.map(([oid, f]): [number, Output] => [oid, (d, c) => f(d, c.extraFloatDigits)]),
  [Oid.float4, (d, c) => formatFloat4(d as number, c.extraFloatDigits)],
  [Oid.float8, (d, c) => formatFloat8(d as number, c.extraFloatDigits)],
  [Oid.numeric, (d) => (d as Numeric).toString()],
  [Oid.date, (d) => formatDate(d as number)],
  [Oid.time, (d) => formatTime(d as number)],
  [Oid.timetz, (d) => formatTimetz(d as [number, number])],
  [Oid.timestamp, (d) => formatTimestamp(d as bigint)],
  [Oid.timestamptz, (d, c) => formatTimestamptz(d as bigint, c)],
  [Oid.interval, (d, c) => formatInterval(d as Interval, c.intervalStyle)],
  [Oid.uuid, str],
  [Oid.regclass, regOutput("relation")],
  [Oid.regtype, regOutput("type")],
  [Oid.regproc, regOutput("function")],
  [Oid.regprocedure, regOutput("function")],
  [Oid.void, () => ""],
  [Oid.int2vector, (d) => (d as PgArray).elements.join(" ")],
  [Oid.oidvector, (d) => (d as PgArray).elements.join(" ")],
  [Oid.record, (d, c) => formatRecord(d as Datum[], [], c)],
]);

/**
 * The type's input function: text → Datum, with `typmod` applied as the input function does
 * (varchar(3) errors on 'abcd', numeric(5,2) rounds).
 *
 * @example
 * inputText(Oid.int4, "42", -1, ctx); // 42
 */
export function inputText(oid: number, text: string, typmod: number, ctx: EvalContext): Datum {
  const fn = inputs.get(oid);
  let v: Datum;
  if (fn !== undefined) v = fn(text, ctx);
  else {
    const elem = elementOf(oid);
    if (elem === 0) {
      if (ctx.enumLabels?.(oid) !== undefined) return enumInput(oid, text, ctx);
      throw new DbError(SqlState.featureNotSupported, `no input function for type ${oid}`);
    }
    const delim = typeByOid(elem)?.delim ?? ",";
    v = parseArray(text, (s) => inputText(elem, s, typmod, ctx), delim);
    return v;
  }
  return typmod >= 0 ? applyTypmod(oid, v, typmod, false) : v;
}

function enumInput(oid: number, text: string, ctx: EvalContext): string {
  if (!ctx.enumLabels!(oid)!.includes(text)) {
    throw new DbError(
      SqlState.invalidTextRepresentation,
      `invalid input value for enum ${formatType(oid)}: "${text}"`,
    );
  }
  return text;
}

/**
 * The type's output function: Datum → text (not called for NULL).
 *
 * @example
 * outputText(Oid.float8, 0.1, ctx); // "0.1"
 */
export function outputText(oid: number, d: Datum, ctx: EvalContext): string {
  const fn = outputs.get(oid);
  if (fn !== undefined) return fn(d, ctx);
  const elem = elementOf(oid);
  if (elem !== 0) {
    return formatArray(d as PgArray, (e) => outputText(elem, e, ctx), typeByOid(elem)?.delim);
  }
  if (typeof d === "string") return d; // enums and domains over text
  // Arrays of user types (enum_range): elements are enum labels or domain values.
  if (d instanceof PgArray) {
    return formatArray(d, (e) => (typeof e === "string" ? e : String(e)));
  }
  throw new DbError(SqlState.featureNotSupported, `no output function for type ${oid}`);
}

/** True if BKG-DB has text I/O for the type (arrays included). */
export function hasTextIo(oid: number): boolean {
  return inputs.has(oid) || elementOf(oid) !== 0 && inputs.has(elementOf(oid));
}

function numericOverflow(precision: number, scale: number, infinite: boolean): DbError {
  const maxdigits = precision - scale;
  const detail = infinite
    ? `A field with precision ${precision}, scale ${scale} cannot hold an infinite value.`
    : `A field with precision ${precision}, scale ${scale} must round to an absolute value less than ${
      maxdigits > 0 ? "10^" + maxdigits : "1"
    }.`;
  return new DbError(SqlState.numericValueOutOfRange, "numeric field overflow", { detail });
}

/** apply_typmod for numeric(p, s). */
export function applyNumericTypmod(n: Numeric, typmod: number): Numeric {
  const ps = numericPrecisionScale(typmod);
  if (ps === undefined || n.isNaN()) return n;
  if (!n.isFinite()) throw numericOverflow(ps.precision, ps.scale, true);
  const r = n.round(ps.scale);
  const maxdigits = ps.precision - ps.scale;
  if (r.coef !== 0n) {
    // Integer digits of |r| must not exceed p - s (negative p - s means leading fractional zeros).
    const digits = (r.coef < 0n ? -r.coef : r.coef).toString().length - r.scale;
    if (digits > maxdigits) throw numericOverflow(ps.precision, ps.scale, false);
  }
  return r;
}

function applyIntervalTypmod(v: Interval, typmod: number): Interval {
  const { fields, precision } = intervalFields(typmod);
  const F = IntervalField;
  let { months, days, micros } = v;
  const hourUs = 3600000000n;
  const minuteUs = 60000000n;
  if (fields === F.year) {
    months = Math.trunc(months / 12) * 12;
    days = 0;
    micros = 0n;
  } else if (fields === F.month || fields === (F.year | F.month)) {
    days = 0;
    micros = 0n;
  } else if (fields === F.day) micros = 0n;
  else if (fields === F.hour || fields === (F.day | F.hour)) micros = (micros / hourUs) * hourUs;
  else if (
    fields === F.minute || fields === (F.day | F.hour | F.minute) ||
    fields === (F.hour | F.minute)
  ) micros = (micros / minuteUs) * minuteUs;
  if (precision !== 0xffff) micros = roundMicros(micros, precision);
  return checkedInterval(months, days, micros);
}

/**
 * Coerces a value to a typmod: varchar(n)/char(n) (explicit casts truncate, assignment errors),
 * numeric(p,s), time/timestamp(p), interval fields and precision. Arrays apply it per element.
 */
export function applyTypmod(oid: number, d: Datum, typmod: number, explicit: boolean): Datum {
  if (d === null || typmod < 0) return d;
  switch (oid) {
    case Oid.varchar:
      return applyCharLength(d as string, charLength(typmod), false, explicit);
    case Oid.bpchar:
      return applyCharLength(d as string, charLength(typmod), true, explicit);
    case Oid.numeric:
      return applyNumericTypmod(d as Numeric, typmod);
    case Oid.timestamp:
    case Oid.timestamptz:
      return isFiniteTimestamp(d as bigint) ? roundMicros(d as bigint, typmod) : d;
    case Oid.time:
      return Number(roundMicros(BigInt(d as number), typmod));
    case Oid.timetz: {
      const [t, z] = d as [number, number];
      return [Number(roundMicros(BigInt(t), typmod)), z];
    }
    case Oid.interval:
      return applyIntervalTypmod(d as Interval, typmod);
  }
  const elem = elementOf(oid);
  if (elem !== 0) {
    const a = d as PgArray;
    return new PgArray(
      a.elements.map((e) => applyTypmod(elem, e, typmod, explicit)),
      a.dims,
      a.lbounds,
    );
  }
  return d;
}

/** record_out: `(1,abc,"a b",)` — NULL is empty, special characters quoted. */
export function formatRecord(values: Datum[], oids: number[], ctx: EvalContext): string {
  const parts = values.map((v, k) => {
    if (v === null) return "";
    const oid = oids[k] ?? guessOid(v);
    const s = outputText(oid, v, ctx);
    if (s === "" || /[",\\()\s]/.test(s)) return '"' + s.replace(/(["\\])/g, "$1$1") + '"';
    return s;
  });
  return "(" + parts.join(",") + ")";
}

/** A best-effort type for a Datum whose type was not given (records built without types). */
export function guessOid(v: Datum): number {
  switch (typeof v) {
    case "boolean":
      return Oid.bool;
    case "number":
      return Number.isInteger(v) && Math.abs(v) <= 2147483647 ? Oid.int4 : Oid.float8;
    case "bigint":
      return Oid.int8;
    case "string":
      return Oid.text;
  }
  if (v instanceof Numeric) return Oid.numeric;
  if (v instanceof Interval) return Oid.interval;
  if (v instanceof Uint8Array) return Oid.bytea;
  if (v instanceof PgArray) return Oid.textArray;
  if (Array.isArray(v)) return Oid.record;
  return Oid.jsonb;
}
