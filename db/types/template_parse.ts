/**
 * @module The one datetime template parser, for to_date, to_timestamp (lenient mode) and
 * jsonpath's .datetime(template) (standard mode): the template is read into nodes
 * (template_format.ts), walked over the input (template_read.ts), and the fields are checked and
 * turned into a broken-down time as do_to_timestamp does, with which kinds of fields appeared
 * (dated, timed, zoned) so the caller can pick date, time, timetz, timestamp or timestamptz.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { daysInMonth, isLeap, j2date, type Tm } from "./datetime.ts";
import { parseTemplateNodes } from "./template_format.ts";
import { type Action, type Fields, readTemplate, templateError } from "./template_read.ts";

/** What a template read from a string. */
export interface TemplateResult {
  /** Astronomical year (0 is 1 BC); micros holds the fraction of the second. */
  tm: Tm;
  /** Seconds east of UTC when TZH/TZM were read. */
  offset?: number;
  /** The FFn precision, 0 when none. */
  fprec: number;
  dated: boolean;
  timed: boolean;
  zoned: boolean;
}

const timedKeywords = new Set(
  "A.M. P.M. AM PM HH HH12 HH24 MI SS MS US FF1 FF2 FF3 FF4 FF5 FF6 SSSS SSSSS".split(" "),
);
const zonedKeywords = new Set(["TZH", "TZM", "TZ", "OF"]);

/**
 * Reads `text` with template `fmt` (to_date/to_timestamp; `std` for SQL/JSON .datetime()).
 * Field range errors name the whole input, as PostgreSQL's DateTimeParseError does.
 */
export function parseWithTemplate(text: string, fmt: string, std = false): TemplateResult {
  const nodes = parseTemplateNodes(fmt, std);
  const result = toTm(readTemplate(text, nodes, std), text);
  const kinds = nodes.filter((n): n is Action => n.type === "action");
  if (std) {
    const tz = kinds.find((n) => n.kw === "TZ" || n.kw === "OF");
    if (tz !== undefined) {
      throw new DbError(
        SqlState.featureNotSupported,
        `formatting field "${tz.name}" is only supported in to_char`,
      );
    }
  }
  return {
    ...result,
    dated: kinds.some((n) => !timedKeywords.has(n.kw) && !zonedKeywords.has(n.kw) && n.kw !== "FX"),
    timed: kinds.some((n) => timedKeywords.has(n.kw)),
    zoned: kinds.some((n) => zonedKeywords.has(n.kw)),
  };
}

/** do_to_timestamp's second half: the fields into a checked broken-down time. */
function toTm(f: Fields, text: string): { tm: Tm; offset?: number; fprec: number } {
  const overflow = () =>
    new DbError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${text}"`);
  const tm: Tm = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, micros: 0 };
  let hasYear = false;
  let hasMonth = false;
  let hasDay = false;
  if (f.ssss) {
    tm.hour = Math.floor(f.ssss / 3600);
    tm.minute = Math.floor(f.ssss / 60) % 60;
    tm.second = f.ssss % 60;
  }
  if (f.ss) tm.second = f.ss;
  if (f.mi) tm.minute = f.mi;
  if (f.hh) tm.hour = f.hh;
  if (f.clock12) {
    if (tm.hour < 1 || tm.hour > 12) {
      throw templateError(`hour "${tm.hour}" is invalid for the 12-hour clock`, {
        hint: "Use the 24-hour clock, or give an hour between 1 and 12.",
      });
    }
    if (f.pm && tm.hour < 12) tm.hour += 12;
    else if (!f.pm && tm.hour === 12) tm.hour = 0;
  }
  let cc = f.cc ?? 0;
  if (f.year) {
    if (cc && (f.yysz ?? 0) <= 2) {
      if (f.bc) cc = -cc;
      tm.year = f.year % 100;
      if (tm.year) tm.year = cc >= 0 ? tm.year + (cc - 1) * 100 : (cc + 1) * 100 - tm.year + 1;
      else tm.year = cc * 100 + (cc >= 0 ? 0 : 1);
    } else {
      tm.year = f.bc ? -f.year : f.year;
      if (tm.year < 0) tm.year++;
    }
    hasYear = true;
  } else if (cc) {
    if (f.bc) cc = -cc;
    tm.year = cc >= 0 ? (cc - 1) * 100 + 1 : cc * 100 + 1;
    hasYear = true;
  }
  if (f.j) {
    [tm.year, tm.month, tm.day] = j2date(f.j);
    hasYear = hasMonth = hasDay = true;
  }
  let ddd = f.ddd ?? 0;
  if (f.ww) ddd = (f.ww - 1) * 7 + 1;
  const dd = f.w ? (f.w - 1) * 7 + 1 : f.dd;
  if (dd) {
    tm.day = dd;
    hasDay = true;
  }
  if (f.mm) {
    tm.month = f.mm;
    hasMonth = true;
  }
  if (ddd && (tm.month <= 1 || tm.day <= 1)) {
    if (!tm.year && !f.bc) {
      throw templateError("cannot calculate day of year without year information");
    }
    const sums = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365].map((s, i) =>
      s + (isLeap(tm.year) && i >= 2 ? 1 : 0)
    );
    let m = 1;
    while (m <= 12 && ddd > sums[m]!) m++;
    if (tm.month <= 1) tm.month = m;
    if (tm.day <= 1) tm.day = ddd - sums[m - 1]!;
    hasMonth = hasDay = true;
  }
  tm.micros = (f.ms ?? 0) * 1000 + (f.us ?? 0);
  // ValidateDate with the fields given.
  if (hasMonth && (tm.month < 1 || tm.month > 12)) throw overflow();
  if (hasDay && (tm.day < 1 || tm.day > 31)) throw overflow();
  if (hasYear && hasMonth && hasDay && tm.day > daysInMonth(tm.year, tm.month)) throw overflow();
  if (
    tm.hour < 0 || tm.hour >= 24 || tm.minute < 0 || tm.minute >= 60 || tm.second < 0 ||
    tm.second >= 60 || tm.micros < 0 || tm.micros >= 1e6
  ) throw overflow();
  let offset: number | undefined;
  if (f.tzsign) {
    const h = f.tzh ?? 0;
    const m = f.tzm ?? 0;
    if (h < 0 || h > 15 || m < 0 || m >= 60) {
      throw new DbError(
        SqlState.invalidTimeZoneDisplacementValue,
        `time zone displacement out of range: "${text}"`,
      );
    }
    offset = f.tzsign * (h * 3600 + m * 60);
  }
  return { tm, offset, fprec: f.ff ?? 0 };
}
