/**
 * @module The `id` that jsonpath's .keyvalue() gives an object: PostgreSQL computes it from the
 * byte offset of the object's container inside its base jsonb value (the document: base 0; the
 * vars: base 1; each object .keyvalue() generates: the next number), plus the base's number
 * times 10^10. This file lays out a jsonb tree as jsonb's binary format would (container
 * headers, 4-byte JEntries, keys before values, numerics and containers 4-byte aligned) to
 * find those offsets.
 */
import type { DatumObject } from "../datum.ts";
import { isJsonbObject, type Jsonb, jsonbKeys, jsonbNull } from "./json.ts";
import { Numeric } from "./numeric.ts";

const utf8 = new TextEncoder();

function utf8Length(s: string): number {
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : utf8.encode(s).length;
}

const align4 = (n: number) => (n + 3) & ~3;

/**
 * Bytes of a numeric's varlena as PostgreSQL builds it: `header` varlena bytes (4 in memory and
 * in jsonb, 1 on disk for short values), the numeric header (2 short, 4 long) and its base-10000
 * digits without leading or trailing zero groups.
 */
export function numericStoredBytes(n: Numeric, header: number): number {
  const s = n.abs().toString();
  const [intPart = "", frac = ""] = s.split(".");
  const ip = intPart.replace(/^0+/, "");
  const groups = (ip.padStart(Math.ceil(ip.length / 4) * 4, "0") +
    frac.padEnd(Math.ceil(frac.length / 4) * 4, "0")).match(/..../g) ?? [];
  let first = 0;
  let last = groups.length;
  while (first < last && groups[first] === "0000") first++;
  while (last > first && groups[last - 1] === "0000") last--;
  const ndigits = last - first;
  const weight = Math.ceil(ip.length / 4) - 1 - first;
  const short = frac.length <= 63 && (ndigits === 0 || (weight >= -64 && weight <= 63));
  return header + (short ? 2 : 4) + 2 * ndigits;
}

/** Lays out `v` starting at byte `at`; calls `visit` for every container; returns the end. */
function place(v: Jsonb, at: number, visit: (c: object, offset: number) => void): number {
  if (typeof v === "string") return at + utf8Length(v);
  if (v instanceof Numeric) return align4(at) + numericStoredBytes(v, 4);
  if (v === null || v === jsonbNull || typeof v === "boolean") return at;
  at = align4(at);
  visit(v as object, at);
  if (Array.isArray(v)) {
    at += 4 + 4 * v.length;
    for (const e of v) at = place(e, at, visit);
    return at;
  }
  const o = v as DatumObject;
  const keys = jsonbKeys(o);
  at += 4 + 8 * keys.length;
  for (const k of keys) at += utf8Length(k);
  for (const k of keys) at = place(o[k]!, at, visit);
  return at;
}

/** Object ids of one path evaluation. */
export class KeyValueIds {
  #ids = new WeakMap<object, number>();
  #next: number;

  /** `varsGiven`: PostgreSQL numbers generated objects from 2 when a vars value exists. */
  constructor(varsGiven: boolean) {
    this.#next = varsGiven ? 2 : 1;
  }

  /** Registers every container of a base value (`base` 0 for the document, 1 for the vars). */
  register(value: Jsonb, base: number): void {
    place(value, 0, (c, offset) => {
      if (!this.#ids.has(c)) this.#ids.set(c, base * 1e10 + offset);
    });
  }

  /** The id of an object (0 for one built during evaluation, as PostgreSQL's non-binary). */
  idOf(obj: object): number {
    return this.#ids.get(obj) ?? 0;
  }

  /** One .keyvalue() result: a new base object whose value is a copy placed inside it. */
  generate(id: number, key: string, value: Jsonb): DatumObject {
    const o: DatumObject = Object.create(null);
    o.id = Numeric.fromBigInt(BigInt(id));
    o.key = key;
    o.value = copy(value);
    this.register(o, this.#next++);
    return o;
  }
}

function copy(v: Jsonb): Jsonb {
  if (Array.isArray(v)) return v.map(copy);
  if (isJsonbObject(v)) {
    const o: DatumObject = Object.create(null);
    for (const k of Object.keys(v)) o[k] = copy(v[k]!);
    return o;
  }
  return v;
}
