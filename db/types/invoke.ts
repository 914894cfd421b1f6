/**
 * @module Calling resolved operators and functions: casts each argument from its actual type to
 * the resolved type (unknown literals through the input function), applies strictness (NULL in,
 * NULL out), then calls the implementation. The executor may instead pre-plan the casts; this is
 * the reference behaviour, and what tests use.
 */
import type { Datum } from "../datum.ts";
import { PgArray } from "./array.ts";
import { arrayOf } from "./oids.ts";
import { castDatum } from "./casts.ts";
import type { EvalContext } from "./context.ts";
import { callScalar, callSet, type FunctionDef } from "./functions/registry.ts";
import type { OperatorDef } from "./operators.ts";
import type { Resolved } from "./resolve.ts";

function castArgs(values: Datum[], actual: number[], wanted: number[], ctx: EvalContext): Datum[] {
  return values.map((v, i) => {
    const from = actual[i]!;
    const to = wanted[i]!;
    return from === to || v === null ? v : castDatum(v, from, to, ctx);
  });
}

/** Packs the variadic tail into one array argument, as PostgreSQL does for VARIADIC arrays. */
function pack(r: Resolved<FunctionDef>, args: Datum[]): [Datum[], number[]] {
  if (r.variadicFrom === undefined) return [args, r.argTypes];
  const k = r.variadicFrom;
  const arrayType = arrayOf(r.argTypes[k]!);
  return [[...args.slice(0, k), PgArray.of(args.slice(k))], [...r.argTypes.slice(0, k), arrayType]];
}

/**
 * Evaluates `a op b` (or `op b` for a prefix operator: pass one value).
 *
 * @example
 * invokeOperator(resolveOperator("+", Oid.int4, Oid.int4), [1, 2], [Oid.int4, Oid.int4], ctx); // 3
 */
export function invokeOperator(
  r: Resolved<OperatorDef>,
  values: Datum[],
  actual: number[],
  ctx: EvalContext,
): Datum {
  const args = castArgs(values, actual, r.argTypes, ctx);
  if (r.def.strict && args.some((a) => a === null)) return null;
  return args.length === 1
    ? r.def.impl(args[0]!, null, ctx, r.argTypes)
    : r.def.impl(args[0]!, args[1]!, ctx, r.argTypes);
}

/** Evaluates a scalar function call. */
export function invokeFunction(
  r: Resolved<FunctionDef>,
  values: Datum[],
  actual: number[],
  ctx: EvalContext,
): Datum {
  const [args, types] = pack(r, castArgs(values, actual, r.argTypes, ctx));
  if (r.def.strict && args.some((a) => a === null)) return null;
  return callScalar(r.def, args, ctx, types);
}

/** Evaluates a set-returning function call: its rows (none for NULL input of a strict one). */
export function invokeSetFunction(
  r: Resolved<FunctionDef>,
  values: Datum[],
  actual: number[],
  ctx: EvalContext,
): Iterable<Datum[]> {
  const [args, types] = pack(r, castArgs(values, actual, r.argTypes, ctx));
  if (r.def.strict && args.some((a) => a === null)) return [];
  return callSet(r.def, args, ctx, types);
}
