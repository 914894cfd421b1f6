/**
 * @module CREATE [OR REPLACE] FUNCTION | PROCEDURE: parameters (modes, names, defaults), RETURNS
 * (SETOF, TABLE), and the options (LANGUAGE, volatility, STRICT, SECURITY DEFINER, LEAKPROOF,
 * PARALLEL, COST, ROWS, SET, AS 'body'), each allowed once.
 */
import { SqlState } from "../sqlstate.ts";
import type { CreateFunctionStmt, FunctionParameter } from "./ast_ddl.ts";
import type { VariableSetStmt } from "./ast_utility.ts";
import type { Parser } from "./parser.ts";
import { parseExpr } from "./parse_expr.ts";
import { parseTypeName } from "./parse_type.ts";
import { defArg } from "./parse_table.ts";
import { parseStatement } from "./parse_stmt.ts";

const argModes = new Set(["in", "out", "inout", "variadic"]);

/** A function parameter: [mode] [name] type [DEFAULT expr]. */
export function parseFunctionParameter(p: Parser, withDefault: boolean): FunctionParameter {
  const t = p.tok;
  let mode: FunctionParameter["mode"] = "default";
  const readMode = () => {
    if (p.tok.type === "keyword" && argModes.has(p.tok.value)) {
      const m = p.advance().value;
      if (m === "in" && p.acceptKw("out")) mode = "inout";
      else mode = m as FunctionParameter["mode"];
      return true;
    }
    return false;
  };
  readMode();
  let name: string | null = null;
  const n = p.peek(1);
  const nextIsType = !(n.type === "op" && [",", ")", ".", "(", "[", "=", "%"].includes(n.value)) &&
    !(n.type === "keyword" && ["default", "array"].includes(n.value)) && n.type !== "eof";
  if (p.isTypeFuncName() && nextIsType) {
    name = p.advance().value;
    if (mode === "default") readMode();
  }
  const type = parseTypeName(p, true);
  let dflt = null;
  if (withDefault && (p.acceptKw("default") || p.acceptOp("="))) dflt = parseExpr(p);
  return { kind: "function_parameter", name, mode, type, default: dflt, location: t.loc };
}

export function parseCreateFunction(p: Parser, loc: number, replace: boolean): CreateFunctionStmt {
  const isProcedure = p.advance().value === "procedure";
  const name = p.anyName();
  p.expectOp("(");
  const params = p.isOp(")") ? [] : p.list(() => parseFunctionParameter(p, true));
  p.expectOp(")");
  const f: CreateFunctionStmt = {
    kind: "create_function",
    replace,
    isProcedure,
    name,
    params,
    returns: null,
    language: null,
    volatility: null,
    securityDefiner: null,
    strict: null,
    leakproof: null,
    parallel: null,
    cost: null,
    rows: null,
    body: null,
    set: [],
    location: loc,
  };
  if (!isProcedure && p.acceptKw("returns")) {
    if (p.isKw("table")) {
      const tl = p.advance().loc;
      const cols = p.parenList((): FunctionParameter => {
        const c = p.tok;
        const cname = p.typeFuncName();
        return {
          kind: "function_parameter",
          name: cname,
          mode: "table",
          type: parseTypeName(p),
          default: null,
          location: c.loc,
        };
      });
      f.params.push(...cols);
      f.returns = {
        kind: "type_name",
        names: ["record"],
        typmods: [],
        arrayBounds: [],
        intervalFields: null,
        setof: true,
        location: tl,
      };
    } else f.returns = parseTypeName(p, true);
  }
  parseFunctionOptions(p, f);
  return f;
}

function once<T>(p: Parser, current: T | null, at: Parser["tok"]): void {
  if (current !== null) throw p.errorAt("conflicting or redundant options", at);
}

function parseFunctionOptions(p: Parser, f: CreateFunctionStmt): void {
  while (true) {
    const t = p.tok;
    if (t.type !== "keyword") break;
    switch (t.value) {
      case "as":
        once(p, f.body, t);
        p.advance();
        f.body = [p.sconst()];
        if (p.acceptOp(",")) f.body.push(p.sconst());
        continue;
      case "language":
        once(p, f.language, t);
        p.advance();
        f.language = p.tok.type === "string" ? p.sconst() : p.nonReservedWord();
        continue;
      case "immutable":
      case "stable":
      case "volatile":
        once(p, f.volatility, t);
        f.volatility = p.advance().value as "immutable" | "stable" | "volatile";
        continue;
      case "strict":
        once(p, f.strict, t);
        p.advance();
        f.strict = true;
        continue;
      case "called":
        once(p, f.strict, t);
        p.advance();
        p.expectKw("on"), p.expectKw("null"), p.expectKw("input");
        f.strict = false;
        continue;
      case "returns":
        once(p, f.strict, t);
        p.advance();
        p.expectKw("null"), p.expectKw("on"), p.expectKw("null"), p.expectKw("input");
        f.strict = true;
        continue;
      case "external":
      case "security":
        once(p, f.securityDefiner, t);
        if (p.acceptKw("external")) p.expectKw("security");
        else p.advance();
        if (p.acceptKw("definer")) f.securityDefiner = true;
        else {
          p.expectKw("invoker");
          f.securityDefiner = false;
        }
        continue;
      case "leakproof":
        once(p, f.leakproof, t);
        p.advance();
        f.leakproof = true;
        continue;
      case "not":
        if (!p.peekKw(1, "leakproof")) break;
        once(p, f.leakproof, t);
        p.advance(), p.advance();
        f.leakproof = false;
        continue;
      case "parallel":
        once(p, f.parallel, t);
        p.advance();
        f.parallel = p.colId();
        continue;
      case "cost":
      case "rows": {
        once(p, t.value === "cost" ? f.cost : f.rows, t);
        p.advance();
        const v = defArg(p);
        if (v.kind !== "integer" && v.kind !== "numeric") throw p.error(p.tokens[p.pos - 1]);
        if (t.value === "cost") f.cost = String(v.value);
        else f.rows = String(v.value);
        continue;
      }
      case "set": {
        const s = parseStatement(p);
        if (s.kind !== "variable_set") throw p.error(t);
        f.set.push(s as VariableSetStmt);
        continue;
      }
      case "return":
      case "begin":
        throw p.errorAt(
          "SQL-standard function bodies are not supported",
          t,
          SqlState.featureNotSupported,
        );
    }
    break;
  }
}
