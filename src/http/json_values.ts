/**
 * @module Values between JSON and BKG-DB for the HTTP door: result values as JSON (numbers,
 * booleans, nested JSON for json/jsonb, arrays; int8 and numeric as strings so no precision is
 * lost; NaN and ±Infinity as strings; everything else as PostgreSQL's text output in the session's
 * DateStyle), and JSON parameters as the text a pgwire client would bind.
 */
import type { Datum } from "../../db/mod.ts";
import { type EvalContext, Oid, outputText, PgArray, typeByOid } from "../../db/types/mod.ts";

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The JSON form of one result value of type `oid`.
 *
 * @example
 * toJsonValue(Oid.int8, 42n, ctx); // "42"
 */
export function toJsonValue(oid: number, value: Datum, ctx: EvalContext): Json {
  if (value === null) return null;
  switch (oid) {
    case Oid.bool:
      return value as boolean;
    case Oid.int2:
    case Oid.int4:
    case Oid.oid:
      return value as number;
    case Oid.float4:
    case Oid.float8: {
      const n = value as number;
      return Number.isFinite(n) ? n : outputText(oid, value, ctx);
    }
    case Oid.json:
    case Oid.jsonb:
      return JSON.parse(outputText(oid, value, ctx)) as Json;
  }
  const elem = typeByOid(oid)?.category === "A" ? typeByOid(oid)!.elem : 0;
  if (elem !== 0 && value instanceof PgArray) return arrayToJson(elem, value, ctx);
  return outputText(oid, value, ctx);
}

/** A PostgreSQL array as nested JSON arrays (its lower bounds are not kept). */
function arrayToJson(elem: number, arr: PgArray, ctx: EvalContext): Json[] {
  if (arr.dims.length === 0) return [];
  let next = 0;
  const level = (d: number): Json[] => {
    const out: Json[] = [];
    for (let i = 0; i < arr.dims[d]!; i++) {
      out.push(
        d + 1 < arr.dims.length ? level(d + 1) : toJsonValue(elem, arr.elements[next++]!, ctx),
      );
    }
    return out;
  };
  return level(0);
}

/**
 * The text form of a JSON parameter for a parameter of type `oid` (what a pgwire client would
 * send): strings as they are, numbers and booleans spelled out, arrays as an array literal for an
 * array type (JSON text otherwise), objects as JSON text.
 *
 * @example
 * paramText([1, "a b"], Oid.textArray); // '{1,"a b"}'
 */
export function paramText(value: unknown, oid: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && typeByOid(oid)?.category === "A") return arrayLiteral(value);
  return JSON.stringify(value);
}

function arrayLiteral(items: unknown[]): string {
  const parts = items.map((v) => {
    if (v === null || v === undefined) return "NULL";
    if (Array.isArray(v)) return arrayLiteral(v);
    const text = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
    return `"${text.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
  });
  return `{${parts.join(",")}}`;
}
