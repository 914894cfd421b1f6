/**
 * @module Cross-tenant isolation through every door of a real `bkg serve`: two users with their
 * own HS256 JWTs and a table under the policy `user_id = auth.uid()`. Over pgwire (postgres.js,
 * the JWT as password), over HTTP `POST /query` (Bearer token) and over realtime
 * (@supabase/realtime-js postgres_changes), each user sees and changes only its own rows:
 * reading, updating or deleting the other's rows touches 0 rows, inserting a row for the other
 * user fails with 42501, and each subscriber receives only the changes of its own rows.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { RealtimeClient, type RealtimePostgresChangesPayload } from "@supabase/realtime-js";
import { enginePassword, type EngineServer, startEngineServer } from "../pgwire/engine_server.ts";
import { waitFor } from "../realtime/server.ts";

const alice = "11111111-1111-4111-8111-111111111111";
const bob = "22222222-2222-4222-8222-222222222222";

type Row = Record<string, unknown>;

interface Tenant {
  name: "alice" | "bob";
  uid: string;
  other: string;
  token: string;
  /** Ids of the seed rows of this user and of the other one. */
  own: number[];
  theirs: number[];
}

const setupSql = [
  `CREATE TABLE notes (id int PRIMARY KEY, user_id uuid NOT NULL DEFAULT auth.uid(), body text)`,
  "GRANT SELECT, INSERT, UPDATE, DELETE ON notes TO anon, authenticated",
  "ALTER TABLE notes ENABLE ROW LEVEL SECURITY",
  `CREATE POLICY own_notes ON notes TO authenticated
     USING (user_id = auth.uid()) WITH CHECK (user_id = auth.uid())`,
  `INSERT INTO notes VALUES (1, '${alice}', 'a1'), (2, '${alice}', 'a2'),
     (3, '${bob}', 'b1'), (4, '${bob}', 'b2')`,
];

/**
 * A postgres.js client. Its start-up type fetch (pg_type) is off, so that a failure there shows
 * as the explicit pg_catalog check of the pgwire step instead of an unhandled rejection.
 */
function pgwireAs(server: EngineServer, user: string, password: string): postgres.Sql {
  return postgres({
    host: "127.0.0.1",
    port: server.pgPort,
    user,
    password,
    database: "postgres",
    max: 1,
    fetch_types: false,
    onnotice: () => {},
  });
}

interface QueryAnswer {
  status: number;
  body: {
    command?: string;
    rowCount?: number | null;
    rows?: Row[];
    error?: { code: string; sqlstate?: string; message: string };
  };
}

async function query(
  server: EngineServer,
  token: string | null,
  sql: string,
  params: unknown[] = [],
): Promise<QueryAnswer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}/query`, {
    method: "POST",
    headers,
    body: JSON.stringify({ sql, params }),
  });
  const text = await res.text();
  let body: QueryAnswer["body"];
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`POST /query answered ${res.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body };
}

function ok(a: QueryAnswer, what: string): QueryAnswer["body"] {
  assert.equal(a.status, 200, `${what}: ${JSON.stringify(a.body)}`);
  return a.body;
}

async function checkPgwire(server: EngineServer, sql: postgres.Sql, t: Tenant): Promise<void> {
  const db = pgwireAs(server, "authenticated", t.token);
  try {
    const [who] = await db`select current_user as u, auth.uid()::text as uid`;
    assert.deepEqual({ ...who }, { u: "authenticated", uid: t.uid });
    const seen = await db`select id from notes where id < 100 order by id`;
    assert.deepEqual(seen.map((r) => r.id), t.own, `${t.name} reads only its rows`);
    const [n] = await db`select count(*)::int as n from notes where user_id = ${t.other}`;
    assert.equal(n!.n, 0);
    const upd = await db`update notes set body = 'hacked' where id = ${t.theirs[0]!}`;
    assert.equal(upd.count, 0, `${t.name} updates none of the other's rows`);
    const del = await db`delete from notes where id in ${db(t.theirs)}`;
    assert.equal(del.count, 0, `${t.name} deletes none of the other's rows`);
    const all = await db`update notes set body = body || '!' where id < 100`;
    assert.equal(all.count, t.own.length, `${t.name} updates exactly its own rows`);
    await assert.rejects(
      db`insert into notes (id, user_id, body) values (${t.own[0]! + 100}, ${t.other}, 'x')`,
      (e: postgres.PostgresError) => {
        assert.equal(e.code, "42501");
        assert.equal(e.message, 'new row violates row-level security policy for table "notes"');
        return true;
      },
    );
    const [mine] = await db`insert into notes (id, body) values (${t.own[0]! + 110}, 'mine')
      returning user_id::text as u`;
    assert.equal(mine!.u, t.uid, "user_id defaults to auth.uid()");
    const moved = db`update notes set user_id = ${t.other} where id = ${t.own[0]! + 110}`;
    await assert.rejects(moved, { code: "42501" }, `${t.name} cannot hand a row to the other`);
    // What postgres.js reads at start-up by default: pg_catalog is readable by every role.
    const types = await db`select b.oid, b.typarray from pg_catalog.pg_type a
      left join pg_catalog.pg_type b on b.oid = a.typelem where a.typcategory = 'A' limit 1`
      .catch((e: Error) => assert.fail(`${t.name} cannot read pg_catalog.pg_type: ${e.message}`));
    assert.equal(types.length, 1);
  } finally {
    await db.end({ timeout: 2 });
  }
  const others = await sql`select id, body from notes where id in ${sql(t.theirs)} order by id`;
  for (const r of others) assert.ok(!String(r.body).includes("hacked"), `row ${r.id} untouched`);
}

async function checkHttp(server: EngineServer, t: Tenant): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => query(server, t.token, sql, params);
  const seen = ok(await q("select id from notes where id < 100 order by id"), "select");
  assert.deepEqual(seen.rows!.map((r) => r.id), t.own, `${t.name} reads only its rows over HTTP`);
  const other = ok(await q("select * from notes where user_id = $1", [t.other]), "select other");
  assert.deepEqual(other.rows, []);
  const upd = ok(await q("update notes set body = $1 where id = $2", ["x", t.theirs[1]]), "upd");
  assert.equal(upd.rowCount, 0, `${t.name} updates none of the other's rows over HTTP`);
  const del = ok(await q("delete from notes where id = $1", [t.theirs[1]]), "delete");
  assert.equal(del.rowCount, 0, `${t.name} deletes none of the other's rows over HTTP`);
  const denied = await q("insert into notes (id, user_id, body) values ($1, $2, 'x')", [
    t.own[0]! + 200,
    t.other,
  ]);
  assert.equal(denied.status, 403, JSON.stringify(denied.body));
  assert.equal(denied.body.error?.sqlstate ?? denied.body.error?.code, "42501");
  const ins = ok(
    await q("insert into notes (id, body) values ($1, 'h')", [t.own[0]! + 210]),
    "ins",
  );
  assert.equal(ins.rowCount, 1);
  const mine = ok(await q("update notes set body = 'h2' where id < 300 returning id"), "upd own");
  assert.ok(mine.rows!.length >= t.own.length);
  assert.ok(mine.rows!.every((r) => !t.theirs.includes(Number(r.id))), JSON.stringify(mine.rows));
}

type Payload = RealtimePostgresChangesPayload<Row>;

async function subscribe(server: EngineServer, token: string, clients: RealtimeClient[]) {
  const client = new RealtimeClient(`ws://127.0.0.1:${server.httpPort}/realtime/v1`, {
    params: { apikey: token },
    vsn: "2.0.0",
    heartbeatIntervalMs: 5_000,
  });
  client.setAuth(token);
  clients.push(client);
  const got: Payload[] = [];
  const statuses: string[] = [];
  client.channel(`notes-${clients.length}`)
    .on(
      "postgres_changes",
      { event: "*", schema: "public", table: "notes" },
      (p: Payload) => got.push(p),
    )
    .subscribe((st) => statuses.push(st));
  await waitFor(() => statuses.includes("SUBSCRIBED"), "SUBSCRIBED");
  return got;
}

function summary(got: Payload[]): string[] {
  return got.map((p) => {
    const row = (p.eventType === "DELETE" ? p.old : p.new) as Row;
    return `${p.eventType} ${row.id}`;
  });
}

Deno.test("each user sees and changes only its own rows over pgwire, HTTP and realtime", async (t) => {
  const server = await startEngineServer();
  const sql = pgwireAs(server, "postgres", enginePassword);
  const clients: RealtimeClient[] = [];
  try {
    for (const q of setupSql) await sql.unsafe(q);
    const tenants: Tenant[] = [
      {
        name: "alice",
        uid: alice,
        other: bob,
        token: await server.token("authenticated", { sub: alice }),
        own: [1, 2],
        theirs: [3, 4],
      },
      {
        name: "bob",
        uid: bob,
        other: alice,
        token: await server.token("authenticated", { sub: bob }),
        own: [3, 4],
        theirs: [1, 2],
      },
    ];

    await t.step("pgwire: postgres.js logging in with each user's JWT", async () => {
      for (const tenant of tenants) await checkPgwire(server, sql, tenant);
    });

    await t.step("HTTP: POST /query with each user's Bearer token", async () => {
      for (const tenant of tenants) await checkHttp(server, tenant);
      const anon = ok(await query(server, null, "select id from notes"), "anon select");
      assert.deepEqual(anon.rows, [], "anon has no policy: no rows");
    });

    await t.step("realtime: each subscriber receives only its own rows' changes", async () => {
      const gotA = await subscribe(server, tenants[0]!.token, clients);
      const gotB = await subscribe(server, tenants[1]!.token, clients);
      await sql`insert into notes values (300, ${alice}, 'ra'), (301, ${bob}, 'rb')`;
      await sql`update notes set body = 'u' where id in (300, 301)`;
      await sql`delete from notes where id in (300, 301)`;
      for (const [tenant, id] of [[tenants[0]!, 302], [tenants[1]!, 303]] as const) {
        const db = pgwireAs(server, "authenticated", tenant.token);
        await db`insert into notes (id, body) values (${id}, 'self')`;
        await db.end({ timeout: 2 });
      }
      // A row handed from alice to bob: the update is bob's (the new row is judged).
      await sql`insert into notes values (304, ${alice}, 'moving')`;
      await sql`update notes set user_id = ${bob} where id = 304`;
      await waitFor(() => gotA.length >= 5 && gotB.length >= 5, "five events each");
      // Give a leaked event time to arrive before judging.
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(summary(gotA), [
        "INSERT 300",
        "UPDATE 300",
        "DELETE 300",
        "INSERT 302",
        "INSERT 304",
      ]);
      assert.deepEqual(summary(gotB), [
        "INSERT 301",
        "UPDATE 301",
        "DELETE 301",
        "INSERT 303",
        "UPDATE 304",
      ]);
      for (const p of gotA) assert.notEqual((p.new as Row).user_id, bob, JSON.stringify(p));
      for (const p of gotB) assert.notEqual((p.new as Row).user_id, alice, JSON.stringify(p));
    });
  } finally {
    for (const c of clients) await c.disconnect();
    await sql.end({ timeout: 2 });
    await server.stop();
  }
});
