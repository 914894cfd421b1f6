import assert from "node:assert/strict";
import * as jose from "jose";
import { generateJwk } from "../../src/auth/mod.ts";
import { BkgProcess, freePort, runBkg, tempDir } from "../helpers/process.ts";

Deno.test("GET /auth/jwks publishes the key directory's public keys", async () => {
  const dir = await tempDir();
  try {
    const data = `${dir.path}/data`;
    await Deno.mkdir(`${data}/jwt-keys`, { recursive: true });
    const jwk = await generateJwk("ES256", "2026-11-26");
    await Deno.writeTextFile(`${data}/jwt-keys/current.json`, JSON.stringify(jwk));
    const bkg = await BkgProcess.start(data);
    try {
      const res = await fetch(`${bkg.url}/auth/jwks`);
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.keys.length, 1);
      assert.equal(body.keys[0].kid, "2026-11-26");
      assert.equal(body.keys[0].d, undefined);
      // The published key verifies a token signed with the private key.
      const token = await new jose.SignJWT({ role: "anon" })
        .setProtectedHeader({ alg: "ES256", kid: "2026-11-26" })
        .sign(await jose.importJWK(jwk, "ES256"));
      await jose.jwtVerify(token, jose.createLocalJWKSet(body));
    } finally {
      bkg.kill();
      await bkg.finish();
    }
  } finally {
    await dir.remove();
  }
});

Deno.test("bkg serve exits 2 naming the key directory for a bad key file", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(`${dir.path}/bad.json`, JSON.stringify({ kty: "RSA", kid: "x" }));
    const res = await runBkg([
      "serve",
      "--data-dir",
      `${dir.path}/data`,
      "--http-port",
      String(freePort()),
      "--jwt-keys-dir",
      dir.path,
    ]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /^bkg: --jwt-keys-dir \/ BKG_JWT_KEYS_DIR: .*bad\.json: alg must be/);
  } finally {
    await dir.remove();
  }
});
