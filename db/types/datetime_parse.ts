/**
 * @module Date/time text decoding after PostgreSQL's datetime.c: ParseDateTime splits the text
 * into fields (number, string, date, time, zone, special), DecodeDateTime assigns them to
 * year/month/day/time/zone using the DateStyle field order (MDY by default), with PostgreSQL's
 * errors (22007 bad format, 22008 field out of range, 22009 zone displacement, 22023 zone name).
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { lookupZone, type Zone, zoneAbbreviations } from "./timezone.ts";

/** What the text said; the caller (date_in, timestamp_in, …) builds the value. */
export interface DateTimeFields {
  year?: number;
  month?: number;
  day?: number;
  doy?: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
  /** Explicit numeric offset or abbreviation: seconds east of UTC. */
  tzOffset?: number;
  /** Explicit zone name (America/New_York): the offset depends on the date. */
  zone?: Zone;
  bc: boolean;
  ampm?: "am" | "pm";
  special?:
    | "epoch"
    | "infinity"
    | "-infinity"
    | "now"
    | "today"
    | "tomorrow"
    | "yesterday"
    | "allballs";
  haveDate: boolean;
  haveTime: boolean;
  is2digits: boolean;
  julian?: number;
}

type FieldKind = "number" | "string" | "date" | "time" | "tz" | "special";

export const months = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
];
const monthNames = new Map<string, number>();
months.forEach((m, k) => monthNames.set(m, k + 1));
[
  "january",
  "february",
  "march",
  "april",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
].forEach((m) => monthNames.set(m, months.indexOf(m.slice(0, 3)) + 1));
monthNames.set("sept", 9);
const dayNames = new Set([
  "sun",
  "mon",
  "tue",
  "tues",
  "wed",
  "wednes",
  "thu",
  "thur",
  "thurs",
  "fri",
  "sat",
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
]);
const specials = new Set([
  "epoch",
  "infinity",
  "-infinity",
  "now",
  "today",
  "tomorrow",
  "yesterday",
  "allballs",
]);
/** Tokens of PostgreSQL's datetktbl, used to decide whether `abc12` is a date or zone. */
const coreTokens = new Set([
  ...monthNames.keys(),
  ...dayNames,
  ...specials,
  "am",
  "pm",
  "ad",
  "bc",
  "t",
  "j",
  "julian",
  "on",
  "at",
  "z",
  "zulu",
  "y",
  "m",
  "d",
  "h",
]);

export type DateOrder = "MDY" | "DMY" | "YMD";

/** The field order of a DateStyle setting ("ISO, MDY" → MDY). */
export function dateOrderOf(dateStyle: string): DateOrder {
  const s = dateStyle.toUpperCase();
  if (s.includes("DMY") || s.includes("EURO")) return "DMY";
  if (s.includes("YMD")) return "YMD";
  return "MDY";
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isAlpha = (c: string | undefined) =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/** A datetime input error of PostgreSQL's DateTimeParseError. */
export function dateTimeError(
  kind: "format" | "field" | "md" | "tz",
  text: string,
  typeName: string,
): DbError {
  switch (kind) {
    case "field":
      return new DbError(
        SqlState.datetimeFieldOverflow,
        `date/time field value out of range: "${text}"`,
      );
    case "md":
      return new DbError(
        SqlState.datetimeFieldOverflow,
        `date/time field value out of range: "${text}"`,
        {
          hint: 'Perhaps you need a different "datestyle" setting.',
        },
      );
    case "tz":
      return new DbError(
        SqlState.invalidTimeZoneDisplacementValue,
        `time zone displacement out of range: "${text}"`,
      );
  }
  return new DbError(
    SqlState.invalidDatetimeFormat,
    `invalid input syntax for type ${typeName}: "${text}"`,
  );
}

/** ParseDateTime: splits into fields. */
export function splitFields(text: string): [string, FieldKind][] | null {
  const out: [string, FieldKind][] = [];
  let i = 0;
  const s = text;
  while (i < s.length) {
    const c = s[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    let buf = "";
    if (isDigit(c)) {
      while (isDigit(s[i])) buf += s[i++];
      if (s[i] === ":") {
        while (isDigit(s[i]) || s[i] === ":" || s[i] === ".") buf += s[i++];
        out.push([buf, "time"]);
      } else if (s[i] === "-" || s[i] === "/" || s[i] === ".") {
        const delim = s[i]!;
        buf += s[i++];
        if (isDigit(s[i])) {
          let kind: FieldKind = delim === "." ? "number" : "date";
          while (isDigit(s[i])) buf += s[i++];
          if (s[i] === delim) {
            kind = "date";
            buf += s[i++];
            while (isDigit(s[i]) || s[i] === delim) buf += s[i++];
          }
          out.push([buf, kind]);
        } else {
          while (isAlpha(s[i]) || isDigit(s[i]) || s[i] === delim) buf += s[i++]!.toLowerCase();
          out.push([buf, "date"]);
        }
      } else out.push([buf, "number"]);
    } else if (c === ".") {
      buf += s[i++];
      while (isDigit(s[i])) buf += s[i++];
      out.push([buf, "number"]);
    } else if (isAlpha(c)) {
      while (isAlpha(s[i])) buf += s[i++]!.toLowerCase();
      let isDate = false;
      if (s[i] === "-" || s[i] === "/" || s[i] === ".") isDate = true;
      else if (s[i] === "+" || isDigit(s[i])) isDate = !coreTokens.has(buf);
      if (isDate) {
        // A date with a text month, or a zone name such as America/New_York or Etc/GMT+5.
        while (
          i < s.length && (isAlpha(s[i]) || isDigit(s[i]) || "+-/_.:".includes(s[i]!))
        ) buf += s[i++]!.toLowerCase();
        out.push([buf, "date"]);
      } else out.push([buf, "string"]);
    } else if (c === "+" || c === "-") {
      buf += s[i++];
      while (isSpace(s[i])) i++;
      if (isDigit(s[i])) {
        while (isDigit(s[i]) || s[i] === ":" || s[i] === "." || s[i] === "-") buf += s[i++];
        out.push([buf, "tz"]);
      } else if (isAlpha(s[i])) {
        while (isAlpha(s[i])) buf += s[i++]!.toLowerCase();
        out.push([buf, "special"]);
      } else return null;
    } else if (/[!-/:-@[-`{-~]/.test(c)) {
      i++; // other punctuation is ignored
    } else return null;
  }
  return out;
}

/** DecodeTimezone: `+hh`, `+hhmm`, `+hh:mm`, `+hh:mm:ss`; seconds east, or "format"/"tz" error. */
function decodeTimezone(s: string): number | "format" | "tz" {
  const m = /^([+-])(\d+)(?::(\d+)(?::(\d+))?)?$/.exec(s);
  if (m === null) return "format";
  let h: number, mi: number, sec = 0;
  if (m[3] !== undefined) {
    h = Number(m[2]);
    mi = Number(m[3]);
    if (m[4] !== undefined) sec = Number(m[4]);
  } else {
    const d = m[2]!;
    if (d.length <= 2) {
      h = Number(d);
      mi = 0;
    } else if (d.length <= 4) {
      h = Number(d.slice(0, d.length - 2));
      mi = Number(d.slice(-2));
    } else if (d.length <= 6) {
      h = Number(d.slice(0, d.length - 4));
      mi = Number(d.slice(-4, -2));
      sec = Number(d.slice(-2));
    } else return "format";
  }
  if (h > 15 || mi >= 60 || sec >= 60) return "tz";
  const off = h * 3600 + mi * 60 + sec;
  return m[1] === "-" ? -off : off;
}

function parseFraction(s: string): number {
  // ".123456789" → µs rounded (rint) as PostgreSQL does.
  return Math.round(Number("0" + s) * 1e6);
}

/**
 * DecodeDateTime (and DecodeTimeOnly when `timeOnly`): the fields of a date/time string.
 * Throws PostgreSQL's errors naming `typeName`.
 */
export function decodeDateTime(
  text: string,
  typeName: string,
  order: DateOrder,
  timeOnly = false,
): DateTimeFields {
  const bad = (kind: "format" | "field" | "md" | "tz" = "format") =>
    dateTimeError(kind, text, typeName);
  const fields = splitFields(text);
  if (fields === null || fields.length === 0) throw bad();
  const f: DateTimeFields = {
    hour: 0,
    minute: 0,
    second: 0,
    micros: 0,
    bc: false,
    haveDate: false,
    haveTime: false,
    is2digits: false,
  };
  let haveYear = false, haveMonth = false, haveDay = false, haveTz = false;
  let textMonth = false;
  let ptype: "time" | "julian" | undefined;
  const setTime = (h: number, mi: number, sec: number, us: number) => {
    if (f.haveTime) throw bad();
    f.hour = h;
    f.minute = mi;
    f.second = sec;
    f.micros = us;
    f.haveTime = true;
  };
  const decodeTime = (s: string) => {
    const m = /^(\d+):(\d+)(?::(\d+)(\.\d*)?)?$/.exec(s) ?? /^(\d+):(\d+)(\.\d*)?$/.exec(s);
    if (m === null) throw bad();
    let sec = 0, us = 0;
    if (m.length === 5) {
      sec = m[3] === undefined ? 0 : Number(m[3]);
      us = m[4] === undefined ? 0 : parseFraction(m[4]);
    } else {
      // "mm:ss.fff" is not accepted with a fraction on the minutes in PostgreSQL's default
      // style; treat h:m.f as minutes with fractional seconds.
      throw bad();
    }
    const h = Number(m[1]);
    const mi = Number(m[2]);
    if (h < 0 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || us > 1e6) throw bad("field");
    setTime(h, mi, sec, us);
  };
  const setYear = (v: number, digits: number) => {
    if (haveYear) throw bad();
    f.year = v;
    haveYear = true;
    f.is2digits = digits <= 2;
  };
  const setMonth = (v: number) => {
    if (haveMonth) throw bad();
    f.month = v;
    haveMonth = true;
  };
  const setDay = (v: number) => {
    if (haveDay) throw bad();
    f.day = v;
    haveDay = true;
  };
  const dateComplete = () => haveYear && haveMonth && haveDay;
  // DecodeNumberField: run-together yyyymmdd, hhmmss, hhmm, with optional fraction.
  const numberField = (s: string): void => {
    let str = s;
    const dot = s.indexOf(".");
    if (dot >= 0) {
      const frac = parseFraction(s.slice(dot));
      str = s.slice(0, dot);
      if (str.length === 6 && dateComplete() && !f.haveTime) {
        setTime(Number(str.slice(0, 2)), Number(str.slice(2, 4)), Number(str.slice(4, 6)), frac);
        return;
      }
      if (!dateComplete() && str.length >= 6) {
        setDay(Number(str.slice(-2)));
        setMonth(Number(str.slice(-4, -2)));
        setYear(Number(str.slice(0, -4)), str.length - 4);
        return;
      }
      throw bad();
    }
    if (!dateComplete() && str.length >= 6) {
      setDay(Number(str.slice(-2)));
      setMonth(Number(str.slice(-4, -2)));
      setYear(Number(str.slice(0, -4)), str.length - 4);
      return;
    }
    if (!f.haveTime) {
      if (str.length === 6) {
        setTime(Number(str.slice(0, 2)), Number(str.slice(2, 4)), Number(str.slice(4, 6)), 0);
        return;
      }
      if (str.length === 4) {
        setTime(Number(str.slice(0, 2)), Number(str.slice(2, 4)), 0, 0);
        return;
      }
    }
    throw bad();
  };
  // DecodeNumber: one numeric field placed by what is known so far and the DateStyle order.
  const decodeNumber = (s: string): void => {
    const dot = s.indexOf(".");
    const intPart = dot >= 0 ? s.slice(0, dot) : s;
    const flen = intPart.length;
    if (dot >= 0) {
      if (flen > 2) return numberField(s);
      // A lone number with a fraction after a complete time is fractional seconds — not a date.
      throw bad();
    }
    const val = Number(intPart);
    if (flen === 3 && haveYear && !haveMonth && !haveDay && val >= 1 && val <= 366) {
      f.doy = val;
      haveMonth = haveDay = true;
      return;
    }
    const mask = (haveYear ? 1 : 0) | (haveMonth ? 2 : 0) | (haveDay ? 4 : 0);
    switch (mask) {
      case 0:
        if (flen >= 3 || order === "YMD") return setYear(val, flen);
        if (order === "DMY") return setDay(val);
        return setMonth(val);
      case 1:
        return setMonth(val);
      case 2:
        if (textMonth) {
          if (flen >= 3 || order === "YMD") return setYear(val, flen);
          return setDay(val);
        }
        return setDay(val);
      case 3:
        if (textMonth && flen >= 3 && f.is2digits) {
          f.day = f.year;
          haveDay = true;
          f.year = val;
          f.is2digits = false;
          return;
        }
        return setDay(val);
      case 4:
        return setMonth(val);
      case 6:
        return setYear(val, flen);
      case 7:
        return numberField(s);
    }
    throw bad();
  };
  // DecodeDate: a field like 2020-01-02, 1/2/2020, jan-02-2020, 2020.01.02.
  const decodeDate = (s: string): void => {
    const parts = s.split(/[^A-Za-z0-9]+/).filter((p) => p !== "");
    if (parts.length === 0) throw bad();
    const nums: string[] = [];
    for (const p of parts) {
      if (isAlpha(p[0])) {
        const mon = monthNames.get(p.toLowerCase());
        if (mon !== undefined) {
          setMonth(mon);
          textMonth = true;
        } else if (p === "bc") f.bc = true;
        else if (p === "ad") continue;
        else throw bad();
      } else nums.push(p);
    }
    // ISO: a first field of 3+ digits is the year, then month and day.
    if (nums.length === 3 && nums[0]!.length >= 3 && !textMonth) {
      setYear(Number(nums[0]), nums[0]!.length);
      setMonth(Number(nums[1]));
      setDay(Number(nums[2]));
      f.haveDate = true;
      return;
    }
    for (const n of nums) {
      if (!/^\d+$/.test(n)) throw bad();
      decodeNumber(n);
    }
    f.haveDate = true;
  };
  for (let k = 0; k < fields.length; k++) {
    const [s, kind] = fields[k]!;
    switch (kind) {
      case "date":
        if (ptype === "time") throw bad();
        if (timeOnly && /^[a-z]/i.test(s)) {
          // DecodeTimeOnly: a lettered field is a date only when it leads a date and time;
          // otherwise it is a zone name.
          const leadsDate = k === 0 && fields.length >= 2 &&
            (fields[fields.length - 1]![1] === "date" || fields[1]![1] === "time");
          if (leadsDate) {
            decodeDate(s);
            break;
          }
          if (haveTz) throw bad();
          const z = lookupZone(s);
          if (z === undefined) {
            throw new DbError(SqlState.invalidParameterValue, `time zone "${s}" not recognized`);
          }
          f.zone = z;
          haveTz = true;
          break;
        }
        if (dateComplete() || /[a-z]\//i.test(s) || /^[a-z]+[_+]/i.test(s)) {
          // A zone name with punctuation: America/New_York, Etc/GMT+5.
          if (haveTz) throw bad();
          const z = lookupZone(s);
          if (z === undefined) {
            if (/^[a-z]/i.test(s) && !monthNames.has(s.split(/[-/.]/)[0] ?? "")) {
              throw new DbError(SqlState.invalidParameterValue, `time zone "${s}" not recognized`);
            }
            throw bad();
          }
          f.zone = z;
          haveTz = true;
        } else decodeDate(s);
        break;
      case "time":
        if (ptype === "time") ptype = undefined;
        decodeTime(s);
        break;
      case "tz": {
        // A signed number: a zone offset, or after a date-less time in ISO week form — only zones here.
        if (haveTz) throw bad();
        if (!f.haveTime && !f.haveDate && !timeOnly && /-\d+-/.test(s)) throw bad();
        const tz = decodeTimezone(s);
        if (tz === "format") throw bad();
        if (tz === "tz") throw bad("tz");
        f.tzOffset = tz;
        haveTz = true;
        break;
      }
      case "number":
        if (ptype === "julian") {
          f.julian = Number(s);
          ptype = undefined;
          f.haveDate = true;
          haveYear = haveMonth = haveDay = true;
          break;
        }
        if (ptype === "time") {
          // "T" then hhmmss run together.
          ptype = undefined;
          const dot = s.indexOf(".");
          const digits = dot >= 0 ? s.slice(0, dot) : s;
          const frac = dot >= 0 ? parseFraction(s.slice(dot)) : 0;
          if (digits.length === 6) {
            setTime(+digits.slice(0, 2), +digits.slice(2, 4), +digits.slice(4), frac);
          } else if (digits.length === 4) setTime(+digits.slice(0, 2), +digits.slice(2, 4), 0, 0);
          else if (digits.length === 2) setTime(+digits, 0, 0, 0);
          else throw bad();
          break;
        }
        if (s.startsWith(".")) {
          // Fractional seconds following a time: "12:00:00 .5" is not valid; treat as bad.
          throw bad();
        }
        if (timeOnly && !f.haveDate) {
          // DecodeTimeOnly treats a bare number as a run-together time (hhmmss, hhmm).
          const dot = s.indexOf(".");
          const digits = dot >= 0 ? s.slice(0, dot) : s;
          const frac = dot >= 0 ? parseFraction(s.slice(dot)) : 0;
          if (digits.length === 6) {
            setTime(+digits.slice(0, 2), +digits.slice(2, 4), +digits.slice(4), frac);
          } else if (digits.length === 4 && dot < 0) {
            setTime(+digits.slice(0, 2), +digits.slice(2, 4), 0, 0);
          } else if (digits.length > 6 && dot < 0) numberField(s);
          else throw bad();
          break;
        }
        {
          const dot = s.indexOf(".");
          const flen = dot >= 0 ? dot : s.length;
          if (dot >= 0 && !dateComplete() && !haveYear && !haveMonth && !haveDay) decodeDate(s);
          else if (dot >= 0 && flen > 2) numberField(s);
          else if (s.length >= 6 && (!dateComplete() || !f.haveTime)) numberField(s);
          else decodeNumber(s);
          if (haveYear || haveMonth || haveDay) f.haveDate = true;
        }
        break;
      case "string":
      case "special": {
        if (specials.has(s)) {
          if (f.special !== undefined) throw bad();
          f.special = s as DateTimeFields["special"];
          break;
        }
        if (s === "am" || s === "pm") {
          f.ampm = s;
          break;
        }
        if (s === "bc") {
          f.bc = true;
          break;
        }
        if (s === "ad" || s === "on" || s === "at" || dayNames.has(s)) break;
        if (s === "t") {
          ptype = "time";
          break;
        }
        if (s === "j" || s === "julian") {
          ptype = "julian";
          break;
        }
        const mon = monthNames.get(s);
        if (mon !== undefined) {
          // A numeric "month" seen before a text month was really the day ("2 Jan 2020").
          if (haveMonth && !textMonth && !haveDay && f.month! >= 1 && f.month! <= 31) {
            f.day = f.month;
            haveDay = true;
            haveMonth = false;
          }
          setMonth(mon);
          textMonth = true;
          f.haveDate = true;
          break;
        }
        if (zoneAbbreviations[s] !== undefined) {
          if (haveTz) throw bad();
          f.tzOffset = zoneAbbreviations[s];
          haveTz = true;
          break;
        }
        const z = lookupZone(s);
        if (z !== undefined && kind === "string" && !/^\d/.test(s)) {
          if (haveTz) throw bad();
          f.zone = z;
          haveTz = true;
          break;
        }
        throw bad();
      }
    }
  }
  if (ptype !== undefined) throw bad();
  if (f.ampm !== undefined) {
    if (f.hour > 12 || f.hour < 0) throw bad("field");
    if (f.ampm === "am" && f.hour === 12) f.hour = 0;
    else if (f.ampm === "pm" && f.hour !== 12) f.hour += 12;
  }
  if (f.hour > 24 || (f.hour === 24 && (f.minute > 0 || f.second > 0 || f.micros > 0))) {
    throw bad("field");
  }
  f.haveDate = f.haveDate || haveYear || haveMonth || haveDay;
  if (f.haveDate && !(haveYear && haveMonth && haveDay) && f.special === undefined) {
    // ValidateDate runs before the completeness check: a bad month or day says so first.
    if (haveMonth && (f.month! < 1 || f.month! > 12)) throw bad("md");
    if (haveDay && (f.day! < 1 || f.day! > 31)) throw bad("md");
    // A partial date (only a month, or month and day without year).
    throw bad();
  }
  return f;
}
