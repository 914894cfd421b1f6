/**
 * @module Time zones: the session TimeZone setting (IANA names through Intl — Deno has full ICU —
 * fixed offsets, and POSIX-style `UTC+5` whose sign means west, as PostgreSQL reads them), zone
 * offsets at an instant, and local time → UTC with PostgreSQL's rule for DST gaps and overlaps
 * (DetermineTimeZoneOffset: a gap takes the offset before it, an overlap the one after it).
 */
import { DbError, SqlState } from "../sqlstate.ts";

/** A resolved time zone. Offsets are seconds east of UTC (printed sign). */
export type Zone = { kind: "fixed"; offset: number } | { kind: "iana"; name: string };

const utcZone: Zone = { kind: "fixed", offset: 0 };
const zoneCache = new Map<string, Zone | null>();

/** Time zone abbreviations PostgreSQL's default set knows (seconds east). */
export const zoneAbbreviations: Record<string, number> = {
  utc: 0,
  gmt: 0,
  z: 0,
  zulu: 0,
  ut: 0,
  est: -18000,
  edt: -14400,
  cst: -21600,
  cdt: -18000,
  mst: -25200,
  mdt: -21600,
  pst: -28800,
  pdt: -25200,
  akst: -32400,
  akdt: -28800,
  hst: -36000,
  cet: 3600,
  cest: 7200,
  met: 3600,
  mest: 7200,
  eet: 7200,
  eest: 10800,
  wet: 0,
  west: 3600,
  bst: 3600,
  ist: 7200,
  msk: 10800,
  jst: 32400,
  kst: 32400,
  aest: 36000,
  aedt: 39600,
  acst: 34200,
  awst: 28800,
  nzst: 43200,
  nzdt: 46800,
  sast: 7200,
};

function parseHms(h: string, m?: string, s?: string): number {
  return Number(h) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

/** An IANA zone Intl accepts, canonical spelling; undefined if unknown. */
function ianaZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * Resolves a TimeZone setting or a zone name in input, or returns undefined when unknown.
 * `+05` is 5 hours east (ISO); `UTC+5` / `<+05>-05` are POSIX, where a positive number is west.
 */
export function lookupZone(name: string): Zone | undefined {
  const cached = zoneCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  let zone: Zone | undefined;
  const lower = name.toLowerCase();
  let m: RegExpExecArray | null;
  if (lower === "utc" || lower === "gmt" || lower === "z" || lower === "zulu" || lower === "ut") {
    zone = utcZone;
  } else if ((m = /^([+-]?)(\d{1,2})(?::?(\d\d)(?::?(\d\d))?)?$/.exec(name)) !== null) {
    const off = parseHms(m[2]!, m[3], m[4]);
    zone = { kind: "fixed", offset: m[1] === "-" ? -off : off };
  } else if (
    (m = /^(?:[A-Za-z]{3,}|<[^>]+>)([+-]?)(\d{1,2})(?::(\d\d)(?::(\d\d))?)?$/.exec(name)) !== null
  ) {
    const off = parseHms(m[2]!, m[3], m[4]);
    zone = { kind: "fixed", offset: m[1] === "-" ? off : -off };
  } else if (zoneAbbreviations[lower] !== undefined) {
    zone = { kind: "fixed", offset: zoneAbbreviations[lower]! };
  } else {
    const iana = ianaZone(name);
    if (iana !== undefined) {
      zone = iana === "UTC" || iana === "Etc/UTC" ? utcZone : { kind: "iana", name: iana };
    }
  }
  zoneCache.set(name, zone ?? null);
  return zone;
}

/** Resolves a zone or raises `time zone "x" not recognized` (22023). */
export function resolveZone(name: string): Zone {
  const z = lookupZone(name);
  if (z === undefined) {
    throw new DbError(SqlState.invalidParameterValue, `time zone "${name}" not recognized`);
  }
  return z;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(name: string): Intl.DateTimeFormat {
  let f = formatters.get(name);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(name, f);
  }
  return f;
}

/** JavaScript Dates cover ±8.64e15 ms; beyond that the offset at the edge is used. */
const jsDateMs = 8.64e15;
const offsetCache = new Map<string, number>();

/** Seconds east of UTC that `zone` has at the instant `unixSeconds`. */
export function zoneOffsetAt(zone: Zone, unixSeconds: number): number {
  if (zone.kind === "fixed") return zone.offset;
  // Offsets change at most on whole minutes in practice; cache per zone and 15-minute slot.
  const slot = Math.floor(unixSeconds / 900);
  const key = zone.name + "@" + slot;
  const hit = offsetCache.get(key);
  if (hit !== undefined && unixSeconds % 900 !== 0) return hit;
  const ms = Math.max(-jsDateMs + 86400000, Math.min(jsDateMs - 86400000, unixSeconds * 1000));
  const whole = Math.floor(ms / 1000) * 1000;
  const parts = formatterFor(zone.name).formatToParts(new Date(whole));
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, bc = false;
  for (const p of parts) {
    switch (p.type) {
      case "year":
        y = Number(p.value);
        break;
      case "month":
        mo = Number(p.value);
        break;
      case "day":
        d = Number(p.value);
        break;
      case "hour":
        h = Number(p.value);
        break;
      case "minute":
        mi = Number(p.value);
        break;
      case "second":
        s = Number(p.value);
        break;
      case "era":
        bc = p.value.startsWith("B");
    }
  }
  if (bc) y = 1 - y;
  const localDate = new Date(Date.UTC(2000, 0, 1, h, mi, s));
  localDate.setUTCFullYear(y, mo - 1, d);
  const offset = Math.round((localDate.getTime() - whole) / 1000);
  if (offsetCache.size > 100000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/**
 * The offset (seconds east) to use for a local wall-clock time, given as Unix seconds of that
 * wall clock read as if it were UTC. Implements PostgreSQL's DetermineTimeZoneOffset.
 */
export function localOffset(zone: Zone, localSeconds: number): number {
  if (zone.kind === "fixed") return zone.offset;
  const before = zoneOffsetAt(zone, localSeconds - 86400);
  const after = zoneOffsetAt(zone, localSeconds + 86400);
  if (before === after) {
    const mid = zoneOffsetAt(zone, localSeconds - before);
    if (mid === before) return before;
    // A short-lived change inside the window: use the offset valid at that instant.
    return zoneOffsetAt(zone, localSeconds - mid) === mid ? mid : before;
  }
  const validBefore = zoneOffsetAt(zone, localSeconds - before) === before;
  const validAfter = zoneOffsetAt(zone, localSeconds - after) === after;
  if (validBefore && validAfter) return before > after ? after : before;
  if (validBefore) return before;
  if (validAfter) return after;
  return before; // in a gap: the offset before the transition
}
