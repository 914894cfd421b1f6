/**
 * @module JSON functions: to_json/to_jsonb (every type, with PostgreSQL's conversions: numbers
 * stay numbers, timestamps become ISO 8601 strings, arrays nest), row_to_json, json(b)_build_*,
 * json(b)_object, jsonb_set/_insert/_strip_nulls/_pretty, *_typeof, *_array_length, each,
 * object_keys, array_elements (set-returning), extract_path.
 */
import type { Datum, DatumObject } from "../../datum.ts";
import { DbError, SqlState } from "../../sqlstate.ts";
import { PgArray } from "../array.ts";
import type { EvalContext } from "../context.ts";
import {
  formatOffset,
  isFiniteTimestamp,
  sessionZone,
  timestampToTm,
  toLocal,
} from "../datetime.ts";
import { formatDate, formatTime } from "../datetime.ts";
import { outputText } from "../io.ts";
import {
  escapeJson,
  formatJsonb,
  isJsonbObject,
  isJsonNull,
  type Jsonb,
  jsonbKeys,
  jsonbNull,
  jsonbTypeof,
  parseJsonb,
} from "../json.ts";
import {
  jsonbDeletePath,
  jsonbPath,
  jsonbSetPath,
  jsonbStripNulls,
  jsonbText,
  jsonExtract,
  jsonExtractText,
  jsonMembers,
  pathOf,
} from "../json_ops.ts";
import { Numeric } from "../numeric.ts";
import { elementOf, Oid } from "../oids.ts";
import { defineFunction, defineWithDefaults } from "./registry.ts";

const J = Oid.jsonb;
const JS = Oid.json;
const T = Oid.text;

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** JSON's text for timestamps: ISO 8601 with "T" (and "+00:00" style offsets). */
function isoTimestamp(t: bigint, ctx: EvalContext, withZone: boolean): string {
  if (!isFiniteTimestamp(t)) return t > 0n ? "infinity" : "-infinity";
  let local = t;
  let off = 0;
  if (withZone) [local, off] = toLocal(t, sessionZone(ctx));
  const tm = timestampToTm(local);
  const y = tm.year > 0 ? tm.year : 1 - tm.year;
  let s = `${String(y).padStart(4, "0")}-${pad2(tm.month)}-${pad2(tm.day)}T${pad2(tm.hour)}:${
    pad2(tm.minute)
  }:${pad2(tm.second)}`;
  if (tm.micros !== 0) s += "." + String(tm.micros).padStart(6, "0").replace(/0+$/, "");
  if (withZone) {
    const o = formatOffset(off);
    s += o.length === 3 ? o + ":00" : o;
  }
  return s + (tm.year <= 0 ? " BC" : "");
}

/** to_jsonb of a typed value. */
export function toJsonb(v: Datum, type: number, ctx: EvalContext): Jsonb {
  if (v === null) return jsonbNull;
  switch (type) {
    case Oid.jsonb:
      return v;
    case Oid.json:
      return parseJsonb(v as string);
    case Oid.bool:
      return v;
    case Oid.int2:
    case Oid.int4:
    case Oid.int8:
      return Numeric.parse(String(v));
    case Oid.float4:
    case Oid.float8: {
      const n = v as number;
      return Number.isFinite(n)
        ? Numeric.parse(outputText(type, n, ctx))
        : outputText(type, n, ctx);
    }
    case Oid.numeric: {
      const n = v as Numeric;
      return n.isFinite() ? n : n.toString();
    }
    case Oid.text:
    case Oid.varchar:
    case Oid.bpchar:
    case Oid.name:
    case Oid.unknown:
      return v as string;
    case Oid.date:
      return formatDate(v as number);
    case Oid.timestamp:
      return isoTimestamp(v as bigint, ctx, false);
    case Oid.timestamptz:
      return isoTimestamp(v as bigint, ctx, true);
    case Oid.time:
      return formatTime(v as number);
  }
  const elem = elementOf(type);
  if (elem !== 0) {
    const a = v as PgArray;
    if (a.dims.length === 0) return [];
    let pos = 0;
    const level = (d: number): Jsonb[] => {
      const out: Jsonb[] = [];
      for (let k = 0; k < a.dims[d]!; k++) {
        out.push(d === a.dims.length - 1 ? toJsonb(a.elements[pos++]!, elem, ctx) : level(d + 1));
      }
      return out;
    };
    return level(0);
  }
  if (type === Oid.record && Array.isArray(v)) {
    return recordToJsonb(v, [], ctx.recordColumns?.(type), ctx);
  }
  return outputText(type, v, ctx);
}

function recordToJsonb(
  values: Datum[],
  types: number[],
  names: string[] | undefined,
  ctx: EvalContext,
): Jsonb {
  const obj: DatumObject = Object.create(null);
  values.forEach((v, k) => {
    const name = names?.[k] ?? `f${k + 1}`;
    delete obj[name];
    obj[name] = toJsonb(v, types[k] ?? guessType(v), ctx);
  });
  return obj;
}

function guessType(v: Datum): number {
  if (typeof v === "number") return Number.isInteger(v) ? Oid.int4 : Oid.float8;
  if (typeof v === "bigint") return Oid.int8;
  if (typeof v === "boolean") return Oid.bool;
  if (v instanceof Numeric) return Oid.numeric;
  if (Array.isArray(v)) return Oid.record;
  if (typeof v === "string") return Oid.text;
  return Oid.jsonb;
}

/** The json text of a typed value (to_json): like jsonb, but json input keeps its text. */
export function toJsonText(v: Datum, type: number, ctx: EvalContext): string {
  if (v === null) return "null";
  if (type === Oid.json) return v as string;
  const elem = elementOf(type);
  if (elem !== 0) {
    const a = v as PgArray;
    if (a.dims.length === 0) return "[]";
    let pos = 0;
    const level = (d: number): string => {
      const out: string[] = [];
      for (let k = 0; k < a.dims[d]!; k++) {
        out.push(
          d === a.dims.length - 1 ? toJsonText(a.elements[pos++]!, elem, ctx) : level(d + 1),
        );
      }
      return "[" + out.join(",") + "]";
    };
    return level(0);
  }
  const j = toJsonb(v, type, ctx);
  return typeof j === "string" ? escapeJson(j) : formatJsonb(j);
}

defineFunction("to_jsonb", [Oid.anyelement], J, ([v], ctx, t) => toJsonb(v!, t[0]!, ctx), {
  volatility: "s",
});
defineFunction("to_json", [Oid.anyelement], JS, ([v], ctx, t) => toJsonText(v!, t[0]!, ctx), {
  volatility: "s",
});
defineFunction("row_to_json", [Oid.record], JS, ([r], ctx, t) => {
  const names = ctx.recordColumns?.(t[0]!);
  const values = r as Datum[];
  return "{" + values.map((v, k) =>
    escapeJson(names?.[k] ?? `f${k + 1}`) + ":" + toJsonText(v, guessType(v), ctx)
  ).join(",") + "}";
}, { volatility: "s" });

function keyText(v: Datum, type: number, ctx: EvalContext, fn: string): string {
  if (v === null) {
    throw new DbError(
      SqlState.nullValueNotAllowed,
      "argument 1: key must not be null".replace("1", "1"),
      {
        hint: fn,
      },
    );
  }
  if (type === T || type === Oid.unknown || type === Oid.varchar) return v as string;
  return outputText(type, v, ctx);
}

function buildObjectArgs(args: Datum[], fn: string): void {
  if (args.length % 2 !== 0) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `argument list must have even number of elements`,
      {
        hint: `The arguments of ${fn}() must consist of alternating keys and values.`,
      },
    );
  }
}

defineFunction("jsonb_build_object", [Oid.any], J, (args, ctx, t) => {
  buildObjectArgs(args, "jsonb_build_object");
  const obj: DatumObject = Object.create(null);
  for (let i = 0; i < args.length; i += 2) {
    if (args[i] === null) {
      throw new DbError(SqlState.nullValueNotAllowed, `argument ${i + 1}: key must not be null`);
    }
    const k = keyText(args[i]!, t[i]!, ctx, "jsonb_build_object");
    delete obj[k];
    obj[k] = toJsonb(args[i + 1]!, t[i + 1]!, ctx);
  }
  return obj;
}, { variadic: Oid.any, strict: false, volatility: "s" });
defineFunction("jsonb_build_object", [], J, () => Object.create(null));
defineFunction("json_build_object", [Oid.any], JS, (args, ctx, t) => {
  buildObjectArgs(args, "json_build_object");
  const parts: string[] = [];
  for (let i = 0; i < args.length; i += 2) {
    if (args[i] === null) {
      throw new DbError(SqlState.nullValueNotAllowed, `argument ${i + 1}: key must not be null`);
    }
    parts.push(
      escapeJson(keyText(args[i]!, t[i]!, ctx, "json_build_object")) + " : " +
        toJsonText(args[i + 1]!, t[i + 1]!, ctx),
    );
  }
  return "{" + parts.join(", ") + "}";
}, { variadic: Oid.any, strict: false, volatility: "s" });
defineFunction("json_build_object", [], JS, () => "{}");
defineFunction(
  "jsonb_build_array",
  [Oid.any],
  J,
  (args, ctx, t) => args.map((v, i) => toJsonb(v, t[i]!, ctx)),
  {
    variadic: Oid.any,
    strict: false,
    volatility: "s",
  },
);
defineFunction("jsonb_build_array", [], J, () => []);
defineFunction(
  "json_build_array",
  [Oid.any],
  JS,
  (args, ctx, t) => "[" + args.map((v, i) => toJsonText(v, t[i]!, ctx)).join(", ") + "]",
  {
    variadic: Oid.any,
    strict: false,
    volatility: "s",
  },
);
defineFunction("json_build_array", [], JS, () => "[]");

function objectFromArrays(keys: PgArray, values: PgArray | null): [string, string | null][] {
  if (values === null) {
    if (keys.dims.length === 2) {
      if (keys.dims[1] !== 2) {
        throw new DbError(SqlState.arraySubscriptError, "array must have two columns");
      }
    } else if (keys.dims.length === 1) {
      if (keys.elements.length % 2 !== 0) {
        throw new DbError(SqlState.arraySubscriptError, "array must have even number of elements");
      }
    } else if (keys.dims.length !== 0) {
      throw new DbError(SqlState.arraySubscriptError, "wrong number of array subscripts");
    }
    const out: [string, string | null][] = [];
    for (let i = 0; i < keys.elements.length; i += 2) {
      const k = keys.elements[i];
      if (k === null) {
        throw new DbError(SqlState.nullValueNotAllowed, "null value not allowed for object key");
      }
      out.push([k as string, keys.elements[i + 1] as string | null]);
    }
    return out;
  }
  if (keys.elements.length !== values.elements.length) {
    throw new DbError(SqlState.arraySubscriptError, "mismatched array dimensions");
  }
  return keys.elements.map((k, i) => {
    if (k === null) {
      throw new DbError(SqlState.nullValueNotAllowed, "null value not allowed for object key");
    }
    return [k as string, values.elements[i] as string | null];
  });
}
defineFunction("jsonb_object", [Oid.textArray], J, ([a]) => {
  const obj: DatumObject = Object.create(null);
  for (const [k, v] of objectFromArrays(a as PgArray, null)) {
    delete obj[k];
    obj[k] = v === null ? jsonbNull : v;
  }
  return obj;
});
defineFunction("jsonb_object", [Oid.textArray, Oid.textArray], J, ([a, b]) => {
  const obj: DatumObject = Object.create(null);
  for (const [k, v] of objectFromArrays(a as PgArray, b as PgArray)) {
    delete obj[k];
    obj[k] = v === null ? jsonbNull : v;
  }
  return obj;
});
defineFunction(
  "json_object",
  [Oid.textArray],
  JS,
  ([a]) =>
    "{" + objectFromArrays(a as PgArray, null).map(([k, v]) =>
      escapeJson(k) + " : " + (v === null ? "null" : escapeJson(v))
    ).join(", ") + "}",
);
defineFunction(
  "json_object",
  [Oid.textArray, Oid.textArray],
  JS,
  ([a, b]) =>
    "{" + objectFromArrays(a as PgArray, b as PgArray).map(([k, v]) =>
      escapeJson(k) + " : " + (v === null ? "null" : escapeJson(v))
    ).join(", ") + "}",
);

defineWithDefaults(
  "jsonb_set",
  [J, Oid.textArray, J, Oid.bool],
  J,
  ([j, p, v, c]) => jsonbSetPath(j!, pathOf(p!), v!, { create: c as boolean }),
  { argNames: ["jsonb_in", "path", "replacement", "create_if_missing"], defaults: [true] },
);
defineWithDefaults("jsonb_set_lax", [J, Oid.textArray, J, Oid.bool, T], J, (args) => {
  const [j, p, v, c, how] = args as Datum[] & [Datum, Datum, Datum, Datum, Datum];
  if (j === null || p === null || c === null) return null;
  if (v !== null) return jsonbSetPath(j, pathOf(p), v, { create: c as boolean });
  switch (how) {
    case "raise_exception":
      throw new DbError(SqlState.nullValueNotAllowed, "JSON value must not be null", {
        detail: 'Exception was raised because null_value_treatment is "raise_exception".',
      });
    case "use_json_null":
      return jsonbSetPath(j, pathOf(p), jsonbNull, { create: c as boolean });
    case "delete_key":
      return jsonbDeletePath(j, pathOf(p));
    case "return_target":
      return j;
  }
  throw new DbError(
    SqlState.invalidParameterValue,
    'null_value_treatment must be "delete_key", "return_target", "use_json_null", or "raise_exception"',
  );
}, {
  strict: false,
  argNames: ["jsonb_in", "path", "replacement", "create_if_missing", "null_value_treatment"],
  defaults: [true, "use_json_null"],
});

defineWithDefaults(
  "jsonb_insert",
  [J, Oid.textArray, J, Oid.bool],
  J,
  ([j, p, v, after]) =>
    jsonbSetPath(j!, pathOf(p!), v!, { create: false, insert: after ? "after" : "before" }),
  { argNames: ["jsonb_in", "path", "replacement", "insert_after"], defaults: [false] },
);
defineFunction("jsonb_strip_nulls", [J], J, ([j]) => jsonbStripNulls(j!));
defineFunction("jsonb_pretty", [J], T, ([j]) => formatJsonb(j!, true));
defineFunction("jsonb_typeof", [J], T, ([j]) => jsonbTypeof(j!));
defineFunction("json_typeof", [JS], T, ([j]) => jsonbTypeof(parseJsonb(j as string)));

function arrayLength(j: Jsonb): number {
  if (!Array.isArray(j)) {
    throw new DbError(
      SqlState.invalidParameterValue,
      isJsonbObject(j)
        ? "cannot get array length of a non-array"
        : "cannot get array length of a scalar",
    );
  }
  return j.length;
}
defineFunction("jsonb_array_length", [J], Oid.int4, ([j]) => arrayLength(j!));
defineFunction("json_array_length", [JS], Oid.int4, ([j]) => arrayLength(parseJsonb(j as string)));

function* each(j: Jsonb, text: boolean, fn: string): Generator<Datum[]> {
  if (!isJsonbObject(j)) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `cannot call ${fn} on a ${Array.isArray(j) ? "non-object" : "non-object"}`,
    );
  }
  for (const k of jsonbKeys(j)) yield [k, text ? jsonbText(j[k]!) : j[k]!];
}
defineFunction("jsonb_each", [J], Oid.record, ([j]) => each(j!, false, "jsonb_each"), {
  retset: true,
  columns: [["key", T], ["value", J]],
});
defineFunction("jsonb_each_text", [J], Oid.record, ([j]) => each(j!, true, "jsonb_each_text"), {
  retset: true,
  columns: [["key", T], ["value", T]],
});
function* jsonEach(j: string, text: boolean, fn: string): Generator<Datum[]> {
  const members = jsonMembers(j);
  if (members === undefined) {
    throw new DbError(SqlState.invalidParameterValue, `cannot call ${fn} on a non-object`);
  }
  for (const [k, v] of members) {
    yield [k, !text ? v : v === "null" ? null : v.startsWith('"') ? jsonExtractText(v, [])! : v];
  }
}
defineFunction("json_each", [JS], Oid.record, ([j]) => jsonEach(j as string, false, "json_each"), {
  retset: true,
  columns: [["key", T], ["value", JS]],
});
defineFunction(
  "json_each_text",
  [JS],
  Oid.record,
  ([j]) => jsonEach(j as string, true, "json_each_text"),
  { retset: true, columns: [["key", T], ["value", T]] },
);
defineFunction("jsonb_object_keys", [J], T, function* ([j]) {
  if (!isJsonbObject(j!)) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `cannot call jsonb_object_keys on ${Array.isArray(j) ? "an array" : "a scalar"}`,
    );
  }
  for (const k of jsonbKeys(j as DatumObject)) yield [k];
}, { retset: true });

function* elements(j: Jsonb, text: boolean, fn: string): Generator<Datum[]> {
  if (!Array.isArray(j)) {
    throw new DbError(
      SqlState.invalidParameterValue,
      isJsonbObject(j)
        ? `cannot extract elements from an object`
        : `cannot extract elements from a scalar`,
      { hint: fn },
    );
  }
  for (const e of j) yield [text ? jsonbText(e) : isJsonNull(e) ? jsonbNull : e];
}
defineFunction(
  "jsonb_array_elements",
  [J],
  J,
  ([j]) => elements(j!, false, "jsonb_array_elements"),
  { retset: true, columns: [["value", J]] },
);
defineFunction(
  "jsonb_array_elements_text",
  [J],
  T,
  ([j]) => elements(j!, true, "jsonb_array_elements_text"),
  { retset: true, columns: [["value", T]] },
);
defineFunction("json_array_elements", [JS], JS, function* ([j]) {
  const arr = parseJsonb(j as string);
  if (!Array.isArray(arr)) {
    throw new DbError(SqlState.invalidParameterValue, "cannot extract elements from a scalar");
  }
  for (let i = 0; i < arr.length; i++) yield [jsonExtract(j as string, [i])!];
}, { retset: true, columns: [["value", JS]] });
defineFunction("json_array_elements_text", [JS], T, function* ([j]) {
  const arr = parseJsonb(j as string);
  if (!Array.isArray(arr)) {
    throw new DbError(SqlState.invalidParameterValue, "cannot extract elements from a scalar");
  }
  for (let i = 0; i < arr.length; i++) yield [jsonExtractText(j as string, [i])];
}, { retset: true, columns: [["value", T]] });
defineFunction(
  "jsonb_extract_path",
  [J, Oid.textArray],
  J,
  ([j, p]) => jsonbPath(j!, pathOf(p!)) ?? null,
  { variadic: T },
);
defineFunction(
  "jsonb_extract_path_text",
  [J, Oid.textArray],
  T,
  ([j, p]) => jsonbText(jsonbPath(j!, pathOf(p!))),
  { variadic: T },
);
defineFunction(
  "json_extract_path",
  [JS, Oid.textArray],
  JS,
  ([j, p]) => jsonExtract(j as string, pathOf(p!)) ?? null,
  { variadic: T },
);
defineFunction(
  "json_extract_path_text",
  [JS, Oid.textArray],
  T,
  ([j, p]) => jsonExtractText(j as string, pathOf(p!)),
  { variadic: T },
);
