/**
 * @module The printer for queries and data-modifying statements: SELECT, VALUES, set
 * operations (each arm parenthesised), FROM items, WITH, INSERT, UPDATE, DELETE.
 */
import type {
  Alias,
  CommonTableExpr,
  DeleteStmt,
  FromItem,
  GroupByItem,
  IndexElem,
  InsertStmt,
  LockingClause,
  Query,
  RangeVar,
  ResTarget,
  SetClause,
  TargetColumn,
  UpdateStmt,
  WithClause,
} from "./ast_query.ts";
import {
  printExpr,
  printIndirection,
  printOrderBy,
  printTypeName,
  printWindowSpec,
  quoteIdent,
  quoteName,
} from "./print_expr.ts";

/** A table name: [ONLY] [catalog.][schema.]name [AS alias(cols)]. */
export function printRangeVar(r: RangeVar): string {
  const names = [r.catalog, r.schema, r.name].filter((n): n is string => n !== null);
  return (r.only ? "ONLY " : "") + quoteName(names) + printAlias(r.alias);
}

function printAlias(a: Alias | null): string {
  if (a === null) return "";
  const cols = a.columns.length ? `(${a.columns.map(quoteIdent).join(", ")})` : "";
  return ` AS ${quoteIdent(a.name)}${cols}`;
}

function printWith(w: WithClause | null): string {
  if (w === null) return "";
  return "WITH " + (w.recursive ? "RECURSIVE " : "") + w.ctes.map(printCte).join(", ") + " ";
}

function printCte(c: CommonTableExpr): string {
  const cols = c.columns.length ? `(${c.columns.map(quoteIdent).join(", ")})` : "";
  const mat = c.materialized === "always"
    ? "MATERIALIZED "
    : c.materialized === "never"
    ? "NOT MATERIALIZED "
    : "";
  return `${quoteIdent(c.name)}${cols} AS ${mat}(${printPreparable(c.query)})`;
}

/** SELECT / INSERT / UPDATE / DELETE. */
export function printPreparable(s: Query | InsertStmt | UpdateStmt | DeleteStmt): string {
  switch (s.kind) {
    case "insert":
      return printInsert(s);
    case "update":
      return printUpdate(s);
    case "delete":
      return printDelete(s);
    default:
      return printQuery(s);
  }
}

function targets(list: ResTarget[]): string {
  return list.map((t) => printExpr(t.expr) + (t.alias === null ? "" : ` AS ${quoteIdent(t.alias)}`))
    .join(", ");
}

/**
 * A query as SQL text (without surrounding parentheses).
 *
 * @example
 * printQuery(q); // "SELECT a FROM t ORDER BY a"
 */
export function printQuery(q: Query): string {
  let s = printWith(q.with);
  switch (q.kind) {
    case "select":
      s += printSelectCore(q);
      break;
    case "values":
      s += "VALUES " + q.rows.map((r) => `(${r.map(printExpr).join(", ")})`).join(", ");
      break;
    case "set_operation": {
      const arm = (a: Query) => `(${printQuery(a)})`;
      s += `${arm(q.left)} ${q.op.toUpperCase()}${q.all ? " ALL" : ""} ${arm(q.right)}`;
      break;
    }
  }
  if (q.orderBy.length > 0) s += " " + printOrderBy(q.orderBy);
  if (q.limit !== null) {
    s += q.withTies
      ? ` FETCH FIRST ${printExpr(q.limit)} ROWS WITH TIES`
      : q.limit.kind === "null"
      ? " LIMIT ALL"
      : ` LIMIT ${printExpr(q.limit)}`;
  }
  if (q.offset !== null) s += ` OFFSET ${printExpr(q.offset)}`;
  for (const l of q.locking) s += " " + printLocking(l);
  return s;
}

function printLocking(l: LockingClause): string {
  const strength = {
    update: "UPDATE",
    no_key_update: "NO KEY UPDATE",
    share: "SHARE",
    key_share: "KEY SHARE",
  }[l.strength];
  let s = `FOR ${strength}`;
  if (l.of.length) s += " OF " + l.of.map(printRangeVar).join(", ");
  if (l.wait === "nowait") s += " NOWAIT";
  else if (l.wait === "skip_locked") s += " SKIP LOCKED";
  return s;
}

function printSelectCore(q: Query & { kind: "select" }): string {
  let s = "SELECT";
  if (q.distinct !== null) {
    s += " DISTINCT";
    if (q.distinct.length) s += ` ON (${q.distinct.map(printExpr).join(", ")})`;
  }
  if (q.targets.length) s += " " + targets(q.targets);
  if (q.into !== null) {
    const pers = q.into.persistence === "temp"
      ? "TEMPORARY "
      : q.into.persistence === "unlogged"
      ? "UNLOGGED "
      : "";
    s += ` INTO ${pers}TABLE ${printRangeVar(q.into.relation)}`;
  }
  if (q.from.length) s += " FROM " + q.from.map(printFromItem).join(", ");
  if (q.where !== null) s += " WHERE " + printExpr(q.where);
  if (q.groupBy.length) {
    s += " GROUP BY " + (q.groupByDistinct ? "DISTINCT " : "") +
      q.groupBy.map(printGroupBy).join(", ");
  }
  if (q.having !== null) s += " HAVING " + printExpr(q.having);
  if (q.windows.length) {
    s += " WINDOW " +
      q.windows.map((w) => `${quoteIdent(w.name!)} AS ${printWindowSpec(w)}`).join(", ");
  }
  return s;
}

function printGroupBy(g: GroupByItem): string {
  if (g.kind !== "grouping_set") return printExpr(g);
  switch (g.type) {
    case "empty":
      return "()";
    case "sets":
      return `GROUPING SETS (${g.items.map(printGroupBy).join(", ")})`;
    default:
      return `${g.type.toUpperCase()} (${g.items.map(printGroupBy).join(", ")})`;
  }
}

/** A FROM item. Joins are parenthesised, so nesting reads back unchanged. */
export function printFromItem(f: FromItem): string {
  switch (f.kind) {
    case "range_var":
      return printRangeVar(f);
    case "range_subselect":
      return `${f.lateral ? "LATERAL " : ""}(${printQuery(f.query)})${printAlias(f.alias)}`;
    case "range_function": {
      let s = f.lateral ? "LATERAL " : "";
      const fns = f.functions.map(printExpr).join(", ");
      s += f.rowsFrom ? `ROWS FROM (${fns})` : fns;
      if (f.ordinality) s += " WITH ORDINALITY";
      if (f.alias !== null) s += printAlias(f.alias);
      if (f.columnDefs !== null) {
        if (f.alias === null) s += " AS";
        s += ` (${
          f.columnDefs.map((c) => `${quoteIdent(c.name)} ${printTypeName(c.type)}`).join(", ")
        })`;
      }
      return s;
    }
    case "join": {
      const left = printFromItem(f.left);
      const right = printFromItem(f.right);
      let type = f.type === "cross" ? "CROSS" : f.type.toUpperCase();
      if (f.natural) type = "NATURAL " + type;
      let s = `${left} ${type} JOIN ${right}`;
      if (f.using !== null) {
        s += ` USING (${f.using.map(quoteIdent).join(", ")})`;
        if (f.usingAlias !== null) s += ` AS ${quoteIdent(f.usingAlias.name)}`;
      }
      if (f.on !== null) s += ` ON ${printExpr(f.on)}`;
      return f.alias === null ? `(${s})` : `(${s})${printAlias(f.alias)}`;
    }
  }
}

function printTargetColumn(c: TargetColumn): string {
  return quoteIdent(c.name) + c.indirection.map(printIndirection).join("");
}

function printSet(list: SetClause[]): string {
  return list.map((c) =>
    c.kind === "set_column"
      ? `${printTargetColumn(c.column)} = ${printExpr(c.value)}`
      : `(${c.columns.map(printTargetColumn).join(", ")}) = ${printExpr(c.value)}`
  ).join(", ");
}

function returning(list: ResTarget[]): string {
  return list.length ? " RETURNING " + targets(list) : "";
}

/** An index column. */
export function printIndexElem(e: IndexElem): string {
  let s = e.column !== null ? quoteIdent(e.column) : `(${printExpr(e.expr!)})`;
  if (e.collation !== null) s += " COLLATE " + quoteName(e.collation);
  if (e.opclass !== null) s += " " + quoteName(e.opclass);
  if (e.ordering !== "default") s += " " + e.ordering.toUpperCase();
  if (e.nulls !== "default") s += " NULLS " + e.nulls.toUpperCase();
  return s;
}

function printInsert(s: InsertStmt): string {
  const rel = printRangeVar({ ...s.relation, alias: null });
  let out = printWith(s.with) + `INSERT INTO ${rel}`;
  if (s.relation.alias !== null) out += ` AS ${quoteIdent(s.relation.alias.name)}`;
  if (s.columns.length) out += ` (${s.columns.map(printTargetColumn).join(", ")})`;
  if (s.overriding !== null) out += ` OVERRIDING ${s.overriding.toUpperCase()} VALUE`;
  out += s.query === null ? " DEFAULT VALUES" : " " + printQuery(s.query);
  const oc = s.onConflict;
  if (oc !== null) {
    out += " ON CONFLICT";
    if (oc.target?.kind === "columns") {
      out += ` (${oc.target.columns.map(printIndexElem).join(", ")})`;
      if (oc.target.where !== null) out += ` WHERE ${printExpr(oc.target.where)}`;
    } else if (oc.target?.kind === "constraint") {
      out += ` ON CONSTRAINT ${quoteIdent(oc.target.name)}`;
    }
    if (oc.action === "nothing") out += " DO NOTHING";
    else {
      out += " DO UPDATE SET " + printSet(oc.set);
      if (oc.where !== null) out += ` WHERE ${printExpr(oc.where)}`;
    }
  }
  return out + returning(s.returning);
}

function printUpdate(s: UpdateStmt): string {
  let out = printWith(s.with) + `UPDATE ${printRangeVar(s.relation)} SET ${printSet(s.set)}`;
  if (s.from.length) out += " FROM " + s.from.map(printFromItem).join(", ");
  if (s.where !== null) out += ` WHERE ${printExpr(s.where)}`;
  return out + returning(s.returning);
}

function printDelete(s: DeleteStmt): string {
  let out = printWith(s.with) + `DELETE FROM ${printRangeVar(s.relation)}`;
  if (s.using.length) out += " USING " + s.using.map(printFromItem).join(", ");
  if (s.where !== null) out += ` WHERE ${printExpr(s.where)}`;
  return out + returning(s.returning);
}
