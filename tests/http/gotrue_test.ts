import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { bearer, startDoor } from "./door.ts";

Deno.test("/auth: signup → token → user → refresh rotation → reuse detection → logout", async (t) => {
  const d = await startDoor({ BKG_AUTH_RATE_LIMIT: "1000", BKG_AUTH_JWT_EXPIRY: "600" });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    d.call("POST", path, { body, headers });
  try {
    let first: { access_token: string; refresh_token: string; user: { id: string } };

    await t.step("signup creates a user in auth.users and answers a GoTrue session", async () => {
      const r = await post("/auth/signup", {
        email: "Alice@Example.com",
        password: "correct horse",
        data: { name: "Alice" },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      first = r.body;
      assert.equal(r.body.token_type, "bearer");
      assert.equal(r.body.expires_in, 600);
      assert.equal(r.body.user.email, "alice@example.com");
      assert.deepEqual(r.body.user.user_metadata, { name: "Alice" });
      assert.equal(r.body.user.role, "authenticated");
      assert.match(r.body.user.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      assert.equal(r.body.user.encrypted_password, undefined);
      const claims = decodeJwt(r.body.access_token);
      assert.equal(claims.sub, r.body.user.id);
      assert.equal(claims.role, "authenticated");
      assert.equal(claims.aud, "authenticated");
      assert.equal(claims.email, "alice@example.com");
      assert.equal(typeof claims.session_id, "string");
      assert.ok(claims.exp! - claims.iat! === 600);
      const rows = await d.sql(
        "select email, encrypted_password, raw_user_meta_data from auth.users",
      );
      assert.equal(rows.rows.length, 1);
      assert.match(rows.rows[0].encrypted_password, /^\$scrypt\$ln=\d+,r=\d+,p=\d+\$/);
      assert.ok(!rows.rows[0].encrypted_password.includes("correct horse"));
      const tokens = await d.sql("select token from auth.refresh_tokens");
      assert.equal(tokens.rows.length, 1);
      assert.notEqual(tokens.rows[0].token, r.body.refresh_token, "stored hashed");
    });

    await t.step("signup refuses a taken email, a weak password and a bad email", async () => {
      const taken = await post("/auth/signup", {
        email: "alice@example.com",
        password: "another1",
      });
      assert.equal(taken.status, 422);
      assert.equal(taken.body.error_code, "user_already_exists");
      const weak = await post("/auth/signup", { email: "bob@example.com", password: "12345" });
      assert.equal(weak.status, 422);
      assert.equal(weak.body.error_code, "weak_password");
      const email = await post("/auth/signup", { email: "not-an-email", password: "secret12" });
      assert.equal(email.status, 400);
      assert.equal(email.body.error_code, "validation_failed");
      const race = await Promise.all(
        [1, 2, 3].map(() =>
          post("/auth/signup", { email: "race@example.com", password: "secret12" })
        ),
      );
      assert.deepEqual(race.map((r) => r.status).sort(), [200, 422, 422], JSON.stringify(race));
      const shape = await post("/auth/signup", { email: 5 });
      assert.equal(shape.status, 400);
      assert.deepEqual(Object.keys(shape.body).sort(), ["code", "error_code", "msg"]);
    });

    let session: { access_token: string; refresh_token: string };
    await t.step("grant_type=password signs in; a wrong password does not", async () => {
      const r = await post("/auth/token?grant_type=password", {
        email: "alice@example.com",
        password: "correct horse",
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      session = r.body;
      assert.equal(r.body.user.id, first.user.id);
      assert.notEqual(r.body.refresh_token, first.refresh_token);
      for (
        const body of [
          { email: "alice@example.com", password: "wrong horse" },
          { email: "nobody@example.com", password: "correct horse" },
        ]
      ) {
        const bad = await post("/auth/token?grant_type=password", body);
        assert.equal(bad.status, 400);
        assert.deepEqual(bad.body, {
          code: 400,
          error_code: "invalid_credentials",
          msg: "Invalid login credentials",
        });
      }
      const grant = await post("/auth/token?grant_type=magic", {});
      assert.equal(grant.status, 400);
      assert.equal(grant.body.error_code, "unsupported_grant_type");
    });

    await t.step("GET /auth/user answers the token's user; no token is 401", async () => {
      const r = await d.call("GET", "/auth/user", { headers: bearer(session.access_token) });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.id, first.user.id);
      assert.equal(r.body.email, "alice@example.com");
      assert.equal((await d.call("GET", "/auth/user")).status, 401);
      const bad = await d.call("GET", "/auth/user", { headers: bearer("x.y.z") });
      assert.equal(bad.status, 401);
      assert.equal(typeof bad.body.error_code, "string");
      const anon = await d.token({ role: "anon" });
      const forbidden = await d.call("GET", "/auth/user", { headers: bearer(anon) });
      assert.equal(forbidden.status, 403);
      const ghost = await d.token({
        role: "authenticated",
        sub: "99999999-9999-4999-8999-999999999999",
      });
      const missing = await d.call("GET", "/auth/user", { headers: bearer(ghost) });
      assert.equal(missing.status, 403);
      assert.equal(missing.body.error_code, "user_not_found");
    });

    let rotated: { access_token: string; refresh_token: string };
    await t.step("refresh_token rotates: a new token, the old one revoked", async () => {
      const r = await post("/auth/token?grant_type=refresh_token", {
        refresh_token: session.refresh_token,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      rotated = r.body;
      assert.notEqual(rotated.refresh_token, session.refresh_token);
      assert.equal(
        decodeJwt(rotated.access_token).session_id,
        decodeJwt(session.access_token).session_id,
      );
      const r2 = await post("/auth/token?grant_type=refresh_token", {
        refresh_token: rotated.refresh_token,
      });
      assert.equal(r2.status, 200);
      rotated = r2.body;
      const unknown = await post("/auth/token?grant_type=refresh_token", { refresh_token: "nope" });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error_code, "refresh_token_not_found");
    });

    await t.step("reusing a revoked refresh token ends the whole session", async () => {
      const reuse = await post("/auth/token?grant_type=refresh_token", {
        refresh_token: session.refresh_token,
      });
      assert.equal(reuse.status, 400);
      assert.equal(reuse.body.error_code, "refresh_token_already_used");
      const latest = await post("/auth/token?grant_type=refresh_token", {
        refresh_token: rotated.refresh_token,
      });
      assert.equal(latest.status, 400, "the newest token of the family is dead too");
      const user = await d.call("GET", "/auth/user", { headers: bearer(rotated.access_token) });
      assert.equal(user.status, 403);
      assert.equal(user.body.error_code, "session_not_found");
      const other = await d.call("GET", "/auth/user", { headers: bearer(first.access_token) });
      assert.equal(other.status, 200, "the signup session is another family");
    });

    await t.step("logout revokes the session's refresh tokens (204)", async () => {
      assert.equal((await post("/auth/logout", {})).status, 401);
      const anon = await post("/auth/logout", undefined, bearer(await d.token({ role: "anon" })));
      assert.equal(anon.status, 403, "a token without a user");
      const out = await post("/auth/logout", undefined, bearer(first.access_token));
      assert.equal(out.status, 204);
      const refresh = await post("/auth/token?grant_type=refresh_token", {
        refresh_token: first.refresh_token,
      });
      assert.equal(refresh.status, 400);
      const user = await d.call("GET", "/auth/user", { headers: bearer(first.access_token) });
      assert.equal(user.status, 403);
    });

    await t.step("the API roles cannot read auth.users", async () => {
      const anon = await d.call("POST", "/query", { body: { sql: "select * from auth.users" } });
      assert.equal(anon.status, 403, JSON.stringify(anon.body));
      const user = await d.call("POST", "/query", {
        body: { sql: "select * from auth.users" },
        headers: bearer(session.access_token),
      });
      assert.equal(user.status, 403);
    });

    await t.step("an issued access token works on /query with auth.uid()", async () => {
      const s = await post("/auth/token?grant_type=password", {
        email: "alice@example.com",
        password: "correct horse",
      });
      const r = await d.call("POST", "/query", {
        body: { sql: "select auth.uid()::text as uid, current_user::text as role" },
        headers: bearer(s.body.access_token),
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.rows, [{ uid: first.user.id, role: "authenticated" }]);
    });
  } finally {
    await d.stop();
  }
});

Deno.test("/auth/token and /auth/signup are rate limited per address with 429 and Retry-After", async () => {
  const d = await startDoor({ BKG_AUTH_RATE_LIMIT: "3" });
  try {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof d.call>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await d.call("POST", "/auth/token?grant_type=password", {
        body: { email: "x@example.com", password: "whatever1" },
      });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [400, 400, 400, 429, 429]);
    assert.equal(last!.body.error_code, "over_request_rate_limit");
    const retry = Number(last!.headers.get("retry-after"));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    const signup = await d.call("POST", "/auth/signup", {
      body: { email: "y@example.com", password: "whatever1" },
    });
    assert.equal(signup.status, 429, "signup shares the address's budget");
    const user = await d.call("GET", "/auth/user");
    assert.equal(user.status, 401, "other /auth routes are not limited");
  } finally {
    await d.stop();
  }
});
