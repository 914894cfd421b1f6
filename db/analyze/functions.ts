/**
 * @module The scalar functions the binder resolves calls against, as (name, argument types,
 * result) signatures with implementations. Functions that need the session (settings,
 * sequences, the catalog) read it through EngineContext, an EvalContext with session hooks.
 */
import { sqlFunctionByOid } from "./sql_functions.ts";
import { procArgumentsText, procResultText } from "./proc_lookup.ts";
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { ScalarFn } from "../plan/mod.ts";
import {
  castDatum,
  type EvalContext,
  formatType,
  type FunctionDef as TypesFunctionDef,
  functionsNamed as typesFunctionsNamed,
  inputText,
  Interval,
  Numeric,
  Oid,
  outputText,
  PgArray,
} from "../types/mod.ts";
import type { Signature } from "./resolve.ts";
import type { Catalog } from "../catalog/mod.ts";
import { constraintDef, indexDef } from "./catalog_text.ts";
import { prettyExprText } from "./deparse.ts";
import { schemaOfRel, viewDefText, viewNames } from "./view_deparse.ts";
import type { TableStats } from "../plan/mod.ts";

/** What session-aware functions need (the session fills it). */
export interface EngineContext extends EvalContext {
  getSetting(name: string, missingOk: boolean): string | null;
  setSetting(name: string, value: string, local: boolean): string;
  nextval(seqOid: number): bigint;
  currval(seqOid: number): bigint;
  setval(seqOid: number, value: bigint, isCalled: boolean): bigint;
  backendPid: number;
  databaseName: string;
  searchPath(): string[];
  userName(oid: number): string | null;
  typeName(oid: number, typmod: number): string;
  relationVisible(oid: number): boolean;
  comment(objOid: number, classOid: number, subId: number): string | null;
  xid(): number;
  allSettings(): [string, string][];
  sequenceDef(oid: number):
    | {
      start: bigint;
      increment: bigint;
      maxValue: bigint;
      minValue: bigint;
      cycle: boolean;
      last: bigint | null;
    }
    | undefined;
  tableRows(oid: number): number;
  /** ANALYZE statistics of the database, by table OID (pg_stats). */
  tableStats?(): Map<number, TableStats>;
  preparedStatements(): Datum[][];
  /** The catalog the running statement sees. */
  catalogNow(): Catalog;
  notify(channel: string, payload: string): void;
  /** Throws 57014 when the running statement was canceled or timed out. */
  checkInterrupts(): void;
}

/** A scalar function signature. */
export interface FuncDef extends Signature {
  name: string;
  result: number;
  fn: ScalarFn;
  strict: boolean;
  volatile: boolean;
}

const registry = new Map<string, FuncDef[]>();

function def(
  name: string,
  args: number[],
  result: number,
  fn: ScalarFn,
  opts: { strict?: boolean; volatile?: boolean; variadic?: number } = {},
): void {
  const d: FuncDef = {
    name,
    args,
    result,
    fn,
    strict: opts.strict ?? true,
    volatile: opts.volatile ?? false,
    variadic: opts.variadic,
  };
  const list = registry.get(name);
  if (list === undefined) registry.set(name, [d]);
  else list.push(d);
}

/** Candidates named `name`. */
export function functionsNamed(name: string): readonly FuncDef[] {
  return registry.get(name) ?? [];
}

const T = Oid.text;
const I4 = Oid.int4;
const I8 = Oid.int8;
const F8 = Oid.float8;
const N = Oid.numeric;
const B = Oid.bool;
const eng = (ctx: EvalContext) => ctx as EngineContext;
type D = Datum | undefined;
const s = (d: D) => d as string;
const n = (d: D) => d as number;
const chars = (x: string) => [...x];

// ---- strings ----
for (const name of ["length", "char_length", "character_length"]) {
  def(name, [T], I4, ([a]) => chars(s(a)).length);
}
def("octet_length", [T], I4, ([a]) => new TextEncoder().encode(s(a)).length);
def("lower", [T], T, ([a]) => s(a).toLowerCase());
def("upper", [T], T, ([a]) => s(a).toUpperCase());
const trimSet = (x: string, set: string, l: boolean, r: boolean) => {
  const cs = new Set(chars(set));
  const a = chars(x);
  let i = 0;
  let j = a.length;
  if (l) { while (i < j && cs.has(a[i]!)) i++; }
  if (r) { while (j > i && cs.has(a[j - 1]!)) j--; }
  return a.slice(i, j).join("");
};
def("btrim", [T], T, ([a]) => trimSet(s(a), " ", true, true));
def("btrim", [T, T], T, ([a, b]) => trimSet(s(a), s(b), true, true));
def("ltrim", [T], T, ([a]) => trimSet(s(a), " ", true, false));
def("ltrim", [T, T], T, ([a, b]) => trimSet(s(a), s(b), true, false));
def("rtrim", [T], T, ([a]) => trimSet(s(a), " ", false, true));
def("rtrim", [T, T], T, ([a, b]) => trimSet(s(a), s(b), false, true));
const substr = (x: string, start: number, len?: number) => {
  const a = chars(x);
  if (len !== undefined && len < 0) {
    throw new DbError(SqlState.substringError, "negative substring length not allowed");
  }
  const from = Math.max(start, 1);
  const end = len === undefined ? a.length + 1 : start + len;
  if (end <= from) return "";
  return a.slice(from - 1, end - 1).join("");
};
def("substring", [T, I4], T, ([a, b]) => substr(s(a), n(b)));
def("substring", [T, I4, I4], T, ([a, b, c]) => substr(s(a), n(b), n(c)));
def("substr", [T, I4], T, ([a, b]) => substr(s(a), n(b)));
def("substr", [T, I4, I4], T, ([a, b, c]) => substr(s(a), n(b), n(c)));
const strpos = (h: string, nd: string) => {
  const i = h.indexOf(nd);
  return i < 0 ? 0 : chars(h.slice(0, i)).length + 1;
};
def("position", [T, T], I4, ([a, b]) => strpos(s(a), s(b)));
def("strpos", [T, T], I4, ([a, b]) => strpos(s(a), s(b)));
def("replace", [T, T, T], T, ([a, b, c]) => s(b) === "" ? s(a) : s(a).split(s(b)).join(s(c)));
def("split_part", [T, T, I4], T, ([a, b, c]) => {
  const parts = s(b) === "" ? [s(a)] : s(a).split(s(b));
  const i = n(c);
  if (i === 0) throw new DbError(SqlState.invalidParameterValue, "field position must not be zero");
  const p = i > 0 ? parts[i - 1] : parts[parts.length + i];
  return p ?? "";
});
const pad = (x: string, len: number, fill: string, left: boolean) => {
  const a = chars(x);
  if (len <= a.length) return a.slice(0, Math.max(len, 0)).join("");
  const f = chars(fill);
  if (f.length === 0) return x;
  const padding: string[] = [];
  while (padding.length < len - a.length) padding.push(f[padding.length % f.length]!);
  return left ? padding.join("") + x : x + padding.join("");
};
def("lpad", [T, I4], T, ([a, b]) => pad(s(a), n(b), " ", true));
def("lpad", [T, I4, T], T, ([a, b, c]) => pad(s(a), n(b), s(c), true));
def("rpad", [T, I4], T, ([a, b]) => pad(s(a), n(b), " ", false));
def("rpad", [T, I4, T], T, ([a, b, c]) => pad(s(a), n(b), s(c), false));
def("left", [T, I4], T, ([a, b]) => {
  const c = chars(s(a));
  const k = n(b);
  return (k >= 0 ? c.slice(0, k) : c.slice(0, Math.max(c.length + k, 0))).join("");
});
def("right", [T, I4], T, ([a, b]) => {
  const c = chars(s(a));
  const k = n(b);
  return (k >= 0 ? c.slice(Math.max(c.length - k, 0)) : c.slice(Math.min(-k, c.length))).join("");
});
def("repeat", [T, I4], T, ([a, b]) => n(b) <= 0 ? "" : s(a).repeat(n(b)));
def("reverse", [T], T, ([a]) => chars(s(a)).reverse().join(""));
def(
  "initcap",
  [T],
  T,
  ([a]) => s(a).toLowerCase().replace(/(^|[^a-z0-9])([a-z])/g, (_m, p, c) => p + c.toUpperCase()),
);
def("starts_with", [T, T], B, ([a, b]) => s(a).startsWith(s(b)));
def("ascii", [T], I4, ([a]) => s(a).codePointAt(0) ?? 0);
def("chr", [I4], T, ([a]) => String.fromCodePoint(n(a)));
def("md5", [T], T, () => {
  throw new DbError(SqlState.featureNotSupported, "md5 is not supported yet");
});
const textOf = (d: D, t: number, ctx: EvalContext) =>
  d === null
    ? null
    : t === T || t === Oid.varchar || t === Oid.unknown
    ? s(d)
    : outputText(t, d as Datum, ctx);
def("concat", [], T, (args, ctx) => {
  const types = (args as unknown as { types?: number[] }).types;
  return args.map((a, i) => textOf(a, types?.[i] ?? T, ctx) ?? "").join("");
}, { strict: false, variadic: Oid.any });
def("concat_ws", [T], T, (args) => {
  const [sep, ...rest] = args;
  if (sep === null) return null;
  return rest.filter((x) => x !== null).map((x) => String(x)).join(s(sep!));
}, { strict: false, variadic: Oid.any });
def("regexp_replace", [T, T, T], T, ([a, b, c]) => s(a).replace(new RegExp(s(b)), pgRepl(s(c))));
def("regexp_replace", [T, T, T, T], T, ([a, b, c, f]) => {
  const flags = s(f);
  const re = new RegExp(s(b), (flags.includes("g") ? "g" : "") + (flags.includes("i") ? "i" : ""));
  return s(a).replace(re, pgRepl(s(c)));
});
function pgRepl(r: string): string {
  return r.replace(/\$/g, "$$$$").replace(/\\(\d)/g, "$$$1").replace(/\\&/g, "$$&");
}
def(
  "quote_ident",
  [T],
  T,
  ([a]) => /^[a-z_][a-z0-9_]*$/.test(s(a)) ? s(a) : `"${s(a).replace(/"/g, '""')}"`,
);
def("quote_literal", [T], T, ([a]) => `'${s(a).replace(/'/g, "''")}'`);
def("to_hex", [I8], T, ([a]) => BigInt.asUintN(64, BigInt(a as bigint)).toString(16));

// ---- math ----
const num = (d: D) => d instanceof Numeric ? d : Numeric.parse(String(d));
def("abs", [I4], I4, ([a]) => Math.abs(n(a)));
def("abs", [I8], I8, ([a]) => (a as bigint) < 0n ? -(a as bigint) : a as bigint);
def("abs", [F8], F8, ([a]) => Math.abs(n(a)));
def("abs", [N], N, ([a]) => num(a).abs());
def("round", [F8], F8, ([a]) => roundHalfEven(n(a)));
def("round", [N], N, ([a]) => num(a).round(0));
def("round", [N, I4], N, ([a, b]) => num(a).round(n(b)));
def("trunc", [F8], F8, ([a]) => Math.trunc(n(a)));
def("trunc", [N], N, ([a]) => num(a).trunc(0));
def("trunc", [N, I4], N, ([a, b]) => num(a).trunc(n(b)));
for (const nm of ["ceil", "ceiling"]) {
  def(nm, [F8], F8, ([a]) => Math.ceil(n(a)));
  def(nm, [N], N, ([a]) => num(a).ceil());
}
def("floor", [F8], F8, ([a]) => Math.floor(n(a)));
def("floor", [N], N, ([a]) => num(a).floor());
def("sqrt", [F8], F8, ([a]) => {
  if (n(a) < 0) {
    throw new DbError(
      SqlState.invalidArgumentForPowerFunction,
      "cannot take square root of a negative number",
    );
  }
  return Math.sqrt(n(a));
});
def("sqrt", [N], N, ([a]) => num(a).sqrt());
def("power", [F8, F8], F8, ([a, b]) => Math.pow(n(a), n(b)));
def("mod", [I4, I4], I4, ([a, b]) => {
  if (n(b) === 0) throw new DbError(SqlState.divisionByZero, "division by zero");
  return n(a) % n(b) + 0;
});
def("mod", [I8, I8], I8, ([a, b]) => {
  if (b === 0n) throw new DbError(SqlState.divisionByZero, "division by zero");
  return (a as bigint) % (b as bigint);
});
def("mod", [N, N], N, ([a, b]) => num(a).mod(num(b)));
def("sign", [F8], F8, ([a]) => Math.sign(n(a)));
def("exp", [F8], F8, ([a]) => Math.exp(n(a)));
def("ln", [F8], F8, ([a]) => Math.log(n(a)));
def("log", [F8], F8, ([a]) => Math.log10(n(a)));
def("pi", [], F8, () => Math.PI);
def("random", [], F8, (_a, ctx) => ctx.random(), { volatile: true });
def("setseed", [F8], Oid.void, ([a], ctx) => {
  ctx.setSeed(n(a));
  return null;
}, { volatile: true });
def("div", [N, N], N, ([a, b]) => num(a).divTrunc(num(b)));

function roundHalfEven(x: number): number {
  // PostgreSQL's float round() rounds half to even (rint).
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// ---- time ----
const TZ = Oid.timestamptz;
def("now", [], TZ, (_a, ctx) => ctx.transactionStart, { volatile: true });
def("transaction_timestamp", [], TZ, (_a, ctx) => ctx.transactionStart, { volatile: true });
def("statement_timestamp", [], TZ, (_a, ctx) => ctx.statementStart, { volatile: true });
def("clock_timestamp", [], TZ, () => BigInt(Math.round((Date.now() - 946684800000) * 1000)), {
  volatile: true,
});
def("timeofday", [], T, () => new Date().toString(), { volatile: true });
def("age", [TZ, TZ], Oid.interval, ([a, b]) => {
  const d = (a as bigint) - (b as bigint);
  return new Interval(0, Number(d / 86400000000n), d % 86400000000n);
});

// ---- misc ----
def("gen_random_uuid", [], Oid.uuid, () => crypto.randomUUID(), { volatile: true });
def("uuid_generate_v4", [], Oid.uuid, () => crypto.randomUUID(), { volatile: true });
def(
  "version",
  [],
  T,
  () => "PostgreSQL 15.8 (BKG-DB) on x86_64-pc-linux-gnu, compiled by deno, 64-bit",
);
def("pg_typeof", [Oid.any], Oid.regtype, (args) => {
  const types = (args as unknown as { types?: number[] }).types;
  return types?.[0] ?? Oid.unknown;
}, { strict: false });
def("current_setting", [T], T, ([a], ctx) => eng(ctx).getSetting(s(a), false), { volatile: true });
def("current_setting", [T, B], T, ([a, b], ctx) => eng(ctx).getSetting(s(a), b === true), {
  volatile: true,
});
def(
  "set_config",
  [T, T, B],
  T,
  ([a, b, c], ctx) => eng(ctx).setSetting(s(a), s(b ?? ""), c === true),
  {
    strict: false,
    volatile: true,
  },
);
def("nextval", [Oid.regclass], I8, ([a], ctx) => eng(ctx).nextval(n(a)), { volatile: true });
def("currval", [Oid.regclass], I8, ([a], ctx) => eng(ctx).currval(n(a)), { volatile: true });
def(
  "setval",
  [Oid.regclass, I8],
  I8,
  ([a, b], ctx) => eng(ctx).setval(n(a), BigInt(b as bigint), true),
  {
    volatile: true,
  },
);
def(
  "setval",
  [Oid.regclass, I8, B],
  I8,
  ([a, b, c], ctx) => eng(ctx).setval(n(a), BigInt(b as bigint), c === true),
  { volatile: true },
);
def("pg_backend_pid", [], I4, (_a, ctx) => eng(ctx).backendPid);
def("current_database", [], Oid.name, (_a, ctx) => eng(ctx).databaseName);
def("current_schema", [], Oid.name, (_a, ctx) => ctx.currentSchema());
def("current_schemas", [B], Oid.nameArray, ([a], ctx) => {
  const path = eng(ctx).searchPath();
  return PgArray.of(a === true ? ["pg_catalog", ...path.filter((p) => p !== "pg_catalog")] : path);
});
def("txid_current", [], I8, (_a, ctx) => BigInt(eng(ctx).xid()), { volatile: true });
def(
  "pg_get_userbyid",
  [Oid.oid],
  Oid.name,
  ([a], ctx) => eng(ctx).userName(n(a)) ?? `unknown (OID=${n(a)})`,
);
def(
  "format_type",
  [Oid.oid, I4],
  T,
  ([a, b], ctx) => a === null ? null : eng(ctx).typeName(n(a), b === null ? -1 : n(b)),
  { strict: false },
);
def("pg_table_is_visible", [Oid.oid], B, ([a], ctx) => eng(ctx).relationVisible(n(a)));
def("pg_type_is_visible", [Oid.oid], B, () => true);
def("pg_function_is_visible", [Oid.oid], B, ([o], ctx) => {
  // SQL-text functions (auth.uid() …) are visible only with their schema on the search path.
  const f = sqlFunctionByOid(Number(o));
  return f === undefined || ((ctx as EngineContext).searchPath?.() ?? []).includes(f.schema);
});
def(
  "obj_description",
  [Oid.oid, Oid.name],
  T,
  ([a, b], ctx) => eng(ctx).comment(n(a), classOidOf(s(b)), 0),
);
def("obj_description", [Oid.oid], T, ([a], ctx) => eng(ctx).comment(n(a), 1259, 0));
def("col_description", [Oid.oid, I4], T, ([a, b], ctx) => eng(ctx).comment(n(a), 1259, n(b)));
def(
  "shobj_description",
  [Oid.oid, Oid.name],
  T,
  ([a, b], ctx) => eng(ctx).comment(n(a), classOidOf(s(b)), 0),
);
def("pg_encoding_to_char", [I4], Oid.name, ([a]) => n(a) === 6 ? "UTF8" : "SQL_ASCII");
def("pg_is_in_recovery", [], B, () => false);
def("pg_postmaster_start_time", [], TZ, (_a, ctx) => ctx.transactionStart);
def("inet_server_port", [], I4, () => null);

function classOidOf(name: string): number {
  return ({
    pg_class: 1259,
    pg_namespace: 2615,
    pg_type: 1247,
    pg_database: 1262,
    pg_authid: 1260,
    pg_proc: 1255,
    pg_constraint: 2606,
  } as Record<string, number>)[name] ?? 0;
}

// ---- arrays ----
const arr = (d: D) => d as PgArray;
def("array_length", [Oid.anyarray, I4], I4, ([a, b]) => arr(a).dims[n(b) - 1] ?? null);
def("cardinality", [Oid.anyarray], I4, ([a]) => arr(a).elements.length);
def("array_position", [Oid.anycompatiblearray, Oid.anycompatible], I4, ([a, b]) => {
  if (a === null) return null;
  const i = arr(a).elements.findIndex((e) => e !== null && b !== null && String(e) === String(b));
  return i < 0 ? null : i + arr(a).lbounds[0]!;
}, { strict: false });
def(
  "array_to_string",
  [Oid.anyarray, T],
  T,
  ([a, b]) => arr(a).elements.filter((e) => e !== null).map((e) => String(e)).join(s(b)),
);
def(
  "string_to_array",
  [T, T],
  Oid.textArray,
  ([a, b]) => PgArray.of(s(a) === "" ? [] : s(b) === "" ? [s(a)] : s(a).split(s(b))),
);
def("array_upper", [Oid.anyarray, I4], I4, ([a, b]) => {
  const x = arr(a);
  const i = n(b) - 1;
  return x.dims[i] === undefined ? null : x.lbounds[i]! + x.dims[i]! - 1;
});
def("array_lower", [Oid.anyarray, I4], I4, ([a, b]) => arr(a).lbounds[n(b) - 1] ?? null);

/** Casts a value for functions taking `any` (concat, format). */
export function anyToText(d: Datum, type: number, ctx: EvalContext): string | null {
  if (d === null) return null;
  return typeof d === "string" ? d : String(castDatum(d, type, T, ctx));
}

/** `format_type` for the session hook. */
export { formatType };

// Functions whose meaning depends on the session: ours win over db/types' registry.
/** Registers a session-aware function (it wins over db/types' registry), e.g. has_*_privilege. */
export function defineEngineFunction(
  name: string,
  args: number[],
  result: number,
  fn: ScalarFn,
  opts: { strict?: boolean; volatile?: boolean } = {},
): void {
  def(name, args, result, fn, opts);
  sessionNames.add(name);
}

const sessionNames = new Set([
  "current_setting",
  "set_config",
  "nextval",
  "currval",
  "setval",
  "pg_backend_pid",
  "current_database",
  "current_schema",
  "current_schemas",
  "txid_current",
  "pg_get_userbyid",
  "format_type",
  "pg_table_is_visible",
  "obj_description",
  "col_description",
  "shobj_description",
  "now",
  "transaction_timestamp",
  "statement_timestamp",
  "version",
  "has_table_privilege",
  "has_schema_privilege",
  "pg_type_is_visible",
  "pg_function_is_visible",
  "pg_get_expr",
  "pg_get_constraintdef",
  "pg_get_indexdef",
  "pg_get_viewdef",
]);

const adapted = new Map<string, FuncDef[]>();

/** Scalar candidates for `name`: session functions here, then db/types' registry, then ours. */
export function scalarCandidates(name: string): readonly FuncDef[] {
  if (sessionNames.has(name)) return functionsNamed(name);
  let list = adapted.get(name);
  if (list === undefined) {
    list = typesFunctionsNamed(name).filter((d) => !d.retset).map((d) => {
      const raw = d.impl as (a: Datum[], c: EvalContext, t: number[]) => Datum;
      const fixed = d.args.length - 1;
      // A VARIADIC of a concrete element type takes its trailing arguments as one array.
      const impl = d.variadic && d.variadic !== Oid.any
        ? (a: Datum[], c: EvalContext, t: number[]) =>
          raw([...a.slice(0, fixed), PgArray.of(a.slice(fixed))], c, [
            ...t.slice(0, fixed),
            d.args[fixed]!,
          ])
        : raw;
      const f: FuncDef = {
        name,
        args: d.variadic ? d.args.slice(0, -1) : d.args,
        variadic: d.variadic || undefined,
        result: d.result,
        strict: d.strict,
        volatile: d.volatility === "v",
        fn: impl as unknown as ScalarFn,
      };
      (f as FuncDef & { typed: boolean }).typed = true;
      procArgs.set(f, d.args);
      return f;
    });
    adapted.set(name, list);
  }
  return list.length > 0 ? list : functionsNamed(name);
}

/**
 * The functions of this file's registry that a call can reach (session functions, and names
 * db/types does not define) and that db/types does not list in pg_proc already.
 */
export function engineOnlyFunctions(): FuncDef[] {
  const out: FuncDef[] = [];
  for (const [name, list] of registry) {
    const types = typesFunctionsNamed(name);
    if (types.length > 0 && !sessionNames.has(name)) continue;
    const seen = new Set(types.map((t) => t.args.join(",")));
    for (const d of list) {
      // One pg_proc row per signature (a later registration of the same one is shadowed).
      if (seen.has(d.args.join(","))) continue;
      seen.add(d.args.join(","));
      out.push(d);
    }
  }
  return out;
}

/** The pg_proc argument types of candidates adapted from db/types (variadic array included). */
const procArgs = new WeakMap<FuncDef, readonly number[]>();

/** The declared argument types of a candidate as pg_proc lists them (finds its pg_proc row). */
export function declaredArgs(d: FuncDef): readonly number[] {
  return procArgs.get(d) ?? d.args;
}

/** True when a candidate's implementation takes the actual argument types as a third argument. */
export function wantsTypes(d: FuncDef): boolean {
  return (d as FuncDef & { typed?: boolean }).typed === true;
}

/** Set-returning candidates from db/types' registry. */
export function setCandidates(
  name: string,
): { args: number[]; variadic?: number; def: TypesFunctionDef }[] {
  return typesFunctionsNamed(name).filter((d) => d.retset).map((d) => ({
    args: d.variadic ? d.args.slice(0, -1) : d.args,
    variadic: d.variadic || undefined,
    def: d,
  }));
}

def("pg_get_expr", [T, Oid.oid], T, ([a]) => a as string);
def(
  "pg_get_expr",
  [T, Oid.oid, B],
  T,
  ([a, rel, pretty], ctx) =>
    pretty === true ? prettyExprText(eng(ctx).catalogNow(), n(rel), a as string, ctx) : a as string,
);
def("pg_get_constraintdef", [Oid.oid], T, ([a], ctx) => {
  const cat = eng(ctx).catalogNow();
  const k = cat.byOid.get(n(a));
  return k?.objKind === "constraint" ? constraintDef(cat, k, { pretty: false, ctx }) : null;
});
def("pg_get_constraintdef", [Oid.oid, B], T, ([a, p], ctx) => {
  const cat = eng(ctx).catalogNow();
  const k = cat.byOid.get(n(a));
  return k?.objKind === "constraint" ? constraintDef(cat, k, { pretty: p === true, ctx }) : null;
});
def("pg_get_indexdef", [Oid.oid], T, ([a], ctx) => {
  const cat = eng(ctx).catalogNow();
  const r = cat.relationByOid(n(a));
  return r?.kind === "i" ? indexDef(cat, r, false, ctx) : null;
});
/** pg_get_viewdef of a view's OID (`wrap`: the wrap column of the pretty form). */
function viewDef(ctx: EvalContext, oid: number, pretty: boolean, wrap = 0): string | null {
  const cat = eng(ctx).catalogNow();
  const r = cat.relationByOid(oid);
  if (r?.kind !== "v") return null;
  return viewDefText(cat, r.viewSql ?? "", ctx, pretty, viewNames(r), schemaOfRel(cat, r), wrap);
}
const viewOid = (name: Datum | undefined, ctx: EvalContext) =>
  n(inputText(Oid.regclass, name as string, -1, ctx));
def("pg_get_viewdef", [Oid.oid], T, ([a], ctx) => viewDef(ctx, n(a), false));
def("pg_get_viewdef", [Oid.oid, B], T, ([a, p], ctx) => viewDef(ctx, n(a), p === true));
def("pg_get_viewdef", [Oid.oid, Oid.int4], T, ([a, w], ctx) => viewDef(ctx, n(a), true, n(w)));
def("pg_get_viewdef", [T], T, ([a], ctx) => viewDef(ctx, viewOid(a, ctx), false));
def("pg_get_viewdef", [T, B], T, ([a, p], ctx) => viewDef(ctx, viewOid(a, ctx), p === true));
def("enum_range", [Oid.anyenum], Oid.anyarray, () => null, { strict: false });
def("enum_first", [Oid.anyenum], Oid.anyenum, () => null, { strict: false });
def("enum_last", [Oid.anyenum], Oid.anyenum, () => null, { strict: false });
def("pg_get_indexdef", [Oid.oid, I4, B], T, ([a, col], ctx) => {
  const cat = eng(ctx).catalogNow();
  const r = cat.relationByOid(n(a));
  if (r?.kind !== "i") return null;
  if (n(col) > 0) return r.columns[n(col) - 1]?.name ?? "";
  return indexDef(cat, r, true, ctx);
});
def("pg_get_function_result", [Oid.oid], T, ([o]) => {
  const f = sqlFunctionByOid(Number(o));
  return f === undefined ? procResultText(Number(o)) : f.returns.names[f.returns.names.length - 1]!;
});
def(
  "pg_get_function_arguments",
  [Oid.oid],
  T,
  ([o]) => sqlFunctionByOid(Number(o)) ? "" : procArgumentsText(Number(o)),
);
// Only SQL-standard bodies (BEGIN ATOMIC) have one; every function here has prosrc text.
def("pg_get_function_sqlbody", [Oid.oid], T, () => null);
def("pg_get_function_identity_arguments", [Oid.oid], T, () => null);
def("pg_get_statisticsobjdef_columns", [Oid.oid], T, () => null);
def("pg_relation_is_publishable", [Oid.oid], B, () => false);
def("pg_get_partkeydef", [Oid.oid], T, () => null);
def("pg_get_triggerdef", [Oid.oid, B], T, () => null);
def("pg_total_relation_size", [Oid.regclass], I8, () => 8192n);
def("pg_relation_size", [Oid.regclass], I8, () => 8192n);
def("pg_table_size", [Oid.regclass], I8, () => 8192n);
def(
  "pg_size_pretty",
  [I8],
  T,
  ([a]) =>
    `${
      Number(a as bigint) >= 10240 ? `${Math.round(Number(a as bigint) / 1024)} kB` : `${a} bytes`
    }`,
);
def("pg_database_size", [Oid.name], I8, () => 8_000_000n);
def("pg_tablespace_location", [Oid.oid], T, () => "");
def("has_database_privilege", [T, T], B, () => true);
def("has_column_privilege", [Oid.oid, Oid.int2, T], B, () => true);
def("has_sequence_privilege", [T, T], B, () => true);
def("pg_notify", [T, T], Oid.void, ([a, b], ctx) => {
  eng(ctx).notify(s(a), (b ?? "") as string);
  return ""; // a void value, not NULL
}, { strict: false, volatile: true });
def("pg_sleep", [F8], Oid.void, ([a], ctx) => {
  const until = performance.now() + n(a) * 1000;
  while (performance.now() < until) eng(ctx).checkInterrupts();
  return ""; // a void value, not NULL
}, { volatile: true });
