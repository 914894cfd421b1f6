/**
 * @module PgArray, the Datum of every array type (elements flat in row-major order, dimension
 * lengths and lower bounds), and array text I/O as arrayfuncs.c does it: `{1,2,NULL}`,
 * `{{1,2},{3,4}}`, `[0:1]={a,b}`, quoting and backslash escapes, `malformed array literal`.
 */
import { registerDatumClass } from "../datum.ts";
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { limits } from "../limits.ts";

/** An SQL array value: element type comes from the column type, not the value. */
export class PgArray {
  readonly elements: Datum[];
  /** Length of each dimension; [] for the empty array. */
  readonly dims: number[];
  /** Lower bound of each dimension (1 unless written `[0:1]=…`). */
  readonly lbounds: number[];

  constructor(elements: Datum[], dims?: number[], lbounds?: number[]) {
    this.elements = elements;
    this.dims = dims ?? (elements.length === 0 ? [] : [elements.length]);
    this.lbounds = lbounds ?? this.dims.map(() => 1);
  }

  get datumTag(): number {
    return 18;
  }

  /** A one-dimensional array with lower bound 1. */
  static of(elements: Datum[]): PgArray {
    return new PgArray(elements);
  }

  static readonly empty = new PgArray([]);

  get ndim(): number {
    return this.dims.length;
  }

  /** True if any element is NULL. */
  hasNull(): boolean {
    for (const e of this.elements) if (e === null) return true;
    return false;
  }
}

registerDatumClass<PgArray>({
  tag: 18,
  name: "array",
  toPlain: (a) => [a.elements, a.dims, a.lbounds] as Datum,
  fromPlain: (p) => {
    const [e, d, l] = p as [Datum[], number[], number[]];
    return new PgArray(e, d, l);
  },
});

function malformed(text: string, detail: string): DbError {
  return new DbError(SqlState.invalidTextRepresentation, `malformed array literal: "${text}"`, {
    detail,
  });
}

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\v" || c === "\f";
}

/** Maximum number of array dimensions (PostgreSQL's MAXDIM). */
export const arrayDimsMax = 6;

function tooManyDims(n: number): DbError {
  return new DbError(
    SqlState.programLimitExceeded,
    `number of array dimensions (${n}) exceeds the maximum allowed (${arrayDimsMax})`,
  );
}

/** The text of one element as parsed: its raw characters and whether it was quoted. */
interface RawElement {
  text: string;
  quoted: boolean;
}

/**
 * array_in: parses `text` with the element input function `elemIn`.
 *
 * @example
 * parseArray("{1,2,NULL}", (s) => Number(s)); // PgArray [1, 2, null]
 */
export function parseArray(text: string, elemIn: (s: string) => Datum, delim = ","): PgArray {
  let i = 0;
  const n = text.length;
  while (isSpace(text[i])) i++;
  let explicitDims: number[] | undefined;
  let explicitLbounds: number[] | undefined;
  if (text[i] === "[") {
    explicitDims = [];
    explicitLbounds = [];
    while (text[i] === "[") {
      i++;
      const m = /^\s*([+-]?\d+)\s*(?::\s*([+-]?\d+)\s*)?\]/.exec(text.slice(i));
      if (m === null) {
        if (!/^\s*[+-]?\d/.test(text.slice(i))) {
          throw malformed(text, "Missing array dimension value.");
        }
        throw malformed(text, 'Missing "]" after array dimensions.');
      }
      let lb = 1;
      let ub = Number(m[1]);
      if (m[2] !== undefined) {
        lb = Number(m[1]);
        ub = Number(m[2]);
      }
      if (ub < lb) {
        throw new DbError(
          SqlState.arraySubscriptError,
          "upper bound cannot be less than lower bound",
        );
      }
      explicitDims.push(ub - lb + 1);
      explicitLbounds.push(lb);
      if (explicitDims.length > arrayDimsMax) throw tooManyDims(explicitDims.length);
      i += m[0].length;
      while (isSpace(text[i])) i++;
    }
    if (text[i] !== "=") throw malformed(text, 'Missing "=" after array dimensions.');
    i++;
    while (isSpace(text[i])) i++;
  }
  if (text[i] !== "{") {
    throw malformed(text, 'Array value must start with "{" or dimension information.');
  }
  // Recursive descent over nested braces; `counts[d]` is the length seen at depth d.
  const raw: RawElement[] = [];
  const counts: number[] = [];
  let maxDepth = -1;
  let leafDepth = -1;
  const parseLevel = (depth: number): void => {
    if (depth >= arrayDimsMax) throw tooManyDims(depth + 1);
    i++; // past "{"
    let count = 0;
    let expectElement = true;
    for (;;) {
      while (isSpace(text[i])) i++;
      const c = text[i];
      if (c === undefined) throw malformed(text, "Unexpected end of input.");
      if (c === "}") {
        if (count > 0 && expectElement) throw malformed(text, 'Unexpected "}" character.');
        i++;
        break;
      }
      if (!expectElement) {
        if (c !== delim) throw malformed(text, `Unexpected "${c}" character.`);
        i++;
        expectElement = true;
        continue;
      }
      if (c === "{") {
        if (leafDepth >= 0 && leafDepth !== depth + 1 && leafDepth <= depth) {
          throw malformed(text, 'Unexpected "{" character.');
        }
        parseLevel(depth + 1);
      } else {
        if (leafDepth >= 0 && leafDepth !== depth) {
          throw malformed(
            text,
            "Multidimensional arrays must have sub-arrays with matching dimensions.",
          );
        }
        leafDepth = depth;
        raw.push(readElement());
      }
      count++;
      expectElement = false;
    }
    if (depth > maxDepth) maxDepth = depth;
    if (count === 0 && depth > 0) {
      throw malformed(
        text,
        "Multidimensional arrays must have sub-arrays with matching dimensions.",
      );
    }
    if (counts[depth] === undefined) counts[depth] = count;
    else if (counts[depth] !== count) {
      throw malformed(
        text,
        "Multidimensional arrays must have sub-arrays with matching dimensions.",
      );
    }
  };
  const readElement = (): RawElement => {
    let out = "";
    let quoted = false;
    let trailingSpaces = 0; // unescaped trailing whitespace of an unquoted element
    let any = false;
    while (i < n) {
      const c = text[i]!;
      if (c === "\\") {
        if (i + 1 >= n) throw malformed(text, "Unexpected end of input.");
        out += text[i + 1];
        trailingSpaces = 0;
        i += 2;
        any = true;
        continue;
      }
      if (c === '"') {
        if (any && !quoted) throw malformed(text, 'Unexpected """ character.');
        quoted = true;
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === "\\") i++;
          if (i >= n) break;
          out += text[i];
          i++;
        }
        if (i >= n) throw malformed(text, "Unexpected end of input.");
        i++;
        any = true;
        trailingSpaces = 0;
        // Only whitespace may follow a quoted element before the delimiter.
        while (isSpace(text[i])) i++;
        if (text[i] !== delim && text[i] !== "}") {
          throw malformed(text, "Incorrectly quoted array element.");
        }
        break;
      }
      if (c === delim || c === "}") break;
      if (c === "{") throw malformed(text, 'Unexpected "{" character.');
      if (isSpace(c)) trailingSpaces++;
      else trailingSpaces = 0;
      out += c;
      any = true;
      i++;
    }
    if (!any) throw malformed(text, `Unexpected "${text[i] ?? ""}" character.`);
    if (!quoted && trailingSpaces > 0) out = out.slice(0, out.length - trailingSpaces);
    return { text: out, quoted };
  };
  parseLevel(0);
  while (isSpace(text[i])) i++;
  if (i < n) throw malformed(text, "Junk after closing right brace.");
  let dims = raw.length === 0 ? [] : counts.slice(0, maxDepth + 1);
  if (raw.length > limits.arrayElementsMax) {
    throw new DbError(SqlState.programLimitExceeded, "array size exceeds the maximum allowed");
  }
  let lbounds = dims.map(() => 1);
  if (explicitDims !== undefined) {
    const same = explicitDims.length === dims.length && explicitDims.every((d, k) => d === dims[k]);
    if (!same && !(raw.length === 0 && explicitDims.length === 0)) {
      throw malformed(text, "Specified array dimensions do not match array contents.");
    }
    dims = explicitDims;
    lbounds = explicitLbounds!;
  }
  const elements: Datum[] = raw.map((r) =>
    !r.quoted && r.text.length === 4 && r.text.toUpperCase() === "NULL" ? null : elemIn(r.text)
  );
  return new PgArray(elements, dims, lbounds);
}

function needsQuote(s: string, delim: string): boolean {
  if (s.length === 0) return true;
  if (s.length === 4 && s.toUpperCase() === "NULL") return true;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "\\" || c === "{" || c === "}" || c === delim || isSpace(c)) {
      return true;
    }
  }
  return false;
}

/** Quotes one element's text as array_out does. */
export function quoteArrayElement(s: string, delim = ","): string {
  if (!needsQuote(s, delim)) return s;
  return '"' + s.replace(/(["\\])/g, "\\$1") + '"';
}

/**
 * array_out: formats `a` with the element output function `elemOut`.
 *
 * @example
 * formatArray(PgArray.of([1, null]), String); // "{1,NULL}"
 */
export function formatArray(a: PgArray, elemOut: (d: Datum) => string, delim = ","): string {
  if (a.dims.length === 0) return "{}";
  let prefix = "";
  if (a.lbounds.some((l) => l !== 1)) {
    prefix = a.dims.map((d, k) => `[${a.lbounds[k]}:${a.lbounds[k]! + d - 1}]`).join("") + "=";
  }
  let pos = 0;
  const level = (d: number): string => {
    const parts: string[] = [];
    const len = a.dims[d]!;
    for (let k = 0; k < len; k++) {
      if (d === a.dims.length - 1) {
        const e = a.elements[pos++]!;
        parts.push(e === null ? "NULL" : quoteArrayElement(elemOut(e), delim));
      } else parts.push(level(d + 1));
    }
    return "{" + parts.join(delim) + "}";
  };
  return prefix + level(0);
}
