/**
 * @module Function calls (arguments, DISTINCT, ORDER BY, VARIADIC, named arguments, WITHIN GROUP,
 * FILTER, OVER) and the expressions that begin with a keyword: CASE, CAST, ARRAY, ROW, EXISTS,
 * COALESCE/GREATEST/LEAST/NULLIF, GROUPING, the SQL-syntax functions (EXTRACT, POSITION,
 * SUBSTRING, TRIM, OVERLAY) and the SQL value functions (CURRENT_DATE, CURRENT_USER, …).
 */
import type {
  CaseWhen,
  Expr,
  FrameBound,
  FuncCall,
  SortBy,
  SqlValueFunction,
  WindowDef,
  WindowFrame,
} from "./ast_expr.ts";
import type { Parser } from "./parser.ts";
import { parseBExpr, parseExpr, parseExprList } from "./parse_expr.ts";
import { parseTypeName } from "./parse_type.ts";
import { isSelectParens, parseSelectWithParens } from "./parse_select.ts";

function call(
  name: string[],
  args: Expr[],
  location: number,
  syntax: "call" | "sql" = "sql",
): FuncCall {
  return {
    kind: "func_call",
    name,
    args,
    star: false,
    distinct: false,
    variadic: false,
    orderBy: [],
    withinGroup: false,
    filter: null,
    over: null,
    syntax,
    location,
  };
}

/** One argument: `a_expr` or `name => a_expr`. */
function funcArg(p: Parser): Expr {
  const t = p.tok;
  if (p.isTypeFuncName(t) && (p.peekOp(1, "=>") || p.peekOp(1, ":="))) {
    p.advance(), p.advance();
    return { kind: "named_arg", name: t.value, arg: parseExpr(p), location: t.loc };
  }
  return parseExpr(p);
}

/**
 * A call `name(…)` from its `(`: arguments, then WITHIN GROUP, FILTER and OVER.
 *
 * @example
 * // string_agg(x, ',' ORDER BY y) FILTER (WHERE y > 0)
 */
export function parseFuncCall(p: Parser, name: string[], location: number): FuncCall {
  const f = call(name, [], location, "call");
  p.enter();
  p.expectOp("(");
  if (p.isOp("*")) {
    p.advance();
    f.star = true;
    p.expectOp(")");
  } else if (!p.acceptOp(")")) {
    if (p.acceptKw("distinct")) f.distinct = true;
    else p.acceptKw("all");
    while (true) {
      if (p.acceptKw("variadic")) {
        f.variadic = true;
        f.args.push(funcArg(p));
        break;
      }
      f.args.push(funcArg(p));
      if (!p.acceptOp(",")) break;
    }
    if (p.isKw("order")) f.orderBy = parseSortClause(p);
    p.expectOp(")");
  }
  // After a call, WITHIN and FILTER are clauses, never column labels (bison shifts them).
  if (p.isKw("within")) {
    const at = p.tok;
    p.advance();
    p.expectKw("group");
    p.expectOp("(");
    if (f.orderBy.length > 0) {
      throw p.errorAt("cannot use multiple ORDER BY clauses with WITHIN GROUP", at);
    }
    if (f.distinct) throw p.errorAt("cannot use DISTINCT with WITHIN GROUP", at);
    if (f.variadic) throw p.errorAt("cannot use VARIADIC with WITHIN GROUP", at);
    f.orderBy = parseSortClause(p);
    f.withinGroup = true;
    p.expectOp(")");
  }
  if (p.isKw("filter")) {
    p.advance();
    p.expectOp("(");
    p.expectKw("where");
    f.filter = parseExpr(p);
    p.expectOp(")");
  }
  if (p.isKw("over")) {
    p.advance();
    if (p.isOp("(")) f.over = parseWindowSpec(p, null);
    else {
      const t = p.tok;
      f.over = {
        kind: "window_def",
        name: p.colId(),
        refName: null,
        partitionBy: [],
        orderBy: [],
        frame: null,
        location: t.loc,
      };
    }
  }
  p.leave();
  return f;
}

/** ORDER BY sortby, …. */
export function parseSortClause(p: Parser): SortBy[] {
  p.expectKw("order");
  p.expectKw("by");
  return p.list(() => parseSortBy(p));
}

function parseSortBy(p: Parser): SortBy {
  const loc = p.tok.loc;
  const expr = parseExpr(p);
  const s: SortBy = {
    kind: "sort_by",
    expr,
    direction: "default",
    usingOp: null,
    nulls: "default",
    location: loc,
  };
  if (p.acceptKw("asc")) s.direction = "asc";
  else if (p.acceptKw("desc")) s.direction = "desc";
  else if (p.acceptKw("using")) {
    s.direction = "using";
    const t = p.tok;
    if (t.type === "op" && !["(", ")", ",", ";", "[", "]", "."].includes(t.value)) {
      s.usingOp = p.advance().value;
    } else if (p.isKw("operator")) {
      p.advance();
      p.expectOp("(");
      while (p.tok.type !== "op") {
        p.colId();
        p.expectOp(".");
      }
      s.usingOp = p.advance().value;
      p.expectOp(")");
    } else throw p.error();
  }
  if (p.isKw("nulls") && (p.peekKw(1, "first") || p.peekKw(1, "last"))) {
    p.advance();
    s.nulls = p.advance().value === "first" ? "first" : "last";
  }
  return s;
}

/** `( [existing] [PARTITION BY …] [ORDER BY …] [frame] )`, named `name` in a WINDOW clause. */
export function parseWindowSpec(p: Parser, name: string | null): WindowDef {
  const loc = p.expectOp("(").loc;
  const w: WindowDef = {
    kind: "window_def",
    name,
    refName: null,
    partitionBy: [],
    orderBy: [],
    frame: null,
    location: loc,
  };
  const t = p.tok;
  if (
    p.isColId(t) &&
    !(t.type === "keyword" && ["partition", "range", "rows", "groups"].includes(t.value))
  ) {
    w.refName = p.colId();
  }
  if (p.isKw("partition")) {
    p.advance();
    p.expectKw("by");
    w.partitionBy = parseExprList(p);
  }
  if (p.isKw("order")) w.orderBy = parseSortClause(p);
  if (p.isKw("rows") || p.isKw("range") || p.isKw("groups")) w.frame = parseFrame(p);
  p.expectOp(")");
  return w;
}

function parseFrame(p: Parser): WindowFrame {
  const t = p.advance();
  const mode = t.value as WindowFrame["mode"];
  let start: FrameBound;
  let end: FrameBound | null = null;
  if (p.acceptKw("between")) {
    start = parseFrameBound(p);
    p.expectKw("and");
    end = parseFrameBound(p);
  } else start = parseFrameBound(p);
  let exclude: WindowFrame["exclude"] = null;
  if (p.acceptKw("exclude")) {
    if (p.acceptKw("current")) {
      p.expectKw("row");
      exclude = "current_row";
    } else if (p.acceptKw("group")) exclude = "group";
    else if (p.acceptKw("ties")) exclude = "ties";
    else {
      p.expectKw("no");
      p.expectKw("others");
      exclude = "no_others";
    }
  }
  return { kind: "window_frame", mode, start, end, exclude, location: t.loc };
}

function parseFrameBound(p: Parser): FrameBound {
  const loc = p.tok.loc;
  if (p.isKw("unbounded") && (p.peekKw(1, "preceding") || p.peekKw(1, "following"))) {
    p.advance();
    const type = p.advance().value === "preceding" ? "unbounded_preceding" : "unbounded_following";
    return { kind: "frame_bound", type, offset: null, location: loc };
  }
  if (p.isKw("current") && p.peekKw(1, "row")) {
    p.advance(), p.advance();
    return { kind: "frame_bound", type: "current_row", offset: null, location: loc };
  }
  const offset = parseExpr(p);
  if (p.acceptKw("preceding")) {
    return { kind: "frame_bound", type: "preceding", offset, location: loc };
  }
  p.expectKw("following");
  return { kind: "frame_bound", type: "following", offset, location: loc };
}

function parenArgs(p: Parser): Expr[] {
  p.expectOp("(");
  const args = parseExprList(p);
  p.expectOp(")");
  return args;
}

function parseCase(p: Parser): Expr {
  const loc = p.expectKw("case").loc;
  p.enter();
  const arg = p.isKw("when") ? null : parseExpr(p);
  const whens: CaseWhen[] = [];
  do {
    const wl = p.expectKw("when").loc;
    const condition = parseExpr(p);
    p.expectKw("then");
    whens.push({ kind: "case_when", condition, result: parseExpr(p), location: wl });
  } while (p.isKw("when"));
  const dflt = p.acceptKw("else") ? parseExpr(p) : null;
  p.expectKw("end");
  p.leave();
  return { kind: "case", arg, whens, default: dflt, location: loc };
}

/** ARRAY[…] contents from `[`: elements, with bare `[…]` sub-arrays. */
function parseArrayBody(p: Parser, loc: number): Expr {
  p.enter();
  p.expectOp("[");
  const elements: Expr[] = [];
  if (!p.isOp("]")) {
    if (p.isOp("[")) elements.push(...p.list(() => parseArrayBody(p, p.tok.loc)));
    else elements.push(...parseExprList(p));
  }
  p.expectOp("]");
  p.leave();
  return { kind: "array", elements, location: loc };
}

function sqlSyntaxFunc(p: Parser, name: string, loc: number): Expr {
  p.expectOp("(");
  let args: Expr[];
  let syntax: "call" | "sql" = "sql";
  let fname = name;
  switch (name) {
    case "extract": {
      const t = p.tok;
      let field: string;
      if (t.type === "string") field = p.sconst();
      else if (
        t.type === "ident" ||
        (t.type === "keyword" &&
          ["year", "month", "day", "hour", "minute", "second"].includes(t.value))
      ) {
        field = p.advance().value;
      } else throw p.error();
      p.expectKw("from");
      args = [{ kind: "string", value: field, location: t.loc }, parseExpr(p)];
      break;
    }
    case "position": {
      const a = parseBExpr(p);
      p.expectKw("in");
      args = [parseBExpr(p), a];
      break;
    }
    case "substring":
    case "overlay": {
      if (p.isOp(")")) {
        args = [];
        syntax = "call";
        break;
      }
      const outer = p.similarIsSubstring;
      p.similarIsSubstring = name === "substring";
      const a = parseExpr(p);
      p.similarIsSubstring = outer;
      if (name === "overlay" && p.acceptKw("placing")) {
        const b = parseExpr(p);
        p.expectKw("from");
        args = [a, b, parseExpr(p)];
        if (p.acceptKw("for")) args.push(parseExpr(p));
      } else if (name === "substring" && p.acceptKw("from")) {
        args = [a, parseExpr(p)];
        if (p.acceptKw("for")) args.push(parseExpr(p));
      } else if (name === "substring" && p.acceptKw("for")) {
        const b = parseExpr(p);
        if (p.acceptKw("from")) args = [a, parseExpr(p), b];
        else args = [a, { kind: "integer", value: 1, location: -1 }, b];
      } else if (name === "substring" && p.acceptKw("similar")) {
        const b = parseExpr(p);
        p.expectKw("escape");
        args = [a, b, parseExpr(p)];
      } else {
        args = [a];
        while (p.acceptOp(",")) args.push(funcArg(p));
        syntax = "call";
      }
      break;
    }
    case "trim": {
      fname = "btrim";
      if (p.acceptKw("leading")) fname = "ltrim";
      else if (p.acceptKw("trailing")) fname = "rtrim";
      else p.acceptKw("both");
      if (p.acceptKw("from")) args = parseExprList(p);
      else {
        const first = parseExpr(p);
        if (p.acceptKw("from")) args = [...parseExprList(p), first];
        else {
          args = [first];
          while (p.acceptOp(",")) args.push(parseExpr(p));
        }
      }
      break;
    }
    default:
      throw p.error();
  }
  p.expectOp(")");
  return call(["pg_catalog", fname], args, loc, syntax);
}

const sqlValueNames = new Set([
  "current_date",
  "current_time",
  "current_timestamp",
  "localtime",
  "localtimestamp",
  "current_role",
  "current_user",
  "session_user",
  "user",
  "current_catalog",
  "current_schema",
]);

/** An expression that begins with a keyword, or null when the keyword is a name here. */
export function parseKeywordExpr(p: Parser): Expr | null {
  const t = p.tok;
  if (t.type !== "keyword") return null;
  const loc = t.loc;
  const paren = p.peekOp(1, "(");
  switch (t.value) {
    case "true":
    case "false":
      p.advance();
      return { kind: "boolean", value: t.value === "true", location: loc };
    case "null":
      p.advance();
      return { kind: "null", location: loc };
    case "default":
      p.advance();
      return { kind: "default", location: loc };
    case "case":
      return parseCase(p);
    case "cast": {
      p.advance();
      p.expectOp("(");
      const arg = parseExpr(p);
      p.expectKw("as");
      const type = parseTypeName(p);
      p.expectOp(")");
      return { kind: "type_cast", arg, type, location: loc };
    }
    case "array": {
      p.advance();
      // ARRAY( can only open a subquery: PostgreSQL fails inside it, not at the parenthesis.
      if (p.isOp("(")) {
        return {
          kind: "sublink",
          type: "array",
          test: null,
          op: null,
          subquery: parseSelectWithParens(p),
          location: loc,
        };
      }
      return parseArrayBody(p, loc);
    }
    case "row":
      if (!paren) return null;
      p.advance();
      p.expectOp("(");
      if (p.acceptOp(")")) return { kind: "row", args: [], explicit: true, location: loc };
      {
        const args = parseExprList(p);
        p.expectOp(")");
        return { kind: "row", args, explicit: true, location: loc };
      }
    case "exists":
      if (!paren) return null;
      p.advance();
      if (!isSelectParens(p)) throw p.error(p.peek(1));
      return {
        kind: "sublink",
        type: "exists",
        test: null,
        op: null,
        subquery: parseSelectWithParens(p),
        location: loc,
      };
    case "grouping":
      if (!paren) return null;
      p.advance();
      return { kind: "grouping", args: parenArgs(p), location: loc };
    case "coalesce":
      if (!paren) return null;
      p.advance();
      return { kind: "coalesce", args: parenArgs(p), location: loc };
    case "greatest":
    case "least":
      if (!paren) return null;
      p.advance();
      return { kind: "min_max", op: t.value, args: parenArgs(p), location: loc };
    case "nullif": {
      if (!paren) return null;
      p.advance();
      p.expectOp("(");
      const left = parseExpr(p);
      p.expectOp(",");
      const right = parseExpr(p);
      p.expectOp(")");
      return { kind: "nullif", left, right, location: loc };
    }
    case "extract":
    case "position":
    case "substring":
    case "trim":
    case "overlay":
      if (!paren) return null;
      p.advance();
      return sqlSyntaxFunc(p, t.value, loc);
  }
  if (sqlValueNames.has(t.value)) {
    if (t.value === "current_schema" && paren) return null;
    p.advance();
    let precision: number | null = null;
    if (
      ["current_time", "current_timestamp", "localtime", "localtimestamp"].includes(t.value) &&
      p.isOp("(")
    ) {
      p.advance();
      precision = p.iconst();
      p.expectOp(")");
    }
    return {
      kind: "sql_value",
      name: t.value as SqlValueFunction["name"],
      precision,
      location: loc,
    };
  }
  return null;
}
