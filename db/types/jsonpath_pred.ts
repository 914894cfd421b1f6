/**
 * @module SQL/JSON path predicates (jsonpath_exec.c's executeBoolItem and executePredicate):
 * comparisons, &&, ||, !, exists, like_regex, starts with and `is unknown`, three-valued; an
 * error while evaluating an operand makes the predicate unknown instead of raising it.
 */
import { compareCodePoints, type Jsonb } from "./json.ts";
import { Numeric } from "./numeric.ts";
import { compileRegex } from "./regex.ts";
import { areFlags, type JpNode } from "./jsonpath_parse.ts";
import { type Cx, kindOf, Suppressed, type Tri, unwrapAll } from "./jsonpath_eval.ts";
import { compareDatetimes, JpDatetime } from "./jsonpath_datetime.ts";

function compareItems(cx: Cx, op: string, a: Jsonb, b: Jsonb): Tri {
  const ka = kindOf(a);
  const kb = kindOf(b);
  const da = a instanceof JpDatetime;
  const db = b instanceof JpDatetime;
  if (da || db) {
    if (!da || !db) return ka === "null" || kb === "null" ? op === "!=" : null;
    const c = compareDatetimes(a, b, cx.zone);
    return c === null ? null : compareResult(op, c);
  }
  if (ka !== kb) {
    if (ka === "null" || kb === "null") return op === "!=";
    return null;
  }
  let c: number;
  switch (ka) {
    case "null":
      c = 0;
      break;
    case "boolean":
      c = a === b ? 0 : a ? 1 : -1;
      break;
    case "number":
      c = (a as Numeric).compare(b as Numeric);
      break;
    case "string":
      c = compareCodePoints(a as string, b as string);
      break;
    default:
      return null;
  }
  return compareResult(op, c);
}

function compareResult(op: string, c: number): Tri {
  switch (op) {
    case "==":
      return c === 0;
    case "!=":
      return c !== 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    default:
      return c >= 0;
  }
}

/** Operands of a predicate: errors make the predicate unknown, never an error. */
function quietly(cx: Cx, n: JpNode, item: Jsonb, unwrap: boolean): Jsonb[] | null {
  const saved = cx.throwErrors;
  cx.throwErrors = false;
  try {
    const seq = cx.collect(n, item);
    return unwrap ? unwrapAll(cx, seq) : seq;
  } catch (e) {
    if (e instanceof Suppressed) return null;
    throw e;
  } finally {
    cx.throwErrors = saved;
  }
}

/** executePredicate: any pair satisfying `test` makes it true (lax stops at the first). */
function anyPair(
  cx: Cx,
  left: Jsonb[],
  right: Jsonb[] | null,
  test: (a: Jsonb, b: Jsonb | null) => Tri,
): Tri {
  let found = false;
  let error = false;
  for (const a of left) {
    for (const b of right ?? [null]) {
      const r = test(a, b);
      if (r === null) {
        if (cx.strict) return null;
        error = true;
      } else if (r) {
        if (!cx.strict) return true;
        found = true;
      }
    }
  }
  if (found) return true;
  return error ? null : false;
}

/** A predicate node's three-valued result for one context item. */
export function predicate(cx: Cx, n: JpNode, item: Jsonb): Tri {
  switch (n.t) {
    case "bin": {
      if (n.op === "&&" || n.op === "||") {
        const a = predicate(cx, n.l, item);
        if (n.op === "&&" && a === false) return false;
        if (n.op === "||" && a === true) return true;
        const b = predicate(cx, n.r, item);
        if (n.op === "&&") return b === false ? false : a === null || b === null ? null : true;
        return b === true ? true : a === null || b === null ? null : false;
      }
      const l = quietly(cx, n.l, item, true);
      const r = l === null ? null : quietly(cx, n.r, item, true);
      if (l === null || r === null) return null;
      return anyPair(cx, l, r, (a, b) => compareItems(cx, n.op, a, b!));
    }
    case "not": {
      const a = predicate(cx, n.arg, item);
      return a === null ? null : !a;
    }
    case "isunknown":
      return predicate(cx, n.arg, item) === null;
    case "exists": {
      const seq = quietly(cx, n.arg, item, false);
      if (seq === null) return null;
      return seq.length > 0;
    }
    case "like": {
      const l = quietly(cx, n.arg, item, true);
      if (l === null) return null;
      const re = compileRegex(n.pattern, areFlags(n.flags));
      return anyPair(cx, l, null, (a) => (typeof a === "string" ? re.test(a) : null));
    }
    case "starts": {
      const l = quietly(cx, n.arg, item, true);
      const r = quietly(cx, n.prefix, item, false);
      if (l === null || r === null || r.length !== 1 || typeof r[0] !== "string") return null;
      const p = r[0];
      return anyPair(cx, l, null, (a) => (typeof a === "string" ? a.startsWith(p) : null));
    }
    default: {
      // A non-predicate used as a filter condition: its single boolean value, else unknown.
      const seq = quietly(cx, n, item, false);
      if (seq === null || seq.length !== 1) return null;
      const v = seq[0];
      return typeof v === "boolean" ? v : null;
    }
  }
}
