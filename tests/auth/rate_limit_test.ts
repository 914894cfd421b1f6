import assert from "node:assert/strict";
import { RateLimiter } from "../../src/auth/mod.ts";

Deno.test("rate limiter allows the limit per window, then refuses with Retry-After", () => {
  const limiter = new RateLimiter({ limit: 30, windowMs: 60_000 });
  const t0 = 1_000_000;
  for (let i = 0; i < 30; i++) assert.deepEqual(limiter.take("1.2.3.4", t0), { ok: true });
  const refused = limiter.take("1.2.3.4", t0);
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.retryAfterS, 2); // One token back every 2 s.
  // Other clients are unaffected.
  assert.deepEqual(limiter.take("5.6.7.8", t0), { ok: true });
  // Tokens come back evenly: one after 2 s, all 30 after a minute.
  assert.deepEqual(limiter.take("1.2.3.4", t0 + 2_000), { ok: true });
  assert.equal(limiter.take("1.2.3.4", t0 + 2_000).ok, false);
  let allowed = 0;
  for (let i = 0; i < 40; i++) if (limiter.take("1.2.3.4", t0 + 62_000).ok) allowed++;
  assert.equal(allowed, 30);
});

Deno.test("rate limiter memory stays bounded", () => {
  const limiter = new RateLimiter({ limit: 5, windowMs: 1000, keysMax: 100 });
  for (let i = 0; i < 10_000; i++) limiter.take(`client-${i}`, i);
  assert.ok(limiter.trackedKeys <= 100);
});
