/**
 * @module String functions: length family, case, substring/position, replace, split_part, trims,
 * pads, concat/concat_ws, left/right/repeat/reverse, ascii/chr, md5/sha256, encode/decode,
 * quote_*, regexp_* (replace, match, matches, split), string_to_array/array_to_string, to_hex,
 * translate, overlay, starts_with — with PostgreSQL's argument checks and errors.
 */
import { createHash } from "node:crypto";
import type { Datum } from "../../datum.ts";
import { limits } from "../../limits.ts";
import { DbError, SqlState } from "../../sqlstate.ts";
import { PgArray } from "../array.ts";
import { formatByteaEscape, fromHex, toHex } from "../bytea.ts";
import type { EvalContext } from "../context.ts";
import { outputText } from "../io.ts";
import { elementOf, Oid } from "../oids.ts";
import { compileRegex, similarToEscape } from "../regex.ts";
import { bpcharTrim, charCount } from "../strings.ts";
import { defineFunction } from "./registry.ts";
import { quoteIdent, quoteLiteral } from "./quote.ts";

const T = Oid.text;
const I = Oid.int4;
const chars = (s: string) => [...s];
const utf8 = new TextEncoder();

function checkSize(n: number): void {
  if (n > limits.valueBytesMax) {
    throw new DbError(SqlState.programLimitExceeded, "requested length too large");
  }
}

for (const t of [T, Oid.bpchar, Oid.varchar, Oid.name]) {
  if (t === Oid.varchar || t === Oid.name) continue;
  const norm = t === Oid.bpchar ? bpcharTrim : (s: string) => s;
  for (const name of ["length", "char_length", "character_length"]) {
    defineFunction(name, [t], I, ([s]) => charCount(norm(s as string)));
  }
  defineFunction("octet_length", [t], I, ([s]) => utf8.encode(s as string).length);
  defineFunction("bit_length", [t], I, ([s]) => utf8.encode(s as string).length * 8);
}
defineFunction("length", [Oid.bytea], I, ([b]) => (b as Uint8Array).length);
defineFunction("octet_length", [Oid.bytea], I, ([b]) => (b as Uint8Array).length);
defineFunction("bit_length", [Oid.bytea], I, ([b]) => (b as Uint8Array).length * 8);
/** Case mapping one character at a time (towupper/towlower): ß stays ß, as in PostgreSQL. */
function mapCase(s: string, upper: boolean): string {
  let out = "";
  for (const c of s) {
    const m = upper ? c.toUpperCase() : c.toLowerCase();
    out += m.length === c.length ? m : c;
  }
  return out;
}
defineFunction("lower", [T], T, ([s]) => mapCase(s as string, false));
defineFunction("upper", [T], T, ([s]) => mapCase(s as string, true));
defineFunction("initcap", [T], T, ([s]) => {
  let out = "";
  let inWord = false;
  for (const c of s as string) {
    const alnum = /[\p{L}\p{N}]/u.test(c);
    out += alnum ? mapCase(c, !inWord) : c;
    inWord = alnum;
  }
  return out;
});

/** substr(s, start, count) on characters. */
export function substr(s: string, start: number, count?: number): string {
  if (count !== undefined && count < 0) {
    throw new DbError(SqlState.substringError, "negative substring length not allowed");
  }
  const cs = chars(s);
  const from = Math.max(start, 1);
  const end = count === undefined ? cs.length + 1 : start + count;
  if (end <= from) return "";
  return cs.slice(from - 1, end - 1).join("");
}

for (const name of ["substring", "substr"]) {
  defineFunction(name, [T, I, I], T, ([s, a, b]) => substr(s as string, a as number, b as number));
  defineFunction(name, [T, I], T, ([s, a]) => substr(s as string, a as number));
  defineFunction(name, [Oid.bytea, I, I], Oid.bytea, ([s, a, b]) => {
    const bytes = s as Uint8Array;
    const start = a as number;
    const count = b as number;
    if (count < 0) {
      throw new DbError(SqlState.substringError, "negative substring length not allowed");
    }
    const from = Math.max(start, 1);
    const end = start + count;
    return end <= from ? new Uint8Array(0) : bytes.slice(from - 1, end - 1);
  });
  defineFunction(
    name,
    [Oid.bytea, I],
    Oid.bytea,
    ([s, a]) => (s as Uint8Array).slice(Math.max(a as number, 1) - 1),
  );
}
defineFunction("substring", [T, T], T, ([s, p]) => {
  const m = compileRegex(p as string).exec(s as string);
  if (m === null) return null;
  return m.length > 1 ? (m[1] ?? null) : m[0];
});
defineFunction("substring", [T, T, T], T, ([s, p, e]) => {
  const m = compileRegex(similarToEscape(p as string, e as string)).exec(s as string);
  if (m === null) return null;
  return m.length > 1 ? (m[1] ?? null) : m[0];
});

function position(s: string, sub: string): number {
  const i = s.indexOf(sub);
  return i < 0 ? 0 : charCount(s.slice(0, i)) + 1;
}
defineFunction("position", [T, T], I, ([s, sub]) => position(s as string, sub as string));
defineFunction("strpos", [T, T], I, ([s, sub]) => position(s as string, sub as string));
defineFunction(
  "replace",
  [T, T, T],
  T,
  (
    [s, f, t],
  ) => ((f as string) === "" ? (s as string) : (s as string).split(f as string).join(t as string)),
);
defineFunction("split_part", [T, T, I], T, ([s, d, n]) => {
  const idx = n as number;
  if (idx === 0) {
    throw new DbError(SqlState.invalidParameterValue, "field position must not be zero");
  }
  const str = s as string;
  const parts = (d as string) === "" ? [str] : str.split(d as string);
  if (str === "") return "";
  const k = idx > 0 ? idx - 1 : parts.length + idx;
  return parts[k] ?? "";
});

function trimChars(s: string, set: string, left: boolean, right: boolean): string {
  const cs = chars(s);
  const drop = new Set(chars(set));
  let a = 0;
  let b = cs.length;
  if (left) { while (a < b && drop.has(cs[a]!)) a++; }
  if (right) { while (b > a && drop.has(cs[b - 1]!)) b--; }
  return cs.slice(a, b).join("");
}
for (
  const [name, l, r] of [["btrim", true, true], ["ltrim", true, false], [
    "rtrim",
    false,
    true,
  ]] as const
) {
  defineFunction(name, [T], T, ([s]) => trimChars(s as string, " ", l, r));
  defineFunction(name, [T, T], T, ([s, set]) => trimChars(s as string, set as string, l, r));
}

function pad(s: string, len: number, fill: string, left: boolean): string {
  const cs = chars(s);
  if (len <= 0) return "";
  if (cs.length >= len) return cs.slice(0, len).join("");
  const fc = chars(fill);
  if (fc.length === 0) return s;
  checkSize(len * 4);
  const need = len - cs.length;
  let p = "";
  for (let i = 0; i < need; i++) p += fc[i % fc.length];
  return left ? p + s : s + p;
}
defineFunction("lpad", [T, I], T, ([s, n]) => pad(s as string, n as number, " ", true));
defineFunction(
  "lpad",
  [T, I, T],
  T,
  ([s, n, f]) => pad(s as string, n as number, f as string, true),
);
defineFunction("rpad", [T, I], T, ([s, n]) => pad(s as string, n as number, " ", false));
defineFunction(
  "rpad",
  [T, I, T],
  T,
  ([s, n, f]) => pad(s as string, n as number, f as string, false),
);

function textOfAny(v: Datum, type: number, ctx: EvalContext): string {
  if (type === Oid.text || type === Oid.varchar || type === Oid.unknown) return v as string;
  return outputText(type, v, ctx);
}

defineFunction("concat", [Oid.any], T, (args, ctx, types) => {
  let out = "";
  args.forEach((v, i) => {
    if (v !== null) out += textOfAny(v, types[i]!, ctx);
  });
  return out;
}, { variadic: Oid.any, strict: false, volatility: "s" });
defineFunction("concat_ws", [T, Oid.any], T, (args, ctx, types) => {
  if (args[0] === null) return null;
  const parts: string[] = [];
  for (let i = 1; i < args.length; i++) {
    if (args[i] !== null) parts.push(textOfAny(args[i]!, types[i]!, ctx));
  }
  return parts.join(args[0] as string);
}, { variadic: Oid.any, strict: false, volatility: "s" });
defineFunction("left", [T, I], T, ([s, n]) => {
  const cs = chars(s as string);
  const k = n as number;
  return (k >= 0 ? cs.slice(0, k) : cs.slice(0, Math.max(0, cs.length + k))).join("");
});
defineFunction("right", [T, I], T, ([s, n]) => {
  const cs = chars(s as string);
  const k = n as number;
  return (k >= 0 ? cs.slice(Math.max(0, cs.length - k)) : cs.slice(Math.min(cs.length, -k))).join(
    "",
  );
});
defineFunction("repeat", [T, I], T, ([s, n]) => {
  const k = n as number;
  if (k <= 0) return "";
  checkSize((s as string).length * k);
  return (s as string).repeat(k);
});
defineFunction("reverse", [T], T, ([s]) => chars(s as string).reverse().join(""));
defineFunction("starts_with", [T, T], Oid.bool, ([s, p]) => (s as string).startsWith(p as string));
defineFunction("ascii", [T], I, ([s]) => (s as string).codePointAt(0) ?? 0);
defineFunction("chr", [I], T, ([n]) => {
  const c = n as number;
  if (c === 0) throw new DbError(SqlState.programLimitExceeded, "null character not permitted");
  if (c < 0) throw new DbError(SqlState.programLimitExceeded, "character number must be positive");
  if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
    throw new DbError(
      SqlState.programLimitExceeded,
      `requested character too large for encoding: ${c}`,
    );
  }
  return String.fromCodePoint(c);
});
defineFunction("md5", [T], T, ([s]) => createHash("md5").update(s as string, "utf8").digest("hex"));
defineFunction(
  "md5",
  [Oid.bytea],
  T,
  ([b]) => createHash("md5").update(b as Uint8Array).digest("hex"),
);
for (const alg of ["sha224", "sha256", "sha384", "sha512"]) {
  defineFunction(
    alg,
    [Oid.bytea],
    Oid.bytea,
    ([b]) => new Uint8Array(createHash(alg).update(b as Uint8Array).digest()),
  );
}

function base64Encode(b: Uint8Array): string {
  let bin = "";
  for (const c of b) bin += String.fromCharCode(c);
  const s = btoa(bin);
  return s.replace(/(.{76})(?=.)/g, "$1\n");
}

defineFunction("encode", [Oid.bytea, T], T, ([b, f]) => {
  const bytes = b as Uint8Array;
  switch ((f as string).toLowerCase()) {
    case "hex":
      return toHex(bytes);
    case "base64":
      return base64Encode(bytes);
    case "escape":
      return formatByteaEscape(bytes);
  }
  throw new DbError(SqlState.invalidParameterValue, `unrecognized encoding: "${f}"`);
});
defineFunction("decode", [T, T], Oid.bytea, ([s, f]) => {
  const str = s as string;
  switch ((f as string).toLowerCase()) {
    case "hex":
      return fromHex(str);
    case "base64": {
      const clean = str.replace(/[ \t\n\r]/g, "");
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
        throw new DbError(SqlState.invalidParameterValue, "invalid base64 end sequence", {
          hint: "Input data is missing padding, is truncated, or is otherwise corrupted.",
        });
      }
      const bin = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, "="));
      return Uint8Array.from(bin, (c) => c.charCodeAt(0));
    }
    case "escape": {
      const out: number[] = [];
      const bytes = utf8.encode(str);
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] !== 92) out.push(bytes[i]!);
        else if (bytes[i + 1] === 92) {
          out.push(92);
          i++;
        } else {
          const oct = String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0, bytes[i + 3] ?? 0);
          if (!/^[0-3][0-7]{2}$/.test(oct)) {
            throw new DbError(
              SqlState.invalidTextRepresentation,
              "invalid input syntax for type bytea",
            );
          }
          out.push(parseInt(oct, 8));
          i += 3;
        }
      }
      return new Uint8Array(out);
    }
  }
  throw new DbError(SqlState.invalidParameterValue, `unrecognized encoding: "${f}"`);
});
defineFunction("quote_ident", [T], T, ([s]) => quoteIdent(s as string));
defineFunction("quote_literal", [T], T, ([s]) => quoteLiteral(s as string));
defineFunction(
  "quote_literal",
  [Oid.anyelement],
  T,
  ([v], ctx, t) => quoteLiteral(outputText(t[0]!, v!, ctx)),
  { volatility: "s" },
);
defineFunction(
  "quote_nullable",
  [T],
  T,
  ([s]) => (s === null ? "NULL" : quoteLiteral(s as string)),
  { strict: false },
);
defineFunction(
  "quote_nullable",
  [Oid.anyelement],
  T,
  ([v], ctx, t) => (v === null ? "NULL" : quoteLiteral(outputText(t[0]!, v!, ctx))),
  { strict: false, volatility: "s" },
);

function regexFlags(f: string | undefined): { flags: string; global: boolean } {
  const s = f ?? "";
  return { flags: s.replace(/g/g, ""), global: s.includes("g") };
}

/** regexp_replace's replacement: \1..\9 groups, \& the match, \\ a backslash. */
function expandReplacement(rep: string, m: RegExpExecArray): string {
  return rep.replace(/\\([0-9&\\])/g, (_, c: string) => {
    if (c === "\\") return "\\";
    if (c === "&" || c === "0") return m[0];
    return m[Number(c)] ?? "";
  });
}

function regexpReplace(s: string, p: string, rep: string, flagText?: string): string {
  const { flags, global } = regexFlags(flagText);
  const re = compileRegex(p, flags, true);
  re.lastIndex = 0;
  let out = "";
  let last = 0;
  for (;;) {
    const m = re.exec(s);
    if (m === null) break;
    out += s.slice(last, m.index) + expandReplacement(rep, m);
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
    if (!global) break;
  }
  return out + s.slice(last);
}
defineFunction(
  "regexp_replace",
  [T, T, T],
  T,
  ([s, p, r]) => regexpReplace(s as string, p as string, r as string),
);
defineFunction(
  "regexp_replace",
  [T, T, T, T],
  T,
  ([s, p, r, f]) => regexpReplace(s as string, p as string, r as string, f as string),
);

function matchArray(m: RegExpExecArray): PgArray {
  return PgArray.of(m.length > 1 ? m.slice(1).map((g) => g ?? null) : [m[0]]);
}
defineFunction("regexp_match", [T, T], Oid.textArray, ([s, p]) => {
  const m = compileRegex(p as string).exec(s as string);
  return m === null ? null : matchArray(m);
});
defineFunction("regexp_match", [T, T, T], Oid.textArray, ([s, p, f]) => {
  if ((f as string).includes("g")) {
    throw new DbError(
      SqlState.invalidParameterValue,
      'regexp_match() does not support the "global" option',
      {
        hint: "Use the regexp_matches function instead.",
      },
    );
  }
  const m = compileRegex(p as string, f as string).exec(s as string);
  return m === null ? null : matchArray(m);
});

function* allMatches(s: string, p: string, flagText?: string): Generator<RegExpExecArray> {
  const { flags, global } = regexFlags(flagText);
  const re = compileRegex(p, flags, true);
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(s);
    if (m === null) return;
    yield m;
    if (!global) return;
    if (m[0].length === 0) re.lastIndex++;
  }
}
defineFunction("regexp_matches", [T, T], Oid.textArray, function* ([s, p]) {
  for (const m of allMatches(s as string, p as string)) yield [matchArray(m)];
}, { retset: true });
defineFunction("regexp_matches", [T, T, T], Oid.textArray, function* ([s, p, f]) {
  for (const m of allMatches(s as string, p as string, f as string)) yield [matchArray(m)];
}, { retset: true });

/** regexp_split_to_array: empty matches at the start, the end, or right after a match do not split. */
export function regexpSplit(s: string, p: string, flagText?: string): string[] {
  const { flags } = regexFlags(flagText);
  if (flagText?.includes("g")) {
    throw new DbError(
      SqlState.invalidParameterValue,
      'regexp_split_to_array() does not support the "global" option',
    );
  }
  const re = compileRegex(p, flags, true);
  re.lastIndex = 0;
  const out: string[] = [];
  let start = 0;
  let prevEnd = -1;
  for (;;) {
    const m = re.exec(s);
    if (m === null) break;
    const empty = m[0].length === 0;
    if (empty) re.lastIndex++;
    if (empty && (m.index === 0 || m.index >= s.length || m.index === prevEnd)) continue;
    if (m.index > s.length) break;
    out.push(s.slice(start, m.index));
    start = m.index + m[0].length;
    prevEnd = start;
  }
  out.push(s.slice(start));
  return out;
}
defineFunction(
  "regexp_split_to_array",
  [T, T],
  Oid.textArray,
  ([s, p]) => PgArray.of(regexpSplit(s as string, p as string)),
);
defineFunction(
  "regexp_split_to_array",
  [T, T, T],
  Oid.textArray,
  ([s, p, f]) => PgArray.of(regexpSplit(s as string, p as string, f as string)),
);
defineFunction("regexp_split_to_table", [T, T], T, function* ([s, p]) {
  for (const x of regexpSplit(s as string, p as string)) yield [x];
}, { retset: true });
defineFunction("regexp_split_to_table", [T, T, T], T, function* ([s, p, f]) {
  for (const x of regexpSplit(s as string, p as string, f as string)) yield [x];
}, { retset: true });
defineFunction("similar_to_escape", [T], T, ([p]) => similarToEscape(p as string));
defineFunction(
  "similar_to_escape",
  [T, T],
  T,
  ([p, e]) => similarToEscape(p as string, e as string),
);

function stringToArray(s: string | null, d: string | null, nullStr: string | null): PgArray | null {
  if (s === null) return null;
  if (s === "") return PgArray.empty;
  const parts = d === null ? chars(s) : d === "" ? [s] : s.split(d);
  return PgArray.of(parts.map((x) => (nullStr !== null && x === nullStr ? null : x)));
}
defineFunction(
  "string_to_array",
  [T, T],
  Oid.textArray,
  ([s, d]) => stringToArray(s as string | null, d as string | null, null),
  { strict: false },
);
defineFunction(
  "string_to_array",
  [T, T, T],
  Oid.textArray,
  ([s, d, n]) => stringToArray(s as string | null, d as string | null, n as string | null),
  { strict: false },
);
defineFunction("string_to_table", [T, T], T, function* ([s, d]) {
  const a = stringToArray(s as string | null, d as string | null, null);
  if (a !== null) { for (const e of a.elements) yield [e]; }
}, { strict: false, retset: true });

function arrayToString(
  a: PgArray,
  d: string,
  nullStr: string | null,
  elem: number,
  ctx: EvalContext,
): string {
  const parts: string[] = [];
  for (const e of a.elements) {
    if (e === null) {
      if (nullStr !== null) parts.push(nullStr);
    } else parts.push(textOfAny(e, elem, ctx));
  }
  return parts.join(d);
}
defineFunction(
  "array_to_string",
  [Oid.anyarray, T],
  T,
  ([a, d], ctx, t) => arrayToString(a as PgArray, d as string, null, elementOf(t[0]!), ctx),
  { volatility: "s" },
);
defineFunction("array_to_string", [Oid.anyarray, T, T], T, ([a, d, n], ctx, t) => {
  if (a === null || d === null) return null;
  return arrayToString(a as PgArray, d as string, n as string | null, elementOf(t[0]!), ctx);
}, { strict: false, volatility: "s" });
defineFunction("to_hex", [I], T, ([n]) => ((n as number) >>> 0).toString(16));
defineFunction("to_hex", [Oid.int8], T, ([n]) => BigInt.asUintN(64, n as bigint).toString(16));
defineFunction("translate", [T, T, T], T, ([s, f, t]) => {
  const from = chars(f as string);
  const to = chars(t as string);
  let out = "";
  for (const c of chars(s as string)) {
    const i = from.indexOf(c);
    if (i < 0) out += c;
    else if (i < to.length) out += to[i];
  }
  return out;
});

function overlay(s: string, r: string, start: number, count?: number): string {
  const cs = chars(s);
  const n = count ?? chars(r).length;
  if (start < 1) {
    throw new DbError(SqlState.substringError, "negative substring length not allowed");
  }
  return cs.slice(0, start - 1).join("") + r + cs.slice(start - 1 + n).join("");
}
defineFunction(
  "overlay",
  [T, T, I, I],
  T,
  ([s, r, a, b]) => overlay(s as string, r as string, a as number, b as number),
);
defineFunction(
  "overlay",
  [T, T, I],
  T,
  ([s, r, a]) => overlay(s as string, r as string, a as number),
);
