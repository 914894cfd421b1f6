/**
 * @module Utility statements and their dispatcher: PREPARE/EXECUTE/DEALLOCATE, EXPLAIN,
 * CHECKPOINT, VACUUM/ANALYZE, COPY, LISTEN/UNLISTEN/NOTIFY, DISCARD, LOCK, REFRESH MATERIALIZED
 * VIEW and DO; transactions and SET/RESET/SHOW are read in parse_session.ts.
 */
import type { Expr, Statement } from "./ast.ts";
import type { DefArg, DefElem } from "./ast_ddl.ts";
import type { RangeVar } from "./ast_query.ts";
import type { CopyStmt, VacuumStmt } from "./ast_utility.ts";
import type { Parser } from "./parser.ts";
import { parseExpr, parseExprList } from "./parse_expr.ts";
import { parseQualifiedName, parseRelationExpr } from "./parse_from.ts";
import { parsePreparable } from "./parse_dml.ts";
import { parseTypeName } from "./parse_type.ts";
import { parseStatement } from "./parse_stmt.ts";
import { parseReassignOwned } from "./parse_security.ts";
import {
  parseReset,
  parseSet,
  parseShowName,
  parseTransaction,
  setValue,
} from "./parse_session.ts";

/** Statements not handled by the DDL, DML and security dispatchers. */
export function parseUtility(p: Parser): Statement {
  const t = p.tok;
  switch (t.value) {
    case "begin":
    case "start":
    case "commit":
    case "end":
    case "rollback":
    case "abort":
    case "savepoint":
    case "release":
      return parseTransaction(p);
    case "prepare":
      if (p.peekKw(1, "transaction")) return parseTransaction(p);
      return parsePrepare(p);
    case "set":
      return parseSet(p);
    case "reset":
      return parseReset(p);
    case "show":
      p.advance();
      return { kind: "show", name: parseShowName(p), location: t.loc };
    case "execute": {
      p.advance();
      const name = p.colId();
      let params: Expr[] = [];
      if (p.acceptOp("(")) {
        params = parseExprList(p);
        p.expectOp(")");
      }
      return { kind: "execute", name, params, location: t.loc };
    }
    case "deallocate": {
      p.advance();
      // PREPARE is unreserved: `DEALLOCATE prepare` names a statement called prepare.
      if (p.isKw("prepare") && (p.isColId(p.peek(1)) || p.peekKw(1, "all"))) p.advance();
      if (p.acceptKw("all")) return { kind: "deallocate", name: null, location: t.loc };
      return { kind: "deallocate", name: p.colId(), location: t.loc };
    }
    case "explain":
      return parseExplain(p);
    case "checkpoint":
      p.advance();
      return { kind: "checkpoint", location: t.loc };
    case "vacuum":
    case "analyze":
    case "analyse":
      return parseVacuum(p);
    case "copy":
      return parseCopy(p);
    case "listen":
      p.advance();
      return { kind: "listen", channel: p.colId(), location: t.loc };
    case "unlisten":
      p.advance();
      if (p.acceptOp("*")) return { kind: "unlisten", channel: null, location: t.loc };
      return { kind: "unlisten", channel: p.colId(), location: t.loc };
    case "notify": {
      p.advance();
      const channel = p.colId();
      const payload = p.acceptOp(",") ? p.sconst() : null;
      return { kind: "notify", channel, payload, location: t.loc };
    }
    case "discard": {
      p.advance();
      let target: "all" | "plans" | "sequences" | "temp";
      if (p.acceptKw("all")) target = "all";
      else if (p.acceptKw("plans")) target = "plans";
      else if (p.acceptKw("sequences")) target = "sequences";
      else if (p.acceptKw("temp") || p.acceptKw("temporary")) target = "temp";
      else throw p.error();
      return { kind: "discard", target, location: t.loc };
    }
    case "lock":
      return parseLock(p);
    case "refresh": {
      p.advance();
      p.expectKw("materialized");
      p.expectKw("view");
      const concurrently = p.acceptKw("concurrently");
      const relation = parseQualifiedName(p);
      let withData = true;
      if (p.acceptKw("with")) {
        withData = !p.acceptKw("no");
        p.expectKw("data");
      }
      return {
        kind: "refresh_materialized_view",
        concurrently,
        relation,
        withData,
        location: t.loc,
      };
    }
    case "reassign":
      return parseReassignOwned(p);
    case "do":
      return parseDo(p);
  }
  throw p.error();
}

function parsePrepare(p: Parser): Statement {
  const loc = p.expectKw("prepare").loc;
  const name = p.colId();
  const argTypes = p.isOp("(") ? p.parenList(() => parseTypeName(p)) : [];
  p.expectKw("as");
  p.enter();
  const statement = parsePreparable(p);
  p.leave();
  return { kind: "prepare", name, argTypes, statement, location: loc };
}

/** A generic option `name [value]` of EXPLAIN (…), VACUUM (…) and COPY (…). */
function utilityOption(p: Parser): DefElem {
  const t = p.tok;
  const name = p.isKw("analyze") || p.isKw("analyse") ? (p.advance(), "analyze") : p.colLabel();
  return { kind: "def_elem", name, arg: optionArg(p), location: t.loc };
}

function optionArg(p: Parser): DefArg | null {
  const t = p.tok;
  if (t.type === "op" && (t.value === "," || t.value === ")")) return null;
  if (t.type === "op" && t.value === "*") {
    p.advance();
    return { kind: "word", value: "*", location: t.loc };
  }
  if (t.type === "op" && t.value === "(") {
    const names = p.parenList(() => p.colLabel());
    return { kind: "names", names, location: t.loc };
  }
  const v = setValue(p);
  if (v.kind === "interval") throw p.error(t);
  return v;
}

function parseExplain(p: Parser): Statement {
  const loc = p.expectKw("explain").loc;
  const options: DefElem[] = [];
  if (p.isOp("(")) options.push(...p.parenList(() => utilityOption(p)));
  else {
    const t = p.tok;
    if (p.acceptKw("analyze") || p.acceptKw("analyse")) {
      options.push({ kind: "def_elem", name: "analyze", arg: null, location: t.loc });
    }
    const v = p.tok;
    if (p.acceptKw("verbose")) {
      options.push({ kind: "def_elem", name: "verbose", arg: null, location: v.loc });
    }
  }
  p.enter();
  let statement: Statement;
  if (p.isKw("execute") || p.isKw("create")) statement = parseStatement(p);
  else statement = parsePreparable(p);
  p.leave();
  return { kind: "explain", options, statement, location: loc };
}

function parseVacuum(p: Parser): VacuumStmt {
  const t = p.advance();
  const s: VacuumStmt = {
    kind: "vacuum",
    isVacuum: t.value === "vacuum",
    options: [],
    relations: [],
    location: t.loc,
  };
  if (p.isOp("(")) s.options = p.parenList(() => utilityOption(p));
  else {
    const words = s.isVacuum ? ["full", "freeze", "verbose", "analyze"] : ["verbose"];
    for (const w of words) {
      const at = p.tok;
      if (p.acceptKw(w) || (w === "analyze" && p.acceptKw("analyse"))) {
        s.options.push({ kind: "def_elem", name: w, arg: null, location: at.loc });
      }
    }
  }
  if (p.isColId()) {
    s.relations = p.list(() => {
      const relation = parseQualifiedName(p);
      const columns = p.isOp("(") ? p.parenList(() => p.colId()) : [];
      return { relation, columns };
    });
  }
  return s;
}

function parseCopy(p: Parser): CopyStmt {
  const loc = p.expectKw("copy").loc;
  const s: CopyStmt = {
    kind: "copy",
    relation: null,
    columns: [],
    query: null,
    isFrom: false,
    target: { kind: "stdio" },
    options: [],
    where: null,
    location: loc,
  };
  if (p.isOp("(")) {
    p.advance();
    p.enter();
    s.query = parsePreparable(p);
    p.leave();
    p.expectOp(")");
    p.expectKw("to");
  } else {
    const b = p.tok;
    if (p.acceptKw("binary")) s.options.push(def("format", word("binary", b.loc), b.loc));
    s.relation = parseQualifiedName(p);
    if (p.isOp("(")) s.columns = p.parenList(() => p.colId());
    if (p.acceptKw("from")) s.isFrom = true;
    else p.expectKw("to");
  }
  const program = p.acceptKw("program");
  if (program) s.target = { kind: "program", command: p.sconst() };
  else if (p.acceptKw("stdin") || p.acceptKw("stdout")) s.target = { kind: "stdio" };
  else s.target = { kind: "file", path: p.sconst() };
  if (p.isKw("using") || p.isKw("delimiters")) {
    const d = p.tok;
    p.acceptKw("using");
    p.expectKw("delimiters");
    s.options.push(def("delimiter", { kind: "string", value: p.sconst(), location: d.loc }, d.loc));
  }
  p.acceptKw("with");
  if (p.isOp("(")) s.options.push(...p.parenList(() => utilityOption(p)));
  else s.options.push(...oldCopyOptions(p));
  if (s.query === null && p.acceptKw("where")) s.where = parseExpr(p);
  return s;
}

function def(name: string, arg: DefArg | null, location: number): DefElem {
  return { kind: "def_elem", name, arg, location };
}

function word(value: string, location: number): DefArg {
  return { kind: "word", value, location };
}

/** COPY's pre-9.0 option syntax, turned into the generic options as PostgreSQL does. */
function oldCopyOptions(p: Parser): DefElem[] {
  const out: DefElem[] = [];
  const str = (): DefArg => {
    p.acceptKw("as");
    const t = p.tok;
    return { kind: "string", value: p.sconst(), location: t.loc };
  };
  while (true) {
    const t = p.tok;
    if (p.acceptKw("binary")) out.push(def("format", word("binary", t.loc), t.loc));
    else if (p.acceptKw("csv")) out.push(def("format", word("csv", t.loc), t.loc));
    else if (p.acceptKw("header")) out.push(def("header", word("true", t.loc), t.loc));
    else if (p.acceptKw("freeze")) out.push(def("freeze", word("true", t.loc), t.loc));
    else if (p.acceptKw("delimiter")) out.push(def("delimiter", str(), t.loc));
    else if (p.acceptKw("null")) out.push(def("null", str(), t.loc));
    else if (p.acceptKw("quote")) out.push(def("quote", str(), t.loc));
    else if (p.acceptKw("escape")) out.push(def("escape", str(), t.loc));
    else if (p.acceptKw("encoding")) out.push(def("encoding", str(), t.loc));
    else if (p.acceptKw("force")) {
      let name: string;
      if (p.acceptKw("quote")) name = "force_quote";
      else if (p.acceptKw("not")) {
        p.expectKw("null");
        name = "force_not_null";
      } else {
        p.expectKw("null");
        name = "force_null";
      }
      const at = p.tok;
      if (name === "force_quote" && p.acceptOp("*")) out.push(def(name, word("*", at.loc), t.loc));
      else {out.push(def(name, {
          kind: "names",
          names: p.list(() => p.colId()),
          location: at.loc,
        }, t.loc));}
    } else break;
  }
  return out;
}

const lockModes = [
  "access share",
  "row share",
  "row exclusive",
  "share update exclusive",
  "share row exclusive",
  "share",
  "exclusive",
  "access exclusive",
];

function parseLock(p: Parser): Statement {
  const loc = p.expectKw("lock").loc;
  p.acceptKw("table");
  const relations: RangeVar[] = p.list(() => parseRelationExpr(p));
  let mode = "access exclusive";
  if (p.acceptKw("in")) {
    const found = lockModes.find((m) => {
      const words = m.split(" ");
      return words.every((w, i) => p.peekKw(i, w)) && p.peekKw(words.length, "mode");
    });
    if (found === undefined) throw p.error();
    for (let i = 0; i < found.split(" ").length; i++) p.advance();
    p.expectKw("mode");
    mode = found;
  }
  const nowait = p.acceptKw("nowait");
  return { kind: "lock", relations, mode, nowait, location: loc };
}

function parseDo(p: Parser): Statement {
  const loc = p.expectKw("do").loc;
  let body: string | null = null;
  let language: string | null = null;
  while (true) {
    if (p.tok.type === "string" && body === null) body = p.sconst();
    else if (p.acceptKw("language")) {
      language = p.tok.type === "string" ? p.sconst() : p.nonReservedWord();
    } else break;
  }
  if (body === null) throw p.error();
  return { kind: "do", body, language, location: loc };
}
