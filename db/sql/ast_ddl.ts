/**
 * @module AST nodes of data definition: tables, columns, constraints, indexes, views, sequences,
 * schemas, types, functions, extensions, DROP, ALTER, COMMENT, TRUNCATE (see ast.ts).
 */
import type { Expr, NodeBase, TypeName } from "./ast_expr.ts";
import type { IndexElem, Persistence, Query, RangeVar } from "./ast_query.ts";
import type { RoleSpec, VariableSetStmt } from "./ast_utility.ts";
import type { Statement } from "./ast.ts";

/** `name [= value]` in WITH (…) storage parameters and other option lists. */
export interface DefElem extends NodeBase {
  kind: "def_elem";
  name: string;
  arg: DefArg | null;
}

/** The value of a DefElem: a number, a string, or a word (identifier or keyword, lower case). */
export type DefArg =
  | { kind: "integer"; value: number; location: number }
  | { kind: "numeric"; value: string; location: number }
  | { kind: "string"; value: string; location: number }
  | { kind: "word"; value: string; location: number }
  | { kind: "names"; names: string[]; location: number };

/** CREATE [TEMP | UNLOGGED] TABLE [IF NOT EXISTS] t (…) [PARTITION BY …] [WITH (…)]. */
export interface CreateTableStmt extends NodeBase {
  kind: "create_table";
  relation: RangeVar;
  persistence: Persistence;
  ifNotExists: boolean;
  elements: TableElement[];
  inherits: RangeVar[];
  partitionBy: PartitionSpec | null;
  options: DefElem[];
  onCommit: "preserve_rows" | "delete_rows" | "drop" | null;
}

/** What a CREATE TABLE lists. */
export type TableElement = ColumnDef | Constraint | TableLikeClause;

/** `name type [COLLATE c] [constraints]`. */
export interface ColumnDef extends NodeBase {
  kind: "column_def";
  name: string;
  type: TypeName;
  collation: string[] | null;
  constraints: Constraint[];
}

/** `LIKE t [INCLUDING | EXCLUDING option …]`. */
export interface TableLikeClause extends NodeBase {
  kind: "table_like";
  relation: RangeVar;
  options: { including: boolean; option: string }[];
}

/** PARTITION BY RANGE | LIST | HASH (…). */
export interface PartitionSpec extends NodeBase {
  kind: "partition_spec";
  strategy: "range" | "list" | "hash";
  params: IndexElem[];
}

/** Fields every constraint has; DEFERRABLE and INITIALLY apply to the preceding constraint. */
interface ConstraintBase extends NodeBase {
  kind: "constraint";
  name: string | null;
  deferrable: boolean | null;
  initiallyDeferred: boolean | null;
}

/** The referential actions of a foreign key. */
export type FkAction = "no_action" | "restrict" | "cascade" | "set_null" | "set_default";

/**
 * A column or table constraint, by `contype`. Column constraints have empty `columns`; a table
 * constraint names them.
 */
export type Constraint =
  | ConstraintBase & { contype: "not_null" | "null" }
  | ConstraintBase & { contype: "default"; expr: Expr }
  | ConstraintBase & { contype: "check"; expr: Expr; noInherit: boolean; notValid: boolean }
  | ConstraintBase & {
    contype: "primary_key" | "unique";
    columns: string[];
    include: string[];
    options: DefElem[];
    nullsNotDistinct: boolean;
  }
  | ConstraintBase & {
    contype: "foreign_key";
    columns: string[];
    refTable: RangeVar;
    refColumns: string[];
    match: "simple" | "full" | "partial";
    onDelete: FkAction;
    onUpdate: FkAction;
    notValid: boolean;
  }
  | ConstraintBase & {
    contype: "identity";
    generated: "always" | "by_default";
    options: SequenceOption[];
  }
  | ConstraintBase & { contype: "generated"; expr: Expr };

/** An option of CREATE/ALTER SEQUENCE and of identity columns. */
export type SequenceOption =
  | { kind: "seq_option"; name: "as"; type: TypeName; location: number }
  | {
    kind: "seq_option";
    name: "increment" | "minvalue" | "maxvalue" | "start" | "restart" | "cache";
    /** The number as written (may exceed 2^53); null for NO MINVALUE / NO MAXVALUE / RESTART. */
    value: string | null;
    location: number;
  }
  | { kind: "seq_option"; name: "cycle"; value: boolean; location: number }
  | { kind: "seq_option"; name: "owned_by"; owner: string[] | null; location: number }
  | { kind: "seq_option"; name: "sequence_name"; names: string[]; location: number };

/** CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] t …. */
export interface CreateIndexStmt extends NodeBase {
  kind: "create_index";
  unique: boolean;
  concurrently: boolean;
  ifNotExists: boolean;
  name: string | null;
  relation: RangeVar;
  method: string | null;
  params: IndexElem[];
  include: string[];
  nullsNotDistinct: boolean;
  options: DefElem[];
  where: Expr | null;
}

/** CREATE [OR REPLACE] [TEMP] [RECURSIVE] VIEW name [(cols)] [WITH (…)] AS query [WITH … CHECK OPTION]. */
export interface CreateViewStmt extends NodeBase {
  kind: "create_view";
  replace: boolean;
  persistence: Persistence;
  relation: RangeVar;
  columns: string[];
  options: DefElem[];
  query: Query;
  checkOption: "none" | "local" | "cascaded";
}

/** CREATE TABLE … AS query, SELECT … INTO is a SelectStmt; CREATE MATERIALIZED VIEW … AS query. */
export interface CreateTableAsStmt extends NodeBase {
  kind: "create_table_as";
  objectType: "table" | "materialized_view";
  relation: RangeVar;
  persistence: Persistence;
  columns: string[];
  options: DefElem[];
  ifNotExists: boolean;
  query: Query;
  withData: boolean;
}

/** REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA]. */
export interface RefreshMatViewStmt extends NodeBase {
  kind: "refresh_materialized_view";
  concurrently: boolean;
  relation: RangeVar;
  withData: boolean;
}

/** CREATE [TEMP] SEQUENCE [IF NOT EXISTS] name [options]. */
export interface CreateSequenceStmt extends NodeBase {
  kind: "create_sequence";
  relation: RangeVar;
  persistence: Persistence;
  ifNotExists: boolean;
  options: SequenceOption[];
}

/** ALTER SEQUENCE [IF EXISTS] name options. */
export interface AlterSequenceStmt extends NodeBase {
  kind: "alter_sequence";
  relation: RangeVar;
  ifExists: boolean;
  options: SequenceOption[];
}

/** CREATE SCHEMA [IF NOT EXISTS] [name] [AUTHORIZATION role] [elements]. */
export interface CreateSchemaStmt extends NodeBase {
  kind: "create_schema";
  name: string | null;
  authorization: RoleSpec | null;
  ifNotExists: boolean;
  /** CREATE TABLE / VIEW / INDEX / SEQUENCE and GRANT statements inside CREATE SCHEMA. */
  elements: Statement[];
}

/** CREATE TYPE name AS ENUM (…). */
export interface CreateEnumStmt extends NodeBase {
  kind: "create_enum";
  name: string[];
  values: string[];
}

/** CREATE TYPE name AS (col type, …). */
export interface CreateCompositeTypeStmt extends NodeBase {
  kind: "create_composite_type";
  name: string[];
  columns: ColumnDef[];
}

/** ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'v' [BEFORE | AFTER 'w'], or RENAME VALUE. */
export interface AlterEnumStmt extends NodeBase {
  kind: "alter_enum";
  name: string[];
  ifNotExists: boolean;
  /** ADD VALUE: the new label; RENAME VALUE: the new name of `oldValue`. */
  newValue: string;
  oldValue: string | null;
  neighbor: { value: string; after: boolean } | null;
}

/** CREATE DATABASE name [WITH] [options]. */
export interface CreateDatabaseStmt extends NodeBase {
  kind: "create_database";
  name: string;
  options: DefElem[];
}

/** DROP DATABASE [IF EXISTS] name [WITH (FORCE)]. */
export interface DropDatabaseStmt extends NodeBase {
  kind: "drop_database";
  name: string;
  ifExists: boolean;
  force: boolean;
}

/** A function parameter: `[mode] [name] type [DEFAULT expr]`. */
export interface FunctionParameter extends NodeBase {
  kind: "function_parameter";
  name: string | null;
  mode: "in" | "out" | "inout" | "variadic" | "table" | "default";
  type: TypeName;
  default: Expr | null;
}

/** A function named with its argument types, for DROP, GRANT and COMMENT. Null args: none given. */
export interface FunctionRef extends NodeBase {
  kind: "function_ref";
  name: string[];
  args: FunctionParameter[] | null;
}

/** CREATE [OR REPLACE] FUNCTION | PROCEDURE. */
export interface CreateFunctionStmt extends NodeBase {
  kind: "create_function";
  replace: boolean;
  isProcedure: boolean;
  name: string[];
  params: FunctionParameter[];
  /** RETURNS type; RETURNS TABLE (…) puts `table` parameters in `params` and a SETOF record here. */
  returns: TypeName | null;
  language: string | null;
  volatility: "immutable" | "stable" | "volatile" | null;
  securityDefiner: boolean | null;
  strict: boolean | null;
  leakproof: boolean | null;
  parallel: string | null;
  cost: string | null;
  rows: string | null;
  /** `AS 'body'` (kept as text); `AS 'obj', 'symbol'` is two entries. */
  body: string[] | null;
  /** SET name = value clauses. */
  set: VariableSetStmt[];
}

/**
 * CREATE [OR REPLACE] TRIGGER name BEFORE | AFTER | INSTEAD OF event [OR …] ON t
 * [FOR [EACH] ROW | STATEMENT] [WHEN (cond)] EXECUTE FUNCTION | PROCEDURE f(args).
 */
export interface CreateTriggerStmt extends NodeBase {
  kind: "create_trigger";
  replace: boolean;
  name: string;
  timing: "before" | "after" | "instead_of";
  events: { event: "insert" | "update" | "delete" | "truncate"; columns: string[] }[];
  table: RangeVar;
  forEachRow: boolean;
  when: Expr | null;
  function: string[];
  /** The arguments as written (numbers and words are kept as their text, as PostgreSQL does). */
  args: string[];
}

/** DROP TRIGGER [IF EXISTS] name ON t [CASCADE | RESTRICT]. */
export interface DropTriggerStmt extends NodeBase {
  kind: "drop_trigger";
  name: string;
  table: RangeVar;
  ifExists: boolean;
  behavior: "restrict" | "cascade";
}

/** CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s] [VERSION v] [CASCADE]. */
export interface CreateExtensionStmt extends NodeBase {
  kind: "create_extension";
  name: string;
  ifNotExists: boolean;
  options: DefElem[];
}

/** The kinds of object DROP, RENAME, OWNER TO, SET SCHEMA and COMMENT name. */
export type ObjectType =
  | "table"
  | "index"
  | "view"
  | "materialized_view"
  | "sequence"
  | "schema"
  | "type"
  | "domain"
  | "database"
  | "role"
  | "function"
  | "procedure"
  | "routine"
  | "policy"
  | "extension"
  | "column"
  | "constraint"
  | "trigger";

/** DROP object-type [IF EXISTS] names [CASCADE | RESTRICT] (functions: FunctionRefs). */
export interface DropStmt extends NodeBase {
  kind: "drop";
  objectType: ObjectType;
  /** Qualified names; for functions the names of `functions`. */
  objects: string[][];
  functions: FunctionRef[];
  ifExists: boolean;
  behavior: "restrict" | "cascade";
  concurrently: boolean;
}

/** ALTER TABLE | INDEX | VIEW | SEQUENCE | MATERIALIZED VIEW [IF EXISTS] [ONLY] name cmd, …. */
export interface AlterTableStmt extends NodeBase {
  kind: "alter_table";
  objectType: "table" | "index" | "view" | "sequence" | "materialized_view";
  relation: RangeVar;
  ifExists: boolean;
  commands: AlterTableCmd[];
}

/** One subcommand of ALTER TABLE. */
export type AlterTableCmd =
  | { kind: "add_column"; column: ColumnDef; ifNotExists: boolean; location: number }
  | {
    kind: "drop_column";
    name: string;
    ifExists: boolean;
    behavior: "restrict" | "cascade";
    location: number;
  }
  | { kind: "set_default"; column: string; expr: Expr; location: number }
  | { kind: "drop_default"; column: string; location: number }
  | { kind: "set_not_null" | "drop_not_null"; column: string; location: number }
  | {
    kind: "alter_column_type";
    column: string;
    type: TypeName;
    collation: string[] | null;
    using: Expr | null;
    location: number;
  }
  | {
    kind: "add_identity";
    column: string;
    generated: "always" | "by_default";
    options: SequenceOption[];
    location: number;
  }
  | { kind: "drop_identity"; column: string; ifExists: boolean; location: number }
  | { kind: "add_constraint"; constraint: Constraint; location: number }
  | {
    kind: "drop_constraint";
    name: string;
    ifExists: boolean;
    behavior: "restrict" | "cascade";
    location: number;
  }
  | { kind: "validate_constraint"; name: string; location: number }
  | { kind: "owner_to"; owner: RoleSpec; location: number }
  | {
    kind: "enable_rls" | "disable_rls" | "force_rls" | "no_force_rls";
    location: number;
  }
  | { kind: "set_options"; options: DefElem[]; location: number }
  | { kind: "reset_options"; names: string[]; location: number };

/** ALTER … RENAME [COLUMN | CONSTRAINT] a TO b, ALTER … RENAME TO b, ALTER POLICY … RENAME. */
export interface RenameStmt extends NodeBase {
  kind: "rename";
  /** What is renamed: the object itself, or a column/constraint/policy of `relation`. */
  objectType: ObjectType;
  /** The table a column, constraint or policy belongs to; the relation renamed. */
  relation: RangeVar | null;
  /** The name of a non-relation object (schema, type, role, database, function). */
  object: string[] | null;
  /** The function renamed, with its argument types. */
  function: FunctionRef | null;
  /** The old name of a column, constraint or policy. */
  subname: string | null;
  newName: string;
  ifExists: boolean;
}

/** ALTER object SET SCHEMA s. */
export interface AlterObjectSchemaStmt extends NodeBase {
  kind: "alter_set_schema";
  objectType: ObjectType;
  relation: RangeVar | null;
  object: string[] | null;
  function: FunctionRef | null;
  newSchema: string;
  ifExists: boolean;
}

/** ALTER SCHEMA | TYPE | DATABASE | FUNCTION … OWNER TO role (tables use AlterTableStmt). */
export interface AlterOwnerStmt extends NodeBase {
  kind: "alter_owner";
  objectType: ObjectType;
  object: string[];
  function: FunctionRef | null;
  owner: RoleSpec;
}

/** COMMENT ON type name IS 'text' | NULL. */
export interface CommentStmt extends NodeBase {
  kind: "comment";
  objectType: ObjectType;
  object: string[];
  /** The table of a policy, constraint or trigger (`ON t`). */
  relation: RangeVar | null;
  function: FunctionRef | null;
  comment: string | null;
}

/** TRUNCATE [TABLE] [ONLY] names [RESTART | CONTINUE IDENTITY] [CASCADE | RESTRICT]. */
export interface TruncateStmt extends NodeBase {
  kind: "truncate";
  relations: RangeVar[];
  restartIdentity: boolean;
  behavior: "restrict" | "cascade";
}
