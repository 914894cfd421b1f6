/**
 * @module Rate limits per client key (an address, a user): a token bucket of `limit` requests
 * that refills evenly over `windowMs`. Memory is bounded: full buckets are forgotten, and past
 * `keysMax` tracked clients the oldest entries are dropped first.
 */

/** The answer for one request. */
export type RateDecision = { ok: true } | { ok: false; retryAfterS: number };

/** A token-bucket limiter. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; updatedMs: number }>();
  readonly #refillPerMs: number;

  /**
   * @example
   * const limiter = new RateLimiter({ limit: 30, windowMs: 60_000 });
   * if (!limiter.take(address).ok) … // answer 429 with Retry-After
   */
  constructor(readonly options: { limit: number; windowMs: number; keysMax?: number }) {
    this.#refillPerMs = options.limit / options.windowMs;
  }

  /** Takes one token for `key`; refuses with the seconds until one is back. */
  take(key: string, nowMs = Date.now()): RateDecision {
    const { limit } = this.options;
    const bucket = this.#buckets.get(key);
    let tokens = limit;
    if (bucket !== undefined) {
      tokens = Math.min(limit, bucket.tokens + (nowMs - bucket.updatedMs) * this.#refillPerMs);
      this.#buckets.delete(key); // Re-inserted below, so Map order is least recently used first.
    }
    if (tokens < 1) {
      this.#buckets.set(key, { tokens, updatedMs: nowMs });
      return {
        ok: false,
        retryAfterS: Math.max(1, Math.ceil((1 - tokens) / this.#refillPerMs / 1000)),
      };
    }
    this.#buckets.set(key, { tokens: tokens - 1, updatedMs: nowMs });
    this.#evict();
    return { ok: true };
  }

  /** How many clients are tracked (for tests and metrics). */
  get trackedKeys(): number {
    return this.#buckets.size;
  }

  #evict(): void {
    const keysMax = this.options.keysMax ?? 100_000;
    while (this.#buckets.size > keysMax) {
      const oldest = this.#buckets.keys().next().value as string;
      this.#buckets.delete(oldest);
    }
  }
}
