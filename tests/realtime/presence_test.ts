/**
 * @module Broadcast and presence on channels with @supabase/realtime-js against a real
 * `bkg serve`: `channel.send({type: "broadcast"})` with the `self` and `ack` options, and
 * `channel.track()` / `untrack()` with presence sync, join and leave as realtime-js reports them.
 */
import assert from "node:assert/strict";
import type { RealtimeChannel } from "@supabase/realtime-js";
import { type RealtimeServer, startRealtimeServer, waitFor } from "./server.ts";

type Msg = Record<string, unknown>;

async function joinChannel(
  s: RealtimeServer,
  topic: string,
  config: Record<string, unknown>,
  setup: (ch: RealtimeChannel) => void,
): Promise<RealtimeChannel> {
  const c = s.client(await s.token("authenticated"));
  const ch = c.channel(topic, { config });
  setup(ch);
  const statuses: string[] = [];
  ch.subscribe((st) => statuses.push(st));
  await waitFor(() => statuses.includes("SUBSCRIBED"), `${topic} SUBSCRIBED`);
  return ch;
}

Deno.test("realtime broadcast and presence work with realtime-js", async (t) => {
  const s = await startRealtimeServer();
  try {
    await t.step(
      "broadcast reaches the others, itself only with self, and acks with ack",
      async () => {
        const got: Record<string, Msg[]> = { a: [], b: [], c: [] };
        const on = (k: string) => (ch: RealtimeChannel) =>
          ch.on("broadcast", { event: "cursor" }, (m) => got[k]!.push(m.payload as Msg));
        const a = await joinChannel(s, "room", { broadcast: { self: false, ack: true } }, on("a"));
        await joinChannel(s, "room", { broadcast: { self: false } }, on("b"));
        const c = await joinChannel(s, "room", { broadcast: { self: true } }, on("c"));
        assert.equal(await a.send({ type: "broadcast", event: "cursor", payload: { x: 1 } }), "ok");
        await c.send({ type: "broadcast", event: "cursor", payload: { x: 2 } });
        await waitFor(() => got.b!.length === 2 && got.c!.length === 2, "broadcasts");
        await new Promise((r) => setTimeout(r, 100));
        assert.deepEqual(got.a, [{ x: 2 }]);
        assert.deepEqual(got.b, [{ x: 1 }, { x: 2 }]);
        assert.deepEqual(got.c, [{ x: 1 }, { x: 2 }]);
        // Another topic hears nothing.
        const other: Msg[] = [];
        const d = await joinChannel(
          s,
          "elsewhere",
          {},
          (ch) => ch.on("broadcast", { event: "cursor" }, (m) => other.push(m.payload as Msg)),
        );
        await a.send({ type: "broadcast", event: "cursor", payload: { x: 3 } });
        await waitFor(() => got.b!.length === 3, "third broadcast");
        assert.deepEqual(other, []);
        await d.unsubscribe();
        // Raw bytes travel as vsn 2.0.0 binary frames both ways.
        const bins: number[][] = [];
        const e = await joinChannel(
          s,
          "bytes",
          {},
          (ch) =>
            ch.on(
              "broadcast",
              { event: "bin" },
              (m) => bins.push([...new Uint8Array(m.payload as ArrayBuffer)]),
            ),
        );
        const f = await joinChannel(s, "bytes", { broadcast: { ack: true } }, () => {});
        const buf = new Uint8Array([1, 2, 250]).buffer;
        assert.equal(await f.send({ type: "broadcast", event: "bin", payload: buf }), "ok");
        await waitFor(() => bins.length === 1, "binary broadcast");
        assert.deepEqual(bins, [[1, 2, 250]]);
        await e.unsubscribe();
      },
    );

    await t.step("presence sync, join and leave follow track, untrack and disconnect", async () => {
      const events: Record<string, Msg[]> = { alice: [], bob: [] };
      const listen = (k: string) => (ch: RealtimeChannel) =>
        ch.on("presence", { event: "sync" }, () => events[k]!.push({ event: "sync" }))
          .on("presence", { event: "join" }, (p) => events[k]!.push({ event: "join", key: p.key }))
          .on(
            "presence",
            { event: "leave" },
            (p) => events[k]!.push({ event: "leave", key: p.key }),
          );
      const alice = await joinChannel(s, "lobby", { presence: { key: "alice" } }, listen("alice"));
      assert.equal(await alice.track({ status: "online" }), "ok");
      await waitFor(
        () => Object.keys(alice.presenceState()).includes("alice"),
        "alice sees herself",
      );
      const bob = await joinChannel(s, "lobby", { presence: { key: "bob" } }, listen("bob"));
      // Bob's first sync carries alice's tracked state.
      await waitFor(() => Object.keys(bob.presenceState()).includes("alice"), "bob sees alice");
      const meta = bob.presenceState()["alice"]![0] as Msg;
      assert.equal(meta.status, "online");
      assert.equal(typeof meta.presence_ref, "string");
      await bob.track({ status: "busy" });
      await waitFor(() => events.alice!.some((e) => e.event === "join" && e.key === "bob"), "join");
      assert.deepEqual(Object.keys(alice.presenceState()).sort(), ["alice", "bob"]);
      await alice.untrack();
      await waitFor(
        () => events.bob!.some((e) => e.event === "leave" && e.key === "alice"),
        "leave",
      );
      assert.deepEqual(Object.keys(bob.presenceState()), ["bob"]);
      await alice.track({ status: "back" });
      await waitFor(() => Object.keys(bob.presenceState()).includes("alice"), "alice back");
      await bob.unsubscribe();
      await waitFor(
        () => events.alice!.some((e) => e.event === "leave" && e.key === "bob"),
        "bob left",
      );
      assert.deepEqual(Object.keys(alice.presenceState()), ["alice"]);
      assert.ok(events.alice!.some((e) => e.event === "sync"));
    });
  } finally {
    await s.stop();
  }
});
