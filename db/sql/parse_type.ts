/**
 * @module Type names (gram.y's Typename): every SQL spelling of the built-in types, mapped to
 * PostgreSQL's internal names as its grammar does, generic and qualified names with modifiers,
 * and array bounds.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import type { Expr, IntervalFields, TypeName } from "./ast_expr.ts";
import { charPosition } from "./lexer.ts";
import type { Parser } from "./parser.ts";
import { parseExprList } from "./parse_expr.ts";

/** Keywords of category col_name that begin a built-in type name. */
const typeKeywords = new Set([
  "int",
  "integer",
  "smallint",
  "bigint",
  "real",
  "float",
  "double",
  "decimal",
  "dec",
  "numeric",
  "boolean",
  "bit",
  "character",
  "char",
  "varchar",
  "national",
  "nchar",
  "timestamp",
  "time",
  "interval",
]);

function typeName(
  names: string[],
  location: number,
  typmods: Expr[] = [],
  intervalFields: IntervalFields | null = null,
): TypeName {
  return {
    kind: "type_name",
    names,
    typmods,
    arrayBounds: [],
    intervalFields,
    setof: false,
    location,
  };
}

function sys(name: string, location: number, typmods: Expr[] = []): TypeName {
  return typeName(["pg_catalog", name], location, typmods);
}

/** Whether the current token can begin a built-in type's SQL spelling (ConstTypename and more). */
export function isBuiltinTypeStart(p: Parser): boolean {
  const t = p.tok;
  if (t.type !== "keyword" || !typeKeywords.has(t.value)) return false;
  // DOUBLE is unreserved: it is a type keyword only before PRECISION.
  if (t.value === "double") return p.peekKw(1, "precision");
  return true;
}

function intMod(p: Parser): Expr {
  const t = p.tok;
  return { kind: "integer", value: p.iconst(), location: t.loc };
}

/** `( expr, … )` after a type name, or none. */
function optTypmods(p: Parser): Expr[] {
  if (!p.isOp("(")) return [];
  p.advance();
  const mods = parseExprList(p);
  p.expectOp(")");
  return mods;
}

/** WITH TIME ZONE | WITHOUT TIME ZONE | nothing. */
function optTimezone(p: Parser): boolean | null {
  if (p.isKw("with") && p.peekKw(1, "time")) {
    p.advance(), p.advance();
    p.expectKw("zone");
    return true;
  }
  if (p.isKw("without")) {
    p.advance();
    p.expectKw("time");
    p.expectKw("zone");
    return false;
  }
  return null;
}

/** INTERVAL's optional fields; adds a SECOND(p) precision to `typmods`. */
export function optIntervalFields(p: Parser, typmods: Expr[]): IntervalFields | null {
  const second = (): "second" => {
    p.expectKw("second");
    if (p.isOp("(")) {
      p.advance();
      typmods.push(intMod(p));
      p.expectOp(")");
    }
    return "second";
  };
  if (p.acceptKw("year")) {
    if (p.acceptKw("to")) {
      p.expectKw("month");
      return "year to month";
    }
    return "year";
  }
  if (p.acceptKw("month")) return "month";
  if (p.acceptKw("day")) {
    if (!p.acceptKw("to")) return "day";
    if (p.acceptKw("hour")) return "day to hour";
    if (p.acceptKw("minute")) return "day to minute";
    second();
    return "day to second";
  }
  if (p.acceptKw("hour")) {
    if (!p.acceptKw("to")) return "hour";
    if (p.acceptKw("minute")) return "hour to minute";
    second();
    return "hour to second";
  }
  if (p.acceptKw("minute")) {
    if (!p.acceptKw("to")) return "minute";
    second();
    return "minute to second";
  }
  if (p.isKw("second")) return second();
  return null;
}

/**
 * A built-in type's SQL spelling at the current token (see {@link isBuiltinTypeStart}).
 * `inLiteral` is gram.y's ConstTypename form used before a string literal: INTERVAL's fields
 * come after the string, and CHAR and BIT without a length are unconstrained (not length 1).
 */
export function parseBuiltinType(p: Parser, inLiteral = false): TypeName {
  const t = p.advance();
  const loc = t.loc;
  switch (t.value) {
    case "int":
    case "integer":
      return sys("int4", loc);
    case "smallint":
      return sys("int2", loc);
    case "bigint":
      return sys("int8", loc);
    case "real":
      return sys("float4", loc);
    case "double":
      p.expectKw("precision");
      return sys("float8", loc);
    case "boolean":
      return sys("bool", loc);
    case "float": {
      if (!p.isOp("(")) return sys("float8", loc);
      p.advance();
      const at = p.tok;
      const bits = p.iconst();
      p.expectOp(")");
      if (bits < 1) {
        throw new DbError(
          SqlState.invalidParameterValue,
          "precision for type float must be at least 1 bit",
          {
            position: charPosition(p.text, at.start),
          },
        );
      }
      if (bits > 53) {
        throw new DbError(
          SqlState.invalidParameterValue,
          "precision for type float must be less than 54 bits",
          {
            position: charPosition(p.text, at.start),
          },
        );
      }
      return sys(bits <= 24 ? "float4" : "float8", loc);
    }
    case "decimal":
    case "dec":
    case "numeric":
      return sys("numeric", loc, optTypmods(p));
    case "bit": {
      const varying = p.acceptKw("varying");
      if (p.isOp("(")) return sys(varying ? "varbit" : "bit", loc, optTypmods(p));
      return varying
        ? sys("varbit", loc)
        : sys("bit", loc, inLiteral ? [] : [{ kind: "integer", value: 1, location: -1 }]);
    }
    case "national":
    case "nchar":
    case "character":
    case "char":
    case "varchar": {
      if (t.value === "national" && !p.acceptKw("character")) p.expectKw("char");
      const varying = t.value === "varchar" || p.acceptKw("varying");
      const name = varying ? "varchar" : "bpchar";
      if (p.isOp("(")) {
        p.advance();
        const mod = intMod(p);
        p.expectOp(")");
        return sys(name, loc, [mod]);
      }
      return varying
        ? sys(name, loc)
        : sys(name, loc, inLiteral ? [] : [{ kind: "integer", value: 1, location: -1 }]);
    }
    case "timestamp":
    case "time": {
      const mods: Expr[] = [];
      if (p.isOp("(")) {
        p.advance();
        mods.push(intMod(p));
        p.expectOp(")");
      }
      const tz = optTimezone(p);
      return sys(t.value + (tz ? "tz" : ""), loc, mods);
    }
    case "interval": {
      const mods: Expr[] = [];
      if (p.isOp("(")) {
        p.advance();
        mods.push(intMod(p));
        p.expectOp(")");
        return typeName(["pg_catalog", "interval"], loc, mods);
      }
      if (inLiteral) return typeName(["pg_catalog", "interval"], loc, mods);
      const fields = optIntervalFields(p, mods);
      return typeName(["pg_catalog", "interval"], loc, mods, fields);
    }
  }
  throw p.error(t);
}

/** `[]`, `[n]`, … after a type; `ARRAY` and `ARRAY[n]`. */
function arrayBounds(p: Parser, type: TypeName): TypeName {
  if (p.isKw("array")) {
    p.advance();
    if (p.isOp("[")) {
      p.advance();
      type.arrayBounds.push(p.iconst());
      p.expectOp("]");
    } else type.arrayBounds.push(-1);
    return type;
  }
  while (p.isOp("[")) {
    p.advance();
    if (p.isOp("]")) type.arrayBounds.push(-1);
    else type.arrayBounds.push(p.iconst());
    p.expectOp("]");
  }
  return type;
}

/**
 * A type name (gram.y's Typename).
 *
 * @example
 * parseTypeName(new Parser("varchar(10)[]")); // names ["pg_catalog","varchar"], typmods [10], arrayBounds [-1]
 */
export function parseTypeName(p: Parser, allowSetof = false): TypeName {
  let setof = false;
  if (allowSetof && p.isKw("setof")) {
    p.advance();
    setof = true;
  }
  let type: TypeName;
  if (isBuiltinTypeStart(p)) {
    type = parseBuiltinType(p);
  } else {
    const loc = p.tok.loc;
    const names = [p.typeFuncName()];
    while (p.isOp(".")) {
      p.advance();
      names.push(p.colLabel());
    }
    type = typeName(names, loc, optTypmods(p));
  }
  type.setof = setof;
  return arrayBounds(p, type);
}
