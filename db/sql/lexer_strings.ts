/**
 * @module Quoted tokens of the lexer: '…' (standard_conforming_strings on), E'…' with backslash
 * escapes, U&'…' [UESCAPE 'c'], B'…', X'…', N'…', "identifiers", U&"identifiers" and
 * $tag$dollar quotes$tag$, with scan.l's rule that two string pieces separated by whitespace that
 * holds a newline are one string.
 */
import { DbError, SqlState, type SqlStateCode } from "../sqlstate.ts";
import { isSpace, lexError } from "./lexer.ts";

/** Which quoted form starts at the lexer's position. */
export type QuotedKind =
  | "string"
  | "escape"
  | "bit"
  | "hex"
  | "national"
  | "unicode"
  | "ident"
  | "unicode_ident"
  | "dollar";

/** A quoted token read: its kind of token, decoded value and end index. */
export interface Quoted {
  kind: "string" | "bitstring" | "ident" | "national";
  value: string;
  end: number;
}

/** Reads the body of a '…' string from `i` (just after the opening quote) to its closing quote. */
function readBody(
  text: string,
  i: number,
  backslash: boolean,
): { body: string; end: number } | null {
  let out = "";
  let from = i;
  while (true) {
    if (i >= text.length) return null;
    const c = text.charCodeAt(i);
    if (backslash && c === 92) {
      i += 2;
      continue;
    }
    if (c === 39) {
      if (text.charCodeAt(i + 1) === 39) {
        out += text.slice(from, i + 1);
        i += 2;
        from = i;
        continue;
      }
      out += text.slice(from, i);
      return { body: out, end: i + 1 };
    }
    i++;
  }
}

/** After a closing quote at `end`: the index just past the next opening quote, if the string goes on. */
function continuation(text: string, end: number): number | null {
  let i = end;
  let newline = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      newline = true;
      i++;
    } else if (isSpace(c)) i++;
    else if (c === 45 && text.charCodeAt(i + 1) === 45) {
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else break;
  }
  if (newline && text.charCodeAt(i) === 39) return i + 1;
  return null;
}

/** Reads a quoted string made of one or more continued pieces. */
function readPieces(
  text: string,
  i: number,
  backslash: boolean,
): { body: string[]; end: number } | null {
  const body: string[] = [];
  while (true) {
    const r = readBody(text, i, backslash);
    if (r === null) return null;
    body.push(r.body);
    const next = continuation(text, r.end);
    if (next === null) return { body, end: r.end };
    i = next;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function invalidUnicode(text: string, at: number, code: SqlStateCode, hint: string): DbError {
  const e = lexError(text, at, "invalid Unicode escape");
  return new DbError(code, e.message, { position: e.fields.position, hint });
}

/** Decodes E'…' backslash escapes (scan.l's xe rules). */
function decodeEscapes(text: string, body: string, at: number): string | DbError {
  const bytes: number[] = [];
  let out = "";
  const flush = (): DbError | null => {
    if (bytes.length === 0) return null;
    try {
      out += utf8.decode(new Uint8Array(bytes));
    } catch {
      const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join(" 0x");
      return new DbError(
        SqlState.characterNotInRepertoire,
        `invalid byte sequence for encoding "UTF8": 0x${hex}`,
      );
    }
    bytes.length = 0;
    return null;
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "\\") {
      const e = flush();
      if (e) return e;
      out += ch;
      continue;
    }
    const nx = body[i + 1] ?? "";
    let m: RegExpMatchArray | null;
    if ((m = body.slice(i + 1, i + 4).match(/^[0-7]{1,3}/)) !== null) {
      bytes.push(parseInt(m[0], 8) & 0xff);
      i += m[0].length;
    } else if ((m = body.slice(i + 1, i + 4).match(/^x[0-9A-Fa-f]{1,2}/)) !== null) {
      bytes.push(parseInt(m[0].slice(1), 16));
      i += m[0].length;
    } else if (nx === "u" || nx === "U") {
      const len = nx === "u" ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) {
        return invalidUnicode(
          text,
          at + i,
          SqlState.invalidEscapeSequence,
          "Unicode escapes must be \\uXXXX or \\UXXXXXXXX.",
        );
      }
      const e = flush();
      if (e) return e;
      let cp = parseInt(hex, 16);
      i += 1 + len;
      if (cp >= 0xd800 && cp <= 0xdbff) {
        const low = body.slice(i + 1, i + 7).match(/^\\u([dD][c-fC-F][0-9A-Fa-f]{2})/);
        if (low === null) {
          return invalidUnicode(
            text,
            at + i,
            SqlState.invalidEscapeSequence,
            "Unicode escapes must be \\uXXXX or \\UXXXXXXXX.",
          );
        }
        cp = 0x10000 + ((cp - 0xd800) << 10) + (parseInt(low[1]!, 16) - 0xdc00);
        i += 6;
      }
      if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return invalidUnicode(
          text,
          at + i,
          SqlState.invalidEscapeSequence,
          "Unicode escapes must be \\uXXXX or \\UXXXXXXXX.",
        );
      }
      out += String.fromCodePoint(cp);
    } else {
      const e = flush();
      if (e) return e;
      const map: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      out += map[nx] ?? nx;
      i += 1;
    }
  }
  const e = flush();
  if (e) return e;
  if (out.includes("\0")) {
    return new DbError(
      SqlState.characterNotInRepertoire,
      `invalid byte sequence for encoding "UTF8": 0x00`,
    );
  }
  return out;
}

/** Decodes U&'…' escapes with escape character `esc`. */
function decodeUnicode(text: string, body: string, esc: string, at: number): string | DbError {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== esc) {
      out += ch;
      continue;
    }
    if (body[i + 1] === esc) {
      out += esc;
      i++;
      continue;
    }
    let hex: string;
    if (body[i + 1] === "+") {
      hex = body.slice(i + 2, i + 8);
      if (!/^[0-9A-Fa-f]{6}$/.test(hex)) {
        return invalidUnicode(
          text,
          at + i,
          SqlState.syntaxError,
          "Unicode escapes must be \\XXXX or \\+XXXXXX.",
        );
      }
      i += 7;
    } else {
      hex = body.slice(i + 1, i + 5);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
        return invalidUnicode(
          text,
          at + i,
          SqlState.syntaxError,
          "Unicode escapes must be \\XXXX or \\+XXXXXX.",
        );
      }
      i += 4;
    }
    const cp = parseInt(hex, 16);
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return invalidUnicode(
        text,
        at + i,
        SqlState.syntaxError,
        "Unicode escapes must be \\XXXX or \\+XXXXXX.",
      );
    }
    out += String.fromCodePoint(cp);
  }
  return out;
}

/** An optional `UESCAPE 'c'` after a U& token ending at `end`: the escape character and new end. */
function readUescape(text: string, end: number): { esc: string; end: number } | DbError {
  const m = /^(?:\s|--[^\n\r]*)*uescape(?![A-Za-z0-9_$\x80-\uffff])(?:\s|--[^\n\r]*)*/i.exec(
    text.slice(end, end + 400),
  );
  if (m === null) return { esc: "\\", end };
  const q = end + m[0].length;
  const lit = /^'([^']*)'/.exec(text.slice(q));
  if (lit === null) return lexError(text, q, "UESCAPE must be followed by a simple string literal");
  const esc = lit[1]!;
  if (esc.length !== 1 || /[0-9A-Fa-f+'"\s]/.test(esc)) {
    return lexError(text, q, "invalid Unicode escape character");
  }
  return { esc, end: q + lit[0].length };
}

/**
 * Reads the quoted token of `kind` starting at `start`.
 *
 * @example
 * readQuoted("'it''s'", 0, "string"); // { kind: "string", value: "it's", end: 7 }
 */
export function readQuoted(text: string, start: number, kind: QuotedKind): Quoted | DbError {
  const near = () => text.slice(start);
  switch (kind) {
    case "string":
    case "national":
    case "escape":
    case "bit":
    case "hex":
    case "unicode": {
      const open = kind === "string" ? start + 1 : kind === "unicode" ? start + 3 : start + 2;
      const r = readPieces(text, open, kind === "escape");
      if (r === null) {
        const what = kind === "bit"
          ? "unterminated bit string literal"
          : kind === "hex"
          ? "unterminated hexadecimal string literal"
          : "unterminated quoted string";
        return lexError(text, start, `${what} at or near "${near()}"`);
      }
      if (kind === "bit") return { kind: "bitstring", value: "b" + r.body.join(""), end: r.end };
      if (kind === "hex") return { kind: "bitstring", value: "x" + r.body.join(""), end: r.end };
      if (kind === "escape") {
        const v = decodeEscapes(text, r.body.join(""), start + 2);
        return v instanceof DbError ? v : { kind: "string", value: v, end: r.end };
      }
      if (kind === "unicode") {
        const u = readUescape(text, r.end);
        if (u instanceof DbError) return u;
        const v = decodeUnicode(text, r.body.join(""), u.esc, start + 3);
        return v instanceof DbError ? v : { kind: "string", value: v, end: u.end };
      }
      return {
        kind: kind === "national" ? "national" : "string",
        value: r.body.join(""),
        end: r.end,
      };
    }
    case "ident":
    case "unicode_ident": {
      const open = kind === "ident" ? start + 1 : start + 3;
      let i = open;
      let body = "";
      while (true) {
        const j = text.indexOf('"', i);
        if (j < 0) {
          return lexError(text, start, `unterminated quoted identifier at or near "${near()}"`);
        }
        body += text.slice(i, j);
        if (text[j + 1] === '"') {
          body += '"';
          i = j + 2;
          continue;
        }
        i = j + 1;
        break;
      }
      if (body.length === 0) {
        return lexError(
          text,
          start,
          `zero-length delimited identifier at or near "${text.slice(start, i)}"`,
        );
      }
      if (kind === "unicode_ident") {
        const u = readUescape(text, i);
        if (u instanceof DbError) return u;
        const v = decodeUnicode(text, body, u.esc, start + 3);
        return v instanceof DbError ? v : { kind: "ident", value: v, end: u.end };
      }
      return { kind: "ident", value: body, end: i };
    }
    case "dollar": {
      const tagEnd = text.indexOf("$", start + 1);
      const tag = text.slice(start, tagEnd + 1);
      const close = text.indexOf(tag, tagEnd + 1);
      if (close < 0) {
        return lexError(text, start, `unterminated dollar-quoted string at or near "${near()}"`);
      }
      return { kind: "string", value: text.slice(tagEnd + 1, close), end: close + tag.length };
    }
  }
}
