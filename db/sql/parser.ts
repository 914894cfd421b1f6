/**
 * @module The parser's cursor over tokens: lookahead, expectations, PostgreSQL-style syntax
 * errors, the nesting-depth guard, and the name categories of gram.y (ColId, ColLabel, …). The
 * grammar itself lives in the parse_*.ts files as functions of a Parser.
 */
import { DbError, SqlState, type SqlStateCode } from "../sqlstate.ts";
import { limits } from "../limits.ts";
import { charPosition, type Token, tokenize } from "./lexer.ts";
import { isBareLabel } from "./keywords.ts";

/** A recursive-descent parser's state over one SQL string. */
export class Parser {
  readonly text: string;
  readonly tokens: Token[];
  pos = 0;
  /** Set while reading SUBSTRING's first argument, where `x SIMILAR p ESCAPE e` is not LIKE-like. */
  similarIsSubstring = false;
  #depth = 0;
  #matches: Int32Array | null = null;

  constructor(text: string) {
    const bytes = text.length * 3 > limits.sqlTextBytesMax
      ? new TextEncoder().encode(text).length
      : text.length;
    if (bytes > limits.sqlTextBytesMax) {
      throw new DbError(
        SqlState.programLimitExceeded,
        `statement text of ${bytes} bytes exceeds the limit of ${limits.sqlTextBytesMax} bytes`,
      );
    }
    this.text = text;
    this.tokens = tokenize(text);
    const first = this.tokens[0]!;
    if (first.type === "error") throw first.error!;
  }

  /** The current token. */
  get tok(): Token {
    return this.tokens[this.pos]!;
  }

  /** The token `k` places ahead (never past the last). */
  peek(k = 1): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
  }

  /** Consumes the current token; reaching a lexical error throws it, as PostgreSQL's lexer would. */
  advance(): Token {
    const t = this.tok;
    if (t.type !== "eof" && t.type !== "error") this.pos++;
    const next = this.tok;
    if (next.type === "error") throw next.error!;
    return t;
  }

  /** Index of the token `)` that closes the `(` at token index `i`, or -1 (computed once). */
  matchParen(i: number): number {
    if (this.#matches === null) {
      const m = new Int32Array(this.tokens.length).fill(-1);
      const stack: number[] = [];
      this.tokens.forEach((t, j) => {
        if (t.type !== "op") return;
        if (t.value === "(") stack.push(j);
        else if (t.value === ")" && stack.length > 0) m[stack.pop()!] = j;
      });
      this.#matches = m;
    }
    return this.#matches[i] ?? -1;
  }

  /** The raw text of a token, as PostgreSQL quotes it in "at or near". */
  raw(t: Token): string {
    return this.text.slice(t.start, t.end);
  }

  /** A 42601 syntax error at token `t` (default: the current one). */
  error(t: Token = this.tok): DbError {
    if (t.type === "error") return t.error!;
    const position = charPosition(this.text, t.start);
    if (t.type === "eof") {
      return new DbError(SqlState.syntaxError, "syntax error at end of input", { position });
    }
    return new DbError(SqlState.syntaxError, `syntax error at or near "${this.raw(t)}"`, {
      position,
    });
  }

  /** A 42601 error with its own message, placed at token `t` or a byte location. */
  errorAt(
    message: string,
    t: Token = this.tok,
    code: SqlStateCode = SqlState.syntaxError,
  ): DbError {
    return new DbError(code, message, { position: charPosition(this.text, t.start) });
  }

  /** Enters one level of nesting; deeper than exprDepthMax is 54001. */
  enter(): void {
    if (++this.#depth > limits.exprDepthMax) {
      throw new DbError(SqlState.statementTooComplex, "stack depth limit exceeded", {
        hint: `The nesting of the statement exceeds ${limits.exprDepthMax} levels.`,
        position: charPosition(this.text, this.tok.start),
      });
    }
  }

  /** Leaves a level entered with {@link enter}. */
  leave(): void {
    this.#depth--;
  }

  isKw(word: string): boolean {
    const t = this.tok;
    return t.type === "keyword" && t.value === word;
  }

  peekKw(k: number, word: string): boolean {
    const t = this.peek(k);
    return t.type === "keyword" && t.value === word;
  }

  acceptKw(word: string): boolean {
    if (!this.isKw(word)) return false;
    this.advance();
    return true;
  }

  expectKw(word: string): Token {
    if (!this.isKw(word)) throw this.error();
    return this.advance();
  }

  /** Accepts a sequence of keywords only if all of them are next. */
  acceptKws(...words: string[]): boolean {
    for (let i = 0; i < words.length; i++) {
      if (!this.peekKw(i, words[i]!)) return false;
    }
    for (let i = 0; i < words.length; i++) this.advance();
    return true;
  }

  isOp(op: string): boolean {
    const t = this.tok;
    return t.type === "op" && t.value === op;
  }

  peekOp(k: number, op: string): boolean {
    const t = this.peek(k);
    return t.type === "op" && t.value === op;
  }

  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.advance();
    return true;
  }

  expectOp(op: string): Token {
    if (!this.isOp(op)) throw this.error();
    return this.advance();
  }

  get atEnd(): boolean {
    return this.tok.type === "eof";
  }

  /** ColId: an identifier, or an unreserved or col_name keyword. */
  isColId(t: Token = this.tok): boolean {
    return t.type === "ident" ||
      (t.type === "keyword" && !t.lookahead &&
        (t.category === "unreserved" || t.category === "col_name"));
  }

  /** type_function_name: an identifier, or an unreserved or type_func_name keyword. */
  isTypeFuncName(t: Token = this.tok): boolean {
    return t.type === "ident" ||
      (t.type === "keyword" && !t.lookahead &&
        (t.category === "unreserved" || t.category === "type_func_name"));
  }

  /** NonReservedWord: anything but a reserved keyword. */
  isNonReserved(t: Token = this.tok): boolean {
    return t.type === "ident" ||
      (t.type === "keyword" && !t.lookahead && t.category !== "reserved");
  }

  /** ColLabel: any identifier or keyword. */
  isColLabel(t: Token = this.tok): boolean {
    return t.type === "ident" || (t.type === "keyword" && !t.lookahead);
  }

  /** BareColLabel: a label allowed without AS. */
  isBareColLabel(t: Token = this.tok): boolean {
    return t.type === "ident" || (t.type === "keyword" && !t.lookahead && isBareLabel(t.value));
  }

  colId(): string {
    if (!this.isColId()) throw this.error();
    return this.advance().value;
  }

  typeFuncName(): string {
    if (!this.isTypeFuncName()) throw this.error();
    return this.advance().value;
  }

  nonReservedWord(): string {
    if (!this.isNonReserved()) throw this.error();
    return this.advance().value;
  }

  colLabel(): string {
    if (!this.isColLabel()) throw this.error();
    return this.advance().value;
  }

  /** A string literal (Sconst). */
  sconst(): string {
    if (this.tok.type !== "string") throw this.error();
    return this.advance().value;
  }

  /** An integer literal (Iconst). */
  iconst(): number {
    if (this.tok.type !== "integer") throw this.error();
    return Number(this.advance().value);
  }

  /** `name [, name …]` with `item` reading one. */
  list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.acceptOp(",")) out.push(item());
    return out;
  }

  /** `( item, … )`. */
  parenList<T>(item: () => T): T[] {
    this.expectOp("(");
    const out = this.list(item);
    this.expectOp(")");
    return out;
  }

  /** ColId [ '.' ColLabel … ]: a qualified name. */
  anyName(): string[] {
    const names = [this.colId()];
    while (this.isOp(".")) {
      this.advance();
      names.push(this.colLabel());
    }
    return names;
  }
}
