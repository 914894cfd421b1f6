/**
 * @module AST nodes of roles, privileges, row-level security policies, transactions, settings
 * and utility statements (see ast.ts).
 */
import type { Expr, NodeBase, TypeName } from "./ast_expr.ts";
import type { DefElem, FunctionRef } from "./ast_ddl.ts";
import type { RangeVar } from "./ast_query.ts";
import type { Statement } from "./ast.ts";

/** A role in GRANT, policies and OWNER TO: a name, PUBLIC, or CURRENT_ROLE / CURRENT_USER / SESSION_USER. */
export interface RoleSpec extends NodeBase {
  kind: "role_spec";
  type: "name" | "public" | "current_role" | "current_user" | "session_user";
  /** The role's name when `type` is `name`. */
  name: string | null;
}

/** An option of CREATE/ALTER ROLE. */
export type RoleOption =
  | {
    kind: "role_option";
    name:
      | "superuser"
      | "createdb"
      | "createrole"
      | "inherit"
      | "login"
      | "replication"
      | "bypassrls";
    value: boolean;
    location: number;
  }
  | { kind: "role_option"; name: "password"; value: string | null; location: number }
  | { kind: "role_option"; name: "connection_limit"; value: number; location: number }
  | { kind: "role_option"; name: "valid_until"; value: string; location: number }
  | {
    kind: "role_option";
    name: "in_role" | "role" | "admin";
    roles: RoleSpec[];
    location: number;
  };

/** CREATE ROLE | USER | GROUP name [[WITH] options]. */
export interface CreateRoleStmt extends NodeBase {
  kind: "create_role";
  roleType: "role" | "user" | "group";
  name: string;
  options: RoleOption[];
}

/** ALTER ROLE | USER role [[WITH] options]. */
export interface AlterRoleStmt extends NodeBase {
  kind: "alter_role";
  role: RoleSpec;
  options: RoleOption[];
}

/** ALTER ROLE role | ALL [IN DATABASE d] SET … | RESET …. */
export interface AlterRoleSetStmt extends NodeBase {
  kind: "alter_role_set";
  /** null is ALL. */
  role: RoleSpec | null;
  database: string | null;
  set: VariableSetStmt | VariableResetStmt;
}

/** ALTER DATABASE d SET … | RESET …. */
export interface AlterDatabaseSetStmt extends NodeBase {
  kind: "alter_database_set";
  database: string;
  set: VariableSetStmt | VariableResetStmt;
}

/** An option of ALTER DATABASE d [WITH] …. */
export type DatabaseOption =
  | { name: "connection_limit"; value: number }
  | { name: "allow_connections" | "is_template"; value: boolean };

/** ALTER DATABASE d [WITH] CONNECTION LIMIT n | ALLOW_CONNECTIONS b | IS_TEMPLATE b. */
export interface AlterDatabaseStmt extends NodeBase {
  kind: "alter_database";
  database: string;
  options: DatabaseOption[];
}

/** REASSIGN OWNED BY roles TO role. */
export interface ReassignOwnedStmt extends NodeBase {
  kind: "reassign_owned";
  roles: RoleSpec[];
  newRole: RoleSpec;
}

/** DROP OWNED BY roles [CASCADE | RESTRICT]. */
export interface DropOwnedStmt extends NodeBase {
  kind: "drop_owned";
  roles: RoleSpec[];
  behavior: "restrict" | "cascade";
}

/** DROP ROLE | USER | GROUP [IF EXISTS] names. */
export interface DropRoleStmt extends NodeBase {
  kind: "drop_role";
  roles: RoleSpec[];
  ifExists: boolean;
}

/** A privilege of GRANT/REVOKE, with columns for `UPDATE (a, b)`. */
export interface Privilege extends NodeBase {
  kind: "privilege";
  name: string;
  columns: string[];
}

/**
 * GRANT | REVOKE privileges ON objects TO | FROM grantees. `privileges` null is ALL [PRIVILEGES];
 * `allInSchema` is ON ALL TABLES|SEQUENCES|FUNCTIONS IN SCHEMA (then `objects` are schemas).
 */
export interface GrantStmt extends NodeBase {
  kind: "grant";
  isGrant: boolean;
  privileges: Privilege[] | null;
  objectType:
    | "table"
    | "sequence"
    | "schema"
    | "database"
    | "function"
    | "procedure"
    | "routine"
    | "type"
    | "domain"
    | "language";
  allInSchema: boolean;
  objects: string[][];
  functions: FunctionRef[];
  grantees: RoleSpec[];
  grantOption: boolean;
  grantedBy: RoleSpec | null;
  behavior: "restrict" | "cascade";
}

/** GRANT roles TO roles [WITH ADMIN OPTION] / REVOKE [ADMIN OPTION FOR] roles FROM roles. */
export interface GrantRoleStmt extends NodeBase {
  kind: "grant_role";
  isGrant: boolean;
  roles: RoleSpec[];
  grantees: RoleSpec[];
  adminOption: boolean;
  grantedBy: RoleSpec | null;
  behavior: "restrict" | "cascade";
}

/** ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT | REVOKE … (objects are empty). */
export interface AlterDefaultPrivilegesStmt extends NodeBase {
  kind: "alter_default_privileges";
  roles: RoleSpec[];
  schemas: string[];
  action: GrantStmt;
}

/** CREATE POLICY name ON t [AS PERMISSIVE | RESTRICTIVE] [FOR cmd] [TO roles] [USING] [WITH CHECK]. */
export interface CreatePolicyStmt extends NodeBase {
  kind: "create_policy";
  name: string;
  table: RangeVar;
  permissive: boolean;
  command: "all" | "select" | "insert" | "update" | "delete";
  /** Empty means PUBLIC. */
  roles: RoleSpec[];
  using: Expr | null;
  withCheck: Expr | null;
}

/** ALTER POLICY name ON t [TO roles] [USING (…)] [WITH CHECK (…)] (RENAME is a RenameStmt). */
export interface AlterPolicyStmt extends NodeBase {
  kind: "alter_policy";
  name: string;
  table: RangeVar;
  roles: RoleSpec[] | null;
  using: Expr | null;
  withCheck: Expr | null;
}

/** DROP POLICY [IF EXISTS] name ON t [CASCADE | RESTRICT]. */
export interface DropPolicyStmt extends NodeBase {
  kind: "drop_policy";
  name: string;
  table: RangeVar;
  ifExists: boolean;
  behavior: "restrict" | "cascade";
}

/** A transaction characteristic. */
export type TransactionMode =
  | {
    kind: "isolation_level";
    level: "serializable" | "repeatable read" | "read committed" | "read uncommitted";
    location: number;
  }
  | { kind: "read_only"; value: boolean; location: number }
  | { kind: "deferrable"; value: boolean; location: number };

/**
 * BEGIN/START TRANSACTION (`begin`), COMMIT/END, ROLLBACK/ABORT, SAVEPOINT, RELEASE,
 * ROLLBACK TO, and the two-phase PREPARE TRANSACTION / COMMIT PREPARED / ROLLBACK PREPARED.
 */
export interface TransactionStmt extends NodeBase {
  kind: "transaction";
  type:
    | "begin"
    | "commit"
    | "rollback"
    | "savepoint"
    | "release"
    | "rollback_to"
    | "prepare"
    | "commit_prepared"
    | "rollback_prepared";
  modes: TransactionMode[];
  /** The savepoint name, or the global transaction id of the two-phase forms. */
  name: string | null;
  chain: boolean;
}

/** A value in SET: a string, number or word (`on`, `public`, `default` is the `default` flag). */
export type SetValue =
  | { kind: "string"; value: string; location: number }
  | { kind: "integer"; value: number; location: number }
  | { kind: "numeric"; value: string; location: number }
  | { kind: "word"; value: string; location: number }
  | { kind: "interval"; value: string; type: TypeName; location: number };

/**
 * SET [SESSION | LOCAL] name TO | = value, … | DEFAULT; also the special forms, by name:
 * SET TIME ZONE → `timezone`, SET ROLE → `role` (NONE is the word `none`), SET SESSION
 * AUTHORIZATION → `session_authorization`, SET NAMES → `client_encoding`, SET SCHEMA → `search_path`.
 */
export interface VariableSetStmt extends NodeBase {
  kind: "variable_set";
  name: string;
  local: boolean;
  /** Empty when `isDefault`. */
  values: SetValue[];
  isDefault: boolean;
  /** SET name FROM CURRENT (only inside ALTER ROLE | DATABASE … SET). */
  fromCurrent?: boolean;
}

/** RESET name | ALL (null) and RESET ROLE, RESET SESSION AUTHORIZATION. */
export interface VariableResetStmt extends NodeBase {
  kind: "variable_reset";
  name: string | null;
}

/** SET TRANSACTION … / SET SESSION CHARACTERISTICS AS TRANSACTION …. */
export interface SetTransactionStmt extends NodeBase {
  kind: "set_transaction";
  session: boolean;
  modes: TransactionMode[];
}

/** SET CONSTRAINTS ALL (null) | names DEFERRED | IMMEDIATE. */
export interface SetConstraintsStmt extends NodeBase {
  kind: "set_constraints";
  constraints: string[][] | null;
  deferred: boolean;
}

/** SHOW name | ALL (`all`); SHOW TIME ZONE is `timezone`, SHOW TRANSACTION ISOLATION LEVEL is `transaction_isolation`. */
export interface ShowStmt extends NodeBase {
  kind: "show";
  name: string;
}

/** PREPARE name [(types)] AS statement. */
export interface PrepareStmt extends NodeBase {
  kind: "prepare";
  name: string;
  argTypes: TypeName[];
  statement: Statement;
}

/** EXECUTE name [(args)]. */
export interface ExecuteStmt extends NodeBase {
  kind: "execute";
  name: string;
  params: Expr[];
}

/** DEALLOCATE [PREPARE] name | ALL (null). */
export interface DeallocateStmt extends NodeBase {
  kind: "deallocate";
  name: string | null;
}

/** EXPLAIN [ANALYZE] [VERBOSE] | (options) statement; the old keywords become options. */
export interface ExplainStmt extends NodeBase {
  kind: "explain";
  options: DefElem[];
  statement: Statement;
}

/** CHECKPOINT. */
export interface CheckpointStmt extends NodeBase {
  kind: "checkpoint";
}

/** VACUUM [(options)] [FULL] [FREEZE] [VERBOSE] [ANALYZE] [tables] and ANALYZE [tables]. */
export interface VacuumStmt extends NodeBase {
  kind: "vacuum";
  isVacuum: boolean;
  options: DefElem[];
  relations: { relation: RangeVar; columns: string[] }[];
}

/**
 * COPY t [(cols)] FROM STDIN | TO STDOUT | 'file' [WITH] [(options)] and COPY (query) TO …; the
 * old option syntax (`CSV HEADER`, `DELIMITER ','`) becomes the same options as PostgreSQL does.
 */
export interface CopyStmt extends NodeBase {
  kind: "copy";
  relation: RangeVar | null;
  columns: string[];
  query: Statement | null;
  isFrom: boolean;
  target: { kind: "stdio" } | { kind: "file"; path: string } | { kind: "program"; command: string };
  options: DefElem[];
  where: Expr | null;
}

/** LISTEN channel. */
export interface ListenStmt extends NodeBase {
  kind: "listen";
  channel: string;
}

/** UNLISTEN channel | * (null). */
export interface UnlistenStmt extends NodeBase {
  kind: "unlisten";
  channel: string | null;
}

/** NOTIFY channel [, 'payload']. */
export interface NotifyStmt extends NodeBase {
  kind: "notify";
  channel: string;
  payload: string | null;
}

/** DISCARD ALL | PLANS | SEQUENCES | TEMP. */
export interface DiscardStmt extends NodeBase {
  kind: "discard";
  target: "all" | "plans" | "sequences" | "temp";
}

/** LOCK [TABLE] names [IN mode MODE] [NOWAIT]. */
export interface LockStmt extends NodeBase {
  kind: "lock";
  relations: RangeVar[];
  mode: string;
  nowait: boolean;
}

/** DO [LANGUAGE l] 'body'. */
export interface DoStmt extends NodeBase {
  kind: "do";
  body: string;
  language: string | null;
}
