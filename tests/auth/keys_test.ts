import assert from "node:assert/strict";
import * as jose from "jose";
import {
  generateJwk,
  JwtError,
  type JwtFailure,
  JwtVerifier,
  KeyFileError,
  KeyRing,
  loadKeyDir,
  ringKeyFromJwk,
} from "../../src/auth/mod.ts";

const secret = "a-test-secret-of-at-least-32-characters!";

async function refused(v: JwtVerifier, token: string, reason: JwtFailure) {
  await assert.rejects(v.verify(token), (err: unknown) => {
    assert.ok(err instanceof JwtError, String(err));
    assert.equal(err.reason, reason, err.message);
    return true;
  });
}

async function ring(...jwks: jose.JWK[]): Promise<KeyRing> {
  return new KeyRing(secret, await Promise.all(jwks.map((j) => ringKeyFromJwk(j))));
}

Deno.test("jwt keys: ES256 and EdDSA tokens verify by kid", async () => {
  for (const alg of ["ES256", "EdDSA"] as const) {
    const jwk = await generateJwk(alg, `k-${alg}`);
    const v = new JwtVerifier({ secret, ring: await ring(jwk) });
    const token = await v.sign({ role: "authenticated", sub: "u1" }, { expiresInS: 60 });
    assert.equal(jose.decodeProtectedHeader(token).kid, `k-${alg}`);
    assert.equal(jose.decodeProtectedHeader(token).alg, alg);
    assert.equal((await v.verify(token)).sub, "u1");
  }
});

Deno.test("jwt keys: during a rotation both keys verify and the newest signs", async () => {
  const old = await generateJwk("ES256", "2026-01-01");
  const fresh = await generateJwk("EdDSA", "2026-06-01");
  const before = new JwtVerifier({ secret, ring: await ring(old) });
  const oldToken = await before.sign({ role: "anon" }, { expiresInS: 60 });
  const during = new JwtVerifier({ secret, ring: await ring(fresh, old) });
  const newToken = await during.sign({ role: "anon" }, { expiresInS: 60 });
  assert.equal(jose.decodeProtectedHeader(newToken).kid, "2026-06-01");
  await during.verify(oldToken);
  await during.verify(newToken);
  // HS256 tokens keep working beside the asymmetric keys.
  const hs = await new jose.SignJWT({ role: "anon" }).setProtectedHeader({ alg: "HS256" }).sign(
    new TextEncoder().encode(secret),
  );
  await during.verify(hs);
  // Once the old key is gone, its tokens are refused.
  const after = new JwtVerifier({ secret, ring: await ring(fresh) });
  await refused(after, oldToken, "signature");
});

Deno.test("jwt keys: a token whose alg does not match its kid's key is refused", async () => {
  const es = await generateJwk("ES256", "es");
  const ed = await generateJwk("EdDSA", "ed");
  const edKey = await jose.importJWK(ed, "EdDSA");
  const forged = await new jose.SignJWT({ role: "service_role" })
    .setProtectedHeader({ alg: "EdDSA", kid: "es" }).sign(edKey);
  await refused(new JwtVerifier({ secret, ring: await ring(es, ed) }), forged, "algorithm");
});

Deno.test("jwt keys: HS256 signed with a public key as secret is refused", async () => {
  const es = await generateJwk("ES256", "es");
  const { d: _d, ...pub } = es;
  const confused = await new jose.SignJWT({ role: "service_role" })
    .setProtectedHeader({ alg: "HS256", kid: "es" })
    .sign(new TextEncoder().encode(JSON.stringify(pub)));
  await refused(new JwtVerifier({ secret, ring: await ring(es) }), confused, "signature");
});

Deno.test("jwt keys: RS256 and unknown kids are refused", async () => {
  const rsa = await jose.generateKeyPair("RS256");
  const rs = await new jose.SignJWT({ role: "anon" }).setProtectedHeader({ alg: "RS256", kid: "r" })
    .sign(rsa.privateKey);
  const v = new JwtVerifier({ secret, ring: await ring(await generateJwk("ES256", "es")) });
  await refused(v, rs, "algorithm");
  const other = await generateJwk("ES256", "unknown");
  const stranger = await new jose.SignJWT({ role: "anon" })
    .setProtectedHeader({ alg: "ES256", kid: "unknown" })
    .sign(await jose.importJWK(other, "ES256"));
  await refused(v, stranger, "signature");
});

Deno.test("jwt keys: the JWKS holds public keys only", async () => {
  const r = await ring(await generateJwk("ES256", "a"), await generateJwk("EdDSA", "b"));
  const { keys } = r.jwks();
  assert.deepEqual(keys.map((k) => k.kid).sort(), ["a", "b"]);
  for (const k of keys) {
    assert.equal(k.d, undefined);
    assert.equal(k.use, "sig");
  }
  // A verifier built from the published JWKS alone verifies the ring's tokens.
  const token = await new JwtVerifier({ secret, ring: r }).sign({ role: "anon" }, {
    expiresInS: 60,
  });
  await jose.jwtVerify(token, jose.createLocalJWKSet({ keys }));
});

Deno.test("jwt keys: a key directory loads, and bad files are named", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await loadKeyDir(`${dir}/missing`), []);
    await Deno.writeTextFile(`${dir}/a.json`, JSON.stringify(await generateJwk("ES256", "a")));
    const { d: _d, ...pub } = await generateJwk("EdDSA", "b");
    await Deno.writeTextFile(`${dir}/b.json`, JSON.stringify(pub));
    await Deno.writeTextFile(`${dir}/notes.txt`, "ignored");
    const keys = await loadKeyDir(dir);
    assert.deepEqual(keys.map((k) => [k.kid, k.privateKey !== undefined]).sort(), [
      ["a", true],
      ["b", false],
    ]);
    await Deno.writeTextFile(`${dir}/c.json`, "{not json");
    await assert.rejects(
      loadKeyDir(dir),
      (e: unknown) => e instanceof KeyFileError && /c\.json/.test(e.message),
    );
    await Deno.writeTextFile(`${dir}/c.json`, JSON.stringify({ kty: "RSA", kid: "c" }));
    await assert.rejects(loadKeyDir(dir), KeyFileError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
