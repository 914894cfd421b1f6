/**
 * @module The parser's entry points: a string of `;`-separated statements → ParsedStatement[]
 * (empty statements skipped), and a single expression. Every failure is a DbError: syntax errors
 * are 42601 with PostgreSQL's position, nesting past the limit is 54001.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { limits } from "../limits.ts";
import type { Expr, ParsedStatement, Statement } from "./ast.ts";
import { Parser } from "./parser.ts";
import { parseExpr as parseExprAt } from "./parse_expr.ts";
import { parseStatement } from "./parse_stmt.ts";

const encoder = new TextEncoder();

function guard<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    // The depth guard keeps recursion far below the engine's stack; this is the last line.
    if (e instanceof RangeError) {
      throw new DbError(SqlState.statementTooComplex, "stack depth limit exceeded", {
        hint: `The nesting of the statement exceeds ${limits.exprDepthMax} levels.`,
      });
    }
    throw e;
  }
}

/**
 * Parses `text` into its statements.
 *
 * @example
 * const [s] = parse("select 1; ");
 * s.kind; // "select"
 */
export function parse(text: string): ParsedStatement[] {
  return guard(() => {
    const p = new Parser(text);
    const out: ParsedStatement[] = [];
    while (true) {
      while (p.isOp(";")) p.advance();
      if (p.atEnd) break;
      const first = p.tok;
      const stmt = parseStatement(p) as ParsedStatement;
      if (!p.isOp(";") && !p.atEnd) throw p.error();
      const last = p.tokens[p.pos - 1]!;
      stmt.location = first.loc;
      const raw = p.raw(last);
      // deno-lint-ignore no-control-regex
      const lastBytes = /^[\x00-\x7f]*$/.test(raw) ? raw.length : encoder.encode(raw).length;
      stmt.textLength = last.loc + lastBytes - first.loc;
      out.push(stmt);
    }
    return out;
  });
}

/**
 * Parses one value expression (for defaults, policies and checks stored as text).
 *
 * @example
 * parseExpr("auth.uid() = user_id").kind; // "op"
 */
export function parseExpr(text: string): Expr {
  return guard(() => {
    const p = new Parser(text);
    const e = parseExprAt(p);
    if (!p.atEnd) throw p.error();
    return e;
  });
}

/** Parses exactly one statement; more than one, or none, is a syntax error. */
export function parseOne(text: string): Statement {
  const all = parse(text);
  if (all.length !== 1) {
    throw new DbError(SqlState.syntaxError, `expected one statement, found ${all.length}`);
  }
  return all[0]!;
}
