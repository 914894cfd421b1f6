/**
 * @module Overload resolution after PostgreSQL's "Type Conversion" chapter: operators (10.2:
 * exact match with an unknown side taking the other side's type, then func_select_candidate),
 * functions (10.3: exact match, type-coercion calls such as `int4('1')`, variadic expansion,
 * implicit-cast candidates, preferred types, unknown literals by category), polymorphic types
 * (anyelement/anyarray/anynonarray/anyenum and the anycompatible family), and the common type of
 * UNION/CASE/ARRAY/VALUES (10.5, select_common_type). Errors are PostgreSQL's 42883, 42725, 42804.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { type AggregateDef, aggregatesNamed } from "./aggregates.ts";
import { canCoerce } from "./casts.ts";
import { type WindowDef, windowFunctionsNamed } from "./window.ts";
import { type FunctionDef, functionsNamed } from "./functions/registry.ts";
import { lookupTypeName } from "./io.ts";
import { arrayOf, elementOf, isArrayType, Oid, typeByOid } from "./oids.ts";
import { type OperatorDef, operatorsNamed } from "./operators.ts";
import { formatType } from "./typmod.ts";

/** The outcome of resolution: the chosen definition, the type each argument must be cast to, and the result type. */
export interface Resolved<T> {
  def: T;
  /** The type each argument must have (the binder casts where the actual type differs). */
  argTypes: number[];
  resultType: number;
  /**
   * For a VARIADIC call spelled with separate arguments (not VARIADIC "any"): the index from
   * which the arguments are packed into one array (of type def.args[last]) before the call.
   */
  variadicFrom?: number;
}

const polymorphic = new Set<number>([
  Oid.anyelement,
  Oid.anyarray,
  Oid.anynonarray,
  Oid.anyenum,
  Oid.anycompatible,
  Oid.anycompatiblearray,
  Oid.anycompatiblenonarray,
]);
const compatibleFamily = new Set<number>([
  Oid.anycompatible,
  Oid.anycompatiblearray,
  Oid.anycompatiblenonarray,
]);

function category(oid: number): string {
  if (oid === Oid.unknown) return "X";
  return typeByOid(oid)?.category ?? (oid >= 16384 ? "E" : "U");
}

function preferred(oid: number): boolean {
  return typeByOid(oid)?.preferred ?? false;
}

/** True if a value of `input` can be implicitly coerced to `target` (unknown to anything). */
function coercible(input: number, target: number): boolean {
  if (input === target || target === Oid.any) return true;
  if (polymorphic.has(target)) return true; // checked for consistency afterwards
  if (input === Oid.unknown) return typeByOid(target)?.kind !== "p" || target === Oid.record;
  if (target === Oid.record && (input === Oid.record || input >= 16384)) return true;
  return canCoerce(input, target, "implicit");
}

/** check/enforce_generic_type_consistency: the declared types with polymorphics resolved, or undefined. */
function resolvePolymorphic(
  declared: number[],
  actual: number[],
  result: number,
): { args: number[]; result: number } | "unknown" | undefined {
  let elem = 0;
  let sawUnknownOnly = false;
  const compatibleInputs: number[] = [];
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i]!;
    const a = actual[i]!;
    if (!polymorphic.has(d)) continue;
    if (compatibleFamily.has(d)) {
      if (a === Oid.unknown) continue;
      if (d === Oid.anycompatiblearray) {
        if (!isArrayType(a)) return undefined;
        compatibleInputs.push(elementOf(a));
      } else {
        if (d === Oid.anycompatiblenonarray && isArrayType(a)) return undefined;
        compatibleInputs.push(a);
      }
      continue;
    }
    if (a === Oid.unknown) {
      sawUnknownOnly = true;
      continue;
    }
    let e: number;
    if (d === Oid.anyarray) {
      if (!isArrayType(a)) return undefined;
      e = elementOf(a);
    } else {
      if (d === Oid.anynonarray && isArrayType(a)) return undefined;
      if (d === Oid.anyenum && a < 16384) return undefined;
      e = a;
    }
    if (elem === 0) elem = e;
    else if (elem !== e) return undefined;
  }
  let common = 0;
  if (compatibleInputs.length > 0) {
    const c = commonTypeOrUndefined(compatibleInputs);
    if (c === undefined) return undefined;
    common = c;
  } else if (declared.some((d) => compatibleFamily.has(d))) common = Oid.text;
  const needsElem = declared.some((d) => polymorphic.has(d) && !compatibleFamily.has(d)) ||
    (polymorphic.has(result) && !compatibleFamily.has(result));
  if (needsElem && elem === 0) {
    if (sawUnknownOnly || declared.some((d) => polymorphic.has(d) && !compatibleFamily.has(d))) {
      return "unknown";
    }
  }
  const sub = (d: number): number => {
    switch (d) {
      case Oid.anyelement:
      case Oid.anynonarray:
      case Oid.anyenum:
        return elem;
      case Oid.anyarray:
        return arrayOf(elem);
      case Oid.anycompatible:
      case Oid.anycompatiblenonarray:
        return common;
      case Oid.anycompatiblearray:
        return arrayOf(common);
    }
    return d;
  };
  const args = declared.map(sub);
  if (args.some((t) => t === 0)) return undefined;
  // The actual arguments must coerce to the substituted types.
  for (let i = 0; i < args.length; i++) {
    if (!polymorphic.has(declared[i]!)) continue;
    if (!coercible(actual[i]!, args[i]!)) return undefined;
  }
  return { args, result: sub(result) };
}

interface Candidate<T> {
  def: T;
  args: number[];
}

function canCoerceAll(inputs: number[], targets: number[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (!coercible(inputs[i]!, targets[i]!)) return false;
  return true;
}

/** func_match_argtypes + func_select_candidate. Returns the candidates left (1 = chosen). */
function selectCandidate<T>(
  inputs: number[],
  all: Candidate<T>[],
  result: (c: Candidate<T>) => number,
): Candidate<T>[] {
  let cands = all.filter((c) => canCoerceAll(inputs, c.args) && polyOk(c, inputs, result));
  if (cands.length <= 1) return cands;
  const nargs = inputs.length;
  const keepMax = (score: (c: Candidate<T>) => number) => {
    let best = -1;
    let kept: Candidate<T>[] = [];
    for (const c of cands) {
      const s = score(c);
      if (s > best) {
        best = s;
        kept = [c];
      } else if (s === best) kept.push(c);
    }
    cands = kept;
  };
  keepMax((c) => c.args.filter((t, i) => inputs[i] !== Oid.unknown && t === inputs[i]).length);
  if (cands.length === 1) return cands;
  const slotCategory = inputs.map(category);
  keepMax((c) =>
    c.args.filter((t, i) =>
      inputs[i] !== Oid.unknown &&
      (t === inputs[i] || (category(t) === slotCategory[i] && preferred(t)))
    ).length
  );
  if (cands.length === 1) return cands;
  const unknowns = inputs.filter((t) => t === Oid.unknown).length;
  if (unknowns === 0) return cands;
  let resolved = true;
  const slotPreferred: boolean[] = [];
  for (let i = 0; i < nargs; i++) {
    if (inputs[i] !== Oid.unknown) continue;
    let cat = "";
    let pref = false;
    let conflict = false;
    for (const c of cands) {
      const t = c.args[i]!;
      const tc = category(t);
      if (cat === "") {
        cat = tc;
        pref = preferred(t);
      } else if (tc === cat) pref ||= preferred(t);
      else if (tc === "S") {
        cat = tc;
        pref = preferred(t);
      } else conflict = true;
    }
    if (conflict && cat !== "S") {
      resolved = false;
      break;
    }
    slotCategory[i] = cat;
    slotPreferred[i] = pref;
  }
  if (resolved) {
    const kept = cands.filter((c) =>
      c.args.every((t, i) =>
        inputs[i] !== Oid.unknown ||
        (category(t) === slotCategory[i] && (!slotPreferred[i] || preferred(t)))
      )
    );
    if (kept.length > 0) cands = kept;
    if (cands.length === 1) return cands;
  }
  if (unknowns < nargs) {
    const known = inputs.filter((t) => t !== Oid.unknown);
    if (known.every((t) => t === known[0])) {
      const assumed = inputs.map(() => known[0]!);
      const hits = cands.filter((c) => canCoerceAll(assumed, c.args) && polyOk(c, assumed, result));
      if (hits.length === 1) return hits;
    }
  }
  return cands;
}

function polyOk<T>(
  c: Candidate<T>,
  inputs: number[],
  result: (c: Candidate<T>) => number,
): boolean {
  if (!c.args.some((t) => polymorphic.has(t))) return true;
  const r = resolvePolymorphic(c.args, inputs, result(c));
  return r !== undefined;
}

function finish<T>(c: Candidate<T>, inputs: number[], result: number, what: string): Resolved<T> {
  if (!c.args.some((t) => polymorphic.has(t)) && !polymorphic.has(result)) {
    return {
      def: c.def,
      argTypes: c.args.map((t, i) => (t === Oid.any ? inputs[i]! : t)),
      resultType: result,
    };
  }
  const r = resolvePolymorphic(c.args, inputs, result);
  if (r === "unknown" || r === undefined) {
    throw new DbError(
      SqlState.datatypeMismatch,
      `could not determine polymorphic type because input has type unknown`,
      { hint: what },
    );
  }
  return {
    def: c.def,
    argTypes: r.args.map((t, i) => (t === Oid.any ? inputs[i]! : t)),
    resultType: r.result,
  };
}

function opSignature(name: string, left: number, right: number): string {
  return left === 0
    ? `${name} ${formatType(right)}`
    : `${formatType(left)} ${name} ${formatType(right)}`;
}

/**
 * Resolves `left name right` (left 0 for a prefix operator) to one operator.
 *
 * @example
 * resolveOperator("+", Oid.int4, Oid.numeric).def.code; // "numeric_add"
 */
export function resolveOperator(name: string, left: number, right: number): Resolved<OperatorDef> {
  // The operator table is fixed, so a successful resolution can be reused.
  const key = `${name}\u0000${left}\u0000${right}`;
  const hit = operatorCache.get(key);
  if (hit !== undefined) return hit;
  const r = resolveOperatorUncached(name, left, right);
  if (operatorCache.size >= 4096) operatorCache.clear();
  operatorCache.set(key, r);
  return r;
}

const operatorCache = new Map<string, Resolved<OperatorDef>>();

function resolveOperatorUncached(name: string, left: number, right: number): Resolved<OperatorDef> {
  const ops = operatorsNamed(name).filter((o) => (left === 0 ? o.left === 0 : o.left !== 0));
  // binary_oper_exact: an unknown side takes the other side's type.
  let l = left;
  let r = right;
  if (l === Oid.unknown && r !== Oid.unknown) l = r;
  else if (r === Oid.unknown && l !== Oid.unknown && l !== 0) r = l;
  const exact = ops.find((o) => o.left === l && o.right === r);
  if (exact !== undefined) {
    return { def: exact, argTypes: left === 0 ? [r] : [l, r], resultType: exact.result };
  }
  const inputs = left === 0 ? [right] : [left, right];
  const cands = ops.map((o) => ({ def: o, args: left === 0 ? [o.right] : [o.left, o.right] }));
  const chosen = selectCandidate(inputs, cands, (c) => c.def.result);
  if (chosen.length === 0) {
    throw new DbError(
      SqlState.undefinedFunction,
      `operator does not exist: ${opSignature(name, left, right)}`,
      {
        hint:
          "No operator matches the given name and argument types. You might need to add explicit type casts.",
      },
    );
  }
  if (chosen.length > 1) {
    throw new DbError(
      SqlState.ambiguousFunction,
      `operator is not unique: ${opSignature(name, left, right)}`,
      {
        hint:
          "Could not choose a best candidate operator. You might need to add explicit type casts.",
      },
    );
  }
  return finish(chosen[0]!, inputs, chosen[0]!.def.result, "");
}

/** A function call resolved to a cast (`int4('42')`, `text(1)`): the binder emits a cast. */
export interface ResolvedCoercion {
  coercion: true;
  targetType: number;
}

function expandVariadic(def: FunctionDef, nargs: number): number[] | undefined {
  if (def.variadic === 0) return def.args.length === nargs ? def.args : undefined;
  const fixed = def.args.length - 1;
  if (nargs === def.args.length) return def.args; // may also be passed unexpanded (VARIADIC arr)
  if (nargs < fixed + 1) return undefined;
  const elem = def.variadic;
  return [...def.args.slice(0, fixed), ...Array<number>(nargs - fixed).fill(elem)];
}

function callSignature(name: string, types: number[]): string {
  return `${name}(${types.map((t) => formatType(t)).join(", ")})`;
}

/** The signature fields resolution needs (functions, aggregates and window functions share them). */
export interface Signature {
  name: string;
  args: number[];
  variadic: number;
  result: number;
}

/**
 * Resolves an aggregate call (`sum(x)`, `count(*)` with no arguments).
 *
 * @example
 * resolveAggregate("avg", [Oid.int4]).resultType; // Oid.numeric
 */
export function resolveAggregate(name: string, inputs: number[]): Resolved<AggregateDef> {
  return resolveAmong(name, inputs, aggregatesNamed(name.toLowerCase()), "aggregate");
}

/** Resolves a window function call (row_number, lag, …; aggregates go through resolveAggregate). */
export function resolveWindowFunction(name: string, inputs: number[]): Resolved<WindowDef> {
  return resolveAmong(name, inputs, windowFunctionsNamed(name.toLowerCase()), "function");
}

function resolveAmong<T extends Signature>(
  name: string,
  inputs: number[],
  defs: readonly T[],
  what: string,
): Resolved<T> {
  const cands: Candidate<T>[] = [];
  for (const d of defs) {
    if (d.args.length === inputs.length) cands.push({ def: d, args: d.args });
    else if (d.variadic !== 0 && inputs.length >= d.args.length - 1) {
      cands.push({
        def: d,
        args: [
          ...d.args.slice(0, -1),
          ...Array<number>(inputs.length - d.args.length + 1).fill(d.variadic),
        ],
      });
    }
  }
  const exact = cands.find((c) => c.args.every((t, i) => t === inputs[i]));
  if (exact !== undefined) return finish(exact, inputs, exact.def.result, "");
  const chosen = selectCandidate(inputs, cands, (c) => c.def.result);
  if (chosen.length !== 1) {
    const sig = callSignature(name, inputs);
    if (chosen.length === 0) {
      throw new DbError(
        SqlState.undefinedFunction,
        `${what === "aggregate" ? "function" : "function"} ${sig} does not exist`,
        {
          hint:
            "No function matches the given name and argument types. You might need to add explicit type casts.",
        },
      );
    }
    throw new DbError(SqlState.ambiguousFunction, `function ${sig} is not unique`, {
      hint:
        "Could not choose a best candidate function. You might need to add explicit type casts.",
    });
  }
  return finish(chosen[0]!, inputs, chosen[0]!.def.result, "");
}

/**
 * Resolves a function call by name and actual argument types (unknown for untyped literals).
 * Returns the function with the argument types to cast to, or a coercion for `type(arg)`.
 *
 * @example
 * resolveFunction("round", [Oid.numeric]); // round(numeric) → numeric
 */
export function resolveFunction(
  name: string,
  inputs: number[],
): Resolved<FunctionDef> | ResolvedCoercion {
  const defs = functionsNamed(name.toLowerCase());
  const cands: Candidate<FunctionDef>[] = [];
  for (const d of defs) {
    const args = expandVariadic(d, inputs.length);
    if (args !== undefined) cands.push({ def: d, args });
    if (d.variadic !== 0 && d.variadic !== Oid.any && inputs.length === d.args.length) {
      cands.push({ def: d, args: [...d.args.slice(0, -1), d.variadic] });
    }
  }
  const exact = cands.find((c) => c.args.every((t, i) => t === inputs[i]));
  if (exact !== undefined) {
    return withVariadic(finish(exact, inputs, exact.def.result, ""), inputs.length);
  }
  if (inputs.length === 1) {
    const target = lookupTypeName(name);
    if (
      target !== undefined &&
      (inputs[0] === Oid.unknown || canCoerce(inputs[0]!, target, "explicit"))
    ) {
      const ambiguousWithFunction = cands.some((c) => canCoerceAll(inputs, c.args));
      if (!ambiguousWithFunction || inputs[0] === Oid.unknown) {
        return { coercion: true, targetType: target };
      }
    }
  }
  const chosen = selectCandidate(inputs, cands, (c) => c.def.result);
  if (chosen.length === 0) {
    throw new DbError(
      SqlState.undefinedFunction,
      `function ${callSignature(name, inputs)} does not exist`,
      {
        hint:
          "No function matches the given name and argument types. You might need to add explicit type casts.",
      },
    );
  }
  if (chosen.length > 1) {
    throw new DbError(
      SqlState.ambiguousFunction,
      `function ${callSignature(name, inputs)} is not unique`,
      {
        hint:
          "Could not choose a best candidate function. You might need to add explicit type casts.",
      },
    );
  }
  return withVariadic(finish(chosen[0]!, inputs, chosen[0]!.def.result, ""), inputs.length);
}

function withVariadic(r: Resolved<FunctionDef>, nargs: number): Resolved<FunctionDef> {
  const d = r.def;
  if (d.variadic === 0 || d.variadic === Oid.any) return r;
  const last = d.args.length - 1;
  // Called with the array itself (same arity and an array type there): no packing.
  if (nargs === d.args.length && isArrayType(r.argTypes[last]!)) return r;
  return { ...r, variadicFrom: last };
}

function commonTypeOrUndefined(types: number[]): number | undefined {
  try {
    return commonType(types, "");
  } catch {
    return undefined;
  }
}

/**
 * select_common_type (10.5): the type UNION, CASE, ARRAY[], VALUES and COALESCE resolve to.
 * `context` names the construct in the error (`UNION`, `CASE`, …).
 *
 * @example
 * commonType([Oid.int4, Oid.numeric], "CASE"); // Oid.numeric
 */
export function commonType(types: number[], context: string): number {
  const known = types.filter((t) => t !== Oid.unknown);
  if (known.length === 0) return Oid.text;
  let ptype = known[0]!;
  let pcat = category(ptype);
  let ppref = preferred(ptype);
  for (const t of known.slice(1)) {
    if (t === ptype) continue;
    const cat = category(t);
    if (cat !== pcat) {
      throw new DbError(
        SqlState.datatypeMismatch,
        `${context} types ${formatType(ptype)} and ${formatType(t)} cannot be matched`,
      );
    }
    if (!ppref && canCoerce(ptype, t, "implicit") && !canCoerce(t, ptype, "implicit")) {
      ptype = t;
      pcat = cat;
      ppref = preferred(t);
    }
  }
  for (const t of known) {
    if (!canCoerce(t, ptype, "implicit")) {
      throw new DbError(
        SqlState.cannotCoerce,
        `${context} could not convert type ${formatType(t)} to ${formatType(ptype)}`,
      );
    }
  }
  return ptype;
}
