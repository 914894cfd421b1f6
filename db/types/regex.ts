/**
 * @module Pattern matching: LIKE/ILIKE (with ESCAPE; `\` by default), SIMILAR TO (translated as
 * PostgreSQL's similar_to_escape does), and POSIX regular expressions — PostgreSQL's ARE syntax
 * translated to JavaScript RegExp where they differ (`\m \M \y \Y \A \Z`, `[[:alpha:]]` classes
 * in the C locale, embedded options `(?i)`, `***:`, `.` matching newline). Compiled patterns are
 * cached.
 */
import { DbError, SqlState } from "../sqlstate.ts";

const cacheMax = 512;
const cache = new Map<string, RegExp>();

function cached(key: string, build: () => RegExp): RegExp {
  let re = cache.get(key);
  if (re === undefined) {
    re = build();
    if (cache.size >= cacheMax) cache.delete(cache.keys().next().value!);
    cache.set(key, re);
  }
  return re;
}

function escapeRegexChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? "\\" + c : c;
}

/** Compiles a LIKE pattern (escape "" disables escaping). */
export function likeRegex(pattern: string, escape = "\\", caseInsensitive = false): RegExp {
  return cached(`L${caseInsensitive ? "i" : ""}${escape}\u0000${pattern}`, () => {
    if ([...escape].length > 1) {
      throw new DbError(SqlState.invalidEscapeSequence, "invalid escape string", {
        hint: "Escape string must be empty or one character.",
      });
    }
    let out = "^";
    const chars = [...pattern];
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (escape !== "" && c === escape) {
        if (i + 1 >= chars.length) {
          // PostgreSQL only notices a trailing escape if matching gets there with text left.
          return trailingEscape(new RegExp(out, caseInsensitive ? "iu" : "u"));
        }
        out += escapeRegexChar(chars[++i]!);
      } else if (c === "%") out += "[^]*";
      else if (c === "_") out += "[^]";
      else out += escapeRegexChar(c);
    }
    return new RegExp(out + "$", caseInsensitive ? "iu" : "u");
  });
}

/** A matcher for a pattern ending in its escape character: false, or the error if text remains. */
function trailingEscape(prefix: RegExp): RegExp {
  const re = /$^/u; // matches nothing
  re.test = (s: string): boolean => {
    const m = prefix.exec(s);
    if (m !== null && m[0].length < s.length) {
      throw new DbError(
        SqlState.invalidEscapeSequence,
        "LIKE pattern must not end with escape character",
      );
    }
    return false;
  };
  return re;
}

/** `s LIKE pattern`. */
export function like(s: string, pattern: string, escape = "\\", caseInsensitive = false): boolean {
  return likeRegex(pattern, escape, caseInsensitive).test(s);
}

/** similar_to_escape(pattern, escape): the POSIX regex SIMILAR TO compiles to. */
export function similarToEscape(pattern: string, escape: string | null = "\\"): string {
  const esc = escape ?? "";
  if ([...esc].length > 1) {
    throw new DbError(SqlState.invalidEscapeSequence, "invalid escape string", {
      hint: "Escape string must be empty or one character.",
    });
  }
  let out = "^(?:";
  let afterEscape = false;
  let inBracket = 0; // 0 outside, 1 just after "[", 2 after "[^", 3 inside
  let nquotes = 0;
  for (const c of pattern) {
    if (afterEscape) {
      if (c === '"' && inBracket === 0) {
        // Escape-double-quote separates the SUBSTRING parts: "(" then ")".
        out += nquotes === 0 ? "){1,1}?(" : nquotes === 1 ? "){1,1}(?:" : "";
        nquotes++;
      } else out += "\\" + c;
      afterEscape = false;
    } else if (esc !== "" && c === esc) afterEscape = true;
    else if (inBracket > 0) {
      if (c === "\\") out += "\\";
      out += c;
      if (c === "]" && inBracket > 2) inBracket = 0;
      else if (c === "^" && inBracket === 1) inBracket = 2;
      else inBracket = 3;
    } else if (c === "[") {
      out += c;
      inBracket = 1;
    } else if (c === "%") out += ".*";
    else if (c === "_") out += ".";
    else if (c === "(") out += "(?:";
    else if (c === "\\" || c === "." || c === "^" || c === "$") out += "\\" + c;
    else out += c;
  }
  return out + ")$";
}

const classes: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "0-9A-Za-z",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
  word: "0-9A-Za-z_",
  cntrl: "\\x00-\\x1f\\x7f",
  print: " -~",
  graph: "!-~",
};

function invalidRegex(detail: string): DbError {
  return new DbError(SqlState.invalidRegularExpression, `invalid regular expression: ${detail}`);
}

/** Translates an ARE to a JavaScript RegExp source and flags. */
function translate(pattern: string, flags: string): [string, string] {
  let p = pattern;
  let icase = flags.includes("i");
  let newline = flags.includes("n");
  let expanded = flags.includes("x");
  let literal = false;
  if (p.startsWith("***:")) p = p.slice(4);
  else if (p.startsWith("***=")) {
    p = p.slice(4);
    literal = true;
  }
  const opt = /^\(\?([bceimnpqstwx]+)\)/.exec(p);
  if (opt !== null && !literal) {
    for (const f of opt[1]!) {
      if (f === "i") icase = true;
      else if (f === "c") icase = false;
      else if (f === "n" || f === "m") newline = true;
      else if (f === "s") newline = false;
      else if (f === "x") expanded = true;
      else if (f === "t") expanded = false;
      else if (f === "q") literal = true;
    }
    p = p.slice(opt[0].length);
  }
  if (literal) return [[...p].map(escapeRegexChar).join(""), "u" + (icase ? "i" : "")];
  let out = "";
  const chars = [...p];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (expanded && /\s/.test(c)) continue;
    if (expanded && c === "#") {
      while (i < chars.length && chars[i] !== "\n") i++;
      continue;
    }
    if (c === "\\") {
      const n = chars[++i];
      if (n === undefined) throw invalidRegex("invalid escape \\ sequence");
      switch (n) {
        case "m":
          out += "\\b(?=\\w)";
          break;
        case "M":
          out += "\\b(?<=\\w)";
          break;
        case "y":
          out += "\\b";
          break;
        case "Y":
          out += "\\B";
          break;
        case "A":
          out += "^";
          break;
        case "Z":
          out += "$";
          break;
        default:
          if (/[0-9a-zA-Z]/.test(n)) out += "\\" + n;
          else out += escapeRegexChar(n);
      }
      continue;
    }
    if (c === "[") {
      // Bracket expression: copy, translating [:class:] and escaping for the u flag.
      let j = i + 1;
      let body = "";
      if (chars[j] === "^") {
        body += "^";
        j++;
      }
      if (chars[j] === "]") {
        body += "\\]";
        j++;
      }
      for (; j < chars.length && chars[j] !== "]"; j++) {
        const d = chars[j]!;
        if (d === "[" && chars[j + 1] === ":") {
          const end = chars.indexOf(":", j + 2);
          const name = chars.slice(j + 2, end).join("");
          const cls = classes[name];
          if (end < 0 || chars[end + 1] !== "]" || cls === undefined) {
            throw invalidRegex("invalid character class");
          }
          body += cls;
          j = end + 1;
        } else if (d === "\\") {
          const e = chars[++j];
          if (e === undefined) throw invalidRegex("brackets [] not balanced");
          body += /[dDwWsS]/.test(e) ? "\\" + e : escapeRegexChar(e);
        } else if (
          d === "[" || d === "/" || d === "{" || d === "}" || d === "(" || d === ")" || d === "|"
        ) {
          body += "\\" + d;
        } else body += d;
      }
      if (j >= chars.length) throw invalidRegex("brackets [] not balanced");
      out += "[" + body + "]";
      i = j;
      continue;
    }
    if (c === "." && !newline) {
      out += "[^]";
      continue;
    }
    if (c === "/") {
      out += "\\/";
      continue;
    }
    if (c === "{" && !/^\{\d+(,\d*)?\}/.test(chars.slice(i, i + 12).join(""))) {
      out += "\\{";
      continue;
    }
    if (c === "}") {
      // A closing brace that ends a bound was copied with it; a lone one is literal.
      if (!/\{\d+(,\d*)?$/.test(out)) {
        out += "\\}";
        continue;
      }
    }
    out += c;
  }
  return [out, "u" + (icase ? "i" : "") + (newline ? "m" : "")];
}

/**
 * Compiles a PostgreSQL regular expression (ARE) with flags (i, c, n, x, g is the caller's).
 *
 * @example
 * compileRegex("\\mfoo\\M", "").test("a foo b"); // true
 */
export function compileRegex(pattern: string, flags = "", global = false): RegExp {
  return cached(`R${flags}${global ? "g" : ""}\u0000${pattern}`, () => {
    for (const f of flags) {
      if (!"bceimnpqstwxg".includes(f)) {
        throw new DbError(
          SqlState.invalidParameterValue,
          `invalid regular expression option: "${f}"`,
        );
      }
    }
    const [src, jsFlags] = translate(pattern, flags);
    try {
      return new RegExp(src, jsFlags + (global ? "g" : ""));
    } catch (e) {
      const msg = String((e as Error).message);
      if (/Unterminated group|Unmatched '\)'|Lone quantifier brackets/.test(msg)) {
        throw invalidRegex("parentheses () not balanced");
      }
      if (/Unterminated character class/.test(msg)) throw invalidRegex("brackets [] not balanced");
      if (/Nothing to repeat/.test(msg)) throw invalidRegex("quantifier operand invalid");
      if (/out of order/.test(msg)) throw invalidRegex("invalid repetition count(s)");
      if (/Invalid escape|\\ at end/.test(msg)) throw invalidRegex("invalid escape \\ sequence");
      throw invalidRegex(msg.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, ""));
    }
  });
}

/** `s ~ pattern` (and ~* with caseInsensitive). */
export function regexMatch(s: string, pattern: string, caseInsensitive = false): boolean {
  return compileRegex(pattern, caseInsensitive ? "i" : "").test(s);
}
