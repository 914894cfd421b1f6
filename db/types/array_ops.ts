/**
 * @module Array operations shared by operators and functions: append, prepend and cat with
 * PostgreSQL's dimension rules (and NULL handling: these are not strict), subscripts, and the
 * array_* helper functions' cores.
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { PgArray } from "./array.ts";

function incompatible(detail: string): DbError {
  return new DbError(SqlState.arraySubscriptError, "cannot concatenate incompatible arrays", {
    detail,
  });
}

/** array_append(anycompatiblearray, anycompatible). */
export function arrayAppend(a: PgArray | null, e: Datum): PgArray {
  if (a === null || a.dims.length === 0) return PgArray.of([e]);
  if (a.dims.length !== 1) {
    throw new DbError(SqlState.dataException, "argument must be empty or one-dimensional array");
  }
  return new PgArray([...a.elements, e], [a.dims[0]! + 1], a.lbounds);
}

/** array_prepend(anycompatible, anycompatiblearray). */
export function arrayPrepend(e: Datum, a: PgArray | null): PgArray {
  if (a === null || a.dims.length === 0) return PgArray.of([e]);
  if (a.dims.length !== 1) {
    throw new DbError(SqlState.dataException, "argument must be empty or one-dimensional array");
  }
  return new PgArray([e, ...a.elements], [a.dims[0]! + 1], a.lbounds);
}

/** array_cat(anycompatiblearray, anycompatiblearray). */
export function arrayCat(a: PgArray | null, b: PgArray | null): PgArray | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.dims.length === 0) return b;
  if (b.dims.length === 0) return a;
  const na = a.dims.length;
  const nb = b.dims.length;
  if (na === nb) {
    for (let d = 1; d < na; d++) {
      if (a.dims[d] !== b.dims[d]) {
        throw incompatible(
          "Arrays with differing element dimensions are not compatible for concatenation.",
        );
      }
    }
    return new PgArray([...a.elements, ...b.elements], [
      a.dims[0]! + b.dims[0]!,
      ...a.dims.slice(1),
    ], a.lbounds);
  }
  if (na === nb + 1) {
    for (let d = 0; d < nb; d++) {
      if (a.dims[d + 1] !== b.dims[d]) {
        throw incompatible(
          "Arrays with differing dimensions are not compatible for concatenation.",
        );
      }
    }
    return new PgArray(
      [...a.elements, ...b.elements],
      [a.dims[0]! + 1, ...a.dims.slice(1)],
      a.lbounds,
    );
  }
  if (nb === na + 1) {
    for (let d = 0; d < na; d++) {
      if (b.dims[d + 1] !== a.dims[d]) {
        throw incompatible(
          "Arrays with differing dimensions are not compatible for concatenation.",
        );
      }
    }
    return new PgArray(
      [...a.elements, ...b.elements],
      [b.dims[0]! + 1, ...b.dims.slice(1)],
      b.lbounds,
    );
  }
  throw incompatible(`Arrays of ${na} and ${nb} dimensions are not compatible for concatenation.`);
}

/** a[i] for a one-dimensional subscript on the first dimension (NULL when out of range). */
export function arraySubscript(a: PgArray, subscripts: number[]): Datum {
  if (subscripts.length !== a.dims.length) return null;
  let offset = 0;
  for (let d = 0; d < subscripts.length; d++) {
    const i = subscripts[d]! - a.lbounds[d]!;
    if (i < 0 || i >= a.dims[d]!) return null;
    offset = offset * a.dims[d]! + i;
  }
  return a.elements[offset] ?? null;
}

/** a[lo:hi] on each dimension (PostgreSQL's slice: bounds clamp; an empty result is '{}'). */
export function arraySlice(
  a: PgArray,
  lower: (number | null)[],
  upper: (number | null)[],
): PgArray {
  const nd = a.dims.length;
  if (nd === 0 || lower.length > nd) return PgArray.empty;
  const lo: number[] = [];
  const hi: number[] = [];
  for (let d = 0; d < nd; d++) {
    const lb = a.lbounds[d]!;
    const ub = lb + a.dims[d]! - 1;
    const l = Math.max(d < lower.length ? (lower[d] ?? lb) : lb, lb);
    const h = Math.min(d < upper.length ? (upper[d] ?? ub) : ub, ub);
    if (h < l) return PgArray.empty;
    lo.push(l);
    hi.push(h);
  }
  const out: Datum[] = [];
  const dims = lo.map((l, d) => hi[d]! - l + 1);
  const walk = (d: number, offset: number): void => {
    for (let i = lo[d]!; i <= hi[d]!; i++) {
      const off = offset * a.dims[d]! + (i - a.lbounds[d]!);
      if (d === nd - 1) out.push(a.elements[off] ?? null);
      else walk(d + 1, off);
    }
  };
  walk(0, 0);
  return new PgArray(out, dims);
}
