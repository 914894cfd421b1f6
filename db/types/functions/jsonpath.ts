/**
 * @module The SQL/JSON path functions: jsonb_path_query (set-returning), _query_array,
 * _query_first, _exists and _match, each with PostgreSQL's `vars` and `silent` parameters and
 * defaults, their `_tz` variants, and jsonpath's @? and @@ operator functions.
 */
import type { Datum } from "../../datum.ts";
import { jsonPathExists, jsonPathMatch, jsonPathQuery } from "../jsonpath_eval.ts";

import { Oid } from "../oids.ts";
import type { EvalContext } from "../context.ts";
import { sessionZone } from "../datetime.ts";
import { defineFunction, defineWithDefaults, type Volatility } from "./registry.ts";

const J = Oid.jsonb;
const P = Oid.jsonpath;
const B = Oid.bool;
const emptyObject = (): Datum => Object.create(null);
const argNames = ["target", "path", "vars", "silent"];

function opts(vars: Datum, silent: Datum, ctx: EvalContext, tz: boolean) {
  return {
    vars: vars ?? undefined,
    silent: silent === true,
    zone: tz ? sessionZone(ctx) : undefined,
  };
}

for (const tz of ["", "_tz"]) {
  const volatility: Volatility = tz === "" ? "i" : "s";
  const common = { argNames, defaults: [emptyObject(), false], volatility };
  defineWithDefaults(
    `jsonb_path_query${tz}`,
    [J, P, J, B],
    J,
    function* ([t, p, v, s], ctx) {
      for (const item of jsonPathQuery(t!, p as string, opts(v!, s!, ctx, tz !== ""))) yield [item];
    },
    { ...common, retset: true },
  );
  defineWithDefaults(
    `jsonb_path_query_array${tz}`,
    [J, P, J, B],
    J,
    ([t, p, v, s], ctx) => jsonPathQuery(t!, p as string, opts(v!, s!, ctx, tz !== "")),
    common,
  );
  defineWithDefaults(
    `jsonb_path_query_first${tz}`,
    [J, P, J, B],
    J,
    ([t, p, v, s], ctx) => jsonPathQuery(t!, p as string, opts(v!, s!, ctx, tz !== ""))[0] ?? null,
    common,
  );
  defineWithDefaults(
    `jsonb_path_exists${tz}`,
    [J, P, J, B],
    B,
    ([t, p, v, s], ctx) => jsonPathExists(t!, p as string, opts(v!, s!, ctx, tz !== "")),
    common,
  );
  defineWithDefaults(
    `jsonb_path_match${tz}`,
    [J, P, J, B],
    B,
    ([t, p, v, s], ctx) => jsonPathMatch(t!, p as string, opts(v!, s!, ctx, tz !== "")),
    common,
  );
}

// The functions behind the @? and @@ operators: no vars, silent.
defineFunction(
  "jsonb_path_exists_opr",
  [J, P],
  B,
  ([t, p]) => jsonPathExists(t!, p as string, { silent: true }),
);
defineFunction(
  "jsonb_path_match_opr",
  [J, P],
  B,
  ([t, p]) => jsonPathMatch(t!, p as string, { silent: true }),
);
