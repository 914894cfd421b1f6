/**
 * @module CREATE statements: TABLE (and TABLE … AS), INDEX, VIEW, MATERIALIZED VIEW, SEQUENCE,
 * SCHEMA, TYPE (ENUM, composite), DATABASE, EXTENSION, TRIGGER; FUNCTION/PROCEDURE is in
 * parse_function.ts, CREATE ROLE and CREATE POLICY in parse_security.ts.
 */
import { SqlState } from "../sqlstate.ts";
import type { Statement } from "./ast.ts";
import type { CreateTableStmt, DefElem } from "./ast_ddl.ts";
import type { Persistence } from "./ast_query.ts";
import type { Parser } from "./parser.ts";
import { parseExpr } from "./parse_expr.ts";
import { parseQualifiedName } from "./parse_from.ts";
import { parseIndexElem } from "./parse_dml.ts";
import { parseQuery } from "./parse_select.ts";
import {
  columnList,
  defArg,
  parseColumnDef,
  parsePartitionSpec,
  parseReloptions,
  parseSeqOptions,
  parseTableElement,
} from "./parse_table.ts";
import { parseCreatePolicy, parseCreateRole, parseRoleSpec } from "./parse_security.ts";
import { parseStatement } from "./parse_stmt.ts";
import { parseCreateFunction } from "./parse_function.ts";

/** CREATE [OR REPLACE] TRIGGER … (after CREATE [OR REPLACE], at TRIGGER). */
function parseCreateTrigger(p: Parser, loc: number, replace: boolean): Statement {
  p.expectKw("trigger");
  const name = p.colId();
  let timing: "before" | "after" | "instead_of";
  if (p.acceptKw("before")) timing = "before";
  else if (p.acceptKw("after")) timing = "after";
  else {
    p.expectKw("instead");
    p.expectKw("of");
    timing = "instead_of";
  }
  const events: { event: "insert" | "update" | "delete" | "truncate"; columns: string[] }[] = [];
  do {
    const t = p.tok;
    if (t.type !== "keyword" || !["insert", "update", "delete", "truncate"].includes(t.value)) {
      throw p.error();
    }
    p.advance();
    const columns = t.value === "update" && p.acceptKw("of") ? p.list(() => p.colId()) : [];
    events.push({ event: t.value as "insert", columns });
  } while (p.acceptKw("or"));
  p.expectKw("on");
  const table = parseQualifiedName(p);
  let forEachRow = false;
  if (p.acceptKw("for")) {
    p.acceptKw("each");
    if (p.acceptKw("row")) forEachRow = true;
    else p.expectKw("statement");
  }
  let when = null;
  if (p.acceptKw("when")) {
    p.expectOp("(");
    when = parseExpr(p);
    p.expectOp(")");
  }
  p.expectKw("execute");
  if (!p.acceptKw("function")) p.expectKw("procedure");
  const fn = p.anyName();
  p.expectOp("(");
  const args: string[] = [];
  if (!p.isOp(")")) {
    args.push(...p.list(() => {
      const a = p.tok;
      if (a.type === "string" || a.type === "integer" || a.type === "numeric") {
        return p.advance().value;
      }
      return p.colLabel();
    }));
  }
  p.expectOp(")");
  return {
    kind: "create_trigger",
    replace,
    name,
    timing,
    events,
    table,
    forEachRow,
    when,
    function: fn,
    args,
    location: loc,
  };
}

function persistence(p: Parser): Persistence {
  if (p.acceptKw("temporary") || p.acceptKw("temp")) return "temp";
  if ((p.isKw("local") || p.isKw("global")) && (p.peekKw(1, "temp") || p.peekKw(1, "temporary"))) {
    p.advance(), p.advance();
    return "temp";
  }
  if (p.acceptKw("unlogged")) return "unlogged";
  return "permanent";
}

function ifNotExists(p: Parser): boolean {
  if (!p.isKw("if") || !p.peekKw(1, "not")) return false;
  p.advance();
  p.expectKw("not");
  p.expectKw("exists");
  return true;
}

function optWithOptions(p: Parser): DefElem[] {
  if (p.isKw("with")) {
    p.advance();
    return parseReloptions(p);
  }
  if (p.isKw("without") && p.peekKw(1, "oids")) {
    p.advance(), p.advance();
  }
  return [];
}

/** CREATE …. */
export function parseCreate(p: Parser): Statement {
  const loc = p.expectKw("create").loc;
  let replace = false;
  if (p.acceptKw("or")) {
    p.expectKw("replace");
    replace = true;
  }
  const pers = persistence(p);
  const t = p.tok;
  switch (t.value) {
    case "table":
      if (!replace) return parseCreateTable(p, loc, pers);
      break;
    case "unique":
    case "index":
      if (!replace && pers === "permanent") return parseCreateIndex(p, loc);
      break;
    case "recursive":
    case "view":
      return parseCreateView(p, loc, replace, pers);
    case "materialized":
      if (!replace && pers === "permanent") {
        return parseCreateTableAs(p, loc, "materialized_view", pers);
      }
      break;
    case "sequence":
      if (!replace) {
        p.advance();
        const ine = ifNotExists(p);
        const relation = parseQualifiedName(p);
        return {
          kind: "create_sequence",
          relation,
          persistence: pers,
          ifNotExists: ine,
          options: parseSeqOptions(p),
          location: loc,
        };
      }
      break;
  }
  if (pers !== "permanent") throw p.error();
  switch (t.value) {
    case "function":
    case "procedure":
      return parseCreateFunction(p, loc, replace);
    case "trigger":
      return parseCreateTrigger(p, loc, replace);
  }
  if (replace) throw p.error();
  switch (t.value) {
    case "schema":
      return parseCreateSchema(p, loc);
    case "type":
      return parseCreateType(p, loc);
    case "database": {
      p.advance();
      const name = p.colId();
      p.acceptKw("with");
      return { kind: "create_database", name, options: parseCreatedbOptions(p), location: loc };
    }
    case "extension": {
      p.advance();
      const ine = ifNotExists(p);
      const name = p.colId();
      p.acceptKw("with");
      const options: DefElem[] = [];
      while (true) {
        const o = p.tok;
        if (p.acceptKw("schema")) {
          options.push({
            kind: "def_elem",
            name: "schema",
            arg: { kind: "word", value: p.colId(), location: p.tokens[p.pos - 1]!.loc },
            location: o.loc,
          });
        } else if (p.acceptKw("version")) {
          const v = p.tok;
          const value = v.type === "string" ? p.sconst() : p.nonReservedWord();
          options.push({
            kind: "def_elem",
            name: "new_version",
            arg: { kind: "string", value, location: v.loc },
            location: o.loc,
          });
        } else if (p.acceptKw("cascade")) {
          options.push({ kind: "def_elem", name: "cascade", arg: null, location: o.loc });
        } else break;
      }
      return { kind: "create_extension", name, ifNotExists: ine, options, location: loc };
    }
    case "role":
    case "user":
    case "group":
      return parseCreateRole(p, loc);
    case "policy":
      return parseCreatePolicy(p, loc);
  }
  throw p.error();
}

/** Whether the table name is followed by `[(cols)] [WITH (…)] AS`: CREATE TABLE … AS. */
function isCreateTableAs(p: Parser): boolean {
  let i = p.pos;
  const at = (k: number) => p.tokens[Math.min(k, p.tokens.length - 1)]!;
  // `(name,` or `(name)` can only be CREATE TABLE … AS's column list, as in gram.y.
  const n = at(i + 2);
  if (
    at(i).value === "(" && p.isColId(at(i + 1)) && n.type === "op" &&
    (n.value === "," || n.value === ")")
  ) {
    return true;
  }
  const skipParens = () => {
    if (!(at(i).type === "op" && at(i).value === "(")) return;
    let depth = 0;
    for (; i < p.tokens.length; i++) {
      const t = at(i);
      if (t.type === "op" && t.value === "(") depth++;
      if (t.type === "op" && t.value === ")" && --depth === 0) {
        i++;
        return;
      }
    }
  };
  skipParens();
  if (at(i).type === "keyword" && at(i).value === "with" && at(i + 1).value === "(") {
    i++;
    skipParens();
  }
  return at(i).type === "keyword" && at(i).value === "as";
}

function parseCreateTable(p: Parser, loc: number, pers: Persistence): Statement {
  p.expectKw("table");
  const ine = ifNotExists(p);
  const relation = parseQualifiedName(p);
  if (isCreateTableAs(p)) {
    const columns = p.isOp("(") ? columnList(p) : [];
    const options = optWithOptions(p);
    p.expectKw("as");
    const query = parseQuery(p);
    return {
      kind: "create_table_as",
      objectType: "table",
      relation,
      persistence: pers,
      columns,
      options,
      ifNotExists: ine,
      query,
      withData: withData(p),
      location: loc,
    };
  }
  const s: CreateTableStmt = {
    kind: "create_table",
    relation,
    persistence: pers,
    ifNotExists: ine,
    elements: [],
    inherits: [],
    partitionBy: null,
    options: [],
    onCommit: null,
    location: loc,
  };
  p.expectOp("(");
  if (!p.isOp(")")) s.elements = p.list(() => parseTableElement(p));
  p.expectOp(")");
  if (p.acceptKw("inherits")) s.inherits = p.parenList(() => parseQualifiedName(p));
  if (p.isKw("partition")) s.partitionBy = parsePartitionSpec(p);
  s.options = optWithOptions(p);
  if (p.isKw("on")) {
    p.advance();
    p.expectKw("commit");
    if (p.acceptKw("drop")) s.onCommit = "drop";
    else if (p.acceptKw("delete")) {
      p.expectKw("rows");
      s.onCommit = "delete_rows";
    } else {
      p.expectKw("preserve");
      p.expectKw("rows");
      s.onCommit = "preserve_rows";
    }
  }
  return s;
}

function withData(p: Parser): boolean {
  if (!p.isKw("with")) return true;
  p.advance();
  const no = p.acceptKw("no");
  p.expectKw("data");
  return !no;
}

function parseCreateTableAs(
  p: Parser,
  loc: number,
  objectType: "materialized_view",
  pers: Persistence,
): Statement {
  p.expectKw("materialized");
  p.expectKw("view");
  const ine = ifNotExists(p);
  const relation = parseQualifiedName(p);
  const columns = p.isOp("(") ? columnList(p) : [];
  const options = optWithOptions(p);
  p.expectKw("as");
  const query = parseQuery(p);
  return {
    kind: "create_table_as",
    objectType,
    relation,
    persistence: pers,
    columns,
    options,
    ifNotExists: ine,
    query,
    withData: withData(p),
    location: loc,
  };
}

function parseCreateIndex(p: Parser, loc: number): Statement {
  const unique = p.acceptKw("unique");
  p.expectKw("index");
  const concurrently = p.acceptKw("concurrently");
  const ine = ifNotExists(p);
  let name: string | null = null;
  if (ine || !p.isKw("on")) name = p.colId();
  p.expectKw("on");
  const only = p.acceptKw("only");
  const relation = parseQualifiedName(p);
  relation.only = only;
  let method: string | null = null;
  if (p.acceptKw("using")) method = p.colId();
  const params = p.parenList(() => parseIndexElem(p));
  const include = p.acceptKw("include") ? columnList(p) : [];
  let nnd = false;
  if (p.isKw("nulls")) {
    p.advance();
    nnd = p.acceptKw("not");
    p.expectKw("distinct");
  }
  const options = optWithOptions(p);
  const where = p.acceptKw("where") ? parseExpr(p) : null;
  return {
    kind: "create_index",
    unique,
    concurrently,
    ifNotExists: ine,
    name,
    relation,
    method,
    params,
    include,
    nullsNotDistinct: nnd,
    options,
    where,
    location: loc,
  };
}

function parseCreateView(p: Parser, loc: number, replace: boolean, pers: Persistence): Statement {
  if (p.isKw("recursive")) {
    throw p.errorAt("RECURSIVE views are not supported", p.tok, SqlState.featureNotSupported);
  }
  p.expectKw("view");
  const relation = parseQualifiedName(p);
  const columns = p.isOp("(") ? columnList(p) : [];
  const options = optWithOptions(p);
  p.expectKw("as");
  const query = parseQuery(p);
  let checkOption: "none" | "local" | "cascaded" = "none";
  if (p.isKw("with")) {
    p.advance();
    checkOption = "cascaded";
    if (p.acceptKw("local")) checkOption = "local";
    else p.acceptKw("cascaded");
    p.expectKw("check");
    p.expectKw("option");
  }
  return {
    kind: "create_view",
    replace,
    persistence: pers,
    relation,
    columns,
    options,
    query,
    checkOption,
    location: loc,
  };
}

function parseCreateSchema(p: Parser, loc: number): Statement {
  p.expectKw("schema");
  const ine = ifNotExists(p);
  let name: string | null = null;
  let authorization = null;
  if (!p.isKw("authorization")) name = p.colId();
  if (p.acceptKw("authorization")) {
    authorization = parseRoleSpec(p);
  }
  if (name === null && authorization === null) throw p.error();
  const elements: Statement[] = [];
  while (p.isKw("create") || p.isKw("grant")) {
    if (ine) {
      throw p.errorAt(
        "CREATE SCHEMA IF NOT EXISTS cannot include schema elements",
        p.tok,
        SqlState.featureNotSupported,
      );
    }
    elements.push(parseStatement(p));
  }
  return { kind: "create_schema", name, authorization, ifNotExists: ine, elements, location: loc };
}

function parseCreateType(p: Parser, loc: number): Statement {
  p.expectKw("type");
  const name = p.anyName();
  p.expectKw("as");
  if (p.acceptKw("enum")) {
    p.expectOp("(");
    const values = p.isOp(")") ? [] : p.list(() => p.sconst());
    p.expectOp(")");
    return { kind: "create_enum", name, values, location: loc };
  }
  p.expectOp("(");
  const columns = p.isOp(")") ? [] : p.list(() => parseColumnDef(p));
  p.expectOp(")");
  return { kind: "create_composite_type", name, columns, location: loc };
}

function parseCreatedbOptions(p: Parser): DefElem[] {
  const out: DefElem[] = [];
  while (p.isColLabel() && !p.isOp(";")) {
    const t = p.tok;
    let name = p.advance().value;
    if (name === "connection") {
      p.expectKw("limit");
      name = "connection_limit";
    }
    p.acceptOp("=");
    const arg = p.acceptKw("default") ? null : defArg(p);
    out.push({ kind: "def_elem", name, arg, location: t.loc });
  }
  return out;
}
