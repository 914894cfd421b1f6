/**
 * @module Benchmarks of db/types hot paths: int4/text comparison, int4 arithmetic with the
 * overflow check, int4/text/numeric/float8/timestamptz text I/O, and operator resolution.
 * Run with `deno bench -A tests/bench/types_bench.ts`.
 */
import {
  comparator,
  defaultEvalContext,
  inputText,
  Numeric,
  Oid,
  outputText,
  resolveOperator,
} from "../../db/types/mod.ts";

const ctx = defaultEvalContext();
const ints = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 100003 - 50000);
const texts = ints.map((i) => `row-${i}-é`);
const cmpInt = comparator(Oid.int4);
const cmpText = comparator(Oid.text);
const plus = resolveOperator("+", Oid.int4, Oid.int4).def.impl;
const lt = resolveOperator("<", Oid.int4, Oid.int4).def.impl;

Deno.bench("int4 compare ×1000", () => {
  let s = 0;
  for (let i = 1; i < ints.length; i++) s += cmpInt(ints[i]!, ints[i - 1]!);
  if (s === 12345678) throw new Error("unreachable");
});
Deno.bench("text compare ×1000", () => {
  let s = 0;
  for (let i = 1; i < texts.length; i++) s += cmpText(texts[i]!, texts[i - 1]!);
  if (s === 12345678) throw new Error("unreachable");
});
Deno.bench("int4 + int4 with overflow check ×1000", () => {
  let s = 0;
  for (let i = 0; i < ints.length; i++) s = (plus(ints[i]!, 3, ctx, []) as number) & 0xffff;
  if (s === -1) throw new Error("unreachable");
});
Deno.bench("int4 < int4 ×1000", () => {
  let s = 0;
  for (let i = 1; i < ints.length; i++) if (lt(ints[i]!, ints[i - 1]!, ctx, [])) s++;
  if (s === -1) throw new Error("unreachable");
});
const intTexts = ints.map(String);
Deno.bench("int4 input ×1000", () => {
  for (const t of intTexts) inputText(Oid.int4, t, -1, ctx);
});
Deno.bench("int4 output ×1000", () => {
  for (const i of ints) outputText(Oid.int4, i, ctx);
});
Deno.bench("text input+output ×1000", () => {
  for (const t of texts) outputText(Oid.text, inputText(Oid.text, t, -1, ctx), ctx);
});
const floats = ints.map((i) => i / 7);
Deno.bench("float8 output ×1000", () => {
  for (const f of floats) outputText(Oid.float8, f, ctx);
});
const nums = ints.map((i) => `${i}.${Math.abs(i) % 1000}`);
Deno.bench("numeric input+add+output ×1000", () => {
  let acc = Numeric.zero;
  for (const n of nums) acc = acc.add(inputText(Oid.numeric, n, -1, ctx) as Numeric);
  outputText(Oid.numeric, acc, ctx);
});
Deno.bench("timestamptz input+output ×100", () => {
  for (let i = 0; i < 100; i++) {
    outputText(
      Oid.timestamptz,
      inputText(Oid.timestamptz, `2020-01-${(i % 28) + 1} 10:00:00+02`, -1, ctx),
      ctx,
    );
  }
});
Deno.bench("resolve int4 + numeric ×100", () => {
  for (let i = 0; i < 100; i++) resolveOperator("+", Oid.int4, Oid.numeric);
});
