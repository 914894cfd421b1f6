/**
 * @module Array functions: array_length/upper/lower/ndims/dims, cardinality, append/prepend/cat,
 * remove/replace, position(s), unnest (also several arrays), generate_series (int, bigint,
 * numeric, timestamp(tz) with interval), generate_subscripts, array_fill.
 */
import type { Datum } from "../../datum.ts";
import { DbError, SqlState } from "../../sqlstate.ts";
import { PgArray } from "../array.ts";
import { arrayAppend, arrayCat, arrayPrepend } from "../array_ops.ts";
import { comparator } from "../compare.ts";
import { sessionZone } from "../datetime.ts";
import { timestampPlusInterval, timestamptzPlusInterval } from "../datetime_math.ts";
import { Interval } from "../interval.ts";
import { Numeric } from "../numeric.ts";
import { elementOf, Oid } from "../oids.ts";
import { defineFunction } from "./registry.ts";

const A = Oid.anyarray;
const CA = Oid.anycompatiblearray;
const C = Oid.anycompatible;
const I = Oid.int4;
const arr = (v: Datum | undefined) => v as PgArray;

function dimOk(a: PgArray, d: number): boolean {
  return d >= 1 && d <= a.dims.length;
}
defineFunction(
  "array_length",
  [A, I],
  I,
  ([a, d]) => (dimOk(arr(a), d as number) ? arr(a).dims[(d as number) - 1]! : null),
);
defineFunction("array_upper", [A, I], I, ([a, d]) => {
  const x = arr(a);
  const k = (d as number) - 1;
  return dimOk(x, d as number) ? x.lbounds[k]! + x.dims[k]! - 1 : null;
});
defineFunction(
  "array_lower",
  [A, I],
  I,
  ([a, d]) => (dimOk(arr(a), d as number) ? arr(a).lbounds[(d as number) - 1]! : null),
);
defineFunction(
  "array_ndims",
  [A],
  I,
  ([a]) => (arr(a).dims.length === 0 ? null : arr(a).dims.length),
);
defineFunction("array_dims", [A], Oid.text, ([a]) => {
  const x = arr(a);
  if (x.dims.length === 0) return null;
  return x.dims.map((d, k) => `[${x.lbounds[k]}:${x.lbounds[k]! + d - 1}]`).join("");
});
defineFunction("cardinality", [A], I, ([a]) => arr(a).elements.length);
defineFunction("array_append", [CA, C], CA, ([a, e]) => arrayAppend(a as PgArray | null, e!), {
  strict: false,
});
defineFunction("array_prepend", [C, CA], CA, ([e, a]) => arrayPrepend(e!, a as PgArray | null), {
  strict: false,
});
defineFunction(
  "array_cat",
  [CA, CA],
  CA,
  ([a, b]) => arrayCat(a as PgArray | null, b as PgArray | null),
  { strict: false },
);

function oneDim(a: PgArray, fn: string): void {
  if (a.dims.length > 1) {
    throw new DbError(
      SqlState.featureNotSupported,
      `${fn}: only one-dimensional arrays are supported`,
    );
  }
}
function eq(elem: number): (x: Datum, y: Datum) => boolean {
  const c = comparator(elem);
  return (x, y) => (x === null || y === null ? x === y : c(x, y) === 0);
}
defineFunction("array_remove", [CA, C], CA, ([a, e], _ctx, t) => {
  if (a === null) return null;
  const x = arr(a);
  if (x.dims.length > 1) {
    throw new DbError(
      SqlState.featureNotSupported,
      "removing elements from multidimensional arrays is not supported",
    );
  }
  const same = eq(elementOf(t[0]!));
  const kept = x.elements.filter((v) => !same(v, e!));
  return kept.length === x.elements.length
    ? x
    : kept.length === 0
    ? PgArray.empty
    : new PgArray(kept, [kept.length], x.lbounds);
}, { strict: false });
defineFunction("array_replace", [CA, C, C], CA, ([a, from, to], _ctx, t) => {
  if (a === null) return null;
  const x = arr(a);
  const same = eq(elementOf(t[0]!));
  return new PgArray(x.elements.map((v) => (same(v, from!) ? to! : v)), x.dims, x.lbounds);
}, { strict: false });

function positions(a: PgArray, e: Datum, elem: number, start?: number): number[] {
  oneDim(a, "searching for elements");
  const same = eq(elem);
  const lb = a.lbounds[0] ?? 1;
  const out: number[] = [];
  a.elements.forEach((v, k) => {
    if (start !== undefined && k + lb < start) return;
    if (same(v, e)) out.push(k + lb);
  });
  return out;
}
defineFunction(
  "array_position",
  [CA, C],
  I,
  ([a, e], _c, t) => (a === null ? null : positions(arr(a), e!, elementOf(t[0]!))[0] ?? null),
  { strict: false },
);
defineFunction("array_position", [CA, C, I], I, ([a, e, s], _c, t) => {
  if (a === null) return null;
  if (s === null) {
    throw new DbError(SqlState.nullValueNotAllowed, "initial position must not be null");
  }
  return positions(arr(a), e!, elementOf(t[0]!), s as number)[0] ?? null;
}, { strict: false });
defineFunction(
  "array_positions",
  [CA, C],
  Oid.int4Array,
  ([a, e], _c, t) => (a === null ? null : PgArray.of(positions(arr(a), e!, elementOf(t[0]!)))),
  { strict: false },
);
defineFunction("unnest", [A], Oid.anyelement, function* ([a]) {
  for (const e of arr(a).elements) yield [e];
}, { retset: true });
defineFunction("unnest", [A, A], Oid.record, function* ([a, b]) {
  const x = a === null ? [] : arr(a).elements;
  const y = b === null ? [] : arr(b).elements;
  for (let i = 0; i < Math.max(x.length, y.length); i++) yield [x[i] ?? null, y[i] ?? null];
}, { retset: true, strict: false });
defineFunction("array_fill", [Oid.anyelement, Oid.int4Array], A, ([v, d]) => {
  const dims = arr(d).elements as number[];
  const n = dims.reduce((p, x) => p * x, dims.length === 0 ? 0 : 1);
  if (n === 0) return PgArray.empty;
  return new PgArray(Array<Datum>(n).fill(v!), dims);
}, { strict: false });

function stepZero(): DbError {
  return new DbError(SqlState.invalidParameterValue, "step size cannot equal zero");
}
function* seriesNumber(start: number, stop: number, step: number): Generator<Datum[]> {
  if (step === 0) throw stepZero();
  for (let v = start; step > 0 ? v <= stop : v >= stop; v += step) yield [v];
}
function* seriesBig(start: bigint, stop: bigint, step: bigint): Generator<Datum[]> {
  if (step === 0n) throw stepZero();
  for (let v = start; step > 0n ? v <= stop : v >= stop; v += step) yield [v];
}
defineFunction(
  "generate_series",
  [I, I],
  I,
  ([a, b]) => seriesNumber(a as number, b as number, 1),
  { retset: true },
);
defineFunction(
  "generate_series",
  [I, I, I],
  I,
  ([a, b, s]) => seriesNumber(a as number, b as number, s as number),
  { retset: true },
);
defineFunction(
  "generate_series",
  [Oid.int8, Oid.int8],
  Oid.int8,
  ([a, b]) => seriesBig(a as bigint, b as bigint, 1n),
  { retset: true },
);
defineFunction(
  "generate_series",
  [Oid.int8, Oid.int8, Oid.int8],
  Oid.int8,
  ([a, b, s]) => seriesBig(a as bigint, b as bigint, s as bigint),
  { retset: true },
);
function* seriesNumeric(a: Numeric, b: Numeric, s: Numeric): Generator<Datum[]> {
  for (const [v, what] of [[a, "start"], [b, "stop"], [s, "step size"]] as const) {
    if (v.isNaN()) throw new DbError(SqlState.invalidParameterValue, `${what} value cannot be NaN`);
    if (!v.isFinite()) {
      throw new DbError(SqlState.invalidParameterValue, `${what} value cannot be infinity`);
    }
  }
  if (s.sign() === 0) throw stepZero();
  for (let v = a; s.sign() > 0 ? v.compare(b) <= 0 : v.compare(b) >= 0; v = v.add(s)) yield [v];
}
defineFunction(
  "generate_series",
  [Oid.numeric, Oid.numeric],
  Oid.numeric,
  ([a, b]) => seriesNumeric(a as Numeric, b as Numeric, Numeric.one),
  { retset: true },
);
defineFunction(
  "generate_series",
  [Oid.numeric, Oid.numeric, Oid.numeric],
  Oid.numeric,
  ([a, b, s]) => seriesNumeric(a as Numeric, b as Numeric, s as Numeric),
  { retset: true },
);
function* seriesTime(
  start: bigint,
  stop: bigint,
  step: Interval,
  add: (t: bigint, i: Interval) => bigint,
): Generator<Datum[]> {
  const dir = step.span();
  if (dir === 0n) throw stepZero();
  for (let t = start; dir > 0n ? t <= stop : t >= stop; t = add(t, step)) yield [t];
}
defineFunction(
  "generate_series",
  [Oid.timestamp, Oid.timestamp, Oid.interval],
  Oid.timestamp,
  ([a, b, s]) => seriesTime(a as bigint, b as bigint, s as Interval, timestampPlusInterval),
  { retset: true },
);
defineFunction(
  "generate_series",
  [Oid.timestamptz, Oid.timestamptz, Oid.interval],
  Oid.timestamptz,
  ([a, b, s], ctx) => {
    const zone = sessionZone(ctx);
    return seriesTime(
      a as bigint,
      b as bigint,
      s as Interval,
      (t, i) => timestamptzPlusInterval(t, i, zone),
    );
  },
  { retset: true, volatility: "s" },
);
function* subscripts(a: PgArray, d: number, reverse: boolean): Generator<Datum[]> {
  if (d < 1 || d > a.dims.length) return;
  const lb = a.lbounds[d - 1]!;
  const n = a.dims[d - 1]!;
  for (let k = 0; k < n; k++) yield [reverse ? lb + n - 1 - k : lb + k];
}
defineFunction(
  "generate_subscripts",
  [A, I],
  I,
  ([a, d]) => subscripts(arr(a), d as number, false),
  { retset: true },
);
defineFunction(
  "generate_subscripts",
  [A, I, Oid.bool],
  I,
  ([a, d, r]) => subscripts(arr(a), d as number, r as boolean),
  { retset: true },
);
