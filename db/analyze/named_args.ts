/**
 * @module Named arguments of built-in functions (`make_interval(days => 10)`): the parameter
 * names and defaults of pg_proc's proargnames/proargdefaults for the functions that have them,
 * and the rewrite of a call's named arguments into positional ones.
 */
import type { Expr, FuncCall } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";

/** One parameter: its name and, when it has one, its default as a literal. */
type Param = [name: string, deflt?: Expr];

const zero = (): Expr => ({ kind: "integer", value: 0, location: -1 });
const zeroFloat = (): Expr => ({ kind: "numeric", value: "0.0", location: -1 });
const bool = (value: boolean) => (): Expr => ({ kind: "boolean", value, location: -1 });
const typed = (value: string, type: string) => (): Expr => ({
  kind: "type_cast",
  arg: { kind: "string", value, location: -1 },
  type: {
    kind: "type_name",
    names: [type],
    typmods: [],
    arrayBounds: [],
    intervalFields: null,
    setof: false,
    location: -1,
  },
  location: -1,
});
const pathParams = (): Param[] => [
  ["target"],
  ["path"],
  ["vars", typed("{}", "jsonb")()],
  ["silent", bool(false)()],
];

/** proargnames (and proargdefaults) of built-ins, by function name. */
const builtinParams: Record<string, Param[]> = {
  jsonb_set: [["jsonb_in"], ["path"], ["replacement"], ["create_if_missing", bool(true)()]],
  jsonb_insert: [["jsonb_in"], ["path"], ["replacement"], ["insert_after", bool(false)()]],
  jsonb_set_lax: [
    ["jsonb_in"],
    ["path"],
    ["replacement"],
    ["create_if_missing", bool(true)()],
    ["null_value_treatment", typed("use_json_null", "text")()],
  ],
  ...Object.fromEntries(
    ["json", "jsonb"].flatMap((j) =>
      ["_each", "_each_text", "_array_elements", "_array_elements_text"].map((
        f,
      ): [string, Param[]] => [`${j}${f}`, [["from_json"]]])
    ),
  ),
  ...Object.fromEntries(
    ["", "_array", "_first"].flatMap((s) => [`jsonb_path_query${s}`, `jsonb_path_query${s}_tz`])
      .concat([
        "jsonb_path_exists",
        "jsonb_path_exists_tz",
        "jsonb_path_match",
        "jsonb_path_match_tz",
      ])
      .map((n) => [n, pathParams()]),
  ),
  make_date: [["year"], ["month"], ["day"]],
  make_time: [["hour"], ["min"], ["sec"]],
  make_timestamp: [["year"], ["month"], ["mday"], ["hour"], ["min"], ["sec"]],
  make_timestamptz: [["year"], ["month"], ["mday"], ["hour"], ["min"], ["sec"], ["timezone"]],
  make_interval: [
    ["years", zero()],
    ["months", zero()],
    ["weeks", zero()],
    ["days", zero()],
    ["hours", zero()],
    ["mins", zero()],
    ["secs", zeroFloat()],
  ],
};

function noFunction(e: FuncCall, name: string): DbError {
  return new DbError(
    SqlState.undefinedFunction,
    `function ${name}(${e.args.map(() => "unknown").join(", ")}) does not exist`,
    {
      position: e.location + 1,
      hint:
        "No function matches the given name and argument types. You might need to add explicit type casts.",
    },
  );
}

/**
 * Rewrites `f(a, name => b)` into positional arguments using the built-in's parameter names,
 * filling skipped parameters with their defaults; a call without named arguments is returned as is.
 */
export function positionalArgs(e: FuncCall, name: string): Expr[] {
  const firstNamed = e.args.findIndex((a) => a.kind === "named_arg");
  if (firstNamed < 0) return e.args;
  const params = builtinParams[name];
  if (params === undefined) throw noFunction(e, name);
  const slots: (Expr | undefined)[] = e.args.slice(0, firstNamed);
  for (const a of e.args.slice(firstNamed)) {
    if (a.kind !== "named_arg") {
      throw new DbError(
        SqlState.syntaxError,
        "positional argument cannot follow named argument",
        { position: a.location + 1 },
      );
    }
    const earlier = e.args.slice(firstNamed, e.args.indexOf(a));
    if (earlier.some((b) => b.kind === "named_arg" && b.name === a.name)) {
      throw new DbError(SqlState.syntaxError, `argument name "${a.name}" used more than once`, {
        position: a.location + 1,
      });
    }
    const at = params.findIndex(([n]) => n === a.name);
    if (at < 0 || slots[at] !== undefined) throw noFunction(e, name);
    while (slots.length < at) slots.push(undefined);
    slots[at] = a.arg;
  }
  return slots.map((s, i) => {
    if (s !== undefined) return s;
    const d = params[i]?.[1];
    if (d === undefined) throw noFunction(e, name);
    return d;
  });
}
