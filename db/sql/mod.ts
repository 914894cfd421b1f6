/**
 * @module The SQL front end of BKG-DB: PostgreSQL-dialect text → AST (and back). The parser is
 * hand-written recursive descent following PostgreSQL 15's gram.y and scan.l; errors are DbErrors
 * with PostgreSQL's SQLSTATEs, messages and positions.
 */
export type * from "./ast.ts";
export { parse, parseExpr, parseOne } from "./parse.ts";
export { printStatement } from "./print_stmt.ts";
export { printExpr, printTypeName, quoteIdent, quoteString } from "./print_expr.ts";
export { isBareLabel, keywordCategory, keywords } from "./keywords.ts";
export type { KeywordCategory } from "./keywords.ts";
