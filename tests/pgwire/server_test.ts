/**
 * The pgwire part of `Server`: it listens only when a backend is supplied, logs `postgres` in with
 * the admin password (SCRAM) and JWT roles with tokens signed by the server's secret, and a
 * server stop ends client sessions with 57P01.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { JwtVerifier } from "../../src/auth/mod.ts";
import { resolveConfig } from "../../src/config.ts";
import { Server } from "../../src/server.ts";
import { freePort, tempDir } from "../helpers/process.ts";
import { TestBackend } from "./test_backend.ts";
import { errorFields, fe, WireClient } from "./wire_client.ts";

const jwtSecret = "another-test-secret-of-32-characters-or-more";

function config(dataDir: string, pgPort: number) {
  return resolveConfig({
    "data-dir": dataDir,
    "http-port": String(freePort()),
    "pg-port": String(pgPort),
  }, { BKG_ADMIN_PASSWORD: "admin-pw", BKG_JWT_SECRET: jwtSecret });
}

Deno.test("server starts pgwire only with a backend, and stopping it ends sessions with 57P01", async () => {
  const dir = await tempDir();
  try {
    const pgPort = freePort();
    const plain = await Server.start(config(dir.path, pgPort));
    await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port: pgPort }));
    await plain.stop();

    const backend = new TestBackend(new Map([["anon", { superuser: false }]]));
    const server = await Server.start(config(dir.path, pgPort), { pgBackend: backend });
    const admin = postgres({
      host: "127.0.0.1",
      port: pgPort,
      user: "postgres",
      password: "admin-pw",
      database: "postgres",
      fetch_types: false,
      max: 1,
    });
    const token = await new JwtVerifier({ secret: jwtSecret }).sign({ role: "anon" }, {
      expiresInS: 60,
    });
    const anon = postgres({
      host: "127.0.0.1",
      port: pgPort,
      user: "anon",
      password: token,
      database: "postgres",
      fetch_types: false,
      max: 1,
    });
    try {
      assert.deepEqual([...await admin`select 1 as x`], [{ x: 1 }]);
      assert.deepEqual([...await anon`select 1 as x`], [{ x: 1 }]);
      assert.equal(backend.started.find((s) => s.user === "postgres")?.superuser, true);
      const raw = await WireClient.connect(pgPort);
      await raw.send(fe.startup({ user: "anon", database: "postgres" }));
      await raw.read();
      await raw.send(fe.password(token));
      await raw.until("Z");
      await server.stop();
      const last = (await raw.drain()).at(-1)!;
      raw.close();
      assert.equal(last.type, "E");
      assert.equal(errorFields(last.body).C, "57P01");
      await assert.rejects(admin`select 1 as x`);
      await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port: pgPort }));
    } finally {
      await admin.end({ timeout: 1 });
      await anon.end({ timeout: 1 });
      await server.stop();
    }
  } finally {
    await dir.remove();
  }
});
