import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { JwtVerifier } from "../../src/auth/mod.ts";
import { createApp } from "../../src/http/mod.ts";

const auth = {
  verifier: new JwtVerifier({ secret: "x".repeat(32) }),
  adminPassword: "pw",
};

Deno.test("/openapi.json is a valid OpenAPI 3.1 document", async () => {
  const app = createApp({ startedMs: performance.now(), auth });
  const res = await app.request("/openapi.json");
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.equal(doc.openapi, "3.1.0");
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.equal(validator.version, "3.1");
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
  assert.ok(doc.paths["/health"]?.get, "GET /health is documented");
});

Deno.test("/openapi.json documents the SQL doors: query, schema, policy, auth", async () => {
  const app = createApp({ startedMs: performance.now(), auth });
  const doc = await (await app.request("/openapi.json")).json();
  const expected = [
    ["post", "/query"],
    ["get", "/schema"],
    ["get", "/schema/{schema}/{table}"],
    ["get", "/policy"],
    ["post", "/policy"],
    ["post", "/policy/check"],
    ["get", "/policy/{schema}/{table}/{name}"],
    ["patch", "/policy/{schema}/{table}/{name}"],
    ["delete", "/policy/{schema}/{table}/{name}"],
    ["post", "/auth/signup"],
    ["post", "/auth/token"],
    ["post", "/auth/logout"],
    ["get", "/auth/user"],
  ];
  for (const [method, path] of expected) {
    const op = doc.paths[path!]?.[method!];
    assert.ok(op, `${method} ${path} is documented`);
    assert.ok(Object.keys(op.responses).length >= 2, `${method} ${path} lists its errors`);
  }
  assert.ok(doc.components.schemas.QueryResult, "zod schemas become components");
});

Deno.test("the SQL doors answer 503 without a database", async () => {
  const app = createApp({ startedMs: performance.now(), auth });
  const res = await app.request("/query", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sql: "select 1" }),
  });
  assert.equal(res.status, 503);
  assert.equal((await res.json()).error.code, "unavailable");
});

Deno.test("the OpenAPI validator rejects a broken document", async () => {
  // Proves the check above can fail: a path without responses is not OpenAPI 3.1.
  const validator = new Validator();
  const result = await validator.validate({
    openapi: "3.1.0",
    info: { title: "x", version: "1" },
    paths: { "/x": { get: { responses: "nope" } } },
  });
  assert.equal(result.valid, false);
});

Deno.test("unknown routes answer a JSON 404 with a code", async () => {
  const app = createApp({ startedMs: performance.now(), auth });
  const res = await app.request("/no/such/route");
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), {
    error: { code: "not_found", message: "no route for GET /no/such/route" },
  });
});
