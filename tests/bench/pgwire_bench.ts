/**
 * @module Micro-benchmarks of the pgwire codec on the hot path of `pgbench -S -M prepared`:
 * framing and decoding Bind+Execute+Sync, and encoding the reply (BindComplete, DataRow,
 * CommandComplete, ReadyForQuery) into the reusable writer. Run: `deno bench -A tests/bench/pgwire_bench.ts`.
 */
import type { Column } from "../../src/pgwire/mod.ts";
import { MessageCursor, WireWriter } from "../../src/pgwire/codec.ts";
import { Framer } from "../../src/pgwire/framer.ts";
import { decodeBind, decodeExecute, Frontend } from "../../src/pgwire/messages.ts";
import {
  Reply,
  writeCommandComplete,
  writeDataRow,
  writeEmpty,
  writeReadyForQuery,
} from "../../src/pgwire/replies.ts";

const enc = new TextEncoder();

function msg(type: string, body: number[]): Uint8Array {
  const len = body.length + 4;
  return Uint8Array.from([
    type.charCodeAt(0),
    len >>> 24,
    (len >> 16) & 255,
    (len >> 8) & 255,
    len & 255,
    ...body,
  ]);
}
const cstr = (s: string) => [...enc.encode(s), 0];
const i16 = (v: number) => [(v >> 8) & 255, v & 255];
const i32 = (v: number) => [(v >>> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255];

// What pgbench -M prepared sends per transaction of -S.
const value = enc.encode("73412");
const pipeline = new Uint8Array([
  ...msg("B", [
    ...cstr(""),
    ...cstr("P0_1"),
    ...i16(0),
    ...i16(1),
    ...i32(value.length),
    ...value,
    ...i16(0),
  ]),
  ...msg("E", [...cstr(""), ...i32(0)]),
  ...msg("S", []),
]);

const int4: Column = {
  name: "abalance",
  tableOid: 16390,
  columnNumber: 3,
  typeOid: 23,
  typeSize: 4,
  typeModifier: -1,
  output: { text: (v) => String(v), binary: (v, out) => out.int32(v as number) },
};
const text: Column = {
  ...int4,
  name: "filler",
  typeOid: 25,
  typeSize: -1,
  output: { text: (v) => v as string },
};
const tenColumns = [int4, int4, int4, int4, int4, text, text, text, text, text];
const tenValues = [
  1,
  22,
  333,
  4444,
  55555,
  "a",
  "bb",
  "some text",
  "more text here",
  "x".repeat(40),
];

const framer = new Framer();
framer.startup = false;
const cursor = new MessageCursor();

Deno.bench("pgwire decode Bind+Execute+Sync (pgbench -S prepared)", {
  group: "decode",
  baseline: true,
}, () => {
  framer.push(pipeline);
  let n = 0;
  while (framer.next()) {
    cursor.reset(framer.buf, framer.bodyStart, framer.bodyEnd);
    if (framer.type === Frontend.bind) n += decodeBind(cursor).values.length;
    else if (framer.type === Frontend.execute) n += decodeExecute(cursor).maxRows;
  }
  if (n !== 1) throw new Error("decode went wrong");
});

const w = new WireWriter();

Deno.bench("pgwire encode reply: BindComplete DataRow(int4) CommandComplete ReadyForQuery", {
  group: "encode",
  baseline: true,
}, () => {
  writeEmpty(w, Reply.bindComplete);
  writeDataRow(w, [int4], undefined, [-4711]);
  writeCommandComplete(w, "SELECT 1");
  writeReadyForQuery(w, "I");
  w.consume(w.length);
});

Deno.bench("pgwire encode DataRow of 10 columns (text)", { group: "encode" }, () => {
  writeDataRow(w, tenColumns, undefined, tenValues);
  w.consume(w.length);
});

const binaryFormats = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0] as const;
Deno.bench("pgwire encode DataRow of 10 columns (5 binary)", { group: "encode" }, () => {
  writeDataRow(w, tenColumns, binaryFormats, tenValues);
  w.consume(w.length);
});

Deno.bench("pgwire encode 1000 DataRows (10 columns) into one buffer", { group: "encode" }, () => {
  for (let i = 0; i < 1000; i++) writeDataRow(w, tenColumns, undefined, tenValues);
  w.consume(w.length);
});
