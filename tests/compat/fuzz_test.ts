/**
 * @module The fuzzer's short default run against BKG-DB: `BKG_COMPAT_FUZZ_QUERIES` (default 200)
 * random queries over random schemas from `BKG_COMPAT_SEED`. Longer runs: `deno run -A
 * tests/compat/fuzz.ts --seconds 600`.
 */
import { bkgHasSessions } from "./bkg_adapter.ts";
import { describeMismatch, fuzz } from "./fuzz_run.ts";
import { OracleHolder } from "./oracle_holder.ts";
import { seedFromEnv } from "./rng.ts";
import { targetFromEnv } from "./runner.ts";

const queries = Number(Deno.env.get("BKG_COMPAT_FUZZ_QUERIES") ?? "200");
const seed = seedFromEnv();
const target = targetFromEnv();
const oracle = new OracleHolder(1);

Deno.test({
  name: `compat fuzzer finds no difference from PostgreSQL 15 (seed ${seed})`,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    try {
      const withBkg = target === "both" && bkgHasSessions();
      const report = await fuzz(await oracle.acquire(), { seed, queries, withBkg });
      console.log(
        `fuzz seed ${seed}: ${report.schemas} schemas, ${report.queries} queries ` +
          `(${withBkg ? "PostgreSQL vs BKG-DB" : "PostgreSQL only"})`,
      );
      if (report.generatorBugs.length > 0) {
        throw new Error(`generator bugs:\n${report.generatorBugs.join("\n")}`);
      }
      if (report.mismatch !== null) throw new Error(describeMismatch(seed, report.mismatch));
      if (target === "both" && !withBkg) {
        throw new Error("BKG-DB has no db.connect() yet: the fuzzer ran on PostgreSQL only");
      }
    } finally {
      await oracle.release();
    }
  },
});
