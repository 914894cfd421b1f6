/**
 * @module DCH_from_char of formatting.c: walks a datetime template's nodes over the input string
 * and collects the fields (year, month, hour, FFn, TZH …) it reads. Fixed-width numbers unless
 * followed by a separator or marked FM; in lenient mode (to_date, to_timestamp) spaces are skipped
 * and separators match loosely, in standard mode (SQL/JSON .datetime()) separators and quoted
 * characters must match, the input must cover the template and nothing may trail.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { dayNames, isSeparatorChar, monthNames } from "./template_format.ts";
import type { TemplateNode } from "./template_format.ts";

export type Action = Extract<TemplateNode, { type: "action" }>;

/** TmFromChar: the fields as read (0 = not given, as PostgreSQL's zeroed struct). */
export interface Fields {
  [k: string]: number;
}

/** A 22007 error with optional detail and hint. */
export const templateError = (message: string, extra: { detail?: string; hint?: string } = {}) =>
  new DbError(SqlState.invalidDatetimeFormat, message, extra);

const romanUpper = "XII XI X IX VIII VII VI V IV III II I".split(" ");

class Reader {
  i = 0;
  f: Fields = {};
  fx: boolean;
  extraSkip = 0;

  constructor(readonly text: string, readonly nodes: TemplateNode[], readonly std: boolean) {
    this.fx = std;
  }

  /** from_char_set_int: a field given twice must agree. */
  set(field: string, value: number, n: Action): void {
    const old = this.f[field] ?? 0;
    if (old !== 0 && old !== value) {
      throw templateError(`conflicting values for "${n.name}" field in formatting string`, {
        detail: "This value contradicts a previous setting for the same field type.",
      });
    }
    this.f[field] = value;
  }

  /** is_next_separator: the field after node `k` cannot be digits. */
  nextIsSeparator(k: number): boolean {
    const n = this.nodes[k]!;
    if (n.type === "action" && n.th) return true;
    const next = this.nodes[k + 1];
    if (next === undefined) return true;
    if (next.type === "action") return !next.digit;
    return !/[0-9]/.test(next.ch);
  }

  /** from_char_parse_int_len: an integer of `len` characters (or as many as there are). */
  int(k: number, len: number): { value: number; used: number } {
    const n = this.nodes[k] as Action;
    const init = this.i;
    let start = init;
    while (start < this.text.length && /\s/.test(this.text[start]!)) start++;
    const copy = this.text.slice(start, start + len);
    let end: number;
    let digits: string;
    if (n.fm || this.nextIsSeparator(k)) {
      const m = /^\s*[+-]?\d+/.exec(this.text.slice(init));
      digits = m?.[0] ?? "";
      end = init + digits.length;
    } else {
      if (copy.length < len) {
        throw templateError(`source string too short for "${n.name}" formatting field`, {
          detail: `Field requires ${len} characters, but only ${copy.length} remain.`,
          hint: 'If your source string is not fixed-width, try using the "FM" modifier.',
        });
      }
      digits = /^\s*[+-]?\d+/.exec(copy)?.[0] ?? "";
      if (digits.length > 0 && digits.length < len) {
        throw templateError(`invalid value "${copy}" for "${n.name}"`, {
          detail: `Field requires ${len} characters, but only ${digits.length} could be parsed.`,
          hint: 'If your source string is not fixed-width, try using the "FM" modifier.',
        });
      }
      end = start + digits.length;
    }
    if (end === init || digits === "") {
      throw templateError(`invalid value "${copy}" for "${n.name}"`, {
        detail: "Value must be an integer.",
      });
    }
    const value = Number(digits.trim());
    if (value < -2147483648 || value > 2147483647) {
      throw new DbError(
        SqlState.datetimeFieldOverflow,
        `value for "${n.name}" in source string is out of range`,
        { detail: "Value must be in the range -2147483648 to 2147483647." },
      );
    }
    this.i = end;
    return { value, used: end - init };
  }

  /** from_char_seq_search: one of `words`, case-insensitively; returns its index. */
  word(n: Action, words: string[]): number {
    const rest = this.text.slice(this.i).toLowerCase();
    const idx = words.findIndex((w) => rest.startsWith(w.toLowerCase()));
    if (idx < 0) {
      const maxLen = Math.max(...words.map((w) => w.length));
      throw templateError(
        `invalid value "${this.text.slice(this.i, this.i + maxLen)}" for "${n.name}"`,
        {
          detail: "The given value did not match any of the allowed values for this field.",
        },
      );
    }
    this.i += words[idx]!.length;
    return idx;
  }

  skipTh(n: Action): void {
    if (n.th) this.i = Math.min(this.text.length, this.i + 2);
  }
}

/** DCH_from_char: walks the template over the input, filling the fields. */
function readFields(r: Reader): void {
  const { text, nodes, std } = r;
  let k = 0;
  for (; k < nodes.length && r.i < text.length; k++) {
    const n = nodes[k]!;
    if (!r.fx && (n.type === "action" ? n.kw !== "FX" : k === 0)) {
      while (r.i < text.length && /\s/.test(text[r.i]!)) {
        r.i++;
        r.extraSkip++;
      }
    }
    if (n.type === "space" || n.type === "separator") {
      if (std) {
        if (text[r.i] !== n.ch) throw templateError(`unmatched format separator "${n.ch}"`);
        r.i++;
      } else if (!r.fx) {
        r.extraSkip--;
        if (/\s/.test(text[r.i]!) || isSeparatorChar(text[r.i])) {
          r.i++;
          r.extraSkip++;
        }
      } else r.i++;
      continue;
    }
    if (n.type !== "action") {
      if (!r.fx) {
        if (r.extraSkip > 0) r.extraSkip--;
        else r.i++;
      } else {
        if (std && text[r.i] !== n.ch) throw templateError(`unmatched format character "${n.ch}"`);
        r.i++;
      }
      continue;
    }
    readAction(r, k, n);
    if (!r.fx) {
      r.extraSkip = 0;
      while (r.i < text.length && /\s/.test(text[r.i]!)) {
        r.i++;
        r.extraSkip++;
      }
    }
  }
  if (std) {
    if (k < nodes.length) throw templateError("input string is too short for datetime format");
    if (text.slice(r.i).trim() !== "") {
      throw templateError("trailing characters remain in input string after datetime format");
    }
  }
}

/** One field of DCH_from_char. */
function readAction(r: Reader, k: number, n: Action): void {
  const intField = (field: string, len = n.len) => {
    const { value, used } = r.int(k, len);
    r.set(field, value, n);
    r.skipTh(n);
    return used;
  };
  const year = (size: number) => {
    const used = r.int(k, n.len);
    const v = used.used < 4 && size < 4 ? adjustPartialYear(used.value) : used.value;
    r.set("year", v, n);
    r.f.yysz = size;
    r.skipTh(n);
  };
  switch (n.kw) {
    case "FX":
      r.fx = true;
      return;
    case "A.D.":
    case "B.C.":
    case "AD":
    case "BC":
      r.set("bc", r.word(n, n.kw.length > 2 ? ["a.d.", "b.c."] : ["ad", "bc"]) % 2, n);
      return;
    case "A.M.":
    case "P.M.":
    case "AM":
    case "PM":
      r.set("pm", r.word(n, n.kw.length > 2 ? ["a.m.", "p.m."] : ["am", "pm"]) % 2, n);
      r.f.clock12 = 1;
      return;
    case "HH":
    case "HH12":
      intField("hh");
      r.f.clock12 = 1;
      return;
    case "HH24":
      intField("hh");
      return;
    case "MI":
      intField("mi");
      return;
    case "SS":
      intField("ss");
      return;
    case "MS": {
      const used = intField("ms");
      r.f.ms! *= used === 1 ? 100 : used === 2 ? 10 : 1;
      return;
    }
    case "FF1":
    case "FF2":
    case "FF3":
    case "FF4":
    case "FF5":
    case "FF6":
    case "US": {
      if (n.kw !== "US") r.f.ff = Number(n.kw[2]);
      const used = intField("us", n.kw === "US" ? 6 : r.f.ff!);
      r.f.us! *= 10 ** Math.max(0, 6 - used);
      return;
    }
    case "SSSS":
    case "SSSSS":
      intField("ssss");
      return;
    case "TZ":
    case "OF":
      throw new DbError(
        SqlState.featureNotSupported,
        `formatting field "${n.name}" is only supported in to_char`,
      );
    case "TZH": {
      const c = r.text[r.i];
      if (c === "+" || c === "-" || c === " ") {
        r.f.tzsign = c === "-" ? -1 : 1;
        r.i++;
      } else r.f.tzsign = r.extraSkip > 0 && r.text[r.i - 1] === "-" ? -1 : 1;
      r.f.tzh = r.int(k, 2).value;
      return;
    }
    case "TZM":
      if (!r.f.tzsign) r.f.tzsign = 1;
      r.f.tzm = r.int(k, 2).value;
      return;
    case "MONTH":
    case "MON": {
      const names = n.kw === "MON" ? monthNames.map((m) => m.slice(0, 3)) : monthNames;
      r.set("mm", r.word(n, names) + 1, n);
      return;
    }
    case "DAY":
    case "DY":
      r.set("d", r.word(n, n.kw === "DY" ? dayNames.map((d) => d.slice(0, 3)) : dayNames) + 1, n);
      return;
    case "RM":
      r.set("mm", 12 - r.word(n, romanUpper), n);
      return;
    case "MM":
      intField("mm");
      return;
    case "DDD":
    case "IDDD":
      intField("ddd");
      return;
    case "DD":
      intField("dd");
      return;
    case "D":
    case "ID":
      intField("d");
      return;
    case "WW":
    case "IW":
      intField("ww");
      return;
    case "Q":
      r.int(k, 1);
      r.skipTh(n);
      return;
    case "CC":
      intField("cc");
      return;
    case "W":
      intField("w");
      return;
    case "J":
      intField("j");
      return;
    case "Y,YYY": {
      const m = /^\s*(\d+),(\d{3})/.exec(r.text.slice(r.i));
      if (m === null) throw templateError('invalid input string for "Y,YYY"');
      r.set("year", Number(m[1]) * 1000 + Number(m[2]), n);
      r.f.yysz = 4;
      r.i += m[0].length;
      r.skipTh(n);
      return;
    }
    case "YYYY":
    case "IYYY":
      year(4);
      return;
    case "YYY":
    case "IYY":
      year(3);
      return;
    case "YY":
    case "IY":
      year(2);
      return;
    default: // Y, I
      year(1);
  }
}

/** adjust_partial_year_to_2020. */
function adjustPartialYear(y: number): number {
  if (y < 70) return y + 2000;
  if (y < 100) return y + 1900;
  if (y < 520) return y + 2000;
  if (y < 1000) return y + 1000;
  return y;
}

/** Reads `text` along the template's nodes (DCH_from_char); `std` is SQL/JSON's standard mode. */
export function readTemplate(text: string, nodes: TemplateNode[], std: boolean): Fields {
  const r = new Reader(text, nodes, std);
  readFields(r);
  return r.f;
}
