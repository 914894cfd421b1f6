/**
 * @module Overload resolution after PostgreSQL's func_select_candidate, simplified: exact match;
 * unknown literals take the other argument's type; then candidates every argument coerces to
 * implicitly, ranked by exact matches and preferred types; polymorphic pseudo-types (anyelement,
 * anyarray, anycompatible…) match by their element/array relationship.
 */
import { elementOf, isArrayType, Oid, typeByOid } from "../types/mod.ts";
import { canCoerce } from "../types/mod.ts";

/** A candidate's signature. */
export interface Signature {
  args: readonly number[];
  /** A variadic element type: extra arguments of this type are allowed. */
  variadic?: number;
}

const anyLike = new Set<number>([
  Oid.any,
  Oid.anyelement,
  Oid.anynonarray,
  Oid.anycompatible,
  Oid.anycompatiblenonarray,
  Oid.anyenum,
]);
const oidish = new Set<number>([
  Oid.oid,
  Oid.regclass,
  Oid.regtype,
  Oid.regproc,
  Oid.regnamespace,
  Oid.regrole,
]);
const anyArrayLike = new Set<number>([Oid.anyarray, Oid.anycompatiblearray]);

/** True for the polymorphic pseudo-types. */
export function isPolymorphic(t: number): boolean {
  return anyLike.has(t) || anyArrayLike.has(t);
}

function argMatches(actual: number, declared: number): number {
  // 2 exact, 1 coercible, 0 no.
  if (actual === declared) return 2;
  if (anyLike.has(declared)) {
    if (declared === Oid.anynonarray && isArrayType(actual)) return 0;
    return 1;
  }
  if (anyArrayLike.has(declared)) {
    return actual === Oid.unknown || isArrayType(actual) ? 1 : 0;
  }
  if (actual === Oid.unknown) return 1;
  if (oidish.has(actual) && oidish.has(declared)) return 1;
  return canCoerce(actual, declared, "implicit") ? 1 : 0;
}

function expand(sig: Signature, n: number): readonly number[] | null {
  if (sig.args.length === n) return sig.args;
  if (sig.variadic !== undefined && n >= sig.args.length) {
    const out = [...sig.args];
    while (out.length < n) out.push(sig.variadic);
    return out;
  }
  return null;
}

/**
 * Picks the best candidate for `argTypes`; returns its index and the declared argument types
 * (expanded for variadics), or undefined when none matches. Ties go to the first listed.
 */
export function selectCandidate<T extends Signature>(
  candidates: readonly T[],
  argTypes: readonly number[],
): { cand: T; declared: readonly number[] } | undefined {
  let best: { cand: T; declared: readonly number[] } | undefined;
  let bestScore = -1;
  // Only for two arguments (operators' shape): has_function_privilege('role', oid, 'execute')
  // must still read 'role' as text, as PostgreSQL prefers the string category for unknowns.
  const known = argTypes.length === 2 ? argTypes.find((t) => t !== Oid.unknown) : undefined;
  for (const cand of candidates) {
    const declared = expand(cand, argTypes.length);
    if (declared === null) continue;
    let score = 0;
    let ok = true;
    for (let i = 0; i < declared.length; i++) {
      let actual = argTypes[i]!;
      const d = declared[i]!;
      // unknown literals prefer the type of the other known argument (binary operators).
      if (actual === Oid.unknown && known !== undefined && known === d) actual = d;
      const m = argMatches(actual, d);
      if (m === 0) {
        ok = false;
        break;
      }
      score += m * 100;
      if (m === 1) {
        const info = typeByOid(d);
        if (info?.preferred) score += 10;
        if (actual === Oid.unknown && d === Oid.text) score += 5;
        if (
          actual !== Oid.unknown && info !== undefined &&
          info.category === typeByOid(actual)?.category
        ) score += 20;
      }
    }
    if (!ok) continue;
    if (!consistent(declared, argTypes)) continue;
    if (cand.variadic !== undefined) score -= 1;
    if (score > bestScore) {
      bestScore = score;
      best = { cand, declared };
    }
  }
  return best;
}

/** Polymorphic arguments must agree: one element type for all any*element/any*array slots. */
function consistent(declared: readonly number[], actual: readonly number[]): boolean {
  if (!declared.some((d) => polyLinked.has(d))) return true;
  const r = resolvePolymorphic(declared, actual, 0);
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i]!;
    const a = actual[i]!;
    if (!polyLinked.has(d) || a === Oid.unknown) continue;
    const want = r.args[i]!;
    if (a !== want && !canCoerce(a, want, "implicit")) return false;
  }
  return true;
}

const polyLinked = new Set<number>([
  Oid.anyelement,
  Oid.anynonarray,
  Oid.anycompatible,
  Oid.anycompatiblenonarray,
  Oid.anyarray,
  Oid.anycompatiblearray,
  Oid.anyenum,
]);

/**
 * The concrete types of a polymorphic signature's arguments and result, from the actual
 * argument types (anyelement → the common non-array type, anyarray → its array type).
 */
export function resolvePolymorphic(
  declared: readonly number[],
  actual: readonly number[],
  result: number,
): { args: number[]; result: number } {
  let elem = 0;
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i]!;
    const a = actual[i]!;
    if (a === Oid.unknown || d === Oid.any) continue;
    if (anyLike.has(d) && elem === 0) elem = a;
    if (anyArrayLike.has(d) && elem === 0) elem = elementOf(a);
  }
  if (elem === 0) elem = Oid.text;
  const arr = typeByOid(elem)?.array ?? 0;
  const sub = (t: number) =>
    t === Oid.any ? t : anyLike.has(t) ? elem : anyArrayLike.has(t) ? (arr || t) : t;
  return { args: declared.map(sub), result: sub(result) };
}
