/**
 * @module Aggregates as transition/final functions with PostgreSQL's result types: count, sum
 * (int → int8, int8 → numeric, floats, numeric, interval), avg (ints and numeric → numeric with
 * PostgreSQL's division scale, floats → float8, interval), min/max for every comparable type,
 * bool_and/bool_or/every, string_agg, array_agg (also of arrays), json(b)_agg,
 * json(b)_object_agg, stddev/variance families (numeric results for exact inputs; floats with
 * PostgreSQL's Youngs-Cramer accumulation), bit_and/bit_or/bit_xor.
 *
 * The executor drives an aggregate per group: `state = def.init()`, then for each input row
 * `state = def.step(state, args, ctx, types)` — skipping rows with a NULL argument when
 * `def.strict` — and at the end `def.final(state, ctx, types)`. `count(*)` has no arguments.
 */
import type { Datum, DatumObject } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { PgArray } from "./array.ts";
import { comparator } from "./compare.ts";
import type { EvalContext } from "./context.ts";
import { toJsonb, toJsonText } from "./functions/json.ts";
import { Interval } from "./interval.ts";
import { outputText } from "./io.ts";
import { escapeJson } from "./json.ts";
import { Numeric, selectDivScale } from "./numeric.ts";
import { elementOf, Oid } from "./oids.ts";

/** Aggregate state: anything the definition chooses (mutated in place). */
// deno-lint-ignore no-explicit-any
export type AggState = any;

/** An aggregate definition. */
export interface AggregateDef {
  name: string;
  args: number[];
  variadic: number;
  result: number;
  /** Rows with a NULL argument are skipped by the executor (and an all-NULL group gives the final of the empty state). */
  strict: boolean;
  init(): AggState;
  step(state: AggState, args: Datum[], ctx: EvalContext, types: number[]): AggState;
  final(state: AggState, ctx: EvalContext, types: number[]): Datum;
}

const registry = new Map<string, AggregateDef[]>();

function define(
  name: string,
  args: number[],
  result: number,
  fns: Pick<AggregateDef, "init" | "step" | "final">,
  strict = true,
): void {
  const def: AggregateDef = { name, args, variadic: 0, result, strict, ...fns };
  const list = registry.get(name);
  if (list === undefined) registry.set(name, [def]);
  else list.push(def);
}

/** Every aggregate named `name`. */
export function aggregatesNamed(name: string): readonly AggregateDef[] {
  return registry.get(name) ?? [];
}

/** Every aggregate (for pg_aggregate / pg_proc). */
export function allAggregates(): AggregateDef[] {
  return [...registry.values()].flat();
}

/** True if `name` is an aggregate (the binder checks this before functions). */
export function isAggregate(name: string): boolean {
  return registry.has(name);
}

const I2 = Oid.int2;
const I4 = Oid.int4;
const I8 = Oid.int8;
const F4 = Oid.float4;
const F8 = Oid.float8;
const N = Oid.numeric;
const IV = Oid.interval;

// count
define("count", [], I8, { init: () => ({ n: 0n }), step: (s) => (s.n++, s), final: (s) => s.n });
define("count", [Oid.any], I8, {
  init: () => ({ n: 0n }),
  step: (s) => (s.n++, s),
  final: (s) => s.n,
});

// sum
const int8Max = 9223372036854775807n;
for (const t of [I2, I4]) {
  define("sum", [t], I8, {
    init: () => ({ sum: 0n, any: false }),
    step: (s, [v]) => {
      s.sum += BigInt(v as number);
      s.any = true;
      return s;
    },
    final: (s) => {
      if (!s.any) return null;
      if (s.sum > int8Max || s.sum < -int8Max - 1n) {
        throw new DbError(SqlState.numericValueOutOfRange, "bigint out of range");
      }
      return s.sum;
    },
  });
}
define("sum", [I8], N, {
  init: () => ({ sum: 0n, any: false }),
  step: (s, [v]) => ((s.sum += v as bigint), (s.any = true), s),
  final: (s) => (s.any ? new Numeric(s.sum) : null),
});
for (const t of [F4, F8]) {
  define("sum", [t], t, {
    init: () => ({ sum: 0, any: false }),
    step: (s, [v]) => {
      const prev = s.sum;
      s.sum = t === F4 ? Math.fround(s.sum + (v as number)) : s.sum + (v as number);
      if (!Number.isFinite(s.sum) && Number.isFinite(prev) && Number.isFinite(v as number)) {
        throw new DbError(SqlState.numericValueOutOfRange, "value out of range: overflow");
      }
      s.any = true;
      return s;
    },
    final: (s) => (s.any ? s.sum : null),
  });
}
define("sum", [N], N, {
  init: () => ({ sum: null as Numeric | null }),
  step: (s, [v]) => ((s.sum = s.sum === null ? (v as Numeric) : s.sum.add(v as Numeric)), s),
  final: (s) => s.sum,
});
define("sum", [IV], IV, {
  init: () => ({ sum: null as Interval | null }),
  step: (s, [v]) => ((s.sum = s.sum === null ? (v as Interval) : s.sum.add(v as Interval)), s),
  final: (s) => s.sum,
});

// avg
function numericAvg(sum: Numeric, n: bigint): Numeric {
  const count = new Numeric(n);
  return sum.div(count, selectDivScale(sum, count));
}
for (const t of [I2, I4, I8]) {
  define("avg", [t], N, {
    init: () => ({ sum: 0n, n: 0n }),
    step: (s, [v]) => ((s.sum += BigInt(v as number | bigint)), s.n++, s),
    final: (s) => (s.n === 0n ? null : numericAvg(new Numeric(s.sum), s.n)),
  });
}
define("avg", [N], N, {
  init: () => ({ sum: Numeric.zero, n: 0n, nan: false }),
  step: (s, [v]) => ((s.sum = s.sum.add(v as Numeric)), s.n++, s),
  final: (s) => {
    if (s.n === 0n) return null;
    const sum = s.sum as Numeric;
    return sum.isFinite() ? numericAvg(sum, s.n) : sum;
  },
});
for (const t of [F4, F8]) {
  define("avg", [t], F8, {
    init: () => ({ sum: 0, n: 0 }),
    step: (s, [v]) => ((s.sum += v as number), s.n++, s),
    final: (s) => (s.n === 0 ? null : s.sum / s.n),
  });
}
define("avg", [IV], IV, {
  init: () => ({ sum: Interval.zero, n: 0 }),
  step: (s, [v]) => ((s.sum = s.sum.add(v as Interval)), s.n++, s),
  final: (s) => (s.n === 0 ? null : (s.sum as Interval).div(s.n)),
});

// min / max
const comparable = [
  I2,
  I4,
  I8,
  F4,
  F8,
  N,
  Oid.text,
  Oid.bpchar,
  Oid.date,
  Oid.time,
  Oid.timetz,
  Oid.timestamp,
  Oid.timestamptz,
  IV,
  Oid.oid,
  Oid.anyarray,
  Oid.anyenum,
  Oid.pgLsn,
];
for (const t of comparable) {
  for (const [name, sign] of [["min", -1], ["max", 1]] as const) {
    define(name, [t], t, {
      init: () => ({ v: null as Datum }),
      step: (s, [v], ctx, types) => {
        if (s.v === null) s.v = v!;
        else {
          const c = comparator(types[0] ?? t, ctx)(v!, s.v);
          if (c * sign > 0) s.v = v!;
        }
        return s;
      },
      final: (s) => s.v,
    });
  }
}

// booleans
for (const [name, isAnd] of [["bool_and", true], ["every", true], ["bool_or", false]] as const) {
  define(name, [Oid.bool], Oid.bool, {
    init: () => ({ v: null as boolean | null }),
    step: (
      s,
      [v],
    ) => ((s.v = s.v === null
      ? (v as boolean)
      : isAnd
      ? s.v && (v as boolean)
      : s.v || (v as boolean)),
      s),
    final: (s) => s.v,
  });
}

// string_agg
define("string_agg", [Oid.text, Oid.text], Oid.text, {
  init: () => ({ parts: [] as string[], delims: [] as string[] }),
  step: (s, [v, d]) => {
    if (v === null) return s;
    s.parts.push(v as string);
    s.delims.push((d as string | null) ?? "");
    return s;
  },
  final: (
    s,
  ) => (s.parts.length === 0
    ? null
    : s.parts.map((p: string, k: number) => (k === 0 ? p : s.delims[k] + p)).join("")),
}, false);
define("string_agg", [Oid.bytea, Oid.bytea], Oid.bytea, {
  init: () => ({ parts: [] as Uint8Array[] }),
  step: (s, [v, d]) => {
    if (v === null) return s;
    if (s.parts.length > 0 && d !== null) s.parts.push(d as Uint8Array);
    s.parts.push(v as Uint8Array);
    return s;
  },
  final: (s) => {
    if (s.parts.length === 0) return null;
    const total = s.parts.reduce((n: number, p: Uint8Array) => n + p.length, 0);
    const out = new Uint8Array(total);
    let off = 0;
    for (const p of s.parts as Uint8Array[]) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  },
}, false);

// array_agg
define("array_agg", [Oid.anynonarray], Oid.anyarray, {
  init: () => ({ items: [] as Datum[] }),
  step: (s, [v]) => (s.items.push(v ?? null), s),
  final: (s) => (s.items.length === 0 ? null : PgArray.of(s.items)),
}, false);
define("array_agg", [Oid.anyarray], Oid.anyarray, {
  init: () => ({ items: [] as Datum[], dims: null as number[] | null, n: 0 }),
  step: (s, [v]) => {
    if (v === null) {
      throw new DbError(SqlState.nullValueNotAllowed, "cannot accumulate null arrays");
    }
    const a = v as PgArray;
    if (a.dims.length === 0) {
      throw new DbError(SqlState.arraySubscriptError, "cannot accumulate empty arrays");
    }
    if (s.dims === null) s.dims = a.dims;
    else if (
      s.dims.length !== a.dims.length || s.dims.some((d: number, k: number) => d !== a.dims[k])
    ) {
      throw new DbError(
        SqlState.arraySubscriptError,
        "cannot accumulate arrays of different dimensionality",
      );
    }
    s.items.push(...a.elements);
    s.n++;
    return s;
  },
  final: (s) => (s.n === 0 ? null : new PgArray(s.items, [s.n, ...s.dims])),
}, false);

// json
define("jsonb_agg", [Oid.anyelement], Oid.jsonb, {
  init: () => ({ items: [] as Datum[], any: false }),
  step: (
    s,
    [v],
    ctx,
    types,
  ) => ((s.items.push(toJsonb(v ?? null, types[0]!, ctx)), (s.any = true)), s),
  final: (s) => (s.any ? s.items : null),
}, false);
define("json_agg", [Oid.anyelement], Oid.json, {
  init: () => ({ text: "" }),
  step: (s, [v], ctx, types) => {
    const t = types[0]!;
    const structured = v !== null && v !== undefined && (elementOf(t) !== 0 || t === Oid.record);
    // PostgreSQL puts a newline before every structured item but the first.
    s.text += (s.text === "" ? "[" : ", ") + (structured && s.text !== "" ? "\n " : "") +
      toJsonText(v ?? null, t, ctx);
    return s;
  },
  final: (s) => (s.text === "" ? null : s.text + "]"),
}, false);
function keyOf(v: Datum, type: number, ctx: EvalContext): string {
  if (v === null) throw new DbError(SqlState.nullValueNotAllowed, "field name must not be null");
  return type === Oid.text || type === Oid.unknown || type === Oid.varchar
    ? (v as string)
    : outputText(type, v, ctx);
}
define("jsonb_object_agg", [Oid.any, Oid.any], Oid.jsonb, {
  init: () => ({ obj: null as DatumObject | null }),
  step: (s, [k, v], ctx, types) => {
    if (s.obj === null) s.obj = Object.create(null);
    const key = keyOf(k ?? null, types[0]!, ctx);
    delete s.obj[key];
    s.obj[key] = toJsonb(v ?? null, types[1]!, ctx);
    return s;
  },
  final: (s) => s.obj,
}, false);
define("json_object_agg", [Oid.any, Oid.any], Oid.json, {
  init: () => ({ parts: [] as string[] }),
  step: (s, [k, v], ctx, types) => {
    s.parts.push(
      escapeJson(keyOf(k ?? null, types[0]!, ctx)) + " : " + toJsonText(v ?? null, types[1]!, ctx),
    );
    return s;
  },
  final: (s) => (s.parts.length === 0 ? null : "{ " + s.parts.join(", ") + " }"),
}, false);

// statistics
type StatKind = "var_samp" | "var_pop" | "stddev_samp" | "stddev_pop";
const statNames: [string, StatKind][] = [
  ["variance", "var_samp"],
  ["var_samp", "var_samp"],
  ["var_pop", "var_pop"],
  ["stddev", "stddev_samp"],
  ["stddev_samp", "stddev_samp"],
  ["stddev_pop", "stddev_pop"],
];

function numericStat(kind: StatKind, n: bigint, sumX: Numeric, sumX2: Numeric): Numeric | null {
  const sample = kind.endsWith("samp");
  if (sample ? n <= 1n : n === 0n) return null;
  if (!sumX.isFinite() || !sumX2.isFinite()) return Numeric.NaN;
  const vN = new Numeric(n);
  const rscale = sumX.scale * 2;
  const sq = sumX.mul(sumX).round(rscale);
  const num = vN.mul(sumX2).round(rscale).sub(sq);
  if (num.sign() <= 0) return Numeric.zero;
  const den = sample ? vN.mul(new Numeric(n - 1n)) : vN.mul(vN);
  const scale = selectDivScale(num, den);
  const variance = num.div(den, scale);
  if (kind.startsWith("var")) return variance;
  return refineSqrt(variance, scale);
}

function refineSqrt(x: Numeric, scale: number): Numeric {
  // isqrt at scale+1 digits, rounded half away from zero, as sqrt_var does.
  const big = x.coefAt(2 * (scale + 1));
  let r = 1n << BigInt(Math.ceil(big.toString(2).length / 2));
  for (;;) {
    const y = (r + big / r) >> 1n;
    if (y >= r) break;
    r = y;
  }
  const q = r / 10n;
  return new Numeric(r % 10n >= 5n ? q + 1n : q, scale);
}

for (const [name, kind] of statNames) {
  for (const t of [I2, I4, I8, N]) {
    define(name, [t], N, {
      init: () => ({ n: 0n, sx: Numeric.zero, sx2: Numeric.zero }),
      step: (s, [v]) => {
        const x = v instanceof Numeric ? v : new Numeric(BigInt(v as number | bigint));
        s.n++;
        s.sx = s.sx.add(x);
        s.sx2 = s.sx2.add(x.mul(x));
        return s;
      },
      final: (s) => numericStat(kind, s.n, s.sx, s.sx2),
    });
  }
  for (const t of [F4, F8]) {
    define(name, [t], F8, {
      init: () => ({ n: 0, sx: 0, sxx: 0 }),
      step: (s, [v]) => {
        const x = v as number;
        const prevN = s.n;
        s.n += 1;
        s.sx += x;
        if (prevN > 0) {
          const tmp = x * s.n - s.sx;
          s.sxx += (tmp * tmp) / (s.n * prevN);
        } else if (!Number.isFinite(x)) s.sxx = NaN;
        return s;
      },
      final: (s) => {
        const sample = kind.endsWith("samp");
        if (sample ? s.n <= 1 : s.n === 0) return null;
        const variance = s.sxx / (sample ? s.n - 1 : s.n);
        return kind.startsWith("var") ? variance : Math.sqrt(variance);
      },
    });
  }
}

// bit operations
for (const t of [I2, I4, I8]) {
  for (const [name, op] of [["bit_and", "&"], ["bit_or", "|"], ["bit_xor", "^"]] as const) {
    define(name, [t], t, {
      init: () => ({ v: null as number | bigint | null }),
      step: (s, [v]) => {
        const x = v as number & bigint;
        if (s.v === null) s.v = x;
        else s.v = op === "&" ? s.v & x : op === "|" ? s.v | x : s.v ^ x;
        return s;
      },
      final: (s) => s.v,
    });
  }
}
