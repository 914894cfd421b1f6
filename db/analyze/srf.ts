/**
 * @module Set-returning functions usable in FROM and in the target list: generate_series
 * (integers, numerics, timestamps) and unnest.
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { SetFn } from "../plan/mod.ts";
import { elementOf, Numeric, Oid, type PgArray } from "../types/mod.ts";

/** A resolved set-returning function. */
export interface SrfDef {
  fn: SetFn;
  /** Column types of each produced row. */
  types: number[];
  /** Column names when the function returns a record (one column: the alias or function name). */
  names?: string[];
  argTypes: number[];
}

function* intSeries(a: number, b: number, step: number): Iterable<Datum[]> {
  if (step === 0) throw new DbError(SqlState.invalidParameterValue, "step size cannot equal zero");
  if (step > 0) { for (let i = a; i <= b; i += step) yield [i]; }
  else for (let i = a; i >= b; i += step) yield [i];
}

function* bigSeries(a: bigint, b: bigint, step: bigint): Iterable<Datum[]> {
  if (step === 0n) throw new DbError(SqlState.invalidParameterValue, "step size cannot equal zero");
  if (step > 0n) { for (let i = a; i <= b; i += step) yield [i]; }
  else for (let i = a; i >= b; i += step) yield [i];
}

function* numSeries(a: Numeric, b: Numeric, step: Numeric): Iterable<Datum[]> {
  if (step.sign() === 0) {
    throw new DbError(SqlState.invalidParameterValue, "step size cannot equal zero");
  }
  if (step.sign() > 0) { for (let i = a; i.compare(b) <= 0; i = i.add(step)) yield [i]; }
  else for (let i = a; i.compare(b) >= 0; i = i.add(step)) yield [i];
}

/** Resolves a set-returning function by name and argument types, or undefined. */
export function resolveSrf(name: string, types: number[]): SrfDef | undefined {
  const ints = [Oid.int2, Oid.int4, Oid.unknown] as number[];
  switch (name) {
    case "generate_series": {
      if (types.length < 2 || types.length > 3) return undefined;
      if (types.every((t) => ints.includes(t))) {
        return {
          types: [Oid.int4],
          argTypes: types.map(() => Oid.int4),
          fn: ([a, b, s]) =>
            a === null || b === null ? [] : intSeries(a as number, b as number, (s ?? 1) as number),
        };
      }
      if (types.every((t) => ints.includes(t) || t === Oid.int8)) {
        return {
          types: [Oid.int8],
          argTypes: types.map(() => Oid.int8),
          fn: ([a, b, s]) =>
            a === null || b === null
              ? []
              : bigSeries(BigInt(a as bigint), BigInt(b as bigint), BigInt((s ?? 1n) as bigint)),
        };
      }
      if (types.every((t) => ints.includes(t) || t === Oid.int8 || t === Oid.numeric)) {
        return {
          types: [Oid.numeric],
          argTypes: types.map(() => Oid.numeric),
          fn: ([a, b, s]) =>
            a === null || b === null
              ? []
              : numSeries(a as Numeric, b as Numeric, (s ?? Numeric.one) as Numeric),
        };
      }
      return undefined;
    }
    case "unnest": {
      if (types.length > 1) return multiUnnest(types);
      if (types.length !== 1) return undefined;
      const elem = elementOf(types[0]!);
      if (elem === 0) return undefined;
      return {
        types: [elem],
        argTypes: types,
        fn: ([a]) => a === null ? [] : (a as PgArray).elements.map((e) => [e]),
      };
    }
  }
  return undefined;
}

/** unnest(a, b, …) in FROM: the arrays side by side, padded with NULLs to the longest. */
function multiUnnest(types: number[]): SrfDef | undefined {
  const elems = types.map((t) => elementOf(t));
  if (elems.some((e) => e === 0)) return undefined;
  return {
    types: elems,
    names: elems.map(() => "unnest"),
    argTypes: types,
    fn: (args) => {
      const arrs = args.map((a) => (a === null ? [] : (a as PgArray).elements));
      const n = Math.max(0, ...arrs.map((a) => a.length));
      const rows: Datum[][] = [];
      for (let i = 0; i < n; i++) rows.push(arrs.map((a) => a[i] ?? null));
      return rows;
    },
  };
}
