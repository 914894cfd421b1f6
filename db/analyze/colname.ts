/**
 * @module The default name of an output column, after PostgreSQL's FigureColname
 * (parse_target.c): every node kind yields a name with a strength — 2 for a column, a function or
 * a function-like construct, 1 for a type cast or a CASE that falls back to its own name, 0 for
 * none — and a cast or CASE only names its column when what it wraps is weaker than 2. So
 * `'x'::jsonpath::text` is `text`, `a::int` is `a`, `CASE … ELSE b END` is `b`.
 */
import type { Expr, Query, ResTarget } from "../sql/mod.ts";

type Named = [name: string | null, strength: 0 | 1 | 2];

/** The column name of a target: its alias, else what FigureColname gives, else `?column?`. */
export function targetName(t: ResTarget): string {
  if (t.alias !== null) return t.alias;
  return figure(t.expr)[0] ?? "?column?";
}

function figure(e: Expr): Named {
  switch (e.kind) {
    case "column_ref": {
      const name = e.star ? e.names[e.names.length - 2] : e.names[e.names.length - 1];
      return name === undefined ? [null, 0] : [name, 2];
    }
    case "indirection": {
      const fields = e.path.filter((p) => p.kind === "field");
      const last = fields[fields.length - 1];
      return last !== undefined ? [last.name, 2] : figure(e.arg);
    }
    case "func_call":
      return [e.name[e.name.length - 1]!, 2];
    case "at_time_zone":
      return ["timezone", 2];
    case "nullif":
      return ["nullif", 2];
    case "type_cast": {
      const inner = figure(e.arg);
      if (inner[1] <= 1) return [e.type.names[e.type.names.length - 1]!, 1];
      return inner;
    }
    case "collate":
      return figure(e.arg);
    case "grouping":
      return ["grouping", 2];
    case "sublink":
      if (e.type === "exists") return ["exists", 2];
      if (e.type === "array") return ["array", 2];
      if (e.type === "expr") return [queryName(e.subquery), 2];
      return [null, 0];
    case "case": {
      const inner: Named = e.default === null ? [null, 0] : figure(e.default);
      return inner[1] <= 1 ? ["case", 1] : inner;
    }
    case "array":
      return ["array", 2];
    case "row":
      return ["row", 2];
    case "coalesce":
      return ["coalesce", 2];
    case "min_max":
      return [e.op, 2];
    case "sql_value":
      return [e.name, 2];
    default:
      return [null, 0];
  }
}

/** The name of a scalar subquery's column: its first target's, as PostgreSQL's resname. */
function queryName(q: Query): string {
  if (q.kind === "set_operation") return queryName(q.left);
  if (q.kind === "values") return "column1";
  const first = q.targets[0];
  return first === undefined ? "?column?" : targetName(first);
}
