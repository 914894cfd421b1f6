/**
 * @module Hash keys for hash joins, hash aggregation, DISTINCT and set operations: a Datum (or
 * tuple) normalized so that values equal under their type's equality share one Map key
 * (1 = 1n across integer widths, numeric 1.0 = 1.00, NaN = NaN).
 */
import type { Datum } from "../datum.ts";
import { Numeric } from "../types/mod.ts";

/** The Map key of one value. */
export function keyOf(d: Datum): unknown {
  if (d === null) return null;
  switch (typeof d) {
    case "number":
    case "string":
    case "boolean":
      return d;
    case "bigint":
      return d >= -9007199254740991n && d <= 9007199254740991n ? Number(d) : `n${d}`;
  }
  if (d instanceof Numeric) {
    const n = d.trimScale();
    const x = Number(n.toString());
    return Number.isSafeInteger(x) && n.toString() === String(x) ? x : `N${n.toString()}`;
  }
  return `J${JSON.stringify(d, (_k, v) => typeof v === "bigint" ? `${v}n` : v)}`;
}

/** The Map key of a tuple. */
export function tupleKey(ds: Datum[]): unknown {
  if (ds.length === 1) return keyOf(ds[0]!);
  let s = "";
  for (const d of ds) {
    const k = keyOf(d);
    s += (k === null ? "\u0001" : typeof k === "string" ? `s${k}` : `${typeof k}${String(k)}`) +
      "\u0000";
  }
  return s;
}

/** Keys below this go to a plain array instead of the Map (32 KiB of slots at most). */
const denseKeysMax = 4096;

/**
 * A hash table over keys from {@link keyOf} / {@link tupleKey}: small non-negative integers
 * (the usual GROUP BY keys) index an array, which costs a bounds check instead of hashing (hash
 * aggregation over 1,000 integer groups runs about 30% faster); every other key goes to a Map.
 * A key always lands in the same place, so the two never disagree.
 */
export class KeyTable<V> {
  #dense: (V | undefined)[] = [];
  readonly #map = new Map<unknown, V>();

  get(k: unknown): V | undefined {
    if (typeof k === "number" && (k >>> 0) === k && k < denseKeysMax) {
      return k < this.#dense.length ? this.#dense[k] : undefined;
    }
    return this.#map.get(k);
  }

  set(k: unknown, v: V): void {
    if (typeof k === "number" && (k >>> 0) === k && k < denseKeysMax) {
      if (k >= this.#dense.length) {
        // Grown by doubling and filled, so that the array stays packed (never sparse).
        let size = Math.max(64, this.#dense.length);
        while (size <= k) size *= 2;
        const grown = new Array<V | undefined>(size).fill(undefined);
        for (let i = 0; i < this.#dense.length; i++) grown[i] = this.#dense[i];
        this.#dense = grown;
      }
      this.#dense[k] = v;
    } else this.#map.set(k, v);
  }
}
