import assert from "node:assert/strict";
import {
  ByteReader,
  ByteWriter,
  type Datum,
  type DatumClassInstance,
  DatumCorrupt,
  readDatum,
  registerDatumClass,
  writeDatum,
} from "../../db/datum.ts";

class Money implements DatumClassInstance {
  readonly datumTag = 250;
  constructor(readonly cents: bigint) {}
}
registerDatumClass<Money>({
  tag: 250,
  name: "test-money",
  toPlain: (m) => m.cents,
  fromPlain: (p) => new Money(p as bigint),
});

function roundTrip(value: Datum): Datum {
  const w = new ByteWriter(1);
  writeDatum(w, value);
  const r = new ByteReader(w.finish());
  const back = readDatum(r);
  assert.equal(r.remaining, 0);
  return back;
}

Deno.test("datum encoding round-trips every kind of value", () => {
  const obj = Object.assign(Object.create(null), { a: 1, "": [true, null], "__proto__": "x" });
  const values: Datum[] = [
    null,
    true,
    false,
    0,
    -1,
    2147483647,
    -2147483648,
    2147483648,
    1.5,
    -0,
    NaN,
    Infinity,
    -Infinity,
    0n,
    -(2n ** 63n),
    2n ** 63n - 1n,
    2n ** 200n,
    -(2n ** 64n),
    "",
    "héllo ✓ 𝄞",
    new Uint8Array([0, 1, 255]),
    [],
    [1, ["nested", [null]], 3n],
    obj,
  ];
  for (const v of values) assert.deepStrictEqual(roundTrip(v), v);
  assert.ok(Object.is(roundTrip(-0), -0));
});

Deno.test("datum encoding carries registered classes", () => {
  const back = roundTrip([new Money(123n), "x"]) as [Money, string];
  assert.ok(back[0] instanceof Money);
  assert.equal(back[0].cents, 123n);
});

Deno.test("datum decoding of truncated or unknown bytes throws DatumCorrupt", () => {
  const w = new ByteWriter();
  writeDatum(w, ["abc", 12345678901234n]);
  const bytes = w.finish();
  for (let cut = 0; cut < bytes.length; cut++) {
    assert.throws(() => readDatum(new ByteReader(bytes.subarray(0, cut))), DatumCorrupt);
  }
  assert.throws(() => readDatum(new ByteReader(new Uint8Array([200]))), DatumCorrupt);
});

Deno.test("datum strings of every length and width round-trip (in-place UTF-8 encoding)", () => {
  for (
    const s of [
      "",
      "a",
      "x".repeat(127),
      "x".repeat(128),
      "é".repeat(64),
      "𝄞".repeat(40),
      "y".repeat(20000),
      "ü".repeat(9000),
    ]
  ) {
    assert.deepStrictEqual(roundTrip(["pre", s, "post"]), ["pre", s, "post"]);
  }
});
