/**
 * @module Realtime under row-level security, end to end: a real `bkg serve`, a table with the
 * policy `user_id = auth.uid()`, two tenants' tokens on @supabase/realtime-js, writes over pgwire.
 * Each tenant receives only its own rows' events (DELETE: only the old key, only to the owner);
 * a role without SELECT is refused at join; policy and privilege changes reach live subscribers.
 */
import assert from "node:assert/strict";
import type { RealtimePostgresChangesPayload } from "@supabase/realtime-js";
import { RawClient } from "./raw_client.ts";
import { type RealtimeServer, startRealtimeServer, waitFor } from "./server.ts";

type Row = Record<string, unknown>;
type Payload = RealtimePostgresChangesPayload<Row>;

const alice = "00000000-0000-4000-8000-00000000000a";
const bob = "00000000-0000-4000-8000-00000000000b";

async function tenant(s: RealtimeServer, sub: string, name: string) {
  const c = s.client(await s.token("authenticated", 600, { sub }));
  const got: Payload[] = [];
  const statuses: string[] = [];
  c.channel(name)
    // deno-lint-ignore no-explicit-any
    .on("postgres_changes" as any, { event: "*", schema: "public", table: "todos" }, (
      p: Payload,
    ) => got.push(p))
    .subscribe((st) => statuses.push(st));
  await waitFor(() => statuses.includes("SUBSCRIBED"), `${name} SUBSCRIBED`);
  return got;
}

const summary = (got: Payload[]) =>
  got.map((p) => [p.eventType, (p.new as Row).id ?? (p.old as Row).id]);

Deno.test("realtime delivers each tenant only the rows its RLS policy lets it see", async (t) => {
  const s = await startRealtimeServer();
  try {
    await s.sql.unsafe(`
      create table todos (id int primary key, user_id uuid not null, title text);
      alter table todos enable row level security;
      create policy own_rows on todos for select using (user_id = auth.uid());
      create table secret (id int primary key, v text);
      revoke all on secret from anon, authenticated;
    `);

    await t.step("insert, update and delete reach only the row's owner", async () => {
      const a = await tenant(s, alice, "todos-a");
      const b = await tenant(s, bob, "todos-b");
      await s.sql`insert into todos values (1, ${alice}, 'a1'), (2, ${bob}, 'b1')`;
      await s.sql`insert into todos values (3, ${alice}, 'a2')`;
      await s.sql`update todos set title = 'a1!' where id = 1`;
      await s.sql`update todos set title = 'b1!' where id = 2`;
      await s.sql`delete from todos where id = 3`;
      await s.sql`delete from todos where id = 2`;
      // A row handed from alice to bob: only bob (who sees the new row) hears of it.
      await s.sql`update todos set user_id = ${bob} where id = 1`;
      await waitFor(() => a.length === 4 && b.length === 4, "both tenants' events");
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(summary(a), [["INSERT", 1], ["INSERT", 3], ["UPDATE", 1], ["DELETE", 3]]);
      assert.deepEqual(summary(b), [["INSERT", 2], ["UPDATE", 2], ["DELETE", 2], ["UPDATE", 1]]);
      for (const p of [...a, ...b]) {
        const row = (p.eventType === "DELETE" ? p.old : p.new) as Row;
        assert.ok(p.eventType === "DELETE" || row.user_id !== undefined);
      }
      // A DELETE reveals the old primary key only, as PostgreSQL/Supabase do.
      assert.deepEqual(a[3]!.old, { id: 3 });
      assert.deepEqual(b[2]!.old, { id: 2 });
      assert.deepEqual((a[0]!.new as Row).user_id, alice);
    });

    await t.step("a role without SELECT on the table is refused at join", async () => {
      // As realtime-js reports it: CHANNEL_ERROR with the engine's message.
      const errors: string[] = [];
      const ch = s.client(await s.token("anon")).channel("secret-js")
        // deno-lint-ignore no-explicit-any
        .on("postgres_changes" as any, { event: "*", schema: "public", table: "secret" }, () => {})
        .subscribe((st, err) => {
          if (st === "CHANNEL_ERROR") errors.push(err?.message ?? "");
        });
      await waitFor(() => errors.length > 0, "CHANNEL_ERROR");
      assert.equal(errors[0], "permission denied for table secret");
      await ch.unsubscribe();
      const raw = await RawClient.open(s.wsUrl, await s.token("authenticated", 600, { sub: bob }));
      const reply = await raw.join("realtime:secret", {
        postgres_changes: [{ event: "*", schema: "public", table: "secret" }],
      });
      assert.equal(reply.payload.status, "error");
      assert.equal((reply.payload.response as Row).reason, "permission denied for table secret");
      // A wildcard over the schema is allowed and simply skips the table.
      const wild = await raw.join("realtime:wild", {
        postgres_changes: [{ event: "INSERT", schema: "public" }],
      });
      assert.equal(wild.payload.status, "ok");
      await s.sql`insert into secret values (1, 'hidden')`;
      await s.sql`insert into todos values (10, ${bob}, 'visible')`;
      await waitFor(() => raw.changes("realtime:wild").length === 1, "bob's own row");
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(raw.changes("realtime:wild").map((d) => d.table), ["todos"]);
      await raw.close();
    });

    await t.step("policy and privilege changes take effect for live subscriptions", async () => {
      const raw = await RawClient.open(s.wsUrl, await s.token("authenticated", 600, { sub: bob }));
      const cfg = { postgres_changes: [{ event: "INSERT", schema: "public", table: "todos" }] };
      assert.equal((await raw.join("realtime:live", cfg)).payload.status, "ok");
      await s.sql`insert into todos values (20, ${alice}, 'not for bob')`;
      await s.sql`create policy everyone on todos for select using (title like 'public%')`;
      await s.sql`insert into todos values (21, ${alice}, 'public note')`;
      await s.sql`revoke select on todos from authenticated`;
      await s.sql`insert into todos values (22, ${bob}, 'after revoke')`;
      await s.sql`grant select on todos to authenticated`;
      await s.sql`insert into todos values (23, ${bob}, 'after grant')`;
      await waitFor(() => raw.changes().length === 2, "two events");
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(raw.changes().map((d) => (d.record as Row).id), [21, 23]);
      await raw.close();
    });

    await t.step("a refreshed token moves the channel to the new identity", async () => {
      const gauge = async () =>
        Number(/^bkg_realtime_identities (\d+)$/m.exec(await s.metrics())![1]);
      // Open now: the two tenants' clients of the first step. The raw clients of the steps
      // before were closed; the server lets their identities go when it sees the close.
      const base = 2;
      await waitFor(async () => (await gauge()) === base, "only the tenants' identities remain");
      // Identities are role + exact claims: a session_id keeps these tokens apart from the first
      // step's, which may be minted in the same second (same iat and exp).
      const aliceToken = await s.token("authenticated", 600, { sub: alice, session_id: "r1" });
      const raw = await RawClient.open(s.wsUrl, aliceToken);
      const cfg = { postgres_changes: [{ event: "INSERT", schema: "public", table: "todos" }] };
      assert.equal((await raw.join("realtime:r1", cfg)).payload.status, "ok");
      assert.equal((await raw.join("realtime:r2", cfg)).payload.status, "ok");
      const shared = await gauge();
      assert.equal(shared, base + 1, `two channels of one identity share one session (${shared})`);
      await s.sql`insert into todos values (30, ${alice}, 'x'), (31, ${bob}, 'y')`;
      await waitFor(() => raw.changes().length === 2, "alice's row on both channels");
      raw.ws.send(JSON.stringify({
        topic: "realtime:r1",
        event: "access_token",
        payload: {
          access_token: await s.token("authenticated", 600, { sub: bob, session_id: "r2" }),
        },
        ref: "t1",
      }));
      await waitFor(async () => (await gauge()) === base + 2, "a second identity");
      await s.sql`insert into todos values (32, ${alice}, 'x'), (33, ${bob}, 'y')`;
      await waitFor(() => raw.changes().length === 4, "two more events");
      await new Promise((r) => setTimeout(r, 100));
      const ids = (topic: string) => raw.changes(topic).map((d) => (d.record as Row).id);
      assert.deepEqual(ids("realtime:r1"), [30, 33]);
      assert.deepEqual(ids("realtime:r2"), [30, 32]);
      await raw.close();
      await waitFor(async () => (await gauge()) === base, "sessions closed with the last channel");
    });
  } finally {
    await s.stop();
  }
});
