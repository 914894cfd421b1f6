/**
 * @module Tests of the datetime template parser shared by to_date, to_timestamp and jsonpath's
 * .datetime(template): the fields it reads, the kinds of fields (dated/timed/zoned) that pick the
 * result type, lenient versus standard mode, and PostgreSQL's error codes and messages. The
 * differential cases against PostgreSQL are in tests/compat/cases/096_fixes.slt.
 */
import assert from "node:assert/strict";
import { DbError } from "../../../db/sqlstate.ts";
import { parseWithTemplate } from "../../../db/types/template_parse.ts";
import { parseJpDatetimeTemplate } from "../../../db/types/jsonpath_datetime.ts";

function fails(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DbError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    return true;
  });
}

Deno.test("template parser reads fixed-width and separated fields into a broken-down time", () => {
  const r = parseWithTemplate("20200102 10:11:12.5 +05:30", "YYYYMMDD HH24:MI:SS.MS TZH:TZM", true);
  assert.deepEqual(r.tm, {
    year: 2020,
    month: 1,
    day: 2,
    hour: 10,
    minute: 11,
    second: 12,
    micros: 500000,
  });
  assert.equal(r.offset, 5 * 3600 + 30 * 60);
  assert.deepEqual([r.dated, r.timed, r.zoned], [true, true, true]);
  const t = parseWithTemplate("10:11", "HH24:MI", true);
  assert.deepEqual([t.dated, t.timed, t.zoned], [false, true, false]);
  assert.equal(t.tm.year, 0, "no year given is year 0 (1 BC), as PostgreSQL's zeroed tm");
});

Deno.test("template parser is lenient for to_date and strict in standard mode", () => {
  assert.deepEqual(parseWithTemplate("2020/01/02", "YYYY-MM-DD").tm.day, 2);
  fails(
    () => parseWithTemplate("2020/01/02", "YYYY-MM-DD", true),
    "22007",
    'unmatched format separator "-"',
  );
  fails(
    () => parseWithTemplate("2020-01-02", "YYYY#MM#DD", true),
    "22007",
    'invalid datetime format separator: "#"',
  );
  fails(
    () => parseWithTemplate("2020-01-02 1", "YYYY-MM-DD", true),
    "22007",
    "trailing characters remain in input string after datetime format",
  );
  fails(
    () => parseWithTemplate("2020-01-02", "YYYY-MM-DD HH24", true),
    "22007",
    "input string is too short for datetime format",
  );
  fails(
    () => parseWithTemplate("123", "YYYYMM", true),
    "22007",
    'source string too short for "YYYY" formatting field',
  );
  fails(
    () => parseWithTemplate("2021-02-29", "YYYY-MM-DD", true),
    "22008",
    'date/time field value out of range: "2021-02-29"',
  );
  fails(
    () => parseWithTemplate("10:00 +16", "HH24:MI TZH", true),
    "22009",
    'time zone displacement out of range: "10:00 +16"',
  );
});

Deno.test("jsonpath .datetime(template) picks the type from the fields and rounds FFn", () => {
  const cases: [string, string, string, string][] = [
    ["2020-01-02", "yyyy-mm-dd", "date", "2020-01-02"],
    [
      "2020-01-02 10:11",
      "yyyy-mm-dd HH24:MI",
      "timestamp without time zone",
      "2020-01-02T10:11:00",
    ],
    [
      "2020-01-02 10:11 -03",
      "yyyy-mm-dd HH24:MI TZH",
      "timestamp with time zone",
      "2020-01-02T10:11:00-03:00",
    ],
    ["10:11", "HH24:MI", "time without time zone", "10:11:00"],
    ["10:11 +01:30", "HH24:MI TZH:TZM", "time with time zone", "10:11:00+01:30"],
    ["12.345678", "SS.FF3", "time without time zone", "00:00:12.346"],
    ["1 BC", "YYYY BC", "date", "0001-01-01 BC"],
  ];
  for (const [input, template, type, text] of cases) {
    const d = parseJpDatetimeTemplate(input, template);
    assert.equal(d.typeName, type, `${input} / ${template}`);
    assert.equal(d.text, text, `${input} / ${template}`);
  }
  fails(
    () => parseJpDatetimeTemplate("2020-01-02 +03", "yyyy-mm-dd TZH"),
    "22007",
    "datetime format is zoned but not timed",
  );
  fails(
    () => parseJpDatetimeTemplate("2020-01-02 UTC", "yyyy-mm-dd TZ"),
    "0A000",
    'formatting field "TZ" is only supported in to_char',
  );
});
