/**
 * @module Ordering and hashing: our comparators sort like PostgreSQL's ORDER BY (NaN greatest,
 * C collation, bpchar ignoring trailing spaces, jsonb's order, arrays with NULLs), and values
 * that compare equal hash equally.
 */
import assert from "node:assert/strict";
import {
  arraySlice,
  arraySubscript,
  comparator,
  defaultEvalContext,
  hashDatum,
  inputText,
  lookupTypeName,
  Oid,
  outputText,
  type PgArray,
} from "../../../db/types/mod.ts";
import { Diff, lit, Oracle } from "./oracle.ts";

const sets: [string, string[]][] = [
  ["integer", ["3", "-1", "2147483647", "0", "-2147483648"]],
  ["bigint", ["9223372036854775807", "-3", "0"]],
  ["double precision", ["NaN", "Infinity", "-Infinity", "0", "-0", "1.5", "-2", "1e300"]],
  ["real", ["NaN", "1", "-1", "Infinity"]],
  ["numeric", ["NaN", "Infinity", "-Infinity", "1.50", "1.49", "-0.001", "100", "99.999"]],
  ["text", ["b", "a", "B", "", "ab", "é", "z", "😀", "\uffff", "a b"]],
  ["character(3)", ["b", "a", "a  ", " a"]],
  ["bytea", ["\\x01", "\\x", "\\x0100", "\\xff", "\\x00"]],
  ["boolean", ["true", "false"]],
  ["date", ["infinity", "2020-01-01", "-infinity", "0001-01-01 BC"]],
  ["timestamp", ["2020-01-01 10:00", "infinity", "2020-01-01 09:59:59.999999"]],
  ["timestamptz", ["2020-01-01 10:00+02", "2020-01-01 09:00+00"]],
  ["time", ["24:00", "00:00", "12:00:00.5"]],
  ["timetz", ["12:00+02", "10:00+00", "11:00+01", "12:00+01"]],
  ["interval", ["1 mon", "30 days", "29 days 24:00:01", "-1 day", "1 year"]],
  ["uuid", ["ffffffff-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000001"]],
  ["jsonb", [
    '{"a":1}',
    "[]",
    "null",
    "true",
    "false",
    "1",
    "2.5",
    '"a"',
    '"b"',
    "[1,2]",
    "[1]",
    '{"b":1}',
    '{"a":1,"b":2}',
    "[[]]",
    '{"aa":1}',
    "[null]",
  ]],
  ["integer[]", [
    "{1,2}",
    "{1}",
    "{}",
    "{1,NULL}",
    "{{1,2},{3,4}}",
    "{0,5}",
    "[0:1]={1,2}",
    "{NULL}",
  ]],
  ["text[]", ["{b}", "{a,b}", '{""}']],
];

Deno.test("comparators order values as PostgreSQL's ORDER BY", async () => {
  const pg = await Oracle.start();
  const ctx = defaultEvalContext();
  try {
    const diff = new Diff();
    for (const [type, values] of sets) {
      const oid = lookupTypeName(type.replace(/\(\d+\)/, ""))!;
      const typmod = type === "character(3)" ? 7 : -1;
      const datums = values.map((v) => inputText(oid, v, typmod, ctx));
      const cmp = comparator(oid);
      const ours = [...datums].sort(cmp).map((d) => ({ value: outputText(oid, d, ctx) }));
      const collate = type === "text" || type === "character(3)" || type === "text[]"
        ? ' collate "C"'
        : "";
      const want = await pg.rowsOut(
        `select x from (values ${
          values.map((v) => `(${lit(v)}::${type})`).join(",")
        }) t(x) order by x${collate}`,
      );
      diff.check(`order by ${type}`, ours as never, want as never);
    }
    // Subscripts and slices, which the executor takes from here.
    const arrays: [string, (number | null)[], (number | null)[] | null][] = [
      ["{{1,2,3},{4,5,6}}", [1, 2], [2, 3]],
      ["{1,2,3}", [2], [null]],
      ["{1,2,3}", [5], [9]],
      ["[0:2]={7,8,9}", [0], [1]],
      ["{1,2,3}", [2], null],
      ["{{1,2},{3,4}}", [2, 1], null],
      ["{1,2,3}", [7], null],
      ["{{1,2},{3,4}}", [2], [2]],
    ];
    for (const [text, lo, hi] of arrays) {
      const a = inputText(Oid.int4Array, text, -1, ctx) as PgArray;
      const got = hi === null
        ? { value: ((v) => (v === null ? null : String(v)))(arraySubscript(a, lo as number[])) }
        : { value: outputText(Oid.int4Array, arraySlice(a, lo, hi), ctx) };
      const sub = hi === null
        ? lo.map((l) => `[${l}]`).join("")
        : lo.map((l, k) => `[${l ?? ""}:${hi[k] ?? ""}]`).join("");
      const expr = `(${lit(text)}::integer[])${sub}`;
      diff.check(expr, got, await pg.eval(expr));
    }
    diff.done(15);
  } finally {
    await pg.stop();
  }
});

Deno.test("values that compare equal hash equally", () => {
  const ctx = defaultEvalContext();
  const pairs: [number, string, string][] = [
    [Oid.numeric, "1.0", "1.00"],
    [Oid.numeric, "-0", "0.000"],
    [Oid.bpchar, "a", "a   "],
    [Oid.interval, "1 mon", "30 days"],
    [Oid.interval, "1 day", "24:00:00"],
    [Oid.float8, "-0", "0"],
    [Oid.float8, "NaN", "nan"],
    [Oid.jsonb, '{"a":1.0}', '{"a":1.00}'],
    [Oid.jsonb, '{"b":1,"a":2}', '{"a":2,"b":1}'],
    [Oid.int4Array, "{1,2}", "{1,2}"],
    [Oid.numericArray, "{1.0}", "{1}"],
  ];
  for (const [oid, a, b] of pairs) {
    const x = inputText(oid, a, -1, ctx);
    const y = inputText(oid, b, -1, ctx);
    assert.equal(comparator(oid)(x, y), 0, `${a} = ${b}`);
    assert.equal(hashDatum(oid, x), hashDatum(oid, y), `hash(${a}) = hash(${b})`);
  }
  // Integers of different widths hash alike, so int4 = int8 hash joins work.
  assert.equal(hashDatum(Oid.int4, 42), hashDatum(Oid.int8, 42n));
  assert.notEqual(hashDatum(Oid.text, "a"), hashDatum(Oid.text, "b"));
});
