/**
 * @module The lexer: SQL text → tokens, following PostgreSQL 15's scan.l (standard_conforming_strings
 * on). A lexical error does not throw here: it ends the token list with an `error` token, and the
 * parser throws it only when it reaches that token, so an earlier syntax error wins, as in
 * PostgreSQL, whose parser pulls tokens one at a time.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { limits } from "../limits.ts";
import { type KeywordCategory, keywordCategory } from "./keywords.ts";
import { type QuotedKind, readQuoted } from "./lexer_strings.ts";

/** What a token is. Operators and punctuation are all `op`; the parser tells them apart by text. */
export type TokenType =
  | "ident"
  | "keyword"
  | "string"
  | "bitstring"
  | "integer"
  | "numeric"
  | "param"
  | "op"
  | "eof"
  | "error";

/** One token. `start`/`end` index the JS string (UTF-16); `loc` is the byte offset. */
export interface Token {
  type: TokenType;
  /**
   * ident: the name (folded, truncated); keyword: its lower-case spelling; string: the decoded
   * value; bitstring: `b0101` or `xFF`; integer/numeric: the digits; param: the number; op: the
   * operator (`!=` is `<>`).
   */
  value: string;
  start: number;
  end: number;
  loc: number;
  /** The keyword's category (keyword tokens only). */
  category?: KeywordCategory;
  /** True for a quoted identifier (`"Name"`), which is never a keyword. */
  quoted?: boolean;
  /**
   * True for the keywords PostgreSQL's lexer filter turns into NOT_LA, NULLS_LA and WITH_LA
   * (NOT before BETWEEN/IN/LIKE/ILIKE/SIMILAR, NULLS before FIRST/LAST, WITH before TIME/
   * ORDINALITY): these are never names, not even after a dot.
   */
  lookahead?: boolean;
  /** The error to throw when the parser reaches an `error` token. */
  error?: DbError;
}

const opChars = "~!@#^&|`?+-*/%<>=";
const opCharsKeepSign = "~!@#^&|`?%";

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isIdentCont(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Space, tab, newline, carriage return, form feed, vertical tab: scan.l's {space}. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** A syntax-class error at `start` (a UTF-16 index), with PostgreSQL's 1-based position. */
export function lexError(text: string, start: number, message: string): DbError {
  return new DbError(SqlState.syntaxError, message, { position: charPosition(text, start) });
}

/** The 1-based character (code point) position of UTF-16 index `index`, as PostgreSQL reports. */
export function charPosition(text: string, index: number): number {
  let n = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = text.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) continue;
    }
    n++;
  }
  return n + 1;
}

/** Lower-cases ASCII letters only, as PostgreSQL's downcase_identifier does for UTF-8. */
export function downcase(word: string): string {
  return /[A-Z]/.test(word) ? word.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : word;
}

const encoder = new TextEncoder();

/** Cuts a name to identifierBytesMax UTF-8 bytes on a character boundary (pg_mbcliplen). */
export function truncateIdentifier(name: string): string {
  if (name.length <= limits.identifierBytesMax / 4) return name;
  if (encoder.encode(name).length <= limits.identifierBytesMax) return name;
  let bytes = 0;
  let out = "";
  for (const ch of name) {
    const n = encoder.encode(ch).length;
    if (bytes + n > limits.identifierBytesMax) break;
    bytes += n;
    out += ch;
  }
  return out;
}

/** Maps UTF-16 indexes to byte offsets; the identity for ASCII text. */
function byteOffsets(text: string): (index: number) => number {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return (i) => i;
  const map = new Uint32Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = bytes;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) bytes += 2; // half of a 4-byte surrogate pair
    else if (c >= 0xdc00 && c <= 0xdfff) bytes += 2;
    else bytes += 3;
  }
  map[text.length] = bytes;
  return (i) => map[i]!;
}

/** Skips whitespace and comments from `i`; returns the next index or an error token. */
function skipSpace(text: string, i: number): number | DbError {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === 45 && text.charCodeAt(i + 1) === 45) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const start = i;
      let depth = 0;
      while (true) {
        if (i >= n) {
          return lexError(text, start, `unterminated /* comment at or near "${text.slice(start)}"`);
        }
        if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) {
          depth++;
          i += 2;
        } else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
    } else break;
  }
  return i;
}

/**
 * Splits `text` into tokens, ending with an `eof` token (or an `error` token at the first
 * lexical error).
 *
 * @example
 * tokenize("select 1").map((t) => t.value); // ["select", "1", ""]
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const toLoc = byteOffsets(text);
  const n = text.length;
  let i = 0;
  const push = (type: TokenType, value: string, start: number, end: number): void => {
    tokens.push({ type, value, start, end, loc: toLoc(start) });
  };
  const fail = (err: DbError, start: number): Token[] => {
    tokens.push({ type: "error", value: "", start, end: n, loc: toLoc(start), error: err });
    markLookahead(tokens);
    return tokens;
  };
  while (true) {
    const skipped = skipSpace(text, i);
    if (typeof skipped !== "number") {
      return fail(skipped, i);
    }
    i = skipped;
    if (i >= n) {
      push("eof", "", n, n);
      markLookahead(tokens);
      return tokens;
    }
    const start = i;
    const c = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    // Quoted things: '…', E'…', B'…', X'…', U&'…', N'…', "…", U&"…", $tag$…$tag$.
    let quoted: QuotedKind | null = null;
    if (c === 39) quoted = "string";
    else if (c === 34) quoted = "ident";
    else if ((c === 69 || c === 101) && c1 === 39) quoted = "escape";
    else if ((c === 66 || c === 98) && c1 === 39) quoted = "bit";
    else if ((c === 88 || c === 120) && c1 === 39) quoted = "hex";
    else if ((c === 78 || c === 110) && c1 === 39) quoted = "national";
    else if ((c === 85 || c === 117) && c1 === 38 && text.charCodeAt(i + 2) === 39) {
      quoted = "unicode";
    } else if ((c === 85 || c === 117) && c1 === 38 && text.charCodeAt(i + 2) === 34) {
      quoted = "unicode_ident";
    } else if (c === 36 && (c1 === 36 || isIdentStart(c1))) {
      let j = i + 1;
      while (j < n && isIdentCont(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) j++;
      if (text.charCodeAt(j) === 36) quoted = "dollar";
    }
    if (quoted !== null) {
      const r = readQuoted(text, i, quoted);
      if (r instanceof DbError) return fail(r, start);
      if (r.kind === "ident") {
        tokens.push({
          type: "ident",
          value: truncateIdentifier(r.value),
          start,
          end: r.end,
          loc: toLoc(start),
          quoted: true,
        });
      } else if (r.kind === "national") {
        // N'…' is the keyword NCHAR followed by a string, as scan.l returns it.
        tokens.push({
          type: "keyword",
          value: "nchar",
          start,
          end: start + 1,
          loc: toLoc(start),
          category: "col_name",
        });
        push("string", r.value, start + 1, r.end);
      } else push(r.kind, r.value, start, r.end);
      i = r.end;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentCont(text.charCodeAt(j))) j++;
      const word = downcase(text.slice(i, j));
      const category = keywordCategory(word);
      if (category !== undefined) {
        tokens.push({ type: "keyword", value: word, start, end: j, loc: toLoc(start), category });
      } else push("ident", truncateIdentifier(word), start, j);
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(c1))) {
      const r = readNumber(text, i);
      if (r instanceof DbError) return fail(r, start);
      push(r.type, text.slice(i, r.end), start, r.end);
      i = r.end;
      continue;
    }
    if (c === 36 && isDigit(c1)) {
      let j = i + 1;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (j < n && isIdentStart(text.charCodeAt(j))) {
        while (j < n && isIdentCont(text.charCodeAt(j))) j++;
        return fail(
          lexError(
            text,
            start,
            `trailing junk after parameter at or near "${text.slice(start, j)}"`,
          ),
          start,
        );
      }
      push("param", text.slice(i + 1, j), start, j);
      i = j;
      continue;
    }
    // Two-character specials that are not operators: :: := .. (=> <= >= <> != are operators).
    if (c === 58 && (c1 === 58 || c1 === 61)) {
      push("op", text.slice(i, i + 2), start, i + 2);
      i += 2;
      continue;
    }
    if (c === 46 && c1 === 46) {
      push("op", "..", start, i + 2);
      i += 2;
      continue;
    }
    if (opChars.includes(text[i]!)) {
      const end = readOperator(text, i);
      let op = text.slice(i, end);
      if (op === "!=") op = "<>";
      if (op.length >= limits.identifierBytesMax + 1) {
        return fail(lexError(text, start, `operator too long at or near "${op}"`), start);
      }
      push("op", op, start, end);
      i = end;
      continue;
    }
    // Self characters and anything else: the parser rejects what it does not expect.
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    push("op", ch, start, i + ch.length);
    i += ch.length;
  }
}

const lookaheadPairs: Record<string, string[]> = {
  not: ["between", "in", "like", "ilike", "similar"],
  nulls: ["first", "last"],
  with: ["time", "ordinality"],
};

/** Marks NOT_LA, NULLS_LA and WITH_LA keywords (see Token.lookahead). */
function markLookahead(tokens: Token[]): void {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    const n = tokens[i + 1]!;
    if (t.type !== "keyword" || n.type !== "keyword") continue;
    if (lookaheadPairs[t.value]?.includes(n.value)) t.lookahead = true;
  }
}

/** The end of the operator starting at `i`, after scan.l's rules on comments and trailing +/-. */
function readOperator(text: string, i: number): number {
  let j = i;
  while (j < text.length && opChars.includes(text[j]!)) {
    // An operator never contains the start of a comment.
    if (
      j > i &&
      ((text[j] === "-" && text[j - 1] === "-") || (text[j] === "*" && text[j - 1] === "/"))
    ) {
      j--;
      break;
    }
    j++;
  }
  let len = j - i;
  if (len > 1 && (text[i + len - 1] === "+" || text[i + len - 1] === "-")) {
    let keep = false;
    for (let k = i; k < i + len - 1; k++) {
      if (opCharsKeepSign.includes(text[k]!)) keep = true;
    }
    if (!keep) {
      do len--; while (len > 1 && (text[i + len - 1] === "+" || text[i + len - 1] === "-"));
    }
  }
  return i + len;
}

/** Reads an integer, decimal or real literal from `i`, with PostgreSQL 15's junk rules. */
function readNumber(
  text: string,
  i: number,
): { type: "integer" | "numeric"; end: number } | DbError {
  const n = text.length;
  const start = i;
  let j = i;
  let isInteger = true;
  while (j < n && isDigit(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) === 46 && text.charCodeAt(j + 1) !== 46) {
    isInteger = false;
    j++;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
  }
  const e = text.charCodeAt(j);
  if (e === 69 || e === 101) {
    let k = j + 1;
    const s = text.charCodeAt(k);
    if (s === 43 || s === 45) k++;
    if (isDigit(text.charCodeAt(k))) {
      isInteger = false;
      j = k;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    } else if (s === 43 || s === 45) {
      return lexError(
        text,
        start,
        `trailing junk after numeric literal at or near "${text.slice(start, k)}"`,
      );
    }
  }
  if (j < n && isIdentStart(text.charCodeAt(j))) {
    let k = j;
    while (k < n && isIdentCont(text.charCodeAt(k))) k++;
    return lexError(
      text,
      start,
      `trailing junk after numeric literal at or near "${text.slice(start, k)}"`,
    );
  }
  if (isInteger) {
    const digits = text.slice(start, j);
    if (digits.length > 10 || Number(digits) > 2147483647) return { type: "numeric", end: j };
    return { type: "integer", end: j };
  }
  return { type: "numeric", end: j };
}
