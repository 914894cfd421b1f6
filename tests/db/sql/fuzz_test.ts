import assert from "node:assert/strict";
import { parse, printStatement } from "../../../db/sql/mod.ts";
import { DbError } from "../../../db/sqlstate.ts";
import { rng } from "./random_ast.ts";
import { loadCorpus } from "./corpus.ts";

/** Inputs per fuzz test (BKG_SQL_FUZZ_ITERATIONS). */
const iterations = Number(Deno.env.get("BKG_SQL_FUZZ_ITERATIONS") ?? "3000");
const seed = Number(Deno.env.get("BKG_SQL_SEED") ?? String(Date.now() % 100000));

/** Parses `text`; anything thrown but a DbError fails the test with the seed and input. */
function mustOnlyThrowDbError(text: string, what: string): void {
  try {
    const stmts = parse(text);
    // Whatever parses must also print and parse again.
    for (const s of stmts) parse(printStatement(s));
  } catch (e) {
    if (!(e instanceof DbError)) {
      throw new Error(`seed ${seed}, ${what}: ${e}\ninput: ${JSON.stringify(text)}`);
    }
  }
}

Deno.test("parser throws only DbError on random bytes", () => {
  const r = rng(seed);
  const alphabet =
    " \t\n'\"$()[]{},.;:+-*/<>=~!@#%^&|`?\\_0123456789aeEnxXbBuU&selctfromwh\u00e9\u{1F600}\u0000";
  for (let i = 0; i < iterations; i++) {
    let s = "";
    const n = Math.floor(r() * 40);
    for (let j = 0; j < n; j++) {
      s += r() < 0.1
        ? String.fromCharCode(Math.floor(r() * 0xffff))
        : [...alphabet][Math.floor(r() * [...alphabet].length)];
    }
    mustOnlyThrowDbError(s, `random input ${i}`);
  }
});

Deno.test("parser throws only DbError on mutated real statements", async () => {
  const corpus = (await loadCorpus()).map((c) => c.sql);
  const r = rng(seed + 1);
  const pieces = [
    "(",
    ")",
    "'",
    '"',
    "$$",
    "select",
    "from",
    ",",
    "::",
    "[",
    "]",
    "not",
    "--",
    "/*",
    "*/",
    "e'\\",
    "u&'",
    "1e",
    "$1",
    ";",
    "with",
    "union",
    "case",
    "end",
    "over (",
  ];
  for (let i = 0; i < iterations; i++) {
    let s = corpus[Math.floor(r() * corpus.length)]!;
    for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
      const at = Math.floor(r() * (s.length + 1));
      const op = r();
      if (op < 0.4) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 8));
      else if (op < 0.8) s = s.slice(0, at) + pieces[Math.floor(r() * pieces.length)] + s.slice(at);
      else s = s.slice(0, at);
    }
    mustOnlyThrowDbError(s, `mutation ${i}`);
  }
});

Deno.test("deep nesting is 54001, never a JS stack overflow", () => {
  const cases = [
    "select " + "(".repeat(5000) + "1" + ")".repeat(5000),
    "select " + "-".repeat(1) + " - ".repeat(5000) + "1",
    "select " + "not ".repeat(5000) + "true",
    "select " + "(select ".repeat(3000) + "1" + ")".repeat(3000),
    "select " + "array[".repeat(4000) + "1" + "]".repeat(4000),
    "select * from " + "(".repeat(4000) + "a cross join b" + ")".repeat(4000),
    "select " + "f(".repeat(4000) + ")".repeat(4000),
    "select 1::" + "int[]".repeat(10) + " from " + "lateral (select ".repeat(2000),
  ];
  for (const sql of cases) {
    assert.throws(
      () => parse(sql),
      (e) => e instanceof DbError && (e.code === "54001" || e.code === "42601"),
      sql.slice(0, 40),
    );
  }
  assert.throws(
    () => parse("select " + "(".repeat(5000) + "1" + ")".repeat(5000)),
    (e) => e instanceof DbError && e.code === "54001" && e.message === "stack depth limit exceeded",
  );
  // Nesting well inside the limit still parses, and prints.
  const ok = parse("select " + "(".repeat(300) + "1" + ")".repeat(300));
  assert.equal(ok.length, 1);
  const deep = parse("select " + "(select ".repeat(200) + "1" + ")".repeat(200));
  assert.ok(printStatement(deep[0]!).length > 1000);
});

Deno.test("text longer than sqlTextBytesMax is refused before lexing", async () => {
  const { limits } = await import("../../../db/limits.ts");
  const big = "x".repeat(limits.sqlTextBytesMax + 1);
  assert.throws(() => parse(big), (e) => e instanceof DbError && e.code === "54000");
});
