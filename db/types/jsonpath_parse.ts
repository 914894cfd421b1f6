/**
 * @module SQL/JSON path language (the jsonpath type): the lexer and parser of PostgreSQL 15's
 * jsonpath_scan.l / jsonpath_gram.y into a small tree, and the canonical text jsonpath_out
 * prints (`$."a"[1]`, `($."a" + 1)`, `strict $?(@ > 1)`). A jsonpath Datum is that canonical
 * text; `parseJsonPath` turns it back into a tree (cached) for jsonpath_eval.ts.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { limits } from "../limits.ts";
import { Numeric } from "./numeric.ts";
import { escapeJson } from "./json.ts";
import { compileRegex } from "./regex.ts";

/** One accessor applied to the items of a sequence. */
export type JpAccessor =
  | { t: "key"; name: string }
  | { t: "anykey" }
  | { t: "anyarray" }
  | { t: "index"; subs: [JpNode, JpNode | null][] }
  | { t: "any"; first: number; last: number }
  | { t: "filter"; pred: JpNode }
  | { t: "method"; name: string; arg: string | null };

/** A jsonpath expression node. `ops` are the accessors that follow it. */
export type JpNode =
  & { ops: JpAccessor[] }
  & (
    | { t: "root" | "current" | "last" | "null" }
    | { t: "var"; name: string }
    | { t: "num"; v: Numeric }
    | { t: "str"; v: string }
    | { t: "bool"; v: boolean }
    | { t: "bin"; op: string; l: JpNode; r: JpNode }
    | { t: "unary"; op: "+" | "-"; arg: JpNode }
    | { t: "not"; arg: JpNode }
    | { t: "isunknown"; arg: JpNode }
    | { t: "exists"; arg: JpNode }
    | { t: "like"; arg: JpNode; pattern: string; flags: string }
    | { t: "starts"; arg: JpNode; prefix: JpNode }
  );

/** A parsed jsonpath: its mode and expression. */
export interface JsonPath {
  strict: boolean;
  expr: JpNode;
}

/** Infinity for `.**{n to last}`: PostgreSQL's PG_UINT32_MAX. */
export const jpLast = 0xffffffff;

const methods = new Set(["type", "size", "double", "ceiling", "floor", "abs", "keyvalue"]);
const compareOps = new Set(["==", "!=", "<>", "<", "<=", ">", ">="]);
const keyStop = /[?%$.[\]{}()|&!=<>@#,*:\-+/\\" \t\n\r\f]/;

type Tok = { k: "punct" | "str" | "num" | "ident" | "var" | "end"; v: string };

function syntax(msg: string): DbError {
  return new DbError(SqlState.syntaxError, msg);
}

function lex(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const str = (): string => {
    let s = "";
    i++;
    for (;;) {
      if (i >= text.length) throw syntax("unterminated quoted string in jsonpath input");
      const c = text[i]!;
      if (c === '"') return i++, s;
      if (c !== "\\") {
        s += c;
        i++;
        continue;
      }
      const e = text[i + 1] ?? "";
      i += 2;
      const simple: Record<string, string> = {
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
        v: "\v",
      };
      if (simple[e] !== undefined) s += simple[e];
      else if (e === "u" || e === "x") {
        const m = (e === "u" ? /^(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4}))/ : /^[0-9a-fA-F]{2}/)
          .exec(text.slice(i));
        if (m === null) {
          throw syntax(
            `invalid ${
              e === "u" ? "unicode" : "hex"
            } sequence at or near "\\${e}" of jsonpath input`,
          );
        }
        s += String.fromCodePoint(parseInt(m[1] ?? m[2] ?? m[0], 16));
        i += m[0].length;
      } else s += e;
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (["==", "!=", "<>", "<=", ">=", "&&", "||", "**"].includes(two)) {
      out.push({ k: "punct", v: two });
      i += 2;
    } else if (c === '"') out.push({ k: "str", v: str() });
    else if (c === "$" && (text[i + 1] === '"')) {
      i++;
      out.push({ k: "var", v: str() });
    } else if (c === "$" && i + 1 < text.length && !keyStop.test(text[i + 1]!)) {
      let j = i + 1;
      while (j < text.length && !keyStop.test(text[j]!)) j++;
      out.push({ k: "var", v: text.slice(i + 1, j) });
      i = j;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      const rest = text[i + m[0].length] ?? "";
      if (rest !== "" && !keyStop.test(rest)) {
        throw syntax(
          `trailing junk after numeric literal at or near "${m[0]}${rest}" of jsonpath input`,
        );
      }
      out.push({ k: "num", v: m[0] });
      i += m[0].length;
    } else if (keyStop.test(c)) {
      out.push({ k: "punct", v: c });
      i++;
    } else {
      let j = i;
      while (j < text.length && !keyStop.test(text[j]!)) j++;
      out.push({ k: "ident", v: text.slice(i, j) });
      i = j;
    }
  }
  out.push({ k: "end", v: "" });
  return out;
}

class Parser {
  #pos = 0;
  #depth = 0;
  #inFilter = 0;
  #inSubscript = 0;
  constructor(readonly toks: Tok[]) {}

  peek(o = 0): Tok {
    return this.toks[Math.min(this.#pos + o, this.toks.length - 1)]!;
  }
  next(): Tok {
    return this.toks[this.#pos++] ?? { k: "end", v: "" };
  }
  is(v: string, k: Tok["k"] = "punct"): boolean {
    const t = this.peek();
    return t.k === k && t.v === v;
  }
  fail(): never {
    const t = this.peek();
    if (t.k === "end") throw syntax("syntax error at end of jsonpath input");
    throw syntax(`syntax error at or near "${t.k === "str" ? `"${t.v}"` : t.v}" of jsonpath input`);
  }
  expect(v: string, k: Tok["k"] = "punct"): void {
    if (!this.is(v, k)) this.fail();
    this.#pos++;
  }

  path(): JsonPath {
    let strict = false;
    if (this.is("strict", "ident") || this.is("lax", "ident")) strict = this.next().v === "strict";
    const expr = this.or();
    if (this.peek().k !== "end") this.fail();
    return { strict, expr };
  }

  or(): JpNode {
    if (++this.#depth > limits.exprDepthMax) {
      throw new DbError(SqlState.statementTooComplex, "jsonpath expression is too deeply nested");
    }
    let l = this.and();
    while (this.is("||")) {
      this.next();
      l = { t: "bin", op: "||", l, r: this.and(), ops: [] };
    }
    this.#depth--;
    return l;
  }
  and(): JpNode {
    let l = this.not();
    while (this.is("&&")) {
      this.next();
      l = { t: "bin", op: "&&", l, r: this.not(), ops: [] };
    }
    return l;
  }
  not(): JpNode {
    if (this.is("!")) {
      this.next();
      if (!this.is("(") && !this.is("exists", "ident")) this.fail();
      return { t: "not", arg: this.primary(), ops: [] };
    }
    return this.comparison();
  }
  comparison(): JpNode {
    const l = this.additive();
    const t = this.peek();
    if (t.k === "punct" && compareOps.has(t.v)) {
      this.next();
      return { t: "bin", op: t.v === "<>" ? "!=" : t.v, l, r: this.additive(), ops: [] };
    }
    if (this.is("like_regex", "ident")) {
      this.next();
      const p = this.next();
      if (p.k !== "str") this.#pos--, this.fail();
      let flags = "";
      if (this.is("flag", "ident")) {
        this.next();
        const f = this.next();
        if (f.k !== "str") this.#pos--, this.fail();
        flags = regexFlags(f.v);
      }
      checkRegex(p.v, flags);
      return { t: "like", arg: l, pattern: p.v, flags, ops: [] };
    }
    if (this.is("starts", "ident")) {
      this.next();
      this.expect("with", "ident");
      const p = this.next();
      if (p.k === "str") {
        return { t: "starts", arg: l, prefix: { t: "str", v: p.v, ops: [] }, ops: [] };
      }
      if (p.k === "var") {
        return { t: "starts", arg: l, prefix: { t: "var", name: p.v, ops: [] }, ops: [] };
      }
      this.#pos--;
      this.fail();
    }
    return l;
  }
  additive(): JpNode {
    let l = this.multiplicative();
    while (this.is("+") || this.is("-")) {
      const op = this.next().v;
      l = { t: "bin", op, l, r: this.multiplicative(), ops: [] };
    }
    return l;
  }
  multiplicative(): JpNode {
    let l = this.unary();
    while (this.is("*") || this.is("/") || this.is("%")) {
      const op = this.next().v;
      l = { t: "bin", op, l, r: this.unary(), ops: [] };
    }
    return l;
  }
  unary(): JpNode {
    if (this.is("+") || this.is("-")) {
      const op = this.next().v as "+" | "-";
      return { t: "unary", op, arg: this.unary(), ops: [] };
    }
    const base = this.primary();
    this.accessors(base);
    return base;
  }
  primary(): JpNode {
    const t = this.next();
    switch (t.k) {
      case "num":
        return { t: "num", v: Numeric.parse(t.v), ops: [] };
      case "str":
        return { t: "str", v: t.v, ops: [] };
      case "var":
        return { t: "var", name: t.v, ops: [] };
      case "punct":
        if (t.v === "$") return { t: "root", ops: [] };
        if (t.v === "@") {
          if (this.#inFilter === 0) throw syntax("@ is not allowed in root expressions");
          return { t: "current", ops: [] };
        }
        if (t.v === "(") {
          const e = this.or();
          this.expect(")");
          if (this.is("is", "ident")) {
            this.next();
            this.expect("unknown", "ident");
            return { t: "isunknown", arg: e, ops: [] };
          }
          return e;
        }
        break;
      case "ident":
        switch (t.v) {
          case "true":
          case "false":
            return { t: "bool", v: t.v === "true", ops: [] };
          case "null":
            return { t: "null", ops: [] };
          case "last":
            if (this.#inSubscript === 0) throw syntax("LAST is allowed only in array subscripts");
            return { t: "last", ops: [] };
          case "exists": {
            this.expect("(");
            const arg = this.or();
            this.expect(")");
            return { t: "exists", arg, ops: [] };
          }
        }
    }
    this.#pos--;
    return this.fail();
  }
  accessors(base: JpNode): void {
    for (;;) {
      if (this.is(".")) {
        this.next();
        base.ops.push(this.member());
      } else if (this.is("[")) {
        this.next();
        base.ops.push(this.subscripts());
      } else if (this.is("?")) {
        this.next();
        this.expect("(");
        this.#inFilter++;
        const pred = this.or();
        this.#inFilter--;
        this.expect(")");
        base.ops.push({ t: "filter", pred });
      } else return;
    }
  }
  member(): JpAccessor {
    const t = this.next();
    if (t.k === "str") return { t: "key", name: t.v };
    if (t.k === "punct" && t.v === "*") return { t: "anykey" };
    if (t.k === "punct" && t.v === "**") return this.anyPath();
    if (t.k === "ident" || t.k === "num" && /^\d+$/.test(t.v)) {
      if (this.is("(") && (methods.has(t.v) || t.v === "datetime")) {
        this.next();
        let arg: string | null = null;
        if (t.v === "datetime" && this.peek().k === "str") arg = this.next().v;
        this.expect(")");
        return { t: "method", name: t.v, arg };
      }
      return { t: "key", name: t.v };
    }
    this.#pos--;
    return this.fail();
  }
  anyPath(): JpAccessor {
    if (!this.is("{")) return { t: "any", first: 0, last: jpLast };
    this.next();
    const level = (): number => {
      const t = this.next();
      if (t.k === "ident" && t.v === "last") return jpLast;
      if (t.k === "num" && /^\d+$/.test(t.v)) return Number(t.v);
      this.#pos--;
      return this.fail();
    };
    const first = level();
    let last = first;
    if (this.is("to", "ident")) {
      this.next();
      last = level();
    }
    this.expect("}");
    return { t: "any", first, last };
  }
  subscripts(): JpAccessor {
    if (this.is("*")) {
      this.next();
      this.expect("]");
      return { t: "anyarray" };
    }
    this.#inSubscript++;
    const subs: [JpNode, JpNode | null][] = [];
    for (;;) {
      const from = this.or();
      let to: JpNode | null = null;
      if (this.is("to", "ident")) {
        this.next();
        to = this.or();
      }
      subs.push([from, to]);
      if (!this.is(",")) break;
      this.next();
    }
    this.#inSubscript--;
    this.expect("]");
    return { t: "index", subs };
  }
}

/** XQuery flags of like_regex in PostgreSQL's canonical order (i, s, m, x, q). */
function regexFlags(f: string): string {
  for (const c of f) {
    if (!"ismxq".includes(c)) {
      throw new DbError(
        SqlState.syntaxError,
        `invalid input syntax for type jsonpath`,
        { detail: `Unrecognized flag character "${c}" in LIKE_REGEX predicate.` },
      );
    }
  }
  if (f.includes("x") && !f.includes("q")) {
    throw new DbError(
      SqlState.featureNotSupported,
      'XQuery "x" flag (expanded regular expressions) is not implemented',
    );
  }
  return [..."ismxq"].filter((c) => f.includes(c)).join("");
}

/** The ARE flags that PostgreSQL's jspConvertRegexFlags gives a like_regex. */
export function areFlags(flags: string): string {
  let f = flags.includes("i") ? "i" : "";
  if (flags.includes("q")) return f + "q";
  if (!flags.includes("s")) f += flags.includes("m") ? "n" : "p";
  else if (flags.includes("m")) f += "w";
  return f;
}

function checkRegex(pattern: string, flags: string): void {
  compileRegex(pattern, areFlags(flags));
}

const priority: Record<string, number> = {
  "||": 0,
  "&&": 1,
  "==": 2,
  "!=": 2,
  "<": 2,
  "<=": 2,
  ">": 2,
  ">=": 2,
  starts: 2,
  like: 2,
  "+": 3,
  "-": 3,
  "*": 4,
  "/": 4,
  "%": 4,
};

function prio(n: JpNode): number {
  if (n.t === "bin") return priority[n.op]!;
  if (n.t === "starts" || n.t === "like") return 2;
  if (n.t === "unary") return 5;
  return 6;
}

function printAccessor(a: JpAccessor): string {
  switch (a.t) {
    case "key":
      return "." + escapeJson(a.name);
    case "anykey":
      return ".*";
    case "anyarray":
      return "[*]";
    case "index":
      return "[" +
        a.subs.map(([f, t]) =>
          printNode(f, false) + (t === null ? "" : " to " + printNode(t, false))
        )
          .join(",") +
        "]";
    case "any": {
      const n = (v: number) => (v === jpLast ? "last" : String(v));
      if (a.first === 0 && a.last === jpLast) return ".**";
      if (a.first === a.last) return `.**{${n(a.first)}}`;
      return `.**{${n(a.first)} to ${n(a.last)}}`;
    }
    case "filter":
      return "?(" + printNode(a.pred, false) + ")";
    case "method":
      return `.${a.name}(${a.arg === null ? "" : escapeJson(a.arg)})`;
  }
}

/** printJsonPathItem: one node with its accessors, bracketed as PostgreSQL brackets it. */
function printNode(n: JpNode, brackets: boolean): string {
  let s: string;
  const sub = (c: JpNode) => printNode(c, prio(c) <= prio(n));
  switch (n.t) {
    case "root":
      s = "$";
      break;
    case "current":
      s = "@";
      break;
    case "last":
      s = "last";
      break;
    case "null":
      s = "null";
      break;
    case "var":
      s = "$" + escapeJson(n.name);
      break;
    case "num":
      s = n.ops.length > 0 ? `(${n.v.toString()})` : n.v.toString();
      break;
    case "str":
      s = escapeJson(n.v);
      break;
    case "bool":
      s = String(n.v);
      break;
    case "bin":
      s = `${sub(n.l)} ${n.op} ${sub(n.r)}`;
      if (brackets) s = `(${s})`;
      break;
    case "starts":
      s = `${sub(n.arg)} starts with ${sub(n.prefix)}`;
      if (brackets) s = `(${s})`;
      break;
    case "like":
      s = `${sub(n.arg)} like_regex ${escapeJson(n.pattern)}` +
        (n.flags === "" ? "" : ` flag "${n.flags}"`);
      if (brackets) s = `(${s})`;
      break;
    case "unary":
      s = n.op + sub(n.arg);
      if (brackets) s = `(${s})`;
      break;
    case "not":
      s = `!(${printNode(n.arg, false)})`;
      break;
    case "isunknown":
      s = `(${printNode(n.arg, false)}) is unknown`;
      break;
    case "exists":
      s = `exists (${printNode(n.arg, false)})`;
      break;
  }
  return s + n.ops.map(printAccessor).join("");
}

/** jsonpath_in: validates `text` and returns the canonical text (the jsonpath Datum). */
export function jsonPathIn(text: string): string {
  const p = new Parser(lex(text)).path();
  return (p.strict ? "strict " : "") + printNode(p.expr, true);
}

const cache = new Map<string, JsonPath>();

/** The tree of a jsonpath Datum (canonical text), cached. */
export function parseJsonPath(text: string): JsonPath {
  let p = cache.get(text);
  if (p === undefined) {
    p = new Parser(lex(text)).path();
    if (cache.size >= limits.jsonPathCacheMax) cache.clear();
    cache.set(text, p);
  }
  return p;
}
