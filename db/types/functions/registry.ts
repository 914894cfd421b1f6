/**
 * @module The function registry: definitions keyed by name with their signatures (argument
 * types, variadic element, polymorphic types), result type, set-returning flag, volatility and
 * strictness, and an implementation `(args, ctx, types) → Datum` (or rows for set-returning
 * functions). The function files register into it; resolve.ts chooses among them.
 */
import type { Datum } from "../../datum.ts";
import type { EvalContext } from "../context.ts";

/** i immutable, s stable, v volatile (pg_proc.provolatile). */
export type Volatility = "i" | "s" | "v";

/** A scalar implementation; `types` are the actual (resolved) argument types. */
export type ScalarImpl = (args: Datum[], ctx: EvalContext, types: number[]) => Datum;
/** A set-returning implementation: one Datum[] per output row. */
export type SetImpl = (args: Datum[], ctx: EvalContext, types: number[]) => Iterable<Datum[]>;

/** One pg_proc-like entry. */
export interface FunctionDef {
  name: string;
  /** Declared argument types (for a variadic function, the last is the variadic array type). */
  args: number[];
  /** The element type of a VARIADIC last argument (`"any"` is 2276), or 0. */
  variadic: number;
  result: number;
  /** Set-returning: `impl` yields rows; `columns` names them when there is more than one. */
  retset: boolean;
  columns?: [string, number][];
  volatility: Volatility;
  /** Strict: NULL in → NULL out, decided by the evaluator before calling. */
  strict: boolean;
  impl: ScalarImpl | SetImpl;
  /** pg_proc.proargnames, for functions PostgreSQL gives named parameters. */
  argNames?: string[];
  /** pg_proc.pronargdefaults: how many trailing parameters have defaults. */
  nDefaults?: number;
  /**
   * "overload": a shorter form of a function with defaults (callable, not a pg_proc row);
   * "catalog": a pg_proc row only (PostgreSQL has it; BKG-DB cannot call it, e.g. range types).
   */
  only?: "overload" | "catalog";
}

const registry = new Map<string, FunctionDef[]>();

/** Options of {@link defineFunction}. */
export interface DefineOptions {
  variadic?: number;
  volatility?: Volatility;
  strict?: boolean;
  retset?: boolean;
  columns?: [string, number][];
  argNames?: string[];
  nDefaults?: number;
  only?: "overload" | "catalog";
}

/**
 * Registers a function.
 *
 * @example
 * defineFunction("length", [Oid.text], Oid.int4, ([s]) => charCount(s as string));
 */
export function defineFunction(
  name: string,
  args: number[],
  result: number,
  impl: ScalarImpl | SetImpl,
  opts: DefineOptions = {},
): FunctionDef {
  const def: FunctionDef = {
    name,
    args,
    variadic: opts.variadic ?? 0,
    result,
    retset: opts.retset ?? false,
    columns: opts.columns,
    volatility: opts.volatility ?? "i",
    strict: opts.strict ?? true,
    impl,
    argNames: opts.argNames,
    nDefaults: opts.nDefaults,
    only: opts.only,
  };
  const list = registry.get(name);
  if (list === undefined) registry.set(name, [def]);
  else list.push(def);
  return def;
}

/** Every callable function named `name` (lowercase). */
export function functionsNamed(name: string): readonly FunctionDef[] {
  const list = registry.get(name) ?? [];
  return list.some((f) => f.only === "catalog") ? list.filter((f) => f.only !== "catalog") : list;
}

/** Every pg_proc row: registered functions without the shorter overloads of defaults. */
export function allFunctions(): FunctionDef[] {
  return [...registry.values()].flat().filter((f) => f.only !== "overload");
}

/**
 * Registers a function with trailing defaults as PostgreSQL has it (one pg_proc row with
 * proargnames and pronargdefaults) plus the shorter callable forms, which pass the defaults.
 *
 * @example
 * defineWithDefaults("f", [Oid.jsonb, Oid.bool], Oid.bool, impl, { argNames: ["j", "silent"], defaults: [false] });
 */
export function defineWithDefaults(
  name: string,
  args: number[],
  result: number,
  impl: ScalarImpl | SetImpl,
  opts: DefineOptions & { argNames: string[]; defaults: Datum[] },
): void {
  const { defaults, ...rest } = opts;
  defineFunction(name, args, result, impl, { ...rest, nDefaults: defaults.length });
  for (let k = 1; k <= defaults.length; k++) {
    const n = args.length - k;
    const tail = defaults.slice(defaults.length - k);
    defineFunction(
      name,
      args.slice(0, n),
      result,
      ((a, ctx, types) => impl([...a, ...tail], ctx, [...types, ...args.slice(n)])) as ScalarImpl,
      { ...rest, only: "overload", argNames: rest.argNames.slice(0, n) },
    );
  }
}

/** Calls a scalar function definition (strictness already handled by the caller). */
export function callScalar(
  def: FunctionDef,
  args: Datum[],
  ctx: EvalContext,
  types: number[],
): Datum {
  return (def.impl as ScalarImpl)(args, ctx, types);
}

/** Calls a set-returning function definition. */
export function callSet(
  def: FunctionDef,
  args: Datum[],
  ctx: EvalContext,
  types: number[],
): Iterable<Datum[]> {
  return (def.impl as SetImpl)(args, ctx, types);
}
