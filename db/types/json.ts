/**
 * @module json and jsonb: one JSON parser with PostgreSQL's errors (json keeps the text verbatim
 * after validation; jsonb builds a tree whose numbers are Numeric and whose objects keep the last
 * of duplicate keys), jsonb text output (`{"a": 1, "b": [1, 2]}`), jsonb key order (shorter keys
 * first, then bytewise) and escape_json.
 */
import { registerDatumClass } from "../datum.ts";
import type { Datum, DatumObject } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { limits } from "../limits.ts";
import { Numeric } from "./numeric.ts";

/** A jsonb value: JsonbNull | boolean | string | Numeric | Jsonb[] | object. */
export type Jsonb = Datum;

/**
 * JSON's null inside jsonb. SQL NULL is JS null, so a jsonb 'null' (which IS NOT NULL in SQL)
 * needs its own value; a JS null met inside a tree is also read as JSON null.
 */
export class JsonbNull {
  get datumTag(): number {
    return 19;
  }
  toString(): string {
    return "null";
  }
}

/** The one JSON null. */
export const jsonbNull: JsonbNull = new JsonbNull();

registerDatumClass<JsonbNull>({
  tag: 19,
  name: "jsonb_null",
  toPlain: () => 0,
  fromPlain: () => jsonbNull,
});

/** True for JSON null (the sentinel, or a JS null inside a tree). */
export function isJsonNull(v: Datum): boolean {
  return v === null || v instanceof JsonbNull;
}

function syntaxError(detail: string): DbError {
  return new DbError(SqlState.invalidTextRepresentation, "invalid input syntax for type json", {
    detail,
  });
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses JSON text; `build` false only validates (json), true builds a jsonb tree. */
function parseJson(text: string, build: boolean): Jsonb {
  let i = 0;
  let depth = 0;
  const n = text.length;
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else return;
    }
  };
  const tokenAt = (): string => {
    const m = /^(?:[A-Za-z0-9_.+-]+|.)/su.exec(text.slice(i));
    return m === null ? "" : m[0];
  };
  const unexpected = (): never => {
    if (i >= n) throw syntaxError("The input string ended unexpectedly.");
    throw syntaxError(`Token "${tokenAt()}" is invalid.`);
  };
  const str = (): string => {
    i++; // opening quote
    let out = "";
    let start = i;
    for (;;) {
      if (i >= n) throw syntaxError("The input string ended unexpectedly.");
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) {
        throw syntaxError(
          `Character with value 0x${c.toString(16).padStart(2, "0")} must be escaped.`,
        );
      }
      if (c !== 92) {
        i++;
        continue;
      }
      out += text.slice(start, i);
      const e = text[i + 1];
      i += 2;
      switch (e) {
        case '"':
        case "\\":
        case "/":
          out += e;
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "u": {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            throw syntaxError('"\\u" must be followed by four hexadecimal digits.');
          }
          i += 4;
          const code = parseInt(hex, 16);
          if (code === 0 && build) {
            throw new DbError(
              SqlState.untranslatableCharacter,
              "unsupported Unicode escape sequence",
              {
                detail: "\\u0000 cannot be converted to text.",
              },
            );
          }
          if (code >= 0xd800 && code <= 0xdbff) {
            const m = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(text.slice(i, i + 6));
            if (m === null) {
              throw new DbError(
                SqlState.invalidTextRepresentation,
                "invalid input syntax for type json",
                {
                  detail: "Unicode high surrogate must not be followed by another high surrogate.",
                },
              );
            }
            out += String.fromCharCode(code, parseInt(m[1]!, 16));
            i += 6;
          } else if (code >= 0xdc00 && code <= 0xdfff) {
            throw new DbError(
              SqlState.invalidTextRepresentation,
              "invalid input syntax for type json",
              {
                detail: "Unicode low surrogate must follow a high surrogate.",
              },
            );
          } else out += String.fromCharCode(code);
          break;
        }
        default:
          if (e === undefined) throw syntaxError("The input string ended unexpectedly.");
          throw syntaxError(`Escape sequence "\\${e}" is invalid.`);
      }
      start = i;
    }
  };
  const value = (): Jsonb => {
    ws();
    const c = text[i];
    if (c === "{") {
      if (++depth > limits.jsonDepthMax) throw stackDepth();
      i++;
      const obj: DatumObject = Object.create(null);
      ws();
      if (text[i] === "}") {
        i++;
        depth--;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') unexpected();
        const key = str();
        ws();
        if (text[i] !== ":") unexpected();
        i++;
        const v = value();
        if (build) {
          // Last duplicate wins, and it takes the position of the last one: delete first.
          delete obj[key];
          obj[key] = v;
        }
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          depth--;
          return obj;
        }
        unexpected();
      }
    }
    if (c === "[") {
      if (++depth > limits.jsonDepthMax) throw stackDepth();
      i++;
      const arr: Jsonb[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        depth--;
        return arr;
      }
      for (;;) {
        const v = value();
        if (build) arr.push(v);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          depth--;
          return arr;
        }
        unexpected();
      }
    }
    if (c === '"') return str();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      numberPattern.lastIndex = i;
      const m = numberPattern.exec(text);
      if (m === null) return unexpected();
      const after = text[i + m[0].length];
      if (after !== undefined && /[A-Za-z0-9_.]/.test(after)) return unexpected();
      i += m[0].length;
      return build ? Numeric.parse(m[0]) : null;
    }
    for (const [word, v] of [["true", true], ["false", false], ["null", jsonbNull]] as const) {
      if (text.startsWith(word, i) && !/[A-Za-z0-9_]/.test(text[i + word.length] ?? "")) {
        i += word.length;
        return v;
      }
    }
    return unexpected();
  };
  const v = value();
  ws();
  if (i < n) unexpected();
  return v;
}

function stackDepth(): DbError {
  return new DbError(SqlState.statementTooComplex, "stack depth limit exceeded");
}

/** json_in: validates and returns the text unchanged. */
export function parseJsonText(text: string): string {
  parseJson(text, false);
  return text;
}

/** jsonb_in: parses into a jsonb tree. */
export function parseJsonb(text: string): Jsonb {
  return parseJson(text, true);
}

/** Compares strings by Unicode code point (= UTF-8 byte order; the C collation). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // UTF-16 order differs from code point order only for surrogates vs U+E000..U+FFFF.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys && (x >= 0xe000 || y >= 0xe000)) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** jsonb's key order: shorter (in bytes) first, then bytewise. */
export function compareJsonbKeys(a: string, b: string): number {
  const la = utf8Length(a);
  const lb = utf8Length(b);
  if (la !== lb) return la < lb ? -1 : 1;
  return compareCodePoints(a, b);
}

/** The keys of a jsonb object in jsonb order (JS orders integer-like keys first, so sort). */
export function jsonbKeys(obj: DatumObject): string[] {
  return Object.keys(obj).sort(compareJsonbKeys);
}

/** True for a jsonb object (not an array, Numeric or other class). */
export function isJsonbObject(v: Jsonb): v is DatumObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Numeric) &&
    !(v instanceof Uint8Array) && Object.getPrototypeOf(v) === null;
}

/** escape_json: a JSON string literal as PostgreSQL writes it. */
export function escapeJson(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      switch (c) {
        case 8:
          rep = "\\b";
          break;
        case 12:
          rep = "\\f";
          break;
        case 10:
          rep = "\\n";
          break;
        case 13:
          rep = "\\r";
          break;
        case 9:
          rep = "\\t";
          break;
        default:
          rep = "\\u" + c.toString(16).padStart(4, "0");
      }
    } else if (c === 34) rep = '\\"';
    else if (c === 92) rep = "\\\\";
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** jsonb_out (and jsonb_pretty when `indent` is true). */
export function formatJsonb(v: Jsonb, indent = false, level = 0): string {
  if (v === null || v instanceof JsonbNull) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return escapeJson(v);
  if (v instanceof Numeric) return v.toString();
  const pad = (k: number) => "\n" + "    ".repeat(k);
  if (Array.isArray(v)) {
    if (v.length === 0) {
      return indent && level > 0 ? "[" + pad(level) + "]" : indent ? "[\n]" : "[]";
    }
    const parts = v.map((e) => formatJsonb(e, indent, level + 1));
    return indent
      ? "[" + parts.map((p) => pad(level + 1) + p).join(",") + pad(level) + "]"
      : "[" + parts.join(", ") + "]";
  }
  if (isJsonbObject(v)) {
    const keys = jsonbKeys(v);
    if (keys.length === 0) {
      return indent && level > 0 ? "{" + pad(level) + "}" : indent ? "{\n}" : "{}";
    }
    const parts = keys.map((k) => escapeJson(k) + ": " + formatJsonb(v[k]!, indent, level + 1));
    return indent
      ? "{" + parts.map((p) => pad(level + 1) + p).join(",") + pad(level) + "}"
      : "{" + parts.join(", ") + "}";
  }
  return escapeJson(String(v));
}

/** The jsonb type name of a value (jsonb_typeof). */
export function jsonbTypeof(v: Jsonb): string {
  if (v === null || v instanceof JsonbNull) return "null";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return "string";
  if (v instanceof Numeric) return "number";
  if (Array.isArray(v)) return "array";
  return "object";
}

function typeRank(v: Jsonb): number {
  // PostgreSQL: Object > Array > Boolean > Number > String > Null.
  if (v === null || v instanceof JsonbNull) return 0;
  if (typeof v === "string") return 1;
  if (v instanceof Numeric) return 2;
  if (typeof v === "boolean") return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/** jsonb ordering (btree jsonb_ops), as documented in "jsonb Indexing". */
export function compareJsonb(a: Jsonb, b: Jsonb, top = true): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) {
    // An empty top-level array sorts below null (PostgreSQL's documented exception).
    if (top && ra === 4 && (a as Jsonb[]).length === 0) return -1;
    if (top && rb === 4 && (b as Jsonb[]).length === 0) return 1;
    return ra < rb ? -1 : 1;
  }
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return compareCodePoints(a as string, b as string);
    case 2:
      return (a as Numeric).compare(b as Numeric);
    case 3:
      return a === b ? 0 : a ? 1 : -1;
    case 4: {
      const x = a as Jsonb[];
      const y = b as Jsonb[];
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      for (let k = 0; k < x.length; k++) {
        const c = compareJsonb(x[k]!, y[k]!, false);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
  const x = a as DatumObject;
  const y = b as DatumObject;
  const kx = jsonbKeys(x);
  const ky = jsonbKeys(y);
  if (kx.length !== ky.length) return kx.length < ky.length ? -1 : 1;
  // Pairs are visited in storage order, but two keys compare as text (compareJsonbContainers).
  for (let k = 0; k < kx.length; k++) {
    const c = compareCodePoints(kx[k]!, ky[k]!);
    if (c !== 0) return c;
    const d = compareJsonb(x[kx[k]!]!, y[ky[k]!]!, false);
    if (d !== 0) return d;
  }
  return 0;
}
