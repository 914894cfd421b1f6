import assert from "node:assert/strict";
import { parse, printStatement } from "../../../db/sql/mod.ts";
import { DbError } from "../../../db/sqlstate.ts";
import { startPostgres } from "../../helpers/pg.ts";
import { loadCorpus, stripLocations } from "./corpus.ts";

const corpus = await loadCorpus();

Deno.test("parser reads every statement of the real-world corpus", () => {
  assert.ok(corpus.length >= 300, `corpus has ${corpus.length} statements`);
  const failures: string[] = [];
  for (const { file, sql } of corpus) {
    try {
      const stmts = parse(sql);
      assert.equal(stmts.length, 1, `${file}: one statement in ${sql}`);
    } catch (e) {
      failures.push(`${file}: ${(e as Error).message} in:\n${sql}`);
    }
  }
  assert.deepEqual(failures, []);
});

Deno.test("printer output of every corpus statement parses back to an equal AST", () => {
  for (const { file, sql } of corpus) {
    const [ast] = parse(sql);
    const printed = printStatement(ast!);
    let again;
    try {
      again = parse(printed);
    } catch (e) {
      throw new Error(`${file}: printed SQL does not parse (${(e as Error).message}):\n${printed}`);
    }
    assert.deepEqual(
      stripLocations(again),
      stripLocations([ast]),
      `${file}: ${sql}\n=> ${printed}`,
    );
  }
});

Deno.test("PostgreSQL 15 accepts every corpus statement (no 42601)", async () => {
  const pg = await startPostgres();
  try {
    const rejected: string[] = [];
    for (const { file, sql } of corpus) {
      // COPY's STDIN/STDOUT would wait for data; a server-side file is the same grammar.
      const text = sql.replace(/\bstdin\b/i, "'/dev/null'").replace(/\bstdout\b/i, "'/dev/null'");
      try {
        await pg.sql.unsafe(text).simple();
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === "42601") rejected.push(`${file}: ${(e as Error).message}:\n${sql}`);
      }
      await pg.sql.unsafe("rollback; reset all; reset role; reset session authorization").simple()
        .catch(() => {});
    }
    assert.deepEqual(rejected, []);
  } finally {
    await pg.stop();
  }
});

Deno.test("parser splits a multi-statement string and reports each statement's extent", () => {
  const text = "  select 1;;\n insert into t values (2) ; -- done\n";
  const stmts = parse(text);
  assert.equal(stmts.length, 2);
  assert.equal(
    text.slice(stmts[0]!.location, stmts[0]!.location + stmts[0]!.textLength),
    "select 1",
  );
  assert.equal(
    text.slice(stmts[1]!.location, stmts[1]!.location + stmts[1]!.textLength),
    "insert into t values (2)",
  );
  assert.deepEqual(parse(" ; ;\n-- nothing\n"), []);
  // Byte offsets, not UTF-16 indexes.
  const [u] = parse("select 'é'; select 'ü'").slice(1);
  assert.equal(u!.location, 13);
  assert.equal(u!.textLength, 11);
});

Deno.test("parser errors are DbErrors", () => {
  assert.throws(() => parse("select from from"), (e) => e instanceof DbError && e.code === "42601");
});
