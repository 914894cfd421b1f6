/**
 * @module The printer for expressions, type names, sort items and windows. Output is fully
 * parenthesised and parses back to an equal AST (locations aside); it also serves EXPLAIN, view
 * definitions and policy display, so it keeps close to PostgreSQL's deparse spelling.
 */
import type {
  Expr,
  FrameBound,
  FuncCall,
  IndirectionItem,
  SortBy,
  TypeName,
  WindowDef,
} from "./ast_expr.ts";
import { keywordCategory } from "./keywords.ts";
import { printQuery } from "./print_query.ts";

/**
 * Quotes an identifier when it would not read back as itself: PostgreSQL's quote_identifier,
 * except that every keyword that is not unreserved is quoted.
 *
 * @example
 * quoteIdent("User"); // "\"User\""
 */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name)) {
    const cat = keywordCategory(name);
    if (cat === undefined || cat === "unreserved") return name;
  }
  return '"' + name.replaceAll('"', '""') + '"';
}

/** Quotes a dotted name. */
export function quoteName(names: string[]): string {
  return names.map(quoteIdent).join(".");
}

/** A string literal in standard-conforming syntax. */
export function quoteString(value: string): string {
  return "'" + value.replaceAll("'", "''") + "'";
}

const typeSpellings: Record<string, string> = {
  int4: "integer",
  int2: "smallint",
  int8: "bigint",
  float4: "real",
  float8: "double precision",
  bool: "boolean",
};

/** A type name in SQL spelling. */
export function printTypeName(t: TypeName): string {
  let s = printBaseType(t);
  for (const b of t.arrayBounds) s += b < 0 ? "[]" : `[${b}]`;
  return t.setof ? "SETOF " + s : s;
}

function printBaseType(t: TypeName): string {
  const mods = t.typmods.map(printExpr);
  if (t.names.length === 2 && t.names[0] === "pg_catalog") {
    const n = t.names[1]!;
    const m = mods.length;
    if (typeSpellings[n] !== undefined && m === 0) return typeSpellings[n]!;
    if (n === "numeric") return m === 0 ? "numeric" : `numeric(${mods.join(", ")})`;
    if ((n === "bpchar" || n === "bit") && m === 1 && t.typmods[0]!.kind === "integer") {
      return `${n === "bpchar" ? "character" : "bit"}(${mods[0]})`;
    }
    if (
      (n === "varchar" || n === "varbit") && m <= 1 && (m === 0 || t.typmods[0]!.kind === "integer")
    ) {
      return (n === "varchar" ? "character varying" : "bit varying") + (m ? `(${mods[0]})` : "");
    }
    if (
      ["timestamp", "timestamptz", "time", "timetz"].includes(n) && m <= 1 &&
      (m === 0 || t.typmods[0]!.kind === "integer")
    ) {
      const base = n.startsWith("timestamp") ? "timestamp" : "time";
      return base + (m ? `(${mods[0]})` : "") +
        (n.endsWith("tz") ? " with time zone" : " without time zone");
    }
    if (n === "interval" && m <= 1 && (m === 0 || t.typmods[0]!.kind === "integer")) {
      if (t.intervalFields === null) return m ? `interval(${mods[0]})` : "interval";
      const f = t.intervalFields;
      if (m === 1 && f.endsWith("second")) return `interval ${f}(${mods[0]})`;
      if (m === 0) return `interval ${f}`;
    }
  }
  return quoteName(t.names) + (mods.length ? `(${mods.join(", ")})` : "");
}

function printNumber(value: number | string): string {
  const s = String(value);
  return s.startsWith("-") ? `(${s})` : s;
}

/**
 * An expression as SQL text that can stand anywhere an operand can.
 *
 * @example
 * printExpr(parseExpr("a+1")); // "(a + 1)"
 */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "column_ref":
      if (e.star) return e.names.length ? quoteName(e.names) + ".*" : "*";
      return quoteName(e.names);
    case "param":
      return `$${e.number}`;
    case "integer":
    case "numeric":
      return printNumber(e.value);
    case "string":
      return quoteString(e.value);
    case "bit_string":
      return (e.value[0] === "b" ? "B" : "X") + quoteString(e.value.slice(1));
    case "boolean":
      return e.value ? "TRUE" : "FALSE";
    case "null":
      return "NULL";
    case "default":
      return "DEFAULT";
    case "type_cast":
      return `(${printExpr(e.arg)}::${printTypeName(e.type)})`;
    case "op": {
      const o = e.schema === null ? e.op : `OPERATOR(${quoteIdent(e.schema)}.${e.op})`;
      if (e.left === null) return `(${o} ${printExpr(e.right)})`;
      return `(${printExpr(e.left)} ${o} ${printExpr(e.right)})`;
    }
    case "bool":
      if (e.op === "not") return `(NOT ${printExpr(e.args[0]!)})`;
      return "(" + e.args.map(printExpr).join(e.op === "and" ? " AND " : " OR ") + ")";
    case "null_test":
      return `(${printExpr(e.arg)} IS ${e.not ? "NOT " : ""}NULL)`;
    case "boolean_test":
      return `(${printExpr(e.arg)} IS ${e.not ? "NOT " : ""}${e.test.toUpperCase()})`;
    case "distinct":
      return `(${printExpr(e.left)} IS ${e.not ? "NOT " : ""}DISTINCT FROM ${printExpr(e.right)})`;
    case "between":
      return `(${printExpr(e.arg)} ${e.not ? "NOT " : ""}BETWEEN ${
        e.symmetric ? "SYMMETRIC " : ""
      }${printExpr(e.low)} AND ${printExpr(e.high)})`;
    case "in_list":
      return `(${printExpr(e.arg)} ${e.not ? "NOT " : ""}IN (${e.list.map(printExpr).join(", ")}))`;
    case "like": {
      const op = e.op === "similar" ? "SIMILAR TO" : e.op.toUpperCase();
      const esc = e.escape === null ? "" : ` ESCAPE ${printExpr(e.escape)}`;
      return `(${printExpr(e.arg)} ${e.not ? "NOT " : ""}${op} ${printExpr(e.pattern)}${esc})`;
    }
    case "op_any_all": {
      const o = e.schema === null ? e.op : `OPERATOR(${quoteIdent(e.schema)}.${e.op})`;
      return `(${printExpr(e.left)} ${o} ${e.quantifier.toUpperCase()} (${printExpr(e.right)}))`;
    }
    case "sublink": {
      const q = `(${printQuery(e.subquery)})`;
      switch (e.type) {
        case "exists":
          return `(EXISTS ${q})`;
        case "expr":
          return q;
        case "array":
          return `ARRAY${q}`;
        default:
          return `(${printExpr(e.test!)} ${e.op} ${e.type.toUpperCase()} ${q})`;
      }
    }
    case "func_call":
      return printFuncCall(e);
    case "named_arg":
      return `${quoteIdent(e.name)} => ${printExpr(e.arg)}`;
    case "case": {
      let s = "CASE";
      if (e.arg !== null) s += " " + printExpr(e.arg);
      for (const w of e.whens) s += ` WHEN ${printExpr(w.condition)} THEN ${printExpr(w.result)}`;
      if (e.default !== null) s += ` ELSE ${printExpr(e.default)}`;
      return s + " END";
    }
    case "array":
      return `ARRAY[${e.elements.map(printExpr).join(", ")}]`;
    case "row":
      return `${e.explicit ? "ROW" : ""}(${e.args.map(printExpr).join(", ")})`;
    case "coalesce":
      return `COALESCE(${e.args.map(printExpr).join(", ")})`;
    case "min_max":
      return `${e.op.toUpperCase()}(${e.args.map(printExpr).join(", ")})`;
    case "nullif":
      return `NULLIF(${printExpr(e.left)}, ${printExpr(e.right)})`;
    case "sql_value":
      return e.name.toUpperCase() + (e.precision === null ? "" : `(${e.precision})`);
    case "indirection":
      return `(${printExpr(e.arg)})` + e.path.map(printIndirection).join("");
    case "collate":
      return `(${printExpr(e.arg)} COLLATE ${quoteName(e.collation)})`;
    case "at_time_zone":
      return `(${printExpr(e.arg)} AT TIME ZONE ${printExpr(e.zone)})`;
    case "grouping":
      return `GROUPING(${e.args.map(printExpr).join(", ")})`;
  }
}

/** One indirection step: `.name`, `.*`, `[i]`, `[a:b]`. */
export function printIndirection(i: IndirectionItem): string {
  switch (i.kind) {
    case "field":
      return "." + quoteIdent(i.name);
    case "field_star":
      return ".*";
    case "subscript":
      if (!i.slice) return `[${printExpr(i.upper!)}]`;
      return `[${i.lower === null ? "" : printExpr(i.lower)}:${
        i.upper === null ? "" : printExpr(i.upper)
      }]`;
  }
}

function printFuncCall(f: FuncCall): string {
  const n = f.name;
  if (f.syntax === "sql" && n.length === 2 && n[0] === "pg_catalog") {
    const a = f.args.map(printExpr);
    const fn = n[1]!;
    if (fn === "extract" && a.length === 2 && f.args[0]!.kind === "string") {
      return `EXTRACT(${quoteIdent(f.args[0]!.value)} FROM ${a[1]})`;
    }
    if (fn === "position" && a.length === 2) return `POSITION(${a[1]} IN ${a[0]})`;
    if (fn === "overlaps" && a.length === 4) {
      return `((${a[0]}, ${a[1]}) OVERLAPS (${a[2]}, ${a[3]}))`;
    }
    if (fn === "substring" && (a.length === 2 || a.length === 3)) {
      return `SUBSTRING(${a[0]} FROM ${a[1]}${a.length === 3 ? ` FOR ${a[2]}` : ""})`;
    }
    if (fn === "overlay" && (a.length === 3 || a.length === 4)) {
      return `OVERLAY(${a[0]} PLACING ${a[1]} FROM ${a[2]}${a.length === 4 ? ` FOR ${a[3]}` : ""})`;
    }
    if ((fn === "btrim" || fn === "ltrim" || fn === "rtrim") && a.length >= 1) {
      const where = fn === "btrim" ? "BOTH" : fn === "ltrim" ? "LEADING" : "TRAILING";
      return `TRIM(${where} FROM ${a.join(", ")})`;
    }
  }
  let s = quoteName(n) + "(";
  if (f.star) s += "*";
  else {
    if (f.distinct) s += "DISTINCT ";
    s += f.args.map((arg, i) =>
      (f.variadic && i === f.args.length - 1 ? "VARIADIC " : "") + printExpr(arg)
    ).join(", ");
    if (f.orderBy.length > 0 && !f.withinGroup) s += " " + printOrderBy(f.orderBy);
  }
  s += ")";
  if (f.withinGroup) s += ` WITHIN GROUP (${printOrderBy(f.orderBy)})`;
  if (f.filter !== null) s += ` FILTER (WHERE ${printExpr(f.filter)})`;
  if (f.over !== null) {
    s += " OVER " +
      (f.over.name !== null && f.over.refName === null && isBareRef(f.over)
        ? quoteIdent(f.over.name)
        : printWindowSpec(f.over));
  }
  return s;
}

function isBareRef(w: WindowDef): boolean {
  return w.partitionBy.length === 0 && w.orderBy.length === 0 && w.frame === null;
}

/** ORDER BY a, b DESC NULLS LAST. */
export function printOrderBy(items: SortBy[]): string {
  return "ORDER BY " + items.map(printSortBy).join(", ");
}

function printSortBy(s: SortBy): string {
  let out = printExpr(s.expr);
  if (s.direction === "asc") out += " ASC";
  else if (s.direction === "desc") out += " DESC";
  else if (s.direction === "using") out += ` USING ${s.usingOp}`;
  if (s.nulls !== "default") out += ` NULLS ${s.nulls.toUpperCase()}`;
  return out;
}

/** `( [ref] [PARTITION BY …] [ORDER BY …] [frame] )`. */
export function printWindowSpec(w: WindowDef): string {
  const parts: string[] = [];
  if (w.refName !== null) parts.push(quoteIdent(w.refName));
  if (w.partitionBy.length > 0) {
    parts.push("PARTITION BY " + w.partitionBy.map(printExpr).join(", "));
  }
  if (w.orderBy.length > 0) parts.push(printOrderBy(w.orderBy));
  if (w.frame !== null) {
    const f = w.frame;
    let s = f.mode.toUpperCase() + " ";
    s += f.end === null
      ? printBound(f.start)
      : `BETWEEN ${printBound(f.start)} AND ${printBound(f.end)}`;
    if (f.exclude !== null) s += " EXCLUDE " + f.exclude.replace("_", " ").toUpperCase();
    parts.push(s);
  }
  return `(${parts.join(" ")})`;
}

function printBound(b: FrameBound): string {
  switch (b.type) {
    case "unbounded_preceding":
      return "UNBOUNDED PRECEDING";
    case "unbounded_following":
      return "UNBOUNDED FOLLOWING";
    case "current_row":
      return "CURRENT ROW";
    case "preceding":
      return `${printExpr(b.offset!)} PRECEDING`;
    case "following":
      return `${printExpr(b.offset!)} FOLLOWING`;
  }
}
