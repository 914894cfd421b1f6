/**
 * postgres.js and node-postgres against `bkg serve` with the real engine: connect (postgres.js
 * with its type fetch), queries with parameters, the binary-ish types (bytea, timestamptz,
 * numeric, jsonb, arrays) both ways, transactions and savepoints, errors with their codes,
 * LISTEN/NOTIFY across connections, notices, ParameterStatus on SET, cancellation, node-postgres's
 * pool, and JWT logins as `authenticated` and `anon` whose claims reach the session.
 */
import assert from "node:assert/strict";
import pg from "pg";
import postgres from "postgres";
import { enginePassword, type EngineServer, startEngineServer } from "./engine_server.ts";

async function withServer(f: (s: EngineServer) => Promise<void>): Promise<void> {
  const server = await startEngineServer();
  try {
    await f(server);
  } finally {
    await server.stop();
  }
}

const bytes = new Uint8Array([0, 1, 2, 127, 128, 255]);
const instant = new Date("2024-02-29T23:59:58.123Z");
const doc = { a: [1, 2, { b: null, c: 'x"y' }], d: true };

Deno.test("postgres.js runs typed queries, transactions, listen/notify and cancels on bkg", async () => {
  await withServer(async (server) => {
    const notices: { code?: string; message?: string }[] = [];
    const opts = {
      host: "127.0.0.1",
      port: server.pgPort,
      user: "postgres",
      password: enginePassword,
      database: "postgres",
      onnotice: (n: postgres.Notice) => notices.push({ code: n.code, message: n.message }),
    };
    // The default fetch_types: postgres.js first reads the array types from pg_type.
    const sql = postgres({ ...opts, max: 1 });
    const other = postgres({ ...opts, max: 1 });
    try {
      assert.deepEqual([...await sql`select 1 as x`], [{ x: 1 }]);
      await sql`create table things (
        id serial primary key, b bytea, ts timestamptz, n numeric, j jsonb, a int4[], t text[])`;
      const [row] = await sql`insert into things (b, ts, n, j, a, t)
        values (${bytes}, ${instant}, ${"12345678901234567890.000000001"}, ${sql.json(doc)},
          ${[1, -2, 3]}, ${["x", "y z", '"q"']})
        returning *`;
      assert.deepEqual(new Uint8Array(row!.b), bytes);
      assert.equal(row!.ts.getTime(), instant.getTime());
      assert.equal(row!.n, "12345678901234567890.000000001");
      assert.deepEqual(row!.j, doc);
      assert.deepEqual(row!.a, [1, -2, 3]);
      assert.deepEqual(row!.t, ["x", "y z", '"q"']);
      const found = await sql`select id from things where ts = ${instant} and n > ${"1e19"}`;
      assert.equal(found.length, 1);
      const none = await sql`select ${null}::int4 as v, ${"ab"} || ${"cd"} as s`;
      assert.deepEqual([...none], [{ v: null, s: "abcd" }]);

      // Transactions: a thrown error rolls back; savepoints undo their part only.
      await assert.rejects(sql.begin(async (tx) => {
        await tx`insert into things (n) values (1)`;
        throw new Error("roll back");
      }));
      const kept = await sql.begin(async (tx) => {
        await tx`insert into things (n) values (2)`;
        await tx.savepoint(async (sp) => {
          await sp`insert into things (n) values (3)`;
          throw new Error("undo the savepoint");
        }).catch(() => {});
        await tx.savepoint((sp) => sp`insert into things (n) values (4)`);
        return await tx`select n from things where n in (1, 2, 3, 4) order by n`;
      });
      assert.deepEqual(kept.map((r) => r.n), ["2", "4"]);

      // Errors carry PostgreSQL's codes and fields.
      await assert.rejects(sql`select * from nope`, (e: postgres.PostgresError) => {
        assert.equal(e.code, "42P01");
        assert.equal(e.message, 'relation "nope" does not exist');
        assert.equal(e.position, "15");
        return true;
      });
      await assert.rejects(sql`insert into things (id) values (${row!.id})`, { code: "23505" });
      await assert.rejects(sql`select 1/0`, { code: "22012" });
      await assert.rejects(sql`select ${"x"}::int4`, { code: "22P02" });

      // A notice, and ParameterStatus after SET.
      await sql`commit`;
      assert.deepEqual(notices.at(-1), {
        code: "25P01",
        message: "there is no transaction in progress",
      });
      await sql`set timezone to 'Asia/Tokyo'`;
      assert.equal(sql.parameters.TimeZone, "Asia/Tokyo");
      const [local] = await sql`select ${instant}::timestamptz::text as t`;
      assert.equal(local!.t, "2024-03-01 08:59:58.123+09");

      // LISTEN on one connection, NOTIFY from another, delivered after commit.
      const heard = Promise.withResolvers<string>();
      const listening = await sql.listen("news", (payload) => heard.resolve(payload));
      await other.begin(async (tx) => {
        await tx`select pg_notify('news', 'extra')`;
      });
      assert.equal(await heard.promise, "extra");
      // Unlistened before the end, or postgres.js would reconnect its listener to a stopping server.
      await listening.unlisten();

      // Cancellation: a long statement ends with 57014 and the connection stays usable.
      const long =
        other`select count(*) from generate_series(1, 20000) a, generate_series(1, 20000) b`;
      setTimeout(() => long.cancel(), 200);
      await assert.rejects(long, { code: "57014" });
      assert.deepEqual([...await other`select 2 as y`], [{ y: 2 }]);
    } finally {
      await sql.end();
      await other.end();
    }
  });
});

Deno.test("node-postgres runs typed queries, transactions, errors, listen and a pool on bkg", async () => {
  await withServer(async (server) => {
    const config = {
      host: "127.0.0.1",
      port: server.pgPort,
      user: "postgres",
      password: enginePassword,
      database: "postgres",
    };
    const client = new pg.Client(config);
    await client.connect();
    try {
      const r = await client.query(
        "select $1::bytea as b, $2::timestamptz as ts, $3::numeric as n, $4::jsonb as j, $5::int4[] as a, $6::text as t",
        [Buffer.from(bytes), instant, "-0.000123", JSON.stringify(doc), [1, null, 3], null],
      );
      assert.deepEqual(new Uint8Array(r.rows[0].b), bytes);
      assert.equal(r.rows[0].ts.getTime(), instant.getTime());
      assert.equal(r.rows[0].n, "-0.000123");
      assert.deepEqual(r.rows[0].j, doc);
      assert.deepEqual(r.rows[0].a, [1, null, 3]);
      assert.equal(r.rows[0].t, null);
      assert.deepEqual(r.fields.map((f: pg.FieldDef) => f.dataTypeID), [
        17,
        1184,
        1700,
        3802,
        1007,
        25,
      ]);

      await client.query("create table ledger (id int primary key, v int not null)");
      await client.query("begin");
      await client.query("insert into ledger values (1, 10)");
      await client.query("savepoint s");
      await assert.rejects(client.query("insert into ledger values (1, 11)"), { code: "23505" });
      await assert.rejects(client.query("select 1"), { code: "25P02" });
      await client.query("rollback to savepoint s");
      await client.query("insert into ledger values (2, 20)");
      await client.query("commit");
      const sum = await client.query("select sum(v)::int as s, count(*)::int as c from ledger");
      assert.deepEqual(sum.rows, [{ s: 30, c: 2 }]);

      await assert.rejects(client.query("selec 1"), (e: { code?: string; position?: string }) => {
        assert.equal(e.code, "42601");
        assert.equal(e.position, "1");
        return true;
      });
      // statement_timeout cancels a long statement with 57014.
      await client.query("set statement_timeout = 100");
      await assert.rejects(
        client.query(
          "select count(*) from generate_series(1, 20000) a, generate_series(1, 20000) b",
        ),
        { code: "57014" },
      );
      await client.query("reset statement_timeout");

      const notified = new Promise<string>((resolve) =>
        client.once("notification", (n: pg.Notification) => resolve(n.payload ?? ""))
      );
      await client.query("listen ledger_changes");
      const writer = new pg.Client(config);
      await writer.connect();
      await writer.query("notify ledger_changes, 'row 2'");
      await writer.end();
      assert.equal(await notified, "row 2");
    } finally {
      await client.end();
    }

    const pool = new pg.Pool({ ...config, max: 4 });
    // pool.end() resolves before its clients' sockets close; one still closing when the server
    // stops hears 57P01 (as from PostgreSQL), which the pool reports as an idle-client error.
    pool.on("error", () => {});
    try {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => pool.query("select $1::int4 * 2 as n", [i])),
      );
      assert.deepEqual(
        results.map((r: pg.QueryResult) => r.rows[0].n),
        Array.from({ length: 40 }, (_, i) => i * 2),
      );
      // Pool clients run concurrent transactions that all commit.
      await Promise.all(Array.from({ length: 8 }, async (_, i) => {
        const c = await pool.connect();
        try {
          await c.query("begin");
          await c.query("insert into ledger values ($1, $2)", [100 + i, i]);
          await c.query("commit");
        } finally {
          c.release();
        }
      }));
      const { rows } = await pool.query("select count(*)::int as c from ledger where id >= 100");
      assert.equal(rows[0].c, 8);
    } finally {
      await pool.end();
    }
  });
});

Deno.test("JWT logins carry their claims into the session; bad logins and databases are refused", async () => {
  await withServer(async (server) => {
    const token = await server.token("authenticated", { sub: "user-1", email: "u@example.com" });
    const client = new pg.Client({
      host: "127.0.0.1",
      port: server.pgPort,
      user: "authenticated",
      password: token,
      database: "postgres",
    });
    await client.connect();
    try {
      const { rows } = await client.query(
        "select current_user as u, current_setting('request.jwt.claims') as claims, current_setting('is_superuser') as su",
      );
      assert.equal(rows[0].u, "authenticated");
      const claims = JSON.parse(rows[0].claims);
      assert.equal(claims.sub, "user-1");
      assert.equal(claims.email, "u@example.com");
      assert.equal(claims.role, "authenticated");
      assert.equal(rows[0].su, "off");
    } finally {
      await client.end();
    }
    const anonToken = await server.token("anon");
    const anon = postgres({
      host: "127.0.0.1",
      port: server.pgPort,
      user: "anon",
      password: anonToken,
      database: "postgres",
      max: 1,
    });
    try {
      const [row] =
        await anon`select current_setting('request.jwt.claims')::jsonb ->> 'role' as role`;
      assert.equal(row!.role, "anon");
      assert.equal(anon.parameters.is_superuser, "off");
    } finally {
      await anon.end();
    }
    // A token naming another role, or a forged one, is 28P01.
    for (const password of [token, anonToken.slice(0, -2) + "xx"]) {
      const bad = new pg.Client({
        host: "127.0.0.1",
        port: server.pgPort,
        user: "anon",
        password,
        database: "postgres",
      });
      await assert.rejects(bad.connect(), { code: "28P01" });
    }
    // SCRAM with a wrong admin password is 28P01; an unknown database is 3D000.
    const login = (password: string, database: string) =>
      new pg.Client({
        host: "127.0.0.1",
        port: server.pgPort,
        user: "postgres",
        password,
        database,
      })
        .connect();
    await assert.rejects(login("wrong", "postgres"), { code: "28P01" });
    await assert.rejects(login(enginePassword, "nope"), { code: "3D000" });
  });
});
