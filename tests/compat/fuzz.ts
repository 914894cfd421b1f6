/**
 * @module The randomized differential fuzzer, run by hand for as long as you like:
 *
 *   deno run -A tests/compat/fuzz.ts --seconds 600 [--seed N] [--per-schema 50] [--pg-only]
 *
 * It prints the seed first; on a mismatch it prints the setup SQL and the minimal failing query
 * and exits with status 1. `--pg-only` runs PostgreSQL alone (checks the generator).
 */
import { bkgHasSessions } from "./bkg_adapter.ts";
import { describeMismatch, fuzz } from "./fuzz_run.ts";
import { PgSide } from "./pg_side.ts";

function arg(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  return i < 0 ? undefined : Deno.args[i + 1];
}

if (import.meta.main) {
  const seconds = Number(arg("seconds") ?? "60");
  const seed = Number(arg("seed") ?? Math.floor(Math.random() * 2 ** 31));
  const perSchema = Number(arg("per-schema") ?? "50");
  const pgOnly = Deno.args.includes("--pg-only");
  if (!pgOnly && !bkgHasSessions()) {
    console.error("BKG-DB has no db.connect() yet; use --pg-only to exercise the generator");
    Deno.exit(2);
  }
  console.log(
    `fuzz seed ${seed} (${seconds} s, ${perSchema} queries per schema${
      pgOnly ? ", PostgreSQL only" : ""
    })`,
  );
  const pg = await PgSide.start();
  let code = 0;
  try {
    const report = await fuzz(pg, {
      seed,
      seconds,
      queriesPerSchema: perSchema,
      withBkg: !pgOnly,
      log: (l) => console.log(l),
    });
    console.log(
      `${report.schemas} schemas, ${report.queries} queries; PostgreSQL outcomes:`,
      Object.fromEntries(report.pgOutcomes),
    );
    for (const b of report.generatorBugs) console.log(`generator bug: ${b}`);
    if (report.mismatch !== null) {
      console.log(describeMismatch(seed, report.mismatch));
      code = 1;
    } else if (report.generatorBugs.length > 0) {
      code = 1;
    } else {
      console.log("no mismatch");
    }
  } finally {
    await pg.stop();
  }
  Deno.exit(code);
}
