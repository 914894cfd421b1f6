/**
 * @module Differential tests of casts: numeric conversions with rounding and range errors,
 * text ↔ anything via I/O, bool ↔ int, date/time conversions in a session TimeZone, json ↔ jsonb,
 * jsonb scalars, arrays, and typmod coercion (numeric(p,s) overflow with DETAIL, varchar(n)
 * truncation on explicit casts), against PostgreSQL's `(literal::source)::target`.
 */
import assert from "node:assert/strict";
import {
  canCoerce,
  castDatum,
  charTypmod,
  defaultEvalContext,
  inputText,
  lookupTypeName,
  numericTypmod,
  Oid,
  outputText,
} from "../../../db/types/mod.ts";
import { DbError } from "../../../db/sqlstate.ts";
import { Diff, lit, Oracle, ours } from "./oracle.ts";

const numbers = [
  "0",
  "2.5",
  "-2.5",
  "3.5",
  "1.4999",
  "32767.5",
  "32768",
  "-32768.5",
  "2147483647.4",
  "2147483647.5",
  "-2147483648.5",
  "9223372036854775807",
  "1e10",
  "1e19",
  "NaN",
  "Infinity",
  "-0",
  "0.000001",
  "123456.789",
  "1e-7",
];
const matrix: [string, string[], string[]][] = [
  ["numeric", numbers, [
    "smallint",
    "integer",
    "bigint",
    "real",
    "double precision",
    "text",
    "numeric(5,2)",
    "numeric(3,0)",
    "numeric(2,2)",
    "numeric(4,-2)",
    "varchar(3)",
  ]],
  ["double precision", numbers, ["smallint", "integer", "bigint", "real", "numeric", "text"]],
  ["real", [
    "0.1",
    "2.5",
    "3.5",
    "-2.5",
    "1e10",
    "16777217",
    "NaN",
    "-Infinity",
    "3.4e38",
    "1.17549435e-38",
  ], ["integer", "bigint", "double precision", "numeric", "text"]],
  ["integer", ["0", "1", "-1", "2147483647", "-2147483648", "65", "200", "-128", "127"], [
    "smallint",
    "bigint",
    "real",
    "double precision",
    "numeric",
    "boolean",
    "text",
    "oid",
    '"char"',
    "varchar(2)",
    "character(3)",
  ]],
  ["bigint", [
    "0",
    "-1",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "16777217",
    "9007199254740993",
  ], ["integer", "smallint", "oid", "real", "double precision", "numeric"]],
  ["smallint", ["-32768", "7"], ["integer", "bigint", "numeric", "real"]],
  ["oid", ["0", "4294967295", "2147483648"], ["integer", "bigint", "text"]],
  ["boolean", ["true", "false"], ["integer", "text", "varchar", "character(3)"]],
  ["text", ["42", " 42 ", "abc", "1.5", "true", "2020-01-02", "{1,2}", "hello world"], [
    "integer",
    "bigint",
    "numeric",
    "boolean",
    "date",
    "varchar(5)",
    "character(5)",
    '"char"',
    "name",
    "integer[]",
    "double precision",
    "jsonb",
    "json",
  ]],
  ["character(5)", ["ab", "abcde"], [
    "text",
    "varchar",
    "varchar(3)",
    "character(2)",
    '"char"',
    "name",
  ]],
  ["varchar", ["abc  ", "héllo"], ["text", "character(2)", "character(8)", "varchar(1)"]],
  ['"char"', ["a", "A"], ["integer", "text"]],
  ["date", ["2020-01-02", "infinity", "-infinity", "0044-03-15 BC", "2020-03-08", "2020-11-01"], [
    "timestamp",
    "timestamptz",
    "text",
  ]],
  ["timestamp", [
    "2020-01-02 03:04:05.678",
    "infinity",
    "-infinity",
    "2020-03-08 02:30",
    "2020-11-01 01:30",
    "1800-06-01 12:00",
  ], ["date", "time", "timestamptz", "text", "timestamp(0)", "timestamp(2)"]],
  ["timestamptz", [
    "2020-01-02 03:04:05.678+00",
    "infinity",
    "2020-07-01 12:00+02",
    "2020-03-08 07:30+00",
  ], ["date", "time", "timestamp", "timetz", "text", "timestamptz(1)"]],
  ["time", ["03:04:05.123456", "24:00:00"], ["interval", "time(2)", "text"]],
  ["interval", ["1 day 02:03:04", "-1 hours", "27:00:00", "1 year 2 mons 3 days 04:05:06.789"], [
    "time",
    "text",
    "interval(1)",
    "interval year",
    "interval day to hour",
    "interval minute",
  ]],
  ["timetz", ["03:04:05+02"], ["time", "text"]],
  ["json", ['{"b":1,"a":[1,2.50]}', "[1, 2]", '"x"'], ["jsonb", "text"]],
  ["jsonb", ['{"b":1,"a":[1,2.50]}', "1.5", "2.5", "true", '"x"', "null", "[1]", "1e3"], [
    "json",
    "text",
    "integer",
    "bigint",
    "numeric",
    "double precision",
    "boolean",
    "smallint",
    "real",
  ]],
  ["integer[]", ["{1,2,NULL}", "{{1,2},{3,4}}", "[0:1]={7,8}"], [
    "bigint[]",
    "text[]",
    "numeric[]",
    "text",
    "smallint[]",
  ]],
  ["text[]", ['{1,2,"3"}', "{a,b}"], ["integer[]", "varchar(1)[]"]],
  ["numeric[]", ["{1.5,2.5,NULL}"], ["integer[]", "numeric(3,1)[]"]],
  ["uuid", ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"], ["text"]],
  ["bytea", ["\\x0102"], ["text"]],
];

Deno.test("casts give PostgreSQL's values and errors", async () => {
  const pg = await Oracle.start();
  try {
    const diff = new Diff();
    const pending: Promise<void>[] = [];
    for (const zone of ["UTC", "America/New_York"]) {
      const ctx = defaultEvalContext({ timeZone: zone });
      for (const [src, values, targets] of matrix) {
        if (zone !== "UTC" && !["date", "timestamp", "timestamptz", "time"].includes(src)) continue;
        const srcOid = resolveType(src).oid;
        for (const value of values) {
          for (const tgt of targets) {
            const { oid: tgtOid, typmod } = resolveType(tgt);
            const got = ours(() => {
              const v = castDatum(inputText(srcOid, value, -1, ctx), srcOid, tgtOid, ctx, {
                typmod,
                explicit: true,
              });
              return v === null ? null : outputText(tgtOid, v, ctx);
            });
            const expr = `(${lit(value)}::${src})::${tgt}`;
            pending.push(
              pg.out(expr, zone).then((want) => diff.check(`[${zone}] ${expr}`, got, want)),
            );
          }
        }
      }
    }
    await Promise.all(pending);
    diff.done(500);
  } finally {
    await pg.stop();
  }
});

Deno.test("numeric(p,s) overflow carries PostgreSQL's DETAIL", () => {
  const ctx = defaultEvalContext();
  const n = inputText(Oid.numeric, "123.456", -1, ctx);
  assert.throws(
    () => castDatum(n, Oid.numeric, Oid.numeric, ctx, { typmod: numericTypmod(4, 2) }),
    (e) => {
      assert.ok(e instanceof DbError);
      assert.equal(e.code, "22003");
      assert.equal(e.message, "numeric field overflow");
      assert.equal(
        e.fields.detail,
        "A field with precision 4, scale 2 must round to an absolute value less than 10^2.",
      );
      return true;
    },
  );
});

Deno.test("varchar(n) assignment fails where an explicit cast truncates", () => {
  const ctx = defaultEvalContext();
  assert.equal(
    castDatum("abcd", Oid.text, Oid.varchar, ctx, { typmod: charTypmod(3), explicit: true }),
    "abc",
  );
  assert.equal(castDatum("abc  ", Oid.text, Oid.varchar, ctx, { typmod: charTypmod(3) }), "abc");
  assert.throws(
    () => castDatum("abcd", Oid.text, Oid.varchar, ctx, { typmod: charTypmod(3) }),
    (e) => {
      assert.ok(e instanceof DbError);
      assert.equal(e.code, "22001");
      assert.equal(e.message, "value too long for type character varying(3)");
      return true;
    },
  );
});

Deno.test("cast contexts follow pg_cast and the I/O rules", () => {
  assert.ok(canCoerce(Oid.int4, Oid.int8, "implicit"));
  assert.ok(!canCoerce(Oid.int8, Oid.int4, "implicit"));
  assert.ok(canCoerce(Oid.int8, Oid.int4, "assignment"));
  assert.ok(canCoerce(Oid.int4, Oid.text, "assignment"));
  assert.ok(!canCoerce(Oid.int4, Oid.text, "implicit"));
  assert.ok(canCoerce(Oid.text, Oid.int4, "explicit"));
  assert.ok(!canCoerce(Oid.text, Oid.int4, "assignment"));
  assert.ok(canCoerce(Oid.int4Array, Oid.int8Array, "implicit"));
  assert.ok(!canCoerce(Oid.bool, Oid.int4, "assignment"));
  assert.ok(canCoerce(Oid.unknown, Oid.date, "implicit"));
  assert.ok(!canCoerce(Oid.date, Oid.int4, "explicit"));
});

function resolveType(spec: string): { oid: number; typmod: number } {
  const m = /^(.*?)\((-?\d+)(?:,(-?\d+))?\)(\[\])?$/.exec(spec);
  const iv = /^interval (.*)$/.exec(spec);
  if (iv !== null) {
    const F: Record<string, number> = { year: 4, "day to hour": 8 | 1024, minute: 2048 };
    return { oid: Oid.interval, typmod: (F[iv[1]!]! << 16) | 0xffff };
  }
  if (m === null) return { oid: lookupTypeName(spec)!, typmod: -1 };
  const base = m[1]!;
  const oid = lookupTypeName(base + (m[4] ?? ""))!;
  const a = Number(m[2]);
  if (base === "numeric") {
    return { oid, typmod: numericTypmod(a, m[3] === undefined ? 0 : Number(m[3])) };
  }
  if (base === "varchar" || base === "character") return { oid, typmod: charTypmod(a) };
  if (base === "interval") return { oid, typmod: (0x7fff << 16) | a };
  return { oid, typmod: a };
}
