/**
 * TLS on pgwire: with a certificate configured, SSLRequest is answered `S` and the socket is
 * upgraded in place with node:tls; SCRAM-SHA-256-PLUS (tls-server-end-point channel binding)
 * is offered and libpq with `channel_binding=require` and node-postgres use it; postgres.js
 * and plaintext clients still log in.
 */
import assert from "node:assert/strict";
import pg from "pg";
import postgres from "postgres";
import { tempDir } from "../helpers/process.ts";
import { adminPassword, startTestServer, type TestServer } from "./wire_client.ts";

async function selfSigned(dir: string): Promise<{ cert: string; key: string }> {
  const out = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      "/CN=localhost",
      "-days",
      "1",
      "-keyout",
      `${dir}/key.pem`,
      "-out",
      `${dir}/cert.pem`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return {
    cert: await Deno.readTextFile(`${dir}/cert.pem`),
    key: await Deno.readTextFile(`${dir}/key.pem`),
  };
}

async function psql(server: TestServer, env: Record<string, string>) {
  const out = await new Deno.Command("/usr/lib/postgresql/15/bin/psql", {
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
    env: { PGPASSWORD: adminPassword, PGCONNECT_TIMEOUT: "5", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("pgwire serves TLS with SCRAM-SHA-256-PLUS channel binding, and plaintext beside it", async () => {
  const dir = await tempDir();
  const server = await startTestServer({ tls: await selfSigned(dir.path) });
  try {
    const bound = await psql(server, { PGSSLMODE: "require", PGCHANNELBINDING: "require" });
    assert.equal(bound.code, 0, bound.stderr);
    assert.equal(bound.stdout, "1\n");
    const plain = await psql(server, { PGSSLMODE: "disable" });
    assert.equal(plain.code, 0, plain.stderr);
    const wrong = await psql(server, { PGSSLMODE: "require", PGPASSWORD: "wrong" });
    assert.match(wrong.stderr, /password authentication failed/);

    const client = new pg.Client({
      host: "127.0.0.1",
      port: server.port,
      user: "postgres",
      password: adminPassword,
      database: "postgres",
      ssl: { rejectUnauthorized: false },
      enableChannelBinding: true,
    });
    await client.connect();
    try {
      assert.deepEqual((await client.query("select $1::int4 + 1 as n", [1])).rows, [{ n: 2 }]);
    } finally {
      await client.end();
    }
    // A JWT travels as a cleartext password: over TLS, as it should.
    const anon = new pg.Client({
      host: "127.0.0.1",
      port: server.port,
      user: "anon",
      password: await server.token("anon"),
      database: "postgres",
      ssl: { rejectUnauthorized: false },
    });
    await anon.connect();
    await anon.end();

    const sql = postgres({
      host: "127.0.0.1",
      port: server.port,
      user: "postgres",
      password: adminPassword,
      database: "postgres",
      ssl: { rejectUnauthorized: false },
      fetch_types: false,
      max: 1,
    });
    try {
      assert.deepEqual([...await sql`select 1 as x`], [{ x: 1 }]);
    } finally {
      await sql.end();
    }
  } finally {
    await server.close();
    await dir.remove();
  }
});
