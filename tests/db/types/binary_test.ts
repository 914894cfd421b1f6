/**
 * @module Binary send/receive against PostgreSQL's *_send functions (`int4send(42)` → bytea):
 * our bytes must equal PostgreSQL's, and receive(send(x)) must print as x.
 */
import assert from "node:assert/strict";
import {
  defaultEvalContext,
  inputText,
  lookupTypeName,
  outputText,
  recvBinary,
  sendBinary,
} from "../../../db/types/mod.ts";
import { toHex } from "../../../db/types/bytea.ts";
import { Diff, lit, Oracle } from "./oracle.ts";

const cases: [string, string, string[]][] = [
  ["boolean", "boolsend", ["t", "f"]],
  ["bytea", "byteasend", ["\\x", "\\x00ff10"]],
  ['"char"', "charsend", ["a"]],
  ["text", "textsend", ["", "héllo 😀"]],
  ["varchar", "varcharsend", ["abc"]],
  ["name", "namesend", ["abc"]],
  ["character(4)", "bpcharsend", ["ab"]],
  ["smallint", "int2send", ["-32768", "1"]],
  ["integer", "int4send", ["42", "-1", "2147483647"]],
  ["bigint", "int8send", ["-9223372036854775808", "12345678901234"]],
  ["oid", "oidsend", ["4294967295"]],
  ["real", "float4send", ["0.1", "-0", "NaN", "Infinity"]],
  ["double precision", "float8send", ["0.1", "1e308", "-Infinity"]],
  ["numeric", "numeric_send", [
    "0",
    "0.00",
    "1",
    "-1.5",
    "12345.6789",
    "0.0001",
    "1e20",
    "123456789012345678901234567890.000000001",
    "NaN",
    "Infinity",
    "-Infinity",
    "10000",
    "0.1000",
  ]],
  ["date", "date_send", ["2020-01-02", "1999-12-31", "infinity", "-infinity", "0044-03-15 BC"]],
  ["time", "time_send", ["12:34:56.789", "24:00:00"]],
  ["timetz", "timetz_send", ["12:34:56+05:30", "00:00-08"]],
  ["timestamp", "timestamp_send", ["2020-01-02 03:04:05.678", "infinity", "1900-01-01"]],
  ["timestamptz", "timestamptz_send", ["2020-01-02 03:04:05.678+02", "-infinity"]],
  ["interval", "interval_send", ["1 year 2 mons 3 days 04:05:06.789", "-1 days"]],
  ["uuid", "uuid_send", ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"]],
  ["json", "json_send", ['{"a": [1, 2]}']],
  ["jsonb", "jsonb_send", ['{"b": 1, "a": [1, 2.50]}', "null"]],
  ["integer[]", "array_send", ["{1,2,NULL}", "{}", "{{1,2},{3,4}}", "[0:1]={5,6}"]],
  ["text[]", "array_send", ['{a,"b c",NULL}']],
  ["numeric[]", "array_send", ["{1.5,NaN}"]],
  ["timestamptz[]", "array_send", ["{2020-01-01 00:00+00}"]],
];

Deno.test("binary send matches PostgreSQL's *_send and receive round-trips", async () => {
  const pg = await Oracle.start();
  const ctx = defaultEvalContext({ timeZone: "UTC" });
  try {
    const diff = new Diff();
    for (const [type, send, values] of cases) {
      const oid = lookupTypeName(type.replace(/\(\d+\)/, ""))!;
      const typmod = type.includes("(4)") ? 8 : -1;
      for (const v of values) {
        const d = inputText(oid, v, typmod, ctx);
        const bytes = sendBinary(oid, d, ctx);
        const want = await pg.eval(`encode(${send}(${lit(v)}::${type}), 'hex')`);
        diff.check(`${send}(${lit(v)}::${type})`, { value: toHex(bytes) }, want);
        const back = recvBinary(oid, bytes, ctx);
        assert.equal(
          outputText(oid, back, ctx),
          outputText(oid, d, ctx),
          `round trip of ${type} ${v}`,
        );
      }
    }
    diff.done(60);
  } finally {
    await pg.stop();
  }
});
