import assert from "node:assert/strict";
import { ConfigError, resolveConfig, settings } from "../../src/config.ts";

Deno.test("config defaults match the interface table", () => {
  const c = resolveConfig({}, {});
  assert.equal(c.dataDir, "./data");
  assert.equal(c.listen, "127.0.0.1");
  assert.equal(c.httpPort, 8080);
  assert.equal(c.pgPort, 5433);
  assert.equal(c.maxConnections, 300);
  assert.equal(c.otelSamplingRate, 0.1);
  assert.equal(c.url, "http://127.0.0.1:8080");
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.adminPassword, undefined);
  assert.equal(c.jwtSecret, undefined);
  assert.equal(c.tlsCert, undefined);
});

Deno.test("config takes flags over environment over defaults", () => {
  const env = { BKG_HTTP_PORT: "9001", BKG_PG_PORT: "6000", BKG_DATA_DIR: "/tmp/envdir" };
  const c = resolveConfig({ "http-port": "9002" }, env);
  assert.equal(c.httpPort, 9002);
  assert.equal(c.pgPort, 6000);
  assert.equal(c.dataDir, "/tmp/envdir");
});

Deno.test("config reads every environment variable of the table", () => {
  const c = resolveConfig({}, {
    BKG_LISTEN: "0.0.0.0",
    BKG_ADMIN_PASSWORD: "pw",
    BKG_JWT_SECRET: "x".repeat(40),
    DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db",
    CAVE_OTEL_SAMPLING_RATE: "0.5",
    BKG_MAX_CONNECTIONS: "10",
    BKG_JWT_AUDIENCE: "a,b",
    BKG_JWT_ISSUER: "iss",
    BKG_TLS_CERT: "/c.pem",
    BKG_TLS_KEY: "/k.pem",
    BKG_URL: "https://example.test:9443",
    BKG_LOG_LEVEL: "debug",
  });
  assert.equal(c.listen, "0.0.0.0");
  assert.equal(c.adminPassword, "pw");
  assert.equal(c.jwtSecret, "x".repeat(40));
  assert.equal(c.databaseUrl, "postgres://u:p@127.0.0.1:5432/db");
  assert.equal(c.otelSamplingRate, 0.5);
  assert.equal(c.maxConnections, 10);
  assert.equal(c.jwtAudience, "a,b");
  assert.equal(c.jwtIssuer, "iss");
  assert.equal(c.tlsCert, "/c.pem");
  assert.equal(c.tlsKey, "/k.pem");
  assert.equal(c.url, "https://example.test:9443");
  assert.equal(c.logLevel, "debug");
});

Deno.test("config treats an empty environment variable as unset", () => {
  assert.equal(resolveConfig({}, { BKG_HTTP_PORT: "" }).httpPort, 8080);
});

const rejections: [string, Record<string, string>, Record<string, string>, RegExp][] = [
  ["port 70000", { "http-port": "70000" }, {}, /^--http-port \/ BKG_HTTP_PORT: .*65535/],
  ["port 0", {}, { BKG_PG_PORT: "0" }, /^--pg-port \/ BKG_PG_PORT: /],
  ["a port that is not a number", { "pg-port": "abc" }, {}, /^--pg-port \/ BKG_PG_PORT: /],
  ["a fractional port", { "http-port": "80.5" }, {}, /integer/],
  ["sampling ratio 2", {}, { CAVE_OTEL_SAMPLING_RATE: "2" }, /^CAVE_OTEL_SAMPLING_RATE: .*0 and 1/],
  ["negative sampling ratio", {}, { CAVE_OTEL_SAMPLING_RATE: "-0.1" }, /CAVE_OTEL_SAMPLING_RATE/],
  ["zero connections", { "max-connections": "0" }, {}, /^--max-connections \/ BKG_MAX_CONNECTIONS/],
  ["a bad listen address", { listen: "not an address!" }, {}, /^--listen \/ BKG_LISTEN: /],
  ["a database URL of another scheme", { "database-url": "mysql://x" }, {}, /^--database-url/],
  ["a short JWT secret", {}, { BKG_JWT_SECRET: "short" }, /^BKG_JWT_SECRET: .*32/],
  ["a CLI URL that is not http", { url: "ftp://x" }, {}, /^--url \/ BKG_URL: /],
  ["a TLS certificate without key", { "tls-cert": "/c.pem" }, {}, /^--tls-key \/ BKG_TLS_KEY: /],
  ["an unknown log level", {}, { BKG_LOG_LEVEL: "loud" }, /^--log-level \/ BKG_LOG_LEVEL: /],
];

for (const [what, flags, env, pattern] of rejections) {
  Deno.test(`config rejects ${what} naming the setting`, () => {
    assert.throws(() => resolveConfig(flags, env), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, pattern);
      assert.ok(!err.message.includes("\n"), "one line");
      return true;
    });
  });
}

Deno.test("config never echoes a secret in its error", () => {
  assert.throws(
    () => resolveConfig({}, { BKG_JWT_SECRET: "tiny-secret" }),
    (err: unknown) => err instanceof ConfigError && !err.message.includes("tiny-secret"),
  );
});

Deno.test("docs/configuration.md documents every setting", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/configuration.md", import.meta.url));
  for (const s of settings) {
    if (s.flag) assert.ok(doc.includes(`--${s.flag}`), `--${s.flag} missing from the doc`);
    if (s.env) assert.ok(doc.includes(s.env), `${s.env} missing from the doc`);
  }
});
