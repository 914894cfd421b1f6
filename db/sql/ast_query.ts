/**
 * @module AST nodes of queries and data-modifying statements: SELECT, VALUES, set operations,
 * FROM items, WITH, INSERT, UPDATE, DELETE (see ast.ts for the design).
 */
import type { Expr, IndirectionItem, NodeBase, SortBy, TypeName, WindowDef } from "./ast_expr.ts";

/** A query: SELECT, VALUES, a set operation, or TABLE name (a SELECT * FROM name). */
export type Query = SelectStmt | ValuesStmt | SetOperationStmt;

/**
 * Clauses every query form can carry (PostgreSQL attaches them to the outermost SelectStmt; an
 * inner parenthesised query keeps its own).
 */
export interface QueryClauses {
  with: WithClause | null;
  orderBy: SortBy[];
  /** LIMIT n / FETCH FIRST n ROWS; `LIMIT ALL` is a NullConst, as in PostgreSQL. */
  limit: Expr | null;
  offset: Expr | null;
  /** FETCH … WITH TIES. */
  withTies: boolean;
  locking: LockingClause[];
}

/** SELECT. */
export interface SelectStmt extends NodeBase, QueryClauses {
  kind: "select";
  /** null: no DISTINCT; []: DISTINCT; [exprs]: DISTINCT ON (exprs). */
  distinct: Expr[] | null;
  targets: ResTarget[];
  into: IntoClause | null;
  from: FromItem[];
  where: Expr | null;
  groupBy: GroupByItem[];
  /** GROUP BY DISTINCT. */
  groupByDistinct: boolean;
  having: Expr | null;
  windows: WindowDef[];
}

/** VALUES (…), (…). */
export interface ValuesStmt extends NodeBase, QueryClauses {
  kind: "values";
  rows: Expr[][];
}

/** UNION / INTERSECT / EXCEPT [ALL]. */
export interface SetOperationStmt extends NodeBase, QueryClauses {
  kind: "set_operation";
  op: "union" | "intersect" | "except";
  all: boolean;
  left: Query;
  right: Query;
}

/** One target: `expr [AS alias]`; `*` and `t.*` are ColumnRefs with `star`. */
export interface ResTarget extends NodeBase {
  kind: "res_target";
  expr: Expr;
  alias: string | null;
}

/** SELECT … INTO [TEMP | UNLOGGED] [TABLE] name. */
export interface IntoClause extends NodeBase {
  kind: "into";
  relation: RangeVar;
  persistence: Persistence;
}

/** Table persistence. */
export type Persistence = "permanent" | "temp" | "unlogged";

/** An item of FROM. */
export type FromItem = RangeVar | RangeSubselect | RangeFunction | JoinExpr;

/** `[catalog.][schema.]name [*] [AS alias (cols)]`; `only` is ONLY name. */
export interface RangeVar extends NodeBase {
  kind: "range_var";
  catalog: string | null;
  schema: string | null;
  name: string;
  only: boolean;
  alias: Alias | null;
}

/** `AS name (col, …)`. */
export interface Alias extends NodeBase {
  kind: "alias";
  name: string;
  columns: string[];
}

/** `[LATERAL] (query) [AS] alias`. */
export interface RangeSubselect extends NodeBase {
  kind: "range_subselect";
  lateral: boolean;
  query: Query;
  alias: Alias | null;
}

/**
 * A function in FROM: `[LATERAL] f(…) [WITH ORDINALITY] [AS] alias[(cols)]`, or
 * `ROWS FROM (f(…), g(…))`. A column definition list (`AS t(a int, b text)`) is `columnDefs`.
 */
export interface RangeFunction extends NodeBase {
  kind: "range_function";
  lateral: boolean;
  rowsFrom: boolean;
  functions: Expr[];
  ordinality: boolean;
  alias: Alias | null;
  columnDefs: { name: string; type: TypeName; location: number }[] | null;
}

/** A join. CROSS JOIN has no condition; `natural` has none either. */
export interface JoinExpr extends NodeBase {
  kind: "join";
  type: "inner" | "left" | "right" | "full" | "cross";
  natural: boolean;
  left: FromItem;
  right: FromItem;
  using: string[] | null;
  /** `USING (cols) AS name` (PostgreSQL 14's join_using_alias). */
  usingAlias: Alias | null;
  on: Expr | null;
  /** `(a JOIN b …) AS alias`. */
  alias: Alias | null;
}

/** An element of GROUP BY. */
export type GroupByItem = Expr | GroupingSet;

/** ROLLUP (…), CUBE (…), GROUPING SETS (…), or the empty set `()`. */
export interface GroupingSet extends NodeBase {
  kind: "grouping_set";
  type: "empty" | "rollup" | "cube" | "sets";
  items: GroupByItem[];
}

/** WITH [RECURSIVE] cte, …. */
export interface WithClause extends NodeBase {
  kind: "with";
  recursive: boolean;
  ctes: CommonTableExpr[];
}

/** `name [(cols)] AS [[NOT] MATERIALIZED] (statement)`. */
export interface CommonTableExpr extends NodeBase {
  kind: "cte";
  name: string;
  columns: string[];
  materialized: "default" | "always" | "never";
  query: Query | InsertStmt | UpdateStmt | DeleteStmt;
}

/** FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF t, …] [NOWAIT | SKIP LOCKED]. */
export interface LockingClause extends NodeBase {
  kind: "locking";
  strength: "update" | "no_key_update" | "share" | "key_share";
  of: RangeVar[];
  wait: "block" | "nowait" | "skip_locked";
}

/** INSERT INTO t [AS a] [(cols)] [OVERRIDING …] {query | DEFAULT VALUES} [ON CONFLICT] [RETURNING]. */
export interface InsertStmt extends NodeBase {
  kind: "insert";
  with: WithClause | null;
  relation: RangeVar;
  columns: TargetColumn[];
  overriding: "system" | "user" | null;
  /** null is DEFAULT VALUES. */
  query: Query | null;
  onConflict: OnConflict | null;
  returning: ResTarget[];
}

/** A column being assigned, with optional subscripts or fields: `a`, `a[1]`, `c.f`. */
export interface TargetColumn extends NodeBase {
  kind: "target_column";
  name: string;
  indirection: IndirectionItem[];
}

/** ON CONFLICT [target] DO NOTHING | DO UPDATE SET … [WHERE]. */
export interface OnConflict extends NodeBase {
  kind: "on_conflict";
  /** `(cols) [WHERE pred]`, `ON CONSTRAINT name`, or none. */
  target:
    | { kind: "columns"; columns: IndexElem[]; where: Expr | null }
    | { kind: "constraint"; name: string }
    | null;
  action: "nothing" | "update";
  set: SetClause[];
  where: Expr | null;
}

/** `col = expr` or `(a, b) = expr` of UPDATE and ON CONFLICT DO UPDATE. */
export type SetClause =
  | { kind: "set_column"; column: TargetColumn; value: Expr; location: number }
  | { kind: "set_multi"; columns: TargetColumn[]; value: Expr; location: number };

/** UPDATE [ONLY] t [AS a] SET … [FROM …] [WHERE …] [RETURNING …]. */
export interface UpdateStmt extends NodeBase {
  kind: "update";
  with: WithClause | null;
  relation: RangeVar;
  set: SetClause[];
  from: FromItem[];
  where: Expr | null;
  returning: ResTarget[];
}

/** DELETE FROM [ONLY] t [AS a] [USING …] [WHERE …] [RETURNING …]. */
export interface DeleteStmt extends NodeBase {
  kind: "delete";
  with: WithClause | null;
  relation: RangeVar;
  using: FromItem[];
  where: Expr | null;
  returning: ResTarget[];
}

/** An index column (CREATE INDEX, ON CONFLICT, PARTITION BY): a column name or `(expr)`. */
export interface IndexElem extends NodeBase {
  kind: "index_elem";
  column: string | null;
  expr: Expr | null;
  collation: string[] | null;
  opclass: string[] | null;
  ordering: "default" | "asc" | "desc";
  nulls: "default" | "first" | "last";
}
