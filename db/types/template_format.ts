/**
 * @module Datetime templates of formatting.c read into nodes, for the parsing side (to_date,
 * to_timestamp, jsonpath's .datetime(template)): keywords (YYYY, MM, DD, HH24, MI, SS, FF1-6,
 * TZH, TZM, Mon, AM, …) with their FM prefix and TH suffix, separators, spaces and literal
 * characters. In standard mode (SQL/JSON) only `-./,':; ` and double-quoted text may stand
 * between fields, as PostgreSQL's parse_format with STD_FLAG.
 */
import { DbError, SqlState } from "../sqlstate.ts";

/** Month names (January first), as to_char writes and the parsers read them. */
export const monthNames = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Day names (Sunday first). */
export const dayNames = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];

/**
 * The keywords of the parsing side, longest first so that HH24 wins over HH. `digit`: the field
 * is numeric (is_digit in formatting.c's table); `len`: the width from_char_parse_int reads.
 */
const keywordTable: { kw: string; digit: boolean; len: number }[] = (
  "A.D.:0 B.C.:0 A.M.:0 P.M.:0 Y,YYY:5 HH24:2 HH12:2 SSSSS:5 SSSS:4 MONTH:0 IYYY:4 YYYY:4 IDDD:3 " +
  "FF1:1 FF2:2 FF3:3 FF4:4 FF5:5 FF6:6 IYY:3 YYY:3 MON:0 DAY:0 DDD:3 TZH:0 TZM:0 AD:0 BC:0 AM:0 " +
  "PM:0 HH:2 MI:2 SS:2 MS:3 US:6 IY:2 YY:2 MM:2 DY:0 DD:2 ID:1 IW:2 WW:2 CC:2 RM:0 TZ:0 OF:0 " +
  "FX:0 Y:1 I:1 D:1 W:1 J:1 Q:1"
).split(" ").map((spec) => {
  const [kw, len] = spec.split(":") as [string, string];
  return { kw, digit: Number(len) > 0, len: Number(len) };
});

/** Keywords whose mixed-case spellings PostgreSQL also knows (Month, Mon, Day, Dy). */
const mixedCase = new Set(["MONTH", "MON", "DAY", "DY"]);

/** One node of a parsed template. */
export type TemplateNode =
  | {
    type: "action";
    /** The keyword upper-cased (`HH24`). */
    kw: string;
    /** As written, for messages (`yyyy`). */
    name: string;
    digit: boolean;
    len: number;
    fm: boolean;
    th: boolean;
  }
  | { type: "separator" | "space" | "char"; ch: string };

/** is_separator_char: printable ASCII that is neither a letter, a digit nor a space. */
export function isSeparatorChar(c: string | undefined): boolean {
  return c !== undefined && c > " " && c < "\x7f" && !/[A-Za-z0-9]/.test(c);
}

function keywordAt(fmt: string, i: number) {
  for (const k of keywordTable) {
    const w = fmt.slice(i, i + k.kw.length);
    if (w === k.kw) return k;
    // Lower-case spellings (yyyy, hh24, mon…) and Month/Mon/Day/Dy; not mixed case in general.
    if (
      w.length === k.kw.length && (w === k.kw.toLowerCase() || (mixedCase.has(k.kw) &&
        w === k.kw[0] + k.kw.slice(1).toLowerCase()))
    ) return k;
  }
  return undefined;
}

/** parse_format for the parsing side; `std` is SQL/JSON's standard mode. */
export function parseTemplateNodes(fmt: string, std: boolean): TemplateNode[] {
  const nodes: TemplateNode[] = [];
  let i = 0;
  while (i < fmt.length) {
    let fm = false;
    if (/^(FM|fm|TM|tm)/.test(fmt.slice(i, i + 2)) && keywordAt(fmt, i + 2) !== undefined) {
      fm = fmt[i]!.toLowerCase() === "f";
      i += 2;
    }
    const k = keywordAt(fmt, i);
    if (k !== undefined) {
      const name = fmt.slice(i, i + k.kw.length);
      i += k.kw.length;
      const th = fmt.startsWith("TH", i) || fmt.startsWith("th", i);
      if (th) i += 2;
      nodes.push({ type: "action", kw: k.kw, name, digit: k.digit, len: k.len, fm, th });
      continue;
    }
    const c = fmt[i]!;
    if (c === '"') {
      i++;
      while (i < fmt.length) {
        if (fmt[i] === '"') {
          i++;
          break;
        }
        if (fmt[i] === "\\" && i + 1 < fmt.length) i++;
        nodes.push({ type: "char", ch: fmt[i]! });
        i++;
      }
      continue;
    }
    if (std) {
      if (!"-./,':; ".includes(c)) {
        throw new DbError(
          SqlState.invalidDatetimeFormat,
          `invalid datetime format separator: "${c}"`,
        );
      }
      nodes.push({ type: c === " " ? "space" : "separator", ch: c });
      i++;
      continue;
    }
    if (c === "\\" && fmt[i + 1] === '"') i++;
    const ch = fmt[i]!;
    nodes.push({
      type: isSeparatorChar(ch) ? "separator" : /\s/.test(ch) ? "space" : "char",
      ch,
    });
    i++;
  }
  return nodes;
}
