/**
 * @module The realtime routes in /openapi.json: the websocket upgrade and GET /metrics are
 * documented, and the document stays valid OpenAPI 3.1 with them.
 */
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { JwtVerifier } from "../../src/auth/mod.ts";
import { createApp } from "../../src/http/mod.ts";

Deno.test("realtime routes are documented in a valid /openapi.json", async () => {
  const app = createApp({
    startedMs: performance.now(),
    auth: { verifier: new JwtVerifier({ secret: "x".repeat(32) }), adminPassword: "pw" },
  });
  const doc = await (await app.request("/openapi.json")).json();
  const ws = doc.paths["/realtime/v1/websocket"]?.get;
  assert.ok(ws, "the websocket route is documented");
  assert.deepEqual(Object.keys(ws.responses).sort(), ["101", "400", "401", "426", "503"]);
  assert.deepEqual(ws.parameters.map((p: { name: string }) => p.name).sort(), ["apikey", "vsn"]);
  assert.ok(doc.paths["/metrics"]?.get?.responses["200"]?.content["text/plain"]);
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
  // Without a database there is no hub: the websocket answers 503, /metrics an empty body.
  const res = await app.request("/realtime/v1/websocket?vsn=2.0.0");
  assert.equal(res.status, 503);
  await res.body?.cancel();
  const metrics = await app.request("/metrics");
  assert.equal(metrics.status, 200);
  assert.equal(await metrics.text(), "");
});
