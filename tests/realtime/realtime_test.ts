/**
 * @module Realtime end to end: a real `bkg serve` subprocess, writes through pgwire (npm:postgres),
 * @supabase/realtime-js clients (vsn 2.0.0 and 1.0.0) and bare Phoenix websockets.
 */
import assert from "node:assert/strict";
import type { RealtimeChannel, RealtimePostgresChangesPayload } from "@supabase/realtime-js";
import { RawClient } from "./raw_client.ts";
import { type RealtimeServer, startRealtimeServer, waitFor } from "./server.ts";

type Row = Record<string, unknown>;
type Payload = RealtimePostgresChangesPayload<Row>;

async function subscribe(
  s: RealtimeServer,
  name: string,
  filter: { event: "*" | "INSERT" | "UPDATE" | "DELETE"; table: string; filter?: string },
  opts: { vsn?: "1.0.0" | "2.0.0"; token?: string } = {},
): Promise<{ got: Payload[]; channel: RealtimeChannel; statuses: string[] }> {
  const c = s.client(opts.token ?? await s.token("authenticated"), opts.vsn);
  const got: Payload[] = [];
  const statuses: string[] = [];
  const channel = c.channel(name)
    // deno-lint-ignore no-explicit-any
    .on("postgres_changes" as any, { schema: "public", ...filter }, (p: Payload) => got.push(p))
    .subscribe((st) => statuses.push(st));
  await waitFor(() => statuses.includes("SUBSCRIBED"), `${name} SUBSCRIBED`);
  return { got, channel, statuses };
}

Deno.test("realtime delivers committed changes over websockets", async (t) => {
  const s = await startRealtimeServer([
    "--realtime-retained-commits",
    "40",
    "--realtime-send-buffer-kb",
    "64",
  ]);
  try {
    await s.sql`create table items (id int primary key, owner text, n int, tags jsonb)`;

    await t.step(
      "inserts, updates and deletes arrive in commit order with their shape",
      async () => {
        const v2 = await subscribe(s, "all2", { event: "*", table: "items" });
        const v1 = await subscribe(s, "all1", { event: "*", table: "items" }, { vsn: "1.0.0" });
        await s.sql`insert into items values (1, 'alice', 5, '{"a":1}')`;
        await s.sql`update items set n = 6 where id = 1`;
        await s.sql`delete from items where id = 1`;
        for (const { got } of [v2, v1]) {
          await waitFor(() => got.length === 3, "three events");
          assert.deepEqual(got.map((p) => p.eventType), ["INSERT", "UPDATE", "DELETE"]);
          const [ins, upd, del] = got as [Payload, Payload, Payload];
          assert.equal(ins.schema, "public");
          assert.equal(ins.table, "items");
          assert.deepEqual(ins.new, { id: 1, owner: "alice", n: 5, tags: { a: 1 } });
          assert.deepEqual(ins.old, {});
          assert.deepEqual(upd.new, { id: 1, owner: "alice", n: 6, tags: { a: 1 } });
          assert.deepEqual(upd.old, { id: 1 });
          assert.deepEqual(del.old, { id: 1 });
          assert.deepEqual(del.new, {});
          assert.ok(!Number.isNaN(Date.parse(ins.commit_timestamp)));
          assert.ok(Date.parse(ins.commit_timestamp) <= Date.parse(del.commit_timestamp));
        }
        await v2.channel.unsubscribe();
        await v1.channel.unsubscribe();
      },
    );

    await t.step("filters eq, neq, lt, lte, gt, gte and in select rows", async () => {
      const cases: [string, number[]][] = [
        ["owner=eq.bob", [11, 14]],
        ["owner=neq.bob", [10, 12, 13]],
        ["n=lt.2", [10, 11]],
        ["n=lte.2", [10, 11, 12]],
        ["n=gt.2", [13, 14]],
        ["n=gte.2", [12, 13, 14]],
        ["id=in.(10,13)", [10, 13]],
      ];
      const subs = [];
      for (const [f, _] of cases) {
        subs.push(await subscribe(s, `f-${f}`, { event: "INSERT", table: "items", filter: f }));
      }
      await s.sql`insert into items (id, owner, n) values
        (10, 'alice', 0), (11, 'bob', 1), (12, 'carol', 2), (13, 'alice', 3), (14, 'bob', 4)`;
      const marker = await subscribe(s, "f-marker", { event: "*", table: "items" });
      await s.sql`insert into items (id, owner, n) values (15, 'zed', 99)`;
      await waitFor(() => marker.got.length === 1, "marker");
      for (let i = 0; i < cases.length; i++) {
        const ids: unknown[] = subs[i]!.got.map((p) => (p.new as Row).id).filter((id) => id !== 15);
        assert.deepEqual(ids, cases[i]![1], cases[i]![0]);
      }
      for (const x of [...subs, marker]) await x.channel.unsubscribe();
    });

    await t.step("a rolled-back transaction produces nothing", async () => {
      const sub = await subscribe(s, "rollback", { event: "*", table: "items" });
      await s.sql.begin(async (tx) => {
        await tx`insert into items (id, owner, n) values (20, 'ghost', 1)`;
        await tx`select 1/0`;
      }).catch(() => {});
      await s.sql`insert into items (id, owner, n) values (21, 'real', 1)`;
      await waitFor(() => sub.got.length >= 1, "the committed row");
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(sub.got.map((p) => (p.new as Row).id), [21]);
      await sub.channel.unsubscribe();
    });

    await t.step("events carry lsn and a join resumes after resume_lsn", async () => {
      const token = await s.token("authenticated");
      const a = await RawClient.open(s.wsUrl, token);
      const cfg = { postgres_changes: [{ event: "INSERT", schema: "public", table: "items" }] };
      assert.equal((await a.join("realtime:resume", cfg)).payload.status, "ok");
      for (let id = 30; id < 35; id++) await s.sql`insert into items (id, n) values (${id}, 0)`;
      await waitFor(() => a.changes().length === 5, "five events");
      const seen = a.changes();
      const lsns = seen.map((d) => String(d.lsn));
      assert.ok(lsns.every((l) => /^[0-9A-F]+\/[0-9A-F]+$/.test(l)), lsns.join());
      await a.close();
      // Reconnect having seen up to id 31: 32..34 and a later commit come back, in order, once.
      const b = await RawClient.open(s.wsUrl, token);
      const reply = await b.join("realtime:resume", { ...cfg, resume_lsn: lsns[1] });
      assert.equal(reply.payload.status, "ok");
      await s.sql`insert into items (id, n) values (35, 0)`;
      await waitFor(() => b.changes().length === 4, "replay plus live");
      assert.deepEqual(b.changes().map((d) => (d.record as Row).id), [32, 33, 34, 35]);
      await b.close();
    });

    await t.step("a resume position outside the retention window is a clear error", async () => {
      const token = await s.token("authenticated");
      const a = await RawClient.open(s.wsUrl, token);
      const cfg = { postgres_changes: [{ event: "INSERT", schema: "public", table: "items" }] };
      await a.join("realtime:old", cfg);
      await s.sql`insert into items (id, n) values (100, 0)`;
      await waitFor(() => a.changes().length === 1, "first event");
      const first = String(a.changes()[0]!.lsn);
      for (let id = 101; id < 150; id++) await s.sql`insert into items (id, n) values (${id}, 0)`;
      const b = await RawClient.open(s.wsUrl, token);
      const reply = await b.join("realtime:old2", { ...cfg, resume_lsn: first });
      assert.equal(reply.payload.status, "error");
      const reason = String((reply.payload.response as Row).reason);
      assert.match(reason, /outside the retention window/);
      await a.close();
      await b.close();
    });

    await t.step("a slow client is cut off while a fast one keeps receiving", async () => {
      await s.sql`create table blobs (id int primary key, body text)`;
      const fast = await subscribe(s, "fast", { event: "INSERT", table: "blobs" });
      const slow = await SlowClient.open(s.wsUrl, await s.token("authenticated"));
      const rows = 400;
      for (let i = 0; i < rows; i += 50) {
        await s
          .sql`insert into blobs select g, repeat('x', 20000) from generate_series(${i}::int, ${
          i + 49
        }::int) g`;
      }
      await waitFor(() => fast.got.length === rows, "every row at the fast client", 30_000);
      assert.deepEqual(fast.got.map((p) => (p.new as Row).id), [...Array(rows).keys()]);
      const metrics = await s.metrics();
      assert.match(metrics, /bkg_realtime_slow_clients_closed_total 1\n/);
      assert.match(metrics, /bkg_realtime_events_dropped_total [1-9]/);
      slow.close();
      await fast.channel.unsubscribe();
    });

    await t.step("an expired token ends the subscription with an error", async () => {
      const c = s.client(await s.token("authenticated", 2));
      const system: Row[] = [];
      const statuses: string[] = [];
      c.channel("expiring")
        // deno-lint-ignore no-explicit-any
        .on("postgres_changes" as any, { event: "*", schema: "public", table: "items" }, () => {})
        .on("system", {}, (p: Row) => system.push(p))
        .subscribe((st) => statuses.push(st));
      await waitFor(() => statuses.includes("SUBSCRIBED"), "subscribed");
      await waitFor(() => system.some((p) => p.status === "error"), "expiry error", 10_000);
      assert.match(String(system.find((p) => p.status === "error")!.message), /token has expired/);
      await waitFor(() => statuses.includes("CLOSED"), "channel closed");
    });

    await t.step(
      "a refreshed access_token keeps the subscription past the old expiry",
      async () => {
        const c = s.client(await s.token("authenticated", 2));
        const got: Payload[] = [];
        const statuses: string[] = [];
        c.channel("refreshed")
          // deno-lint-ignore no-explicit-any
          .on("postgres_changes" as any, { event: "INSERT", schema: "public", table: "items" }, (
            p: Payload,
          ) => got.push(p))
          .subscribe((st) => statuses.push(st));
        await waitFor(() => statuses.includes("SUBSCRIBED"), "subscribed");
        await c.setAuth(await s.token("authenticated", 600));
        await new Promise((r) => setTimeout(r, 2_500));
        await s.sql`insert into items (id, n) values (500, 1)`;
        await waitFor(() => got.length === 1, "event after the old token's expiry");
        assert.ok(!statuses.includes("CLOSED"), statuses.join());
      },
    );

    await t.step("heartbeats are answered and bad joins get an error reply", async () => {
      const raw = await RawClient.open(s.wsUrl, await s.token("authenticated"));
      raw.ws.send(JSON.stringify({ topic: "phoenix", event: "heartbeat", payload: {}, ref: "hb" }));
      await waitFor(() => raw.messages.some((m) => m.ref === "hb"), "heartbeat reply");
      assert.equal(raw.messages.find((m) => m.ref === "hb")!.payload.status, "ok");
      const missing = await raw.join("realtime:x", {
        postgres_changes: [{ event: "*", schema: "public", table: "nope" }],
      });
      assert.equal(missing.payload.status, "error");
      assert.equal(
        (missing.payload.response as Row).reason,
        'relation "public.nope" does not exist',
      );
      const badFilter = await raw.join("realtime:y", {
        postgres_changes: [{ event: "*", schema: "public", table: "items", filter: "id=like.1" }],
      });
      assert.match(String((badFilter.payload.response as Row).reason), /invalid filter/);
      // A connection holds at most 100 channels.
      for (let i = 0; i < 100; i++) {
        assert.equal((await raw.join(`realtime:cap-${i}`, {})).payload.status, "ok");
      }
      const over = await raw.join("realtime:cap-100", {});
      assert.equal(
        (over.payload.response as Row).reason,
        "too many channels on this connection (limit 100)",
      );
      // A frame over 1 MiB closes the socket with 1009.
      raw.ws.send(
        JSON.stringify({ topic: "x", event: "broadcast", payload: { p: "x".repeat(1 << 20) } }),
      );
      await waitFor(() => raw.closed !== null, "closed for a big frame");
      assert.equal(raw.closed!.code, 1009);
      const res = await fetch(`${s.url}/realtime/v1/websocket?apikey=not.a.jwt`, {
        headers: { upgrade: "websocket" },
      });
      assert.equal(res.status, 401);
      await res.body?.cancel();
    });

    await t.step("wildcard joins pick up tables created after the join", async () => {
      const raw = await RawClient.open(s.wsUrl, await s.token("authenticated"));
      const star = await raw.join("realtime:star", {
        postgres_changes: [{ event: "*", schema: "public", table: "*" }],
      });
      const schemaOnly = await raw.join("realtime:schema", {
        postgres_changes: [{ event: "INSERT", schema: "public" }],
      });
      assert.equal(star.payload.status, "ok");
      assert.equal(schemaOnly.payload.status, "ok");
      await s.sql`create table later (id int primary key, v text)`;
      await s.sql`insert into later values (1, 'new')`;
      await s.sql`update later set v = 'newer' where id = 1`;
      await waitFor(
        () =>
          raw.changes("realtime:star").length === 2 && raw.changes("realtime:schema").length === 1,
        "events of the new table",
      );
      assert.deepEqual(raw.changes("realtime:star").map((d) => [d.table, d.type]), [
        ["later", "INSERT"],
        ["later", "UPDATE"],
      ]);
      assert.deepEqual(raw.changes("realtime:schema")[0]!.record, { id: 1, v: "new" });
      await raw.close();
    });

    await t.step("1,000 subscribers on one table each receive the change", async () => {
      const token = await s.token("authenticated");
      const cfg = { postgres_changes: [{ event: "*", schema: "public", table: "items" }] };
      const before = gauge(await s.metrics(), "subscriptions");
      const clients: RawClient[] = [];
      for (let i = 0; i < 20; i++) clients.push(await RawClient.open(s.wsUrl, token));
      await Promise.all(clients.map(async (c, i) => {
        for (let j = 0; j < 50; j++) await c.join(`realtime:many-${i}-${j}`, cfg);
      }));
      assert.equal(gauge(await s.metrics(), "subscriptions") - before, 1000);
      await s.sql`insert into items (id, n) values (1000, 1)`;
      await waitFor(() => clients.every((c) => c.changes().length === 50), "1000 deliveries");
      for (const c of clients) await c.close();
    });
  } finally {
    await s.stop();
  }
});

function gauge(metrics: string, name: string): number {
  const m = new RegExp(`^bkg_realtime_${name} (\\d+)$`, "m").exec(metrics);
  assert.ok(m !== null, `${name} missing from /metrics`);
  return Number(m[1]);
}

/** A websocket client that completes the handshake over raw TCP and then never reads. */
class SlowClient {
  private constructor(readonly conn: Deno.TcpConn) {}

  static async open(wsUrl: string, token: string): Promise<SlowClient> {
    const url = new URL(`${wsUrl}/websocket?vsn=1.0.0&apikey=${token}`);
    const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
    const enc = new TextEncoder();
    await conn.write(enc.encode(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
        `Sec-WebSocket-Version: 13\r\n\r\n`,
    ));
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf);
    assert.match(new TextDecoder().decode(buf.subarray(0, n ?? 0)), /^HTTP\/1.1 101/);
    const join = JSON.stringify({
      topic: "realtime:slow",
      event: "phx_join",
      ref: "1",
      join_ref: "1",
      payload: {
        config: { postgres_changes: [{ event: "INSERT", schema: "public", table: "blobs" }] },
      },
    });
    await conn.write(maskedFrame(enc.encode(join)));
    return new SlowClient(conn);
  }

  close(): void {
    this.conn.close();
  }
}

function maskedFrame(payload: Uint8Array): Uint8Array {
  const mask = new Uint8Array([1, 2, 3, 4]);
  const len = payload.length;
  const head = len < 126 ? [0x81, 0x80 | len] : [0x81, 0x80 | 126, len >> 8, len & 0xff];
  const out = new Uint8Array(head.length + 4 + len);
  out.set(head, 0);
  out.set(mask, head.length);
  for (let i = 0; i < len; i++) out[head.length + 4 + i] = payload[i]! ^ mask[i % 4]!;
  return out;
}
