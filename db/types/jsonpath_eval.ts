/**
 * @module SQL/JSON path evaluation (PostgreSQL 15's jsonpath_exec.c) over jsonb trees, depth
 * first as PostgreSQL runs it: each item goes through the rest of the path before the next one,
 * so a suppressed error (`silent`) leaves the items already found. Lax mode unwraps and wraps
 * arrays and is silent about structural errors; strict mode raises them (but not after `.**`);
 * arithmetic, item methods and variables raise PostgreSQL's SQLSTATEs. Predicates live in
 * jsonpath_pred.ts, keyvalue ids in jsonpath_ids.ts.
 */
import { DbError, SqlState, type SqlStateCode } from "../sqlstate.ts";
import { parseFloat8 } from "./float.ts";
import { isJsonbObject, type Jsonb, jsonbKeys, jsonbNull } from "./json.ts";
import { Numeric } from "./numeric.ts";
import { type JpAccessor, jpLast, type JpNode, parseJsonPath } from "./jsonpath_parse.ts";
import { predicate } from "./jsonpath_pred.ts";
import { KeyValueIds } from "./jsonpath_ids.ts";
import {
  checkJpDatetimeTemplate,
  JpDatetime,
  parseJpDatetime,
  parseJpDatetimeTemplate,
} from "./jsonpath_datetime.ts";
import type { Zone } from "./timezone.ts";

/** Options of one path evaluation. */
export interface JsonPathOptions {
  /** The `vars` argument: a jsonb object (or undefined for none, as the operators pass). */
  vars?: Jsonb;
  /** Suppress errors (the `silent` argument, and the @? / @@ operators). */
  silent?: boolean;
  /** The session TimeZone, for the `_tz` functions' datetime comparisons. */
  zone?: Zone;
}

/** Thrown in place of a suppressible error when errors are not being raised. */
export class Suppressed {
  constructor(readonly error: DbError) {}
}

/** Ends an evaluation early once its first item is found (lax jsonb_path_exists). */
class FirstFound {}

/** Three-valued logic of predicates. */
export type Tri = true | false | null;

/** The state of one evaluation. */
export interface Cx {
  strict: boolean;
  /** Set after `.**` for the rest of its path, as jsonpath_exec.c does even in strict mode. */
  ignoreStructural: boolean;
  throwErrors: boolean;
  root: Jsonb;
  vars: Jsonb | undefined;
  current: Jsonb;
  lastSize: number;
  ids: KeyValueIds;
  zone: Zone | undefined;
  /** Every item of a node on one context item (for operands and predicates). */
  collect(n: JpNode, item: Jsonb): Jsonb[];
}

type Emit = (v: Jsonb) => void;

function fail(cx: Cx, code: SqlStateCode, message: string): never {
  const e = new DbError(code, message);
  if (cx.throwErrors) throw e;
  throw new Suppressed(e);
}

/** Raises `e` as it is (detail and hint kept), or suppresses it in silent mode. */
function failWith(cx: Cx, e: DbError): never {
  if (cx.throwErrors) throw e;
  throw new Suppressed(e);
}

function structural(cx: Cx, code: SqlStateCode, message: string): void {
  if (cx.strict && !cx.ignoreStructural) fail(cx, code, message);
}

/** The item's type name as .type() reports it. */
export function kindOf(v: Jsonb): string {
  if (v === null || v === jsonbNull) return "null";
  if (v instanceof JpDatetime) return v.typeName;
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return "string";
  if (v instanceof Numeric) return "number";
  if (Array.isArray(v)) return "array";
  return "object";
}

/** Lax mode's unwrapping of array items in a sequence (one level). */
export function unwrapAll(cx: Cx, items: Jsonb[]): Jsonb[] {
  if (cx.strict) return items;
  return items.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

/** Evaluates a node on one context item, emitting each resulting item in order. */
function run(cx: Cx, n: JpNode, item: Jsonb, emit: Emit): void {
  const next = (v: Jsonb) => chain(cx, n.ops, 0, v, emit);
  switch (n.t) {
    case "root":
      return next(cx.root);
    case "current":
      return next(cx.current);
    case "last":
      return next(Numeric.fromBigInt(BigInt(cx.lastSize - 1)));
    case "null":
      return next(jsonbNull);
    case "var":
      return next(variable(cx, n.name));
    case "num":
    case "str":
    case "bool":
      return next(n.v);
    case "bin":
      if ("+-*/%".includes(n.op)) return next(arithmetic(cx, n.op, n.l, n.r, item));
      return next(triJson(predicate(cx, n, item)));
    case "unary":
      for (const v of unwrapAll(cx, cx.collect(n.arg, item))) {
        if (!(v instanceof Numeric)) {
          fail(
            cx,
            SqlState.sqlJsonNumberNotFound,
            `operand of unary jsonpath operator ${n.op} is not a numeric value`,
          );
        }
        next(n.op === "-" ? v.neg() : v);
      }
      return;
    default:
      return next(triJson(predicate(cx, n, item)));
  }
}

/** Applies accessors `ops[i…]` to one item. */
function chain(cx: Cx, ops: JpAccessor[], i: number, v: Jsonb, emit: Emit): void {
  const op = ops[i];
  if (op === undefined) return emit(v);
  const saved = cx.ignoreStructural;
  try {
    accessor(cx, op, v, !cx.strict, (r) => {
      if (op.t === "any") cx.ignoreStructural = true;
      chain(cx, ops, i + 1, r, emit);
    });
  } finally {
    cx.ignoreStructural = saved;
  }
}

function triJson(t: Tri): Jsonb {
  return t === null ? jsonbNull : t;
}

function variable(cx: Cx, name: string): Jsonb {
  const vars = cx.vars;
  if (vars !== undefined && isJsonbObject(vars) && Object.hasOwn(vars, name)) {
    return vars[name] ?? jsonbNull;
  }
  throw new DbError(SqlState.undefinedObject, `could not find jsonpath variable "${name}"`);
}

function arithmetic(cx: Cx, op: string, l: JpNode, r: JpNode, item: Jsonb): Jsonb {
  // Both operands are evaluated before either is checked, as executeBinaryArithmExpr does.
  const left = unwrapAll(cx, cx.collect(l, item));
  const right = unwrapAll(cx, cx.collect(r, item));
  const single = (seq: Jsonb[], side: string): Numeric => {
    const v = seq[0];
    if (seq.length !== 1 || !(v instanceof Numeric)) {
      fail(
        cx,
        SqlState.singletonSqlJsonItemRequired,
        `${side} operand of jsonpath operator ${op} is not a single numeric value`,
      );
    }
    return v;
  };
  const a = single(left, "left");
  const b = single(right, "right");
  if ((op === "/" || op === "%") && b.sign() === 0) {
    fail(cx, SqlState.divisionByZero, "division by zero");
  }
  switch (op) {
    case "+":
      return a.add(b);
    case "-":
      return a.sub(b);
    case "*":
      return a.mul(b);
    case "/":
      return a.div(b);
    default:
      return a.mod(b);
  }
}

function arrayIndex(cx: Cx, n: JpNode, item: Jsonb): number {
  const seq = unwrapAll(cx, cx.collect(n, item));
  const v = seq[0];
  if (seq.length !== 1 || !(v instanceof Numeric)) {
    fail(
      cx,
      SqlState.invalidSqlJsonSubscript,
      "jsonpath array subscript is not a single numeric value",
    );
  }
  const i = v.trunc(0).toNumber();
  if (!Number.isFinite(i) || i > 2147483647 || i < -2147483648) {
    fail(cx, SqlState.invalidSqlJsonSubscript, "jsonpath array subscript is out of integer range");
  }
  return i;
}

function anyLevels(v: Jsonb, level: number, first: number, last: number, out: Jsonb[]): void {
  if (level >= first) out.push(v);
  if (level >= last && last !== jpLast) return;
  const children = Array.isArray(v) ? v : isJsonbObject(v) ? jsonbKeys(v).map((k) => v[k]!) : [];
  for (const c of children) anyLevels(c, level + 1, first, last, out);
}

function indexAccessor(cx: Cx, a: Extract<JpAccessor, { t: "index" }>, v: Jsonb, emit: Emit) {
  const isArr = Array.isArray(v);
  if (!isArr && cx.strict) {
    return structural(
      cx,
      SqlState.sqlJsonArrayNotFound,
      "jsonpath array accessor can only be applied to an array",
    );
  }
  const elems = isArr ? v : [v];
  for (const [f, t] of a.subs) {
    const saved = cx.lastSize;
    let from: number;
    let to: number;
    cx.lastSize = elems.length;
    try {
      from = arrayIndex(cx, f, v);
      to = t === null ? from : arrayIndex(cx, t, v);
    } finally {
      cx.lastSize = saved;
    }
    if (cx.strict && !cx.ignoreStructural && (from < 0 || from > to || to >= elems.length)) {
      fail(cx, SqlState.invalidSqlJsonSubscript, "jsonpath array subscript is out of bounds");
    }
    for (let i = Math.max(from, 0); i <= Math.min(to, elems.length - 1); i++) emit(elems[i]!);
  }
}

function accessor(cx: Cx, a: JpAccessor, v: Jsonb, unwrap: boolean, emit: Emit): void {
  const isArr = Array.isArray(v);
  const viaUnwrap = () => {
    for (const e of v as Jsonb[]) accessor(cx, a, e, false, emit);
  };
  switch (a.t) {
    case "key":
      if (isJsonbObject(v)) {
        if (Object.hasOwn(v, a.name)) return emit(v[a.name]!);
        return structural(
          cx,
          SqlState.sqlJsonMemberNotFound,
          `JSON object does not contain key "${a.name}"`,
        );
      }
      if (unwrap && isArr) return viaUnwrap();
      return structural(
        cx,
        SqlState.sqlJsonMemberNotFound,
        "jsonpath member accessor can only be applied to an object",
      );
    case "anykey":
      if (isJsonbObject(v)) {
        for (const k of jsonbKeys(v)) emit(v[k]!);
        return;
      }
      if (unwrap && isArr) return viaUnwrap();
      return structural(
        cx,
        SqlState.sqlJsonObjectNotFound,
        "jsonpath wildcard member accessor can only be applied to an object",
      );
    case "anyarray":
      if (isArr) {
        for (const e of v) emit(e);
        return;
      }
      if (!cx.strict) return emit(v);
      return structural(
        cx,
        SqlState.sqlJsonArrayNotFound,
        "jsonpath wildcard array accessor can only be applied to an array",
      );
    case "index":
      return indexAccessor(cx, a, v, emit);
    case "any": {
      const out: Jsonb[] = [];
      anyLevels(v, 0, a.first, a.last, out);
      for (const e of out) emit(e);
      return;
    }
    case "filter": {
      if (unwrap && isArr) return viaUnwrap();
      const saved = cx.current;
      cx.current = v;
      let ok: Tri;
      try {
        ok = predicate(cx, a.pred, v);
      } finally {
        cx.current = saved;
      }
      if (ok === true) emit(v);
      return;
    }
    case "method":
      return method(cx, a.name, a.arg, v, unwrap, emit);
  }
}

function method(
  cx: Cx,
  name: string,
  arg: string | null,
  v: Jsonb,
  unwrap: boolean,
  emit: Emit,
): void {
  const isArr = Array.isArray(v);
  if (name === "type") return emit(kindOf(v));
  if (name === "size") {
    if (isArr) return emit(Numeric.fromBigInt(BigInt(v.length)));
    if (!cx.strict) return emit(Numeric.one);
    return structural(
      cx,
      SqlState.sqlJsonArrayNotFound,
      "jsonpath item method .size() can only be applied to an array",
    );
  }
  if (unwrap && isArr) {
    for (const e of v) method(cx, name, arg, e, false, emit);
    return;
  }
  switch (name) {
    case "abs":
    case "floor":
    case "ceiling":
      if (!(v instanceof Numeric)) {
        fail(
          cx,
          SqlState.nonNumericSqlJsonItem,
          `jsonpath item method .${name}() can only be applied to a numeric value`,
        );
      }
      return emit(name === "abs" ? v.abs() : name === "floor" ? v.floor() : v.ceil());
    case "double":
      return emit(toDouble(cx, v));
    case "datetime": {
      if (typeof v !== "string") {
        fail(
          cx,
          SqlState.invalidArgumentForSqlJsonDatetimeFunction,
          "jsonpath item method .datetime() can only be applied to a string",
        );
      }
      // A malformed template is an error even in silent mode, as PostgreSQL's parse_format.
      if (arg !== null) checkJpDatetimeTemplate(arg);
      let d: JpDatetime;
      try {
        d = arg === null ? parseJpDatetime(v) : parseJpDatetimeTemplate(v, arg);
      } catch (e) {
        if (e instanceof DbError) failWith(cx, e);
        throw e;
      }
      return emit(d as unknown as Jsonb);
    }
    case "keyvalue": {
      if (!isJsonbObject(v)) {
        fail(
          cx,
          SqlState.sqlJsonObjectNotFound,
          "jsonpath item method .keyvalue() can only be applied to an object",
        );
      }
      const id = cx.ids.idOf(v);
      for (const k of jsonbKeys(v)) emit(cx.ids.generate(id, k, v[k]!));
      return;
    }
    default:
      throw new DbError(
        SqlState.featureNotSupported,
        `jsonpath item method .${name}() is not supported`,
      );
  }
}

function toDouble(cx: Cx, v: Jsonb): Jsonb {
  const bad = (what: string, how: string) =>
    fail(
      cx,
      SqlState.nonNumericSqlJsonItem,
      `${what} argument of jsonpath item method .double() is ${how} representation of a double precision number`,
    );
  if (v instanceof Numeric) {
    const f = v.toNumber();
    if (!Number.isFinite(f)) bad("numeric", "an invalid");
    return Numeric.fromFloat(f);
  }
  if (typeof v === "string") {
    let f: number;
    try {
      f = parseFloat8(v);
    } catch {
      return bad("string", "not a valid");
    }
    if (!Number.isFinite(f)) bad("string", "an invalid");
    return Numeric.fromFloat(f);
  }
  return fail(
    cx,
    SqlState.nonNumericSqlJsonItem,
    "jsonpath item method .double() can only be applied to a string or numeric value",
  );
}

function checkVars(vars: Jsonb | undefined): void {
  if (vars !== undefined && !isJsonbObject(vars)) {
    throw new DbError(SqlState.invalidParameterValue, '"vars" argument is not an object', {
      detail: 'Jsonpath parameters should be encoded as key-value pairs of "vars" object.',
    });
  }
}

/** The items found and whether a suppressed error ended the evaluation early. */
interface Found {
  items: Jsonb[];
  error: boolean;
}

function evaluate(target: Jsonb, path: string, opts: JsonPathOptions, first: boolean): Found {
  checkVars(opts.vars);
  const p = parseJsonPath(path);
  const ids = new KeyValueIds(opts.vars !== undefined);
  ids.register(target, 0);
  if (opts.vars !== undefined) ids.register(opts.vars, 1);
  const cx: Cx = {
    strict: p.strict,
    ignoreStructural: false,
    throwErrors: !opts.silent,
    root: target,
    vars: opts.vars,
    current: target,
    lastSize: -1,
    ids,
    zone: opts.zone,
    collect(n, item) {
      const out: Jsonb[] = [];
      run(cx, n, item, (v) => out.push(v));
      return out;
    },
  };
  const items: Jsonb[] = [];
  try {
    run(cx, p.expr, target, (v) => {
      items.push(v instanceof JpDatetime ? v.text : v);
      if (first) throw new FirstFound();
    });
  } catch (e) {
    if (e instanceof FirstFound) return { items, error: false };
    if (e instanceof Suppressed) return { items, error: true };
    throw e;
  }
  return { items, error: false };
}

/**
 * Runs a jsonpath (its canonical text) on a jsonb value: the items found (those found before a
 * `silent`-suppressed error, as PostgreSQL returns them).
 *
 * @example
 * jsonPathQuery(parseJsonb('{"a": [1, 2]}'), "$.\"a\"[*]"); // [1, 2] as Numerics
 */
export function jsonPathQuery(target: Jsonb, path: string, opts: JsonPathOptions = {}): Jsonb[] {
  return evaluate(target, path, opts, false).items;
}

/** jsonb_path_exists: true, false, or null after a suppressed error (lax stops at the first). */
export function jsonPathExists(
  target: Jsonb,
  path: string,
  opts: JsonPathOptions = {},
): boolean | null {
  const r = evaluate(target, path, opts, !parseJsonPath(path).strict);
  if (r.error) return null;
  return r.items.length > 0;
}

/** jsonb_path_match: the single boolean the path yields (null for JSON null or silence). */
export function jsonPathMatch(
  target: Jsonb,
  path: string,
  opts: JsonPathOptions = {},
): boolean | null {
  const r = evaluate(target, path, opts, false).items;
  if (r.length === 1) {
    const v = r[0];
    if (typeof v === "boolean") return v;
    if (v === jsonbNull) return null;
  }
  if (opts.silent) return null;
  throw new DbError(SqlState.singletonSqlJsonItemRequired, "single boolean result is expected");
}
