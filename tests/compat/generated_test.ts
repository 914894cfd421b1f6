/**
 * @module Generated differential cases: `BKG_COMPAT_GENERATED` (default 200) random expressions
 * over gen_t's typed columns, from the seed `BKG_COMPAT_SEED` (printed), each evaluated on
 * PostgreSQL and BKG-DB. A generated expression PostgreSQL rejects with a 42xxx error is a bug
 * of the generator and fails the step too.
 */
import { bkgHasSessions, openBkg } from "./bkg_adapter.ts";
import { ExprGen, exprQuery, genSchema } from "./expr_gen.ts";
import { OracleHolder } from "./oracle_holder.ts";
import { Rng, seedFromEnv } from "./rng.ts";
import { runRecords, targetFromEnv } from "./runner.ts";
import type { SltRecord } from "./slt.ts";

const count = Number(Deno.env.get("BKG_COMPAT_GENERATED") ?? "200");
const seed = seedFromEnv();
const target = targetFromEnv();
const oracle = new OracleHolder(1);

/** The generated file as records: the schema, then one query per expression. */
export function generatedRecords(seed: number, count: number): SltRecord[] {
  const gen = new ExprGen(new Rng(seed));
  const rec = (sql: string, line: number, kind: "statement" | "query"): SltRecord => ({
    line,
    kind,
    errorCode: null,
    checkMessage: false,
    sort: "nosort",
    sql,
    connection: "default",
  });
  const records = [rec("SET TimeZone = 'UTC'", 1, "statement")];
  genSchema.forEach((sql, i) => records.push(rec(sql, i + 2, "statement")));
  for (let i = 0; i < count; i++) records.push(rec(exprQuery(gen.any()), 100 + i, "query"));
  return records;
}

Deno.test({
  name: `compat generated expressions match PostgreSQL 15 (seed ${seed})`,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    try {
      console.log(`BKG_COMPAT_SEED=${seed} BKG_COMPAT_GENERATED=${count}`);
      const records = generatedRecords(seed, count);
      const pg = await (await oracle.acquire()).freshDatabase();
      const withBkg = target === "both" && bkgHasSessions();
      const bkg = withBkg ? await openBkg() : null;
      // Queries may fail on PostgreSQL with data errors; the runner compares them as outcomes.
      const stats = await runRecords(
        (name, fn) => t.step(name, fn),
        `generated(seed ${seed})`,
        records,
        { pg, bkg },
        {
          acceptPgError: (code) => !code.startsWith("42"),
        },
      );
      console.log(
        `generated: ${stats.cases} cases, ${stats.passed} passed, ${stats.failed} failed ` +
          `(${withBkg ? "PostgreSQL vs BKG-DB" : "PostgreSQL only"})`,
      );
      if (target === "both" && !withBkg) {
        throw new Error("BKG-DB has no db.connect() yet: generated cases ran on PostgreSQL only");
      }
    } finally {
      await oracle.release();
    }
  },
});
