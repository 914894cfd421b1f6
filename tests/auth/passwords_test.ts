import assert from "node:assert/strict";
import {
  hashPassword,
  hashRefreshToken,
  newRefreshToken,
  verifyPassword,
} from "../../src/auth/mod.ts";

Deno.test("passwords: scrypt hashes verify, with a fresh salt each time", async () => {
  const a = await hashPassword("correct horse");
  const b = await hashPassword("correct horse");
  assert.match(a, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
  assert.notEqual(a, b, "salted");
  assert.ok(await verifyPassword("correct horse", a));
  assert.ok(await verifyPassword("correct horse", b));
  assert.ok(!(await verifyPassword("correct horsE", a)));
  assert.ok(!(await verifyPassword("", a)));
});

Deno.test("passwords: a malformed or missing hash never verifies", async () => {
  assert.ok(!(await verifyPassword("x", undefined)));
  assert.ok(!(await verifyPassword("x", "plain-text")));
  assert.ok(!(await verifyPassword("x", "$scrypt$ln=40,r=8,p=1$AAAA$AAAA")), "absurd cost refused");
  const good = await hashPassword("x");
  const tampered = good.slice(0, -2) + (good.endsWith("A") ? "BB" : "AA");
  assert.ok(!(await verifyPassword("x", tampered)));
});

Deno.test("refresh tokens: random, stored as their SHA-256", async () => {
  const one = await newRefreshToken();
  const two = await newRefreshToken();
  assert.notEqual(one.token, two.token);
  assert.match(one.token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(one.hash, await hashRefreshToken(one.token));
  assert.match(one.hash, /^[0-9a-f]{64}$/);
  assert.equal(
    await hashRefreshToken("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});
