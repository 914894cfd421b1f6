import assert from "node:assert/strict";
import { bearer, startDoor } from "./door.ts";

const alice = "11111111-1111-4111-8111-111111111111";
const bob = "22222222-2222-4222-8222-222222222222";

Deno.test("/schema and /policy against a running bkg", async (t) => {
  const d = await startDoor();
  try {
    await d.sql("create table owners (id uuid primary key)");
    await d.sql(`create table todos (
      id serial primary key,
      user_id uuid not null references owners (id),
      title text not null default 'untitled',
      done boolean,
      unique (user_id, title))`);
    await d.sql("create index todos_done on todos (done)");
    await d.sql("create table hidden (x int)");
    await d.sql("create schema empty_one");
    await d.sql("revoke all on hidden from anon, authenticated");
    await d.sql("grant select, insert, update, delete on todos to authenticated");
    await d.sql("grant usage on sequence todos_id_seq to authenticated");
    await d.sql("insert into owners values ($1), ($2)", [alice, bob]);
    await d.sql("insert into todos (user_id, title) values ($1, 'a1'), ($1, 'a2'), ($2, 'b1')", [
      alice,
      bob,
    ]);
    const user = bearer(await d.token({ role: "authenticated", sub: alice }));
    const service = bearer(await d.token({ role: "service_role" }));

    await t.step("GET /schema lists tables with columns, keys, indexes", async () => {
      const r = await d.call("GET", "/schema", { headers: d.admin });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const pub = r.body.schemas.find((s: { name: string }) => s.name === "public");
      const todos = pub.tables.find((t: { name: string }) => t.name === "todos");
      assert.equal(todos.kind, "table");
      assert.deepEqual(
        todos.columns.map((c: { name: string; type: string; nullable: boolean }) => [
          c.name,
          c.type,
          c.nullable,
        ]),
        [["id", "integer", false], ["user_id", "uuid", false], ["title", "text", false], [
          "done",
          "boolean",
          true,
        ]],
      );
      assert.equal(todos.columns[2].default, "'untitled'::text");
      assert.deepEqual(todos.primary_key, ["id"]);
      const kinds = todos.constraints.map((c: { type: string }) => c.type).sort();
      assert.deepEqual(kinds, ["foreign_key", "primary_key", "unique"]);
      assert.ok(
        todos.constraints.some((c: { definition: string }) =>
          c.definition === "FOREIGN KEY (user_id) REFERENCES owners(id)"
        ),
      );
      assert.ok(todos.indexes.some((i: { name: string }) => i.name === "todos_done"));
      assert.ok(pub.tables.some((t: { name: string }) => t.name === "hidden"), "admin sees all");
      const empty = r.body.schemas.find((s: { name: string }) => s.name === "empty_one");
      assert.deepEqual(empty, { name: "empty_one", tables: [] }, "schemas without tables too");
      assert.ok(!r.body.schemas.some((s: { name: string }) => s.name === "pg_catalog"));
    });

    await t.step("a token role sees only what its privileges allow", async () => {
      const r = await d.call("GET", "/schema", { headers: user });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const names = r.body.schemas.flatMap((s: { tables: { schema: string; name: string }[] }) =>
        s.tables.map((t) => `${t.schema}.${t.name}`)
      );
      assert.ok(names.includes("public.todos"));
      assert.ok(!names.includes("public.hidden"));
      assert.ok(!names.includes("auth.users"));
      const schemas = r.body.schemas.map((s: { name: string }) => s.name);
      assert.ok(schemas.includes("public"));
      assert.ok(!schemas.includes("empty_one"), "no USAGE on it");
    });

    await t.step("GET /schema/{schema}/{table}: the table, or 404", async () => {
      const r = await d.call("GET", "/schema/public/todos", { headers: d.admin });
      assert.equal(r.status, 200);
      assert.equal(r.body.name, "todos");
      const missing = await d.call("GET", "/schema/public/nope", { headers: d.admin });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, "42P01");
      const invisible = await d.call("GET", "/schema/public/hidden", { headers: user });
      assert.equal(invisible.status, 404);
      const bad = await d.call("GET", "/schema", { headers: bearer("x.y.z") });
      assert.equal(bad.status, 401);
    });

    await d.sql("alter table todos enable row level security");

    let created: { policy: Record<string, unknown>; sql: string[] };
    await t.step("POST /policy creates a policy and returns the SQL it ran", async () => {
      const r = await d.call("POST", "/policy", {
        headers: d.admin,
        body: {
          table: "todos",
          name: "own todos",
          command: "ALL",
          roles: ["authenticated"],
          using: "user_id = auth.uid()",
          check: "user_id = auth.uid()",
        },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      created = r.body;
      assert.deepEqual(created.sql, [
        `CREATE POLICY "own todos" ON public.todos AS PERMISSIVE FOR ALL TO authenticated ` +
        `USING (user_id = auth.uid()) WITH CHECK (user_id = auth.uid())`,
      ]);
      assert.equal(created.policy.name, "own todos");
      assert.equal(created.policy.command, "ALL");
      assert.deepEqual(created.policy.roles, ["authenticated"]);
      assert.equal(created.policy.permissive, true);
      assert.match(String(created.policy.using), /user_id = auth\.uid\(\)/);
      const dup = await d.call("POST", "/policy", {
        headers: d.admin,
        body: { table: "todos", name: "own todos", using: "true" },
      });
      assert.equal(dup.status, 400, "class 42 is 400 (docs/api.md)");
      assert.equal(dup.body.error.code, "42710");
    });

    await t.step(
      "POST /policy refuses bad input with 400 and a missing table with 404",
      async () => {
        const injected = await d.call("POST", "/policy", {
          headers: d.admin,
          body: { table: "todos", name: "evil", using: "true) with check (true" },
        });
        assert.equal(injected.status, 400);
        assert.equal(injected.body.error.code, "42601");
        const shape = await d.call("POST", "/policy", {
          headers: d.admin,
          body: { table: "todos", name: "x", command: "MERGE" },
        });
        assert.equal(shape.status, 400);
        const noTable = await d.call("POST", "/policy", {
          headers: d.admin,
          body: { table: "nope", name: "x", using: "true" },
        });
        assert.equal(noTable.status, 404);
      },
    );

    await t.step("only superusers and service_role may use /policy", async () => {
      assert.equal((await d.call("GET", "/policy")).status, 401);
      assert.equal((await d.call("GET", "/policy", { headers: user })).status, 403);
      const post = await d.call("POST", "/policy", {
        headers: user,
        body: { table: "todos", name: "x", using: "true" },
      });
      assert.equal(post.status, 403);
      assert.equal((await d.call("GET", "/policy", { headers: service })).status, 200);
      const routes: [string, string, unknown][] = [
        ["GET", "/policy/public/todos/own%20todos", undefined],
        ["PATCH", "/policy/public/todos/own%20todos", { using: "true" }],
        ["DELETE", "/policy/public/todos/own%20todos", undefined],
        ["POST", "/policy/check", { table: "todos", operation: "select", claims: {} }],
      ];
      for (const [method, path, body] of routes) {
        const none = await d.call(method, path, { body });
        assert.equal(none.status, 401, `${method} ${path} without credentials`);
        const other = await d.call(method, path, { body, headers: user });
        assert.equal(other.status, 403, `${method} ${path} as authenticated`);
      }
    });

    await t.step("GET /policy lists and filters; GET one; 404 for a missing one", async () => {
      const all = await d.call("GET", "/policy", { headers: d.admin });
      assert.equal(all.body.policies.length, 1);
      const none = await d.call("GET", "/policy?table=owners", { headers: d.admin });
      assert.deepEqual(none.body.policies, []);
      const one = await d.call("GET", "/policy/public/todos/own%20todos", { headers: d.admin });
      assert.equal(one.status, 200);
      assert.equal(one.body.name, "own todos");
      const missing = await d.call("GET", "/policy/public/todos/nope", { headers: d.admin });
      assert.equal(missing.status, 404);
    });

    await t.step("POST /policy/check: the claims' view, rolled back", async () => {
      const sel = await d.call("POST", "/policy/check", {
        headers: d.admin,
        body: { table: "todos", operation: "select", claims: { sub: alice } },
      });
      assert.equal(sel.status, 200, JSON.stringify(sel.body));
      assert.equal(sel.body.allowed, true);
      assert.equal(sel.body.rls, "enforced");
      assert.deepEqual(sel.body.policies, ["own todos"]);
      assert.deepEqual(sel.body.rows.map((r: { title: string }) => r.title).sort(), ["a1", "a2"]);
      const ok = await d.call("POST", "/policy/check", {
        headers: d.admin,
        body: {
          table: "todos",
          operation: "insert",
          claims: { sub: alice },
          row: { user_id: alice, title: "new" },
        },
      });
      assert.equal(ok.body.allowed, true, JSON.stringify(ok.body));
      assert.equal(ok.body.rowCount, 1);
      const forged = await d.call("POST", "/policy/check", {
        headers: d.admin,
        body: {
          table: "todos",
          operation: "insert",
          claims: { sub: alice },
          row: { user_id: bob, title: "x" },
        },
      });
      assert.equal(forged.body.allowed, false);
      assert.equal(forged.body.error.code, "42501");
      const del = await d.call("POST", "/policy/check", {
        headers: d.admin,
        body: {
          table: "todos",
          operation: "delete",
          token: await d.token({ role: "authenticated", sub: bob }),
        },
      });
      assert.equal(del.body.rowCount, 1);
      const anon = await d.call("POST", "/policy/check", {
        headers: d.admin,
        body: { table: "todos", operation: "select", claims: { role: "anon" } },
      });
      assert.equal(anon.body.allowed, false);
      assert.deepEqual(anon.body.policies, []);
      await d.sql("create role readers nologin");
      await d.sql("grant readers to authenticated");
      await d.sql("create policy readers_see_done on todos for select to readers using (done)");
      const viaGroup = await d.call("POST", "/policy/check", {
        headers: d.admin,
        body: { table: "todos", operation: "select", claims: { sub: alice } },
      });
      assert.deepEqual(viaGroup.body.policies, ["own todos", "readers_see_done"]);
      const viaGroupDelete = await d.call("POST", "/policy/check", {
        headers: d.admin,
        body: { table: "todos", operation: "delete", claims: { sub: alice } },
      });
      assert.deepEqual(
        viaGroupDelete.body.policies,
        ["own todos"],
        "a SELECT policy is not a DELETE one",
      );
      await d.sql("drop policy readers_see_done on todos");
      const count = await d.sql("select count(*)::int as n from todos");
      assert.deepEqual(count.rows, [{ n: 3 }], "nothing the checks did was kept");
      const bad = await d.call("POST", "/policy/check", {
        headers: d.admin,
        body: { table: "todos", operation: "select", claims: { role: "postgres" } },
      });
      assert.equal(bad.status, 400);
      const missing = await d.call("POST", "/policy/check", {
        headers: d.admin,
        body: { table: "nope", operation: "select", claims: {} },
      });
      assert.equal(missing.status, 404);
    });

    await t.step("PATCH /policy renames and changes roles, USING and WITH CHECK", async () => {
      const r = await d.call("PATCH", "/policy/public/todos/own%20todos", {
        headers: d.admin,
        body: {
          name: "mine",
          roles: ["authenticated", "anon"],
          using: "user_id = auth.uid() and done is not true",
        },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.policy.name, "mine");
      assert.deepEqual([...r.body.policy.roles].sort(), ["anon", "authenticated"]);
      assert.match(r.body.policy.using, /done IS NOT TRUE/i);
      assert.equal(r.body.sql.length, 2);
      const missing = await d.call("PATCH", "/policy/public/todos/nope", {
        headers: d.admin,
        body: { using: "true" },
      });
      assert.equal(missing.status, 404);
      const empty = await d.call("PATCH", "/policy/public/todos/mine", {
        headers: d.admin,
        body: {},
      });
      assert.equal(empty.status, 400);
    });

    await t.step("DELETE /policy drops it (204), then 404", async () => {
      const r = await d.call("DELETE", "/policy/public/todos/mine", { headers: d.admin });
      assert.equal(r.status, 204);
      const again = await d.call("DELETE", "/policy/public/todos/mine", { headers: d.admin });
      assert.equal(again.status, 404);
      const sel = await d.call("POST", "/query", {
        headers: user,
        body: { sql: "select count(*)::int as n from todos" },
      });
      assert.deepEqual(sel.body.rows, [{ n: 0 }], "RLS without policies denies every row");
    });
  } finally {
    await d.stop();
  }
});
