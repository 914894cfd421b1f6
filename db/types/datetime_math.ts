/**
 * @module Date/time arithmetic as PostgreSQL does it: timestamp(tz) ± interval (months first
 * with end-of-month clamping, then days — in local time for timestamptz, so a day stays a
 * calendar day across DST — then µs), timestamp − timestamp (justified to days), date
 * arithmetic, time ± interval, and age().
 */
import { DbError, SqlState } from "../sqlstate.ts";
import {
  date2j,
  daysInMonth,
  epochJulian,
  fromLocal,
  isFiniteTimestamp,
  isValidDate,
  isValidTimestamp,
  timestampInfinity,
  timestampNegInfinity,
  timestampToTm,
  type Tm,
  tmToTimestamp,
  toLocal,
  usPerDay,
} from "./datetime.ts";
import { checkedInterval, Interval, justifyHours } from "./interval.ts";
import type { Zone } from "./timezone.ts";

export function timestampRange(): DbError {
  return new DbError(SqlState.datetimeFieldOverflow, "timestamp out of range");
}

function dateRange(): DbError {
  return new DbError(SqlState.datetimeFieldOverflow, "date out of range");
}

function addMonths(tm: Tm, months: number): void {
  let m = tm.month - 1 + months;
  tm.year += Math.floor(m / 12);
  m = ((m % 12) + 12) % 12;
  tm.month = m + 1;
  const dim = daysInMonth(tm.year, tm.month);
  if (tm.day > dim) tm.day = dim;
}

function checkTs(t: bigint): bigint {
  if (!isValidTimestamp(t)) throw timestampRange();
  return t;
}

/** timestamp + interval (wall-clock arithmetic). */
export function timestampPlusInterval(t: bigint, iv: Interval): bigint {
  if (!isFiniteTimestamp(t)) return t;
  let r = t;
  if (iv.months !== 0) {
    const tm = timestampToTm(r);
    addMonths(tm, iv.months);
    r = checkTs(tmToTimestamp(tm));
  }
  if (iv.days !== 0) r = checkTs(r + BigInt(iv.days) * usPerDay);
  return checkTs(r + iv.micros);
}

/** timestamptz + interval: months and days move the local wall clock in `zone`. */
export function timestamptzPlusInterval(t: bigint, iv: Interval, zone: Zone): bigint {
  if (!isFiniteTimestamp(t)) return t;
  let r = t;
  if (iv.months !== 0) {
    const [local] = toLocal(r, zone);
    const tm = timestampToTm(local);
    addMonths(tm, iv.months);
    r = checkTs(fromLocal(tmToTimestamp(tm), zone));
  }
  if (iv.days !== 0) {
    const [local] = toLocal(r, zone);
    r = checkTs(fromLocal(local + BigInt(iv.days) * usPerDay, zone));
  }
  return checkTs(r + iv.micros);
}

/** timestamp − timestamp: an interval justified to days (timestamp_mi). */
export function timestampMinus(a: bigint, b: bigint): Interval {
  if (!isFiniteTimestamp(a) || !isFiniteTimestamp(b)) {
    throw new DbError(SqlState.datetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  return justifyHours(checkedInterval(0, 0, a - b));
}

/** date + days. */
export function datePlusDays(d: number, days: number): number {
  if (!Number.isFinite(d)) return d;
  const r = d + days;
  if (!isValidDate(r)) throw dateRange();
  return r;
}

/** date − date in days. */
export function dateMinus(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new DbError(SqlState.datetimeFieldOverflow, "cannot subtract infinite dates");
  }
  return a - b;
}

/** date as timestamp (midnight). */
export function dateToTimestamp(d: number): bigint {
  if (d === Infinity) return timestampInfinity;
  if (d === -Infinity) return timestampNegInfinity;
  return BigInt(d) * usPerDay;
}

/** time + interval wraps around midnight (time_pl_interval). */
export function timePlusInterval(t: number, iv: Interval): number {
  const day = usPerDay;
  let r = (BigInt(t) + iv.micros) % day;
  if (r < 0n) r += day;
  return Number(r);
}

/** The Julian-day date of `y-m-d` as days since 2000-01-01. */
export function makeDays(y: number, m: number, d: number): number {
  return date2j(y, m, d) - epochJulian;
}

/** age(a, b): the symbolic difference in years, months, days and time (timestamp_age). */
export function ageOf(a: bigint, b: bigint, zone?: Zone): Interval {
  if (!isFiniteTimestamp(a) || !isFiniteTimestamp(b)) throw timestampRange();
  const t1 = timestampToTm(zone === undefined ? a : toLocal(a, zone)[0]);
  const t2 = timestampToTm(zone === undefined ? b : toLocal(b, zone)[0]);
  let us = t1.micros - t2.micros;
  let sec = t1.second - t2.second;
  let min = t1.minute - t2.minute;
  let hour = t1.hour - t2.hour;
  let mday = t1.day - t2.day;
  let mon = t1.month - t2.month;
  let year = t1.year - t2.year;
  const flip = a < b;
  if (flip) {
    [us, sec, min, hour, mday, mon, year] = [-us, -sec, -min, -hour, -mday, -mon, -year];
  }
  while (us < 0) {
    us += 1e6;
    sec--;
  }
  while (sec < 0) {
    sec += 60;
    min--;
  }
  while (min < 0) {
    min += 60;
    hour--;
  }
  while (hour < 0) {
    hour += 24;
    mday--;
  }
  while (mday < 0) {
    const ref = flip ? t1 : t2;
    mday += daysInMonth(ref.year, ref.month);
    mon--;
  }
  while (mon < 0) {
    mon += 12;
    year--;
  }
  if (flip) [us, sec, min, hour, mday, mon, year] = [-us, -sec, -min, -hour, -mday, -mon, -year];
  const micros = BigInt((hour * 60 + min) * 60 + sec) * 1000000n + BigInt(us);
  return checkedInterval(year * 12 + mon, mday, micros);
}
