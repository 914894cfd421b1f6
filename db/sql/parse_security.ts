/**
 * @module Roles and security: CREATE/ALTER/DROP ROLE (USER, GROUP), GRANT/REVOKE on objects and
 * of roles, ALTER DEFAULT PRIVILEGES, CREATE/ALTER/DROP POLICY.
 */
import { SqlState } from "../sqlstate.ts";
import type { Statement } from "./ast.ts";
import type { FunctionRef } from "./ast_ddl.ts";
import type { GrantStmt, Privilege, RoleOption, RoleSpec } from "./ast_utility.ts";
import type { Parser } from "./parser.ts";
import { parseExpr } from "./parse_expr.ts";
import { parseQualifiedName } from "./parse_from.ts";
import { parseFunctionParameter } from "./parse_function.ts";
import { parseReset, parseSet } from "./parse_session.ts";

/** RoleSpec: a name, PUBLIC, CURRENT_ROLE, CURRENT_USER or SESSION_USER. */
export function parseRoleSpec(p: Parser): RoleSpec {
  const t = p.tok;
  if (p.isKw("current_role") || p.isKw("current_user") || p.isKw("session_user")) {
    p.advance();
    return { kind: "role_spec", type: t.value as RoleSpec["type"], name: null, location: t.loc };
  }
  const name = p.nonReservedWord();
  if (name === "public" && !t.quoted) {
    return { kind: "role_spec", type: "public", name: null, location: t.loc };
  }
  if (name === "none" && !t.quoted) {
    throw p.errorAt(`role name "none" is reserved`, t, SqlState.reservedName);
  }
  return { kind: "role_spec", type: "name", name, location: t.loc };
}

function roleList(p: Parser): RoleSpec[] {
  return p.list(() => parseRoleSpec(p));
}

const flagOptions: Record<string, [RoleOption["name"], boolean]> = {
  superuser: ["superuser", true],
  nosuperuser: ["superuser", false],
  createdb: ["createdb", true],
  nocreatedb: ["createdb", false],
  createrole: ["createrole", true],
  nocreaterole: ["createrole", false],
  inherit: ["inherit", true],
  noinherit: ["inherit", false],
  login: ["login", true],
  nologin: ["login", false],
  replication: ["replication", true],
  noreplication: ["replication", false],
  bypassrls: ["bypassrls", true],
  nobypassrls: ["bypassrls", false],
};

/** Role options until none follows; `create` allows the CREATE-only ones. */
function roleOptions(p: Parser, create: boolean): RoleOption[] {
  const out: RoleOption[] = [];
  while (true) {
    const t = p.tok;
    const location = t.loc;
    if (p.acceptKw("password") || (p.acceptKw("encrypted") && p.expectKw("password"))) {
      if (p.acceptKw("null")) {
        out.push({ kind: "role_option", name: "password", value: null, location });
      } else out.push({ kind: "role_option", name: "password", value: p.sconst(), location });
    } else if (p.isKw("connection")) {
      p.advance();
      p.expectKw("limit");
      const neg = p.acceptOp("-");
      const n = p.iconst();
      out.push({ kind: "role_option", name: "connection_limit", value: neg ? -n : n, location });
    } else if (p.isKw("valid")) {
      p.advance();
      p.expectKw("until");
      out.push({ kind: "role_option", name: "valid_until", value: p.sconst(), location });
    } else if (create && p.isKw("in")) {
      p.advance();
      if (!p.acceptKw("role")) p.expectKw("group");
      out.push({ kind: "role_option", name: "in_role", roles: roleList(p), location });
    } else if (create && (p.isKw("role") || p.isKw("admin") || p.isKw("user"))) {
      const w = p.advance().value;
      out.push({
        kind: "role_option",
        name: w === "admin" ? "admin" : "role",
        roles: roleList(p),
        location,
      });
    } else if (p.isKw("inherit")) {
      p.advance();
      out.push({ kind: "role_option", name: "inherit", value: true, location });
    } else if (t.type === "ident") {
      const flag = flagOptions[t.value];
      if (flag === undefined) throw p.errorAt(`unrecognized role option "${t.value}"`, t);
      p.advance();
      out.push({ kind: "role_option", name: flag[0] as "login", value: flag[1], location });
    } else break;
  }
  return out;
}

/** CREATE ROLE | USER | GROUP name [WITH] options (after CREATE). */
export function parseCreateRole(p: Parser, loc: number): Statement {
  const roleType = p.advance().value as "role" | "user" | "group";
  const t = p.tok;
  const spec = parseRoleSpec(p);
  if (spec.type !== "name") {
    throw p.errorAt(`role name "${p.raw(t).toLowerCase()}" is reserved`, t, SqlState.reservedName);
  }
  p.acceptKw("with");
  return {
    kind: "create_role",
    roleType,
    name: spec.name!,
    options: roleOptions(p, true),
    location: loc,
  };
}

/** ALTER ROLE | USER … (after ALTER, at ROLE/USER). */
export function parseAlterRole(p: Parser, loc: number): Statement {
  p.advance();
  let role: RoleSpec | null = null;
  if (!p.acceptKw("all")) role = parseRoleSpec(p);
  if (role !== null && p.isKw("rename")) {
    p.advance();
    p.expectKw("to");
    return {
      kind: "rename",
      objectType: "role",
      relation: null,
      object: [role.name ?? ""],
      function: null,
      subname: null,
      newName: p.nonReservedWord(),
      ifExists: false,
      location: loc,
    };
  }
  let database: string | null = null;
  if (p.isKw("in")) {
    p.advance();
    p.expectKw("database");
    database = p.colId();
  }
  if (p.isKw("set") || p.isKw("reset")) {
    return { kind: "alter_role_set", role, database, set: parseSetClause(p), location: loc };
  }
  if (role === null || database !== null) throw p.error();
  p.acceptKw("with");
  return { kind: "alter_role", role, options: roleOptions(p, false), location: loc };
}

/** The SET … | RESET … of ALTER ROLE | DATABASE (SET may be FROM CURRENT). */
function parseSetClause(p: Parser): Extract<Statement, { kind: "alter_role_set" }>["set"] {
  if (p.isKw("reset")) return parseReset(p);
  const set = parseSet(p, true);
  if (set.kind !== "variable_set" || set.local) throw p.error();
  return set;
}

/** ALTER DATABASE d SET | RESET | [WITH] options (after ALTER, at DATABASE). */
export function parseAlterDatabase(p: Parser, loc: number): Statement {
  p.expectKw("database");
  const database = p.colId();
  if (p.isKw("set") || p.isKw("reset")) {
    return { kind: "alter_database_set", database, set: parseSetClause(p), location: loc };
  }
  p.acceptKw("with");
  const options: Extract<Statement, { kind: "alter_database" }>["options"] = [];
  while (!p.atEnd && !p.isOp(";")) {
    const t = p.tok;
    if (p.acceptKw("connection")) {
      p.expectKw("limit");
      p.acceptOp("=");
      const neg = p.acceptOp("-");
      const n = Number(p.advance().value);
      if (!Number.isInteger(n)) throw p.error(t);
      options.push({ name: "connection_limit", value: neg ? -n : n });
      continue;
    }
    const name = p.colId();
    if (name !== "allow_connections" && name !== "is_template") {
      throw p.errorAt(`option "${name}" not recognized`, t, SqlState.syntaxError);
    }
    p.acceptOp("=");
    const v = p.advance().value.toLowerCase();
    const b = ["true", "on", "1", "yes"].includes(v)
      ? true
      : ["false", "off", "0", "no"].includes(v)
      ? false
      : undefined;
    if (b === undefined) throw p.error(t);
    options.push({ name, value: b });
  }
  if (options.length === 0) throw p.error();
  return { kind: "alter_database", database, options, location: loc };
}

/** REASSIGN OWNED BY roles TO role (at REASSIGN). */
export function parseReassignOwned(p: Parser): Statement {
  const loc = p.expectKw("reassign").loc;
  p.expectKw("owned");
  p.expectKw("by");
  const roles = roleList(p);
  p.expectKw("to");
  return { kind: "reassign_owned", roles, newRole: parseRoleSpec(p), location: loc };
}

/** DROP OWNED BY roles [CASCADE | RESTRICT] (after DROP, at OWNED). */
export function parseDropOwned(p: Parser, loc: number): Statement {
  p.expectKw("owned");
  p.expectKw("by");
  const roles = roleList(p);
  return { kind: "drop_owned", roles, behavior: behavior(p), location: loc };
}

/** DROP ROLE | USER | GROUP [IF EXISTS] roles (after DROP, at ROLE/USER/GROUP). */
export function parseDropRole(p: Parser, loc: number): Statement {
  p.advance();
  let ifExists = false;
  if (p.isKw("if") && p.peekKw(1, "exists")) {
    p.advance();
    p.expectKw("exists");
    ifExists = true;
  }
  return { kind: "drop_role", roles: roleList(p), ifExists, location: loc };
}

function privilege(p: Parser): Privilege {
  const t = p.tok;
  let name: string;
  if (p.isKw("select") || p.isKw("references") || p.isKw("create")) name = p.advance().value;
  else if (p.isKw("alter") && p.peekKw(1, "system")) {
    p.advance(), p.advance();
    name = "alter system";
  } else name = p.colId();
  const columns = p.isOp("(") ? p.parenList(() => p.colId()) : [];
  return { kind: "privilege", name, columns, location: t.loc };
}

/** function_with_argtypes: name [(args)]. */
export function parseFunctionRef(p: Parser): FunctionRef {
  const t = p.tok;
  const name = p.anyName();
  let args: FunctionRef["args"] = null;
  if (p.acceptOp("(")) {
    args = p.isOp(")") ? [] : p.list(() => parseFunctionParameter(p, false));
    p.expectOp(")");
  }
  return { kind: "function_ref", name, args, location: t.loc };
}

const targets: Record<string, GrantStmt["objectType"]> = {
  table: "table",
  sequence: "sequence",
  schema: "schema",
  database: "database",
  function: "function",
  procedure: "procedure",
  routine: "routine",
  type: "type",
  domain: "domain",
  language: "language",
};

const allInSchema: Record<string, GrantStmt["objectType"]> = {
  tables: "table",
  sequences: "sequence",
  functions: "function",
  procedures: "procedure",
  routines: "routine",
};

/** GRANT … / REVOKE … (objects or roles). */
export function parseGrant(p: Parser, defaults = false): Statement {
  const t = p.advance();
  const isGrant = t.value === "grant";
  let option = false;
  if (!isGrant && (p.isKw("grant") || (p.isKw("admin") && p.peekKw(1, "option")))) {
    p.advance();
    p.expectKw("option");
    p.expectKw("for");
    option = true;
  }
  let privileges: Privilege[] | null;
  if (p.isKw("all")) {
    p.advance();
    p.acceptKw("privileges");
    privileges = null;
    if (p.isOp("(")) {
      const cols = p.parenList(() => p.colId());
      privileges = [{ kind: "privilege", name: "all", columns: cols, location: t.loc }];
    }
  } else privileges = p.list(() => privilege(p));
  if (!p.isKw("on")) {
    if (defaults || privileges === null) throw p.error();
    return parseGrantRole(p, isGrant, privileges, option, t.loc);
  }
  p.advance();
  const s: GrantStmt = {
    kind: "grant",
    isGrant,
    privileges,
    objectType: "table",
    allInSchema: false,
    objects: [],
    functions: [],
    grantees: [],
    grantOption: option,
    grantedBy: null,
    behavior: "restrict",
    location: t.loc,
  };
  if (defaults) {
    const w = p.colLabel();
    const map: Record<string, GrantStmt["objectType"]> = {
      ...allInSchema,
      types: "type",
      schemas: "schema",
    };
    const ot = map[w];
    if (ot === undefined) throw p.error(p.tokens[p.pos - 1]);
    s.objectType = ot;
  } else if (p.isKw("all")) {
    p.advance();
    const all = p.tok.type === "keyword" ? allInSchema[p.tok.value] : undefined;
    if (all === undefined) throw p.error();
    p.advance();
    s.objectType = all;
    p.expectKw("in");
    p.expectKw("schema");
    s.allInSchema = true;
    s.objects = p.list(() => [p.colId()]);
  } else {
    // The object type is optional (tables): `ON schema TO r` grants on a table named schema.
    const named = p.peekKw(1, "to") || p.peekKw(1, "from") || p.peekOp(1, ",") || p.peekOp(1, ".");
    const ot = p.tok.type === "keyword" && !named ? targets[p.tok.value] : undefined;
    if (ot !== undefined) {
      p.advance();
      s.objectType = ot;
    }
    if (ot === "function" || ot === "procedure" || ot === "routine") {
      s.functions = p.list(() => parseFunctionRef(p));
      s.objects = s.functions.map((f) => f.name);
    } else if (ot === "schema" || ot === "database" || ot === "language") {
      s.objects = p.list(() => [p.colId()]);
    } else s.objects = p.list(() => p.anyName());
  }
  if (isGrant) p.expectKw("to");
  else p.expectKw("from");
  s.grantees = p.list(() => {
    p.acceptKw("group");
    return parseRoleSpec(p);
  });
  if (isGrant && p.isKw("with")) {
    p.advance();
    p.expectKw("grant");
    p.expectKw("option");
    s.grantOption = true;
  }
  if (p.isKw("granted")) {
    p.advance();
    p.expectKw("by");
    s.grantedBy = parseRoleSpec(p);
  }
  if (!isGrant) s.behavior = behavior(p);
  return s;
}

function behavior(p: Parser): "restrict" | "cascade" {
  if (p.acceptKw("cascade")) return "cascade";
  p.acceptKw("restrict");
  return "restrict";
}

function parseGrantRole(
  p: Parser,
  isGrant: boolean,
  privs: Privilege[],
  option: boolean,
  loc: number,
): Statement {
  for (const pr of privs) if (pr.columns.length > 0) throw p.error();
  const roles: RoleSpec[] = privs.map((pr) => ({
    kind: "role_spec",
    type: "name",
    name: pr.name,
    location: pr.location,
  }));
  if (isGrant) p.expectKw("to");
  else p.expectKw("from");
  const grantees = roleList(p);
  let adminOption = option;
  if (isGrant && p.isKw("with")) {
    p.advance();
    p.expectKw("admin");
    p.expectKw("option");
    adminOption = true;
  }
  let grantedBy: RoleSpec | null = null;
  if (p.isKw("granted")) {
    p.advance();
    p.expectKw("by");
    grantedBy = parseRoleSpec(p);
  }
  return {
    kind: "grant_role",
    isGrant,
    roles,
    grantees,
    adminOption,
    grantedBy,
    behavior: isGrant ? "restrict" : behavior(p),
    location: loc,
  };
}

/** ALTER DEFAULT PRIVILEGES … (after ALTER, at DEFAULT). */
export function parseAlterDefaultPrivileges(p: Parser, loc: number): Statement {
  p.expectKw("default");
  p.expectKw("privileges");
  const roles: RoleSpec[] = [];
  const schemas: string[] = [];
  while (true) {
    if (p.isKw("in")) {
      p.advance();
      p.expectKw("schema");
      schemas.push(...p.list(() => p.colId()));
    } else if (p.isKw("for")) {
      p.advance();
      if (!p.acceptKw("role")) p.expectKw("user");
      roles.push(...roleList(p));
    } else break;
  }
  if (!p.isKw("grant") && !p.isKw("revoke")) throw p.error();
  const action = parseGrant(p, true) as GrantStmt;
  return { kind: "alter_default_privileges", roles, schemas, action, location: loc };
}

function policyClauses(
  p: Parser,
): {
  roles: RoleSpec[] | null;
  using: ReturnType<typeof parseExpr> | null;
  withCheck: ReturnType<typeof parseExpr> | null;
} {
  let roles: RoleSpec[] | null = null;
  let using = null;
  let withCheck = null;
  if (p.acceptKw("to")) roles = roleList(p);
  if (p.acceptKw("using")) {
    p.expectOp("(");
    using = parseExpr(p);
    p.expectOp(")");
  }
  if (p.isKw("with")) {
    p.advance();
    p.expectKw("check");
    p.expectOp("(");
    withCheck = parseExpr(p);
    p.expectOp(")");
  }
  return { roles, using, withCheck };
}

/** CREATE POLICY … (after CREATE, at POLICY). */
export function parseCreatePolicy(p: Parser, loc: number): Statement {
  p.expectKw("policy");
  const name = p.colId();
  p.expectKw("on");
  const table = parseQualifiedName(p);
  let permissive = true;
  if (p.acceptKw("as")) {
    const t = p.tok;
    const w = p.colId();
    if (w === "restrictive") permissive = false;
    else if (w !== "permissive") {
      throw p.errorAt(`unrecognized row security option "${w}"`, t);
    }
  }
  let command: "all" | "select" | "insert" | "update" | "delete" = "all";
  if (p.acceptKw("for")) {
    const t = p.advance();
    if (
      !["all", "select", "insert", "update", "delete"].includes(t.value) || t.type !== "keyword"
    ) throw p.error(t);
    command = t.value as typeof command;
  }
  const c = policyClauses(p);
  return {
    kind: "create_policy",
    name,
    table,
    permissive,
    command,
    roles: c.roles ?? [],
    using: c.using,
    withCheck: c.withCheck,
    location: loc,
  };
}

/** ALTER POLICY … (after ALTER, at POLICY). */
export function parseAlterPolicy(p: Parser, loc: number): Statement {
  p.expectKw("policy");
  const name = p.colId();
  p.expectKw("on");
  const table = parseQualifiedName(p);
  if (p.acceptKw("rename")) {
    p.expectKw("to");
    return {
      kind: "rename",
      objectType: "policy",
      relation: table,
      object: null,
      function: null,
      subname: name,
      newName: p.colId(),
      ifExists: false,
      location: loc,
    };
  }
  const c = policyClauses(p);
  return {
    kind: "alter_policy",
    name,
    table,
    roles: c.roles,
    using: c.using,
    withCheck: c.withCheck,
    location: loc,
  };
}

/** DROP POLICY … (after DROP, at POLICY). */
export function parseDropPolicy(p: Parser, loc: number): Statement {
  p.expectKw("policy");
  let ifExists = false;
  if (p.isKw("if") && p.peekKw(1, "exists")) {
    p.advance();
    p.expectKw("exists");
    ifExists = true;
  }
  const name = p.colId();
  p.expectKw("on");
  const table = parseQualifiedName(p);
  return { kind: "drop_policy", name, table, ifExists, behavior: behavior(p), location: loc };
}
