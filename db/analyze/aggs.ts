/**
 * @module Aggregate and window function names and result types (PostgreSQL's pg_aggregate
 * choices: sum(int4) is bigint, sum(int8) and avg(int) are numeric, count is bigint, …).
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { arrayOf, formatType, Oid } from "../types/mod.ts";

const aggregates = new Set([
  "count",
  "sum",
  "avg",
  "min",
  "max",
  "bool_and",
  "bool_or",
  "every",
  "string_agg",
  "array_agg",
  "json_agg",
  "jsonb_agg",
  "json_object_agg",
  "jsonb_object_agg",
  "stddev",
  "stddev_samp",
  "stddev_pop",
  "variance",
  "var_samp",
  "var_pop",
  "bit_and",
  "bit_or",
  "percentile_cont",
  "percentile_disc",
  "mode",
]);

/** Ordered-set aggregates: called as `agg(direct args) WITHIN GROUP (ORDER BY value)`. */
export const orderedSetAggregates = new Set(["percentile_cont", "percentile_disc", "mode"]);

const windowFns = new Set([
  "row_number",
  "rank",
  "dense_rank",
  "percent_rank",
  "cume_dist",
  "ntile",
  "lag",
  "lead",
  "first_value",
  "last_value",
  "nth_value",
]);

/** True for aggregate function names. */
export function isAggregate(name: string): boolean {
  return aggregates.has(name);
}

/** True for window-only function names. */
export function isWindowFunction(name: string): boolean {
  return windowFns.has(name);
}

const ints = new Set<number>([Oid.int2, Oid.int4, Oid.int8]);

function noAgg(name: string, types: number[]): DbError {
  return new DbError(
    SqlState.undefinedFunction,
    `function ${name}(${types.map((t) => formatType(t)).join(", ")}) does not exist`,
    {
      hint:
        "No function matches the given name and argument types. You might need to add explicit type casts.",
    },
  );
}

/** The result type of aggregate `name` over `types`. */
export function aggregateResultType(name: string, types: number[], star: boolean): number {
  const t = types[0] ?? 0;
  switch (name) {
    case "count":
      if (!star && types.length !== 1) throw noAgg(name, types);
      return Oid.int8;
    case "sum":
      if (t === Oid.int2 || t === Oid.int4) return Oid.int8;
      if (t === Oid.int8 || t === Oid.numeric) return Oid.numeric;
      if (t === Oid.float4 || t === Oid.float8 || t === Oid.interval) return t;
      throw noAgg(name, types);
    case "avg":
      if (ints.has(t) || t === Oid.numeric) return Oid.numeric;
      if (t === Oid.float4 || t === Oid.float8) return Oid.float8;
      if (t === Oid.interval) return t;
      throw noAgg(name, types);
    case "stddev":
    case "stddev_samp":
    case "stddev_pop":
    case "variance":
    case "var_samp":
    case "var_pop":
      if (ints.has(t) || t === Oid.numeric) return Oid.numeric;
      if (t === Oid.float4 || t === Oid.float8) return Oid.float8;
      throw noAgg(name, types);
    case "min":
    case "max":
      if (types.length !== 1 || t === Oid.json) throw noAgg(name, types);
      return t;
    case "bool_and":
    case "bool_or":
    case "every":
      if (t !== Oid.bool) throw noAgg(name, types);
      return Oid.bool;
    case "bit_and":
    case "bit_or":
      return t;
    case "string_agg":
      if (types.length !== 2) throw noAgg(name, types);
      return t === Oid.bytea ? Oid.bytea : Oid.text;
    case "array_agg": {
      const a = arrayOf(t);
      if (a === 0) throw noAgg(name, types);
      return a;
    }
    case "json_agg":
    case "json_object_agg":
      return Oid.json;
    case "percentile_cont":
      if (types.length !== 2) throw noAgg(name, types);
      return types[1] === Oid.interval ? Oid.interval : Oid.float8;
    case "percentile_disc":
      if (types.length !== 2) throw noAgg(name, types);
      return types[1]!;
    case "mode":
      if (types.length !== 1) throw noAgg(name, types);
      return t;
    case "jsonb_agg":
    case "jsonb_object_agg":
      return Oid.jsonb;
  }
  throw noAgg(name, types);
}

/** The result type of a window function. */
export function windowResultType(name: string, types: number[]): number {
  switch (name) {
    case "row_number":
    case "rank":
    case "dense_rank":
      return Oid.int8;
    case "percent_rank":
    case "cume_dist":
      return Oid.float8;
    case "ntile":
      return Oid.int4;
    default:
      return types[0] ?? Oid.unknown;
  }
}
