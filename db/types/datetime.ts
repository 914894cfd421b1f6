/**
 * @module date, time, timetz, timestamp and timestamptz: PostgreSQL's calendar (date2j/j2date,
 * days since 2000-01-01), value ranges and infinities, text input (through datetime_parse.ts)
 * and ISO DateStyle output, with timestamptz shown in the session TimeZone.
 *
 * Representations: date = days since 2000-01-01 (±Infinity for ±infinity); time = µs since
 * midnight; timetz = [µs, offset seconds east]; timestamp(tz) = bigint µs since
 * 2000-01-01 00:00:00 (UTC for timestamptz), with PostgreSQL's int64 sentinels for infinity.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import type { EvalContext } from "./context.ts";
import {
  dateOrderOf,
  dateTimeError,
  type DateTimeFields,
  decodeDateTime,
} from "./datetime_parse.ts";
import { localOffset, resolveZone, type Zone, zoneOffsetAt } from "./timezone.ts";

export const usPerSecond = 1000000n;
export const usPerDay = 86400000000n;
export const usPerDayNumber = 86400000000;
/** POSTGRES_EPOCH_JDATE: the Julian day of 2000-01-01. */
export const epochJulian = 2451545;
/** timestamp 'infinity' / '-infinity' (DT_NOEND / DT_NOBEGIN). */
export const timestampInfinity = 9223372036854775807n;
export const timestampNegInfinity = -9223372036854775808n;
/** MIN_TIMESTAMP (4714-11-24 00:00 BC) and END_TIMESTAMP (294277-01-01). */
export const timestampMin = -211813488000000000n;
export const timestampEnd = 9223371331200000000n;
/** DATE_END_JULIAN: first Julian day past the date range (5874898-01-01). */
const dateEndJulian = 2147483494;
/** Unix epoch as timestamp µs. */
export const unixEpochMicros = -946684800000000n;

/** date2j: the Julian day number of a proleptic Gregorian date (year 0 = 1 BC). */
export function date2j(y: number, m: number, d: number): number {
  if (m > 2) {
    m += 1;
    y += 4800;
  } else {
    m += 13;
    y += 4799;
  }
  const century = Math.floor(y / 100);
  let julian = y * 365 - 32167;
  julian += Math.floor(y / 4) - century + Math.floor(century / 4);
  julian += Math.floor((7834 * m) / 256) + d;
  return julian;
}

/** j2date: [year, month, day] of a Julian day number. */
export function j2date(jd: number): [number, number, number] {
  let julian = jd + 32044;
  let quad = Math.floor(julian / 146097);
  const extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + Math.floor(extra / 146097);
  quad = Math.floor(julian / 1461);
  julian -= quad * 1461;
  let y = Math.floor((julian * 4) / 1461);
  julian = (y !== 0 ? (julian + 305) % 365 : (julian + 306) % 366) + 123;
  y += quad * 4;
  const year = y - 4800;
  quad = Math.floor((julian * 2141) / 65536);
  const day = julian - Math.floor((7834 * quad) / 256);
  const month = ((quad + 10) % 12) + 1;
  return [year, month, day];
}

export function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : monthDays[m - 1]!;
}

function validJulian(y: number, m: number): boolean {
  return (y > -4713 || (y === -4713 && m >= 11)) && (y < 5874898 || (y === 5874898 && m < 6));
}

/** True if `d` (days since 2000-01-01) is a finite date PostgreSQL can hold. */
export function isValidDate(d: number): boolean {
  return d >= -epochJulian && d < dateEndJulian - epochJulian;
}

/** True if a finite timestamp is inside PostgreSQL's range. */
export function isValidTimestamp(t: bigint): boolean {
  return t >= timestampMin && t < timestampEnd;
}

export function isFiniteTimestamp(t: bigint): boolean {
  return t !== timestampInfinity && t !== timestampNegInfinity;
}

/** Broken-down local time. */
export interface Tm {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
}

/** Splits a finite timestamp (µs since 2000-01-01, as wall clock) into fields. */
export function timestampToTm(t: bigint): Tm {
  let days = t / usPerDay;
  let rem = t - days * usPerDay;
  if (rem < 0n) {
    rem += usPerDay;
    days -= 1n;
  }
  const [year, month, day] = j2date(Number(days) + epochJulian);
  const r = Number(rem);
  const secs = Math.floor(r / 1e6);
  return {
    year,
    month,
    day,
    hour: Math.floor(secs / 3600),
    minute: Math.floor(secs / 60) % 60,
    second: secs % 60,
    micros: r % 1e6,
  };
}

/** The timestamp of broken-down fields (no range check). */
export function tmToTimestamp(tm: Tm): bigint {
  const days = date2j(tm.year, tm.month, tm.day) - epochJulian;
  const time = ((tm.hour * 60 + tm.minute) * 60 + tm.second) * 1e6 + tm.micros;
  return BigInt(days) * usPerDay + BigInt(time);
}

/** The session zone of a context (resolved and cached by lookupZone). */
export function sessionZone(ctx: EvalContext): Zone {
  return resolveZone(ctx.timeZone);
}

/** Seconds east of UTC in `zone` at the timestamptz `t`. */
export function offsetAt(zone: Zone, t: bigint): number {
  if (zone.kind === "fixed") return zone.offset;
  return zoneOffsetAt(zone, Number(t / usPerSecond) + 946684800);
}

/** timestamptz → local wall-clock timestamp and the offset used. */
export function toLocal(t: bigint, zone: Zone): [bigint, number] {
  const off = offsetAt(zone, t);
  return [t + BigInt(off) * usPerSecond, off];
}

/** Local wall-clock timestamp → timestamptz, choosing the offset as PostgreSQL does. */
export function fromLocal(local: bigint, zone: Zone): bigint {
  if (zone.kind === "fixed") return local - BigInt(zone.offset) * usPerSecond;
  const secs = Number(
    (local - (((local % usPerSecond) + usPerSecond) % usPerSecond)) / usPerSecond,
  );
  const off = localOffset(zone, secs + 946684800);
  return local - BigInt(off) * usPerSecond;
}

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/** HH:MM:SS[.ffffff] with trailing zeros of the fraction removed (AppendSeconds). */
function formatClock(h: number, mi: number, s: number, us: number): string {
  let out = pad2(h) + ":" + pad2(mi) + ":" + pad2(s);
  if (us !== 0) out += "." + String(us).padStart(6, "0").replace(/0+$/, "");
  return out;
}

function formatYmd(y: number, m: number, d: number): string {
  const yy = y > 0 ? y : 1 - y;
  return String(yy).padStart(4, "0") + "-" + pad2(m) + "-" + pad2(d);
}

/** EncodeTimezone: `+HH[:MM[:SS]]` for an offset in seconds east. */
export function formatOffset(offsetEast: number): string {
  const sign = offsetEast < 0 ? "-" : "+";
  let a = Math.abs(offsetEast);
  const h = Math.floor(a / 3600);
  a -= h * 3600;
  const m = Math.floor(a / 60);
  const s = a - m * 60;
  let out = sign + pad2(h);
  if (m !== 0 || s !== 0) out += ":" + pad2(m);
  if (s !== 0) out += ":" + pad2(s);
  return out;
}

/** date_out (ISO). */
export function formatDate(d: number): string {
  if (d === Infinity) return "infinity";
  if (d === -Infinity) return "-infinity";
  const [y, m, day] = j2date(d + epochJulian);
  return formatYmd(y, m, day) + (y <= 0 ? " BC" : "");
}

/** time_out. */
export function formatTime(us: number): string {
  const secs = Math.floor(us / 1e6);
  return formatClock(Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60, us % 1e6);
}

/** timetz_out. */
export function formatTimetz(v: [number, number]): string {
  return formatTime(v[0]) + formatOffset(v[1]);
}

/** timestamp_out (ISO). */
export function formatTimestamp(t: bigint): string {
  if (t === timestampInfinity) return "infinity";
  if (t === timestampNegInfinity) return "-infinity";
  const tm = timestampToTm(t);
  return formatYmd(tm.year, tm.month, tm.day) + " " +
    formatClock(tm.hour, tm.minute, tm.second, tm.micros) + (tm.year <= 0 ? " BC" : "");
}

/** timestamptz_out (ISO) in the session time zone. */
export function formatTimestamptz(t: bigint, ctx: EvalContext): string {
  if (t === timestampInfinity) return "infinity";
  if (t === timestampNegInfinity) return "-infinity";
  const [local, off] = toLocal(t, sessionZone(ctx));
  const tm = timestampToTm(local);
  return formatYmd(tm.year, tm.month, tm.day) + " " +
    formatClock(tm.hour, tm.minute, tm.second, tm.micros) + formatOffset(off) +
    (tm.year <= 0 ? " BC" : "");
}

/** ValidateDate: year from BC/2-digit forms, day-of-year, month and day ranges. */
function validateDate(f: DateTimeFields, text: string, typeName: string): [number, number, number] {
  if (f.julian !== undefined) return j2date(f.julian);
  let y = f.year!;
  if (f.bc) {
    if (y <= 0) throw dateTimeError("field", text, typeName);
    y = -(y - 1);
  } else if (f.is2digits) {
    if (y < 70) y += 2000;
    else if (y < 100) y += 1900;
  } else if (y <= 0) throw dateTimeError("field", text, typeName);
  let m = f.month!;
  let d = f.day!;
  if (f.doy !== undefined) [y, m, d] = j2date(date2j(y, 1, 1) + f.doy - 1);
  if (m < 1 || m > 12) throw dateTimeError("md", text, typeName);
  if (d < 1 || d > 31) throw dateTimeError("md", text, typeName);
  if (d > daysInMonth(y, m)) throw dateTimeError("field", text, typeName);
  return [y, m, d];
}

function outOfRange(what: string, text: string): DbError {
  return new DbError(SqlState.datetimeFieldOverflow, `${what} out of range: "${text}"`);
}

function currentLocalDate(ctx: EvalContext): number {
  const [local] = toLocal(ctx.transactionStart, sessionZone(ctx));
  return Number((local - (((local % usPerDay) + usPerDay) % usPerDay)) / usPerDay);
}

function specialAlone(f: DateTimeFields, text: string, typeName: string): void {
  if (f.haveDate || f.haveTime || f.tzOffset !== undefined || f.zone !== undefined) {
    throw dateTimeError("format", text, typeName);
  }
}

/** date_in. */
export function parseDate(text: string, ctx: EvalContext): number {
  const f = decodeDateTime(text, "date", dateOrderOf(ctx.dateStyle));
  switch (f.special) {
    case "epoch":
      specialAlone(f, text, "date");
      return -10957;
    case "infinity":
      specialAlone(f, text, "date");
      return Infinity;
    case "-infinity":
      specialAlone(f, text, "date");
      return -Infinity;
    case "now":
      specialAlone(f, text, "date");
      return currentLocalDate(ctx);
    case "today":
      return currentLocalDate(ctx);
    case "tomorrow":
      return currentLocalDate(ctx) + 1;
    case "yesterday":
      return currentLocalDate(ctx) - 1;
    case "allballs":
      throw dateTimeError("format", text, "date");
  }
  if (!f.haveDate) throw dateTimeError("format", text, "date");
  const [y, m, d] = validateDate(f, text, "date");
  if (!validJulian(y, m)) throw outOfRange("date", text);
  const days = date2j(y, m, d) - epochJulian;
  if (!isValidDate(days)) throw outOfRange("date", text);
  return days;
}

/** time_in: µs since midnight (a date or zone in the text is accepted and ignored). */
export function parseTime(text: string, ctx: EvalContext, typeName = "time"): number {
  const f = decodeDateTime(text, typeName, dateOrderOf(ctx.dateStyle), true);
  if (f.special === "allballs") return 0;
  if (f.special === "now") {
    const [local] = toLocal(ctx.transactionStart, sessionZone(ctx));
    return Number(((local % usPerDay) + usPerDay) % usPerDay);
  }
  if (f.special !== undefined || !f.haveTime) {
    if (f.special === undefined && f.haveDate) return 0;
    throw dateTimeError("format", text, typeName);
  }
  if (f.haveDate) validateDate(f, text, typeName);
  return ((f.hour * 60 + f.minute) * 60 + f.second) * 1e6 + f.micros;
}

/** timetz_in: [µs, offset seconds east]; without a zone the session zone's offset applies. */
export function parseTimetz(text: string, ctx: EvalContext): [number, number] {
  const typeName = "time with time zone";
  const f = decodeDateTime(text, typeName, dateOrderOf(ctx.dateStyle), true);
  const time = parseTime(text, ctx, typeName);
  if (f.tzOffset !== undefined) return [time, f.tzOffset];
  if (f.zone !== undefined && !f.haveDate) throw dateTimeError("format", text, typeName);
  const zone = f.zone ?? sessionZone(ctx);
  let dayLocal: bigint;
  if (f.haveDate && f.year !== undefined) {
    const [y, m, d] = validateDate(f, text, typeName);
    dayLocal = BigInt(date2j(y, m, d) - epochJulian) * usPerDay;
  } else dayLocal = BigInt(currentLocalDate(ctx)) * usPerDay;
  const local = dayLocal + BigInt(time);
  const utc = fromLocal(local, zone);
  return [time, Number((local - utc) / usPerSecond)];
}

/** Builds the wall-clock timestamp of decoded fields (time 24:00 and second 60 roll over). */
function fieldsToLocal(f: DateTimeFields, text: string, typeName: string): bigint {
  const [y, m, d] = validateDate(f, text, typeName);
  if (!validJulian(y, m)) throw outOfRange("timestamp", text);
  const days = BigInt(date2j(y, m, d) - epochJulian);
  const time = BigInt(((f.hour * 60 + f.minute) * 60 + f.second) * 1e6 + f.micros);
  return days * usPerDay + time;
}

function decodeTimestamp(
  text: string,
  typeName: string,
  ctx: EvalContext,
  withZone: boolean,
): bigint {
  const f = decodeDateTime(text, typeName, dateOrderOf(ctx.dateStyle));
  const zone = sessionZone(ctx);
  switch (f.special) {
    case "epoch":
      specialAlone(f, text, typeName);
      return unixEpochMicros;
    case "infinity":
      specialAlone(f, text, typeName);
      return timestampInfinity;
    case "-infinity":
      specialAlone(f, text, typeName);
      return timestampNegInfinity;
    case "now":
      specialAlone(f, text, typeName);
      return withZone ? ctx.transactionStart : toLocal(ctx.transactionStart, zone)[0];
    case "today":
    case "tomorrow":
    case "yesterday": {
      const shift = f.special === "today" ? 0 : f.special === "tomorrow" ? 1 : -1;
      const day = BigInt(currentLocalDate(ctx) + shift) * usPerDay;
      const local = day + BigInt(((f.hour * 60 + f.minute) * 60 + f.second) * 1e6 + f.micros);
      return withZone ? fromLocal(local, f.zone ?? zone) : local;
    }
    case "allballs":
      throw dateTimeError("format", text, typeName);
  }
  if (!f.haveDate) throw dateTimeError("format", text, typeName);
  const local = fieldsToLocal(f, text, typeName);
  let t = local;
  if (withZone) {
    if (f.tzOffset !== undefined) t = local - BigInt(f.tzOffset) * usPerSecond;
    else t = fromLocal(local, f.zone ?? zone);
  }
  if (!isValidTimestamp(t)) throw outOfRange("timestamp", text);
  return t;
}

/** timestamp_in (a zone in the text is ignored, as PostgreSQL does). */
export function parseTimestamp(text: string, ctx: EvalContext): bigint {
  return decodeTimestamp(text, "timestamp", ctx, false);
}

/** timestamptz_in: an explicit zone, else the session TimeZone. */
export function parseTimestamptz(text: string, ctx: EvalContext): bigint {
  return decodeTimestamp(text, "timestamp with time zone", ctx, true);
}

/** Rounds the fraction of seconds to `precision` digits (time(p), timestamp(p)). */
export function roundMicros(us: bigint, precision: number): bigint {
  if (precision < 0 || precision >= 6) return us;
  const unit = 10n ** BigInt(6 - precision);
  const half = unit / 2n;
  return us >= 0n ? ((us + half) / unit) * unit : -((-us + half) / unit) * unit;
}
