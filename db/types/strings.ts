/**
 * @module Character types: text, varchar(n), bpchar / char(n), name and "char" — length checks
 * and padding as PostgreSQL applies them (lengths count characters, i.e. code points).
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { limits } from "../limits.ts";

/** Length in characters (code points), as PostgreSQL counts them in UTF-8. */
export function charCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The first `n` characters of `s`. */
export function charPrefix(s: string, n: number): string {
  if (s.length <= n) return s;
  let i = 0;
  let count = 0;
  while (i < s.length && count < n) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    count++;
  }
  return s.slice(0, i);
}

/**
 * Applies varchar(n) (`bpchar` false) or char(n) (`bpchar` true) to `s`. On assignment or input
 * a longer value is an error unless the excess is spaces; an explicit cast truncates.
 */
export function applyCharLength(s: string, n: number, bpchar: boolean, explicit: boolean): string {
  if (n < 0) return s;
  const len = charCount(s);
  if (len > n) {
    const head = charPrefix(s, n);
    if (!explicit && s.slice(head.length).replace(/ +/, "") !== "") {
      const typeName = bpchar ? `character(${n})` : `character varying(${n})`;
      throw new DbError(SqlState.stringDataRightTruncation, `value too long for type ${typeName}`);
    }
    return head;
  }
  return bpchar && len < n ? s + " ".repeat(n - len) : s;
}

/** bpchar's semantic value: trailing spaces do not count (comparison, length, casts to text). */
export function bpcharTrim(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return end === s.length ? s : s.slice(0, end);
}

const utf8 = new TextEncoder();

/** namein: truncates to NAMEDATALEN-1 bytes on a character boundary. */
export function parseName(s: string): string {
  if (s.length <= limits.identifierBytesMax / 3) return s;
  const bytes = utf8.encode(s);
  if (bytes.length <= limits.identifierBytesMax) return s;
  let end = limits.identifierBytesMax;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/** charin: the first byte; `\ooo` gives that byte. Kept as a one-character string ("" for 0). */
export function parseChar(s: string): string {
  const m = /^\\([0-3][0-7]{2})$/.exec(s);
  if (m !== null) return String.fromCharCode(parseInt(m[1]!, 8));
  if (s.length === 0) return "";
  const b = utf8.encode(s)[0]!;
  return b < 0x80 ? s[0]! : String.fromCharCode(b);
}

/** charout: a high-bit byte prints as `\ooo`. */
export function formatChar(c: string): string {
  if (c === "") return "";
  const b = c.charCodeAt(0);
  return b < 0x80 ? c : "\\" + b.toString(8).padStart(3, "0");
}
