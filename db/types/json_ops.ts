/**
 * @module jsonb and json operations shared by the operators and functions: field and element
 * access (negative indexes from the end), paths, containment (@>), existence (? ?| ?&),
 * concatenation (||), deletion (- #-), jsonb_set/jsonb_insert, and json (text) extraction that
 * returns the original text of a sub-value, as PostgreSQL's json operators do.
 */
import type { Datum, DatumObject } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { PgArray } from "./array.ts";
import {
  compareJsonb,
  formatJsonb,
  isJsonbObject,
  isJsonNull,
  type Jsonb,
  jsonbKeys,
  jsonbTypeof,
  parseJsonText,
} from "./json.ts";
import { Numeric } from "./numeric.ts";

function newObject(): DatumObject {
  return Object.create(null);
}

/** `jsonb -> text`: the field, or undefined (SQL NULL). */
export function jsonbField(v: Jsonb, key: string): Jsonb | undefined {
  if (!isJsonbObject(v)) return undefined;
  return Object.prototype.hasOwnProperty.call(v, key) ? v[key]! : undefined;
}

/** `jsonb -> int`: the element (negative counts from the end), or undefined. */
export function jsonbElement(v: Jsonb, index: number): Jsonb | undefined {
  // A raw scalar is stored as a one-element array in PostgreSQL, so [0] and [-1] reach it.
  if (!Array.isArray(v)) return !isJsonbObject(v) && (index === 0 || index === -1) ? v : undefined;
  const i = index < 0 ? v.length + index : index;
  return i >= 0 && i < v.length ? v[i]! : undefined;
}

/** `jsonb #> text[]`. */
export function jsonbPath(v: Jsonb, path: (string | null)[]): Jsonb | undefined {
  let cur: Jsonb | undefined = v;
  for (const step of path) {
    if (cur === undefined || step === null) return undefined;
    if (isJsonbObject(cur)) cur = jsonbField(cur, step);
    else if (Array.isArray(cur)) {
      if (!/^\s*[+-]?\d+\s*$/.test(step)) return undefined;
      cur = jsonbElement(cur, Number(step));
    } else return undefined;
  }
  return cur;
}

/** `->>`-style text of a jsonb value: strings unquoted, JSON null as SQL NULL. */
export function jsonbText(v: Jsonb | undefined): string | null {
  if (v === undefined || isJsonNull(v)) return null;
  if (typeof v === "string") return v;
  return formatJsonb(v);
}

function isScalar(v: Jsonb): boolean {
  return !Array.isArray(v) && !isJsonbObject(v);
}

/** JsonbDeepContains: `a @> b`. */
export function jsonbContains(a: Jsonb, b: Jsonb, top = true): boolean {
  if (isJsonbObject(a) && isJsonbObject(b)) {
    for (const k of Object.keys(b)) {
      if (!Object.prototype.hasOwnProperty.call(a, k)) return false;
      if (!jsonbContains(a[k]!, b[k]!, false)) return false;
    }
    return true;
  }
  if (Array.isArray(a)) {
    if (Array.isArray(b)) {
      return b.every((y) =>
        a.some((x) => (isScalar(y) ? isScalar(x) && sameScalar(x, y) : jsonbContains(x, y, false)))
      );
    }
    if (top && isScalar(b)) return a.some((x) => isScalar(x) && sameScalar(x, b));
    return false;
  }
  if (isScalar(a) && isScalar(b)) return sameScalar(a, b);
  return false;
}

function sameScalar(a: Jsonb, b: Jsonb): boolean {
  return jsonbTypeof(a) === jsonbTypeof(b) && compareJsonb(a, b) === 0;
}

/** `jsonb ? text`: a key of an object, a string element of an array, or an equal string. */
export function jsonbExists(v: Jsonb, key: string): boolean {
  if (isJsonbObject(v)) return Object.prototype.hasOwnProperty.call(v, key);
  if (Array.isArray(v)) return v.some((e) => e === key);
  return v === key;
}

/** `jsonb || jsonb`. */
export function jsonbConcat(a: Jsonb, b: Jsonb): Jsonb {
  if (isJsonbObject(a) && isJsonbObject(b)) {
    const out = newObject();
    for (const k of jsonbKeys(a)) out[k] = a[k]!;
    for (const k of jsonbKeys(b)) {
      delete out[k];
      out[k] = b[k]!;
    }
    return out;
  }
  const left = Array.isArray(a) ? a : [a];
  const right = Array.isArray(b) ? b : [b];
  return [...left, ...right];
}

function cannotDelete(what: string): DbError {
  return new DbError(SqlState.invalidParameterValue, what);
}

/** `jsonb - text` / `jsonb - text[]`. */
export function jsonbDeleteKeys(v: Jsonb, keys: string[]): Jsonb {
  if (isJsonbObject(v)) {
    const out = newObject();
    for (const k of jsonbKeys(v)) if (!keys.includes(k)) out[k] = v[k]!;
    return out;
  }
  if (Array.isArray(v)) return v.filter((e) => !(typeof e === "string" && keys.includes(e)));
  throw cannotDelete("cannot delete from scalar");
}

/** `jsonb - int`. */
export function jsonbDeleteIndex(v: Jsonb, index: number): Jsonb {
  if (isJsonbObject(v)) throw cannotDelete("cannot delete from object using integer index");
  if (!Array.isArray(v)) throw cannotDelete("cannot delete from scalar");
  const i = index < 0 ? v.length + index : index;
  return v.filter((_, k) => k !== i);
}

/** `jsonb #- text[]`. */
export function jsonbDeletePath(v: Jsonb, path: (string | null)[]): Jsonb {
  if (isScalar(v)) throw cannotDelete("cannot delete path in scalar");
  if (path.length === 0) return v;
  const head = path[0]!;
  const rest = path.slice(1);
  if (head === null) {
    throw new DbError(SqlState.nullValueNotAllowed, "path element at position 1 is null");
  }
  if (isJsonbObject(v)) {
    if (!Object.prototype.hasOwnProperty.call(v, head)) return v;
    const out = newObject();
    for (const k of jsonbKeys(v)) {
      if (k !== head) out[k] = v[k]!;
      else if (rest.length > 0) out[k] = isScalar(v[k]!) ? v[k]! : jsonbDeletePath(v[k]!, rest);
    }
    return out;
  }
  const arr = v as Jsonb[];
  if (!/^\s*[+-]?\d+\s*$/.test(head)) {
    throw new DbError(
      SqlState.invalidTextRepresentation,
      `path element at position 1 is not an integer: "${head}"`,
    );
  }
  let i = Number(head);
  if (i < 0) i += arr.length;
  if (i < 0 || i >= arr.length) return v;
  if (rest.length === 0) return arr.filter((_, k) => k !== i);
  return arr.map((e, k) => (k === i && !isScalar(e) ? jsonbDeletePath(e, rest) : e));
}

/** jsonb_set / jsonb_insert: replace (or insert before/after) at `path`. */
export function jsonbSetPath(
  v: Jsonb,
  path: (string | null)[],
  value: Jsonb,
  opts: { create: boolean; insert?: "before" | "after" },
  depth = 0,
): Jsonb {
  if (isScalar(v)) {
    throw new DbError(
      SqlState.invalidParameterValue,
      opts.insert ? "cannot set path in scalar" : "cannot set path in scalar",
    );
  }
  const step = path[depth];
  if (step === undefined) return v;
  if (step === null) {
    throw new DbError(
      SqlState.nullValueNotAllowed,
      `path element at position ${depth + 1} is null`,
    );
  }
  const last = depth === path.length - 1;
  if (isJsonbObject(v)) {
    const out = newObject();
    const has = Object.prototype.hasOwnProperty.call(v, step);
    if (last && has && opts.insert) {
      throw new DbError(SqlState.invalidParameterValue, "cannot replace existing key", {
        hint: "Try using the function jsonb_set to replace key value.",
      });
    }
    for (const k of jsonbKeys(v)) {
      if (k !== step) out[k] = v[k]!;
      else if (last) out[k] = value;
      else out[k] = isScalar(v[k]!) ? v[k]! : jsonbSetPath(v[k]!, path, value, opts, depth + 1);
    }
    if (!has && last && (opts.create || opts.insert)) out[step] = value;
    return out;
  }
  const arr = [...(v as Jsonb[])];
  if (!/^\s*[+-]?\d+\s*$/.test(step)) {
    throw new DbError(
      SqlState.invalidTextRepresentation,
      `path element at position ${depth + 1} is not an integer: "${step}"`,
    );
  }
  let i = Number(step);
  if (i < 0) i += arr.length;
  if (last) {
    if (opts.insert !== undefined) {
      let at = i < 0 ? 0 : i > arr.length ? arr.length : i;
      if (opts.insert === "after" && i >= 0 && i < arr.length) at = i + 1;
      arr.splice(at, 0, value);
      return arr;
    }
    if (i >= 0 && i < arr.length) arr[i] = value;
    else if (opts.create) {
      if (i < 0) arr.unshift(value);
      else arr.push(value);
    }
    return arr;
  }
  if (i >= 0 && i < arr.length && !isScalar(arr[i]!)) {
    arr[i] = jsonbSetPath(arr[i]!, path, value, opts, depth + 1);
  }
  return arr;
}

/** jsonb_strip_nulls. */
export function jsonbStripNulls(v: Jsonb): Jsonb {
  if (isJsonbObject(v)) {
    const out = newObject();
    for (const k of jsonbKeys(v)) if (!isJsonNull(v[k]!)) out[k] = jsonbStripNulls(v[k]!);
    return out;
  }
  if (Array.isArray(v)) return v.map(jsonbStripNulls);
  return v;
}

/** A text[] Datum's elements as path steps. */
export function pathOf(a: Datum): (string | null)[] {
  return (a as PgArray).elements as (string | null)[];
}

// ---- json (text) extraction ------------------------------------------------------------------

interface Span {
  start: number;
  end: number;
  kind: "object" | "array" | "string" | "number" | "literal";
  items?: Span[];
  fields?: [string, Span][];
}

/** Parses json text into spans over the original text (input already validated). */
function spans(text: string): Span {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i).replace(/\\u0000/g, "\\u0000"));
  };
  const value = (): Span => {
    ws();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++;
      const fields: [string, Span][] = [];
      ws();
      if (text[i] === "}") i++;
      else {
        for (;;) {
          ws();
          const k = str();
          ws();
          i++; // ':'
          fields.push([k, value()]);
          ws();
          if (text[i++] === "}") break;
        }
      }
      return { start, end: i, kind: "object", fields };
    }
    if (c === "[") {
      i++;
      const items: Span[] = [];
      ws();
      if (text[i] === "]") i++;
      else {
        for (;;) {
          items.push(value());
          ws();
          if (text[i++] === "]") break;
        }
      }
      return { start, end: i, kind: "array", items };
    }
    if (c === '"') {
      str();
      return { start, end: i, kind: "string" };
    }
    while (i < text.length && !" \t\n\r,]}".includes(text[i]!)) i++;
    return { start, end: i, kind: /^[-\d]/.test(text.slice(start, i)) ? "number" : "literal" };
  };
  return value();
}

/** json `->` / `#>` steps: field names (strings) and element indexes (numbers). */
export function jsonExtract(text: string, steps: (string | number | null)[]): string | undefined {
  parseJsonText(text);
  let s: Span | undefined = spans(text);
  for (const step of steps) {
    if (s === undefined || step === null) return undefined;
    if (typeof step === "number" || (s.kind === "array" && /^\s*[+-]?\d+\s*$/.test(step))) {
      if (s.kind !== "array") return undefined;
      const n = Number(step);
      const idx: number = n < 0 ? s.items!.length + n : n;
      s = s.items![idx];
    } else if (s.kind === "object") {
      // json keeps duplicate keys; PostgreSQL's -> returns the last one.
      const hits = s.fields!.filter(([k]) => k === step);
      s = hits.length > 0 ? hits[hits.length - 1]![1] : undefined;
    } else return undefined;
  }
  return s === undefined ? undefined : text.slice(s.start, s.end);
}

/** json_each: an object's members in text order (duplicates kept) as [key, value text]. */
export function jsonMembers(text: string): [string, string][] | undefined {
  parseJsonText(text);
  const s = spans(text);
  if (s.kind !== "object") return undefined;
  return s.fields!.map(([k, v]) => [k, text.slice(v.start, v.end)]);
}

/** json `->>`: strings unquoted, null as SQL NULL. */
export function jsonExtractText(text: string, steps: (string | number | null)[]): string | null {
  const sub = jsonExtract(text, steps);
  if (sub === undefined || sub === "null") return null;
  if (sub.startsWith('"')) return JSON.parse(sub) as string;
  return sub;
}

/** The jsonb number for a JS number (to_jsonb of ints and floats). */
export function jsonbNumber(v: number | bigint): Numeric {
  return Numeric.parse(typeof v === "bigint" ? v.toString() : String(v));
}
