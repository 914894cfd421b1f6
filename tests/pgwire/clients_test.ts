/**
 * Real clients against the pgwire listener (over the test backend): postgres.js and
 * node-postgres log in with SCRAM-SHA-256 and with a JWT, run queries with parameters, get
 * errors with their codes, cancel, listen; psql (libpq) logs in with SCRAM. The SCRAM verifier
 * format is checked against a real PostgreSQL 15.
 */
import assert from "node:assert/strict";
import pg from "pg";
import postgres from "postgres";
import { startPostgres } from "../helpers/pg.ts";
import { createScramVerifier, parseScramVerifier } from "../../src/pgwire/mod.ts";
import { adminPassword, startTestServer, type TestServer } from "./wire_client.ts";

async function withServer(
  f: (s: TestServer) => Promise<void>,
  opts: Parameters<typeof startTestServer>[0] = {},
): Promise<void> {
  const server = await startTestServer(opts);
  try {
    await f(server);
  } finally {
    await server.close();
  }
}

Deno.test("postgres.js logs in with SCRAM-SHA-256 and runs queries, errors and cancels", async () => {
  await withServer(async (server) => {
    const sql = postgres({
      host: "127.0.0.1",
      port: server.port,
      user: "postgres",
      password: adminPassword,
      database: "postgres",
      fetch_types: false,
      max: 2,
      onnotice: () => {},
    });
    try {
      assert.deepEqual([...await sql`select 1 as x`], [{ x: 1 }]);
      assert.equal((await sql`select ${41}::int4 + 1 as n`)[0]!.n, 42);
      // Prepared statements are reused: the same query again.
      assert.equal((await sql`select ${1}::int4 + 1 as n`)[0]!.n, 2);
      await assert.rejects(sql`select 1/0`, (e: { code?: string }) => e.code === "22012");
      const rows = await sql.begin(async (tx) => {
        return await tx`select generate_series(1, 3)`;
      });
      assert.equal(rows.length, 3);
      const q = sql`select pg_sleep(10)`;
      setTimeout(() => q.cancel(), 50);
      await assert.rejects(q, (e: { code?: string }) => e.code === "57014");
      const got = Promise.withResolvers<string>();
      await sql.listen("ch", (payload) => got.resolve(payload));
      await sql.notify("ch", "hi");
      assert.equal(await got.promise, "hi");
    } finally {
      await sql.end();
    }
  });
});

Deno.test("postgres.js fails SCRAM with a wrong password as 28P01", async () => {
  await withServer(async (server) => {
    for (const user of ["postgres", "nobody"]) {
      const sql = postgres({
        host: "127.0.0.1",
        port: server.port,
        user,
        password: "wrong",
        database: "postgres",
        fetch_types: false,
        max: 1,
      });
      try {
        await assert.rejects(sql`select 1`, (e: { code?: string; message?: string }) => {
          assert.equal(e.code, "28P01");
          assert.equal(e.message, `password authentication failed for user "${user}"`);
          return true;
        });
      } finally {
        await sql.end();
      }
    }
  });
});

Deno.test("node-postgres logs in with a JWT for a JWT role and with SCRAM, and pools", async () => {
  await withServer(async (server) => {
    const token = await server.token("authenticated", { sub: "user-1" });
    const client = new pg.Client({
      host: "127.0.0.1",
      port: server.port,
      user: "authenticated",
      password: token,
      database: "postgres",
    });
    await client.connect();
    try {
      assert.deepEqual((await client.query("select 1 as x")).rows, [{ x: 1 }]);
      assert.deepEqual((await client.query("select $1::int4 + 1 as n", [41])).rows, [{ n: 42 }]);
      await assert.rejects(
        client.query("select 1/0"),
        (e: { code?: string }) => e.code === "22012",
      );
      await client.query("begin");
      await assert.rejects(client.query("select 1/0"));
      await assert.rejects(client.query("select 1"), (e: { code?: string }) => e.code === "25P02");
      await client.query("rollback");
    } finally {
      await client.end();
    }
    const start = server.backend.started.find((s) => s.user === "authenticated")!;
    assert.equal(start.claims?.sub, "user-1");
    assert.equal(start.superuser, false);

    const pool = new pg.Pool({
      host: "127.0.0.1",
      port: server.port,
      user: "postgres",
      password: adminPassword,
      database: "postgres",
      max: 4,
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => pool.query("select $1::int4 + 1 as n", [i])),
      );
      assert.deepEqual(
        results.map((r: pg.QueryResult) => r.rows[0].n),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    } finally {
      await pool.end();
    }
    const bad = new pg.Client({
      host: "127.0.0.1",
      port: server.port,
      user: "anon",
      password: token, // names authenticated, not anon
      database: "postgres",
    });
    await assert.rejects(bad.connect(), (e: { code?: string }) => e.code === "28P01");
  });
});

Deno.test("psql logs in with SCRAM-SHA-256 and runs a query", async () => {
  await withServer(async (server) => {
    const run = (password: string) =>
      new Deno.Command("/usr/lib/postgresql/15/bin/psql", {
        args: [
          "-X",
          "-At",
          "-h",
          "127.0.0.1",
          "-p",
          String(server.port),
          "-U",
          "postgres",
          "-d",
          "postgres",
          "-c",
          "select 1",
        ],
        env: { PGPASSWORD: password, PGCONNECT_TIMEOUT: "5" },
        stdout: "piped",
        stderr: "piped",
      }).output();
    const ok = await run(adminPassword);
    const dec = new TextDecoder();
    assert.equal(ok.code, 0, dec.decode(ok.stderr));
    assert.equal(dec.decode(ok.stdout), "1\n");
    const bad = await run("wrong");
    assert.notEqual(bad.code, 0);
    assert.match(dec.decode(bad.stderr), /password authentication failed for user "postgres"/);
  });
});

Deno.test("scram verifiers match PostgreSQL 15's and its verifiers log in here", async () => {
  const oracle = await startPostgres();
  try {
    await oracle.sql.unsafe("create role bob login password 'pw-ß-Ⅸ'");
    const rows = await oracle.sql`select rolpassword from pg_authid where rolname = 'bob'`;
    const rolpassword = String(rows[0]!.rolpassword);
    const parsed = parseScramVerifier(rolpassword);
    assert.ok(parsed !== undefined, rolpassword);
    // Same password, salt and iterations give PostgreSQL's exact verifier (SASLprep included).
    const ours = await createScramVerifier("pw-ß-Ⅸ", {
      salt: parsed.salt,
      iterations: parsed.iterations,
    });
    assert.equal(ours, rolpassword);
    // libpq SASLpreps the password as PostgreSQL does (postgres.js does not, so psql is used).
    await withServer(async (server) => {
      const out = await new Deno.Command("/usr/lib/postgresql/15/bin/psql", {
        args: [
          "-X",
          "-At",
          "-h",
          "127.0.0.1",
          "-p",
          String(server.port),
          "-U",
          "bob",
          "-d",
          "postgres",
          "-c",
          "select 1",
        ],
        env: { PGPASSWORD: "pw-ß-Ⅸ", PGCONNECT_TIMEOUT: "5" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    }, { roles: new Map([["bob", { superuser: false, scramVerifier: rolpassword }]]) });
  } finally {
    await oracle.stop();
  }
});
