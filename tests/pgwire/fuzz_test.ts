/**
 * Fuzzing the listener with malformed, truncated, oversized and random messages, before and after
 * login. Only the fuzzed connection may end: a witness session keeps answering throughout, no
 * reply is ever an internal error (XX000, which would mean a decoder bug), and every session slot
 * is returned. Cases: BKG_PGWIRE_FUZZ_CASES (default 3000); seed: BKG_PGWIRE_FUZZ_SEED.
 */
import assert from "node:assert/strict";
import {
  type BackendMessage,
  errorFields,
  fe,
  i32,
  loginAnon,
  startTestServer,
  type TestServer,
  WireClient,
} from "./wire_client.ts";

const cases = Number(Deno.env.get("BKG_PGWIRE_FUZZ_CASES") ?? 3000);
const seed = Number(Deno.env.get("BKG_PGWIRE_FUZZ_SEED") ?? Date.now() % 1_000_000);

/** mulberry32: small, seeded, good enough to pick mutations. */
function rng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const valid = [
  fe.query("select 1"),
  fe.parse("s", "select $1::int4 + 1", [23]),
  fe.bind("", "s", ["1"], [1]),
  fe.describe("S", "s"),
  fe.describe("P", ""),
  fe.execute("", 5),
  fe.close("P", ""),
  fe.sync(),
  fe.flush(),
  fe.copyData("x\n"),
];

function mutate(r: () => number): { bytes: Uint8Array; login: boolean } {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const random = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
  switch (Math.floor(r() * 6)) {
    case 0: // random bytes instead of a startup packet
      return { bytes: random(1 + Math.floor(r() * 200)), login: false };
    case 1: { // a startup packet with a bad length or a corrupted body
      const p = fe.startup({ user: "anon", database: "postgres" });
      if (r() < 0.5) p.set(i32(pick([0, 3, 7, 10_001, 0x7fffffff, -1])), 0);
      else p[4 + Math.floor(r() * (p.length - 4))] = Math.floor(r() * 256);
      return { bytes: p, login: false };
    }
    case 2: { // a valid message cut short
      const m = pick(valid);
      return { bytes: m.subarray(0, Math.floor(r() * m.length)), login: true };
    }
    case 3: { // a length no message may have
      const type = pick([..."QPBDESCHXdcfpF"]).charCodeAt(0);
      const len = pick([0, 1, 3, 10_005, 0x40000000 + 8, 0x7fffffff]);
      return {
        bytes: new Uint8Array([type, ...i32(len), ...random(Math.floor(r() * 16))]),
        login: true,
      };
    }
    case 4: { // valid framing, corrupted body
      const m = pick(valid).slice();
      const flips = 1 + Math.floor(r() * 4);
      for (let i = 0; i < flips && m.length > 5; i++) {
        m[5 + Math.floor(r() * (m.length - 5))] = Math.floor(r() * 256);
      }
      return { bytes: m, login: true };
    }
    default: { // a random type byte with a consistent length and random body
      const body = random(Math.floor(r() * 40));
      return {
        bytes: new Uint8Array([Math.floor(r() * 256), ...i32(body.length + 4), ...body]),
        login: true,
      };
    }
  }
}

async function runCase(
  server: TestServer,
  bytes: Uint8Array,
  login: boolean,
): Promise<BackendMessage[]> {
  const client = login ? (await loginAnon(server)).client : await WireClient.connect(server.port);
  try {
    await client.send(bytes);
    // End our side: a server still waiting for the rest of a message sees end of stream.
    await client.conn.closeWrite().catch(() => {});
    return await client.drain();
  } finally {
    client.close();
  }
}

Deno.test(`pgwire survives ${cases} malformed, truncated, oversized and random messages (seed ${seed})`, async () => {
  const server = await startTestServer({ maxConnections: 50 });
  const r = rng(seed);
  const witness = await loginAnon(server);
  try {
    for (let i = 0; i < cases; i++) {
      const { bytes, login } = mutate(r);
      const got = await runCase(server, bytes, login);
      for (const m of got.filter((m) => m.type === "E")) {
        const f = errorFields(m.body);
        assert.notEqual(f.C, "XX000", `case ${i} (seed ${seed}): internal error ${f.M}`);
      }
      if (i % 250 === 0) {
        await witness.client.send(fe.query("select 1"));
        const ok = await witness.client.until("Z");
        assert.equal(ok.map((m) => m.type).join(" "), "T D C Z", `seed ${seed}`);
      }
    }
    // Oversized claims are refused at once with 08P01, without waiting for the bytes.
    for (const [type, len] of [["Q", 0x7fffffff], ["S", 20_000], ["E", 10_005]] as const) {
      const { client } = await loginAnon(server);
      await client.send(new Uint8Array([type.charCodeAt(0), ...i32(len)]));
      const got = await client.drain();
      const f = errorFields(got.find((m) => m.type === "E")!.body);
      assert.equal(f.C, "08P01");
      assert.equal(f.S, "FATAL");
      client.close();
    }
    await witness.client.send(fe.query("select 1"));
    assert.equal((await witness.client.until("Z")).length, 4);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.listener.stats.sessions, 1, "every fuzzed session released its slot");
  } finally {
    witness.client.close();
    await server.close();
  }
});
