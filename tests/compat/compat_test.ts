/**
 * @module The hand-written differential cases: one Deno.test per file in cases/, one step per
 * case. One PostgreSQL 15 serves the whole module; each file gets a fresh database on it and a
 * fresh BKG-DB data directory. `BKG_COMPAT_TARGET=pg` validates the cases on PostgreSQL alone;
 * `BKG_COMPAT_FILTER=<substring>` runs only the matching files.
 */
import { bkgHasSessions, openBkg } from "./bkg_adapter.ts";
import { OracleHolder } from "./oracle_holder.ts";
import { runRecords, targetFromEnv } from "./runner.ts";
import { parseSlt } from "./slt.ts";

const casesDir = new URL("./cases/", import.meta.url);
const filter = Deno.env.get("BKG_COMPAT_FILTER") ?? "";
const files = [...Deno.readDirSync(casesDir)]
  .filter((e) => e.isFile && e.name.endsWith(".slt") && e.name.includes(filter))
  .map((e) => e.name)
  .sort();
const target = targetFromEnv();
const oracle = new OracleHolder(files.length);

for (const file of files) {
  Deno.test({
    name: `compat ${file} matches PostgreSQL 15`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      try {
        const records = parseSlt(await Deno.readTextFile(new URL(file, casesDir)), file);
        const pg = await (await oracle.acquire()).freshDatabase();
        const withBkg = target === "both" && bkgHasSessions();
        const bkg = withBkg ? await openBkg() : null;
        const stats = await runRecords((name, fn) => t.step(name, fn), file, records, { pg, bkg });
        const side = withBkg ? "PostgreSQL vs BKG-DB" : "PostgreSQL only";
        console.log(
          `${file}: ${stats.cases} cases, ${stats.passed} passed, ${stats.failed} failed, ` +
            `${stats.known} known failures, ${stats.warnings} warnings (${side})`,
        );
        if (target === "both" && !withBkg) {
          throw new Error(
            `BKG-DB has no db.connect() yet: ${file}'s ${stats.cases} cases ran on PostgreSQL ` +
              `only (BKG_COMPAT_TARGET=pg validates cases without BKG-DB)`,
          );
        }
      } finally {
        await oracle.release();
      }
    },
  });
}
