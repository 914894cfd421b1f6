import assert from "node:assert/strict";
import * as jose from "jose";
import { JwtError, type JwtFailure, JwtVerifier, parseAudience } from "../../src/auth/mod.ts";

const secret = "a-test-secret-of-at-least-32-characters!";
const key = new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

function token(claims: jose.JWTPayload, alg = "HS256"): Promise<string> {
  return new jose.SignJWT(claims).setProtectedHeader({ alg }).sign(key);
}

async function refused(verifier: JwtVerifier, tok: string, reason: JwtFailure) {
  await assert.rejects(verifier.verify(tok), (err: unknown) => {
    assert.ok(err instanceof JwtError, String(err));
    assert.equal(err.reason, reason);
    return true;
  });
}

Deno.test("jwt accepts an HS256 token and returns its claims", async () => {
  const v = new JwtVerifier({ secret });
  const claims = await v.verify(await token({ role: "authenticated", sub: "u1", exp: now() + 60 }));
  assert.equal(claims.role, "authenticated");
  assert.equal(claims.sub, "u1");
});

Deno.test("jwt signs tokens it verifies", async () => {
  const v = new JwtVerifier({ secret, audience: ["api"], issuer: "bkg" });
  const claims = await v.verify(await v.sign({ role: "anon" }, { expiresInS: 60 }));
  assert.equal(claims.aud, "api");
  assert.equal(claims.iss, "bkg");
});

Deno.test("jwt refuses alg none", async () => {
  const header = btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "");
  const body = btoa(JSON.stringify({ role: "service_role" })).replace(/=+$/, "");
  await refused(new JwtVerifier({ secret }), `${header}.${body}.`, "algorithm");
});

Deno.test("jwt refuses a wrong algorithm", async () => {
  await refused(new JwtVerifier({ secret }), await token({ role: "anon" }, "HS512"), "algorithm");
});

Deno.test("jwt refuses a bad signature", async () => {
  const other = new TextEncoder().encode("another-secret-of-at-least-32-characters");
  const tok = await new jose.SignJWT({ role: "anon" }).setProtectedHeader({ alg: "HS256" }).sign(
    other,
  );
  await refused(new JwtVerifier({ secret }), tok, "signature");
});

Deno.test("jwt refuses an expired token", async () => {
  await refused(
    new JwtVerifier({ secret }),
    await token({ role: "anon", exp: now() - 10 }),
    "expired",
  );
});

Deno.test("jwt refuses a token not yet valid", async () => {
  await refused(
    new JwtVerifier({ secret }),
    await token({ role: "anon", nbf: now() + 600 }),
    "not_yet_valid",
  );
});

Deno.test("jwt checks the audience only when configured", async () => {
  const tok = await token({ role: "anon", aud: "other" });
  await new JwtVerifier({ secret }).verify(tok);
  await refused(new JwtVerifier({ secret, audience: ["api", "web"] }), tok, "audience");
  await new JwtVerifier({ secret, audience: ["api", "other"] }).verify(tok);
});

Deno.test("jwt checks the issuer only when configured", async () => {
  const tok = await token({ role: "anon", iss: "someone" });
  await new JwtVerifier({ secret }).verify(tok);
  await refused(new JwtVerifier({ secret, issuer: "bkg" }), tok, "issuer");
});

Deno.test("jwt refuses a role that is not a JWT role", async () => {
  await refused(new JwtVerifier({ secret }), await token({ role: "postgres" }), "role");
  await refused(new JwtVerifier({ secret }), await token({ sub: "x" }), "role");
});

Deno.test("jwt refuses garbage", async () => {
  await refused(new JwtVerifier({ secret }), "not.a.token", "malformed");
  await refused(new JwtVerifier({ secret }), "", "malformed");
});

Deno.test("jwt audience setting splits on commas", () => {
  assert.deepEqual(parseAudience("a, b,,c"), ["a", "b", "c"]);
  assert.equal(parseAudience(undefined), undefined);
  assert.equal(parseAudience(" , "), undefined);
});
