/**
 * @module More string and bytea functions: get_byte/set_byte, convert_to/convert_from (UTF8 and
 * SQL_ASCII/LATIN1), regexp_count, regexp_instr, regexp_substr and regexp_like — with
 * PostgreSQL's argument checks and errors.
 */
import { DbError, SqlState } from "../../sqlstate.ts";
import { Numeric } from "../numeric.ts";
import { Oid } from "../oids.ts";
import { compileRegex } from "../regex.ts";
import { defineFunction } from "./registry.ts";

const T = Oid.text;
const I = Oid.int4;
const B = Oid.bytea;

function byteIndex(b: Uint8Array, n: number): number {
  if (n < 0 || n >= b.length) {
    throw new DbError(
      SqlState.arraySubscriptError,
      `index ${n} out of valid range, 0..${b.length - 1}`,
    );
  }
  return n;
}
defineFunction("get_byte", [B, I], I, ([b, n]) => {
  const bytes = b as Uint8Array;
  return bytes[byteIndex(bytes, n as number)]!;
});
defineFunction("set_byte", [B, I, I], B, ([b, n, v]) => {
  const out = new Uint8Array(b as Uint8Array);
  out[byteIndex(out, n as number)] = (v as number) & 0xff;
  return out;
});

/** The canonical name of a supported encoding, or an error as PostgreSQL raises it. */
function encodingName(name: string): string {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (key === "utf8" || key === "unicode") return "UTF8";
  if (key === "sqlascii") return "SQL_ASCII";
  if (key === "latin1" || key === "iso88591") return "LATIN1";
  throw new DbError(SqlState.invalidParameterValue, `invalid encoding name "${name}"`);
}
const utf8 = new TextEncoder();
defineFunction("convert_to", [T, Oid.name], B, ([s, e]) => {
  const enc = encodingName(e as string);
  const str = s as string;
  if (enc !== "LATIN1") return utf8.encode(str);
  const out: number[] = [];
  for (const c of str) {
    const cp = c.codePointAt(0)!;
    if (cp > 0xff) {
      throw new DbError(
        SqlState.untranslatableCharacter,
        `character with byte sequence ${
          [...utf8.encode(c)].map((x) => "0x" + x.toString(16).padStart(2, "0")).join(" ")
        } in encoding "UTF8" has no equivalent in encoding "LATIN1"`,
      );
    }
    out.push(cp);
  }
  return new Uint8Array(out);
});
defineFunction("convert_from", [B, Oid.name], T, ([b, e]) => {
  const enc = encodingName(e as string);
  const bytes = b as Uint8Array;
  if (enc === "LATIN1") return String.fromCharCode(...bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new DbError(
      SqlState.characterNotInRepertoire,
      `invalid byte sequence for encoding "UTF8"`,
    );
  }
});

function checkStart(start: number): void {
  if (start <= 0) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `invalid value for parameter "start": ${start}`,
    );
  }
}
function checkPositive(name: string, v: number): void {
  if (v <= 0) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `invalid value for parameter "${name}": ${v}`,
    );
  }
}

interface CharMatch {
  /** 1-based character position of the match start. */
  start: number;
  /** 1-based character position just after the match. */
  end: number;
  m: RegExpExecArray;
}

/** Every match of `p` in `s` from character position `start` (global, non-overlapping). */
function matchesFrom(s: string, p: string, start: number, flags: string): CharMatch[] {
  checkStart(start);
  if (flags.includes("g")) {
    throw new DbError(
      SqlState.invalidParameterValue,
      'regexp functions do not support the "global" option',
    );
  }
  const cs = [...s];
  const prefix = cs.slice(0, start - 1).join("");
  const rest = cs.slice(start - 1).join("");
  const re = compileRegex(p, flags, true);
  re.lastIndex = 0;
  const out: CharMatch[] = [];
  const base = [...prefix].length;
  for (;;) {
    const m = re.exec(rest);
    if (m === null) break;
    const st = base + [...rest.slice(0, m.index)].length + 1;
    out.push({ start: st, end: st + [...m[0]].length, m });
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

defineFunction(
  "regexp_count",
  [T, T],
  I,
  ([s, p]) => matchesFrom(s as string, p as string, 1, "").length,
);
defineFunction(
  "regexp_count",
  [T, T, I],
  I,
  ([s, p, st]) => matchesFrom(s as string, p as string, st as number, "").length,
);
defineFunction(
  "regexp_count",
  [T, T, I, T],
  I,
  ([s, p, st, f]) => matchesFrom(s as string, p as string, st as number, f as string).length,
);

function subexprRange(c: CharMatch, sub: number): [number, number] | null {
  if (sub === 0) return [c.start, c.end];
  const g = c.m[sub];
  if (g === undefined) return null;
  // Find the group's offset inside the match: JS gives no indices without the d flag, so search.
  const within = c.m[0].indexOf(g);
  if (within < 0) return null;
  const st = c.start + [...c.m[0].slice(0, within)].length;
  return [st, st + [...g].length];
}

function regexpInstr(args: (number | string)[]): number {
  const [s, p, start = 1, n = 1, endOpt = 0, flags = "", sub = 0] = args as [
    string,
    string,
    number?,
    number?,
    number?,
    string?,
    number?,
  ];
  checkPositive("n", n);
  if (endOpt !== 0 && endOpt !== 1) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `invalid value for parameter "endoption": ${endOpt}`,
    );
  }
  if (sub < 0) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `invalid value for parameter "subexpr": ${sub}`,
    );
  }
  const all = matchesFrom(s, p, start, flags);
  const c = all[n - 1];
  if (c === undefined) return 0;
  const r = subexprRange(c, sub);
  if (r === null) return 0;
  return endOpt === 1 ? r[1] : r[0];
}
const instrTypes = [T, T, I, I, I, T, I];
for (let k = 2; k <= instrTypes.length; k++) {
  defineFunction(
    "regexp_instr",
    instrTypes.slice(0, k),
    I,
    (args) => regexpInstr(args as (number | string)[]),
  );
}

function regexpSubstr(args: (number | string)[]): string | null {
  const [s, p, start = 1, n = 1, flags = "", sub = 0] = args as [
    string,
    string,
    number?,
    number?,
    string?,
    number?,
  ];
  checkPositive("n", n);
  if (sub < 0) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `invalid value for parameter "subexpr": ${sub}`,
    );
  }
  const c = matchesFrom(s, p, start, flags)[n - 1];
  if (c === undefined) return null;
  if (sub === 0) return c.m[0];
  return c.m[sub] ?? null;
}
const substrTypes = [T, T, I, I, T, I];
for (let k = 2; k <= substrTypes.length; k++) {
  defineFunction(
    "regexp_substr",
    substrTypes.slice(0, k),
    T,
    (args) => regexpSubstr(args as (number | string)[]),
  );
}

defineFunction(
  "regexp_like",
  [T, T],
  Oid.bool,
  ([s, p]) => compileRegex(p as string).test(s as string),
);
defineFunction(
  "regexp_like",
  [T, T, T],
  Oid.bool,
  ([s, p, f]) => matchesFrom(s as string, p as string, 1, f as string).length > 0,
);

/**
 * to_number(text, format): the digits of the input read against the format's digit positions;
 * the result's scale is the number of digit positions after the format's decimal point.
 */
function toNumber(input: string, format: string): Numeric {
  const f = format.toUpperCase().replace(/^FM/, "");
  const dot = f.search(/[.D]/);
  const post = dot < 0 ? 0 : (f.slice(dot + 1).match(/[90]/g) ?? []).length;
  let neg = false;
  let intPart = "";
  let frac = "";
  let inFrac = false;
  for (const c of input) {
    if (c >= "0" && c <= "9") {
      if (inFrac) {
        if (frac.length < post) frac += c;
      } else intPart += c;
    } else if (c === "." && dot >= 0) inFrac = true;
    else if (c === "-" || c === "(" || c === "<") neg = true;
  }
  if (intPart === "" && frac === "") {
    throw new DbError(
      SqlState.invalidTextRepresentation,
      `invalid input syntax for type numeric: " "`,
    );
  }
  const text = (neg ? "-" : "") + (intPart || "0") + (post > 0 ? "." + frac.padEnd(post, "0") : "");
  return Numeric.parse(text);
}
defineFunction("to_number", [T, T], Oid.numeric, ([s, f]) => toNumber(s as string, f as string), {
  volatility: "s",
});
