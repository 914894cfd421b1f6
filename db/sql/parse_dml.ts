/**
 * @module WITH clauses and the data-modifying statements: INSERT (column lists, OVERRIDING,
 * DEFAULT VALUES, ON CONFLICT), UPDATE (SET col = …, SET (a, b) = …, FROM), DELETE (USING),
 * RETURNING; and index elements, shared with CREATE INDEX and PARTITION BY.
 */
import { SqlState } from "../sqlstate.ts";
import type { Expr } from "./ast_expr.ts";
import type {
  CommonTableExpr,
  DeleteStmt,
  IndexElem,
  InsertStmt,
  OnConflict,
  SetClause,
  TargetColumn,
  UpdateStmt,
  WithClause,
} from "./ast_query.ts";
import type { Parser } from "./parser.ts";
import { parseCExpr, parseExpr, parseIndirection } from "./parse_expr.ts";
import {
  parseFromList,
  parseOptAlias,
  parseQualifiedName,
  parseRelationExpr,
} from "./parse_from.ts";
import { isQueryStart, isSelectParens, parseQuery, parseTargetList } from "./parse_select.ts";

/** WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (statement), …. */
export function parseWithClause(p: Parser): WithClause {
  const loc = p.expectKw("with").loc;
  const recursive = p.acceptKw("recursive");
  const ctes = p.list((): CommonTableExpr => {
    const t = p.tok;
    const name = p.colId();
    const columns = p.isOp("(") ? p.parenList(() => p.colId()) : [];
    p.expectKw("as");
    let materialized: CommonTableExpr["materialized"] = "default";
    if (p.acceptKw("materialized")) materialized = "always";
    else if (p.acceptKw("not")) {
      p.expectKw("materialized");
      materialized = "never";
    }
    p.expectOp("(");
    p.enter();
    const query = parsePreparable(p);
    p.leave();
    p.expectOp(")");
    return { kind: "cte", name, columns, materialized, query, location: t.loc };
  });
  return { kind: "with", recursive, ctes, location: loc };
}

/** SELECT, INSERT, UPDATE or DELETE (gram.y's PreparableStmt). */
export function parsePreparable(p: Parser): CommonTableExpr["query"] {
  let w: WithClause | null = null;
  if (p.isKw("with")) w = parseWithClause(p);
  if (p.isKw("insert")) return parseInsert(p, w);
  if (p.isKw("update")) return parseUpdate(p, w);
  if (p.isKw("delete")) return parseDelete(p, w);
  if (!isQueryStart(p) && !p.isOp("(")) throw p.error();
  return parseQuery(p, w);
}

function parseTargetColumn(p: Parser): TargetColumn {
  const t = p.tok;
  const name = p.colId();
  return { kind: "target_column", name, indirection: parseIndirection(p), location: t.loc };
}

function parseReturning(p: Parser): InsertStmt["returning"] {
  return p.acceptKw("returning") ? parseTargetList(p) : [];
}

/** INSERT INTO …. */
export function parseInsert(p: Parser, w: WithClause | null): InsertStmt {
  const loc = w?.location ?? p.tok.loc;
  p.expectKw("insert");
  p.expectKw("into");
  const relation = parseQualifiedName(p);
  if (p.isKw("as")) {
    const at = p.advance();
    relation.alias = { kind: "alias", name: p.colId(), columns: [], location: at.loc };
  }
  const stmt: InsertStmt = {
    kind: "insert",
    with: w,
    relation,
    columns: [],
    overriding: null,
    query: null,
    onConflict: null,
    returning: [],
    location: loc,
  };
  if (p.isKw("default")) {
    p.advance();
    p.expectKw("values");
  } else {
    if (p.isOp("(") && !isSelectParens(p)) stmt.columns = p.parenList(() => parseTargetColumn(p));
    if (p.acceptKw("overriding")) {
      if (p.acceptKw("system")) stmt.overriding = "system";
      else {
        p.expectKw("user");
        stmt.overriding = "user";
      }
      p.expectKw("value");
    }
    if (!isQueryStart(p) && !p.isOp("(")) throw p.error();
    stmt.query = parseQuery(p);
  }
  if (p.isKw("on")) stmt.onConflict = parseOnConflict(p);
  stmt.returning = parseReturning(p);
  return stmt;
}

function parseOnConflict(p: Parser): OnConflict {
  const loc = p.advance().loc;
  p.expectKw("conflict");
  const oc: OnConflict = {
    kind: "on_conflict",
    target: null,
    action: "nothing",
    set: [],
    where: null,
    location: loc,
  };
  if (p.isOp("(")) {
    const columns = p.parenList(() => parseIndexElem(p));
    oc.target = { kind: "columns", columns, where: p.acceptKw("where") ? parseExpr(p) : null };
  } else if (p.isKw("on")) {
    p.advance();
    p.expectKw("constraint");
    oc.target = { kind: "constraint", name: p.colId() };
  }
  p.expectKw("do");
  if (p.acceptKw("nothing")) return oc;
  p.expectKw("update");
  p.expectKw("set");
  oc.action = "update";
  oc.set = parseSetClauses(p);
  if (p.acceptKw("where")) oc.where = parseExpr(p);
  return oc;
}

/** `col = expr, (a, b) = expr, …`. */
export function parseSetClauses(p: Parser): SetClause[] {
  return p.list((): SetClause => {
    const t = p.tok;
    if (p.isOp("(")) {
      const columns = p.parenList(() => parseTargetColumn(p));
      p.expectOp("=");
      return { kind: "set_multi", columns, value: parseExpr(p), location: t.loc };
    }
    const column = parseTargetColumn(p);
    p.expectOp("=");
    return { kind: "set_column", column, value: parseExpr(p), location: t.loc };
  });
}

/** UPDATE …. */
export function parseUpdate(p: Parser, w: WithClause | null): UpdateStmt {
  const loc = w?.location ?? p.tok.loc;
  p.expectKw("update");
  const relation = parseRelationExpr(p);
  relation.alias = parseOptAlias(p, false, true);
  p.expectKw("set");
  const set = parseSetClauses(p);
  const from = p.acceptKw("from") ? parseFromList(p) : [];
  const where = parseWhere(p);
  return {
    kind: "update",
    with: w,
    relation,
    set,
    from,
    where,
    returning: parseReturning(p),
    location: loc,
  };
}

function parseWhere(p: Parser): Expr | null {
  if (!p.acceptKw("where")) return null;
  if (p.isKw("current") && p.peekKw(1, "of")) {
    throw p.errorAt("WHERE CURRENT OF is not supported", p.tok, SqlState.featureNotSupported);
  }
  return parseExpr(p);
}

/** DELETE FROM …. */
export function parseDelete(p: Parser, w: WithClause | null): DeleteStmt {
  const loc = w?.location ?? p.tok.loc;
  p.expectKw("delete");
  p.expectKw("from");
  const relation = parseRelationExpr(p);
  relation.alias = parseOptAlias(p, false);
  const using = p.acceptKw("using") ? parseFromList(p) : [];
  const where = parseWhere(p);
  return {
    kind: "delete",
    with: w,
    relation,
    using,
    where,
    returning: parseReturning(p),
    location: loc,
  };
}

/** An index column: `col`, `f(x)`, `(expr)`, then COLLATE, opclass, ASC|DESC, NULLS FIRST|LAST. */
export function parseIndexElem(p: Parser): IndexElem {
  const t = p.tok;
  const e: IndexElem = {
    kind: "index_elem",
    column: null,
    expr: null,
    collation: null,
    opclass: null,
    ordering: "default",
    nulls: "default",
    location: t.loc,
  };
  if (p.isOp("(")) {
    p.advance();
    e.expr = parseExpr(p);
    p.expectOp(")");
  } else if (p.isColId() && !p.peekOp(1, "(") && !p.peekOp(1, ".")) {
    e.column = p.advance().value;
  } else {
    e.expr = parseCExpr(p);
  }
  if (p.acceptKw("collate")) e.collation = p.anyName();
  if (p.isColId() && !(p.isKw("nulls") && (p.peekKw(1, "first") || p.peekKw(1, "last")))) {
    e.opclass = p.anyName();
  }
  if (p.acceptKw("asc")) e.ordering = "asc";
  else if (p.acceptKw("desc")) e.ordering = "desc";
  if (p.isKw("nulls") && (p.peekKw(1, "first") || p.peekKw(1, "last"))) {
    p.advance();
    e.nulls = p.advance().value === "first" ? "first" : "last";
  }
  return e;
}
