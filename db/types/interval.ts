/**
 * @module Interval {months, days, micros}: text input (PostgreSQL's DecodeInterval, read right to
 * left, plus ISO 8601 `P1Y2M…`), output in IntervalStyle `postgres` (and `iso_8601`),
 * comparison by the 30-day-month span, and the arithmetic of interval_mul/interval_div and the
 * justify functions.
 */
import { registerDatumClass } from "../datum.ts";
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { splitFields } from "./datetime_parse.ts";

const usPerDay = 86400000000n;
const usPerHour = 3600000000n;
const usPerMinute = 60000000n;
const usPerSecond = 1000000n;
const int32Max = 2147483647;

/** The Datum of `interval`. */
export class Interval {
  readonly months: number;
  readonly days: number;
  readonly micros: bigint;

  constructor(months: number, days: number, micros: bigint) {
    this.months = months;
    this.days = days;
    this.micros = micros;
  }

  get datumTag(): number {
    return 17;
  }

  static readonly zero = new Interval(0, 0, 0n);

  /** The comparison span: months as 30 days, days as 24 hours (interval_cmp_value). */
  span(): bigint {
    return (BigInt(this.months) * 30n + BigInt(this.days)) * usPerDay + this.micros;
  }

  compare(o: Interval): number {
    const a = this.span();
    const b = o.span();
    return a < b ? -1 : a > b ? 1 : 0;
  }

  neg(): Interval {
    return checkedInterval(-this.months, -this.days, -this.micros);
  }

  add(o: Interval): Interval {
    return checkedInterval(this.months + o.months, this.days + o.days, this.micros + o.micros);
  }

  sub(o: Interval): Interval {
    return checkedInterval(this.months - o.months, this.days - o.days, this.micros - o.micros);
  }

  /** interval_mul. */
  mul(factor: number): Interval {
    return scale(this, factor, false);
  }

  /** interval_div. */
  div(divisor: number): Interval {
    if (divisor === 0) throw new DbError(SqlState.divisionByZero, "division by zero");
    return scale(this, divisor, true);
  }
}

registerDatumClass<Interval>({
  tag: 17,
  name: "interval",
  toPlain: (i) => [i.months, i.days, i.micros] as Datum,
  fromPlain: (p) => {
    const [m, d, us] = p as [number, number, bigint];
    return new Interval(m, d, us);
  },
});

function rangeError(): DbError {
  return new DbError(SqlState.datetimeFieldOverflow, "interval out of range");
}

/** An interval, checked against int32 months/days and int64 µs. */
export function checkedInterval(months: number, days: number, micros: bigint): Interval {
  if (
    !Number.isInteger(months) || Math.abs(months) > int32Max || !Number.isInteger(days) ||
    Math.abs(days) > int32Max || micros > 9223372036854775807n || micros < -9223372036854775808n
  ) throw rangeError();
  return new Interval(months === 0 ? 0 : months, days === 0 ? 0 : days, micros);
}

const tsRound = (x: number) => Math.round(x * 1e6) / 1e6;
/** C's rint: round half to even. */
export function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function scale(span: Interval, f: number, divide: boolean): Interval {
  const op = (x: number) => (divide ? x / f : x * f);
  const monthsD = op(span.months);
  const daysD = op(span.days);
  if (!Number.isFinite(monthsD) || !Number.isFinite(daysD) || Number.isNaN(f)) throw rangeError();
  if (Math.abs(monthsD) > int32Max || Math.abs(daysD) > int32Max) throw rangeError();
  const months = Math.trunc(monthsD);
  let days = Math.trunc(daysD);
  const monthRemainderDays = tsRound((monthsD - months) * 30);
  let secRemainder = tsRound(
    (daysD - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400,
  );
  if (Math.abs(secRemainder) >= 86400) {
    days += Math.trunc(secRemainder / 86400);
    secRemainder -= Math.trunc(secRemainder / 86400) * 86400;
  }
  days += Math.trunc(monthRemainderDays);
  const time = rint(op(Number(span.micros)) + secRemainder * 1e6);
  if (!Number.isFinite(time) || Math.abs(time) >= 9.2233720368547758e18) throw rangeError();
  return checkedInterval(months, days, BigInt(time));
}

/** justify_hours. */
export function justifyHours(s: Interval): Interval {
  let days = s.days + Number(s.micros / usPerDay);
  let time = s.micros % usPerDay;
  if (days > 0 && time < 0n) {
    time += usPerDay;
    days--;
  } else if (days < 0 && time > 0n) {
    time -= usPerDay;
    days++;
  }
  return checkedInterval(s.months, days, time);
}

/** justify_days. */
export function justifyDays(s: Interval): Interval {
  let months = s.months + Math.trunc(s.days / 30);
  let days = s.days % 30;
  if (months > 0 && days < 0) {
    days += 30;
    months--;
  } else if (months < 0 && days > 0) {
    days -= 30;
    months++;
  }
  return checkedInterval(months, days, s.micros);
}

/** justify_interval. */
export function justifyInterval(s: Interval): Interval {
  let months = s.months;
  let days = s.days;
  let time = s.micros;
  if ((days > 0 && time > 0n) || (days < 0 && time < 0n)) {
    const wm = Math.trunc(days / 30);
    days -= wm * 30;
    months += wm;
  }
  const wd = time / usPerDay;
  if (wd !== 0n) {
    time -= wd * usPerDay;
    days += Number(wd);
  }
  const wm = Math.trunc(days / 30);
  days -= wm * 30;
  months += wm;
  if (months > 0 && (days < 0 || (days === 0 && time < 0n))) {
    days += 30;
    months--;
  } else if (months < 0 && (days > 0 || (days === 0 && time > 0n))) {
    days -= 30;
    months++;
  }
  if (days > 0 && time < 0n) {
    time += usPerDay;
    days--;
  } else if (days < 0 && time > 0n) {
    time -= usPerDay;
    days++;
  }
  return checkedInterval(months, days, time);
}

type Unit =
  | "microsecond"
  | "millisecond"
  | "second"
  | "minute"
  | "hour"
  | "day"
  | "week"
  | "month"
  | "year"
  | "decade"
  | "century"
  | "millennium";

const unitNames: Record<string, Unit> = {};
const addUnit = (u: Unit, names: string[]) => names.forEach((n) => (unitNames[n] = u));
addUnit("microsecond", [
  "microsecond",
  "microseconds",
  "microsecon",
  "us",
  "usec",
  "usecs",
  "useconds",
]);
addUnit("millisecond", [
  "millisecond",
  "milliseconds",
  "millisecon",
  "ms",
  "msec",
  "msecs",
  "mseconds",
]);
addUnit("second", ["second", "seconds", "s", "sec", "secs"]);
addUnit("minute", ["minute", "minutes", "m", "min", "mins"]);
addUnit("hour", ["hour", "hours", "h", "hr", "hrs"]);
addUnit("day", ["day", "days", "d"]);
addUnit("week", ["week", "weeks", "w"]);
addUnit("month", ["month", "months", "mon", "mons"]);
addUnit("year", ["year", "years", "y", "yr", "yrs"]);
addUnit("decade", ["decade", "decades", "dec", "decs"]);
addUnit("century", ["century", "centuries", "c", "cent"]);
addUnit("millennium", ["millennium", "millennia", "mil", "mils"]);

/** Accumulates interval fields as DecodeInterval does. */
class Acc {
  months = 0;
  days = 0;
  micros = 0n;
  fracDays(frac: number, scaleDays: number): void {
    // AdjustFractDays: whole days, then the rest as µs (rounded).
    const d = frac * scaleDays;
    const whole = Math.trunc(d);
    this.days += whole;
    this.fracSeconds(d - whole, 86400);
  }
  fracSeconds(frac: number, scaleSeconds: number): void {
    this.micros += BigInt(rint(frac * scaleSeconds * 1e6));
  }
  /** Adds `val` (whole, signed) and `frac` (signed fraction) of `unit`, as DecodeInterval does. */
  add(unit: Unit, val: number, frac: number): void {
    switch (unit) {
      case "microsecond":
        this.micros += BigInt(rint(val + frac));
        break;
      case "millisecond":
        this.micros += BigInt(val) * 1000n + BigInt(rint(frac * 1000));
        break;
      case "second":
        this.micros += BigInt(val) * usPerSecond;
        this.fracSeconds(frac, 1);
        break;
      case "minute":
        this.micros += BigInt(val) * usPerMinute;
        this.fracSeconds(frac, 60);
        break;
      case "hour":
        this.micros += BigInt(val) * usPerHour;
        this.fracSeconds(frac, 3600);
        break;
      case "day":
        this.days += val;
        this.fracDays(frac, 1);
        break;
      case "week":
        this.days += val * 7;
        this.fracDays(frac, 7);
        break;
      case "month":
        this.months += val;
        this.fracDays(frac, 30);
        break;
      case "year":
        this.months += val * 12 + rint(frac * 12);
        break;
      case "decade":
        this.months += val * 120 + rint(frac * 120);
        break;
      case "century":
        this.months += val * 1200 + rint(frac * 1200);
        break;
      case "millennium":
        this.months += val * 12000 + rint(frac * 12000);
        break;
    }
  }
}

/** interval_in (IntervalStyle postgres / sql input forms and ISO 8601). */
export function parseInterval(text: string): Interval {
  const bad = () =>
    new DbError(
      SqlState.invalidDatetimeFormat,
      `invalid input syntax for type interval: "${text}"`,
    );
  const overflow = () =>
    new DbError(SqlState.intervalFieldOverflow, `interval field value out of range: "${text}"`);
  const trimmed = text.trim();
  if (/^P/i.test(trimmed)) return parseIso8601(trimmed, bad);
  const fields = splitFields(text);
  if (fields === null || fields.length === 0) throw bad();
  const acc = new Acc();
  let unit: Unit | undefined; // the unit seen to the right
  let ago = false;
  const seen = new Set<Unit | "time">();
  for (let i = fields.length - 1; i >= 0; i--) {
    const [s, kind] = fields[i]!;
    if (kind === "time" || (kind === "tz" && s.slice(1).includes(":"))) {
      const neg = s[0] === "-";
      const body = kind === "tz" ? s.slice(1) : s;
      const m = /^(\d+):(\d+)(?::(\d+))?(\.\d*)?$/.exec(body);
      if (m === null || seen.has("time")) throw bad();
      seen.add("time");
      const h = BigInt(m[1]!);
      const mi = BigInt(m[2]!);
      const sec = BigInt(m[3] ?? "0");
      if (mi > 59n || sec > 59n) throw overflow();
      let us = h * usPerHour + mi * usPerMinute + sec * usPerSecond;
      if (m[4] !== undefined && m[4].length > 1) us += BigInt(rint(Number("0" + m[4]) * 1e6));
      acc.micros += neg ? -us : us;
      unit = "day";
      continue;
    }
    if (kind === "string" || kind === "special") {
      if (s === "ago") {
        if (ago) throw bad();
        ago = true;
        continue;
      }
      const u = unitNames[s];
      if (u === undefined) throw bad();
      unit = u;
      continue;
    }
    // number, date ("1-2" years-months), tz (signed number)
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
    const ym = /^([+-]?)(\d+)-(\d+)$/.exec(s);
    if (ym !== null) {
      const sign = ym[1] === "-" ? -1 : 1;
      acc.months += sign * (Number(ym[2]) * 12 + Number(ym[3]));
      unit = "day";
      continue;
    }
    if (m === null || (m[2] === "" && (m[3] === undefined || m[3] === ""))) throw bad();
    const u = unit ?? "second";
    if (seen.has(u)) throw bad();
    seen.add(u);
    const sign = m[1] === "-" ? -1 : 1;
    const whole = Number(m[2] || "0");
    if (!Number.isSafeInteger(whole)) throw overflow();
    const frac = m[3] ? sign * Number("0." + m[3]) : 0;
    const val = sign * whole;
    acc.add(u, val, frac);
    unit = undefined;
  }
  if (unit !== undefined && !seen.has("time") && fields.every(([, k]) => k === "string")) {
    throw bad();
  }
  let r: Interval;
  try {
    r = checkedInterval(acc.months, acc.days, acc.micros);
  } catch {
    throw overflow();
  }
  return ago ? r.neg() : r;
}

function parseIso8601(s: string, bad: () => DbError): Interval {
  const acc = new Acc();
  let i = 1;
  let inTime = false;
  let any = false;
  while (i < s.length) {
    if (s[i] === "T" || s[i] === "t") {
      if (inTime) throw bad();
      inTime = true;
      i++;
      continue;
    }
    const m = /^([+-]?\d*(?:\.\d*)?)([YMWDHS])/i.exec(s.slice(i));
    if (m === null || m[1] === "" || m[1] === "-" || m[1] === "+") throw bad();
    any = true;
    const v = Number(m[1]);
    const whole = Math.trunc(v);
    const frac = v - whole;
    const letter = m[2]!.toUpperCase();
    if (inTime ? "YWD".includes(letter) : "HS".includes(letter)) throw bad();
    const isoUnits: Record<string, Unit> = inTime
      ? { M: "minute", H: "hour", S: "second" }
      : { Y: "year", M: "month", W: "week", D: "day" };
    acc.add(isoUnits[letter]!, whole, frac);
    i += m[0].length;
  }
  if (!any) throw bad();
  return checkedInterval(acc.months, acc.days, acc.micros);
}

function pad2(n: bigint): string {
  const s = n.toString();
  return s.length < 2 ? "0" + s : s;
}

/** The seconds part with fraction trimmed, as AppendSeconds does. */
function secondsText(sec: bigint, us: bigint): string {
  let out = pad2(sec);
  if (us !== 0n) out += "." + us.toString().padStart(6, "0").replace(/0+$/, "");
  return out;
}

/** interval_out in IntervalStyle `postgres` (default) or `iso_8601`. */
export function formatInterval(v: Interval, style = "postgres"): string {
  const year = Math.trunc(v.months / 12);
  const mon = v.months % 12;
  const mday = v.days;
  let time = v.micros;
  const hour = time / usPerHour;
  time -= hour * usPerHour;
  const min = time / usPerMinute;
  time -= min * usPerMinute;
  const sec = time / usPerSecond;
  const fsec = time - sec * usPerSecond;
  if (style === "iso_8601") {
    if (year === 0 && mon === 0 && mday === 0 && v.micros === 0n) return "PT0S";
    let out = "P";
    if (year !== 0) out += `${year}Y`;
    if (mon !== 0) out += `${mon}M`;
    if (mday !== 0) out += `${mday}D`;
    if (hour !== 0n || min !== 0n || sec !== 0n || fsec !== 0n) {
      out += "T";
      if (hour !== 0n) out += `${hour}H`;
      if (min !== 0n) out += `${min}M`;
      if (sec !== 0n || fsec !== 0n) {
        const neg = sec < 0n || fsec < 0n;
        const a = (sec < 0n ? -sec : sec).toString();
        const f = fsec < 0n ? -fsec : fsec;
        out += (neg ? "-" : "") + a +
          (f !== 0n ? "." + f.toString().padStart(6, "0").replace(/0+$/, "") : "") + "S";
      }
    }
    return out;
  }
  let out = "";
  let isZero = true;
  let isBefore = false;
  const part = (value: number, unit: string) => {
    if (value === 0) return;
    out += (isZero ? "" : " ") + (isBefore && value > 0 ? "+" : "") + value + " " + unit +
      (value !== 1 ? "s" : "");
    isBefore = value < 0;
    isZero = false;
  };
  part(year, "year");
  part(mon, "mon");
  part(mday, "day");
  if (isZero || hour !== 0n || min !== 0n || sec !== 0n || fsec !== 0n) {
    const minus = hour < 0n || min < 0n || sec < 0n || fsec < 0n;
    const abs = (x: bigint) => (x < 0n ? -x : x);
    out += (isZero ? "" : " ") + (minus ? "-" : isBefore ? "+" : "") + pad2(abs(hour)) + ":" +
      pad2(abs(min)) + ":" + secondsText(abs(sec), abs(fsec));
  }
  return out;
}
