/**
 * @module Overload resolution against PostgreSQL's choices: operator and function calls with
 * typed and unknown-typed arguments (pg_typeof of the result), the errors for missing and
 * ambiguous candidates, and the common type of CASE/UNION/ARRAY.
 */
import assert from "node:assert/strict";
import { DbError } from "../../../db/sqlstate.ts";
import {
  commonType,
  formatType,
  lookupTypeName,
  Oid,
  resolveAggregate,
  resolveFunction,
  resolveOperator,
} from "../../../db/types/mod.ts";
import { Diff, lit, Oracle, ours, type Outcome } from "./oracle.ts";

type Operand = [string, string | null]; // literal text, type (null = unknown literal)

const opCases: [string, Operand, Operand][] = [
  ["+", ["1", "integer"], ["1.5", "numeric"]],
  ["||", ["1", null], ["1", "integer"]],
  ["||", ["a", "text"], ["1", "integer"]],
  ["||", ["a", null], ["b", null]],
  ["+", ["1", null], ["1", null]],
  ["+", ["1", "integer"], ["1", null]],
  ["+", ["1", "smallint"], ["1", "bigint"]],
  ["+", ["1", "integer"], ["1", "double precision"]],
  ["+", ["1", "real"], ["1", "numeric"]],
  ["*", ["1.5", "numeric"], ["2", "double precision"]],
  ["=", ["1", "integer"], ["1", "numeric"]],
  ["=", ["a", "text"], ["a", null]],
  ["=", ["a", "character(3)"], ["a", "text"]],
  ["<", ["2020-01-01", "date"], ["2020-01-01 10:00", null]],
  ["+", ["2020-01-01", "date"], ["1", null]],
  ["-", ["2020-01-01", "date"], ["2019-01-01", null]],
  ["+", ["2020-01-01", "timestamp"], ["1 day", null]],
  ["-", ["2020-01-01", "timestamptz"], ["1 day", null]],
  ["@>", ["{1,2}", "integer[]"], ["{1}", null]],
  ["||", ["{1,2}", "integer[]"], ["3", null]],
  ["||", ["{1,2}", "integer[]"], ["{3}", null]],
  ["->", ['{"a":1}', "jsonb"], ["a", null]],
  ["->", ["[1]", "jsonb"], ["0", "integer"]],
  ["+", ["1", "integer"], ["a", "text"]],
  ["-", ["a", "text"], ["1", "integer"]],
  ["~~", ["abc", "text"], ["a%", null]],
  ["~", ["abc", "text"], ["b", null]],
  ["=", ["1", "integer"], ["1", "bigint"]],
  ["/", ["1", "bigint"], ["2", "numeric"]],
  ["%", ["5", "smallint"], ["3", "integer"]],
  ["^", ["2", "integer"], ["3", "integer"]],
  ["^", ["2", "numeric"], ["3", "integer"]],
  ["+", ["1 day", "interval"], ["2020-01-01", "date"]],
  ["*", ["1 day", "interval"], ["2", "integer"]],
];

const fnCases: [string, Operand[]][] = [
  ["round", [["2.5", null]]],
  ["round", [["2.5", "double precision"]]],
  ["round", [["2", "integer"]]],
  ["round", [["2.567", "numeric"], ["2", null]]],
  ["abs", [["-1", null]]],
  ["abs", [["-1", "smallint"]]],
  ["sqrt", [["2", "integer"]]],
  ["length", [["abc", null]]],
  ["upper", [["a", "character(1)"]]],
  ["coalesce_missing", [["1", "integer"]]],
  ["substr", [["hello", null], ["2", null]]],
  ["concat", [["a", null], ["1", "integer"]]],
  ["array_append", [["{1}", "integer[]"], ["2", null]]],
  ["array_append", [["{1}", "integer[]"], ["2.5", "numeric"]]],
  ["array_position", [["{a}", "text[]"], ["a", null]]],
  ["to_jsonb", [["x", null]]],
  ["to_jsonb", [["1", "integer"]]],
  ["generate_series", [["1", "integer"], ["3", "bigint"]]],
  ["date_trunc", [["day", null], ["2020-01-01 10:00", null]]],
  ["date_part", [["year", null], ["2020-01-01", "date"]]],
  ["power", [["2", "integer"], ["2", "integer"]]],
  ["power", [["2", "numeric"], ["2", "integer"]]],
  ["log", [["100", "integer"]]],
  ["mod", [["7", "smallint"], ["2", "integer"]]],
  ["left", [["abc", "character varying"], ["1", "integer"]]],
  ["lower", [["1", "integer"]]],
  ["array_length", [["{1}", null], ["1", "integer"]]],
  ["unnest", [["{1,2}", "integer[]"]]],
  ["format", [["%s", null], ["1", "integer"], ["x", null]]],
  ["jsonb_build_object", [["a", null], ["1", "integer"]]],
  ["num_nulls", [["1", "integer"], ["a", null]]],
  ["int4", [["42", null]]],
  ["float8", [["1", "integer"]]],
  ["text", [["1", "integer"]]],
  ["date", [["2020-01-01", null]]],
];

function operand([v, t]: Operand): string {
  return t === null ? lit(v) : `${lit(v)}::${t}`;
}
function typeOf([, t]: Operand): number {
  return t === null ? Oid.unknown : lookupTypeName(t.replace(/\(\d+\)/, ""))!;
}
function outcomeOfError(e: unknown): Outcome {
  if (e instanceof DbError) return { code: e.code, message: e.message };
  throw e;
}

async function step1(pg: Oracle): Promise<void> {
  {
    const diff = new Diff();
    for (const [op, a, b] of opCases) {
      let got: Outcome;
      try {
        got = { value: formatType(resolveOperator(op, typeOf(a), typeOf(b)).resultType) };
      } catch (e) {
        got = outcomeOfError(e);
      }
      const want = await pg.eval(`pg_typeof(${operand(a)} ${op} ${operand(b)})`);
      // A 22xxx error means PostgreSQL resolved the operator, then failed to read a literal.
      if ("code" in want && want.code.startsWith("22")) {
        assert.ok("value" in got, `${op}: ${JSON.stringify(got)}`);
      } else diff.checkCode(`${operand(a)} ${op} ${operand(b)}`, got, want);
    }
    for (const [name, args] of fnCases) {
      let got: Outcome;
      try {
        const r = resolveFunction(name, args.map(typeOf));
        got = { value: formatType("coercion" in r ? r.targetType : r.resultType) };
      } catch (e) {
        got = outcomeOfError(e);
      }
      const call = `${name}(${args.map(operand).join(", ")})`;
      const want = name === "unnest" || name === "generate_series"
        ? await pg.eval(`(select pg_typeof(x) from ${call} x limit 1)`)
        : await pg.eval(`pg_typeof(${call})`);
      diff.checkCode(call, got, want);
    }
    diff.done(60);
    // (trunc('1.5') is ambiguous in PostgreSQL only because of trunc(macaddr), a type BKG-DB lacks.)
  }
}

Deno.test("resolution errors carry PostgreSQL's messages and hints", () => {
  const e1 = ours(() => String(resolveOperator("+", Oid.int4, Oid.text)));
  assert.deepEqual(e1, { code: "42883", message: "operator does not exist: integer + text" });
  try {
    resolveOperator("+", Oid.int4, Oid.text);
  } catch (e) {
    assert.ok(e instanceof DbError);
    assert.equal(
      e.fields.hint,
      "No operator matches the given name and argument types. You might need to add explicit type casts.",
    );
  }
  assert.deepEqual(ours(() => String(resolveOperator("+", Oid.unknown, Oid.unknown))), {
    code: "42725",
    message: "operator is not unique: unknown + unknown",
  });
  assert.deepEqual(ours(() => String(resolveFunction("foo", [Oid.int4]))), {
    code: "42883",
    message: "function foo(integer) does not exist",
  });
  assert.deepEqual(ours(() => String(resolveOperator("-", 0, Oid.text))), {
    code: "42883",
    message: "operator does not exist: - text",
  });
});

async function step2(pg: Oracle): Promise<void> {
  {
    const diff = new Diff();
    const sets: (string | null)[][] = [
      ["integer", "numeric"],
      ["integer", "bigint"],
      ["numeric", "double precision"],
      ["integer", null],
      [null, null],
      ["text", "character varying"],
      ["character varying", "text"],
      ["date", "timestamp"],
      ["timestamp", "timestamptz"],
      ["integer", "text"],
      ["real", "integer"],
      ["smallint", "real", "bigint"],
      ["character(2)", "character varying"],
      ["interval", "time"],
      ["bigint", null, "numeric"],
      ["jsonb", "json"],
      ["boolean", "integer"],
    ];
    const sample: Record<string, string> = {
      date: "2020-01-01",
      timestamp: "2020-01-01",
      timestamptz: "2020-01-01",
      interval: "1 day",
      time: "10:00",
      jsonb: "1",
      json: "1",
      boolean: "true",
    };
    const litFor = (t: string | null) => (t === null ? "'1'" : `${lit(sample[t] ?? "1")}::${t}`);
    for (const types of sets) {
      const got = ours(() =>
        formatType(
          commonType(
            types.map((
              t,
            ) => (t === null ? Oid.unknown : lookupTypeName(t.replace(/\(\d+\)/, ""))!)),
            "CASE",
          ),
        )
      );
      const branches = types.map((t, k) => `when ${k} = 0 then ${litFor(t)}`).join(" ");
      const want = await pg.eval(`pg_typeof(case ${branches} end)`);
      diff.checkCode(types.join(","), got, want);
      const arr = await pg.eval(`pg_typeof(array[${types.map(litFor).join(",")}])`);
      if ("value" in arr && "value" in got) {
        diff.check(`array[${types.join(",")}]`, { value: got.value + "[]" }, arr);
      }
    }
    diff.done(20);
  }
}

Deno.test("aggregate resolution gives PostgreSQL's result types", () => {
  assert.equal(formatType(resolveAggregate("avg", [Oid.int4]).resultType), "numeric");
  assert.equal(formatType(resolveAggregate("sum", [Oid.int4]).resultType), "bigint");
  assert.equal(formatType(resolveAggregate("sum", [Oid.int8]).resultType), "numeric");
  assert.equal(formatType(resolveAggregate("sum", [Oid.float4]).resultType), "real");
  assert.equal(formatType(resolveAggregate("count", []).resultType), "bigint");
  assert.equal(formatType(resolveAggregate("array_agg", [Oid.text]).resultType), "text[]");
  assert.equal(formatType(resolveAggregate("array_agg", [Oid.int4Array]).resultType), "integer[]");
  assert.equal(formatType(resolveAggregate("max", [Oid.textArray]).resultType), "text[]");
  assert.equal(formatType(resolveAggregate("stddev", [Oid.int4]).resultType), "numeric");
  assert.equal(formatType(resolveAggregate("stddev", [Oid.float4]).resultType), "double precision");
  assert.equal(
    formatType(resolveAggregate("string_agg", [Oid.text, Oid.unknown]).resultType),
    "text",
  );
});

Deno.test("resolution matches PostgreSQL (one oracle)", async (t) => {
  const pg = await Oracle.start();
  try {
    await t.step("operators and functions resolve to PostgreSQL's choices", () => step1(pg));
    await t.step("common types of CASE/UNION/ARRAY follow select_common_type", () => step2(pg));
  } finally {
    await pg.stop();
  }
});
