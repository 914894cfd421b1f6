/**
 * @module `printStatement`: any statement back to SQL text that parses to an equal AST
 * (locations aside). Queries and DML print in print_query.ts, DDL in print_ddl.ts, the rest in
 * print_utility.ts.
 */
import { assert } from "../assert.ts";
import type { Statement } from "./ast.ts";
import { printPreparable } from "./print_query.ts";
import { printDdl } from "./print_ddl.ts";
import { printUtility } from "./print_utility.ts";

/**
 * A statement as SQL text.
 *
 * @example
 * printStatement(parse("select 1")[0]); // "SELECT 1"
 */
export function printStatement(s: Statement): string {
  switch (s.kind) {
    case "select":
    case "values":
    case "set_operation":
    case "insert":
    case "update":
    case "delete":
      return printPreparable(s);
  }
  const text = printDdl(s) ?? printUtility(s);
  assert(text !== null, `no printer for statement kind ${s.kind}`);
  return text;
}
