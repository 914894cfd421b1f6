/**
 * @module Writes through HTTP (`POST /query` with a tenant's Bearer token) reach realtime
 * subscribers under row-level security: the writer's own subscription gets the event, another
 * tenant's does not.
 */
import assert from "node:assert/strict";
import type { RealtimePostgresChangesPayload } from "@supabase/realtime-js";
import { type RealtimeServer, startRealtimeServer, waitFor } from "./server.ts";

type Row = Record<string, unknown>;
type Payload = RealtimePostgresChangesPayload<Row>;

const alice = "00000000-0000-4000-8000-0000000000a1";
const bob = "00000000-0000-4000-8000-0000000000b1";

async function query(s: RealtimeServer, token: string, sql: string, params: unknown[] = []) {
  const res = await fetch(`${s.url}/query`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ sql, params }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body as { command: string; rowCount: number };
}

Deno.test("realtime delivers writes made through POST /query, filtered by RLS", async () => {
  const s = await startRealtimeServer();
  try {
    await s.sql.unsafe(`
      create table notes (id int primary key, user_id uuid not null, body text);
      alter table notes enable row level security;
      create policy own on notes using (user_id = auth.uid()) with check (user_id = auth.uid());
    `);
    const tokens = {
      alice: await s.token("authenticated", 600, { sub: alice }),
      bob: await s.token("authenticated", 600, { sub: bob }),
    };
    const got: Record<string, Payload[]> = { alice: [], bob: [] };
    for (const who of ["alice", "bob"] as const) {
      const statuses: string[] = [];
      s.client(tokens[who]).channel(`notes-${who}`)
        // deno-lint-ignore no-explicit-any
        .on("postgres_changes" as any, { event: "*", schema: "public", table: "notes" }, (
          p: Payload,
        ) => got[who]!.push(p))
        .subscribe((st) => statuses.push(st));
      await waitFor(() => statuses.includes("SUBSCRIBED"), `${who} SUBSCRIBED`);
    }
    const ins = await query(s, tokens.alice, "insert into notes values ($1, $2, $3)", [
      1,
      alice,
      "hi",
    ]);
    assert.deepEqual([ins.command, ins.rowCount], ["INSERT", 1]);
    await query(s, tokens.bob, "insert into notes values (2, $1, 'yo')", [bob]);
    await query(s, tokens.alice, "update notes set body = 'hello' where id = 1");
    await query(s, tokens.alice, "delete from notes where id = 1");
    await waitFor(() => got.alice!.length === 3 && got.bob!.length === 1, "events");
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(got.alice!.map((p) => p.eventType), ["INSERT", "UPDATE", "DELETE"]);
    assert.deepEqual(got.alice![0]!.new, { id: 1, user_id: alice, body: "hi" });
    assert.deepEqual(got.alice![2]!.old, { id: 1 });
    assert.deepEqual(got.bob!.map((p) => (p.new as Row).id), [2]);
  } finally {
    await s.stop();
  }
});
