/**
 * @module Type modifiers (typmod) as PostgreSQL encodes them — varchar(n), bpchar(n),
 * numeric(p,s), time(p), timestamp(p), interval(fields, p) — and `format_type(oid, typmod)`.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { Oid, typeByOid } from "./oids.ts";

/** PostgreSQL's VARHDRSZ: character and numeric typmods are offset by it. */
const varHeader = 4;
/** Longest declared length of varchar/bpchar (PostgreSQL's MaxAttrSize). */
export const charLengthMax = 10485760;
/** Most digits of numeric(p) (PostgreSQL's NUMERIC_MAX_PRECISION). */
export const numericPrecisionMax = 1000;
/** Most fractional-second digits of time/timestamp/interval. */
export const secondsPrecisionMax = 6;

/** Interval field bits (PostgreSQL's INTERVAL_MASK). */
export const IntervalField = {
  month: 1 << 1,
  year: 1 << 2,
  day: 1 << 3,
  hour: 1 << 10,
  minute: 1 << 11,
  second: 1 << 12,
} as const;
/** All fields: `interval` without a field list. */
export const intervalFullRange = 0x7fff;
/** No precision given. */
export const intervalFullPrecision = 0xffff;

/** Encodes `varchar(n)` / `char(n)`. */
export function charTypmod(length: number, typeName = "varchar"): number {
  if (length < 1) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `length for type ${typeName} must be at least 1`,
    );
  }
  if (length > charLengthMax) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `length for type ${typeName} cannot exceed ${charLengthMax}`,
    );
  }
  return length + varHeader;
}

/** The declared length of a varchar/bpchar typmod, or -1. */
export function charLength(typmod: number): number {
  return typmod < varHeader ? -1 : typmod - varHeader;
}

/** Encodes `numeric(p, s)`. */
export function numericTypmod(precision: number, scale = 0): number {
  if (precision < 1 || precision > numericPrecisionMax) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `NUMERIC precision ${precision} must be between 1 and ${numericPrecisionMax}`,
    );
  }
  if (scale < -1000 || scale > 1000) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `NUMERIC scale ${scale} must be between -1000 and 1000`,
    );
  }
  return ((precision << 16) | (scale & 0x7ff)) + varHeader;
}

/** The precision and scale of a numeric typmod, or undefined for plain `numeric`. */
export function numericPrecisionScale(
  typmod: number,
): { precision: number; scale: number } | undefined {
  if (typmod < varHeader) return undefined;
  const t = typmod - varHeader;
  return { precision: (t >> 16) & 0xffff, scale: ((t & 0x7ff) ^ 1024) - 1024 };
}

/** Encodes the precision of time/timestamp(p) (clamped to 6 as PostgreSQL does, with a warning there). */
export function secondsTypmod(precision: number, typeName: string): number {
  if (precision < 0) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `${typeName.toUpperCase()}(${precision}) precision must not be negative`,
    );
  }
  return Math.min(precision, secondsPrecisionMax);
}

/** Encodes `interval fields (p)`: fields is a bit mask of {@link IntervalField}. */
export function intervalTypmod(
  fields = intervalFullRange,
  precision = intervalFullPrecision,
): number {
  if (precision !== intervalFullPrecision) {
    if (precision < 0) {
      throw new DbError(
        SqlState.invalidParameterValue,
        `INTERVAL(${precision}) precision must not be negative`,
      );
    }
    precision = Math.min(precision, secondsPrecisionMax);
  }
  return ((fields & 0x7fff) << 16) | (precision & 0xffff);
}

/** The fields and precision of an interval typmod. */
export function intervalFields(typmod: number): { fields: number; precision: number } {
  if (typmod < 0) return { fields: intervalFullRange, precision: intervalFullPrecision };
  return { fields: (typmod >> 16) & 0x7fff, precision: typmod & 0xffff };
}

const F = IntervalField;
const intervalFieldNames = new Map<number, string>([
  [F.year, " year"],
  [F.month, " month"],
  [F.day, " day"],
  [F.hour, " hour"],
  [F.minute, " minute"],
  [F.second, " second"],
  [F.year | F.month, " year to month"],
  [F.day | F.hour, " day to hour"],
  [F.day | F.hour | F.minute, " day to minute"],
  [F.day | F.hour | F.minute | F.second, " day to second"],
  [F.hour | F.minute, " hour to minute"],
  [F.hour | F.minute | F.second, " hour to second"],
  [F.minute | F.second, " minute to second"],
  [intervalFullRange, ""],
]);

function typmodSuffix(oid: number, typmod: number): string {
  if (typmod < 0) return "";
  switch (oid) {
    case Oid.bpchar:
    case Oid.varchar:
      return `(${typmod - varHeader})`;
    case Oid.numeric: {
      const ps = numericPrecisionScale(typmod)!;
      return `(${ps.precision},${ps.scale})`;
    }
    case Oid.time:
    case Oid.timetz:
    case Oid.timestamp:
    case Oid.timestamptz:
      return `(${typmod})`;
    case Oid.interval: {
      const { fields, precision } = intervalFields(typmod);
      const f = intervalFieldNames.get(fields) ?? "";
      return precision === intervalFullPrecision ? f : `${f}(${precision})`;
    }
  }
  return "";
}

const sqlNames: Record<number, [string, string]> = {
  [Oid.bool]: ["boolean", ""],
  [Oid.float4]: ["real", ""],
  [Oid.float8]: ["double precision", ""],
  [Oid.int2]: ["smallint", ""],
  [Oid.int4]: ["integer", ""],
  [Oid.int8]: ["bigint", ""],
  [Oid.varchar]: ["character varying", ""],
  [Oid.char]: ['"char"', ""],
  [Oid.time]: ["time", " without time zone"],
  [Oid.timetz]: ["time", " with time zone"],
  [Oid.timestamp]: ["timestamp", " without time zone"],
  [Oid.timestamptz]: ["timestamp", " with time zone"],
};

/**
 * PostgreSQL's `format_type(oid, typmod)`: the SQL spelling of a type. Leave `typmod` out for
 * format_type(oid, NULL) — what regtype output and error messages use.
 *
 * @example
 * formatType(Oid.varchar, charTypmod(20)); // "character varying(20)"
 */
export function formatType(oid: number, typmod?: number): string {
  const t = typeByOid(oid);
  if (t === undefined) return "???";
  if (t.name.startsWith("_") && t.elem !== 0) return `${formatType(t.elem, typmod)}[]`;
  // format_type(1042, -1) says "bpchar"; without a typmod (regtype output) it is "character".
  if (oid === Oid.bpchar) {
    return typmod === undefined
      ? "character"
      : typmod >= 0
      ? `character${typmodSuffix(oid, typmod)}`
      : "bpchar";
  }
  typmod ??= -1;
  const named = sqlNames[oid];
  if (named !== undefined) return `${named[0]}${typmodSuffix(oid, typmod)}${named[1]}`;
  return `${t.name}${typmodSuffix(oid, typmod)}`;
}
