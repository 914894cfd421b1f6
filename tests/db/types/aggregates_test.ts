/**
 * @module Differential tests of aggregates and window functions over sample columns (with NULLs,
 * edge values): result values and result types (pg_typeof) against PostgreSQL.
 */
import type { Datum } from "../../../db/datum.ts";
import {
  castDatum,
  defaultEvalContext,
  formatType,
  inputText,
  lookupTypeName,
  Oid,
  outputText,
  resolveAggregate,
  resolveWindowFunction,
  type WindowView,
} from "../../../db/types/mod.ts";
import { Diff, lit, Oracle, ours } from "./oracle.ts";

const columns: [string, (string | null)[]][] = [
  ["integer", ["1", "2", null, "4", "-7", "2147483647"]],
  ["smallint", ["1", "2", "3"]],
  ["bigint", ["9223372036854775807", "1", "-5"]],
  ["numeric", ["1.5", "2.25", null, "-0.125", "100"]],
  ["double precision", ["0.1", "0.2", "0.3", null, "1e10"]],
  ["real", ["1.5", "2.5", "0.1"]],
  ["text", ["b", "a", null, "é", "ab"]],
  ["date", ["2020-01-01", "2019-12-31", "infinity"]],
  ["timestamp", ["2020-01-01 10:00", "2020-01-01 09:00"]],
  ["timestamptz", ["2020-01-01 10:00+00", "2020-06-01 09:00+02"]],
  ["interval", ["1 day", "2 hours", "1 mon", null]],
  ["boolean", ["true", "false", null]],
  ["integer[]", ["{1,2}", "{3,4}"]],
  ["jsonb", ['{"a":1}', "[1,2]", null]],
  ["bytea", ["\\x01", "\\x0203"]],
  ["character(3)", ["a", "b  ", "c"]],
];
const aggs: [string, string[]][] = [
  ["count", ["*"]],
  ["count", []],
  ["sum", []],
  ["avg", []],
  ["min", []],
  ["max", []],
  ["bool_and", []],
  ["bool_or", []],
  ["every", []],
  ["array_agg", []],
  ["json_agg", []],
  ["jsonb_agg", []],
  ["stddev", []],
  ["stddev_pop", []],
  ["variance", []],
  ["var_pop", []],
  ["var_samp", []],
  ["stddev_samp", []],
  ["bit_and", []],
  ["bit_or", []],
  ["bit_xor", []],
  ["string_agg", ["','"]],
];

function typmodOf(type: string): number {
  const m = /\((\d+)\)/.exec(type);
  return m === null ? -1 : Number(m[1]) + 4;
}

async function step1(pg: Oracle): Promise<void> {
  const ctx = defaultEvalContext({ timeZone: "UTC" });
  {
    const diff = new Diff();
    const pending: Promise<void>[] = [];
    for (const [type, raw] of columns) {
      const oid = lookupTypeName(type.replace(/\(\d+\)/, ""))!;
      const values = raw.map((v) => (v === null ? null : inputText(oid, v, typmodOf(type), ctx)));
      const rows = raw.map((v) => `(${v === null ? "NULL" : lit(v)}::${type})`).join(", ");
      for (const [name, extra] of aggs) {
        const star = extra[0] === "*";
        const sqlArgs = star ? "*" : ["x", ...extra].join(", ");
        const expr = `(select ${name}(${sqlArgs}) from (values ${rows}) t(x))`;
        let resultType = 0;
        const got = ours(() => {
          const types = star ? [] : [oid, ...extra.map(() => Oid.text)];
          const r = resolveAggregate(name, types.map((t, k) => (k === 0 ? t : Oid.unknown)));
          resultType = r.resultType;
          let state = r.def.init();
          for (const v of values) {
            const args: Datum[] = star ? [] : [
              castDatum(v, oid, r.argTypes[0]!, ctx),
              ...extra.map((e, k) => inputText(r.argTypes[k + 1]!, e.slice(1, -1), -1, ctx)),
            ];
            if (r.def.strict && args.some((a) => a === null)) continue;
            state = r.def.step(state, args, ctx, r.argTypes);
          }
          const out = r.def.final(state, ctx, r.argTypes);
          return out === null ? null : outputText(r.resultType, out, ctx);
        });
        pending.push(
          pg.out(expr).then((want) => {
            if (
              "code" in want && "code" in got && want.code === "42883" && got.code === "42883"
            ) return;
            diff.check(`${name}(${type})`, got, want);
          }),
        );
        if (resultType !== 0) {
          pending.push(
            pg.eval(`pg_typeof(${expr})`).then((want) => {
              if ("value" in want) {
                diff.check(`pg_typeof ${name}(${type})`, { value: formatType(resultType) }, want);
              }
            }),
          );
        }
      }
    }
    await Promise.all(pending);
    diff.done(250);
  }
}

async function step2(pg: Oracle): Promise<void> {
  const ctx = defaultEvalContext();
  {
    const diff = new Diff();
    const data = [10, 20, 20, 30, 30, 30, 40]; // sorted partition with ties
    const peers = data.map((v) => [data.indexOf(v), data.lastIndexOf(v) + 1] as const);
    const groups = data.map((v) => [...new Set(data)].indexOf(v));
    const calls: [string, string[], (string | number)[]][] = [
      ["row_number", [], []],
      ["rank", [], []],
      ["dense_rank", [], []],
      ["percent_rank", [], []],
      ["cume_dist", [], []],
      ["ntile", [], [3]],
      ["ntile", [], [10]],
      ["lag", ["integer"], []],
      ["lead", ["integer", "integer"], [2]],
      ["lag", ["integer", "integer", "integer"], [1, -1]],
      ["first_value", ["integer"], []],
      ["last_value", ["integer"], []],
      ["nth_value", ["integer", "integer"], [2]],
    ];
    for (const [name, argTypes, extra] of calls) {
      const types = name === "ntile" ? [Oid.int4] : argTypes.map((t) => lookupTypeName(t)!);
      const sqlArgs = name === "ntile"
        ? String(extra[0])
        : argTypes.length === 0
        ? ""
        : ["x", ...extra.map(String)].join(", ");
      const r = resolveWindowFunction(name, types);
      const got = data.map((_, i) => {
        const view: WindowView = {
          rowCount: data.length,
          current: i,
          peerStart: peers[i]![0],
          peerEnd: peers[i]![1],
          peerGroup: groups[i]!,
          frameStart: 0,
          frameEnd: peers[i]![1], // default frame: RANGE UNBOUNDED PRECEDING to CURRENT ROW (with peers)
          arg: (
            k,
            row,
          ) => (name === "ntile"
            ? (extra[0] as number)
            : k === 0
            ? data[row]!
            : (extra[k - 1] as number)),
        };
        return ours(() => {
          const v = r.def.impl(view, ctx, r.argTypes);
          return v === null ? null : outputText(r.resultType, v, ctx);
        });
      });
      const want = await pg.rowsOut(
        `select ${name}(${sqlArgs}) over (order by x) from (values ${
          data.map((d) => `(${d})`).join(",")
        }) t(x)`,
      );
      diff.check(`${name}(${sqlArgs})`, got as never, want as never);
    }
    diff.done(10);
  }
}

Deno.test("aggregates and window functions match PostgreSQL (one oracle)", async (t) => {
  const pg = await Oracle.start();
  try {
    await t.step("aggregates compute PostgreSQL's values and result types", () => step1(pg));
    await t.step("window functions compute PostgreSQL's values", () => step2(pg));
  } finally {
    await pg.stop();
  }
});
