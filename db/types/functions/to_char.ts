/**
 * @module to_char for timestamps, dates (via timestamp), intervals and numbers — PostgreSQL's
 * formatting.c templates (YYYY MM DD HH24 HH12 MI SS MS US AM/PM Mon Month Dy Day TZ FM TH …; 9 0 .
 * , D G S PR MI PL SG FM …), the common subset — and to_date(text, fmt) / to_timestamp(text, fmt)
 * over the shared template parser (../template_parse.ts).
 */
import { DbError, SqlState } from "../../sqlstate.ts";
import {
  date2j,
  epochJulian,
  formatOffset,
  fromLocal,
  isFiniteTimestamp,
  isValidDate,
  isValidTimestamp,
  roundMicros,
  sessionZone,
  timestampToTm,
  type Tm,
  tmToTimestamp,
  toLocal,
} from "../datetime.ts";
import { Interval } from "../interval.ts";
import { Numeric } from "../numeric.ts";
import { Oid } from "../oids.ts";
import { dayNames, monthNames } from "../template_format.ts";
import { parseWithTemplate } from "../template_parse.ts";
import { isoWeek } from "./datetime.ts";
import { defineFunction } from "./registry.ts";

const romanMonths = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

/** Template keywords, longest first so that e.g. HH24 wins over HH. */
const keywords = [
  "A.D.",
  "a.d.",
  "B.C.",
  "b.c.",
  "A.M.",
  "a.m.",
  "P.M.",
  "p.m.",
  "Y,YYY",
  "y,yyy",
  "HH24",
  "HH12",
  "SSSSS",
  "SSSS",
  "MONTH",
  "Month",
  "month",
  "IYYY",
  "YYYY",
  "IDDD",
  "FF1",
  "FF2",
  "FF3",
  "FF4",
  "FF5",
  "FF6",
  "IYY",
  "YYY",
  "MON",
  "Mon",
  "mon",
  "DAY",
  "Day",
  "day",
  "DDD",
  "TZH",
  "TZM",
  "AD",
  "ad",
  "BC",
  "bc",
  "AM",
  "am",
  "PM",
  "pm",
  "HH",
  "MI",
  "SS",
  "MS",
  "US",
  "IY",
  "YY",
  "MM",
  "DY",
  "Dy",
  "dy",
  "DD",
  "ID",
  "IW",
  "WW",
  "CC",
  "RM",
  "rm",
  "TZ",
  "tz",
  "OF",
  "Y",
  "I",
  "D",
  "W",
  "J",
  "Q",
];

interface Node {
  kw?: string;
  text?: string;
  fm: boolean;
  th?: "TH" | "th";
}

function parseTemplate(fmt: string): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  while (i < fmt.length) {
    let fm = false;
    if (fmt.startsWith("FM", i) || fmt.startsWith("fm", i)) {
      fm = true;
      i += 2;
    }
    if (fmt.startsWith("FX", i) || fmt.startsWith("fx", i)) {
      i += 2;
      continue;
    }
    const kw = keywords.find((k) =>
      fmt.startsWith(k, i) ||
      (k.length > 1 && /^[A-Z]/.test(k) && fmt.startsWith(k.toLowerCase(), i) &&
        !keywords.includes(k.toLowerCase()) && false)
    );
    if (kw !== undefined) {
      i += kw.length;
      let th: Node["th"];
      if (fmt.startsWith("TH", i) || fmt.startsWith("th", i)) {
        th = fmt.slice(i, i + 2) as Node["th"];
        i += 2;
      }
      nodes.push({ kw, fm, th });
      continue;
    }
    const lower = keywords.find((k) =>
      /[A-Z]/.test(k) && fmt.startsWith(k.toLowerCase(), i) && k.toLowerCase() !== k
    );
    if (
      lower !== undefined &&
      ![
        "am",
        "pm",
        "ad",
        "bc",
        "mon",
        "month",
        "day",
        "dy",
        "rm",
        "tz",
        "a.m.",
        "p.m.",
        "a.d.",
        "b.c.",
        "y,yyy",
      ].includes(lower.toLowerCase())
    ) {
      i += lower.length;
      let th: Node["th"];
      if (fmt.startsWith("TH", i) || fmt.startsWith("th", i)) {
        th = fmt.slice(i, i + 2) as Node["th"];
        i += 2;
      }
      nodes.push({ kw: lower, fm, th });
      continue;
    }
    if (fmt[i] === '"') {
      let j = i + 1;
      let text = "";
      while (j < fmt.length && fmt[j] !== '"') {
        if (fmt[j] === "\\" && j + 1 < fmt.length) j++;
        text += fmt[j];
        j++;
      }
      nodes.push({ text, fm: false });
      i = j + 1;
      continue;
    }
    if (fmt[i] === "\\" && i + 1 < fmt.length) {
      nodes.push({ text: fmt[i + 1], fm: false });
      i += 2;
      continue;
    }
    nodes.push({ text: fmt[i], fm: false });
    i++;
  }
  return nodes;
}

function ordinal(n: number, th: "TH" | "th"): string {
  const t = n % 100;
  let s = "th";
  if (t < 11 || t > 13) s = n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
  return th === "TH" ? s.toUpperCase() : s;
}

function caseLike(word: string, kw: string): string {
  if (kw === kw.toUpperCase()) return word.toUpperCase();
  if (kw === kw.toLowerCase()) return word.toLowerCase();
  return word;
}

function zoneAbbrev(zoneName: string, offset: number, t: bigint): string {
  if (zoneName.toUpperCase() === "UTC") return "UTC";
  try {
    const ms = Number(t / 1000n) + 946684800000;
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zoneName, timeZoneName: "short" })
      .formatToParts(new Date(ms));
    const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "";
    if (/^[A-Z]{2,5}$/.test(name)) return name;
  } catch {
    // a fixed-offset zone: fall through
  }
  const o = formatOffset(offset);
  return o.replace(":", "");
}

interface Stamp {
  tm: Tm;
  offset?: number;
  zone?: string;
  t: bigint;
  interval?: boolean;
}

function formatStamp(s: Stamp, fmt: string): string {
  const { tm } = s;
  let out = "";
  const y = tm.year > 0 ? tm.year : 1 - tm.year;
  const jd = s.interval ? 0 : date2j(tm.year, tm.month, tm.day);
  const dow = s.interval ? 0 : (jd + 1) % 7;
  for (const n of parseTemplate(fmt)) {
    if (n.text !== undefined) {
      out += n.text;
      continue;
    }
    const kw = n.kw!;
    const num = (v: number, width: number): string => {
      const neg = v < 0;
      let str = String(Math.abs(v));
      if (!n.fm) str = str.padStart(width, "0");
      str = (neg ? "-" : "") + str;
      return n.th ? str + ordinal(Math.abs(v), n.th) : str;
    };
    const word = (w: string, width: number) => {
      const c = caseLike(w, kw);
      return n.fm ? c : c.padEnd(width, " ");
    };
    switch (kw.toUpperCase()) {
      case "HH24":
        out += num(tm.hour, 2);
        break;
      case "HH":
      case "HH12":
        out += num(tm.hour % 12 === 0 ? 12 : tm.hour % 12, 2);
        break;
      case "MI":
        out += num(tm.minute, 2);
        break;
      case "SS":
        out += num(tm.second, 2);
        break;
      case "MS":
        out += num(Math.floor(tm.micros / 1000), 3);
        break;
      case "US":
        out += num(tm.micros, 6);
        break;
      case "FF1":
      case "FF2":
      case "FF3":
      case "FF4":
      case "FF5":
      case "FF6": {
        const d = Number(kw.slice(2));
        out += num(Math.floor(tm.micros / 10 ** (6 - d)), d);
        break;
      }
      case "SSSS":
      case "SSSSS":
        out += num(tm.hour * 3600 + tm.minute * 60 + tm.second, 0);
        break;
      case "AM":
      case "PM":
        out += caseLike(tm.hour >= 12 ? "PM" : "AM", kw);
        break;
      case "A.M.":
      case "P.M.":
        out += caseLike(tm.hour >= 12 ? "P.M." : "A.M.", kw);
        break;
      case "AD":
      case "BC":
        out += caseLike(tm.year <= 0 ? "BC" : "AD", kw);
        break;
      case "A.D.":
      case "B.C.":
        out += caseLike(tm.year <= 0 ? "B.C." : "A.D.", kw);
        break;
      case "Y,YYY": {
        const v = String(y);
        out += v.length > 3 ? v.slice(0, -3) + "," + v.slice(-3) : v;
        break;
      }
      case "YYYY":
        out += num(s.interval ? tm.year : y, 4);
        break;
      case "YYY":
        out += num(y % 1000, 3);
        break;
      case "YY":
        out += num(y % 100, 2);
        break;
      case "Y":
        out += num(y % 10, 1);
        break;
      case "IYYY":
      case "IYY":
      case "IY":
      case "I": {
        const iy = isoWeek(tm.year, tm.month, tm.day)[0];
        const digits = kw.length;
        out += num(digits === 4 ? iy : iy % 10 ** digits, digits);
        break;
      }
      case "MONTH":
        out += word(monthNames[tm.month - 1]!, 9);
        break;
      case "MON":
        out += caseLike(monthNames[tm.month - 1]!.slice(0, 3), kw);
        break;
      case "MM":
        out += num(tm.month, 2);
        break;
      case "DAY":
        out += word(dayNames[dow]!, 9);
        break;
      case "DY":
        out += caseLike(dayNames[dow]!.slice(0, 3), kw);
        break;
      case "DDD":
        out += num(jd - date2j(tm.year, 1, 1) + 1, 3);
        break;
      case "IDDD": {
        const [iy] = isoWeek(tm.year, tm.month, tm.day);
        const day4 = date2j(iy, 1, 4);
        const start = day4 - (((day4 + 1) % 7) + 6) % 7;
        out += num(jd - start + 1, 3);
        break;
      }
      case "DD":
        out += num(tm.day, 2);
        break;
      case "D":
        out += num(dow + 1, 1);
        break;
      case "ID":
        out += num(dow === 0 ? 7 : dow, 1);
        break;
      case "W":
        out += num(Math.floor((tm.day - 1) / 7) + 1, 1);
        break;
      case "WW":
        out += num(Math.floor((jd - date2j(tm.year, 1, 1)) / 7) + 1, 2);
        break;
      case "IW":
        out += num(isoWeek(tm.year, tm.month, tm.day)[1], 2);
        break;
      case "CC": {
        const cc = tm.year > 0
          ? Math.floor((tm.year + 99) / 100)
          : -Math.floor((99 - (tm.year - 1)) / 100);
        out += num(cc, 2);
        break;
      }
      case "J":
        out += num(jd, 0);
        break;
      case "Q":
        out += num(Math.floor((tm.month - 1) / 3) + 1, 1);
        break;
      case "RM":
        out += n.fm
          ? caseLike(romanMonths[tm.month - 1]!, kw)
          : caseLike(romanMonths[tm.month - 1]!.padEnd(4, " "), kw);
        break;
      case "TZ":
        if (s.offset !== undefined) out += caseLike(zoneAbbrev(s.zone ?? "UTC", s.offset, s.t), kw);
        break;
      case "TZH":
        if (s.offset !== undefined) {
          out += (s.offset < 0 ? "-" : "+") +
            String(Math.floor(Math.abs(s.offset) / 3600)).padStart(2, "0");
        }
        break;
      case "TZM":
        if (s.offset !== undefined) {
          out += String(Math.floor((Math.abs(s.offset) % 3600) / 60)).padStart(2, "0");
        }
        break;
      case "OF":
        if (s.offset !== undefined) out += formatOffset(s.offset);
        break;
    }
  }
  return out;
}

defineFunction("to_char", [Oid.timestamp, Oid.text], Oid.text, ([t, f]) => {
  const ts = t as bigint;
  if (!isFiniteTimestamp(ts)) return null;
  return formatStamp({ tm: timestampToTm(ts), t: ts }, f as string);
}, { volatility: "s" });
defineFunction("to_char", [Oid.timestamptz, Oid.text], Oid.text, ([t, f], ctx) => {
  const ts = t as bigint;
  if (!isFiniteTimestamp(ts)) return null;
  const [local, off] = toLocal(ts, sessionZone(ctx));
  return formatStamp(
    { tm: timestampToTm(local), offset: off, zone: ctx.timeZone, t: ts },
    f as string,
  );
}, { volatility: "s" });
defineFunction("to_char", [Oid.interval, Oid.text], Oid.text, ([i, f]) => {
  const iv = i as Interval;
  const us = iv.micros;
  const secs = Number(us / 1000000n);
  const tm: Tm = {
    year: Math.trunc(iv.months / 12),
    month: iv.months % 12,
    day: iv.days,
    hour: Math.trunc(secs / 3600),
    minute: Math.trunc(secs / 60) % 60,
    second: secs % 60,
    micros: Number(us % 1000000n),
  };
  return formatStamp({ tm, t: 0n, interval: true }, f as string);
}, { volatility: "s" });

// ---- numbers ----------------------------------------------------------------------------------

interface NumFormat {
  intDigits: number;
  fracDigits: number;
  zeroStart: number; // index among int positions where forced zeros start (-1 none)
  fm: boolean;
  items: string[]; // tokens: "9","0",".","D",",","G","S","MI","PL","SG","PR","V","EEEE", or literal text
}

function parseNumFormat(fmt: string): NumFormat {
  const items: string[] = [];
  let i = 0;
  let fm = false;
  while (i < fmt.length) {
    const rest = fmt.slice(i);
    const m = /^(FM|fm|EEEE|eeee|PR|pr|MI|mi|PL|pl|SG|sg|TH|th|RN|rn|[90.,DGSVLdgsvl])/.exec(rest);
    if (m === null) {
      if (rest[0] === '"') {
        const end = rest.indexOf('"', 1);
        items.push("'" + rest.slice(1, end < 0 ? undefined : end));
        i += end < 0 ? rest.length : end + 1;
      } else {
        items.push("'" + rest[0]);
        i++;
      }
      continue;
    }
    const tok = m[1]!.toUpperCase();
    if (tok === "FM") fm = true;
    else items.push(tok);
    i += m[1]!.length;
  }
  let intDigits = 0;
  let fracDigits = 0;
  let seenPoint = false;
  let zeroStart = -1;
  for (const t of items) {
    if (t === "." || t === "D") seenPoint = true;
    else if (t === "9" || t === "0") {
      if (seenPoint) fracDigits++;
      else {
        if (t === "0" && zeroStart < 0) zeroStart = intDigits;
        intDigits++;
      }
    }
  }
  return { intDigits, fracDigits, zeroStart, fm, items };
}

function numToChar(value: Numeric | number, fmt: string): string {
  const f = parseNumFormat(fmt);
  const isNum = value instanceof Numeric;
  const neg = isNum ? value.sign() < 0 : value < 0 || Object.is(value, -0) && false;
  let digits: string;
  if (isNum) {
    if (!value.isFinite()) digits = "";
    else digits = value.abs().round(f.fracDigits).toString();
  } else digits = Math.abs(value).toFixed(f.fracDigits);
  let [ip, fp = ""] = digits.split(".");
  if (ip === "0" && f.intDigits > 0 && f.zeroStart < 0 && f.fracDigits > 0) ip = "";
  if (ip === "0" && f.intDigits === 0) ip = "";
  const overflow = ip!.length > f.intDigits;
  const hasSign = f.items.some((t) => ["MI", "PL", "SG"].includes(t));
  const anchored = f.items.includes("S") ? "S" : f.items.includes("PR") ? "PR" : "";
  let out = "";
  let intPos = 0;
  let fracPos = 0;
  let started = false; // a digit has been printed in the integer part
  let afterPoint = false;
  const leadLen = f.intDigits - ip!.length;
  let signPlaced = false;
  const placeDefaultSign = () => {
    if (!hasSign && !signPlaced) {
      if (anchored === "S") out += neg ? "-" : "+";
      else if (anchored === "PR") out += neg ? "<" : f.fm ? "" : " ";
      else out += neg ? "-" : f.fm ? "" : " ";
      signPlaced = true;
    }
  };
  for (const t of f.items) {
    if (t === "9" || t === "0") {
      if (!afterPoint) {
        const k = intPos++;
        if (overflow) {
          placeDefaultSign();
          out += "#";
          continue;
        }
        if (k < leadLen) {
          const forced = f.zeroStart >= 0 && k >= f.zeroStart;
          if (forced) {
            placeDefaultSign();
            out += "0";
            started = true;
          } else if (!f.fm) out += " ";
        } else {
          placeDefaultSign();
          out += ip![k - leadLen];
          started = true;
        }
      } else {
        const k = fracPos++;
        out += overflow ? "#" : (fp[k] ?? "0");
      }
      continue;
    }
    switch (t) {
      case ".":
      case "D":
        placeDefaultSign();
        afterPoint = true;
        out += ".";
        break;
      case ",":
      case "G":
        if (started || overflow) out += ",";
        else if (!f.fm) out += " ";
        break;
      case "S":
        break;
      case "MI":
        out += neg ? "-" : f.fm ? "" : " ";
        break;
      case "PL":
        out += neg ? " " : "+";
        break;
      case "SG":
        out += neg ? "-" : "+";
        break;
      case "PR":
        out += neg ? ">" : f.fm ? "" : " ";
        break;
      default:
        if (t.startsWith("'")) out += t.slice(1);
    }
  }
  placeDefaultSign();
  if (f.fm && f.fracDigits > 0) {
    // FM drops trailing zeros printed by 9 positions after the point.
    const fracTokens = f.items.filter((t) => t === "9" || t === "0").slice(f.intDigits);
    let cut = 0;
    for (
      let k = fracTokens.length - 1;
      k >= 0 && fracTokens[k] === "9" && out[out.length - 1 - cut] === "0";
      k--
    ) cut++;
    out = out.slice(0, out.length - cut);
  }
  return out;
}

defineFunction(
  "to_char",
  [Oid.numeric, Oid.text],
  Oid.text,
  ([n, f]) => numToChar(n as Numeric, f as string),
);
defineFunction(
  "to_char",
  [Oid.int4, Oid.text],
  Oid.text,
  ([n, f]) => numToChar(new Numeric(BigInt(n as number)), f as string),
);
defineFunction(
  "to_char",
  [Oid.int8, Oid.text],
  Oid.text,
  ([n, f]) => numToChar(new Numeric(n as bigint), f as string),
);
defineFunction(
  "to_char",
  [Oid.float8, Oid.text],
  Oid.text,
  ([n, f]) => numToChar(n as number, f as string),
);
defineFunction(
  "to_char",
  [Oid.float4, Oid.text],
  Oid.text,
  ([n, f]) => numToChar(n as number, f as string),
);

// ---- parsing: to_date / to_timestamp -----------------------------------------------------------

defineFunction("to_date", [Oid.text, Oid.text], Oid.date, ([s, f]) => {
  const { tm } = parseWithTemplate(s as string, f as string);
  const d = date2j(tm.year, tm.month, tm.day) - epochJulian;
  if (!isValidDate(d)) {
    throw new DbError(SqlState.datetimeFieldOverflow, `date out of range: "${s as string}"`);
  }
  return d;
}, { volatility: "s" });
defineFunction("to_timestamp", [Oid.text, Oid.text], Oid.timestamptz, ([s, f], ctx) => {
  const { tm, offset, fprec } = parseWithTemplate(s as string, f as string);
  const local = tmToTimestamp(tm);
  const t = offset !== undefined
    ? local - BigInt(offset) * 1000000n
    : fromLocal(local, sessionZone(ctx));
  if (!isValidTimestamp(t)) {
    throw new DbError(SqlState.datetimeFieldOverflow, "timestamp out of range");
  }
  return fprec > 0 ? roundMicros(t, fprec) : t;
}, { volatility: "s" });
