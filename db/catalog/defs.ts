/**
 * @module The catalog's objects as plain, JSON-serializable records: namespaces, relations
 * (tables, views, sequences, indexes), constraints, enum types, roles, databases and comments.
 * Each is one row of the catalog system table, so DDL is as transactional as any write.
 */
import type { AclItem } from "./acl.ts";

/** A column of a table or view. `attnum` is 1-based; the storage slot is attnum - 1. */
export interface ColumnDef {
  name: string;
  attnum: number;
  type: number;
  typmod: number;
  notNull: boolean;
  /** The DEFAULT expression as SQL text (re-parsed when used), or null. */
  default: string | null;
  /** Identity: "" none, "a" GENERATED ALWAYS, "d" BY DEFAULT. */
  identity: "" | "a" | "d";
  dropped: boolean;
  /** Column privileges (attacl); absent: none beyond the table's. */
  acl?: AclItem[] | null;
}

/** An index's definition (relation kind "i"). */
export interface IndexInfo {
  table: number;
  /** attnums of the key columns. */
  columns: number[];
  unique: boolean;
  primary: boolean;
  /** Per key column: descending order. */
  desc: boolean[];
  /** Per key column: the expression text of an expression key (its attnum is 0), else null. */
  exprs?: (string | null)[];
}

/** A table ("r"), view ("v"), sequence ("S") or index ("i"). */
export interface RelationDef {
  objKind: "relation";
  oid: number;
  kind: "r" | "v" | "S" | "i";
  schema: number;
  name: string;
  owner: number;
  columns: ColumnDef[];
  /** Views: the defining query as SQL text. */
  viewSql?: string;
  /** Views: the relations the query reads. */
  deps?: number[];
  index?: IndexInfo;
  /** Storage parameters as `name=value` (fillfactor=…). */
  options?: string[];
  /** Sequences: the owning column (table oid, attnum) of serial/identity columns. */
  ownedBy?: [number, number];
  /** Sequences: the value type (int2, int4 or int8 OID). */
  seqType?: number;
  rls?: boolean;
  forceRls?: boolean;
  /** relacl; absent or null: the owner's default rights (acldefault). */
  acl?: AclItem[] | null;
}

/** A foreign key's details. */
export interface ForeignKeyInfo {
  refTable: number;
  refColumns: number[];
  onDelete: FkAction;
  onUpdate: FkAction;
  match: "simple" | "full" | "partial";
}

/** Referential actions. */
export type FkAction = "no_action" | "restrict" | "cascade" | "set_null" | "set_default";

/** A table constraint: p primary key, u unique, c check, f foreign key. */
export interface ConstraintDef {
  objKind: "constraint";
  oid: number;
  name: string;
  schema: number;
  table: number;
  type: "p" | "u" | "c" | "f";
  columns: number[];
  /** p/u: the index enforcing it. */
  index?: number;
  /** c: the expression as SQL text. */
  check?: string;
  fk?: ForeignKeyInfo;
}

/** A namespace (schema). */
export interface NamespaceDef {
  objKind: "namespace";
  oid: number;
  name: string;
  owner: number;
  /** nspacl; absent or null: the owner's default rights. */
  acl?: AclItem[] | null;
}

/** A user-defined type: enums (kind "e"). */
export interface TypeDef {
  objKind: "type";
  oid: number;
  arrayOid: number;
  schema: number;
  name: string;
  owner: number;
  kind: "e";
  labels: string[];
  /** typacl; absent or null: the default (owner and PUBLIC have USAGE). */
  acl?: AclItem[] | null;
}

/** A role. */
export interface RoleDef {
  objKind: "role";
  oid: number;
  name: string;
  superuser: boolean;
  login: boolean;
  inherit: boolean;
  createRole: boolean;
  createDb: boolean;
  bypassRls: boolean;
  password: string | null;
  /** rolvaliduntil: timestamptz µs since 2000-01-01 UTC as a decimal string; absent: NULL. */
  validUntil?: string | null;
  /** rolconnlimit; absent: -1 (no limit). */
  connLimit?: number;
}

/** Role membership (pg_auth_members): `member` is a member of `role`. */
export interface AuthMemberDef {
  objKind: "auth_member";
  oid: number;
  role: number;
  member: number;
  grantor: number;
  admin: boolean;
}

/** A database. */
export interface DatabaseDef {
  objKind: "database";
  oid: number;
  name: string;
  owner: number;
  /** datacl; absent or null: the default (owner CTc, PUBLIC Tc). */
  acl?: AclItem[] | null;
  /** Version of the setup SQL applied to this database (SUPABASE_BOOTSTRAP_SQL). */
  setupVersion?: number;
  /** datconnlimit; absent: -1 (no limit). */
  connLimit?: number;
  /** datallowconn; absent: true. */
  allowConnections?: boolean;
}

/**
 * Settings applied at connect (pg_db_role_setting): `database` 0 is every database, `role` 0 is
 * every role; `config` holds `name=value` texts in the order they were first set.
 */
export interface DbRoleSettingDef {
  objKind: "db_role_setting";
  oid: number;
  database: number;
  role: number;
  config: string[];
}

/**
 * ALTER DEFAULT PRIVILEGES (pg_default_acl): the ACL given to objects of `objType` that `role`
 * creates, in `schema` (0: in any schema). Object types as PostgreSQL's defaclobjtype: r tables,
 * S sequences, f functions, T types, n schemas.
 */
export interface DefaultAclDef {
  objKind: "default_acl";
  oid: number;
  role: number;
  schema: number;
  objType: "r" | "S" | "f" | "T" | "n";
  acl: AclItem[];
}

/**
 * The ACL of a function (pg_proc.proacl) once GRANT or REVOKE changed it; functions without one
 * have the default (EXECUTE to PUBLIC and the owner). Built-in functions have no catalog row, so
 * the ACL is keyed by the function's identity `schema.name(argtype oids)`, which stays the same
 * when the list of built-ins (and so their pg_proc OIDs) grows.
 */
export interface FunctionAclDef {
  objKind: "function_acl";
  oid: number;
  func: string;
  acl: AclItem[];
}

/** COMMENT ON: keyed by (classOid, objOid, subId). */
export interface CommentDef {
  objKind: "comment";
  oid: number;
  classOid: number;
  objOid: number;
  subId: number;
  text: string;
}

/**
 * A row-level security policy (pg_policy). `command` is PostgreSQL's polcmd: "*" all, "r"
 * SELECT, "a" INSERT, "w" UPDATE, "d" DELETE. `roles` holds role OIDs, `[0]` for PUBLIC.
 * Expressions are SQL text (re-parsed and bound against the table when used); the display
 * texts are what pg_get_expr prints.
 */
export interface PolicyDef {
  objKind: "policy";
  oid: number;
  name: string;
  table: number;
  command: "*" | "r" | "a" | "w" | "d";
  permissive: boolean;
  roles: number[];
  using: string | null;
  withCheck: string | null;
  usingDisplay: string | null;
  withCheckDisplay: string | null;
  /** Order of the last write (pg_policy lists rows as PostgreSQL's heap does: rewritten last). */
  seq?: number;
}

/** Any catalog row. */
export type CatalogObject =
  | RelationDef
  | ConstraintDef
  | NamespaceDef
  | TypeDef
  | RoleDef
  | AuthMemberDef
  | DatabaseDef
  | DbRoleSettingDef
  | DefaultAclDef
  | FunctionAclDef
  | CommentDef
  | PolicyDef;

/** Well-known OIDs (PostgreSQL's). */
export const WellKnown = {
  pgCatalog: 11,
  public: 2200,
  informationSchema: 13000,
  postgresRole: 10,
  postgresDb: 5,
  template1: 1,
  template0: 4,
  pgClass: 1259,
  pgType: 1247,
  pgNamespace: 2615,
  pgConstraint: 2606,
  pgDatabase: 1262,
  pgAuthid: 1260,
  pgProc: 1255,
  pgPolicy: 3256,
  pgDatabaseOwner: 6171,
  pgDefaultAcl: 826,
  pgDbRoleSetting: 2964,
} as const;
