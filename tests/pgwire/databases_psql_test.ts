/**
 * psql 15 against `bkg serve`: CREATE DATABASE, `\c` into it, `\dt` in each database (each shows
 * only its own tables), `\l` before and after DROP DATABASE; the same script runs against
 * PostgreSQL 15 and the output must be the same, byte for byte. A session still connected to a
 * database keeps DROP DATABASE out (55006) until it disconnects, and `\c` to a dropped database
 * fails as in PostgreSQL.
 */
import assert from "node:assert/strict";
import { startPostgres } from "../helpers/pg.ts";
import { tempDir } from "../helpers/process.ts";
import { runClient, startEngineServer } from "./engine_server.ts";

const script = String.raw`
CREATE DATABASE d;
CREATE TABLE in_postgres (a int);
INSERT INTO in_postgres VALUES (1);
CREATE TABLE same_name (a int);
INSERT INTO same_name VALUES (10);
\c d
CREATE TABLE in_d (a int, b text);
CREATE TABLE same_name (b text);
INSERT INTO same_name VALUES ('from d'), ('again');
\dt
SELECT current_database(), count(*) FROM same_name;
SELECT * FROM in_postgres;
\c postgres
\dt
SELECT current_database(), * FROM same_name;
SELECT * FROM in_d;
\l
DROP DATABASE d;
\l
\c d
`;

async function runScript(env: Record<string, string>) {
  const dir = await tempDir("bkg-psql-db-");
  try {
    await Deno.writeTextFile(`${dir.path}/databases.sql`, script);
    return await runClient(
      "psql",
      ["-X", "-f", "databases.sql"],
      { ...env, PGTZ: "UTC", LC_ALL: "C.UTF-8" },
      dir.path,
    );
  } finally {
    await dir.remove();
  }
}

Deno.test("psql sees one database's tables per database and \\l lists them, as on PostgreSQL 15", async () => {
  const oracle = await startPostgres();
  const bkg = await startEngineServer();
  try {
    const expected = await runScript({
      PGHOST: "127.0.0.1",
      PGPORT: String(oracle.port),
      PGUSER: "postgres",
      PGDATABASE: "postgres",
      PGPASSWORD: "unused",
    });
    const got = await runScript(bkg.libpqEnv);
    assert.equal(got.stdout, expected.stdout);
    // The error lines name the port and host of each server: compare them without it.
    const strip = (s: string) => s.replace(/127\.0\.0\.1", port \d+/g, "HOST");
    assert.equal(strip(got.stderr), strip(expected.stderr));
    assert.match(got.stdout, /in_d/);
    assert.match(got.stdout, /^ d +\| postgres \| UTF8/m);
    assert.ok(got.stderr.includes('relation "in_postgres" does not exist'), got.stderr);
    assert.ok(got.stderr.includes('database "d" does not exist'), got.stderr);
  } finally {
    await bkg.stop();
    await oracle.stop();
  }
});

Deno.test("drop database over pgwire waits for the other session to leave", async () => {
  const bkg = await startEngineServer();
  try {
    const env = bkg.libpqEnv;
    const psql = (db: string, sql: string) =>
      runClient("psql", ["-X", "-A", "-t", "-d", db, "-c", sql], env);
    assert.equal((await psql("postgres", "CREATE DATABASE busy")).code, 0);
    // A second client holds a connection to busy while the first tries to drop it.
    const holder = new Deno.Command("/usr/lib/postgresql/15/bin/psql", {
      args: ["-X", "-d", "busy"],
      env,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = holder.stdin.getWriter();
    await w.write(new TextEncoder().encode("SELECT 'holding';\n"));
    // Its answer means its session exists.
    const reader = holder.stdout.getReader();
    let seen = "";
    while (!seen.includes("holding")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    assert.match(seen, /holding/);
    const r = await psql("postgres", "DROP DATABASE busy");
    assert.notEqual(r.code, 0);
    const refused = r.stderr;
    assert.match(refused, /database "busy" is being accessed by other users/);
    assert.match(refused, /There is 1 other session using the database/);
    await w.close();
    reader.releaseLock();
    await holder.stdout.cancel();
    await holder.stderr.cancel();
    await holder.status;
    const dropped = await psql("postgres", "DROP DATABASE busy");
    assert.equal(dropped.code, 0, dropped.stderr);
    const list = await psql("postgres", "SELECT datname FROM pg_database ORDER BY 1");
    assert.equal(list.stdout, "postgres\ntemplate0\ntemplate1\n");
  } finally {
    await bkg.stop();
  }
});
