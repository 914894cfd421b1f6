/**
 * @module Date/time functions: now() and friends (from EvalContext), date_part/extract (every
 * field PostgreSQL has; extract returns numeric, date_part float8), date_trunc (timestamptz in
 * the session or a given zone), age, make_date/time/timestamp(tz)/interval, to_timestamp(float),
 * justify_*, isfinite, timezone(zone, ts), date_bin.
 */
import type { Datum } from "../../datum.ts";
import { DbError, SqlState } from "../../sqlstate.ts";
import type { EvalContext } from "../context.ts";
import { nowMicros } from "../context.ts";
import {
  date2j,
  daysInMonth,
  epochJulian,
  fromLocal,
  isFiniteTimestamp,
  isValidTimestamp,
  j2date,
  sessionZone,
  timestampInfinity,
  timestampNegInfinity,
  timestampToTm,
  type Tm,
  tmToTimestamp,
  toLocal,
  unixEpochMicros,
  usPerDay,
} from "../datetime.ts";
import { ageOf, dateToTimestamp, timestampRange } from "../datetime_math.ts";
import {
  checkedInterval,
  Interval,
  justifyDays,
  justifyHours,
  justifyInterval,
  rint,
} from "../interval.ts";
import { Numeric } from "../numeric.ts";
import { Oid } from "../oids.ts";
import { resolveZone, type Zone } from "../timezone.ts";
import { formatType } from "../typmod.ts";
import { defineFunction } from "./registry.ts";

const TS = Oid.timestamp;
const TZ = Oid.timestamptz;
const T = Oid.text;
const F = Oid.float8;
const N = Oid.numeric;

defineFunction("now", [], TZ, (_a, ctx) => ctx.transactionStart, { volatility: "s" });
defineFunction("transaction_timestamp", [], TZ, (_a, ctx) => ctx.transactionStart, {
  volatility: "s",
});
defineFunction("statement_timestamp", [], TZ, (_a, ctx) => ctx.statementStart, { volatility: "s" });
defineFunction("clock_timestamp", [], TZ, () => nowMicros(), { volatility: "v" });
defineFunction("timeofday", [], T, () => new Date().toString(), { volatility: "v" });

/** j2day: 0 = Sunday. */
function j2day(jd: number): number {
  return (((jd + 1) % 7) + 7) % 7;
}

function isoWeekStart(year: number): number {
  const day4 = date2j(year, 1, 4);
  return day4 - ((j2day(day4 - 1) + 7) % 7);
}

/** [ISO year, ISO week] of a date. */
export function isoWeek(y: number, m: number, d: number): [number, number] {
  const dayn = date2j(y, m, d);
  let year = y;
  let start = isoWeekStart(year);
  if (dayn < start) {
    year--;
    start = isoWeekStart(year);
  } else {
    const next = isoWeekStart(year + 1);
    if (dayn >= next) {
      year++;
      start = next;
    }
  }
  return [year, Math.floor((dayn - start) / 7) + 1];
}

const unitAliases: Record<string, string> = {
  microsecond: "microseconds",
  microseconds: "microseconds",
  us: "microseconds",
  usec: "microseconds",
  usecs: "microseconds",
  useconds: "microseconds",
  millisecond: "milliseconds",
  milliseconds: "milliseconds",
  ms: "milliseconds",
  msec: "milliseconds",
  msecs: "milliseconds",
  mseconds: "milliseconds",
  second: "second",
  seconds: "second",
  s: "second",
  sec: "second",
  secs: "second",
  minute: "minute",
  minutes: "minute",
  m: "minute",
  min: "minute",
  mins: "minute",
  hour: "hour",
  hours: "hour",
  h: "hour",
  hr: "hour",
  hrs: "hour",
  day: "day",
  days: "day",
  d: "day",
  week: "week",
  weeks: "week",
  w: "week",
  month: "month",
  months: "month",
  mon: "month",
  mons: "month",
  quarter: "quarter",
  qtr: "quarter",
  year: "year",
  years: "year",
  y: "year",
  yr: "year",
  yrs: "year",
  decade: "decade",
  decades: "decade",
  dec: "decade",
  decs: "decade",
  century: "century",
  centuries: "century",
  c: "century",
  cent: "century",
  millennium: "millennium",
  millennia: "millennium",
  mil: "millennium",
  mils: "millennium",
  dow: "dow",
  isodow: "isodow",
  doy: "doy",
  epoch: "epoch",
  isoyear: "isoyear",
  julian: "julian",
  j: "julian",
  timezone: "timezone",
  timezone_hour: "timezone_hour",
  timezone_minute: "timezone_minute",
  timezone_m: "timezone_minute",
  timezone_h: "timezone_hour",
};

function unitOf(text: string, type: number): string {
  const u = unitAliases[text.toLowerCase()];
  if (u === undefined) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `unit "${text}" not recognized for type ${formatType(type)}`,
    );
  }
  return u;
}

function unsupported(unit: string, type: number): DbError {
  return new DbError(
    SqlState.featureNotSupported,
    `unit "${unit}" not supported for type ${formatType(type)}`,
  );
}

const dec = (coef: bigint, scale: number) => new Numeric(coef, scale);
const whole = (n: number) => new Numeric(BigInt(n));

function yearFields(unit: string, year: number): Numeric | undefined {
  switch (unit) {
    case "year":
      return whole(year > 0 ? year : year - 1);
    case "decade":
      return whole(year >= 0 ? Math.trunc(year / 10) : -Math.trunc((8 - (year - 1)) / 10));
    case "century":
      return whole(year > 0 ? Math.trunc((year + 99) / 100) : -Math.trunc((99 - (year - 1)) / 100));
    case "millennium":
      return whole(
        year > 0 ? Math.trunc((year + 999) / 1000) : -Math.trunc((999 - (year - 1)) / 1000),
      );
  }
  return undefined;
}

/** extract(unit from timestamp[tz]): numeric. */
function extractTimestamp(
  unitText: string,
  t: bigint,
  type: number,
  ctx: EvalContext,
): Numeric | null {
  const unit = unitOf(unitText, type);
  if (!isFiniteTimestamp(t)) {
    const sign = t === timestampInfinity ? Numeric.Infinity : Numeric.NegInfinity;
    if (["epoch", "julian", "year", "decade", "century", "millennium", "isoyear"].includes(unit)) {
      return sign;
    }
    if (["timezone", "timezone_hour", "timezone_minute"].includes(unit) && type === TS) {
      throw unsupported(unitText, type);
    }
    return null;
  }
  let local = t;
  let offset = 0;
  if (type === TZ) [local, offset] = toLocal(t, sessionZone(ctx));
  const tm = timestampToTm(local);
  const secMicros = BigInt(tm.second) * 1000000n + BigInt(tm.micros);
  const y = yearFields(unit, tm.year);
  if (y !== undefined) return y;
  switch (unit) {
    case "microseconds":
      return dec(secMicros, 0);
    case "milliseconds":
      return dec(secMicros, 3);
    case "second":
      return dec(secMicros, 6);
    case "minute":
      return whole(tm.minute);
    case "hour":
      return whole(tm.hour);
    case "day":
      return whole(tm.day);
    case "month":
      return whole(tm.month);
    case "quarter":
      return whole(Math.floor((tm.month - 1) / 3) + 1);
    case "week":
      return whole(isoWeek(tm.year, tm.month, tm.day)[1]);
    case "isoyear": {
      const iy = isoWeek(tm.year, tm.month, tm.day)[0];
      return whole(iy > 0 ? iy : iy - 1);
    }
    case "dow":
      return whole(j2day(date2j(tm.year, tm.month, tm.day)));
    case "isodow": {
      const d = j2day(date2j(tm.year, tm.month, tm.day));
      return whole(d === 0 ? 7 : d);
    }
    case "doy":
      return whole(date2j(tm.year, tm.month, tm.day) - date2j(tm.year, 1, 1) + 1);
    case "epoch":
      return dec(t - unixEpochMicros, 6);
    case "julian": {
      // Julian day plus the fraction of the day, as numeric (exact).
      const jd = BigInt(date2j(tm.year, tm.month, tm.day));
      const dayMicros = BigInt(((tm.hour * 60 + tm.minute) * 60) * 1e6) + secMicros;
      return Numeric.fromBigInt(jd).add(
        Numeric.fromBigInt(dayMicros).div(Numeric.fromBigInt(usPerDay)),
      );
    }
    case "timezone":
      if (type !== TZ) throw unsupported(unitText, type);
      return whole(offset);
    case "timezone_hour":
      if (type !== TZ) throw unsupported(unitText, type);
      return whole(Math.trunc(offset / 3600));
    case "timezone_minute":
      if (type !== TZ) throw unsupported(unitText, type);
      return whole(Math.trunc((offset % 3600) / 60));
  }
  throw unsupported(unitText, type);
}

/** Units extract() refuses for a date (it has no time of day or zone). */
const timeOfDayUnits = [
  "microseconds",
  "milliseconds",
  "second",
  "minute",
  "hour",
  "timezone",
  "timezone_hour",
  "timezone_minute",
];
/** Units whose value for ±infinity is ±infinity (the rest are NULL). */
const unboundedUnits = ["epoch", "julian", "year", "decade", "century", "millennium", "isoyear"];

function extractDate(unitText: string, d: number): Numeric | null {
  const unit = unitOf(unitText, Oid.date);
  if (timeOfDayUnits.includes(unit)) throw unsupported(unitText, Oid.date);
  if (!Number.isFinite(d)) {
    if (!unboundedUnits.includes(unit)) return null;
    return d > 0 ? Numeric.Infinity : Numeric.NegInfinity;
  }
  if (unit === "epoch") return whole((d + 10957) * 86400);
  if (unit === "julian") return whole(d + epochJulian);
  const r = extractTimestamp(unit, BigInt(d) * usPerDay, TS, undefined as unknown as EvalContext);
  return r;
}

function extractTime(unitText: string, us: number, type: number, offset = 0): Numeric {
  const unit = unitOf(unitText, type);
  const secs = Math.floor(us / 1e6);
  const secMicros = BigInt(secs % 60) * 1000000n + BigInt(us % 1e6);
  switch (unit) {
    case "microseconds":
      return dec(secMicros, 0);
    case "milliseconds":
      return dec(secMicros, 3);
    case "second":
      return dec(secMicros, 6);
    case "minute":
      return whole(Math.floor(secs / 60) % 60);
    case "hour":
      return whole(Math.floor(secs / 3600));
    case "epoch":
      return dec(BigInt(us) - BigInt(offset) * 1000000n, 6);
    case "timezone":
      if (type === Oid.timetz) return whole(offset);
      break;
    case "timezone_hour":
      if (type === Oid.timetz) return whole(Math.trunc(offset / 3600));
      break;
    case "timezone_minute":
      if (type === Oid.timetz) return whole(Math.trunc((offset % 3600) / 60));
      break;
  }
  throw unsupported(unitText, type);
}

function extractInterval(unitText: string, iv: Interval): Numeric {
  const unit = unitOf(unitText, Oid.interval);
  const year = Math.trunc(iv.months / 12);
  const mon = iv.months % 12;
  const hours = iv.micros / 3600000000n;
  const rest = iv.micros - hours * 3600000000n;
  const minutes = rest / 60000000n;
  const secMicros = rest - minutes * 60000000n;
  switch (unit) {
    case "microseconds":
      return dec(secMicros, 0);
    case "milliseconds":
      return dec(secMicros, 3);
    case "second":
      return dec(secMicros, 6);
    case "minute":
      return dec(minutes, 0);
    case "hour":
      return dec(hours, 0);
    case "day":
      return whole(iv.days);
    case "month":
      return whole(mon);
    case "quarter":
      return whole(Math.trunc(mon / 3) + 1);
    case "year":
      return whole(year);
    case "decade":
      return whole(Math.trunc(year / 10));
    case "century":
      return whole(Math.trunc(year / 100));
    case "millennium":
      return whole(Math.trunc(year / 1000));
    case "epoch": {
      // 365.25 days per year, 30 days per month, 86400 s per day.
      const secs = BigInt(year) * 31557600n + BigInt(mon) * 2592000n + BigInt(iv.days) * 86400n;
      return dec(secs * 1000000n + iv.micros, 6);
    }
  }
  throw unsupported(unitText, Oid.interval);
}

const toFloat = (n: Numeric | null) => (n === null ? null : n.toNumber());

defineFunction(
  "extract",
  [T, TS],
  N,
  ([u, t], ctx) => extractTimestamp(u as string, t as bigint, TS, ctx),
);
defineFunction(
  "extract",
  [T, TZ],
  N,
  ([u, t], ctx) => extractTimestamp(u as string, t as bigint, TZ, ctx),
  { volatility: "s" },
);
defineFunction("extract", [T, Oid.date], N, ([u, d]) => extractDate(u as string, d as number));
defineFunction(
  "extract",
  [T, Oid.time],
  N,
  ([u, t]) => extractTime(u as string, t as number, Oid.time),
);
defineFunction("extract", [T, Oid.timetz], N, ([u, t]) => {
  const [us, off] = t as [number, number];
  return extractTime(u as string, us, Oid.timetz, off);
});
defineFunction(
  "extract",
  [T, Oid.interval],
  N,
  ([u, i]) => extractInterval(u as string, i as Interval),
);
defineFunction(
  "date_part",
  [T, TS],
  F,
  ([u, t], ctx) => toFloat(extractTimestamp(u as string, t as bigint, TS, ctx)),
);
defineFunction(
  "date_part",
  [T, TZ],
  F,
  ([u, t], ctx) => toFloat(extractTimestamp(u as string, t as bigint, TZ, ctx)),
  { volatility: "s" },
);
defineFunction(
  "date_part",
  [T, Oid.date],
  F,
  ([u, d], ctx) => toFloat(extractTimestamp(u as string, dateToTimestamp(d as number), TS, ctx)),
);
defineFunction(
  "date_part",
  [T, Oid.time],
  F,
  ([u, t]) => extractTime(u as string, t as number, Oid.time).toNumber(),
);
defineFunction(
  "date_part",
  [T, Oid.interval],
  F,
  ([u, i]) => extractInterval(u as string, i as Interval).toNumber(),
);

/** date_trunc on wall-clock fields. */
function truncTm(unitText: string, tm: Tm, type: number): Tm {
  const unit = unitOf(unitText, type);
  const r = { ...tm };
  switch (unit) {
    case "millennium":
      r.year = r.year > 0
        ? Math.trunc((r.year + 999) / 1000) * 1000 - 999
        : -Math.trunc((999 - (r.year - 1)) / 1000) * 1000 + 1;
      r.month = 1;
      r.day = 1;
      break;
    case "century":
      r.year = r.year > 0
        ? Math.trunc((r.year + 99) / 100) * 100 - 99
        : -Math.trunc((99 - (r.year - 1)) / 100) * 100 + 1;
      r.month = 1;
      r.day = 1;
      break;
    case "decade":
      r.year = r.year > 0
        ? Math.trunc(r.year / 10) * 10
        : -Math.trunc((8 - (r.year - 1)) / 10) * 10;
      r.month = 1;
      r.day = 1;
      break;
    case "year":
      r.month = 1;
      r.day = 1;
      break;
    case "quarter":
      r.month = 3 * Math.floor((r.month - 1) / 3) + 1;
      r.day = 1;
      break;
    case "month":
      r.day = 1;
      break;
    case "week": {
      const [iy, w] = isoWeek(r.year, r.month, r.day);
      [r.year, r.month, r.day] = j2date(isoWeekStart(iy) + (w - 1) * 7);
      break;
    }
    case "day":
    case "hour":
    case "minute":
    case "second":
    case "milliseconds":
    case "microseconds":
      break;
    default:
      throw unsupported(unitText, type);
  }
  const order = [
    "millennium",
    "century",
    "decade",
    "year",
    "quarter",
    "month",
    "week",
    "day",
    "hour",
    "minute",
    "second",
    "milliseconds",
    "microseconds",
  ];
  const at = order.indexOf(unit);
  if (at <= order.indexOf("day")) r.hour = 0;
  if (at <= order.indexOf("hour")) r.minute = 0;
  if (at <= order.indexOf("minute")) r.second = 0;
  if (at <= order.indexOf("second")) r.micros = 0;
  else if (unit === "milliseconds") r.micros = Math.floor(r.micros / 1000) * 1000;
  return r;
}

defineFunction("date_trunc", [T, TS], TS, ([u, t]) => {
  const ts = t as bigint;
  if (!isFiniteTimestamp(ts)) return ts;
  return tmToTimestamp(truncTm(u as string, timestampToTm(ts), TS));
});

function truncTz(u: string, ts: bigint, zone: Zone): bigint {
  if (!isFiniteTimestamp(ts)) return ts;
  const [local] = toLocal(ts, zone);
  const tm = truncTm(u, timestampToTm(local), TZ);
  const unit = unitAliases[u.toLowerCase()];
  // Units below a day keep the original offset (no zone re-evaluation), as PostgreSQL does.
  if (
    unit === "hour" || unit === "minute" || unit === "second" || unit === "milliseconds" ||
    unit === "microseconds"
  ) {
    return ts - (local - tmToTimestamp(tm));
  }
  return fromLocal(tmToTimestamp(tm), zone);
}
defineFunction(
  "date_trunc",
  [T, TZ],
  TZ,
  ([u, t], ctx) => truncTz(u as string, t as bigint, sessionZone(ctx)),
  { volatility: "s" },
);
defineFunction(
  "date_trunc",
  [T, TZ, T],
  TZ,
  ([u, t, z]) => truncTz(u as string, t as bigint, resolveZone(z as string)),
);
defineFunction("date_trunc", [T, Oid.interval], Oid.interval, ([u, i]) => {
  const iv = i as Interval;
  const unit = unitOf(u as string, Oid.interval);
  const y = Math.trunc(iv.months / 12);
  let months = iv.months;
  let days = iv.days;
  let us = iv.micros;
  const cut = (unitUs: bigint) => (us / unitUs) * unitUs;
  switch (unit) {
    case "millennium":
      months = Math.trunc(y / 1000) * 12000;
      days = 0;
      us = 0n;
      break;
    case "century":
      months = Math.trunc(y / 100) * 1200;
      days = 0;
      us = 0n;
      break;
    case "decade":
      months = Math.trunc(y / 10) * 120;
      days = 0;
      us = 0n;
      break;
    case "year":
      months = y * 12;
      days = 0;
      us = 0n;
      break;
    case "quarter":
      months = y * 12 + Math.trunc((iv.months % 12) / 3) * 3;
      days = 0;
      us = 0n;
      break;
    case "month":
      days = 0;
      us = 0n;
      break;
    case "day":
      us = 0n;
      break;
    case "hour":
      us = cut(3600000000n);
      break;
    case "minute":
      us = cut(60000000n);
      break;
    case "second":
      us = cut(1000000n);
      break;
    case "milliseconds":
      us = cut(1000n);
      break;
    case "microseconds":
      break;
    default:
      throw unsupported(u as string, Oid.interval);
  }
  return checkedInterval(months, days, us);
});

defineFunction("age", [TS, TS], Oid.interval, ([a, b]) => ageOf(a as bigint, b as bigint));
defineFunction(
  "age",
  [TZ, TZ],
  Oid.interval,
  ([a, b], ctx) => ageOf(a as bigint, b as bigint, sessionZone(ctx)),
  { volatility: "s" },
);
defineFunction("age", [TS], Oid.interval, ([a], ctx) => {
  const [local] = toLocal(ctx.transactionStart, sessionZone(ctx));
  const midnight = local - (((local % usPerDay) + usPerDay) % usPerDay);
  return ageOf(midnight, a as bigint);
}, { volatility: "s" });
defineFunction("age", [TZ], Oid.interval, ([a], ctx) => {
  const zone = sessionZone(ctx);
  const [local] = toLocal(ctx.transactionStart, zone);
  const midnight = fromLocal(local - (((local % usPerDay) + usPerDay) % usPerDay), zone);
  return ageOf(midnight, a as bigint, zone);
}, { volatility: "s" });

function fieldError(what: string, values: number[]): DbError {
  return new DbError(
    SqlState.datetimeFieldOverflow,
    `${what} field value out of range: ${values.join("-")}`,
  );
}

function makeDate(y: number, m: number, d: number): number {
  const year = y < 0 ? y + 1 : y;
  if (y === 0) throw fieldError("date", [y, m, d]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(year, m)) {
    throw new DbError(
      SqlState.datetimeFieldOverflow,
      `date field value out of range: ${y}-${String(m).padStart(2, "0")}-${
        String(d).padStart(2, "0")
      }`,
    );
  }
  return date2j(year, m, d) - epochJulian;
}
defineFunction(
  "make_date",
  [Oid.int4, Oid.int4, Oid.int4],
  Oid.date,
  ([y, m, d]) => makeDate(y as number, m as number, d as number),
);

function timeMicros(h: number, mi: number, sec: number): number {
  const us = rint(sec * 1e6);
  if (
    h < 0 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || h > 24 || (h === 24 && (mi > 0 || sec > 0))
  ) {
    throw new DbError(
      SqlState.datetimeFieldOverflow,
      `time field value out of range: ${h}:${String(mi).padStart(2, "0")}:${
        String(sec).padStart(2, "0")
      }`,
    );
  }
  return (h * 3600 + mi * 60) * 1e6 + us;
}
defineFunction(
  "make_time",
  [Oid.int4, Oid.int4, F],
  Oid.time,
  ([h, m, s]) => timeMicros(h as number, m as number, s as number),
);

function makeTimestamp(args: Datum[]): bigint {
  const [y, m, d, h, mi, s] = args as number[];
  const days = BigInt(makeDate(y!, m!, d!));
  const t = days * usPerDay + BigInt(timeMicros(h!, mi!, s!));
  if (!isValidTimestamp(t)) throw timestampRange();
  return t;
}
const I = Oid.int4;
defineFunction("make_timestamp", [I, I, I, I, I, F], TS, (args) => makeTimestamp(args));
defineFunction(
  "make_timestamptz",
  [I, I, I, I, I, F],
  TZ,
  (args, ctx) => fromLocal(makeTimestamp(args), sessionZone(ctx)),
  { volatility: "s" },
);
defineFunction(
  "make_timestamptz",
  [I, I, I, I, I, F, T],
  TZ,
  (args) => fromLocal(makeTimestamp(args.slice(0, 6)), resolveZone(args[6] as string)),
);
defineFunction("make_interval", [I, I, I, I, I, I, F], Oid.interval, ([y, m, w, d, h, mi, s]) => {
  const us = BigInt(rint((s as number) * 1e6));
  return checkedInterval(
    (y as number) * 12 + (m as number),
    (w as number) * 7 + (d as number),
    BigInt(h as number) * 3600000000n + BigInt(mi as number) * 60000000n + us,
  );
});
// make_interval's arguments all default to 0: register the shorter forms too.
for (let n = 0; n < 7; n++) {
  const types = [I, I, I, I, I, I, F].slice(0, n);
  defineFunction("make_interval", types, Oid.interval, (args) => {
    const a = [0, 0, 0, 0, 0, 0, 0].map((z, k) => (args[k] as number | undefined) ?? z);
    return checkedInterval(
      a[0]! * 12 + a[1]!,
      a[2]! * 7 + a[3]!,
      BigInt(a[4]!) * 3600000000n + BigInt(a[5]!) * 60000000n + BigInt(rint(a[6]! * 1e6)),
    );
  });
}
defineFunction("to_timestamp", [F], TZ, ([s]) => {
  const v = s as number;
  if (Number.isNaN(v)) throw new DbError(SqlState.datetimeFieldOverflow, "timestamp cannot be NaN");
  if (v === Infinity) return timestampInfinity;
  if (v === -Infinity) return timestampNegInfinity;
  const us = rint(v * 1e6);
  const t = BigInt(us) + unixEpochMicros;
  if (!isValidTimestamp(t) || !Number.isFinite(us)) {
    throw new DbError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${v}"`);
  }
  return t;
});
defineFunction("justify_days", [Oid.interval], Oid.interval, ([i]) => justifyDays(i as Interval));
defineFunction("justify_hours", [Oid.interval], Oid.interval, ([i]) => justifyHours(i as Interval));
defineFunction(
  "justify_interval",
  [Oid.interval],
  Oid.interval,
  ([i]) => justifyInterval(i as Interval),
);
defineFunction("isfinite", [Oid.date], Oid.bool, ([d]) => Number.isFinite(d as number));
defineFunction("isfinite", [TS], Oid.bool, ([t]) => isFiniteTimestamp(t as bigint));
defineFunction("isfinite", [TZ], Oid.bool, ([t]) => isFiniteTimestamp(t as bigint));
defineFunction("isfinite", [Oid.interval], Oid.bool, () => true);
defineFunction("timezone", [T, TZ], TS, ([z, t]) => {
  const ts = t as bigint;
  return isFiniteTimestamp(ts) ? toLocal(ts, resolveZone(z as string))[0] : ts;
});
defineFunction("timezone", [T, TS], TZ, ([z, t]) => {
  const ts = t as bigint;
  return isFiniteTimestamp(ts) ? fromLocal(ts, resolveZone(z as string)) : ts;
});
defineFunction("timezone", [Oid.interval, TZ], TS, ([i, t]) => {
  const iv = i as Interval;
  if (iv.months !== 0 || iv.days !== 0) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `interval time zone "${iv}" must not include months or days`,
    );
  }
  const ts = t as bigint;
  return isFiniteTimestamp(ts) ? ts + iv.micros : ts;
});
defineFunction(
  "date_bin",
  [Oid.interval, TS, TS],
  TS,
  ([i, s, o]) => dateBin(i as Interval, s as bigint, o as bigint),
);
defineFunction(
  "date_bin",
  [Oid.interval, TZ, TZ],
  TZ,
  ([i, s, o]) => dateBin(i as Interval, s as bigint, o as bigint),
);

function dateBin(iv: Interval, source: bigint, origin: bigint): bigint {
  if (!isFiniteTimestamp(source)) return source;
  if (iv.months !== 0) {
    throw new DbError(
      SqlState.featureNotSupported,
      "timestamps cannot be binned into intervals containing months or years",
    );
  }
  const stride = BigInt(iv.days) * usPerDay + iv.micros;
  if (stride <= 0n) {
    throw new DbError(SqlState.datetimeFieldOverflow, "stride must be greater than zero");
  }
  const diff = source - origin;
  let bins = diff / stride;
  if (diff < 0n && diff % stride !== 0n) bins -= 1n;
  return origin + bins * stride;
}
