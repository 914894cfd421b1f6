/**
 * @module Binding value expressions: column references (this level, then enclosing levels as
 * correlated references), literals, parameters, operators and functions through overload
 * resolution, casts, boolean logic, CASE and friends, IN/ANY/ALL, LIKE, subqueries, and
 * aggregate and window calls (collected for the query's Agg and Window nodes).
 */
import { bindSqlFunction } from "./sql_functions.ts";
import type { Datum } from "../datum.ts";
import type { Expr, FuncCall, SortBy } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { AggCall, BExpr, ScalarFn, SortKey, WinCall, WinFrame } from "../plan/mod.ts";
import {
  arrayOf,
  castDatum,
  comparator,
  elementOf,
  type EvalContext,
  isArrayType,
  Numeric,
  Oid,
  type OperatorDef,
  PgArray,
} from "../types/mod.ts";
import {
  arraySlice,
  arraySubscript,
  like,
  operatorsNamed,
  regexMatch,
  similarToEscape,
} from "../types/mod.ts";
import type { BindCtx } from "./context.ts";
import { positionalArgs } from "./named_args.ts";
import { coerce, commonType, typeName, withPosition } from "./coerce.ts";
import { declaredArgs, scalarCandidates, wantsTypes } from "./functions.ts";
import { notePermFunction } from "./permissions.ts";
import { procForAggregate, procForCall } from "./proc_catalog.ts";
import { resolvePolymorphic, selectCandidate } from "./resolve.ts";
import { resolveType } from "./typename.ts";
import {
  aggregateResultType,
  isAggregate,
  isWindowFunction,
  orderedSetAggregates,
  windowResultType,
} from "./aggs.ts";
import { bindSubquery } from "./select.ts";

const boolT = Oid.bool;

function err(code: typeof SqlState[keyof typeof SqlState], msg: string, loc: number): DbError {
  return new DbError(code, msg, { position: loc + 1 });
}

/** Binds an expression that must be boolean (WHERE, HAVING, ON, CHECK). */
export function bindBool(c: BindCtx, e: Expr, clause: string): BExpr {
  const b = bindExpr(c, e);
  if (b.type === boolT) return b;
  if (b.type === Oid.unknown || b.k === "param") {
    return coerce(c, b, boolT, -1, "implicit", e.location);
  }
  throw err(
    SqlState.datatypeMismatch,
    `argument of ${clause} must be type boolean, not type ${typeName(c, b.type)}`,
    e.location,
  );
}

/** Binds a value expression. */
export function bindExpr(c: BindCtx, e: Expr): BExpr {
  switch (e.kind) {
    case "column_ref":
      return bindColumnRef(c, e.names, e.star, e.location);
    case "param": {
      const t = c.env.paramTypes[e.number - 1] ?? 0;
      if (c.env.paramTypes.length < e.number) {
        while (c.env.paramTypes.length < e.number) c.env.paramTypes.push(0);
      }
      return { k: "param", type: t === 0 ? Oid.unknown : t, typmod: -1, n: e.number };
    }
    case "integer":
      return { k: "const", type: Oid.int4, typmod: -1, value: e.value };
    case "numeric": {
      if (/^-?\d+$/.test(e.value)) {
        const v = BigInt(e.value);
        if (v >= -2147483648n && v <= 2147483647n) {
          return { k: "const", type: Oid.int4, typmod: -1, value: Number(v) };
        }
        if (v >= -9223372036854775808n && v <= 9223372036854775807n) {
          return { k: "const", type: Oid.int8, typmod: -1, value: v };
        }
      }
      return { k: "const", type: Oid.numeric, typmod: -1, value: Numeric.parse(e.value) };
    }
    case "string":
      return { k: "const", type: Oid.unknown, typmod: -1, value: e.value };
    case "boolean":
      return { k: "const", type: boolT, typmod: -1, value: e.value };
    case "null":
      return { k: "const", type: Oid.unknown, typmod: -1, value: null };
    case "type_cast": {
      const t = resolveType(c, e.type);
      const arg = bindExpr(c, e.arg);
      // A literal's input error points at the literal, as PostgreSQL's make_const does.
      const at = e.arg.kind === "string" ? e.arg.location : e.location;
      return coerce(c, arg, t.oid, t.typmod, "explicit", at);
    }
    case "op":
      if (
        e.left === null && e.op === "-" &&
        (e.right.kind === "integer" || e.right.kind === "numeric")
      ) {
        // A negative literal is one constant, as PostgreSQL's grammar folds it (-2147483648 is int4).
        const text = `-${e.right.value}`;
        if (/^-\d+$/.test(text)) {
          const v = BigInt(text);
          if (v >= -2147483648n) {
            return { k: "const", type: Oid.int4, typmod: -1, value: Number(v) };
          }
          if (v >= -9223372036854775808n) {
            return { k: "const", type: Oid.int8, typmod: -1, value: v };
          }
        }
        return { k: "const", type: Oid.numeric, typmod: -1, value: Numeric.parse(text) };
      }
      if (e.left?.kind === "row" && e.right.kind === "row") {
        return bindRowCompare(c, e.op, e.left.args, e.right.args, e.location);
      }
      if (e.left?.kind === "row" && e.right.kind === "sublink" && e.right.type === "expr") {
        return bindSubquery(c, { ...e.right, type: "any", test: e.left, op: e.op });
      }
      return bindOp(c, e.op, e.left ? bindExpr(c, e.left) : null, bindExpr(c, e.right), e.location);
    case "bool": {
      if (e.op === "not") {
        return { k: "not", type: boolT, typmod: -1, arg: bindBool(c, e.args[0]!, "NOT") };
      }
      const name = e.op.toUpperCase();
      return { k: e.op, type: boolT, typmod: -1, args: e.args.map((a) => bindBool(c, a, name)) };
    }
    case "null_test":
      return { k: "nulltest", type: boolT, typmod: -1, arg: bindExpr(c, e.arg), not: e.not };
    case "boolean_test":
      return {
        k: "booltest",
        type: boolT,
        typmod: -1,
        arg: bindBool(c, e.arg, "IS TRUE"),
        test: e.test,
        not: e.not,
      };
    case "distinct": {
      // a IS DISTINCT FROM b: NOT (a = b) with NULLs as values.
      const eq = bindOp(c, "=", bindExpr(c, e.left), bindExpr(c, e.right), e.location);
      const call = eq as Extract<BExpr, { k: "call" }>;
      const fn = call.fn;
      const nd: ScalarFn = ([a, b], ctx) => {
        if (a === null || b === null) return (a === null) === (b === null) ? e.not : !e.not;
        return (fn([a!, b!], ctx) === true) === e.not;
      };
      return {
        ...call,
        name: "distinct",
        fn: nd,
        strict: false,
        op: e.not ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM",
      };
    }
    case "between": {
      const arg = bindExpr(c, e.arg);
      const lo = bindExpr(c, e.low);
      const hi = bindExpr(c, e.high);
      let r: BExpr = {
        k: "and",
        type: boolT,
        typmod: -1,
        args: [bindOp(c, ">=", arg, lo, e.location), bindOp(c, "<=", arg, hi, e.location)],
      };
      if (e.symmetric) {
        r = {
          k: "or",
          type: boolT,
          typmod: -1,
          args: [r, {
            k: "and",
            type: boolT,
            typmod: -1,
            args: [bindOp(c, ">=", arg, hi, e.location), bindOp(c, "<=", arg, lo, e.location)],
          }],
        };
      }
      return e.not ? { k: "not", type: boolT, typmod: -1, arg: r } : r;
    }
    case "in_list": {
      const arg = bindExpr(c, e.arg);
      const items = e.list.map((x) => bindOp(c, "=", arg, bindExpr(c, x), x.location));
      const r: BExpr = items.length === 1
        ? items[0]!
        : { k: "or", type: boolT, typmod: -1, args: items };
      return e.not ? { k: "not", type: boolT, typmod: -1, arg: r } : r;
    }
    case "like":
      return bindLike(c, e);
    case "op_any_all": {
      const left = bindExpr(c, e.left);
      let right = bindExpr(c, e.right);
      if (right.type === Oid.unknown && right.k === "const") {
        const at = left.type === Oid.unknown ? Oid.textArray : arrayOf(left.type);
        right = coerce(c, right, at, -1, "implicit", e.right.location);
      }
      if (!isArrayType(right.type)) {
        throw err(
          SqlState.wrongObjectType,
          "op ANY/ALL (array) requires array on right side",
          e.location,
        );
      }
      const elem = { k: "const", type: elementOf(right.type), typmod: -1, value: null } as BExpr;
      const op = bindOp(c, e.op, left, elem, e.location) as Extract<BExpr, { k: "call" }>;
      return {
        k: "anyall",
        type: boolT,
        typmod: -1,
        left: op.args[0]!,
        right,
        all: e.quantifier === "all",
        fn: op.fn,
        op: e.op,
      };
    }
    case "sublink":
      return bindSubquery(c, e);
    case "func_call":
      return bindFunc(c, e);
    case "named_arg":
      throw err(SqlState.featureNotSupported, "named arguments are not supported", e.location);
    case "case":
      return bindCase(c, e);
    case "array": {
      const elems = e.elements.map((x) => bindExpr(c, x));
      if (elems.length === 0) {
        return { k: "array", type: Oid.textArray, typmod: -1, elems };
      }
      const t = commonType(c, elems, "ARRAY");
      const typed = elems.map((x, i) => coerce(c, x, t, -1, "implicit", e.elements[i]!.location));
      const at = isArrayType(t) ? t : arrayOf(t) || c.env.catalog.typeByOid(t)?.arrayOid || 0;
      return { k: "array", type: at, typmod: -1, elems: typed };
    }
    case "row":
      return { k: "row", type: Oid.record, typmod: -1, args: e.args.map((a) => bindExpr(c, a)) };
    case "coalesce": {
      const args = e.args.map((a) => bindExpr(c, a));
      const t = commonType(c, args, "COALESCE", e.args.map((a) => a.location));
      return {
        k: "coalesce",
        type: t,
        typmod: -1,
        args: args.map((a, i) => coerce(c, a, t, -1, "implicit", e.args[i]!.location)),
      };
    }
    case "min_max": {
      const args = e.args.map((a) => bindExpr(c, a));
      const name = e.op.toUpperCase();
      const t = commonType(c, args, name, e.args.map((a) => a.location));
      return {
        k: "minmax",
        type: t,
        typmod: -1,
        greatest: e.op === "greatest",
        args: args.map((a, i) => coerce(c, a, t, -1, "implicit", e.args[i]!.location)),
        cmp: comparator(t, c.env.ctx),
      };
    }
    case "nullif": {
      const l = bindExpr(c, e.left);
      const eq = bindOp(c, "=", l, bindExpr(c, e.right), e.location) as Extract<
        BExpr,
        { k: "call" }
      >;
      const fn = eq.fn;
      // NULLIF's type is its first argument's after the = operator's coercion.
      const t = eq.args[0]!.type !== Oid.unknown ? eq.args[0]!.type : Oid.text;
      return {
        k: "call",
        type: t,
        typmod: -1,
        name: "nullif",
        args: eq.args,
        strict: false,
        volatile: false,
        fn: ([a, b], ctx) =>
          a === null || b === null
            ? (a ?? null)
            : fn([a as Datum, b as Datum], ctx) === true
            ? null
            : a as Datum,
      };
    }
    case "sql_value":
      return bindSqlValue(c, e.name, e.location);
    case "indirection":
      return bindIndirection(c, e);
    case "collate":
      return bindExpr(c, e.arg);
    case "at_time_zone":
      return bindFunc(c, {
        kind: "func_call",
        name: ["timezone"],
        args: [e.zone, e.arg],
        star: false,
        distinct: false,
        variadic: false,
        orderBy: [],
        withinGroup: false,
        filter: null,
        over: null,
        syntax: "sql",
        location: e.location,
      });
    case "grouping":
      return { k: "grouping", type: Oid.int4, typmod: -1, args: e.args.map((a) => bindExpr(c, a)) };
    case "default":
      return { k: "default", type: Oid.unknown, typmod: -1 };
    case "bit_string":
      throw err(SqlState.featureNotSupported, "bit strings are not supported", e.location);
  }
}

/** A FROM item named as a value (`row_to_json(t)`, `json_agg(t)`): a row of its columns. */
function wholeRow(c: BindCtx, alias: string, location: number): BExpr | undefined {
  for (let x: BindCtx | null = c; x !== null; x = x.parent) {
    if (!x.scope.hasAlias(alias)) continue;
    const cols = x.scope.star(alias, location);
    if (x.scope.itemByAlias(alias)?.scalarFunction && cols.length === 1) {
      return bindColumnRef(c, [alias, cols[0]!.name], false, location);
    }
    const args = cols.map((s) => bindColumnRef(c, [alias, s.name], false, location));
    return { k: "row", type: Oid.record, typmod: -1, args, names: cols.map((s) => s.name) };
  }
  return undefined;
}

function bindColumnRef(c: BindCtx, names: string[], star: boolean, location: number): BExpr {
  if (star && names.length === 1) {
    const r = wholeRow(c, names[0]!, location);
    if (r !== undefined) return r;
  }
  if (star) {
    throw err(SqlState.featureNotSupported, "row-valued * is not supported here", location);
  }
  let level = 0;
  for (let x: BindCtx | null = c; x !== null; x = x.parent, level++) {
    const found = x.scope.lookup(names, location);
    if (found === undefined) continue;
    if (level === 0) return found;
    for (let y: BindCtx | null = c, i = 0; y !== null && i < level; y = y.parent, i++) {
      y.correlated = true;
    }
    const col = found as Extract<BExpr, { k: "col" }>;
    return {
      k: "outer",
      type: col.type,
      typmod: col.typmod,
      level,
      index: col.index,
      name: col.name,
    };
  }
  if (names.length === 1) {
    const r = wholeRow(c, names[0]!, location);
    if (r !== undefined) return r;
  }
  if (names.length >= 2) {
    const rel = names[names.length - 2]!;
    let known = false;
    for (let x: BindCtx | null = c; x !== null; x = x.parent) {
      if (x.scope.hasAlias(rel)) known = true;
    }
    if (!known) {
      throw err(SqlState.undefinedTable, `missing FROM-clause entry for table "${rel}"`, location);
    }
  }
  throw err(SqlState.undefinedColumn, `column ${names.join(".")} does not exist`, location);
}

interface OpCand {
  args: number[];
  def: OperatorDef;
}
const opCache = new Map<string, OpCand[]>();

function opCandidates(name: string, prefix: boolean): OpCand[] {
  const key = `${prefix ? "p" : "b"}${name}`;
  let list = opCache.get(key);
  if (list === undefined) {
    list = operatorsNamed(name)
      .filter((d) => (d.left === 0) === prefix)
      .map((d) => ({ args: prefix ? [d.right] : [d.left, d.right], def: d }));
    opCache.set(key, list);
  }
  return list;
}

/** Binds `left op right` (left null: prefix) through operator resolution. */
export function bindOp(
  c: BindCtx,
  op: string,
  left: BExpr | null,
  right: BExpr,
  location: number,
): BExpr {
  const args = left === null ? [right] : [left, right];
  let types = args.map((a) => a.type);
  // Two unknowns compare as text, as PostgreSQL resolves 'a' = 'b'.
  if (types.every((t) => t === Oid.unknown)) types = types.map(() => Oid.text);
  const pick = selectCandidate(opCandidates(op, left === null), types);
  if (pick === undefined) {
    const sig = left === null
      ? `${op} ${typeName(c, right.type)}`
      : `${typeName(c, left.type)} ${op} ${typeName(c, right.type)}`;
    throw new DbError(SqlState.undefinedFunction, `operator does not exist: ${sig}`, {
      position: location + 1,
      hint:
        "No operator matches the given name and argument types. You might need to add explicit type casts.",
    });
  }
  const d = pick.cand.def;
  const poly = resolvePolymorphic(pick.declared, types, d.result);
  const bound = args.map((a, i) => coerce(c, a, poly.args[i]!, -1, "implicit", location));
  const argTypes = bound.map((b) => b.type);
  const impl = d.impl;
  const fn: ScalarFn = left === null
    ? ([a], ctx) => impl(a!, null, ctx, argTypes)
    : ([a, b], ctx) => impl(a!, b!, ctx, argTypes);
  return {
    k: "call",
    type: poly.result,
    typmod: -1,
    name: d.code,
    fn,
    args: bound,
    strict: d.strict,
    volatile: false,
    op,
  };
}

/** Row comparison `(a, b) op (c, d)`: = is AND of =, <> is OR of <>, orderings are lexicographic. */
function bindRowCompare(
  c: BindCtx,
  op: string,
  left: Expr[],
  right: Expr[],
  location: number,
): BExpr {
  if (left.length !== right.length) {
    throw err(SqlState.syntaxError, "unequal number of entries in row expressions", location);
  }
  const pair = (o: string, i: number) =>
    bindOp(c, o, bindExpr(c, left[i]!), bindExpr(c, right[i]!), location);
  const n = left.length;
  const b = (args: BExpr[], k: "and" | "or"): BExpr =>
    args.length === 1 ? args[0]! : { k, type: boolT, typmod: -1, args };
  if (op === "=") return b(left.map((_, i) => pair("=", i)), "and");
  if (op === "<>") return b(left.map((_, i) => pair("<>", i)), "or");
  if (!["<", "<=", ">", ">="].includes(op)) {
    throw err(SqlState.featureNotSupported, `row comparison with ${op} is not supported`, location);
  }
  // a < b lexicographically: (a1 < b1) OR (a1 = b1 AND rest); the last element uses op itself.
  const strict = op[0]!;
  const build = (i: number): BExpr => {
    if (i === n - 1) return pair(op, i);
    return b([pair(strict, i), b([pair("=", i), build(i + 1)], "and")], "or");
  };
  return build(0);
}

function bindLike(c: BindCtx, e: Extract<Expr, { kind: "like" }>): BExpr {
  const arg = coerce(c, bindExpr(c, e.arg), Oid.text, -1, "implicit", e.arg.location);
  const pat = coerce(c, bindExpr(c, e.pattern), Oid.text, -1, "implicit", e.pattern.location);
  const esc = e.escape
    ? coerce(c, bindExpr(c, e.escape), Oid.text, -1, "implicit", e.location)
    : null;
  const ci = e.op === "ilike";
  const not = e.not;
  let fn: ScalarFn;
  if (e.op === "similar") {
    fn = ([a, p, x]) => {
      const re = similarToEscape(p as string, esc ? (x as string | null) : "\\");
      return regexMatch(a as string, re) !== not;
    };
  } else {
    fn = ([a, p, x]) => like(a as string, p as string, esc ? (x as string) : "\\", ci) !== not;
  }
  const opName = e.op === "like" ? "~~" : e.op === "ilike" ? "~~*" : "SIMILAR TO";
  return {
    k: "call",
    type: boolT,
    typmod: -1,
    name: e.op,
    fn,
    args: esc ? [arg, pat, esc] : [arg, pat],
    strict: true,
    volatile: false,
    op: not ? `!${opName}` : opName,
  };
}

function bindCase(c: BindCtx, e: Extract<Expr, { kind: "case" }>): BExpr {
  const arg = e.arg ? bindExpr(c, e.arg) : null;
  const conds = e.whens.map((w) =>
    arg
      ? bindOp(c, "=", arg, bindExpr(c, w.condition), w.location)
      : bindBool(c, w.condition, "CASE/WHEN")
  );
  const results = e.whens.map((w) => bindExpr(c, w.result));
  const dflt = e.default ? bindExpr(c, e.default) : null;
  // transformCaseExpr resolves the ELSE result first, then the THEN results in order.
  const all = dflt ? [dflt, ...results] : results;
  const thenLocs = e.whens.map((w) => w.result.location);
  const locs = dflt ? [e.default!.location, ...thenLocs] : thenLocs;
  const t = commonType(c, all, "CASE", locs);
  return {
    k: "case",
    type: t,
    typmod: -1,
    ...(arg ? { arg } : {}),
    whens: conds.map((cond, i) => ({
      cond,
      result: coerce(c, results[i]!, t, -1, "implicit", e.whens[i]!.result.location),
    })),
    else: dflt ? coerce(c, dflt, t, -1, "implicit", e.default!.location) : null,
  };
}

function bindSqlValue(c: BindCtx, name: string, location: number): BExpr {
  const e = bindSqlValueExpr(c, name, location);
  return e.k === "call" || e.k === "cast" ? { ...e, sql: name.toUpperCase() } : e;
}

function bindSqlValueExpr(_c: BindCtx, name: string, location: number): BExpr {
  const call = (n: string, type: number, fn: ScalarFn): BExpr => ({
    k: "call",
    type,
    typmod: -1,
    name: n,
    fn,
    args: [],
    strict: false,
    volatile: true,
  });
  switch (name) {
    case "current_date":
      return {
        k: "cast",
        type: Oid.date,
        typmod: -1,
        explicit: true,
        arg: call("now", Oid.timestamptz, (_a, ctx) => ctx.transactionStart),
      };
    case "current_timestamp":
    case "localtimestamp":
      return call(
        "now",
        name === "localtimestamp" ? Oid.timestamp : Oid.timestamptz,
        (_a, ctx) =>
          name === "localtimestamp"
            ? castDatum(ctx.transactionStart, Oid.timestamptz, Oid.timestamp, ctx)
            : ctx.transactionStart,
      );
    case "current_time":
    case "localtime":
      return {
        k: "cast",
        type: name === "localtime" ? Oid.time : Oid.timetz,
        typmod: -1,
        explicit: true,
        arg: call("now", Oid.timestamptz, (_a, ctx) => ctx.transactionStart),
      };
    case "current_user":
    case "current_role":
    case "user":
      return call(name, Oid.name, (_a, ctx) => ctx.currentUser());
    case "session_user":
      return call(name, Oid.name, (_a, ctx) => ctx.sessionUser?.() ?? ctx.currentUser());
    case "current_catalog":
      return call(
        name,
        Oid.name,
        (_a, ctx) => (ctx as unknown as { databaseName: string }).databaseName,
      );
    case "current_schema":
      return call(name, Oid.name, (_a, ctx) => ctx.currentSchema());
  }
  throw err(SqlState.featureNotSupported, `${name} is not supported`, location);
}

/** int2vector and oidvector subscript like arrays of int2/oid whose first index is 0. */
function vectorAsArray(v: BExpr): BExpr {
  const type = v.type === Oid.int2vector ? Oid.int2Array : Oid.oidArray;
  return {
    k: "call",
    type,
    typmod: -1,
    name: "vector_as_array",
    strict: true,
    volatile: false,
    args: [v],
    fn: ([a]) => {
      const arr = a as PgArray;
      return new PgArray(arr.elements, arr.dims, arr.dims.map(() => 0));
    },
  };
}

function bindIndirection(c: BindCtx, e: Extract<Expr, { kind: "indirection" }>): BExpr {
  let cur = bindExpr(c, e.arg);
  const path = e.path;
  for (let p = 0; p < path.length;) {
    const step = path[p]!;
    if (step.kind !== "subscript") {
      throw err(SqlState.featureNotSupported, "field selection is not supported", step.location);
    }
    if (cur.type === Oid.jsonb || cur.type === Oid.json) {
      cur = bindOp(c, "->", cur, bindExpr(c, step.upper!), step.location);
      p++;
      continue;
    }
    if (cur.type === Oid.int2vector || cur.type === Oid.oidvector) cur = vectorAsArray(cur);
    if (!isArrayType(cur.type)) {
      throw err(
        SqlState.datatypeMismatch,
        `cannot subscript type ${typeName(c, cur.type)} because it does not support subscripting`,
        e.location,
      );
    }
    // Consecutive subscripts address one array: a[i][j], or a slice a[i:j][k:l] if any is a slice.
    const steps: Extract<typeof step, { kind: "subscript" }>[] = [];
    while (p < path.length && path[p]!.kind === "subscript") {
      steps.push(path[p] as Extract<typeof step, { kind: "subscript" }>);
      p++;
    }
    const int = (x: Expr | null) =>
      x === null ? null : coerce(c, bindExpr(c, x), Oid.int4, -1, "implicit", x.location);
    const slice = steps.some((s) => s.slice);
    const lowers = steps.map((s) => int(s.slice ? s.lower : null));
    const uppers = steps.map((s) => int(s.upper));
    const arr = cur;
    const n = steps.length;
    const args: BExpr[] = [arr];
    for (let k = 0; k < n; k++) {
      args.push(lowers[k] ?? { k: "const", type: Oid.int4, typmod: -1, value: null });
      args.push(uppers[k] ?? { k: "const", type: Oid.int4, typmod: -1, value: null });
    }
    cur = {
      k: "call",
      type: slice ? arr.type : elementOf(arr.type),
      typmod: -1,
      name: slice ? "array_slice" : "array_subscript",
      strict: false,
      volatile: false,
      args,
      fn: (vals) => {
        const a = vals[0] as PgArray | null;
        if (a === null) return null;
        const lo: (number | null)[] = [];
        const hi: (number | null)[] = [];
        for (let k = 0; k < n; k++) {
          lo.push(vals[1 + 2 * k] as number | null);
          hi.push(vals[2 + 2 * k] as number | null);
        }
        if (!slice) {
          if (hi.some((x) => x === null)) return null;
          return arraySubscript(a, hi as number[]);
        }
        // A plain subscript inside a slice means 1:i, as in PostgreSQL.
        const lower = steps.map((s, k) => (s.slice ? lo[k]! : 1));
        return arraySlice(a, lower, hi);
      },
    };
  }
  return cur;
}

/** Binds a function call: aggregates and window calls are collected; others resolved. */
export function bindFunc(c: BindCtx, e: FuncCall): BExpr {
  const inlined = bindSqlFunction(c, e);
  if (inlined !== undefined) return inlined;
  const name = e.name[e.name.length - 1]!;
  if (e.over !== null) return bindWindowCall(c, e, name);
  if (isAggregate(name)) return bindAggCall(c, e, name);
  if (e.star) {
    throw err(
      SqlState.wrongObjectType,
      `${name}(*) specified, but ${name} is not an aggregate function`,
      e.location,
    );
  }
  const srcArgs = positionalArgs(e, name);
  let args = srcArgs.map((a) => bindExpr(c, a));
  if (
    (name === "enum_range" || name === "enum_first" || name === "enum_last") && args.length === 1
  ) {
    const et = c.env.catalog.typeByOid(args[0]!.type);
    if (et !== undefined && et.oid === args[0]!.type) {
      const labels = et.labels;
      const value = name === "enum_range"
        ? PgArray.of([...labels])
        : name === "enum_first"
        ? labels[0] ?? null
        : labels[labels.length - 1] ?? null;
      return { k: "const", type: name === "enum_range" ? et.arrayOid : et.oid, typmod: -1, value };
    }
  }
  if (name === "pg_typeof" && args.length === 1) {
    return { k: "const", type: Oid.regtype, typmod: -1, value: args[0]!.type };
  }
  const cands = scalarCandidates(name);
  const pick = cands.length === 0 ? undefined : selectCandidate(cands, args.map((a) => a.type));
  if (pick === undefined) {
    const sig = `${e.name.join(".")}(${args.map((a) => typeName(c, a.type)).join(", ")})`;
    throw new DbError(SqlState.undefinedFunction, `function ${sig} does not exist`, {
      position: e.location + 1,
      hint:
        "No function matches the given name and argument types. You might need to add explicit type casts.",
    });
  }
  const d = pick.cand;
  notePermFunction(c.env.perms, procForCall(name, declaredArgs(d))?.oid);
  const poly = resolvePolymorphic(pick.declared, args.map((a) => a.type), d.result);
  args = args.map((a, i) => {
    const t = poly.args[i]!;
    if (t === Oid.any) {
      if (wantsTypes(d)) {
        return a.type === Oid.unknown
          ? coerce(c, a, Oid.text, -1, "implicit", (srcArgs[i] ?? e).location)
          : a;
      }
      return a.type === Oid.text
        ? a
        : coerce(c, a, Oid.text, -1, "explicit", (srcArgs[i] ?? e).location);
    }
    return coerce(c, a, t, -1, "implicit", (srcArgs[i] ?? e).location);
  });
  const fn = d.fn;
  const types = args.map((a) => a.type);
  const typed = wantsTypes(d);
  const call = typed
    ? (a: Datum[], ctx: EvalContext) =>
      (fn as unknown as (a: Datum[], c: EvalContext, t: number[]) => Datum)(a, ctx, types)
    : fn;
  return {
    k: "call",
    type: poly.result,
    typmod: -1,
    name,
    fn: (a, ctx) => withPosition(() => call(a, ctx), e.location),
    args,
    strict: d.strict,
    volatile: d.volatile,
  };
}

function bindAggCall(c: BindCtx, e: FuncCall, name: string): BExpr {
  if (c.aggs === null) {
    const where = c.clause || "this context";
    throw err(
      SqlState.groupingError,
      `aggregate functions are not allowed in ${where}`,
      e.location,
    );
  }
  const saved = c.aggs;
  c.aggs = null; // no nested aggregates
  c.clause = "aggregate function calls";
  const savedWin = c.windows;
  c.windows = null;
  c.inAgg = true;
  let args = e.args.map((a) => bindExpr(c, a));
  args = args.map((a) =>
    a.type === Oid.unknown ? coerce(c, a, Oid.text, -1, "implicit", e.location) : a
  );
  const filter = e.filter ? bindBool(c, e.filter, "FILTER") : null;
  const orderBy = e.orderBy.map((s) => bindSortKey(c, s));
  if (orderedSetAggregates.has(name) || e.withinGroup) {
    args = orderedSetArgs(c, e, name, args, orderBy);
  }
  c.aggs = saved;
  c.windows = savedWin;
  c.inAgg = false;
  c.clause = "";
  const argTypes = args.map((a) => a.type);
  const type = withPosition(() => aggregateResultType(name, argTypes, e.star), e.location);
  notePermFunction(c.env.perms, procForAggregate(name, argTypes)?.oid);
  const agg: AggCall = {
    name,
    args,
    distinct: e.distinct,
    star: e.star,
    filter,
    orderBy,
    type,
    argTypes,
  };
  saved.push(agg);
  return { k: "agg", type, typmod: -1, agg };
}

/**
 * The arguments of an ordered-set aggregate: the direct arguments (fractions as float8) and then
 * the WITHIN GROUP value, which the executor's per-group sort puts in order.
 */
function orderedSetArgs(
  c: BindCtx,
  e: FuncCall,
  name: string,
  args: BExpr[],
  orderBy: SortKey[],
): BExpr[] {
  if (!e.withinGroup) {
    throw err(
      SqlState.wrongObjectType,
      `WITHIN GROUP is required for ordered-set aggregate ${name}`,
      e.location,
    );
  }
  if (!orderedSetAggregates.has(name)) {
    throw err(
      SqlState.wrongObjectType,
      `${name} is not an ordered-set aggregate, so it cannot have WITHIN GROUP`,
      e.location,
    );
  }
  const direct = name === "mode"
    ? args
    : args.map((a) => coerce(c, a, Oid.float8, -1, "implicit", e.location));
  let value = orderBy.length === 1 ? orderBy[0]!.expr : undefined;
  const expected = name === "mode" ? 0 : 1;
  if (value === undefined || direct.length !== expected) {
    const types = [...direct, ...orderBy.map((k) => k.expr)].map((a) => typeName(c, a.type));
    throw err(
      SqlState.undefinedFunction,
      `function ${name}(${types.join(", ")}) does not exist`,
      e.location,
    );
  }
  if (value.type === Oid.unknown) value = coerce(c, value, Oid.text, -1, "implicit", e.location);
  if (name === "percentile_cont" && value.type !== Oid.interval) {
    value = coerce(c, value, Oid.float8, -1, "implicit", e.location);
  }
  return [...direct, value];
}

/** Binds one ORDER BY key over the current scope. */
export function bindSortKey(c: BindCtx, s: SortBy, bound?: BExpr): SortKey {
  const expr = bound ?? bindExpr(c, s.expr);
  const t = expr.type === Oid.unknown ? Oid.text : expr.type;
  const desc = s.direction === "desc";
  const nullsFirst = s.nulls === "default" ? desc : s.nulls === "first";
  const cmp = withPosition(() => comparator(t, c.env.ctx), s.location);
  return { expr, desc, nullsFirst, cmp };
}

function resolveWindow(
  c: BindCtx,
  w: NonNullable<FuncCall["over"]>,
  location: number,
): NonNullable<FuncCall["over"]> {
  const refName = w.refName ??
    (w.name !== null && w.partitionBy.length === 0 && w.orderBy.length === 0 && w.frame === null
      ? w.name
      : null);
  if (refName === null) return w;
  let ref: NonNullable<FuncCall["over"]> | undefined;
  for (let x: BindCtx | null = c; x !== null && ref === undefined; x = x.parent) {
    ref = x.namedWindows.find((d) => d.name === refName);
  }
  if (ref === undefined) {
    throw err(SqlState.undefinedObject, `window "${refName}" does not exist`, location);
  }
  const base = resolveWindow(c, ref, location);
  return {
    ...w,
    partitionBy: base.partitionBy,
    orderBy: w.orderBy.length > 0 ? w.orderBy : base.orderBy,
    frame: w.frame ?? base.frame,
  };
}

function bindWindowCall(c: BindCtx, e: FuncCall, name: string): BExpr {
  if (c.inAgg) {
    throw err(
      SqlState.groupingError,
      "aggregate function calls cannot contain window function calls",
      e.location,
    );
  }
  if (c.windows === null) {
    throw err(
      SqlState.windowingError,
      `window functions are not allowed in ${c.clause || "this context"}`,
      e.location,
    );
  }
  const agg = isAggregate(name);
  if (!agg && !isWindowFunction(name)) {
    throw err(
      SqlState.wrongObjectType,
      `OVER specified, but ${name} is not a window function nor an aggregate function`,
      e.location,
    );
  }
  const w = resolveWindow(c, e.over!, e.location);
  if (w.frame?.start.type === "unbounded_following") {
    throw err(
      SqlState.windowingError,
      "frame start cannot be UNBOUNDED FOLLOWING",
      w.frame.location,
    );
  }
  if (w.frame?.end?.type === "unbounded_preceding") {
    throw err(SqlState.windowingError, "frame end cannot be UNBOUNDED PRECEDING", w.frame.location);
  }
  const savedW = c.windows;
  c.windows = null;
  const args = e.args.map((a) => {
    const b = bindExpr(c, a);
    return b.type === Oid.unknown ? coerce(c, b, Oid.text, -1, "implicit", a.location) : b;
  });
  const partitionBy = w.partitionBy.map((p) => bindExpr(c, p));
  const orderBy = w.orderBy.map((s) => bindSortKey(c, s));
  const frame: WinFrame = w.frame
    ? {
      mode: w.frame.mode,
      start: {
        type: w.frame.start.type,
        offset: w.frame.start.offset ? bindExpr(c, w.frame.start.offset) : null,
      },
      end: w.frame.end
        ? {
          type: w.frame.end.type,
          offset: w.frame.end.offset ? bindExpr(c, w.frame.end.offset) : null,
        }
        : { type: "current_row", offset: null },
      exclude: w.frame.exclude ?? "no_others",
      explicit: true,
    }
    : {
      mode: "range",
      start: { type: "unbounded_preceding", offset: null },
      end: { type: orderBy.length ? "current_row" : "unbounded_following", offset: null },
      exclude: "no_others",
      explicit: false,
    };
  const filter = e.filter ? bindBool(c, e.filter, "FILTER") : null;
  c.windows = savedW;
  const argTypes = args.map((a) => a.type);
  const type = agg
    ? withPosition(() => aggregateResultType(name, argTypes, e.star), e.location)
    : windowResultType(name, argTypes);
  const win: WinCall = {
    name,
    args,
    type,
    argTypes,
    partitionBy,
    orderBy,
    frame,
    isAgg: agg,
    filter,
    distinct: e.distinct,
    star: e.star,
  };
  savedW.push(win);
  return { k: "window", type, typmod: -1, win };
}
