import assert from "node:assert/strict";
import { parse, parseExpr, printExpr, printStatement } from "../../../db/sql/mod.ts";
import type { Expr, InsertStmt, SelectStmt, TypeName } from "../../../db/sql/mod.ts";
import { startPostgres } from "../../helpers/pg.ts";
import { stripLocations } from "./corpus.ts";

/** Constant expressions whose value depends on operator precedence and associativity. */
const precedenceCases = [
  "2 + 3 * 4",
  "2 ^ 3 ^ 2",
  "-2 ^ 2",
  "- 2 ^ 2",
  "-(1) ^ 2",
  "10 - 4 - 3",
  "100 / 10 / 5",
  "7 % 4 * 2",
  "2 ^ 2 * 3",
  "8 / 2 ^ 2",
  "2 - -2",
  "2 ^ -1",
  "1 + 2 || 'x'",
  "'a' || 1 + 2",
  "'1' || '2' like '12'",
  "1::text || 2",
  "-1::int",
  "true or false and false",
  "not false = false",
  "not 1 = 2",
  "true = not false = true",
  "1 between 0 and 2 = true",
  "'abc' like 'a%' = true",
  "null is null = true",
  "1 = 1 is true",
  "1 = 2 is not false",
  "1 + 1 is distinct from 2",
  "array[1,2] || 3 = array[1,2,3]",
  "1 in (1,2) = true",
  "not 1 in (2)",
  "1 not between 2 and 3 and true",
  "|/ 16 + 9",
  "@ -5 + 2",
  "5 > 3 and 2 > 1 or false",
  "(1, 2) < (1, 3)",
  "case when 1 = 1 then 2 else 3 end + 1",
  "'a' similar to 'a' escape '\\' and true",
  "interval '1 day' * 2 = interval '2 days'",
  "'x' collate \"C\" || 'y'",
  "timestamp '2020-01-01 10:00' at time zone 'UTC' + interval '1 hour'",
  "3 - 1 between 1 and 2",
  "1 < 2 is true",
  "'{1,2,3}'::int[] @> array[2] and 1 = 1",
  "coalesce(null, 1) + nullif(2, 2) is null",
  "2 + 2 = any (array[4, 5])",
  "position('b' in 'abc') * 2",
  "extract(day from date '2020-02-03') + 1",
  "substring('abcdef' from 2 for 3) || trim(both 'x' from 'xyx')",
  "greatest(1, 2) - least(3, 4) ^ 2",
  "(select 1) + 1",
  "exists (select 1) = true",
  "1 = all (select 1) or false",
  "b'101' | b'010'",
  "x'0f' & x'f0' = x'00'",
  "~ 5 + 1",
  "'abc' ~ 'b' = true",
  "row(1, 'a') = row(1, 'a')",
  "(array[1,2,3])[2:3] = array[2,3]",
  "(array[[1,2],[3,4]])[2][1] * 10",
  "char 'abc' || N'de' || 'abc'::char || 'abc'::character(2)",
  "bit '101' || B'1'::bit(3)",
  "interval '1' day + interval(0) '1.5 seconds' + '2 hours'::interval hour",
  "timestamp(0) with time zone '2020-01-01 10:00:00.7+00'",
  "varchar(2) 'abc' || numeric(4, 1) '1.25'",
];

Deno.test("operator precedence matches PostgreSQL 15 (it evaluates our parenthesised print)", async () => {
  const pg = await startPostgres();
  const mismatches: string[] = [];
  try {
    for (const text of precedenceCases) {
      const printed = printExpr(parseExpr(text));
      const [a] = await pg.sql.unsafe(`select (${text})::text as v`);
      const [b] = await pg.sql.unsafe(`select (${printed})::text as v`);
      if (a!.v !== b!.v) mismatches.push(`${text} = ${a!.v}, but ${printed} = ${b!.v}`);
    }
  } finally {
    await pg.stop();
  }
  assert.deepEqual(mismatches, []);
});

Deno.test("non-associative operators refuse chains, as bison's %nonassoc does", () => {
  assert.throws(() => parse("select 1 < 2 < 3"), /syntax error at or near "<"/);
  assert.throws(() => parse("select a like b like c"), /syntax error at or near "like"/);
  assert.throws(() => parse("select a is distinct from b is null"), /syntax error at or near "is"/);
  // A postfix form ends the rule, so these are chains bison accepts.
  assert.equal(parse("select 1 is null is null").length, 1);
  assert.equal(parse("select 1 in (1) in (true)").length, 1);
});

Deno.test("AST shapes the binder relies on", () => {
  const s = parse(
    "select t.a as x, count(*) from s.t where a in (select b from u) and c = any($1)",
  )[0] as SelectStmt;
  assert.equal(s.kind, "select");
  assert.deepEqual(stripLocations(s.targets[0]), {
    kind: "res_target",
    expr: { kind: "column_ref", names: ["t", "a"], star: false },
    alias: "x",
  });
  assert.equal(s.from[0]!.kind, "range_var");
  const where = s.where as Expr & { kind: "bool" };
  assert.equal(where.op, "and");
  assert.equal(where.args[0]!.kind, "sublink");
  assert.equal((where.args[0] as { type: string }).type, "any");
  assert.equal(where.args[1]!.kind, "op_any_all");

  const cast = parseExpr("'2020-01-01'::timestamp with time zone") as { type: TypeName };
  assert.deepEqual(cast.type.names, ["pg_catalog", "timestamptz"]);
  assert.deepEqual((parseExpr("date '2020-01-01'") as { type: TypeName }).type.names, ["date"]);
  assert.deepEqual((parseExpr("x::varchar(5)[]") as { type: TypeName }).type.arrayBounds, [-1]);

  const ins = parse(
    "insert into t (a) values (default) on conflict (a) do nothing returning *",
  )[0] as InsertStmt;
  assert.equal(ins.query!.kind, "values");
  assert.equal(ins.onConflict!.action, "nothing");
  assert.equal(ins.returning.length, 1);

  // Every node carries the byte offset of its first token.
  const e = parseExpr("f(x) + 'é' || y") as { left: { right: Expr }; right: Expr };
  assert.equal(e.right.location, 15);
});

Deno.test("printer keeps PostgreSQL's spelling of types and SQL-syntax functions", () => {
  const p = (sql: string) => printStatement(parse(sql)[0]!);
  assert.equal(
    p("select x::int, y::double precision, z::varchar(3), w::timestamptz"),
    "SELECT (x::integer), (y::double precision), (z::character varying(3)), (w::timestamptz)",
  );
  assert.equal(
    p("select extract(year from d), trim(leading 'x' from s)"),
    "SELECT EXTRACT(year FROM d), TRIM(LEADING FROM s, 'x')",
  );
  assert.equal(
    p("create policy p on t using (auth.uid() = user_id)"),
    "CREATE POLICY p ON t AS PERMISSIVE FOR ALL USING ((auth.uid() = user_id))",
  );
});
