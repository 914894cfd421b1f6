/**
 * @module A small seeded random source (mulberry32) for the generated cases and the fuzzer, so a
 * failing run can be repeated from its printed seed.
 */

/** A seeded generator with the few helpers the generators need. */
export class Rng {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** The seed from `BKG_COMPAT_SEED`, or a fresh one. */
export function seedFromEnv(): number {
  const v = Deno.env.get("BKG_COMPAT_SEED");
  if (v === "random") return Math.floor(Math.random() * 2 ** 31);
  if (v !== undefined && v !== "") {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`BKG_COMPAT_SEED must be an integer, not ${v}`);
    return n;
  }
  // A fixed default keeps CI repeatable; `BKG_COMPAT_SEED=random` explores.
  return 20261126;
}
