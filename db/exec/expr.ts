/**
 * @module The expression compiler: a bound expression becomes a closure `(row, env) → Datum`,
 * built once per plan (cached by node identity) so rows never walk an AST. Three-valued logic,
 * short-circuit AND/OR/CASE/COALESCE, strict functions skip NULL arguments, and subqueries run
 * their plan with the current row pushed as the outer row.
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { BExpr, PlanNode } from "../plan/mod.ts";
import { castDatum, elementOf, PgArray } from "../types/mod.ts";
import type { Env, Row } from "./env.ts";

/** A compiled expression. */
export type Compiled = (row: Row, env: Env) => Datum;

/** How the executor runs a sub-plan (set by run.ts, to avoid an import cycle). */
export const subplanRunner: { run: (plan: PlanNode, env: Env, limit: number) => Row[] } = {
  run: () => [],
};

const cache = new WeakMap<BExpr, Compiled>();

/** Compiles (once) and returns the closure of `e`. */
export function compile(e: BExpr): Compiled {
  let c = cache.get(e);
  if (c === undefined) {
    c = build(e);
    cache.set(e, c);
  }
  return c;
}

/** Evaluates a predicate: true only for TRUE (NULL and FALSE reject). */
export function compilePredicate(e: BExpr | null): ((row: Row, env: Env) => boolean) | null {
  if (e === null) return null;
  const f = compile(e);
  return (row, env) => f(row, env) === true;
}

/** True for an expression PostgreSQL's planner folds to a NULL constant (strict over NULL). */
function isNullConst(e: BExpr): boolean {
  switch (e.k) {
    case "const":
      return e.value === null;
    case "cast":
      return isNullConst(e.arg);
    case "call":
      return e.strict && e.args.some(isNullConst);
    default:
      return false;
  }
}

function build(e: BExpr): Compiled {
  switch (e.k) {
    case "const": {
      const v = e.value;
      return () => v;
    }
    case "col": {
      const i = e.index;
      return (row) => row[i] ?? null;
    }
    case "outer": {
      const { level, index } = e;
      return (_row, env) => env.outer[env.outer.length - level]?.[index] ?? null;
    }
    case "param": {
      const i = e.n - 1;
      return (_row, env) => env.params[i] ?? null;
    }
    case "call":
      // eval_const_expressions: a strict call with a NULL constant input is NULL, unevaluated.
      if (e.strict && e.args.some(isNullConst)) return () => null;
      return buildCall(e);
    case "cast": {
      const arg = compile(e.arg);
      const src = e.arg.type;
      const { type, typmod, explicit } = e;
      return (row, env) => {
        const v = arg(row, env);
        return v === null ? null : castDatum(v, src, type, env.ctx, { typmod, explicit });
      };
    }
    case "and": {
      const args = e.args.map(compile);
      return (row, env) => {
        let sawNull = false;
        for (const a of args) {
          const v = a(row, env);
          if (v === false) return false;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : true;
      };
    }
    case "or": {
      const args = e.args.map(compile);
      return (row, env) => {
        let sawNull = false;
        for (const a of args) {
          const v = a(row, env);
          if (v === true) return true;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : false;
      };
    }
    case "not": {
      const a = compile(e.arg);
      return (row, env) => {
        const v = a(row, env);
        return v === null ? null : !v;
      };
    }
    case "case": {
      const whens = e.whens.map((w) => [compile(w.cond), compile(w.result)] as const);
      const els = e.else ? compile(e.else) : null;
      return (row, env) => {
        for (const [c, r] of whens) if (c(row, env) === true) return r(row, env);
        return els ? els(row, env) : null;
      };
    }
    case "coalesce": {
      const args = e.args.map(compile);
      return (row, env) => {
        for (const a of args) {
          const v = a(row, env);
          if (v !== null) return v;
        }
        return null;
      };
    }
    case "minmax": {
      const args = e.args.map(compile);
      const { cmp, greatest } = e;
      return (row, env) => {
        let best: Datum = null;
        for (const a of args) {
          const v = a(row, env);
          if (v === null) continue;
          if (best === null || (greatest ? cmp(v, best) > 0 : cmp(v, best) < 0)) best = v;
        }
        return best;
      };
    }
    case "nulltest": {
      const a = compile(e.arg);
      const not = e.not;
      if (e.arg.type === 2249) {
        // A row IS NULL when every field is; IS NOT NULL when none is.
        return (row, env) => {
          const v = a(row, env) as Datum[] | null;
          if (v === null) return !not;
          return not ? v.every((x) => x !== null) : v.every((x) => x === null);
        };
      }
      return (row, env) => (a(row, env) === null) !== not;
    }
    case "booltest": {
      const a = compile(e.arg);
      const { test, not } = e;
      return (row, env) => {
        const v = a(row, env);
        const r = test === "unknown" ? v === null : test === "true" ? v === true : v === false;
        return not ? !r : r;
      };
    }
    case "anyall": {
      const l = compile(e.left);
      const r = compile(e.right);
      const { fn, all } = e;
      return (row, env) => {
        const x = l(row, env);
        const arr = r(row, env);
        if (arr === null) return null;
        return quantify(x, (arr as PgArray).elements, all, (y) => fn([x, y], env.ctx));
      };
    }
    case "sublink":
      return buildSublink(e);
    case "array": {
      const elems = e.elems.map(compile);
      const nested = elementOf(e.type) !== 0 && e.elems.length > 0 && e.elems[0]!.type === e.type;
      return (row, env) => {
        const vals = elems.map((f) => f(row, env));
        if (nested) return nestArrays(vals as (PgArray | null)[]);
        return PgArray.of(vals);
      };
    }
    case "row": {
      const args = e.args.map(compile);
      const names = e.names;
      const types = e.args.map((a) => a.type);
      if (names === undefined) return (row, env) => args.map((a) => a(row, env));
      // Record-to-JSON functions read the field names of the row just built (recordColumns).
      return (row, env) => {
        const ctx = env.ctx as { currentRecordNames?: string[]; currentRecordTypes?: number[] };
        ctx.currentRecordNames = names;
        ctx.currentRecordTypes = types;
        return args.map((a) => a(row, env));
      };
    }
    case "grouping": {
      // Bound over the Agg node's output: the last column is the grouping-set bitmask source.
      const idx = e.args.map((a) => (a.k === "const" ? a.value as number : -1));
      return (row) => {
        const mask = row[row.length - 1] as number;
        let r = 0;
        for (const i of idx) r = (r << 1) | ((mask >> i) & 1);
        return r;
      };
    }
    case "default":
      return () => null;
    case "agg":
    case "window":
      throw new DbError(SqlState.internalError, `unplanned ${e.k} expression`);
  }
}

function buildCall(e: Extract<BExpr, { k: "call" }>): Compiled {
  const fn = e.fn;
  const args = e.args.map(compile);
  const strict = e.strict;
  if (args.length === 2) {
    const [a, b] = args as [Compiled, Compiled];
    return (row, env) => {
      const x = a(row, env);
      const y = b(row, env);
      if (strict && (x === null || y === null)) return null;
      return fn([x, y], env.ctx);
    };
  }
  if (args.length === 1) {
    const a = args[0]!;
    return (row, env) => {
      const x = a(row, env);
      if (strict && x === null) return null;
      return fn([x], env.ctx);
    };
  }
  return (row, env) => {
    const vals = args.map((a) => a(row, env));
    if (strict) { for (const v of vals) if (v === null) return null; }
    return fn(vals, env.ctx);
  };
}

function quantify(x: Datum, items: Datum[], all: boolean, test: (y: Datum) => Datum): Datum {
  let sawNull = false;
  for (const y of items) {
    const r = x === null || y === null ? null : test(y);
    if (r === null) sawNull = true;
    else if (all && r === false) return false;
    else if (!all && r === true) return true;
  }
  if (sawNull) return null;
  return all;
}

function buildSublink(e: Extract<BExpr, { k: "sublink" }>): Compiled {
  const { plan, sub, correlated } = e;
  const limit = sub === "exists" ? 1 : sub === "expr" ? 2 : Infinity;
  const rows = (row: Row, env: Env): Row[] => {
    if (!correlated) {
      let r = env.subCache.get(e) as Row[] | undefined;
      if (r === undefined) {
        env.outer.push(row);
        try {
          r = subplanRunner.run(plan, env, limit);
        } finally {
          env.outer.pop();
        }
        env.subCache.set(e, r);
      }
      return r;
    }
    env.outer.push(row);
    try {
      return subplanRunner.run(plan, env, limit);
    } finally {
      env.outer.pop();
    }
  };
  switch (sub) {
    case "exists":
      return (row, env) => rows(row, env).length > 0;
    case "expr":
      return (row, env) => {
        const r = rows(row, env);
        if (r.length > 1) {
          throw new DbError(
            SqlState.cardinalityViolation,
            "more than one row returned by a subquery used as an expression",
          );
        }
        return r.length === 0 ? null : r[0]![0] ?? null;
      };
    case "array":
      return (row, env) => PgArray.of(rows(row, env).map((r) => r[0] ?? null));
    case "any":
    case "all": {
      if (e.rowTests !== undefined) {
        const tests = e.rowTests.map((x) =>
          [compile(x.args[0]!), compile(x.args[1]!), x.fn] as const
        );
        const all = sub === "all";
        return (row, env) => {
          const lefts = tests.map(([l]) => l(row, env));
          let sawNull = false;
          for (const r of rows(row, env)) {
            let res: Datum = true;
            for (let i = 0; i < tests.length; i++) {
              const [, rf, fn] = tests[i]!;
              const x = lefts[i]!;
              const y = rf(r, env);
              const v = x === null || y === null ? null : fn([x, y], env.ctx);
              if (v === false) {
                res = false;
                break;
              }
              if (v === null) res = null;
            }
            if (res === null) sawNull = true;
            else if (all && res === false) return false;
            else if (!all && res === true) return true;
          }
          return sawNull ? null : all;
        };
      }
      const test = e.test as Extract<BExpr, { k: "call" }>;
      const left = compile(test.args[0]!);
      const right = compile(test.args[1]!);
      const fn = test.fn;
      const all = sub === "all";
      return (row, env) => {
        const x = left(row, env);
        const items = rows(row, env).map((r) => right(r, env));
        return quantify(x, items, all, (y) => fn([x, y], env.ctx));
      };
    }
  }
}

/**
 * ARRAY[sub, sub, …] of arrays (ExecEvalArrayExpr): NULL or empty members make the result empty
 * only when all are so; otherwise every member must have the same dimensions (2202E).
 */
function nestArrays(subs: (PgArray | null)[]): PgArray {
  const parts: PgArray[] = [];
  let haveEmpty = false;
  const mismatch = () =>
    new DbError(
      SqlState.arraySubscriptError,
      "multidimensional arrays must have array expressions with matching dimensions",
    );
  for (const s of subs) {
    if (s === null || s.elements.length === 0) {
      haveEmpty = true;
      continue;
    }
    const first = parts[0];
    if (
      first !== undefined &&
      (first.dims.length !== s.dims.length ||
        first.dims.some((d, i) => d !== s.dims[i] || first.lbounds[i] !== s.lbounds[i]))
    ) throw mismatch();
    parts.push(s);
  }
  if (parts.length === 0) return PgArray.of([]);
  if (haveEmpty) throw mismatch();
  const inner = parts[0]!;
  return new PgArray(parts.flatMap((s) => s.elements), [parts.length, ...inner.dims], [
    1,
    ...inner.lbounds,
  ]);
}
