/**
 * @module Queries: SELECT, VALUES, TABLE, set operations with INTERSECT binding tighter than
 * UNION/EXCEPT, parenthesised queries and the clauses that attach to them (ORDER BY, LIMIT,
 * OFFSET, FETCH, FOR UPDATE, WITH) with PostgreSQL's "multiple … clauses not allowed" checks.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import type { Expr } from "./ast_expr.ts";
import type {
  GroupByItem,
  LockingClause,
  Query,
  QueryClauses,
  ResTarget,
  SelectStmt,
  WithClause,
} from "./ast_query.ts";
import { charPosition } from "./lexer.ts";
import type { Parser } from "./parser.ts";
import { parseCExpr, parseExpr, parseExprList, parseTargetExpr } from "./parse_expr.ts";
import { parseSortClause, parseWindowSpec } from "./parse_func.ts";
import { parseFromList, parseQualifiedName, parseRelationExpr } from "./parse_from.ts";
import { parseWithClause } from "./parse_dml.ts";

const selectStarters = new Set(["select", "values", "with", "table"]);
const afterInnerSelect = new Set([
  "union",
  "intersect",
  "except",
  "order",
  "limit",
  "offset",
  "fetch",
  "for",
]);

function startsSelectAt(p: Parser, i: number): boolean {
  const t = p.tokens[i];
  if (t === undefined || t.type !== "op" || t.value !== "(") return false;
  const n = p.tokens[i + 1];
  if (n === undefined) return false;
  if (n.type === "keyword" && selectStarters.has(n.value)) {
    if (n.value !== "values") return true;
    const m = p.tokens[i + 2];
    return m !== undefined && m.type === "op" && m.value === "(";
  }
  if (n.type === "op" && n.value === "(") {
    if (!startsSelectAt(p, i + 1)) return false;
    const k = p.matchParen(i + 1);
    const after = k < 0 ? undefined : p.tokens[k + 1];
    if (after === undefined) return false;
    return (after.type === "op" && after.value === ")") ||
      (after.type === "keyword" && afterInnerSelect.has(after.value));
  }
  return false;
}

/** Whether the `(` at the cursor opens a parenthesised query (select_with_parens). */
export function isSelectParens(p: Parser): boolean {
  return startsSelectAt(p, p.pos);
}

/** `( query )`. */
export function parseSelectWithParens(p: Parser): Query {
  p.enter();
  p.expectOp("(");
  const q = parseQuery(p);
  p.expectOp(")");
  p.leave();
  return q;
}

/** Whether the cursor is at the start of a query (for statements that take one). */
export function isQueryStart(p: Parser): boolean {
  const t = p.tok;
  if (t.type === "keyword") return selectStarters.has(t.value);
  return isSelectParens(p);
}

function emptyClauses(): QueryClauses {
  return { with: null, orderBy: [], limit: null, offset: null, withTies: false, locking: [] };
}

/**
 * A query with its trailing clauses (select_no_parens or select_with_parens).
 *
 * @example
 * parseQuery(new Parser("select 1 union select 2 order by 1"));
 */
export function parseQuery(p: Parser, withClause: WithClause | null = null): Query {
  if (withClause === null && p.isKw("with")) withClause = parseWithClause(p);
  const q = parseSetOps(p, 0);
  const extra = emptyClauses();
  if (p.isKw("order")) extra.orderBy = parseSortClause(p);
  parseLimitAndLocking(p, extra);
  extra.with = withClause;
  return insertClauses(p, q, extra);
}

function multiple(p: Parser, what: string, location: number): DbError {
  return new DbError(SqlState.syntaxError, `multiple ${what} clauses not allowed`, {
    position: byteToPosition(p, location),
  });
}

/** The 1-based character position of byte offset `loc` in the parser's text. */
export function byteToPosition(p: Parser, loc: number): number {
  const t = p.tokens.find((x) => x.loc === loc);
  return charPosition(p.text, t === undefined ? loc : t.start);
}

/** PostgreSQL's insertSelectOptions: puts trailing clauses on the query, refusing duplicates. */
function insertClauses(p: Parser, q: Query, extra: QueryClauses): Query {
  if (extra.orderBy.length > 0) {
    if (q.orderBy.length > 0) throw multiple(p, "ORDER BY", extra.orderBy[0]!.location);
    q.orderBy = extra.orderBy;
  }
  if (extra.locking.length > 0) q.locking = [...q.locking, ...extra.locking];
  if (extra.offset !== null) {
    if (q.offset !== null) throw multiple(p, "OFFSET", extra.offset.location);
    q.offset = extra.offset;
  }
  if (extra.limit !== null) {
    if (q.limit !== null) throw multiple(p, "LIMIT", extra.limit.location);
    q.limit = extra.limit;
    q.withTies = extra.withTies;
    if (extra.withTies && q.orderBy.length === 0) {
      throw new DbError(
        SqlState.syntaxError,
        "WITH TIES cannot be specified without ORDER BY clause",
      );
    }
  }
  if (extra.with !== null) {
    if (q.with !== null) throw multiple(p, "WITH", extra.with.location);
    q.with = extra.with;
  }
  return q;
}

/** LIMIT/OFFSET/FETCH and FOR UPDATE…, in the orders the grammar allows. */
function parseLimitAndLocking(p: Parser, c: QueryClauses): void {
  const limitFirst = p.isKw("limit") || p.isKw("fetch") || p.isKw("offset");
  if (limitFirst) parseLimitOffset(p, c);
  if (p.isKw("for")) {
    parseLocking(p, c);
    if (!limitFirst && (p.isKw("limit") || p.isKw("fetch") || p.isKw("offset"))) {
      parseLimitOffset(p, c);
    }
  }
}

function parseLimitOffset(p: Parser, c: QueryClauses): void {
  let sawLimit = false;
  let sawOffset = false;
  for (let round = 0; round < 2; round++) {
    if (!sawLimit && p.isKw("limit")) {
      const limitTok = p.advance();
      const loc = p.tok.loc;
      if (p.acceptKw("all")) c.limit = { kind: "null", location: loc };
      else c.limit = parseExpr(p);
      if (p.isOp(",")) {
        throw new DbError(SqlState.syntaxError, "LIMIT #,# syntax is not supported", {
          hint: "Use separate LIMIT and OFFSET clauses.",
          position: charPosition(p.text, limitTok.start),
        });
      }
      sawLimit = true;
    } else if (!sawLimit && p.isKw("fetch")) {
      p.advance();
      if (!p.acceptKw("first")) p.expectKw("next");
      let count: Expr;
      if (p.isKw("row") || p.isKw("rows")) count = { kind: "integer", value: 1, location: -1 };
      else count = fetchFirstValue(p);
      if (!p.acceptKw("row")) p.expectKw("rows");
      if (p.acceptKw("with")) {
        p.expectKw("ties");
        c.withTies = true;
      } else p.expectKw("only");
      c.limit = count;
      sawLimit = true;
    } else if (!sawOffset && p.isKw("offset")) {
      p.advance();
      c.offset = parseExpr(p);
      if (p.isKw("row") || p.isKw("rows")) p.advance();
      sawOffset = true;
    } else break;
  }
}

function fetchFirstValue(p: Parser): Expr {
  if (p.isOp("+") || p.isOp("-")) {
    const sign = p.advance();
    const t = p.tok;
    if (t.type === "integer") {
      p.advance();
      return {
        kind: "integer",
        value: sign.value === "-" ? 0 - Number(t.value) : Number(t.value),
        location: sign.loc,
      };
    }
    if (t.type === "numeric") {
      p.advance();
      return {
        kind: "numeric",
        value: (sign.value === "-" ? "-" : "") + t.value,
        location: sign.loc,
      };
    }
    throw p.error();
  }
  return parseCExpr(p);
}

function parseLocking(p: Parser, c: QueryClauses): void {
  while (p.isKw("for")) {
    const loc = p.advance().loc;
    if (p.acceptKw("read")) {
      p.expectKw("only");
      continue;
    }
    let strength: LockingClause["strength"];
    if (p.acceptKw("update")) strength = "update";
    else if (p.acceptKw("share")) strength = "share";
    else if (p.acceptKw("no")) {
      p.expectKw("key");
      p.expectKw("update");
      strength = "no_key_update";
    } else {
      p.expectKw("key");
      p.expectKw("share");
      strength = "key_share";
    }
    const lc: LockingClause = { kind: "locking", strength, of: [], wait: "block", location: loc };
    if (p.acceptKw("of")) lc.of = p.list(() => parseQualifiedName(p));
    if (p.acceptKw("nowait")) lc.wait = "nowait";
    else if (p.isKw("skip")) {
      p.advance();
      p.expectKw("locked");
      lc.wait = "skip_locked";
    }
    c.locking.push(lc);
  }
}

const UNION = 1;
const INTERSECT = 2;

function setOpPower(p: Parser): number {
  const t = p.tok;
  if (t.type !== "keyword") return 0;
  if (t.value === "union" || t.value === "except") return UNION;
  if (t.value === "intersect") return INTERSECT;
  return 0;
}

function parseSetOps(p: Parser, minPower: number): Query {
  p.enter();
  let left = parseSelectPrimary(p);
  while (true) {
    const power = setOpPower(p);
    if (power === 0 || power < minPower) break;
    const t = p.advance();
    let all = false;
    if (p.acceptKw("all")) all = true;
    else p.acceptKw("distinct");
    const right = parseSetOps(p, power + 1);
    left = {
      kind: "set_operation",
      op: t.value as "union" | "intersect" | "except",
      all,
      left,
      right,
      ...emptyClauses(),
      location: left.location,
    };
  }
  p.leave();
  return left;
}

/** simple_select or select_with_parens. */
function parseSelectPrimary(p: Parser): Query {
  const t = p.tok;
  if (t.type === "op" && t.value === "(") {
    if (!isSelectParens(p)) throw p.error(p.peek(1));
    return parseSelectWithParens(p);
  }
  if (t.type === "keyword") {
    if (t.value === "select") return parseSimpleSelect(p);
    if (t.value === "values") return parseValues(p);
    if (t.value === "table") {
      p.advance();
      const rel = parseRelationExpr(p);
      // TABLE t is SELECT * FROM t, as in PostgreSQL; the star points at TABLE.
      const star: Expr = { kind: "column_ref", names: [], star: true, location: t.loc };
      const s = newSelect(t.loc);
      s.targets = [{ kind: "res_target", expr: star, alias: null, location: t.loc }];
      s.from = [rel];
      return s;
    }
  }
  throw p.error();
}

function newSelect(location: number): SelectStmt {
  return {
    kind: "select",
    distinct: null,
    targets: [],
    into: null,
    from: [],
    where: null,
    groupBy: [],
    groupByDistinct: false,
    having: null,
    windows: [],
    ...emptyClauses(),
    location,
  };
}

function parseValues(p: Parser): Query {
  const loc = p.expectKw("values").loc;
  const rows = p.list(() => {
    p.expectOp("(");
    const row = parseExprList(p);
    p.expectOp(")");
    return row;
  });
  return { kind: "values", rows, ...emptyClauses(), location: loc };
}

const exprReservedStarters = new Set([
  "not",
  "null",
  "true",
  "false",
  "case",
  "cast",
  "array",
  "default",
  "current_catalog",
  "current_date",
  "current_role",
  "current_time",
  "current_timestamp",
  "current_user",
  "localtime",
  "localtimestamp",
  "session_user",
  "user",
]);

/** Whether the cursor can begin a target list entry. */
function canStartTarget(p: Parser): boolean {
  const t = p.tok;
  switch (t.type) {
    case "eof":
    case "error":
      return false;
    case "keyword":
      return t.category !== "reserved" || exprReservedStarters.has(t.value);
    case "op":
      return ![")", ",", ";", "]", ".", "::", ":", "=>", ":=", ".."].includes(t.value);
    default:
      return true;
  }
}

/** The target list of SELECT or RETURNING. */
export function parseTargetList(p: Parser): ResTarget[] {
  return p.list(() => parseTarget(p));
}

function parseTarget(p: Parser): ResTarget {
  const t = p.tok;
  if (t.type === "op" && t.value === "*") {
    p.advance();
    return {
      kind: "res_target",
      expr: { kind: "column_ref", names: [], star: true, location: t.loc },
      alias: null,
      location: t.loc,
    };
  }
  const expr = parseTargetExpr(p);
  let alias: string | null = null;
  if (p.acceptKw("as")) alias = p.colLabel();
  else if (p.isBareColLabel()) alias = p.advance().value;
  return { kind: "res_target", expr, alias, location: t.loc };
}

function parseSimpleSelect(p: Parser): SelectStmt {
  const s = newSelect(p.expectKw("select").loc);
  if (p.acceptKw("distinct")) {
    s.distinct = [];
    if (p.acceptKw("on")) {
      p.expectOp("(");
      s.distinct = parseExprList(p);
      p.expectOp(")");
    }
    s.targets = parseTargetList(p);
  } else {
    p.acceptKw("all");
    if (canStartTarget(p)) s.targets = parseTargetList(p);
  }
  if (p.isKw("into")) s.into = parseInto(p);
  if (p.acceptKw("from")) s.from = parseFromList(p);
  if (p.acceptKw("where")) s.where = parseExpr(p);
  if (p.isKw("group")) {
    p.advance();
    p.expectKw("by");
    if (p.acceptKw("distinct")) s.groupByDistinct = true;
    else p.acceptKw("all");
    s.groupBy = p.list(() => parseGroupByItem(p));
  }
  if (p.acceptKw("having")) s.having = parseExpr(p);
  if (p.acceptKw("window")) {
    s.windows = p.list(() => {
      const name = p.colId();
      p.expectKw("as");
      return parseWindowSpec(p, name);
    });
  }
  return s;
}

function parseInto(p: Parser): SelectStmt["into"] {
  const loc = p.expectKw("into").loc;
  let persistence: "permanent" | "temp" | "unlogged" = "permanent";
  // TEMP is unreserved: `INTO temp FROM t` makes a table named temp.
  const named = (k: number) => p.peekKw(k, "table") || p.isColId(p.peek(k));
  if ((p.isKw("temporary") || p.isKw("temp")) && named(1)) {
    p.advance();
    persistence = "temp";
  } else if (
    (p.isKw("local") || p.isKw("global")) && (p.peekKw(1, "temp") || p.peekKw(1, "temporary"))
  ) {
    p.advance(), p.advance();
    persistence = "temp";
  } else if (p.acceptKw("unlogged")) persistence = "unlogged";
  p.acceptKw("table");
  return { kind: "into", relation: parseQualifiedName(p), persistence, location: loc };
}

function parseGroupByItem(p: Parser): GroupByItem {
  const t = p.tok;
  if (t.type === "op" && t.value === "(" && p.peekOp(1, ")")) {
    p.advance(), p.advance();
    return { kind: "grouping_set", type: "empty", items: [], location: t.loc };
  }
  if ((p.isKw("rollup") || p.isKw("cube")) && p.peekOp(1, "(")) {
    p.advance(), p.advance();
    const items = parseExprList(p);
    p.expectOp(")");
    return { kind: "grouping_set", type: t.value as "rollup" | "cube", items, location: t.loc };
  }
  if (p.isKw("grouping") && p.peekKw(1, "sets")) {
    p.advance(), p.advance();
    p.expectOp("(");
    const items = p.list(() => parseGroupByItem(p));
    p.expectOp(")");
    return { kind: "grouping_set", type: "sets", items, location: t.loc };
  }
  return parseExpr(p);
}
