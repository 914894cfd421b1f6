import assert from "node:assert/strict";
import { bearer, startDoor } from "./door.ts";

const alice = "11111111-1111-4111-8111-111111111111";
const bob = "22222222-2222-4222-8222-222222222222";

Deno.test("POST /query against a running bkg", async (t) => {
  const d = await startDoor({
    BKG_QUERY_MAX_ROWS: "50",
    BKG_QUERY_MAX_BODY_KB: "64",
    BKG_QUERY_TIMEOUT_MS: "1500",
  });
  const q = (body: unknown, headers: Record<string, string> = d.admin) =>
    d.call("POST", "/query", { body, headers });
  try {
    await t.step("answers command, rowCount, typed columns and rows keyed by name", async () => {
      const r = await q({ sql: "select 1 as one, 'x'::text as two" });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, {
        command: "SELECT",
        rowCount: 1,
        columns: [{ name: "one", type: "int4" }, { name: "two", type: "text" }],
        rows: [{ one: 1, two: "x" }],
      });
    });

    await t.step("encodes every listed type as JSON without losing precision", async () => {
      const r = await q({
        sql: `select 9007199254740993::int8 as i8, 12345678901234567890.123456789::numeric as num,
          'NaN'::float8 as nan, 'Infinity'::float8 as inf, '-Infinity'::float4 as ninf,
          1.5::float8 as f8, 7::int2 as i2, '\\xdeadbeef'::bytea as by,
          '{"a": [1, {"b": null}], "c": "d"}'::jsonb as jb, '[1, "x", true]'::json as js,
          array[1, null, 3]::int4[] as ia, '{{1,2},{3,4}}'::int8[] as i8a,
          array['a b', null, 'c"d']::text[] as ta, array['{"k":1}'::jsonb] as jba,
          date '2024-02-29' as d, time '13:14:15.5' as tm,
          timestamp '2024-02-29 13:14:15.123456' as ts,
          timestamptz '2024-02-29 13:14:15+00' as tstz,
          interval '1 year 2 mons 3 days 04:05:06' as iv,
          'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid as u, true as yes, false as no,
          null::int4 as nothing, 'NaN'::numeric as nnan`,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const row = r.body.rows[0];
      assert.equal(row.i8, "9007199254740993");
      assert.equal(row.num, "12345678901234567890.123456789");
      assert.equal(row.nan, "NaN");
      assert.equal(row.inf, "Infinity");
      assert.equal(row.ninf, "-Infinity");
      assert.equal(row.f8, 1.5);
      assert.equal(row.i2, 7);
      assert.equal(row.by, "\\xdeadbeef");
      assert.deepEqual(row.jb, { a: [1, { b: null }], c: "d" });
      assert.deepEqual(row.js, [1, "x", true]);
      assert.deepEqual(row.ia, [1, null, 3]);
      assert.deepEqual(row.i8a, [["1", "2"], ["3", "4"]]);
      assert.deepEqual(row.ta, ["a b", null, 'c"d']);
      assert.deepEqual(row.jba, [{ k: 1 }]);
      assert.equal(row.d, "2024-02-29");
      assert.equal(row.tm, "13:14:15.5");
      assert.equal(row.ts, "2024-02-29 13:14:15.123456");
      assert.match(row.tstz, /^2024-02-29 \d\d:14:15[+-]\d\d(:\d\d)?$/);
      assert.equal(row.iv, "1 year 2 mons 3 days 04:05:06");
      assert.equal(row.u, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
      assert.equal(row.yes, true);
      assert.equal(row.no, false);
      assert.equal(row.nothing, null);
      assert.equal(row.nnan, "NaN");
      const types = Object.fromEntries(
        r.body.columns.map((c: { name: string; type: string }) => [c.name, c.type]),
      );
      assert.equal(types.i8, "int8");
      assert.equal(types.num, "numeric");
      assert.equal(types.ia, "_int4");
      assert.equal(types.tstz, "timestamptz");
      assert.equal(types.u, "uuid");
    });

    await t.step("binds JSON parameters of every kind", async () => {
      const r = await q({
        sql: `select $1::int8 + 1 as a, $2::numeric * 2 as b, $3::jsonb -> 'k' as c,
          $4::int4[] as d, $5::text[] as e, $6::bool as f, $7::text is null as g, $8 as h`,
        params: ["9007199254740993", "0.1", { k: [1, 2] }, [1, 2], ["x,y", 'q"'], true, null, "t"],
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.rows[0], {
        a: "9007199254740994",
        b: "0.2",
        c: [1, 2],
        d: [1, 2],
        e: ["x,y", 'q"'],
        f: true,
        g: true,
        h: "t",
      });
    });

    await t.step("an empty query answers no command, as pgwire's EmptyQueryResponse", async () => {
      for (const sql of [";", "-- nothing", " /* x */ ; "]) {
        const r = await q({ sql });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(r.body, { command: "", rowCount: null, columns: [], rows: [] });
      }
    });

    await t.step("rowMode array keeps duplicate column names apart", async () => {
      const r = await q({ sql: "select 1 as a, 2 as a", rowMode: "array" });
      assert.deepEqual(r.body.rows, [[1, 2]]);
      assert.deepEqual(r.body.columns.map((c: { name: string }) => c.name), ["a", "a"]);
    });

    await t.step("DML answers its command and count", async () => {
      await d.sql("create table items (id int primary key, name text)");
      const ins = await q({
        sql: "insert into items values ($1, $2), ($3, $4) returning id",
        params: [1, "a", 2, "b"],
      });
      assert.equal(ins.body.command, "INSERT");
      assert.equal(ins.body.rowCount, 2);
      assert.deepEqual(ins.body.rows, [{ id: 1 }, { id: 2 }]);
      const upd = await q({ sql: "update items set name = 'z' where id > 0" });
      assert.deepEqual([upd.body.command, upd.body.rowCount, upd.body.rows], ["UPDATE", 2, []]);
      const ddl = await q({ sql: "create index items_name on items (name)" });
      assert.deepEqual([ddl.body.command, ddl.body.rowCount], ["CREATE", null]);
    });

    await t.step(
      "statements run in one transaction; a later failure undoes earlier ones",
      async () => {
        const ok = await q({
          statements: [
            { sql: "insert into items values (10, 'ten')" },
            { sql: "select count(*)::int as n from items" },
          ],
        });
        assert.equal(ok.status, 200);
        assert.equal(ok.body.results.length, 2);
        assert.deepEqual(ok.body.results[1].rows, [{ n: 3 }]);
        const bad = await q({
          statements: [
            { sql: "insert into items values ($1, 'eleven')", params: [11] },
            { sql: "insert into items values (10, 'duplicate')" },
          ],
        });
        assert.equal(bad.status, 409);
        assert.equal(bad.body.error.code, "23505");
        assert.equal(bad.body.error.statement, 1);
        assert.match(bad.body.error.detail, /Key \(id\)=\(10\) already exists/);
        const after = await q({ sql: "select count(*)::int as n from items where id = 11" });
        assert.deepEqual(after.body.rows, [{ n: 0 }]);
      },
    );

    await t.step("a batch may not end its own transaction", async () => {
      const r = await q({ statements: [{ sql: "select 1" }, { sql: "commit" }] });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, "25001");
      assert.equal(r.body.error.statement, 1);
    });

    await t.step("SQL errors carry SQLSTATE, position and the mapped status", async () => {
      const syntax = await q({ sql: "selec 1" });
      assert.equal(syntax.status, 400);
      assert.equal(syntax.body.error.code, "42601");
      assert.equal(syntax.body.error.position, 1);
      const multi = await q({ sql: "select 1; select 2" });
      assert.equal(multi.status, 400);
      assert.equal(multi.body.error.code, "42601");
      const missing = await q({ sql: "select * from no_such_table" });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, "42P01");
      assert.equal(missing.body.error.position, 15);
      const cast = await q({ sql: "select 'x'::int" });
      assert.equal(cast.status, 400);
      assert.equal(cast.body.error.code, "22P02");
      const params = await q({ sql: "select $1::int, $2::int", params: [1] });
      assert.equal(params.status, 400);
      assert.equal(params.body.error.code, "08P01");
    });

    await t.step("validation failures are 400 with a code", async () => {
      for (
        const body of [{}, { sql: "" }, { sql: 5 }, { sql: "select 1", statements: [] }, "nope", {
          sql: "select 1",
          rowMode: "columns",
        }]
      ) {
        const r = await q(body);
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(typeof r.body.error.code, "string");
      }
    });

    await t.step("a body over the limit is 413", async () => {
      const r = await q({ sql: `select '${"x".repeat(70 * 1024)}'` });
      assert.equal(r.status, 413);
      assert.equal(r.body.error.code, "payload_too_large");
    });

    await t.step("more rows than the limit is 54000 and the write is rolled back", async () => {
      const r = await q({ sql: "select g from generate_series(1, 51) g" });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, "54000");
      const w = await q({
        sql: "insert into items select g + 100, 'x' from generate_series(1, 60) g returning id",
      });
      assert.equal(w.body.error.code, "54000");
      const n = await q({ sql: "select count(*)::int as n from items where id > 100" });
      assert.deepEqual(n.body.rows, [{ n: 0 }]);
      assert.equal((await q({ sql: "select g from generate_series(1, 50) g" })).status, 200);
    });

    await t.step(
      "the HTTP timeout stops a long statement even after SET statement_timeout",
      async () => {
        const started = performance.now();
        const r = await q({
          statements: [
            { sql: "set statement_timeout = 0" },
            // 400 million rows: far longer than the 1.5 s HTTP timeout however fast the executor gets.
            {
              sql: "select count(*) from generate_series(1, 20000) a, generate_series(1, 20000) b",
            },
          ],
        });
        assert.equal(r.status, 503, JSON.stringify(r.body));
        assert.equal(r.body.error.code, "57014");
        assert.equal(r.body.error.message, "canceling statement due to statement timeout");
        assert.ok(performance.now() - started < 10_000);
      },
    );

    await t.step("no credentials runs as anon; a token as its role with its claims", async () => {
      const anon = await q({
        sql: "select current_user::text as u, current_setting('request.jwt.claims', true) as c",
      }, {});
      assert.equal(anon.status, 200);
      assert.equal(anon.body.rows[0].u, "anon");
      const token = await d.token({ role: "authenticated", sub: alice, email: "a@x.io" });
      const user = await q({
        sql: "select current_user::text as u, current_setting('request.jwt.claims', true) as c",
      }, bearer(token));
      assert.equal(user.body.rows[0].u, "authenticated");
      assert.equal(JSON.parse(user.body.rows[0].c).sub, alice);
      const admin = await q({ sql: "select current_user::text as u" });
      assert.equal(admin.body.rows[0].u, "postgres");
    });

    await t.step("a bad token or password is 401", async () => {
      const bad = await q({ sql: "select 1" }, bearer("not.a.jwt"));
      assert.equal(bad.status, 401);
      assert.equal(bad.body.error.code, "unauthorized");
      const expired = await d.token({ role: "authenticated", sub: alice }, -60);
      assert.equal((await q({ sql: "select 1" }, bearer(expired))).status, 401);
      const wrong = { authorization: `Basic ${btoa("postgres:wrong")}` };
      assert.equal((await q({ sql: "select 1" }, wrong)).status, 401);
    });

    await t.step("permission denied is 403 with 42501", async () => {
      await d.sql("create table secrets (v text)");
      await d.sql("revoke all on secrets from anon, authenticated");
      const r = await q({ sql: "select * from secrets" }, {});
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.error.code, "42501");
    });

    await t.step("with RLS, user A cannot read or change user B's rows", async () => {
      await d.sql(`create table notes (id serial primary key, user_id uuid not null, body text)`);
      await d.sql("alter table notes enable row level security");
      await d.sql(`create policy own_notes on notes for all to authenticated
        using (user_id = auth.uid()) with check (user_id = auth.uid())`);
      await d.sql("grant select, insert, update, delete on notes to authenticated");
      await d.sql("grant usage on sequence notes_id_seq to authenticated");
      const a = bearer(await d.token({ role: "authenticated", sub: alice }));
      const b = bearer(await d.token({ role: "authenticated", sub: bob }));
      for (const [h, who] of [[a, alice], [b, bob]] as const) {
        const r = await q({
          sql: "insert into notes (user_id, body) values ($1, $2)",
          params: [who, `note of ${who}`],
        }, h);
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      const mine = await q({ sql: "select user_id, body from notes order by id" }, a);
      assert.deepEqual(mine.body.rows, [{ user_id: alice, body: `note of ${alice}` }]);
      const steal = await q({
        sql: "update notes set body = 'stolen' where user_id = $1",
        params: [bob],
      }, a);
      assert.equal(steal.body.rowCount, 0);
      const forge = await q({
        sql: "insert into notes (user_id, body) values ($1, 'forged')",
        params: [bob],
      }, a);
      assert.equal(forge.status, 403);
      assert.equal(forge.body.error.code, "42501");
      const anon = await q({ sql: "select count(*)::int as n from notes" }, {});
      assert.ok(anon.status === 403 || anon.body.rows[0].n === 0, JSON.stringify(anon.body));
      const all = await q({ sql: "select count(*)::int as n from notes" });
      assert.deepEqual(all.body.rows, [{ n: 2 }]);
    });

    await t.step("a token cannot forge its claims in SQL to read another user's rows", async () => {
      const a = bearer(await d.token({ role: "authenticated", sub: alice }));
      const mine = JSON.stringify({ role: "authenticated", sub: alice });
      const forged = JSON.stringify({ role: "authenticated", sub: bob });
      const attempts = [
        {
          sql: `select set_config('request.jwt.claims', $1, false) as a,
            (select string_agg(body, ',') from notes) as b,
            set_config('request.jwt.claims', $2, false) as c`,
          params: [forged, mine],
        },
        { sql: `set request.jwt.claims = '${forged}'` },
        { sql: "select set_config('request.jwt.claim.sub', $1, true)", params: [bob] },
      ];
      for (const attempt of attempts) {
        const r = await q(attempt, a);
        assert.equal(r.status, 403, JSON.stringify(r.body));
        assert.equal(r.body.error.code, "42501");
        assert.ok(!JSON.stringify(r.body).includes(`note of ${bob}`));
      }
      const batch = await q({
        statements: [{ sql: `set request.jwt.claims = '${forged}'` }, {
          sql: "select body from notes",
        }],
      }, a);
      assert.equal(batch.status, 403);
      const admin = await q({
        statements: [
          { sql: "select set_config('request.jwt.claims', $1, true)", params: [forged] },
          { sql: "select auth.uid()::text as uid" },
        ],
      });
      assert.deepEqual(admin.body.results[1].rows, [{ uid: bob }], "the superuser may set them");
    });
  } finally {
    await d.stop();
  }
});
