import assert from "node:assert/strict";
import { parse, printStatement } from "../../../db/sql/mod.ts";
import { AstGen } from "./random_ast.ts";
import { stripLocations } from "./corpus.ts";

/** How many random statements the property test prints and reparses (BKG_SQL_PROPERTY_CASES). */
const cases = Number(Deno.env.get("BKG_SQL_PROPERTY_CASES") ?? "1000");
const seed = Number(Deno.env.get("BKG_SQL_SEED") ?? String(Date.now() % 100000));

Deno.test("printed random ASTs parse back to the same AST", () => {
  const gen = new AstGen(seed);
  for (let i = 0; i < cases; i++) {
    const ast = gen.statement(1 + gen.int(3));
    const sql = printStatement(ast);
    let back;
    try {
      back = parse(sql);
    } catch (e) {
      throw new Error(
        `seed ${seed}, case ${i}: printed SQL does not parse: ${(e as Error).message}\n${sql}`,
      );
    }
    assert.equal(back.length, 1, `seed ${seed}, case ${i}: ${sql}`);
    const want = stripLocations(ast);
    const got = stripLocations(back[0]);
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      assert.deepEqual(got, want, `seed ${seed}, case ${i}: ${sql}`);
    }
  }
});
