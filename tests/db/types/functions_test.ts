/**
 * @module Differential tests of functions: string, math, date/time, json/jsonb, array and
 * set-returning functions, resolved by name and argument types as PostgreSQL resolves them
 * (result type compared through pg_typeof) and evaluated on the same inputs.
 */
import type { Datum } from "../../../db/datum.ts";
import {
  castDatum,
  defaultEvalContext,
  formatType,
  inputText,
  invokeFunction,
  invokeSetFunction,
  lookupTypeName,
  Oid,
  outputText,
  resolveFunction,
} from "../../../db/types/mod.ts";
import { Diff, lit, Oracle, ours, type Outcome } from "./oracle.ts";

type Arg = [string | null, string]; // literal (null for NULL), type ("unknown" = untyped literal)
type Call = [string, Arg[]];

const u = (s: string): Arg => [s, "unknown"];
const t = (s: string): Arg => [s, "text"];
const i = (s: string | number): Arg => [String(s), "integer"];
const n = (s: string | number): Arg => [String(s), "numeric"];
const f = (s: string | number): Arg => [String(s), "double precision"];

const scalar: Call[] = [
  // strings
  ["length", [t("héllo")]],
  ["length", [["ab  ", "character(4)"]]],
  ["char_length", [t("")]],
  ["octet_length", [t("héllo")]],
  ["bit_length", [t("ab")]],
  ["lower", [t("ÀBC")]],
  ["upper", [t("straße")]],
  ["initcap", [t("hello wORLD-foo bar_baz 3rd")]],
  ["substring", [t("hello"), i(2), i(3)]],
  ["substring", [t("hello"), i(0), i(3)]],
  ["substring", [t("hello"), i(-2)]],
  ["substr", [t("hello"), i(2)]],
  ["substring", [t("hello"), i(2), i(-1)]],
  ["substring", [t("foobar"), t("o(b.)")]],
  ["substring", [t("foobar"), t('#"o_b#"%'), t("#")]],
  ["position", [t("b"), t("abc")]],
  ["strpos", [t("héllo"), t("l")]],
  ["replace", [t("abcabc"), t("b"), t("X")]],
  ["split_part", [t("a,b,c"), t(","), i(2)]],
  ["split_part", [t("a,b,c"), t(","), i(-1)]],
  ["split_part", [t("a,b,c"), t(","), i(5)]],
  ["split_part", [t("a,b"), t(","), i(0)]],
  ["btrim", [t("  x  ")]],
  ["ltrim", [t("xxabcxx"), t("x")]],
  ["rtrim", [t("abc  ")]],
  ["btrim", [t("xyzabczyx"), t("xyz")]],
  ["lpad", [t("hi"), i(5)]],
  ["lpad", [t("hi"), i(5), t("xy")]],
  ["rpad", [t("hello"), i(3)]],
  ["rpad", [t("hi"), i(6), t("ab")]],
  ["lpad", [t("hi"), i(-1)]],
  ["concat", [t("a"), i(1), ["NULL", "unknown"], ["true", "boolean"], n("1.50")]],
  ["concat_ws", [t(","), t("a"), [null, "text"], i(2)]],
  ["left", [t("hello"), i(2)]],
  ["left", [t("hello"), i(-2)]],
  ["right", [t("hello"), i(2)]],
  ["right", [t("hello"), i(-2)]],
  ["repeat", [t("ab"), i(3)]],
  ["repeat", [t("ab"), i(-1)]],
  ["reverse", [t("héllo")]],
  ["starts_with", [t("alphabet"), t("alph")]],
  ["ascii", [t("A")]],
  ["ascii", [t("é")]],
  ["ascii", [t("")]],
  ["chr", [i(65)]],
  ["chr", [i(233)]],
  ["chr", [i(0)]],
  ["md5", [t("abc")]],
  ["sha256", [["abc", "bytea"]]],
  ["encode", [["\\x00ff41", "bytea"], t("hex")]],
  ["encode", [["hello world", "bytea"], t("base64")]],
  ["encode", [["\\x00415c", "bytea"], t("escape")]],
  ["decode", [t("aGVsbG8="), t("base64")]],
  ["decode", [t("00ff"), t("hex")]],
  ["decode", [t("a\\000b"), t("escape")]],
  ["quote_ident", [t("abc")]],
  ["quote_ident", [t("Abc")]],
  ["quote_ident", [t("select")]],
  ["quote_ident", [t('a"b')]],
  ["quote_ident", [t("user_1")]],
  ["quote_literal", [t("it's")]],
  ["quote_literal", [t("a\\b")]],
  ["quote_literal", [i(42)]],
  ["quote_nullable", [[null, "text"]]],
  ["format", [t("Hello %s, %I, %L, %%"), t("World"), t("Tbl"), t("it's")]],
  ["format", [t("%2$s %1$s"), t("a"), t("b")]],
  ["format", [t("|%5s|%-5s|"), t("x"), t("y")]],
  ["format", [t("%s %s"), i(1), [null, "text"]]],
  ["format", [t("%L"), [null, "text"]]],
  ["format", [t("%x"), i(1)]],
  ["format", [t("%s %s"), i(1)]],
  ["format", [t("%*s|"), i(4), t("ab")]],
  ["regexp_replace", [t("Thomas"), t(".[mN]a."), t("M")]],
  ["regexp_replace", [t("foobarbaz"), t("b(..)"), t("X\\1Y"), t("g")]],
  ["regexp_replace", [t("ABC abc"), t("b"), t("x"), t("gi")]],
  ["regexp_match", [t("foobarbequebaz"), t("(bar)(beque)")]],
  ["regexp_match", [t("abc"), t("x")]],
  ["regexp_match", [t("foobar"), t("bar")]],
  ["regexp_split_to_array", [t("hello world  x"), t("\\s+")]],
  ["regexp_split_to_array", [t("abc"), t("")]],
  ["string_to_array", [t("a,b,,c"), t(",")]],
  ["string_to_array", [t("a,b,NULL"), t(","), t("NULL")]],
  ["string_to_array", [t("abc"), [null, "text"]]],
  ["string_to_array", [t(""), t(",")]],
  ["array_to_string", [["{1,NULL,3}", "integer[]"], t(",")]],
  ["array_to_string", [["{1,NULL,3}", "integer[]"], t(","), t("*")]],
  ["to_hex", [i(255)]],
  ["to_hex", [i(-1)]],
  ["to_hex", [["-1", "bigint"]]],
  ["translate", [t("12345"), t("143"), t("ax")]],
  ["overlay", [t("Txxxxas"), t("hom"), i(2), i(4)]],
  ["overlay", [t("abcdef"), t("XY"), i(3)]],
  // math
  ["abs", [i(-5)]],
  ["abs", [n("-1.50")]],
  ["abs", [f(-0.5)]],
  ["abs", [i(-2147483648)]],
  ["ceil", [n("1.2")]],
  ["ceil", [f(-1.5)]],
  ["floor", [n("-1.2")]],
  ["floor", [f(2.7)]],
  ["round", [f(2.5)]],
  ["round", [f(3.5)]],
  ["round", [f(-2.5)]],
  ["round", [n("2.5")]],
  ["round", [n("-2.5")]],
  ["round", [n("1.2345"), i(2)]],
  ["round", [n("1234.5"), i(-2)]],
  ["round", [u("2.5")]],
  ["round", [i(3)]],
  ["trunc", [n("1.999"), i(1)]],
  ["trunc", [f(-1.5)]],
  ["sign", [n("-3.2")]],
  ["sign", [f(0)]],
  ["sqrt", [n("2")]],
  ["sqrt", [f(2)]],
  ["sqrt", [n("16")]],
  ["sqrt", [n("0.0001")]],
  ["sqrt", [f(-1)]],
  ["sqrt", [n("123456789.123456789")]],
  ["cbrt", [f(-8)]],
  ["exp", [n("1")]],
  ["exp", [f(1)]],
  ["exp", [n("0.5")]],
  ["exp", [n("-10")]],
  ["exp", [n("100")]],
  ["ln", [n("2")]],
  ["ln", [f(10)]],
  ["ln", [n("0")]],
  ["ln", [n("-1")]],
  ["ln", [n("1.05")]],
  ["ln", [n("1000000")]],
  ["log", [n("100")]],
  ["log", [f(1000)]],
  ["log10", [n("2")]],
  ["log", [n("2"), n("64")]],
  ["log", [n("10"), n("0.001")]],
  ["power", [n("2"), n("0.5")]],
  ["power", [f(2), f(10)]],
  ["power", [n("2"), n("10")]],
  ["pow", [n("1.5"), n("2.5")]],
  ["power", [i(2), i(3)]],
  ["power", [n("-8"), n("0.333")]],
  ["mod", [i(7), i(-3)]],
  ["mod", [n("7.5"), n("2")]],
  ["mod", [i(1), i(0)]],
  ["div", [n("7.5"), n("2")]],
  ["div", [n("-7"), n("2")]],
  ["pi", []],
  ["degrees", [f(1)]],
  ["radians", [f(180)]],
  ["sin", [f(1)]],
  ["cos", [f(0)]],
  ["tan", [f(1)]],
  ["asin", [f(1)]],
  ["acos", [f(2)]],
  ["atan", [f(1)]],
  ["atan2", [f(1), f(2)]],
  ["gcd", [i(12), i(18)]],
  ["lcm", [i(4), i(6)]],
  ["gcd", [["12", "bigint"], ["-18", "bigint"]]],
  ["width_bucket", [f(5.35), f(0.024), f(10.06), i(5)]],
  ["width_bucket", [f(-1), f(0), f(10), i(5)]],
  ["factorial", [["20", "bigint"]]],
  ["scale", [n("1.500")]],
  ["trim_scale", [n("1.500")]],
  ["min_scale", [n("1.500")]],
  // date/time
  ["date_part", [t("year"), ["2020-02-29 12:34:56.789", "timestamp"]]],
  ["date_part", [t("epoch"), ["2020-01-01 00:00:00+00", "timestamptz"]]],
  ["extract", [t("epoch"), ["2020-01-01 00:00:00.5", "timestamp"]]],
  ["extract", [t("second"), ["2020-01-01 00:00:05.25", "timestamp"]]],
  ["extract", [t("milliseconds"), ["2020-01-01 00:00:05.25", "timestamp"]]],
  ["extract", [t("dow"), ["2020-01-05", "timestamp"]]],
  ["extract", [t("isodow"), ["2020-01-05", "timestamp"]]],
  ["extract", [t("week"), ["2021-01-03", "timestamp"]]],
  ["extract", [t("isoyear"), ["2021-01-03", "timestamp"]]],
  ["extract", [t("doy"), ["2020-12-31", "timestamp"]]],
  ["extract", [t("quarter"), ["2020-08-01", "timestamp"]]],
  ["extract", [t("century"), ["2000-12-31", "timestamp"]]],
  ["extract", [t("millennium"), ["2001-01-01", "timestamp"]]],
  ["extract", [t("decade"), ["0005-01-01 BC", "timestamp"]]],
  ["extract", [t("year"), ["0005-01-01 BC", "timestamp"]]],
  ["extract", [t("julian"), ["2020-01-01 12:00", "timestamp"]]],
  ["extract", [t("hour"), ["2020-07-01 12:00+00", "timestamptz"]]],
  ["extract", [t("timezone"), ["2020-07-01 12:00+00", "timestamptz"]]],
  ["extract", [t("timezone_hour"), ["2020-01-01 12:00+00", "timestamptz"]]],
  ["extract", [t("epoch"), ["1 day 02:00:00.5", "interval"]]],
  ["extract", [t("epoch"), ["1 year 1 mon", "interval"]]],
  ["extract", [t("hour"), ["27:15:00", "interval"]]],
  ["extract", [t("month"), ["14 mons", "interval"]]],
  ["extract", [t("day"), ["2020-02-29", "date"]]],
  ["extract", [t("epoch"), ["2020-02-29", "date"]]],
  ["extract", [t("hour"), ["2020-02-29", "date"]]],
  ["extract", [t("foo"), ["2020-02-29", "timestamp"]]],
  ["extract", [t("second"), ["12:34:56.789", "time"]]],
  ["extract", [t("year"), ["infinity", "timestamp"]]],
  ["extract", [t("month"), ["infinity", "timestamp"]]],
  ["extract", [t("year"), ["infinity", "date"]]],
  ["extract", [t("isoyear"), ["-infinity", "date"]]],
  ["extract", [t("month"), ["infinity", "date"]]],
  ["extract", [t("hour"), ["-infinity", "date"]]],
  ["date_part", [t("dow"), ["2020-02-29", "date"]]],
  ["date_trunc", [t("month"), ["2020-02-29 12:34:56", "timestamp"]]],
  ["date_trunc", [t("week"), ["2020-03-01 12:00", "timestamp"]]],
  ["date_trunc", [t("quarter"), ["2020-08-15", "timestamp"]]],
  ["date_trunc", [t("day"), ["2020-03-08 12:00-04", "timestamptz"]]],
  ["date_trunc", [t("hour"), ["2020-11-01 01:30-05", "timestamptz"]]],
  ["date_trunc", [t("year"), ["2020-06-01 00:00+00", "timestamptz"]]],
  ["date_trunc", [t("century"), ["2020-06-01", "timestamp"]]],
  ["date_trunc", [t("decade"), ["2019-06-01", "timestamp"]]],
  ["date_trunc", [t("millisecond"), ["2020-06-01 00:00:00.123456", "timestamp"]]],
  ["date_trunc", [t("day"), ["2020-06-01 18:00+00", "timestamptz"], t("Asia/Tokyo")]],
  ["date_trunc", [t("hour"), ["1 day 02:34:56", "interval"]]],
  ["date_trunc", [t("year"), ["14 mons 3 days", "interval"]]],
  ["age", [["2020-03-31", "timestamp"], ["2020-02-29", "timestamp"]]],
  ["age", [["2020-01-15", "timestamp"], ["2021-03-01 12:00", "timestamp"]]],
  ["age", [["2001-04-10", "timestamp"], ["1957-06-13", "timestamp"]]],
  ["age", [["2020-03-31 00:00-04", "timestamptz"], ["2020-02-29 00:00-05", "timestamptz"]]],
  ["make_date", [i(2020), i(2), i(29)]],
  ["make_date", [i(2021), i(2), i(29)]],
  ["make_date", [i(-44), i(3), i(15)]],
  ["make_time", [i(8), i(15), f(23.5)]],
  ["make_timestamp", [i(2020), i(1), i(2), i(3), i(4), f(5.5)]],
  ["make_timestamptz", [i(2020), i(7), i(2), i(3), i(4), f(5)]],
  ["make_timestamptz", [i(2020), i(7), i(2), i(3), i(4), f(5), t("Europe/Paris")]],
  ["make_interval", [i(1), i(2), i(3), i(4), i(5), i(6), f(7.5)]],
  ["make_interval", [i(0), i(0), i(0), i(10)]],
  ["make_interval", []],
  ["to_timestamp", [f(1577836800.5)]],
  ["to_timestamp", [f(0)]],
  ["justify_days", [["35 days", "interval"]]],
  ["justify_hours", [["27 hours", "interval"]]],
  ["justify_interval", [["1 mon -1 hour", "interval"]]],
  ["justify_interval", [["-1 mon 35 days 25:00", "interval"]]],
  ["isfinite", [["infinity", "date"]]],
  ["isfinite", [["2020-01-01", "timestamp"]]],
  ["timezone", [t("Asia/Tokyo"), ["2020-01-01 00:00+00", "timestamptz"]]],
  ["timezone", [t("America/Los_Angeles"), ["2020-07-01 00:00", "timestamp"]]],
  ["date_bin", [["15 minutes", "interval"], ["2020-02-11 15:44:17", "timestamp"], [
    "2001-01-01",
    "timestamp",
  ]]],
  ["to_char", [["2020-03-05 14:07:09.123456", "timestamp"], t("YYYY-MM-DD HH24:MI:SS.US")]],
  ["to_char", [["2020-03-05 14:07:09", "timestamp"], t("Day, DD Month YYYY HH12:MI AM")]],
  ["to_char", [["2020-03-05 14:07:09", "timestamp"], t("FMDay, FMDD FMMonth YYYY")]],
  ["to_char", [["2020-03-05 04:07:09", "timestamp"], t("Dy Mon dd yy hh:mi pm Q WW IW DDD J")]],
  ["to_char", [["2020-03-05 04:07:09", "timestamp"], t('DDth "of" MONTH, YYYY')]],
  ["to_char", [["2020-03-05 04:07:09+00", "timestamptz"], t("YYYY-MM-DD HH24:MI:SS OF")]],
  ["to_char", [["1 day 02:03:04", "interval"], t("HH24:MI:SS")]],
  ["to_char", [n("1234.5"), t("9999.99")]],
  ["to_char", [n("-1234.5"), t("9,999.99")]],
  ["to_char", [n("0.5"), t("0.99")]],
  ["to_char", [n("12"), t("0000")]],
  ["to_char", [n("1.5"), t("FM9.99")]],
  ["to_char", [n("12345"), t("999")]],
  ["to_char", [i(-42), t("S999")]],
  ["to_char", [i(42), t("999PR")]],
  ["to_char", [i(-42), t("999PR")]],
  ["to_char", [f(3.14159), t("9.999")]],
  ["to_char", [i(485), t("999MI")]],
  ["to_char", [i(-485), t("999MI")]],
  ["to_date", [t("05 Mar 2020"), t("DD Mon YYYY")]],
  ["to_date", [t("2020-03-05"), t("YYYY-MM-DD")]],
  ["to_timestamp", [t("2020-03-05 14:07:09"), t("YYYY-MM-DD HH24:MI:SS")]],
  ["to_timestamp", [t("05/03/2020 02:07 PM"), t("DD/MM/YYYY HH12:MI AM")]],
  // json
  ["to_jsonb", [i(1)]],
  ["to_jsonb", [t('a"b')]],
  ["to_jsonb", [f(1.5)]],
  ["to_jsonb", [["NaN", "double precision"]]],
  ["to_jsonb", [["{1,NULL}", "integer[]"]]],
  ["to_jsonb", [["{{1,2},{3,4}}", "integer[]"]]],
  ["to_jsonb", [["2020-01-02 03:04:05.5", "timestamp"]]],
  ["to_jsonb", [["2020-01-02 03:04:05+00", "timestamptz"]]],
  ["to_jsonb", [["2020-01-02", "date"]]],
  ["to_json", [t("x")]],
  ["to_json", [["{a,b}", "text[]"]]],
  ["to_json", [["true", "boolean"]]],
  ["to_jsonb", [["1 day", "interval"]]],
  ["jsonb_build_object", [t("a"), i(1), t("b"), ["{1,2}", "integer[]"], t("c"), [null, "text"]]],
  ["json_build_object", [t("a"), i(1), t("b"), t("x")]],
  ["jsonb_build_array", [i(1), t("a"), [null, "text"], ["true", "boolean"]]],
  ["json_build_array", [i(1), t("a")]],
  ["jsonb_build_object", [t("a")]],
  ["jsonb_object", [["{a,1,b,2}", "text[]"]]],
  ["jsonb_object", [["{a,b}", "text[]"], ["{1,NULL}", "text[]"]]],
  ["json_object", [["{{a,1},{b,2}}", "text[]"]]],
  ["jsonb_set", [['{"a":[1,2,3]}', "jsonb"], ["{a,1}", "text[]"], ['"x"', "jsonb"]]],
  ["jsonb_set", [['{"a":1}', "jsonb"], ["{b}", "text[]"], ["2", "jsonb"]]],
  ["jsonb_set", [['{"a":1}', "jsonb"], ["{b}", "text[]"], ["2", "jsonb"], ["false", "boolean"]]],
  ["jsonb_set", [["[1,2]", "jsonb"], ["{5}", "text[]"], ["3", "jsonb"]]],
  ["jsonb_insert", [['{"a":[0,1,2]}', "jsonb"], ["{a,1}", "text[]"], ['"new"', "jsonb"]]],
  ["jsonb_insert", [['{"a":[0,1,2]}', "jsonb"], ["{a,1}", "text[]"], ['"new"', "jsonb"], [
    "true",
    "boolean",
  ]]],
  ["jsonb_strip_nulls", [['{"a":null,"b":[null,{"c":null}]}', "jsonb"]]],
  ["jsonb_pretty", [['{"a":[1,{"b":2}],"c":{}}', "jsonb"]]],
  ["jsonb_typeof", [["1.5", "jsonb"]]],
  ["jsonb_typeof", [["null", "jsonb"]]],
  ["json_typeof", [['"x"', "json"]]],
  ["jsonb_array_length", [["[1,[2],3]", "jsonb"]]],
  ["jsonb_array_length", [["{}", "jsonb"]]],
  ["jsonb_extract_path", [['{"a":{"b":[5,6]}}', "jsonb"], t("a"), t("b"), t("1")]],
  ["jsonb_extract_path_text", [['{"a":{"b":"x"}}', "jsonb"], t("a"), t("b")]],
  ["json_extract_path", [['{"a": {"b": [5,  6]}}', "json"], t("a"), t("b")]],
  // arrays
  ["array_length", [["{1,2,3}", "integer[]"], i(1)]],
  ["array_length", [["{}", "integer[]"], i(1)]],
  ["array_upper", [["[0:2]={1,2,3}", "integer[]"], i(1)]],
  ["array_lower", [["[0:2]={1,2,3}", "integer[]"], i(1)]],
  ["array_ndims", [["{{1},{2}}", "integer[]"]]],
  ["array_dims", [["[0:2]={1,2,3}", "integer[]"]]],
  ["array_dims", [["{{1,2},{3,4}}", "integer[]"]]],
  ["cardinality", [["{{1,2},{3,4}}", "integer[]"]]],
  ["array_append", [["{1,2}", "integer[]"], i(3)]],
  ["array_append", [[null, "integer[]"], i(3)]],
  ["array_prepend", [i(0), ["{1,2}", "integer[]"]]],
  ["array_cat", [["{1,2}", "integer[]"], ["{3}", "integer[]"]]],
  ["array_cat", [["{{1,2}}", "integer[]"], ["{3,4}", "integer[]"]]],
  ["array_append", [["{1,2}", "integer[]"], n("2.5")]],
  ["array_remove", [["{1,2,3,2}", "integer[]"], i(2)]],
  ["array_remove", [["{1,NULL}", "integer[]"], [null, "integer"]]],
  ["array_replace", [["{1,2,3,2}", "integer[]"], i(2), i(9)]],
  ["array_position", [["{a,b,c,b}", "text[]"], t("b")]],
  ["array_position", [["{a,b,c,b}", "text[]"], t("b"), i(3)]],
  ["array_positions", [["{a,b,c,b}", "text[]"], t("b")]],
  ["array_position", [["{a,b}", "text[]"], t("z")]],
  ["array_fill", [i(7), ["{2,2}", "integer[]"]]],
  // misc
  ["num_nulls", [i(1), [null, "text"], [null, "integer"]]],
  ["num_nonnulls", [i(1), [null, "text"]]],
  ["pg_typeof", [u("x")]],
  ["pg_typeof", [i(1)]],
  ["format_type", [["1043", "oid"], i(24)]],
  ["length", [u("abc")]],
  ["upper", [u("abc")]],
  ["nosuchfn", [i(1)]],
  ["abs", [t("x")]],
  ["lower", [i(1)]],
  ["int4", [u("42")]],
  ["text", [i(42)]],
];

const sets: Call[] = [
  ["generate_series", [i(1), i(5)]],
  ["generate_series", [i(5), i(1), i(-2)]],
  ["generate_series", [["1", "bigint"], ["3", "bigint"]]],
  ["generate_series", [n("0.5"), n("2"), n("0.5")]],
  ["generate_series", [["2020-01-31", "timestamp"], ["2020-05-31", "timestamp"], [
    "1 mon",
    "interval",
  ]]],
  ["generate_series", [["2020-03-07 12:00-05", "timestamptz"], [
    "2020-03-10 12:00-04",
    "timestamptz",
  ], ["1 day", "interval"]]],
  ["generate_series", [i(1), i(3), i(0)]],
  ["unnest", [["{{1,2},{3,NULL}}", "integer[]"]]],
  ["generate_subscripts", [["[3:5]={a,b,c}", "text[]"], i(1)]],
  ["generate_subscripts", [["{a,b,c}", "text[]"], i(1), ["true", "boolean"]]],
  ["regexp_matches", [t("foobarbequebazilbarfbonk"), t("(b[^b]+)(b[^b]+)"), t("g")]],
  ["regexp_matches", [t("abc"), t("(x)")]],
  ["regexp_split_to_table", [t("a1b22c"), t("\\d+")]],
  ["jsonb_array_elements", [['[1,"a",null,[2]]', "jsonb"]]],
  ["jsonb_array_elements_text", [['[1,"a",null,[2]]', "jsonb"]]],
  ["jsonb_object_keys", [['{"b":1,"a":2,"aa":3}', "jsonb"]]],
  ["json_array_elements", [['[1, "a" , {"b":  2}]', "json"]]],
  ["string_to_table", [t("a,b,c"), t(",")]],
];

function sqlArg([v, type]: Arg): string {
  if (v === null) return type === "unknown" ? "NULL" : `NULL::${type}`;
  return type === "unknown" ? lit(v) : `${lit(v)}::${type}`;
}

function typeOf(type: string): number {
  return type === "unknown" ? Oid.unknown : lookupTypeName(type.replace(/\(\d+\)/, ""))!;
}

function valueOf([v, type]: Arg, ctx: ReturnType<typeof defaultEvalContext>): Datum {
  if (v === null) return null;
  const oid = typeOf(type);
  return oid === Oid.unknown
    ? v
    : inputText(oid, v, type.includes("(") ? Number(/\((\d+)\)/.exec(type)![1]) + 4 : -1, ctx);
}

Deno.test("functions resolve and compute as in PostgreSQL", async () => {
  const pg = await Oracle.start();
  const ctx = defaultEvalContext({ timeZone: "America/New_York" });
  try {
    const diff = new Diff();
    const pending: Promise<void>[] = [];
    for (const [name, args] of scalar) {
      const qualified = name === "extract" || name === "position" ? `pg_catalog.${name}` : name;
      const expr = `${qualified}(${args.map(sqlArg).join(", ")})`;
      let resultType = 0;
      const got = ours(() => {
        const types = args.map((a) => typeOf(a[1]));
        const r = resolveFunction(name, types);
        const values = args.map((a) => valueOf(a, ctx));
        if ("coercion" in r) {
          resultType = r.targetType;
          return outputText(
            r.targetType,
            castDatum(values[0]!, types[0]!, r.targetType, ctx, { explicit: true })!,
            ctx,
          );
        }
        resultType = r.resultType;
        const v = invokeFunction(r, values, types, ctx);
        return v === null ? null : outputText(r.resultType, v, ctx);
      });
      pending.push(pg.out(expr, "America/New_York").then((want) => diff.check(expr, got, want)));
      if (resultType !== 0) {
        pending.push(
          pg.eval(`pg_typeof(${expr})`, "America/New_York").then((want) => {
            if ("value" in want) {
              diff.check(`pg_typeof(${expr})`, { value: formatType(resultType) }, want);
            }
          }),
        );
      }
    }
    for (const [name, args] of sets) {
      const expr = `${name}(${args.map(sqlArg).join(", ")})`;
      let got: Outcome[];
      try {
        const types = args.map((a) => typeOf(a[1]));
        const r = resolveFunction(name, types);
        if ("coercion" in r) throw new Error("unexpected coercion");
        const rows = [...invokeSetFunction(r, args.map((a) => valueOf(a, ctx)), types, ctx)];
        got = rows.map((row) => ({
          value: row[0] === null
            ? null
            : outputText(r.resultType === Oid.anyelement ? Oid.int4 : r.resultType, row[0]!, ctx),
        }));
      } catch (e) {
        got = [ours(() => {
          throw e;
        })];
      }
      pending.push(
        pg.rowsOut(`select ${expr}`, "America/New_York").then((want) =>
          diff.check(expr, got as unknown as Outcome, want as unknown as Outcome)
        ),
      );
    }
    await Promise.all(pending);
    diff.done(300);
  } finally {
    await pg.stop();
  }
});
