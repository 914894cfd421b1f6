/**
 * @module Value expressions (gram.y's a_expr, b_expr and c_expr) by precedence climbing over
 * PostgreSQL's operator precedence table. Non-associative levels (comparison, LIKE/BETWEEN/IN, IS)
 * raise a syntax error where bison's %nonassoc would: at the second operator of `a < b < c`.
 */
import type { Expr, FuncCall, IndirectionItem, OpExpr, TypeName } from "./ast_expr.ts";
import type { Token } from "./lexer.ts";
import type { Parser } from "./parser.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import {
  isBuiltinTypeStart,
  optIntervalFields,
  parseBuiltinType,
  parseTypeName,
} from "./parse_type.ts";
import { isSelectParens, parseSelectWithParens } from "./parse_select.ts";
import { parseFuncCall, parseKeywordExpr } from "./parse_func.ts";

// Binding powers, lowest first (gram.y's %left/%right/%nonassoc lines).
const OR = 1;
const AND = 2;
const NOT = 3;
const IS = 4;
const CMP = 5;
const LIKE = 6;
const OP = 9;
const ADD = 10;
const MUL = 11;
const EXP = 12;
const AT = 13;
const COLLATE = 14;
const UMINUS = 15;
const CAST = 17;

const comparisonOps = new Set(["<", ">", "=", "<=", ">=", "<>"]);
/** Operator tokens that are never a generic Op. */
const notGenericOps = new Set([",", "(", ")", "[", "]", ".", ";", ":", "::", ":=", "=>", ".."]);

const isForms = new Set(["null", "true", "false", "unknown", "distinct"]);

/** Whether `t` ends a target after a keyword that could be a bare column label. */
function endsLabel(t: Token): boolean {
  if (t.type === "eof") return true;
  if (t.type === "op") return [",", ";", ")"].includes(t.value);
  return t.type === "keyword" && t.category === "reserved" &&
    !["not", "null", "true", "false", "case", "cast", "array", "default"].includes(t.value) &&
    !t.value.startsWith("current_") &&
    !["localtime", "localtimestamp", "session_user", "user"].includes(t.value);
}

/** The binding power of the current token as an infix/postfix operator, or 0. */
function infixPower(p: Parser, b: boolean, labelOk = false): number {
  const t = p.tok;
  if (t.type === "op") {
    const v = t.value;
    if (v === "::") return CAST;
    if (comparisonOps.has(v)) return CMP;
    if (v === "+" || v === "-") return ADD;
    if (v === "*" || v === "/" || v === "%") return MUL;
    if (v === "^") return EXP;
    if (notGenericOps.has(v) || !/^[~!@#^&|`?+\-*/%<>=]+$/.test(v)) return 0;
    return OP;
  }
  if (t.type !== "keyword") return 0;
  switch (t.value) {
    case "operator":
      return p.peekOp(1, "(") || !labelOk ? OP : 0;
    case "is": {
      // After a target, IS may be a bare column label (`select 1 is`).
      const n = p.peek(1);
      return !labelOk || (n.type === "keyword" && (n.value === "not" || isForms.has(n.value)))
        ? IS
        : 0;
    }
    case "or":
      return b ? 0 : OR;
    case "and":
      return b ? 0 : AND;
    case "isnull":
    case "notnull":
      return b ? 0 : IS;
    case "in":
      return b ? 0 : LIKE;
    case "between":
      if (!b && (p.peekKw(1, "symmetric") || p.peekKw(1, "asymmetric"))) return LIKE;
      return b || (labelOk && endsLabel(p.peek(1))) ? 0 : LIKE;
    case "like":
    case "ilike":
      return b || (labelOk && endsLabel(p.peek(1))) ? 0 : LIKE;
    case "similar":
      return b || ((labelOk || p.similarIsSubstring) && !p.peekKw(1, "to")) ? 0 : LIKE;
    case "not": {
      if (b) return 0;
      const n = p.peek(1);
      if (n.type === "keyword" && ["between", "in", "like", "ilike"].includes(n.value)) {
        return LIKE;
      }
      return n.type === "keyword" && n.value === "similar" ? LIKE : 0;
    }
    case "at":
      return !b && (p.peekKw(1, "time") || !labelOk) ? AT : 0;
    case "collate":
      return b || (labelOk && endsLabel(p.peek(1))) ? 0 : COLLATE;
  }
  return 0;
}

/**
 * A full expression (a_expr).
 *
 * @example
 * parseExpr(new Parser("a + 1 > 2")); // an OpExpr `>`
 */
export function parseExpr(p: Parser): Expr {
  return parseA(p, 0, false);
}

/** A target-list expression: a trailing keyword that can be a bare label (`select 1 is`) is left. */
export function parseTargetExpr(p: Parser): Expr {
  return parseA(p, 0, false, true);
}

/** A restricted expression (b_expr): no AND/OR/NOT/IS NULL/LIKE/IN/BETWEEN, for DEFAULT etc. */
export function parseBExpr(p: Parser): Expr {
  return parseA(p, 0, true);
}

/** a_expr, … */
export function parseExprList(p: Parser): Expr[] {
  return p.list(() => parseExpr(p));
}

function op(
  opText: string,
  left: Expr | null,
  right: Expr,
  location: number,
  schema: string | null = null,
): OpExpr {
  return { kind: "op", op: opText, schema, left, right, location };
}

/** Throws when a non-associative level repeats: `a = b = c`. */
function nonAssoc(p: Parser, power: number, b: boolean): void {
  if (infixPower(p, b) === power) throw p.error();
}

/** `OPERATOR(schema.op)`: returns [schema, op]. */
function qualifiedOperator(p: Parser): [string | null, string] {
  p.expectKw("operator");
  p.expectOp("(");
  let schema: string | null = null;
  while (p.isColId()) {
    schema = p.colId();
    p.expectOp(".");
  }
  const t = p.tok;
  if (t.type !== "op" || notGenericOps.has(t.value)) throw p.error();
  p.advance();
  p.expectOp(")");
  return [schema, t.value];
}

/** Precedence climbing: parses operators binding at least as tightly as `minPower`. */
function parseA(p: Parser, minPower: number, b: boolean, labelOk = false): Expr {
  p.enter();
  let left = parsePrefix(p, b);
  while (true) {
    const power = infixPower(p, b, labelOk);
    if (power === 0 || power < minPower) break;
    left = parseInfix(p, left, power, b);
  }
  p.leave();
  return left;
}

function parsePrefix(p: Parser, b: boolean): Expr {
  const t = p.tok;
  if (t.type === "keyword" && t.value === "not" && !b) {
    p.advance();
    const arg = parseA(p, NOT, b);
    return { kind: "bool", op: "not", args: [arg], location: t.loc };
  }
  if (t.type === "op" && (t.value === "-" || t.value === "+")) {
    p.advance();
    const arg = parseA(p, UMINUS, b);
    // PostgreSQL folds a minus into a numeric literal (doNegate).
    if (t.value === "-" && arg.kind === "integer") {
      return { kind: "integer", value: 0 - arg.value, location: t.loc };
    }
    if (t.value === "-" && arg.kind === "numeric") {
      const v = arg.value.startsWith("-") ? arg.value.slice(1) : "-" + arg.value;
      return { kind: "numeric", value: v, location: t.loc };
    }
    return op(t.value, null, arg, t.loc);
  }
  if (t.type === "op" && !notGenericOps.has(t.value) && infixPower(p, b) === OP) {
    p.advance();
    return op(t.value, null, parseA(p, OP + 1, b), t.loc);
  }
  if (t.type === "keyword" && t.value === "operator" && p.peekOp(1, "(")) {
    const [schema, name] = qualifiedOperator(p);
    return op(name, null, parseA(p, OP + 1, b), t.loc, schema);
  }
  const e = parseCExpr(p);
  if (!b && e.kind === "row" && p.isKw("overlaps")) return parseOverlaps(p, e);
  return e;
}

/** `row OVERLAPS row`: pg_catalog.overlaps(a, b, c, d) over two two-element rows. */
function parseOverlaps(p: Parser, left: Extract<Expr, { kind: "row" }>): Expr {
  const loc = p.advance().loc;
  const right = parseCExpr(p);
  if (right.kind !== "row") throw p.error();
  for (const [r, side] of [[left, "left"], [right, "right"]] as const) {
    if (r.args.length !== 2) {
      throw new DbError(
        SqlState.syntaxError,
        `wrong number of parameters on ${side} side of OVERLAPS expression`,
        { position: r.location + 1 },
      );
    }
  }
  return {
    kind: "func_call",
    name: ["pg_catalog", "overlaps"],
    args: [...left.args, ...right.args],
    star: false,
    distinct: false,
    variadic: false,
    orderBy: [],
    withinGroup: false,
    filter: null,
    over: null,
    syntax: "sql",
    location: loc,
  };
}

/** `ANY | SOME | ALL (…)` after a binary operator: a SubLink or an OpAnyAllExpr. */
function parseAnyAll(
  p: Parser,
  left: Expr,
  opText: string,
  schema: string | null,
  location: number,
): Expr {
  const q = p.advance().value === "all" ? "all" : "any";
  if (isSelectParens(p)) {
    const subquery = parseSelectWithParens(p);
    return { kind: "sublink", type: q, test: left, op: opText, subquery, location };
  }
  p.expectOp("(");
  const right = parseExpr(p);
  p.expectOp(")");
  return { kind: "op_any_all", op: opText, schema, quantifier: q, left, right, location };
}

/** ANY, SOME and ALL are reserved: after an operator they can only be a quantifier. */
function isAnyAll(p: Parser): boolean {
  const t = p.tok;
  return t.type === "keyword" && (t.value === "any" || t.value === "some" || t.value === "all");
}

function parseInfix(p: Parser, left: Expr, power: number, b: boolean): Expr {
  const t = p.tok;
  const loc = t.loc;
  if (t.type === "op") {
    p.advance();
    if (t.value === "::") {
      return { kind: "type_cast", arg: left, type: parseTypeName(p), location: loc };
    }
    if (isAnyAll(p)) return parseAnyAll(p, left, t.value, null, loc);
    const right = parseA(p, power + 1, b);
    if (power === CMP) nonAssoc(p, CMP, b);
    return op(t.value, left, right, loc);
  }
  switch (t.value) {
    case "operator": {
      const [schema, name] = qualifiedOperator(p);
      if (isAnyAll(p)) return parseAnyAll(p, left, name, schema, loc);
      return op(name, left, parseA(p, OP + 1, b), loc, schema);
    }
    case "or":
    case "and": {
      p.advance();
      const right = parseA(p, power + 1, b);
      const kind = t.value;
      if (left.kind === "bool" && left.op === kind) {
        left.args.push(right);
        return left;
      }
      return { kind: "bool", op: kind, args: [left, right], location: loc };
    }
    case "isnull":
    case "notnull":
      p.advance();
      return { kind: "null_test", arg: left, not: t.value === "notnull", location: loc };
    case "is":
      return parseIs(p, left, b);
    case "at": {
      p.advance();
      p.expectKw("time");
      p.expectKw("zone");
      const zone = parseA(p, AT + 1, b);
      return { kind: "at_time_zone", arg: left, zone, location: loc };
    }
    case "collate": {
      p.advance();
      return { kind: "collate", arg: left, collation: p.anyName(), location: loc };
    }
  }
  return parsePredicate(p, left, b);
}

/** IS [NOT] NULL | TRUE | FALSE | UNKNOWN | DISTINCT FROM x. */
function parseIs(p: Parser, left: Expr, b: boolean): Expr {
  const loc = p.advance().loc;
  const not = p.acceptKw("not");
  const t = p.tok;
  if (t.type === "keyword") {
    switch (t.value) {
      case "null":
        if (b) break;
        p.advance();
        return { kind: "null_test", arg: left, not, location: loc };
      case "true":
      case "false":
      case "unknown":
        if (b) break;
        p.advance();
        return { kind: "boolean_test", arg: left, test: t.value, not, location: loc };
      case "distinct": {
        p.advance();
        p.expectKw("from");
        const right = parseA(p, IS + 1, b);
        nonAssoc(p, IS, b);
        return { kind: "distinct", left, right, not, location: loc };
      }
    }
  }
  throw p.error();
}

/** [NOT] BETWEEN | IN | LIKE | ILIKE | SIMILAR TO. */
function parsePredicate(p: Parser, left: Expr, b: boolean): Expr {
  const loc = p.tok.loc;
  const not = p.acceptKw("not");
  const t = p.advance();
  switch (t.value) {
    case "between": {
      let symmetric = false;
      if (p.acceptKw("symmetric")) symmetric = true;
      else p.acceptKw("asymmetric");
      const low = parseBExpr(p);
      p.expectKw("and");
      const high = parseA(p, LIKE + 1, b);
      nonAssoc(p, LIKE, b);
      return { kind: "between", arg: left, low, high, not, symmetric, location: loc };
    }
    case "in": {
      if (isSelectParens(p)) {
        const subquery = parseSelectWithParens(p);
        const link: Expr = {
          kind: "sublink",
          type: "any",
          test: left,
          op: "=",
          subquery,
          location: loc,
        };
        return not ? { kind: "bool", op: "not", args: [link], location: loc } : link;
      }
      p.expectOp("(");
      const list = parseExprList(p);
      p.expectOp(")");
      return { kind: "in_list", arg: left, list, not, location: loc };
    }
    case "like":
    case "ilike":
    case "similar": {
      if (t.value === "similar") p.expectKw("to");
      if (t.value !== "similar" && isAnyAll(p)) {
        const name = (not ? "!" : "") + (t.value === "like" ? "~~" : "~~*");
        return parseAnyAll(p, left, name, null, loc);
      }
      const pattern = parseA(p, LIKE + 1, b);
      let escape: Expr | null = null;
      if (p.acceptKw("escape")) escape = parseA(p, LIKE + 1, b);
      nonAssoc(p, LIKE, b);
      return { kind: "like", op: t.value, arg: left, pattern, escape, not, location: loc };
    }
  }
  throw p.error(t);
}

/** Subscripts and `.field` / `.*` steps, or none. */
export function parseIndirection(p: Parser): IndirectionItem[] {
  const path: IndirectionItem[] = [];
  while (true) {
    const t = p.tok;
    if (t.type !== "op") break;
    if (t.value === ".") {
      p.advance();
      if (p.isOp("*")) {
        path.push({ kind: "field_star", location: p.advance().loc });
      } else path.push({ kind: "field", name: p.colLabel(), location: t.loc });
    } else if (t.value === "[") {
      p.advance();
      let lower: Expr | null = null;
      let upper: Expr | null = null;
      let slice = false;
      if (!p.isOp(":")) lower = parseExpr(p);
      if (p.acceptOp(":")) {
        slice = true;
        if (!p.isOp("]")) upper = parseExpr(p);
      }
      p.expectOp("]");
      if (!slice) {
        upper = lower;
        lower = null;
      }
      path.push({ kind: "subscript", lower, upper, slice, location: t.loc });
    } else break;
  }
  return path;
}

function withIndirection(p: Parser, arg: Expr, location: number): Expr {
  const path = parseIndirection(p);
  return path.length === 0 ? arg : { kind: "indirection", arg, path, location };
}

/** A column reference `a.b.c[1].d` or `t.*` starting at a ColId. */
function parseColumnRef(p: Parser, first: Token): Expr {
  const names = [first.value];
  let star = false;
  while (p.isOp(".")) {
    if (p.peekOp(1, "*")) {
      p.advance(), p.advance();
      star = true;
      break;
    }
    // After a dot a name must follow (PostgreSQL shifts the dot and fails at what comes next).
    p.advance();
    names.push(p.colLabel());
  }
  const ref: Expr = { kind: "column_ref", names, star, location: first.loc };
  if (star) return ref;
  if (p.isOp("[")) return withIndirection(p, ref, first.loc);
  return ref;
}

/** A typed literal `type 'string'` (a TypeCast of the string). */
function typedLiteral(p: Parser, type: TypeName): Expr {
  const st = p.tok;
  const value = p.sconst();
  const arg: Expr = { kind: "string", value, location: st.loc };
  if (type.names[1] === "interval" && type.names[0] === "pg_catalog" && type.typmods.length === 0) {
    type.intervalFields = optIntervalFields(p, type.typmods);
  }
  return { kind: "type_cast", arg, type, location: type.location };
}

/**
 * gram.y's `func_name '(' func_arg_list ')' Sconst`: a call followed by a string is a typed
 * literal whose arguments are type modifiers (`mytype(1, 2) 'x'`).
 */
function modifiedTypeLiteral(p: Parser, f: FuncCall): Expr {
  if (p.tok.type !== "string") return f;
  const plain = !f.star && !f.distinct && !f.variadic && !f.withinGroup && f.filter === null &&
    f.over === null && f.args.length > 0 && f.args.every((a) => a.kind !== "named_arg");
  if (!plain) throw p.error();
  return typedLiteral(p, {
    kind: "type_name",
    names: f.name,
    typmods: f.args,
    arrayBounds: [],
    intervalFields: null,
    setof: false,
    location: f.location,
  });
}

/** Whether a built-in type keyword here begins a typed literal rather than naming a column. */
function startsTypedLiteral(p: Parser): boolean {
  if (!isBuiltinTypeStart(p)) return false;
  const n = p.peek(1);
  if (n.type === "string") return true;
  if (n.type === "op" && n.value === "(") return true;
  return n.type === "keyword" &&
    ["precision", "varying", "with", "without", "character", "char"].includes(n.value);
}

/** c_expr: the operands of operators. */
export function parseCExpr(p: Parser): Expr {
  const t = p.tok;
  switch (t.type) {
    case "integer":
      p.advance();
      return { kind: "integer", value: Number(t.value), location: t.loc };
    case "numeric":
      p.advance();
      return { kind: "numeric", value: t.value, location: t.loc };
    case "string":
      p.advance();
      return { kind: "string", value: t.value, location: t.loc };
    case "bitstring":
      p.advance();
      return { kind: "bit_string", value: t.value, location: t.loc };
    case "param": {
      p.advance();
      const ref: Expr = { kind: "param", number: Number(t.value), location: t.loc };
      return withIndirection(p, ref, t.loc);
    }
    case "op":
      if (t.value === "(") return parseParens(p);
      throw p.error();
    case "keyword": {
      if (startsTypedLiteral(p)) {
        const type = parseBuiltinType(p, true);
        return typedLiteral(p, type);
      }
      const special = parseKeywordExpr(p);
      if (special !== null) return special;
      break;
    }
    case "ident":
      break;
    default:
      throw p.error();
  }
  // A name: a function call, a typed literal `name 'x'`, or a column reference.
  const n = p.peek(1);
  if (n.type === "op" && n.value === "(" && p.isTypeFuncName(t)) {
    p.advance();
    return modifiedTypeLiteral(p, parseFuncCall(p, [t.value], t.loc));
  }
  if (n.type === "string" && p.isTypeFuncName(t)) {
    p.advance();
    return typedLiteral(p, {
      kind: "type_name",
      names: [t.value],
      typmods: [],
      arrayBounds: [],
      intervalFields: null,
      setof: false,
      location: t.loc,
    });
  }
  if (!p.isColId(t)) {
    // A type_func_name keyword can only begin a call or a typed literal: fail at what follows.
    if (p.isTypeFuncName(t)) p.advance();
    throw p.error();
  }
  p.advance();
  const ref = parseColumnRef(p, t);
  // A qualified function name or typed literal: a.b(…), a.b 'x'.
  if (ref.kind === "column_ref" && !ref.star && ref.names.length > 1) {
    if (p.isOp("(")) return modifiedTypeLiteral(p, parseFuncCall(p, ref.names, t.loc));
    if (p.tok.type === "string") {
      return typedLiteral(p, {
        kind: "type_name",
        names: ref.names,
        typmods: [],
        arrayBounds: [],
        intervalFields: null,
        setof: false,
        location: t.loc,
      });
    }
  }
  return ref;
}

/** `(` …: a subquery, a parenthesised expression, or a row constructor `(a, b)`. */
function parseParens(p: Parser): Expr {
  const t = p.tok;
  if (isSelectParens(p)) {
    const subquery = parseSelectWithParens(p);
    const link: Expr = {
      kind: "sublink",
      type: "expr",
      test: null,
      op: null,
      subquery,
      location: t.loc,
    };
    return withIndirection(p, link, t.loc);
  }
  p.advance();
  p.enter();
  const first = parseExpr(p);
  p.leave();
  if (p.isOp(",")) {
    const args = [first];
    while (p.acceptOp(",")) args.push(parseExpr(p));
    p.expectOp(")");
    return { kind: "row", args, explicit: false, location: t.loc };
  }
  p.expectOp(")");
  return withIndirection(p, first, t.loc);
}
