import assert from "node:assert/strict";
import { keywordCategory, parse, parseExpr } from "../../../db/sql/mod.ts";
import type { Expr, SelectStmt } from "../../../db/sql/mod.ts";
import { tokenize } from "../../../db/sql/lexer.ts";

function target(sql: string): Expr {
  return (parse(sql)[0] as SelectStmt).targets[0]!.expr;
}

function str(sql: string): string {
  const e = parseExpr(sql);
  assert.equal(e.kind, "string", sql);
  return (e as { value: string }).value;
}

Deno.test("lexer folds unquoted identifiers to lower case and keeps quoted ones", () => {
  assert.deepEqual(target("select Foo.BAR"), {
    kind: "column_ref",
    names: ["foo", "bar"],
    star: false,
    location: 7,
  });
  const q = target('select "Foo"."B""R"') as { names: string[] };
  assert.deepEqual(q.names, ["Foo", 'B"R']);
  // Only ASCII letters fold, as PostgreSQL does for UTF-8.
  assert.deepEqual((target("select ÉTÉ") as { names: string[] }).names, ["ÉtÉ"]);
});

Deno.test("lexer truncates identifiers to 63 bytes on a character boundary", () => {
  const long = "a".repeat(70);
  assert.equal((target(`select ${long}`) as { names: string[] }).names[0], "a".repeat(63));
  const wide = "é".repeat(40); // 80 bytes: 31 characters fit in 63 bytes (62 bytes)
  assert.equal((target(`select "${wide}"`) as { names: string[] }).names[0], "é".repeat(31));
});

Deno.test("unreserved and column-name keywords serve as names", () => {
  const [s] = parse("select name, key, value, type, data, role, action, int from t as user_data");
  const names = (s as SelectStmt).targets.map((t) => (t.expr as { names: string[] }).names[0]);
  assert.deepEqual(names, ["name", "key", "value", "type", "data", "role", "action", "int"]);
  assert.equal(keywordCategory("select"), "reserved");
  assert.equal(keywordCategory("left"), "type_func_name");
  assert.equal(keywordCategory("int"), "col_name");
  assert.equal(keywordCategory("name"), "unreserved");
  assert.equal(keywordCategory("users"), undefined);
  assert.throws(() => parse("select select from t"));
  assert.throws(() => parse("select x from left"));
});

Deno.test("lexer reads every string literal form", () => {
  assert.equal(str("'it''s'"), "it's");
  assert.equal(str("'back\\slash'"), "back\\slash"); // standard_conforming_strings on
  assert.equal(str("E'a\\nb\\t\\'c\\\\'"), "a\nb\t'c\\");
  assert.equal(str("e'\\x41\\101\\u00e9\\U0001F600'"), "AAé😀");
  assert.equal(str("U&'d\\0061t\\+000061'"), "data");
  assert.equal(str("U&'d!0061t' UESCAPE '!'"), "dat");
  assert.equal(str('$$it\'s $ "x"$$'), 'it\'s $ "x"');
  assert.equal(str("$fn$ select $$x$$ $fn$"), " select $$x$$ ");
  assert.equal(str("'a'\n  'b' -- c\n'c'"), "abc");
  assert.deepEqual(parseExpr("B'0101'"), { kind: "bit_string", value: "b0101", location: 0 });
  assert.deepEqual(parseExpr("x'1F'"), { kind: "bit_string", value: "x1F", location: 0 });
  // Two literals on one line are not one string.
  assert.throws(() => parse("select 'a' 'b'"), /syntax error at or near "'b'"/);
});

Deno.test("lexer reads numbers as PostgreSQL 15 does", () => {
  assert.deepEqual(parseExpr("42"), { kind: "integer", value: 42, location: 0 });
  assert.deepEqual(parseExpr("2147483648"), { kind: "numeric", value: "2147483648", location: 0 });
  assert.deepEqual(parseExpr("-2147483648"), {
    kind: "numeric",
    value: "-2147483648",
    location: 0,
  });
  assert.deepEqual(parseExpr("1.5e-3"), { kind: "numeric", value: "1.5e-3", location: 0 });
  assert.deepEqual(parseExpr(".5"), { kind: "numeric", value: ".5", location: 0 });
  assert.deepEqual(parseExpr("-7"), { kind: "integer", value: -7, location: 0 });
  assert.throws(
    () => parse("select 0x1F"),
    /trailing junk after numeric literal at or near "0x1F"/,
  );
  assert.throws(() => parse("select 1e+"), /trailing junk after numeric literal at or near "1e\+"/);
  assert.throws(() => parse("select $1a"), /trailing junk after parameter at or near "\$1a"/);
  // 1..2 is the integer 1 and the token "..".
  assert.deepEqual(tokenize("1..2").map((t) => t.value), ["1", "..", "2", ""]);
});

Deno.test("lexer applies PostgreSQL's multi-character operator rules", () => {
  const ops = (s: string) => tokenize(s).filter((t) => t.type === "op").map((t) => t.value);
  assert.deepEqual(ops("a+-b"), ["+", "-"]); // a trailing - is split off
  assert.deepEqual(ops("a@-b"), ["@-"]); // …unless the operator holds one of ~!@#%^&|`?
  assert.deepEqual(ops("a*-/b"), ["*-/"]);
  assert.deepEqual(ops("a<>b a!=b"), ["<>", "<>"]);
  assert.deepEqual(ops("a+--c\nb"), ["+"]); // -- starts a comment
  assert.deepEqual(ops("a+/*c*/b"), ["+"]);
  assert.deepEqual(ops("x::int a:=b c=>d"), ["::", ":=", "=>"]);
  const e = parseExpr("a !~ b") as { op: string };
  assert.equal(e.op, "!~");
});

Deno.test("lexer skips nested comments and reports unterminated ones", () => {
  assert.equal(parse("/* a /* b */ c */ select 1 -- tail").length, 1);
  assert.throws(() => parse("select /* a /* b */ 1"), /unterminated \/\* comment/);
  assert.throws(
    () => parse("select $x$abc"),
    /unterminated dollar-quoted string at or near "\$x\$abc"/,
  );
  assert.throws(() => parse('select "abc'), /unterminated quoted identifier at or near ""abc"/);
  assert.throws(() => parse("select b'01"), /unterminated bit string literal/);
});

Deno.test("a lexical error after a syntax error is not reached", () => {
  // PostgreSQL's parser pulls tokens one at a time: the syntax error comes first.
  assert.throws(() => parse("select from from 'abc"), /syntax error at or near "from"/);
});

Deno.test("CHAR without a length is char(1) in a cast but unconstrained in a typed literal", () => {
  const cast = parseExpr("'abc'::char") as { type: { typmods: unknown[] } };
  assert.equal(cast.type.typmods.length, 1);
  const literal = parseExpr("char 'abc'") as { type: { names: string[]; typmods: unknown[] } };
  assert.deepEqual(literal.type.names, ["pg_catalog", "bpchar"]);
  assert.deepEqual(literal.type.typmods, []);
  const national = parseExpr("N'abc'") as { type: { typmods: unknown[] } };
  assert.deepEqual(national.type.typmods, []);
});
