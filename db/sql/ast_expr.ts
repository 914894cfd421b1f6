/**
 * @module AST nodes of value expressions, type names and window definitions (see ast.ts for the
 * design). Shapes follow PostgreSQL's raw parse tree (parsenodes.h) where that is precise, and
 * name things plainly where PostgreSQL overloads one node for many meanings.
 */
import type { Query } from "./ast_query.ts";

/** Every node has a kind and `location`, the 0-based byte offset of its first token. */
export interface NodeBase {
  location: number;
}

/** A value expression. */
export type Expr =
  | ColumnRef
  | ParamRef
  | IntegerConst
  | NumericConst
  | StringConst
  | BitStringConst
  | BooleanConst
  | NullConst
  | TypeCast
  | OpExpr
  | BoolExpr
  | NullTest
  | BooleanTest
  | DistinctExpr
  | BetweenExpr
  | InListExpr
  | LikeExpr
  | OpAnyAllExpr
  | SubLink
  | FuncCall
  | NamedArgExpr
  | CaseExpr
  | ArrayExpr
  | RowExpr
  | CoalesceExpr
  | MinMaxExpr
  | NullIfExpr
  | SqlValueFunction
  | IndirectionExpr
  | CollateExpr
  | AtTimeZoneExpr
  | GroupingFunc
  | SetToDefault;

/** `a`, `t.a`, `s.t.a`, `t.*`, `*`: names already folded; `star` is a trailing `.*` or `*`. */
export interface ColumnRef extends NodeBase {
  kind: "column_ref";
  names: string[];
  star: boolean;
}

/** `$n`. */
export interface ParamRef extends NodeBase {
  kind: "param";
  number: number;
}

/** An integer literal that fits in int4 (larger ones are NumericConst, as in PostgreSQL). */
export interface IntegerConst extends NodeBase {
  kind: "integer";
  value: number;
}

/** A decimal, real or out-of-int4 integer literal, kept as its text. */
export interface NumericConst extends NodeBase {
  kind: "numeric";
  value: string;
}

/** A string literal of any quoting form, decoded. Its type is unknown until bound. */
export interface StringConst extends NodeBase {
  kind: "string";
  value: string;
}

/** B'0101' is `b0101`; X'1F' is `x1F` (PostgreSQL's BCONST). */
export interface BitStringConst extends NodeBase {
  kind: "bit_string";
  value: string;
}

/** TRUE / FALSE. */
export interface BooleanConst extends NodeBase {
  kind: "boolean";
  value: boolean;
}

/** NULL. */
export interface NullConst extends NodeBase {
  kind: "null";
}

/** `x::t`, `CAST(x AS t)`, and typed literals `date '…'` (a cast of a string literal). */
export interface TypeCast extends NodeBase {
  kind: "type_cast";
  arg: Expr;
  type: TypeName;
}

/** A binary (`left` set) or prefix (`left` null) operator; `OPERATOR(s.op)` sets `schema`. */
export interface OpExpr extends NodeBase {
  kind: "op";
  op: string;
  schema: string | null;
  left: Expr | null;
  right: Expr;
}

/** AND / OR (flattened on the left, as PostgreSQL's makeAndExpr does) and NOT (one arg). */
export interface BoolExpr extends NodeBase {
  kind: "bool";
  op: "and" | "or" | "not";
  args: Expr[];
}

/** `x IS [NOT] NULL`, `x ISNULL`, `x NOTNULL`. */
export interface NullTest extends NodeBase {
  kind: "null_test";
  arg: Expr;
  not: boolean;
}

/** `x IS [NOT] TRUE | FALSE | UNKNOWN`. */
export interface BooleanTest extends NodeBase {
  kind: "boolean_test";
  arg: Expr;
  test: "true" | "false" | "unknown";
  not: boolean;
}

/** `a IS [NOT] DISTINCT FROM b`; `not` is IS NOT DISTINCT FROM. */
export interface DistinctExpr extends NodeBase {
  kind: "distinct";
  left: Expr;
  right: Expr;
  not: boolean;
}

/** `x [NOT] BETWEEN [SYMMETRIC] a AND b`. */
export interface BetweenExpr extends NodeBase {
  kind: "between";
  arg: Expr;
  low: Expr;
  high: Expr;
  not: boolean;
  symmetric: boolean;
}

/** `x [NOT] IN (a, b, …)` (a subquery is a SubLink of type `any` with op `=`). */
export interface InListExpr extends NodeBase {
  kind: "in_list";
  arg: Expr;
  list: Expr[];
  not: boolean;
}

/** `x [NOT] LIKE | ILIKE | SIMILAR TO p [ESCAPE e]`. */
export interface LikeExpr extends NodeBase {
  kind: "like";
  op: "like" | "ilike" | "similar";
  arg: Expr;
  pattern: Expr;
  escape: Expr | null;
  not: boolean;
}

/** `x op ANY | SOME | ALL (array)`: SOME is ANY. With a subquery it is a SubLink. */
export interface OpAnyAllExpr extends NodeBase {
  kind: "op_any_all";
  op: string;
  schema: string | null;
  quantifier: "any" | "all";
  left: Expr;
  right: Expr;
}

/**
 * A subquery in an expression: `EXISTS (q)`, `x op ANY|ALL (q)` (IN is `any` with `=`; NOT IN is
 * NOT around it), `(q)` as a scalar (`expr`), `ARRAY(q)` (`array`).
 */
export interface SubLink extends NodeBase {
  kind: "sublink";
  type: "exists" | "any" | "all" | "expr" | "array";
  test: Expr | null;
  op: string | null;
  subquery: Query;
}

/**
 * A function call. `syntax` is `sql` for the SQL-syntax forms that PostgreSQL turns into calls
 * of pg_catalog functions: EXTRACT(f FROM x) → extract('f', x); POSITION(a IN b) →
 * position(b, a); SUBSTRING(x FROM a FOR b) → substring(x, a, b); TRIM([BOTH|LEADING|TRAILING]
 * c FROM x) → btrim|ltrim|rtrim(x, c); OVERLAY(x PLACING y FROM a FOR b) → overlay(x, y, a, b).
 */
export interface FuncCall extends NodeBase {
  kind: "func_call";
  name: string[];
  args: Expr[];
  /** `count(*)`. */
  star: boolean;
  distinct: boolean;
  /** The last argument was written `VARIADIC x`. */
  variadic: boolean;
  /** ORDER BY inside the parentheses, or the WITHIN GROUP ordering when `withinGroup`. */
  orderBy: SortBy[];
  withinGroup: boolean;
  filter: Expr | null;
  over: WindowDef | null;
  syntax: "call" | "sql";
}

/** A named argument `name => value` (or the older `name := value`). */
export interface NamedArgExpr extends NodeBase {
  kind: "named_arg";
  name: string;
  arg: Expr;
}

/** CASE [arg] WHEN … THEN … [ELSE …] END. */
export interface CaseExpr extends NodeBase {
  kind: "case";
  arg: Expr | null;
  whens: CaseWhen[];
  default: Expr | null;
}

/** One WHEN … THEN … of a CASE. */
export interface CaseWhen extends NodeBase {
  kind: "case_when";
  condition: Expr;
  result: Expr;
}

/** ARRAY[a, b] (inner bare `[…]` lists are ArrayExprs too). */
export interface ArrayExpr extends NodeBase {
  kind: "array";
  elements: Expr[];
}

/** ROW(a, b) (`explicit`) or (a, b). */
export interface RowExpr extends NodeBase {
  kind: "row";
  args: Expr[];
  explicit: boolean;
}

/** COALESCE(a, b, …). */
export interface CoalesceExpr extends NodeBase {
  kind: "coalesce";
  args: Expr[];
}

/** GREATEST(…) / LEAST(…). */
export interface MinMaxExpr extends NodeBase {
  kind: "min_max";
  op: "greatest" | "least";
  args: Expr[];
}

/** NULLIF(a, b). */
export interface NullIfExpr extends NodeBase {
  kind: "nullif";
  left: Expr;
  right: Expr;
}

/** The SQL value functions, written without parentheses (CURRENT_TIME(p) takes a precision). */
export interface SqlValueFunction extends NodeBase {
  kind: "sql_value";
  name:
    | "current_date"
    | "current_time"
    | "current_timestamp"
    | "localtime"
    | "localtimestamp"
    | "current_role"
    | "current_user"
    | "session_user"
    | "user"
    | "current_catalog"
    | "current_schema";
  precision: number | null;
}

/** Subscripts and field selections after an expression: `(x).f`, `a[1]`, `a[1:2]`, `(x).*`. */
export interface IndirectionExpr extends NodeBase {
  kind: "indirection";
  arg: Expr;
  path: IndirectionItem[];
}

/** One step of an indirection. */
export type IndirectionItem =
  | { kind: "field"; name: string; location: number }
  | { kind: "field_star"; location: number }
  | { kind: "subscript"; lower: Expr | null; upper: Expr | null; slice: boolean; location: number };

/** `x COLLATE name`. */
export interface CollateExpr extends NodeBase {
  kind: "collate";
  arg: Expr;
  collation: string[];
}

/** `x AT TIME ZONE zone`. */
export interface AtTimeZoneExpr extends NodeBase {
  kind: "at_time_zone";
  arg: Expr;
  zone: Expr;
}

/** GROUPING(a, b). */
export interface GroupingFunc extends NodeBase {
  kind: "grouping";
  args: Expr[];
}

/** DEFAULT as a value (INSERT … VALUES, UPDATE … SET); the binder rejects it elsewhere. */
export interface SetToDefault extends NodeBase {
  kind: "default";
}

/**
 * A type name. Built-in SQL spellings become PostgreSQL's internal names, as its grammar does:
 * `integer` → ["pg_catalog", "int4"], `varchar(5)` → ["pg_catalog", "varchar"] with typmods [5],
 * `timestamp with time zone` → ["pg_catalog", "timestamptz"]; other names (`text`, `date`,
 * `uuid`, `my.type`) stay as written, for the binder to look up.
 */
export interface TypeName extends NodeBase {
  kind: "type_name";
  names: string[];
  typmods: Expr[];
  /** One entry per `[]` (-1 when no size is written): `int[3][]` → [3, -1]. */
  arrayBounds: number[];
  /** INTERVAL's field restriction (`day to second`), or null. */
  intervalFields: IntervalFields | null;
  /** SETOF t (function result types only). */
  setof: boolean;
}

/** The field restrictions INTERVAL accepts. */
export type IntervalFields =
  | "year"
  | "month"
  | "day"
  | "hour"
  | "minute"
  | "second"
  | "year to month"
  | "day to hour"
  | "day to minute"
  | "day to second"
  | "hour to minute"
  | "hour to second"
  | "minute to second";

/** ORDER BY item. */
export interface SortBy extends NodeBase {
  kind: "sort_by";
  expr: Expr;
  direction: "default" | "asc" | "desc" | "using";
  /** The operator of `USING op`. */
  usingOp: string | null;
  nulls: "default" | "first" | "last";
}

/**
 * A window: an OVER clause or an entry of the WINDOW clause. As in PostgreSQL, `OVER w` sets
 * `name` to w (a reference to a named window), `OVER (w ORDER BY x)` sets `refName` to w; a
 * WINDOW clause entry `w AS (…)` has `name` w.
 */
export interface WindowDef extends NodeBase {
  kind: "window_def";
  name: string | null;
  refName: string | null;
  partitionBy: Expr[];
  orderBy: SortBy[];
  frame: WindowFrame | null;
}

/** ROWS | RANGE | GROUPS frame; `end` is null for the one-bound form. */
export interface WindowFrame extends NodeBase {
  kind: "window_frame";
  mode: "rows" | "range" | "groups";
  start: FrameBound;
  end: FrameBound | null;
  exclude: "current_row" | "group" | "ties" | "no_others" | null;
}

/** One bound of a window frame; `offset` is set for `n PRECEDING` and `n FOLLOWING`. */
export interface FrameBound extends NodeBase {
  kind: "frame_bound";
  type: "unbounded_preceding" | "preceding" | "current_row" | "following" | "unbounded_following";
  offset: Expr | null;
}
