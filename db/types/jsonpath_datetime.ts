/**
 * @module jsonpath's .datetime() without a template: the ISO formats PostgreSQL 15 tries (date,
 * time and timestamp, with or without a `±hh[:mm]` zone, `T` or a space between date and time),
 * the item it yields (its SQL type name for .type(), its JSON text when output), and comparing
 * such items. Comparing across a time-zone boundary (date or timestamp with timestamptz, time
 * with timetz) needs the session TimeZone: only the `_tz` functions have it, the others raise
 * 0A000 as PostgreSQL does. With a template (`.datetime("yyyy-mm-dd HH24:MI TZH")`) the string
 * is read in standard mode by the to_timestamp template parser, and the fields the template names
 * pick the type, as PostgreSQL's parse_datetime.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import {
  date2j,
  daysInMonth,
  formatDate,
  formatTime,
  formatTimestamp,
  fromLocal,
  roundMicros,
  tmToTimestamp,
} from "./datetime.ts";
import { parseTemplateNodes } from "./template_format.ts";
import { parseWithTemplate } from "./template_parse.ts";
import type { Zone } from "./timezone.ts";

/** The SQL type of a datetime item. */
export type DatetimeKind = "date" | "time" | "timetz" | "timestamp" | "timestamptz";

const typeNames: Record<DatetimeKind, string> = {
  date: "date",
  time: "time without time zone",
  timetz: "time with time zone",
  timestamp: "timestamp without time zone",
  timestamptz: "timestamp with time zone",
};

const usPerDay = 86400000000n;
const epochJ = date2j(2000, 1, 1);

/** A datetime item: `local` µs (since 2000-01-01 for dates/timestamps, since midnight for times). */
export class JpDatetime {
  constructor(
    readonly kind: DatetimeKind,
    readonly local: bigint,
    /** Seconds east of UTC for timetz/timestamptz. */
    readonly offset: number,
    /** The JSON text PostgreSQL outputs for it. */
    readonly text: string,
  ) {}

  /** .type() */
  get typeName(): string {
    return typeNames[this.kind];
  }
}

function notRecognized(s: string): DbError {
  return new DbError(
    SqlState.invalidArgumentForSqlJsonDatetimeFunction,
    `datetime format is not recognized: "${s}"`,
    {
      hint: "Use a datetime template argument to specify the input data format.",
    },
  );
}

const pattern =
  /^\s*(?:(\d{1,4})-(\d{1,2})-(\d{1,2}))?(?:(?:^|[ T])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?(?:([+-])(\d{1,2})(?::(\d{1,2}))?)?)?$/;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Parses a string as .datetime() does. */
export function parseJpDatetime(s: string): JpDatetime {
  const m = pattern.exec(s);
  if (m === null || (m[1] === undefined && m[4] === undefined)) throw notRecognized(s);
  const hasDate = m[1] !== undefined;
  const hasTime = m[4] !== undefined;
  if (hasDate && hasTime && !/\d[ T]\d/.test(s)) throw notRecognized(s);
  let days = 0n;
  let dateText = "";
  if (hasDate) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw notRecognized(s);
    days = BigInt(date2j(y, mo, d) - epochJ);
    dateText = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
  }
  let us = 0n;
  let timeText = "";
  if (hasTime) {
    const [h, mi, se] = [Number(m[4]), Number(m[5]), Number(m[6])];
    if (h > 23 || mi > 59 || se > 59) throw notRecognized(s);
    const frac = (m[7] ?? "").replace(/0+$/, "");
    us = BigInt(((h * 60 + mi) * 60 + se) * 1e6 + Number(frac.padEnd(6, "0") || "0"));
    timeText = `${pad(h)}:${pad(mi)}:${pad(se)}${frac === "" ? "" : "." + frac}`;
  }
  let offset = 0;
  const zoned = m[8] !== undefined;
  if (zoned) {
    const hh = Number(m[9]);
    const mm = Number(m[10] ?? "0");
    if (hh > 15 || mm > 59) throw notRecognized(s);
    offset = (m[8] === "-" ? -1 : 1) * (hh * 3600 + mm * 60);
    timeText += `${m[8]}${pad(hh)}:${pad(mm)}`;
  }
  if (hasDate && !hasTime) return new JpDatetime("date", days * usPerDay, 0, dateText);
  if (!hasDate) return new JpDatetime(zoned ? "timetz" : "time", us, offset, timeText);
  return new JpDatetime(
    zoned ? "timestamptz" : "timestamp",
    days * usPerDay + us,
    offset,
    `${dateText}T${timeText}`,
  );
}

/** JSON text of a zone offset (always `±hh:mm`). */
function offsetText(offset: number): string {
  const a = Math.abs(offset);
  return `${offset < 0 ? "-" : "+"}${pad(Math.floor(a / 3600))}:${pad(Math.floor(a / 60) % 60)}`;
}

/** Raises 22007 for a template standard mode refuses (`invalid datetime format separator`). */
export function checkJpDatetimeTemplate(template: string): void {
  parseTemplateNodes(template, true);
}

/** .datetime(template): PostgreSQL's parse_datetime in standard (SQL/JSON) mode. */
export function parseJpDatetimeTemplate(s: string, template: string): JpDatetime {
  const r = parseWithTemplate(s, template, true);
  const precision = r.fprec > 0 ? r.fprec : -1;
  const fmtError = (message: string) => new DbError(SqlState.invalidDatetimeFormat, message);
  if (r.zoned && r.offset === undefined) {
    throw fmtError(
      `missing time zone in input string for type ${r.dated ? "timestamptz" : "timetz"}`,
    );
  }
  if (r.dated && r.timed) {
    const local = roundMicros(tmToTimestamp(r.tm), precision);
    const text = formatTimestamp(local).replace(" ", "T");
    if (!r.zoned) return new JpDatetime("timestamp", local, 0, text);
    const bc = text.endsWith(" BC");
    const zoned = (bc ? text.slice(0, -3) : text) + offsetText(r.offset!) + (bc ? " BC" : "");
    return new JpDatetime("timestamptz", local, r.offset!, zoned);
  }
  if (r.dated) {
    if (r.zoned) throw fmtError("datetime format is zoned but not timed");
    const days = date2j(r.tm.year, r.tm.month, r.tm.day) - epochJ;
    return new JpDatetime("date", BigInt(days) * usPerDay, 0, formatDate(days));
  }
  if (!r.timed) throw fmtError("datetime format is not dated and not timed");
  const tm = r.tm;
  let us = BigInt(((tm.hour * 60 + tm.minute) * 60 + tm.second) * 1e6 + tm.micros);
  us = roundMicros(us, precision);
  const text = formatTime(Number(us));
  if (!r.zoned) return new JpDatetime("time", us, 0, text);
  return new JpDatetime("timetz", us, r.offset!, text + offsetText(r.offset!));
}

function tzError(from: DatetimeKind, to: DatetimeKind): DbError {
  const n = (
    k: DatetimeKind,
  ) => (k === "timestamptz" ? "timestamptz" : k === "timetz" ? "timetz" : k);
  return new DbError(
    SqlState.featureNotSupported,
    `cannot convert value from ${n(from)} to ${n(to)} without time zone usage`,
    { hint: "Use *_tz() function for time zone support." },
  );
}

/** The instant (UTC µs) of a date/timestamp/timestamptz, converting local values in `zone`. */
function instant(d: JpDatetime, other: DatetimeKind, zone: Zone | undefined): bigint {
  if (d.kind === "timestamptz") return d.local - BigInt(d.offset) * 1000000n;
  if (zone === undefined) throw tzError(d.kind, other);
  return fromLocal(d.local, zone);
}

/** Compares two datetime items (null: not comparable); `zone` is the _tz functions' TimeZone. */
export function compareDatetimes(
  a: JpDatetime,
  b: JpDatetime,
  zone: Zone | undefined,
): number | null {
  const isTime = (k: DatetimeKind) => k === "time" || k === "timetz";
  if (isTime(a.kind) !== isTime(b.kind)) return null;
  const cmp = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
  if (isTime(a.kind)) {
    if (a.kind === b.kind) {
      if (a.kind === "time") return cmp(a.local, b.local);
      return cmp(a.local - BigInt(a.offset) * 1000000n, b.local - BigInt(b.offset) * 1000000n) ||
        cmp(BigInt(-a.offset), BigInt(-b.offset));
    }
    if (zone === undefined) throw tzError(a.kind === "time" ? "time" : "timetz", b.kind);
    const t = a.kind === "timetz" ? a : b;
    return a.kind === "timetz"
      ? cmp(t.local - BigInt(t.offset) * 1000000n, fromLocal(b.local, zone) % usPerDay)
      : cmp(fromLocal(a.local, zone) % usPerDay, t.local - BigInt(t.offset) * 1000000n);
  }
  const zonedA = a.kind === "timestamptz";
  const zonedB = b.kind === "timestamptz";
  if (!zonedA && !zonedB) return cmp(a.local, b.local);
  return cmp(instant(a, b.kind, zone), instant(b, a.kind, zone));
}
