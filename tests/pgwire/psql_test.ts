/**
 * psql 15 against `bkg serve` over pgwire with the real engine: one scripted session
 * (`psql -X -v ON_ERROR_STOP=1 -f psql/session.sql`: DDL, DML, `\copy` in and out, the `\d`
 * family, a transaction with a savepoint, an error mid-transaction with ON_ERROR_STOP off) run
 * against BKG and against PostgreSQL 15; the printed output and the files `\copy` wrote must be
 * the same, byte for byte.
 */
import assert from "node:assert/strict";
import { startPostgres } from "../helpers/pg.ts";
import { tempDir } from "../helpers/process.ts";
import { runClient, startEngineServer } from "./engine_server.ts";

const scriptDir = new URL("./psql/", import.meta.url).pathname;

/** Runs the session script with psql in a fresh directory; returns output and written files. */
async function runSession(env: Record<string, string>) {
  const dir = await tempDir("bkg-psql-");
  try {
    for (const f of ["session.sql", "items_in.csv"]) {
      await Deno.copyFile(`${scriptDir}${f}`, `${dir.path}/${f}`);
    }
    const out = await runClient(
      "psql",
      ["-X", "-v", "ON_ERROR_STOP=1", "-f", "session.sql"],
      { ...env, PGTZ: "UTC", LC_ALL: "C.UTF-8" },
      dir.path,
    );
    const files: Record<string, string> = {};
    for (const f of ["items_out.tsv", "items_out.csv", "orders_out.csv"]) {
      files[f] = await Deno.readTextFile(`${dir.path}/${f}`).catch(() => "(missing)");
    }
    return { ...out, files };
  } finally {
    await dir.remove();
  }
}

Deno.test("psql runs a scripted session against bkg exactly as against PostgreSQL 15", async () => {
  const oracle = await startPostgres();
  const bkg = await startEngineServer();
  try {
    const expected = await runSession({
      PGHOST: "127.0.0.1",
      PGPORT: String(oracle.port),
      PGUSER: "postgres",
      PGDATABASE: "postgres",
      PGPASSWORD: "unused",
    });
    assert.equal(expected.code, 0, expected.stderr);
    const got = await runSession(bkg.libpqEnv);
    assert.equal(got.code, 0, `psql failed against bkg:\n${got.stderr}`);
    assert.equal(got.stdout, expected.stdout);
    assert.equal(got.stderr, expected.stderr);
    assert.deepEqual(got.files, expected.files);
    // The part that must fail did: the row inserted before the error is gone.
    assert.match(got.stdout, /lost_rows\s*\n-+\n\s*0\n/);
    assert.ok(got.stderr.includes("ERROR:  current transaction is aborted"), got.stderr);
  } finally {
    await bkg.stop();
    await oracle.stop();
  }
});
