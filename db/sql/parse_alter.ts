/**
 * @module DROP, ALTER (TABLE and its subcommands, INDEX, VIEW, SEQUENCE, SCHEMA, TYPE, DATABASE,
 * FUNCTION; RENAME, SET SCHEMA, OWNER TO), COMMENT ON and TRUNCATE. ALTER ROLE, ALTER POLICY and
 * ALTER DEFAULT PRIVILEGES are in parse_security.ts.
 */
import type { Statement } from "./ast.ts";
import type { AlterTableCmd, AlterTableStmt, ObjectType } from "./ast_ddl.ts";
import type { RangeVar } from "./ast_query.ts";
import type { Parser } from "./parser.ts";
import { parseExpr } from "./parse_expr.ts";
import { parseQualifiedName, parseRelationExpr } from "./parse_from.ts";
import { parseTypeName } from "./parse_type.ts";
import {
  parseColumnDef,
  parseReloptions,
  parseSeqOptions,
  parseTableConstraint,
} from "./parse_table.ts";
import {
  parseAlterDatabase,
  parseAlterDefaultPrivileges,
  parseAlterPolicy,
  parseAlterRole,
  parseDropOwned,
  parseDropPolicy,
  parseDropRole,
  parseFunctionRef,
  parseRoleSpec,
} from "./parse_security.ts";

function ifExists(p: Parser): boolean {
  if (!p.isKw("if") || !p.peekKw(1, "exists")) return false;
  p.advance();
  p.expectKw("exists");
  return true;
}

function behavior(p: Parser): "restrict" | "cascade" {
  if (p.acceptKw("cascade")) return "cascade";
  p.acceptKw("restrict");
  return "restrict";
}

const simpleDrop: Record<string, ObjectType> = {
  table: "table",
  sequence: "sequence",
  view: "view",
  index: "index",
  type: "type",
  domain: "domain",
  schema: "schema",
  extension: "extension",
};

/** DROP …. */
export function parseDrop(p: Parser): Statement {
  const loc = p.expectKw("drop").loc;
  const t = p.tok;
  if (t.type !== "keyword") throw p.error();
  switch (t.value) {
    case "role":
    case "user":
    case "group":
      return parseDropRole(p, loc);
    case "policy":
      return parseDropPolicy(p, loc);
    case "owned":
      return parseDropOwned(p, loc);
    case "trigger": {
      p.advance();
      const ie = ifExists(p);
      const name = p.colId();
      p.expectKw("on");
      const table = parseQualifiedName(p);
      return {
        kind: "drop_trigger",
        name,
        table,
        ifExists: ie,
        behavior: behavior(p),
        location: loc,
      };
    }
    case "database": {
      p.advance();
      const ie = ifExists(p);
      const name = p.colId();
      let force = false;
      if (p.isKw("with") || p.isOp("(")) {
        p.acceptKw("with");
        p.expectOp("(");
        p.expectKw("force");
        p.expectOp(")");
        force = true;
      }
      return { kind: "drop_database", name, ifExists: ie, force, location: loc };
    }
    case "function":
    case "procedure":
    case "routine": {
      p.advance();
      const ie = ifExists(p);
      const functions = p.list(() => parseFunctionRef(p));
      return {
        kind: "drop",
        objectType: t.value,
        objects: functions.map((f) => f.name),
        functions,
        ifExists: ie,
        behavior: behavior(p),
        concurrently: false,
        location: loc,
      };
    }
  }
  let objectType = simpleDrop[t.value];
  p.advance();
  if (t.value === "materialized") {
    p.expectKw("view");
    objectType = "materialized_view";
  }
  if (objectType === undefined) throw p.error(t);
  const concurrently = objectType === "index" && p.acceptKw("concurrently");
  const ie = ifExists(p);
  const objects = objectType === "schema" || objectType === "extension"
    ? p.list(() => [p.colId()])
    : p.list(() => p.anyName());
  return {
    kind: "drop",
    objectType,
    objects,
    functions: [],
    ifExists: ie,
    behavior: behavior(p),
    concurrently,
    location: loc,
  };
}

/** ALTER …. */
export function parseAlter(p: Parser): Statement {
  const loc = p.expectKw("alter").loc;
  const t = p.tok;
  switch (t.value) {
    case "table":
    case "index":
    case "view":
    case "sequence":
    case "materialized":
      return parseAlterRelation(p, loc);
    case "role":
    case "user":
      return parseAlterRole(p, loc);
    case "policy":
      return parseAlterPolicy(p, loc);
    case "default":
      return parseAlterDefaultPrivileges(p, loc);
    case "database": {
      const next = p.peek(2);
      if (next.type !== "op" && next.value !== "rename" && next.value !== "owner") {
        return parseAlterDatabase(p, loc);
      }
      return parseAlterObject(p, loc);
    }
    case "schema":
    case "type":
    case "domain":
    case "function":
    case "procedure":
    case "routine":
    case "extension":
      return parseAlterObject(p, loc);
  }
  throw p.error();
}

function parseAlterRelation(p: Parser, loc: number): Statement {
  let objectType = p.advance().value as AlterTableStmt["objectType"];
  if (objectType === ("materialized" as string)) {
    p.expectKw("view");
    objectType = "materialized_view";
  }
  const ie = ifExists(p);
  const relation: RangeVar = objectType === "table" ? parseRelationExpr(p) : parseQualifiedName(p);
  const ot = objectType as ObjectType;
  if (p.acceptKw("rename")) {
    if (p.acceptKw("to")) {
      return {
        kind: "rename",
        objectType: ot,
        relation,
        object: null,
        function: null,
        subname: null,
        newName: p.colId(),
        ifExists: ie,
        location: loc,
      };
    }
    // Indexes and sequences have no columns or constraints to rename.
    if (objectType === "index" || objectType === "sequence") throw p.error();
    let what: ObjectType = "column";
    if (p.acceptKw("constraint")) what = "constraint";
    else p.acceptKw("column");
    const subname = p.colId();
    p.expectKw("to");
    return {
      kind: "rename",
      objectType: what,
      relation,
      object: null,
      function: null,
      subname,
      newName: p.colId(),
      ifExists: ie,
      location: loc,
    };
  }
  if (p.isKw("set") && p.peekKw(1, "schema") && objectType !== "index") {
    p.advance(), p.advance();
    return {
      kind: "alter_set_schema",
      objectType: ot,
      relation,
      object: null,
      function: null,
      newSchema: p.colId(),
      ifExists: ie,
      location: loc,
    };
  }
  if (objectType === "sequence" && !p.isKw("owner") && !p.isKw("set") && !p.isKw("reset")) {
    const options = parseSeqOptions(p);
    if (options.length === 0) throw p.error();
    return {
      kind: "alter_sequence",
      relation,
      ifExists: ie,
      options,
      location: loc,
    };
  }
  const commands = p.list(() => parseAlterTableCmd(p));
  return { kind: "alter_table", objectType, relation, ifExists: ie, commands, location: loc };
}

const constraintStarts = new Set([
  "constraint",
  "check",
  "unique",
  "primary",
  "foreign",
  "exclude",
]);

function parseAlterTableCmd(p: Parser): AlterTableCmd {
  const t = p.tok;
  const location = t.loc;
  if (p.acceptKw("add")) {
    if (p.tok.type === "keyword" && constraintStarts.has(p.tok.value)) {
      return { kind: "add_constraint", constraint: parseTableConstraint(p), location };
    }
    p.acceptKw("column");
    let ine = false;
    if (p.isKw("if") && p.peekKw(1, "not")) {
      p.advance();
      p.expectKw("not");
      p.expectKw("exists");
      ine = true;
    }
    return { kind: "add_column", column: parseColumnDef(p), ifNotExists: ine, location };
  }
  if (p.acceptKw("drop")) {
    if (p.acceptKw("constraint")) {
      const ie = ifExists(p);
      return {
        kind: "drop_constraint",
        name: p.colId(),
        ifExists: ie,
        behavior: behavior(p),
        location,
      };
    }
    p.acceptKw("column");
    const ie = ifExists(p);
    return { kind: "drop_column", name: p.colId(), ifExists: ie, behavior: behavior(p), location };
  }
  if (p.acceptKw("alter")) {
    p.acceptKw("column");
    const column = p.colId();
    return alterColumn(p, column, location);
  }
  if (p.acceptKw("validate")) {
    p.expectKw("constraint");
    return { kind: "validate_constraint", name: p.colId(), location };
  }
  if (p.acceptKw("owner")) {
    p.expectKw("to");
    return { kind: "owner_to", owner: parseRoleSpec(p), location };
  }
  const rls = (
    kind: "enable_rls" | "disable_rls" | "force_rls" | "no_force_rls",
  ): AlterTableCmd => {
    p.expectKw("row");
    p.expectKw("level");
    p.expectKw("security");
    return { kind, location };
  };
  if (p.acceptKw("enable")) return rls("enable_rls");
  if (p.acceptKw("disable")) return rls("disable_rls");
  if (p.acceptKw("force")) return rls("force_rls");
  if (p.acceptKw("no")) {
    p.expectKw("force");
    return rls("no_force_rls");
  }
  if (p.acceptKw("set")) return { kind: "set_options", options: parseReloptions(p), location };
  if (p.acceptKw("reset")) {
    return { kind: "reset_options", names: p.parenList(() => p.colLabel()), location };
  }
  throw p.error();
}

function alterColumn(p: Parser, column: string, location: number): AlterTableCmd {
  if (p.acceptKw("set")) {
    if (p.acceptKw("default")) return { kind: "set_default", column, expr: parseExpr(p), location };
    if (p.acceptKw("not")) {
      p.expectKw("null");
      return { kind: "set_not_null", column, location };
    }
    p.expectKw("data");
    p.expectKw("type");
    return alterType(p, column, location);
  }
  if (p.acceptKw("drop")) {
    if (p.acceptKw("default")) return { kind: "drop_default", column, location };
    if (p.acceptKw("not")) {
      p.expectKw("null");
      return { kind: "drop_not_null", column, location };
    }
    p.expectKw("identity");
    // Nothing but IF EXISTS can follow DROP IDENTITY, so IF commits here.
    const ie = p.acceptKw("if");
    if (ie) p.expectKw("exists");
    return { kind: "drop_identity", column, ifExists: ie, location };
  }
  if (p.acceptKw("type")) return alterType(p, column, location);
  if (p.acceptKw("add")) {
    p.expectKw("generated");
    let generated: "always" | "by_default" = "always";
    if (!p.acceptKw("always")) {
      p.expectKw("by");
      p.expectKw("default");
      generated = "by_default";
    }
    p.expectKw("as");
    p.expectKw("identity");
    let options: ReturnType<typeof parseSeqOptions> = [];
    if (p.acceptOp("(")) {
      options = parseSeqOptions(p);
      p.expectOp(")");
    }
    return { kind: "add_identity", column, generated, options, location };
  }
  throw p.error();
}

function alterType(p: Parser, column: string, location: number): AlterTableCmd {
  const type = parseTypeName(p);
  const collation = p.acceptKw("collate") ? p.anyName() : null;
  const using = p.acceptKw("using") ? parseExpr(p) : null;
  return { kind: "alter_column_type", column, type, collation, using, location };
}

function parseAlterObject(p: Parser, loc: number): Statement {
  const objectType = p.advance().value as ObjectType;
  const isFunc = objectType === "function" || objectType === "procedure" ||
    objectType === "routine";
  const fn = isFunc ? parseFunctionRef(p) : null;
  const object = fn !== null
    ? fn.name
    : objectType === "type" || objectType === "domain"
    ? p.anyName()
    : [p.colId()];
  if (objectType === "type" && p.isKw("add")) {
    p.advance();
    p.expectKw("value");
    let ine = false;
    if (p.acceptKw("if")) {
      p.expectKw("not"), p.expectKw("exists");
      ine = true;
    }
    const newValue = p.sconst();
    let neighbor: { value: string; after: boolean } | null = null;
    if (p.isKw("before") || p.isKw("after")) {
      const after = p.advance().value === "after";
      neighbor = { value: p.sconst(), after };
    }
    return {
      kind: "alter_enum",
      name: object,
      ifNotExists: ine,
      newValue,
      oldValue: null,
      neighbor,
      location: loc,
    };
  }
  if (p.acceptKw("rename")) {
    if (objectType === "type" && p.acceptKw("value")) {
      const oldValue = p.sconst();
      p.expectKw("to");
      return {
        kind: "alter_enum",
        name: object,
        ifNotExists: false,
        newValue: p.sconst(),
        oldValue,
        neighbor: null,
        location: loc,
      };
    }
    p.expectKw("to");
    return {
      kind: "rename",
      objectType,
      relation: null,
      object,
      function: fn,
      subname: null,
      newName: p.colId(),
      ifExists: false,
      location: loc,
    };
  }
  if (p.acceptKw("owner")) {
    p.expectKw("to");
    return {
      kind: "alter_owner",
      objectType,
      object,
      function: fn,
      owner: parseRoleSpec(p),
      location: loc,
    };
  }
  const setSchema = !isFunc || p.peekKw(1, "schema");
  if (p.isKw("set") && setSchema && objectType !== "schema" && objectType !== "database") {
    p.advance();
    p.expectKw("schema");
    return {
      kind: "alter_set_schema",
      objectType,
      relation: null,
      object,
      function: fn,
      newSchema: p.colId(),
      ifExists: false,
      location: loc,
    };
  }
  throw p.error();
}

const commentTypes: Record<string, ObjectType> = {
  table: "table",
  column: "column",
  view: "view",
  index: "index",
  sequence: "sequence",
  schema: "schema",
  type: "type",
  domain: "domain",
  database: "database",
  role: "role",
  extension: "extension",
  function: "function",
  procedure: "procedure",
  routine: "routine",
  policy: "policy",
  constraint: "constraint",
  trigger: "trigger",
};

/** COMMENT ON type name IS 'text' | NULL. */
export function parseComment(p: Parser): Statement {
  const loc = p.expectKw("comment").loc;
  p.expectKw("on");
  const t = p.advance();
  let objectType = commentTypes[t.value];
  if (t.value === "materialized") {
    p.expectKw("view");
    objectType = "materialized_view";
  }
  if (objectType === undefined || t.type !== "keyword") throw p.error(t);
  let object: string[];
  let relation: RangeVar | null = null;
  let fn = null;
  if (objectType === "function" || objectType === "procedure" || objectType === "routine") {
    fn = parseFunctionRef(p);
    object = fn.name;
  } else if (objectType === "policy" || objectType === "constraint" || objectType === "trigger") {
    object = [p.colId()];
    p.expectKw("on");
    if (objectType === "constraint" && p.acceptKw("domain")) relation = null;
    relation = parseQualifiedName(p);
  } else object = p.anyName();
  p.expectKw("is");
  const comment = p.acceptKw("null") ? null : p.sconst();
  return { kind: "comment", objectType, object, relation, function: fn, comment, location: loc };
}

/** TRUNCATE [TABLE] names [RESTART | CONTINUE IDENTITY] [CASCADE | RESTRICT]. */
export function parseTruncate(p: Parser): Statement {
  const loc = p.expectKw("truncate").loc;
  p.acceptKw("table");
  const relations = p.list(() => parseRelationExpr(p));
  let restartIdentity = false;
  if (p.acceptKw("restart")) {
    p.expectKw("identity");
    restartIdentity = true;
  } else if (p.acceptKw("continue")) p.expectKw("identity");
  return { kind: "truncate", relations, restartIdentity, behavior: behavior(p), location: loc };
}
