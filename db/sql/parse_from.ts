/**
 * @module FROM items: qualified table names with ONLY and aliases, subqueries, functions (WITH
 * ORDINALITY, ROWS FROM, column definition lists), LATERAL, and joins with gram.y's
 * associativity (left-associative, but an unqualified JOIN's right side extends to the right).
 */
import { DbError, SqlState } from "../sqlstate.ts";
import type { Expr } from "./ast_expr.ts";
import type { Alias, FromItem, JoinExpr, RangeFunction, RangeVar } from "./ast_query.ts";
import { charPosition } from "./lexer.ts";
import type { Parser } from "./parser.ts";
import { parseExpr } from "./parse_expr.ts";
import { parseFuncCall, parseKeywordExpr } from "./parse_func.ts";
import { isSelectParens, parseSelectWithParens } from "./parse_select.ts";
import { parseTypeName } from "./parse_type.ts";

/** A RangeVar from a dotted name list (at most catalog.schema.name). */
export function makeRangeVar(
  p: Parser,
  names: string[],
  location: number,
  tokStart: number,
): RangeVar {
  if (names.length > 3) {
    throw new DbError(
      SqlState.syntaxError,
      `improper qualified name (too many dotted names): ${names.join(".")}`,
      { position: charPosition(p.text, tokStart) },
    );
  }
  const n = names.length;
  return {
    kind: "range_var",
    catalog: n === 3 ? names[0]! : null,
    schema: n >= 2 ? names[n - 2]! : null,
    name: names[n - 1]!,
    only: false,
    alias: null,
    location,
  };
}

/** qualified_name: ColId [. ColLabel [. ColLabel]]. */
export function parseQualifiedName(p: Parser): RangeVar {
  const t = p.tok;
  return makeRangeVar(p, p.anyName(), t.loc, t.start);
}

/** relation_expr: `name`, `name *`, `ONLY name`, `ONLY (name)`. */
export function parseRelationExpr(p: Parser): RangeVar {
  if (p.isKw("only")) {
    const loc = p.advance().loc;
    const paren = p.acceptOp("(");
    const rv = parseQualifiedName(p);
    if (paren) p.expectOp(")");
    rv.only = true;
    rv.location = loc;
    return rv;
  }
  const rv = parseQualifiedName(p);
  if (p.isOp("*")) p.advance();
  return rv;
}

/** `[AS] alias [(cols)]`, or null. `noSet` refuses SET as an alias (UPDATE t SET). */
export function parseOptAlias(p: Parser, withColumns = true, noSet = false): Alias | null {
  const t = p.tok;
  if (p.acceptKw("as")) {
    const name = p.colId();
    return { kind: "alias", name, columns: withColumns ? optNameList(p) : [], location: t.loc };
  }
  if (p.isColId() && !(noSet && p.isKw("set"))) {
    const name = p.advance().value;
    return { kind: "alias", name, columns: withColumns ? optNameList(p) : [], location: t.loc };
  }
  return null;
}

function optNameList(p: Parser): string[] {
  if (!p.isOp("(")) return [];
  return p.parenList(() => p.colId());
}

/** FROM list: table_ref, …. */
export function parseFromList(p: Parser): FromItem[] {
  return p.list(() => parseTableRef(p));
}

function isJoinStart(p: Parser): boolean {
  const t = p.tok;
  return t.type === "keyword" &&
    ["join", "cross", "natural", "inner", "left", "right", "full"].includes(t.value);
}

/** A table_ref with the joins that follow it. */
export function parseTableRef(p: Parser): FromItem {
  p.enter();
  const item = parseJoins(p, parseTablePrimary(p));
  p.leave();
  return item;
}

function parseJoins(p: Parser, left: FromItem): FromItem {
  while (isJoinStart(p)) {
    const loc = p.tok.loc;
    let type: JoinExpr["type"] = "inner";
    let natural = false;
    if (p.acceptKw("cross")) type = "cross";
    else {
      if (p.acceptKw("natural")) natural = true;
      if (p.acceptKw("inner")) type = "inner";
      else if (p.isKw("left") || p.isKw("right") || p.isKw("full")) {
        type = p.advance().value as JoinExpr["type"];
        p.acceptKw("outer");
      }
    }
    p.expectKw("join");
    const join: JoinExpr = {
      kind: "join",
      type,
      natural,
      left,
      right: parseTablePrimary(p),
      using: null,
      usingAlias: null,
      on: null,
      alias: null,
      location: loc,
    };
    if (type !== "cross" && !natural) {
      // An unqualified right side may itself be a join: a JOIN b JOIN c ON x ON y.
      if (isJoinStart(p)) join.right = parseJoins(p, join.right);
      if (p.acceptKw("using")) {
        join.using = p.parenList(() => p.colId());
        if (p.isKw("as")) {
          const at = p.advance();
          join.usingAlias = { kind: "alias", name: p.colId(), columns: [], location: at.loc };
        }
      } else {
        p.expectKw("on");
        join.on = parseExpr(p);
      }
    }
    left = join;
  }
  return left;
}

function parseTablePrimary(p: Parser): FromItem {
  const t = p.tok;
  let lateral = false;
  if (p.acceptKw("lateral")) lateral = true;
  if (p.isOp("(")) {
    if (isSelectParens(p)) {
      const open = p.tok;
      const query = parseSelectWithParens(p);
      const alias = parseOptAlias(p);
      if (alias === null) {
        const values = query.kind === "values";
        throw new DbError(
          SqlState.syntaxError,
          `${values ? "VALUES" : "subquery"} in FROM must have an alias`,
          {
            hint: `For example, FROM (${values ? "VALUES" : "SELECT"} ...) [AS] foo.`,
            position: charPosition(p.text, open.start),
          },
        );
      }
      return { kind: "range_subselect", lateral, query, alias, location: t.loc };
    }
    p.advance();
    if (lateral) throw p.error();
    const inner = parseTableRef(p);
    if (inner.kind !== "join") throw p.error();
    p.expectOp(")");
    const alias = parseOptAlias(p);
    if (alias !== null) {
      if (inner.alias !== null) throw p.error();
      inner.alias = alias;
    }
    return inner;
  }
  if (p.isKw("rows") && p.peekKw(1, "from")) {
    p.advance(), p.advance();
    const functions = p.parenList(() => parseFromFunction(p));
    return finishRangeFunction(p, functions, true, lateral, t.loc);
  }
  // A function call or a relation name.
  const c = p.tok;
  const n = p.peek(1);
  if (c.type === "keyword" && c.category !== "unreserved" && p.peekOp(1, "(")) {
    const special = parseKeywordExpr(p);
    if (special !== null) return finishRangeFunction(p, [special], false, lateral, t.loc);
  }
  if (n.type === "op" && (n.value === "(" || n.value === ".")) {
    // Look past a dotted name for "(".
    let k = 1;
    while (p.peekOp(k, ".") && p.isColLabel(p.peek(k + 1))) k += 2;
    if (p.peekOp(k, "(")) {
      return finishRangeFunction(p, [parseFromFunction(p)], false, lateral, t.loc);
    }
  }
  // LATERAL, or a name that can only be a function's (type_func_name keywords), needs a call.
  if (lateral || (c.type === "keyword" && c.category === "type_func_name")) {
    return finishRangeFunction(p, [parseFromFunction(p)], false, lateral, t.loc);
  }
  const rv = parseRelationExpr(p);
  rv.alias = parseOptAlias(p);
  if (p.isKw("tablesample")) {
    // Read the clause so that syntax errors in it are reported as PostgreSQL does, then refuse it.
    const at = p.advance();
    p.anyName();
    p.parenList(() => parseExpr(p));
    if (p.acceptKw("repeatable")) p.parenList(() => parseExpr(p));
    throw new DbError(SqlState.featureNotSupported, "TABLESAMPLE is not supported", {
      position: charPosition(p.text, at.start),
    });
  }
  return rv;
}

function parseFromFunction(p: Parser): Expr {
  const t = p.tok;
  if (t.type === "keyword" && t.category !== "unreserved" && t.category !== "type_func_name") {
    const special = parseKeywordExpr(p);
    if (special !== null) return special;
  }
  const names = [p.isColId() ? p.advance().value : p.typeFuncName()];
  while (p.acceptOp(".")) names.push(p.colLabel());
  return parseFuncCall(p, names, t.loc);
}

function finishRangeFunction(
  p: Parser,
  functions: Expr[],
  rowsFrom: boolean,
  lateral: boolean,
  location: number,
): RangeFunction {
  const rf: RangeFunction = {
    kind: "range_function",
    lateral,
    rowsFrom,
    functions,
    ordinality: false,
    alias: null,
    columnDefs: null,
    location,
  };
  if (p.isKw("with") && p.peekKw(1, "ordinality")) {
    p.advance(), p.advance();
    rf.ordinality = true;
  }
  // func_alias_clause: an alias, with column names or a column definition list.
  const t = p.tok;
  const as = p.acceptKw("as");
  if (as && p.isOp("(")) {
    rf.columnDefs = parseColumnDefList(p);
    return rf;
  }
  if (as || (p.isColId() && !isJoinStart(p))) {
    const name = p.colId();
    rf.alias = { kind: "alias", name, columns: [], location: t.loc };
    if (p.isOp("(")) {
      const n = p.peek(2);
      const typed = !(n.type === "op" && (n.value === "," || n.value === ")"));
      if (typed) rf.columnDefs = parseColumnDefList(p);
      else rf.alias.columns = p.parenList(() => p.colId());
    }
  }
  return rf;
}

function parseColumnDefList(p: Parser): RangeFunction["columnDefs"] {
  return p.parenList(() => {
    const t = p.tok;
    const name = p.colId();
    return { name, type: parseTypeName(p), location: t.loc };
  });
}
