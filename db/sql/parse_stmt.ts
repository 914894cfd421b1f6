/**
 * @module The statement dispatcher: the first keyword (or a WITH clause, or a parenthesis)
 * chooses the statement's grammar.
 */
import type { Statement } from "./ast.ts";
import type { Parser } from "./parser.ts";
import { isQueryStart, parseQuery } from "./parse_select.ts";
import { parseDelete, parseInsert, parseUpdate, parseWithClause } from "./parse_dml.ts";
import { parseCreate } from "./parse_ddl.ts";
import { parseAlter, parseComment, parseDrop, parseTruncate } from "./parse_alter.ts";
import { parseGrant } from "./parse_security.ts";
import { parseUtility } from "./parse_utility.ts";

/** One statement at the cursor. */
export function parseStatement(p: Parser): Statement {
  const t = p.tok;
  if (t.type === "op" && t.value === "(") return parseQuery(p);
  if (t.type !== "keyword") throw p.error();
  switch (t.value) {
    case "select":
    case "values":
    case "table":
      return parseQuery(p);
    case "with": {
      const w = parseWithClause(p);
      if (p.isKw("insert")) return parseInsert(p, w);
      if (p.isKw("update")) return parseUpdate(p, w);
      if (p.isKw("delete")) return parseDelete(p, w);
      if (!isQueryStart(p)) throw p.error();
      const q = parseQuery(p, w);
      q.location = w.location;
      return q;
    }
    case "insert":
      return parseInsert(p, null);
    case "update":
      return parseUpdate(p, null);
    case "delete":
      return parseDelete(p, null);
    case "create":
      return parseCreate(p);
    case "drop":
      return parseDrop(p);
    case "alter":
      return parseAlter(p);
    case "comment":
      return parseComment(p);
    case "truncate":
      return parseTruncate(p);
    case "grant":
    case "revoke":
      return parseGrant(p);
  }
  return parseUtility(p);
}
