/**
 * @module Subscripted assignment `SET col[i] = v` (array_set_element): the new array value of a
 * one-dimensional array with element `i` replaced, the array extended with NULLs when `i` is
 * outside its bounds, or a one-element array `[i:i]={v}` when the column is NULL or empty.
 */
import type { Datum } from "../datum.ts";
import type { BExpr } from "../plan/mod.ts";
import type { IndirectionItem } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { elementOf, Oid, PgArray } from "../types/mod.ts";
import type { BindCtx } from "./context.ts";
import { coerce } from "./coerce.ts";
import { bindExpr } from "./expr.ts";

/** array_set_element for one subscript. */
export function setElement(arr: PgArray | null, index: number, value: Datum): PgArray {
  if (arr === null || arr.elements.length === 0) return new PgArray([value], [1], [index]);
  if (arr.dims.length !== 1) {
    throw new DbError(SqlState.arraySubscriptError, "wrong number of array subscripts");
  }
  const lb = arr.lbounds[0]!;
  const ub = lb + arr.dims[0]! - 1;
  if (index >= lb && index <= ub) {
    const els = [...arr.elements];
    els[index - lb] = value;
    return new PgArray(els, [els.length], [lb]);
  }
  if (index > ub) {
    const els = [...arr.elements];
    while (els.length < index - lb) els.push(null);
    els.push(value);
    return new PgArray(els, [els.length], [lb]);
  }
  const pad: Datum[] = [value];
  while (pad.length < lb - index) pad.push(null);
  const els = [...pad, ...arr.elements];
  return new PgArray(els, [els.length], [index]);
}

/**
 * Binds `target[sub] = value` where `target` is the column's current (or already assigned) value.
 */
export function bindElementAssign(
  c: BindCtx,
  target: BExpr,
  colName: string,
  indirection: IndirectionItem[],
  value: BExpr,
  location: number,
): BExpr {
  const elem = elementOf(target.type);
  const sub = indirection[0]!;
  if (indirection.length !== 1 || sub.kind !== "subscript" || sub.slice || elem === 0) {
    throw new DbError(
      SqlState.featureNotSupported,
      `assignment to this part of column "${colName}" is not supported`,
      { position: location + 1 },
    );
  }
  const idx = coerce(
    c,
    bindExpr(c, (sub.upper ?? sub.lower)!),
    Oid.int4,
    -1,
    "assignment",
    sub.location,
  );
  const v = coerce(c, value, elem, -1, "assignment", location);
  return {
    k: "call",
    type: target.type,
    typmod: target.typmod,
    name: "array_set_element",
    fn: ([a, i, x]) => {
      if (i === null) {
        throw new DbError(
          SqlState.nullValueNotAllowed,
          "array subscript in assignment must not be null",
        );
      }
      return setElement(a as PgArray | null, i as number, x ?? null);
    },
    args: [target, idx, v],
    strict: false,
    volatile: false,
  };
}
