import assert from "node:assert/strict";
import { Hono } from "hono";
import { JwtVerifier } from "../../src/auth/mod.ts";
import {
  constantTimeEqual,
  errorResponse,
  HttpError,
  principalOf,
  requireAdmin,
  requireToken,
} from "../../src/http/mod.ts";

const secret = "an-http-auth-test-secret-0123456789abcdef";
const verifier = new JwtVerifier({ secret });
const auth = { verifier, adminPassword: "hunter2-admin" };

function app(): Hono {
  const a = new Hono();
  a.get("/who", async (c) => c.json(await principalOf(c, auth)));
  a.get("/admin", async (c) => c.json(await requireAdmin(c, auth)));
  a.get("/token", async (c) => c.json(await requireToken(c, auth)));
  a.onError((err, c) =>
    err instanceof HttpError
      ? errorResponse(c, err.status, err.code, err.message, { headers: err.headers })
      : c.text(String(err), 500)
  );
  return a;
}

const basic = (user: string, pw: string) => ({ authorization: `Basic ${btoa(`${user}:${pw}`)}` });
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

Deno.test("http auth: no credentials is the anon principal", async () => {
  const res = await app().request("/who");
  assert.deepEqual(await res.json(), { kind: "anonymous", role: "anon" });
});

Deno.test("http auth: Basic postgres with the admin password is the superuser", async () => {
  const res = await app().request("/admin", { headers: basic("postgres", "hunter2-admin") });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).kind, "superuser");
});

Deno.test("http auth: a wrong password or user is 401 with a JSON error", async () => {
  for (const h of [basic("postgres", "nope"), basic("alice", "hunter2-admin"), basic("", "")]) {
    const res = await app().request("/admin", { headers: h });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, "unauthorized");
    assert.ok(res.headers.get("www-authenticate"));
  }
});

Deno.test("http auth: a service_role token may administer, an authenticated one may not", async () => {
  const service = await verifier.sign({ role: "service_role" }, { expiresInS: 60 });
  assert.equal((await app().request("/admin", { headers: bearer(service) })).status, 200);
  const user = await verifier.sign({ role: "authenticated", sub: "u" }, { expiresInS: 60 });
  const res = await app().request("/admin", { headers: bearer(user) });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, "forbidden");
  assert.equal((await app().request("/admin")).status, 401);
});

Deno.test("http auth: tokens come as bearer or apikey; bad ones are 401", async () => {
  const tok = await verifier.sign({ role: "authenticated", sub: "u9" }, { expiresInS: 60 });
  const viaKey = await app().request("/token", { headers: { apikey: tok } });
  assert.equal((await viaKey.json()).claims.sub, "u9");
  assert.equal((await app().request("/token", { headers: bearer("x.y.z") })).status, 401);
  assert.equal((await app().request("/token")).status, 401);
  const expired = await new JwtVerifier({ secret }).sign({ role: "anon" }, { expiresInS: -10 });
  const res = await app().request("/who", { headers: bearer(expired) });
  assert.equal(res.status, 401);
  assert.match((await res.json()).error.message, /expired/);
});

Deno.test("constantTimeEqual compares whole strings", () => {
  assert.ok(constantTimeEqual("abc", "abc"));
  assert.ok(!constantTimeEqual("abc", "abd"));
  assert.ok(!constantTimeEqual("abc", "abcd"));
  assert.ok(constantTimeEqual("", ""));
});
