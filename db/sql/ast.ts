/**
 * @module The AST of BKG-DB's SQL: the contract between the parser and the binder.
 *
 * Design decisions:
 * - Every node is a plain object with a string `kind` (a discriminated union: `switch (n.kind)`
 *   is exhaustive and type-narrowing) and `location`, the 0-based byte offset in the statement
 *   text of the node's first token, as in PostgreSQL's raw parse tree; errors turn it into a
 *   1-based character position. A node the parser makes up without source text of its own
 *   (the implicit 1 of `FETCH FIRST ROW`, the length 1 of a bare `char`) has location -1, as in
 *   PostgreSQL. Top-level statements also carry `textLength` (bytes from
 *   `location` to the end of the statement's last token), so a multi-statement string can be run
 *   and logged one statement at a time.
 * - The tree is a raw parse tree: names are not resolved, types are not checked. Identifiers are
 *   folded (unquoted ones lower-cased, all truncated to 63 bytes); keywords used as names are
 *   plain strings. Qualified names are arrays, most significant first.
 * - It follows PostgreSQL's raw parse tree where that is precise (BoolExpr flattening of AND/OR
 *   on the left, IN (subquery) as an ANY SubLink with `=`, built-in type spellings mapped to
 *   pg_catalog names, SQL-syntax functions as pg_catalog calls, `!=` as `<>`, typed literals as
 *   casts), and uses one node per meaning where PostgreSQL overloads A_Expr (OpExpr, InListExpr,
 *   LikeExpr, BetweenExpr, DistinctExpr, NullIfExpr, OpAnyAllExpr are separate kinds).
 * - Parentheses leave no node: `(a + b)` is the OpExpr. The printer adds parentheses as needed.
 * - Optional parts are `null` or `[]`, never absent, so two parses of equal text are deep-equal
 *   once locations are ignored (the printer's property test relies on it).
 */
import type { Expr, NodeBase } from "./ast_expr.ts";
import type { DeleteStmt, InsertStmt, Query, UpdateStmt } from "./ast_query.ts";
import type {
  AlterEnumStmt,
  AlterObjectSchemaStmt,
  AlterOwnerStmt,
  AlterSequenceStmt,
  AlterTableStmt,
  CommentStmt,
  CreateCompositeTypeStmt,
  CreateDatabaseStmt,
  CreateEnumStmt,
  CreateExtensionStmt,
  CreateFunctionStmt,
  CreateIndexStmt,
  CreateSchemaStmt,
  CreateSequenceStmt,
  CreateTableAsStmt,
  CreateTableStmt,
  CreateTriggerStmt,
  CreateViewStmt,
  DropDatabaseStmt,
  DropStmt,
  DropTriggerStmt,
  RefreshMatViewStmt,
  RenameStmt,
  TruncateStmt,
} from "./ast_ddl.ts";
import type {
  AlterDatabaseSetStmt,
  AlterDatabaseStmt,
  AlterDefaultPrivilegesStmt,
  AlterPolicyStmt,
  AlterRoleSetStmt,
  AlterRoleStmt,
  CheckpointStmt,
  CopyStmt,
  CreatePolicyStmt,
  CreateRoleStmt,
  DeallocateStmt,
  DiscardStmt,
  DoStmt,
  DropOwnedStmt,
  DropPolicyStmt,
  DropRoleStmt,
  ExecuteStmt,
  ExplainStmt,
  GrantRoleStmt,
  GrantStmt,
  ListenStmt,
  LockStmt,
  NotifyStmt,
  PrepareStmt,
  ReassignOwnedStmt,
  SetConstraintsStmt,
  SetTransactionStmt,
  ShowStmt,
  TransactionStmt,
  UnlistenStmt,
  VacuumStmt,
  VariableResetStmt,
  VariableSetStmt,
} from "./ast_utility.ts";

export type * from "./ast_expr.ts";
export type * from "./ast_query.ts";
export type * from "./ast_ddl.ts";
export type * from "./ast_utility.ts";

/** Any statement. */
export type Statement =
  | Query
  | InsertStmt
  | UpdateStmt
  | DeleteStmt
  | CreateTableStmt
  | CreateTableAsStmt
  | CreateIndexStmt
  | CreateViewStmt
  | RefreshMatViewStmt
  | CreateSequenceStmt
  | AlterSequenceStmt
  | CreateSchemaStmt
  | CreateEnumStmt
  | CreateCompositeTypeStmt
  | AlterEnumStmt
  | CreateDatabaseStmt
  | DropDatabaseStmt
  | CreateFunctionStmt
  | CreateExtensionStmt
  | CreateTriggerStmt
  | DropTriggerStmt
  | DropStmt
  | AlterTableStmt
  | RenameStmt
  | AlterObjectSchemaStmt
  | AlterOwnerStmt
  | CommentStmt
  | TruncateStmt
  | CreateRoleStmt
  | AlterRoleStmt
  | AlterRoleSetStmt
  | AlterDatabaseSetStmt
  | AlterDatabaseStmt
  | ReassignOwnedStmt
  | DropOwnedStmt
  | DropRoleStmt
  | GrantStmt
  | GrantRoleStmt
  | AlterDefaultPrivilegesStmt
  | CreatePolicyStmt
  | AlterPolicyStmt
  | DropPolicyStmt
  | TransactionStmt
  | VariableSetStmt
  | VariableResetStmt
  | SetTransactionStmt
  | SetConstraintsStmt
  | ShowStmt
  | PrepareStmt
  | ExecuteStmt
  | DeallocateStmt
  | ExplainStmt
  | CheckpointStmt
  | VacuumStmt
  | CopyStmt
  | ListenStmt
  | UnlistenStmt
  | NotifyStmt
  | DiscardStmt
  | LockStmt
  | DoStmt;

/** A top-level statement of a parsed string, with its extent in bytes. */
export type ParsedStatement = Statement & { textLength: number };

/** Any node kind that has a `kind` and a `location` (for generic walkers). */
export type AnyNode = Statement | Expr | NodeBase;
