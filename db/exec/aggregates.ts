/**
 * @module Aggregate functions as (init, step, final) triples over per-group state: count, sum,
 * avg, min, max, bool_and/or, string_agg, array_agg, json[b]_agg, variance and stddev, with
 * DISTINCT and FILTER handled by the caller.
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { AggCall } from "../plan/mod.ts";
import {
  comparator,
  type EvalContext,
  formatJsonb,
  Interval,
  isArrayType,
  Numeric,
  Oid,
  PgArray,
  toJsonb,
  toJsonText,
} from "../types/mod.ts";
import { orderedSetImpl } from "./ordered_set.ts";

/** An aggregate's implementation over a mutable state object. */
export interface AggImpl {
  init(): { v: unknown; n: number };
  step(s: { v: unknown; n: number }, args: Datum[], ctx: EvalContext): void;
  final(s: { v: unknown; n: number }, ctx: EvalContext): Datum;
}

const toNum = (d: Datum): Numeric =>
  d instanceof Numeric
    ? d
    : typeof d === "bigint"
    ? Numeric.fromBigInt(d)
    : Numeric.parse(String(d));

const int8Max = 9223372036854775807n;
const int8Min = -9223372036854775808n;

/** The implementation of an aggregate call. */
export function aggImpl(a: AggCall): AggImpl {
  const t = a.argTypes[0] ?? 0;
  switch (a.name) {
    case "count":
      return { init: () => ({ v: 0n, n: 0 }), step: (s) => void s.n++, final: (s) => BigInt(s.n) };
    case "sum":
      if (t === Oid.int2 || t === Oid.int4) {
        return {
          init: () => ({ v: 0, n: 0 }),
          step: (s, [x]) => {
            s.v = (s.v as number) + (x as number);
            s.n++;
          },
          final: (s) => s.n === 0 ? null : BigInt(s.v as number),
        };
      }
      if (t === Oid.float4 || t === Oid.float8) {
        return {
          init: () => ({ v: 0, n: 0 }),
          step: (s, [x]) => {
            s.v = (s.v as number) + (x as number);
            s.n++;
          },
          final: (s) => s.n === 0 ? null : s.v as number,
        };
      }
      if (t === Oid.interval) {
        return {
          init: () => ({ v: new Interval(0, 0, 0n), n: 0 }),
          step: (s, [x]) => {
            const a = s.v as Interval;
            const b = x as Interval;
            s.v = new Interval(a.months + b.months, a.days + b.days, a.micros + b.micros);
            s.n++;
          },
          final: (s) => s.n === 0 ? null : s.v as Interval,
        };
      }
      return {
        // int8 and numeric: exact, in bigint while it fits the scale of integers.
        init: () => ({ v: t === Oid.int8 ? 0n : Numeric.zero, n: 0 }),
        step: (s, [x]) => {
          s.v = typeof s.v === "bigint" ? s.v + (x as bigint) : (s.v as Numeric).add(toNum(x!));
          s.n++;
        },
        final: (s) =>
          s.n === 0 ? null : typeof s.v === "bigint" ? Numeric.fromBigInt(s.v) : s.v as Numeric,
      };
    case "avg":
      if (t === Oid.float4 || t === Oid.float8) {
        return {
          init: () => ({ v: 0, n: 0 }),
          step: (s, [x]) => {
            s.v = (s.v as number) + (x as number);
            s.n++;
          },
          final: (s) => s.n === 0 ? null : (s.v as number) / s.n,
        };
      }
      if (t === Oid.interval) {
        return {
          init: () => ({ v: new Interval(0, 0, 0n), n: 0 }),
          step: (s, [x]) => {
            const a = s.v as Interval;
            const b = x as Interval;
            s.v = new Interval(a.months + b.months, a.days + b.days, a.micros + b.micros);
            s.n++;
          },
          final: (s) => {
            if (s.n === 0) return null;
            const a = s.v as Interval;
            const total =
              (BigInt(a.months) * 30n * 86400000000n + BigInt(a.days) * 86400000000n + a.micros) /
              BigInt(s.n);
            return new Interval(0, Number(total / 86400000000n), total % 86400000000n);
          },
        };
      }
      return {
        init: () => ({ v: 0n, n: 0 }),
        step: (s, [x]) => {
          if (typeof s.v === "bigint" && (typeof x === "number" || typeof x === "bigint")) {
            s.v = s.v + BigInt(x);
          } else s.v = toNum(typeof s.v === "bigint" ? s.v : s.v as Numeric).add(toNum(x!));
          s.n++;
        },
        final: (s) => {
          if (s.n === 0) return null;
          const sum = toNum(typeof s.v === "bigint" ? s.v : s.v as Numeric);
          return sum.div(Numeric.fromBigInt(BigInt(s.n)));
        },
      };
    case "min":
    case "max": {
      const cmp = comparator(t);
      const max = a.name === "max";
      return {
        init: () => ({ v: null, n: 0 }),
        step: (s, [x]) => {
          if (s.n === 0 || (max ? cmp(x!, s.v as Datum) > 0 : cmp(x!, s.v as Datum) < 0)) s.v = x;
          s.n++;
        },
        final: (s) => s.n === 0 ? null : s.v as Datum,
      };
    }
    case "bool_and":
    case "every":
    case "bool_or": {
      const and = a.name !== "bool_or";
      return {
        init: () => ({ v: and, n: 0 }),
        step: (s, [x]) => {
          s.v = and ? (s.v as boolean) && (x as boolean) : (s.v as boolean) || (x as boolean);
          s.n++;
        },
        final: (s) => s.n === 0 ? null : s.v as boolean,
      };
    }
    case "string_agg":
      return {
        init: () => ({ v: [] as string[], n: 0 }),
        step: (s, [x, d]) => {
          const parts = s.v as string[];
          if (parts.length > 0) parts.push((d as string | null) ?? "");
          parts.push(x as string);
          s.n++;
        },
        final: (s) => s.n === 0 ? null : (s.v as string[]).join(""),
      };
    case "array_agg":
      return {
        init: () => ({ v: [] as Datum[], n: 0 }),
        step: (s, [x]) => {
          (s.v as Datum[]).push(x ?? null);
          s.n++;
        },
        final: (s) => s.n === 0 ? null : PgArray.of(s.v as Datum[]),
      };
    case "jsonb_agg":
      return {
        init: () => ({ v: [] as Datum[], n: 0 }),
        step: (s, [x], ctx) => {
          (s.v as Datum[]).push(toJsonb(x ?? null, t, ctx));
          s.n++;
        },
        final: (s) => s.n === 0 ? null : s.v as Datum[],
      };
    case "json_agg": {
      // PostgreSQL puts a newline after the comma between composite or array elements.
      const sep = t === Oid.record || isArrayType(t) ? ", \n " : ", ";
      return {
        init: () => ({ v: [] as string[], n: 0 }),
        step: (s, [x], ctx) => {
          (s.v as string[]).push(
            x === null || x === undefined
              ? "null"
              : t === Oid.record
              ? recordJson(x as Datum[], ctx)
              : toJsonText(x, t, ctx),
          );
          s.n++;
        },
        final: (s) => s.n === 0 ? null : `[${(s.v as string[]).join(sep)}]`,
      };
    }
    case "variance":
    case "var_samp":
    case "var_pop":
    case "stddev":
    case "stddev_samp":
    case "stddev_pop": {
      const pop = a.name.endsWith("_pop");
      const sqrt = a.name.startsWith("stddev");
      const float = t === Oid.float4 || t === Oid.float8;
      return {
        init: () => ({ v: [] as number[], n: 0 }),
        step: (s, [x]) => {
          (s.v as number[]).push(Number(x instanceof Numeric ? x.toNumber() : x));
          s.n++;
        },
        final: (s) => {
          const xs = s.v as number[];
          const n = xs.length;
          if (n === 0 || (!pop && n === 1)) return null;
          const mean = xs.reduce((p, q) => p + q, 0) / n;
          const ss = xs.reduce((p, q) => p + (q - mean) ** 2, 0);
          let r = ss / (pop ? n : n - 1);
          if (sqrt) r = Math.sqrt(r);
          return float ? r : Numeric.fromFloat(r, 16).round(16).trimScale();
        },
      };
    }
  }
  if (a.name === "json_object_agg" || a.name === "jsonb_object_agg") {
    return objectAgg(a.name === "jsonb_object_agg", t, a.argTypes[1] ?? Oid.text);
  }
  const ordered = orderedSetImpl(a);
  if (ordered !== undefined) return ordered;
  throw new DbError(SqlState.featureNotSupported, `aggregate ${a.name} is not supported`);
}

/** Checks a bigint sum result fits int8 (sum(int4) is bigint). */
export function checkInt8(v: bigint): bigint {
  if (v > int8Max || v < int8Min) {
    throw new DbError(SqlState.numericValueOutOfRange, "bigint out of range");
  }
  return v;
}

export { formatJsonb };

/** A row as json text, with the field names and types of the row expression just evaluated. */
function recordJson(fields: Datum[], ctx: EvalContext): string {
  const c = ctx as { currentRecordNames?: string[]; currentRecordTypes?: number[] };
  const names = c.currentRecordNames ?? fields.map((_, i) => `f${i + 1}`);
  const types = c.currentRecordTypes ?? [];
  return `{${
    fields.map((v, i) =>
      `${JSON.stringify(names[i] ?? `f${i + 1}`)}:${
        v === null ? "null" : toJsonText(v, types[i] ?? Oid.text, ctx)
      }`
    ).join(",")
  }}`;
}

/** json_object_agg / jsonb_object_agg. */
export function objectAgg(jsonb: boolean, keyType: number, valueType: number): AggImpl {
  return {
    init: () => ({ v: [] as [string, Datum][], n: 0 }),
    step: (s, [k, v], ctx) => {
      if (k === null || k === undefined) {
        throw new DbError(SqlState.invalidParameterValue, "field name must not be null");
      }
      const key = typeof k === "string" ? k : toJsonText(k, keyType, ctx).replace(/^"|"$/g, "");
      (s.v as [string, Datum][]).push([key, v ?? null]);
      s.n++;
    },
    final: (s, ctx) => {
      if (s.n === 0) return null;
      const pairs = s.v as [string, Datum][];
      if (jsonb) {
        const o: Record<string, Datum> = Object.create(null);
        for (const [k, v] of pairs) o[k] = toJsonb(v, valueType, ctx);
        return o;
      }
      return `{ ${
        pairs.map(([k, v]) =>
          `${JSON.stringify(k)} : ${v === null ? "null" : toJsonText(v, valueType, ctx)}`
        ).join(", ")
      } }`;
    },
  };
}
