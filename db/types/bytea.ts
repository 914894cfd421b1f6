/** @module bytea text I/O: hex output `\x0102`; hex and escape input formats, with PostgreSQL's errors. */
import { DbError, SqlState } from "../sqlstate.ts";

const hexDigits = "0123456789abcdef";
const hexTable: string[] = [];
for (let i = 0; i < 256; i++) hexTable.push(hexDigits[i >> 4]! + hexDigits[i & 15]!);

/** Lowercase hex of `b` without a prefix. */
export function toHex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += hexTable[b[i]!]!;
  return s;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** hex_decode as PostgreSQL does (whitespace between digit pairs allowed). */
export function fromHex(s: string, start = 0): Uint8Array {
  const out = new Uint8Array((s.length - start) >> 1);
  let n = 0;
  let i = start;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) {
      i++;
      continue;
    }
    const hi = hexValue(c);
    if (hi < 0) {
      throw new DbError(SqlState.invalidParameterValue, `invalid hexadecimal digit: "${s[i]}"`);
    }
    if (i + 1 >= s.length) {
      throw new DbError(
        SqlState.invalidParameterValue,
        "invalid hexadecimal data: odd number of digits",
      );
    }
    const lo = hexValue(s.charCodeAt(i + 1));
    if (lo < 0) {
      throw new DbError(
        SqlState.invalidParameterValue,
        `invalid hexadecimal digit: "${s[i + 1]}"`,
      );
    }
    out[n++] = (hi << 4) | lo;
    i += 2;
  }
  return out.slice(0, n);
}

const utf8 = new TextEncoder();

/** byteain: `\x…` hex, else the escape format (`\\`, `\ooo`). */
export function parseBytea(s: string): Uint8Array {
  if (s.length >= 2 && s[0] === "\\" && s[1] === "x") return fromHex(s, 2);
  if (!s.includes("\\")) return utf8.encode(s);
  const bytes = utf8.encode(s);
  const out: number[] = [];
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b !== 92) {
      out.push(b);
      i++;
    } else if (bytes[i + 1] === 92) {
      out.push(92);
      i += 2;
    } else {
      const d = [bytes[i + 1], bytes[i + 2], bytes[i + 3]];
      if (
        d[0] !== undefined && d[0] >= 48 && d[0] <= 51 && d[1] !== undefined && d[1] >= 48 &&
        d[1] <= 55 && d[2] !== undefined && d[2] >= 48 && d[2] <= 55
      ) {
        out.push(((d[0] - 48) << 6) | ((d[1] - 48) << 3) | (d[2] - 48));
        i += 4;
      } else {
        throw new DbError(
          SqlState.invalidTextRepresentation,
          "invalid input syntax for type bytea",
        );
      }
    }
  }
  return new Uint8Array(out);
}

/** byteaout with bytea_output = hex. */
export function formatBytea(b: Uint8Array): string {
  return "\\x" + toHex(b);
}

/** The escape format (bytea_output = escape, and encode(…, 'escape')). */
export function formatByteaEscape(b: Uint8Array): string {
  let s = "";
  for (const c of b) {
    if (c === 92) s += "\\\\";
    else if (c < 0x20 || c > 0x7e) s += "\\" + c.toString(8).padStart(3, "0");
    else s += String.fromCharCode(c);
  }
  return s;
}
