import assert from "node:assert/strict";
import { AuthClient } from "@supabase/auth-js";
import { startDoor } from "./door.ts";

Deno.test("@supabase/auth-js signs up, in, refreshes and out against bkg's /auth", async () => {
  const d = await startDoor({ BKG_AUTH_RATE_LIMIT: "1000" });
  const client = new AuthClient({
    url: `${d.url}/auth`,
    autoRefreshToken: false,
    persistSession: false,
    detectSessionInUrl: false,
  });
  try {
    const up = await client.signUp({ email: "carol@example.com", password: "s3cret-pw" });
    assert.equal(up.error, null, String(up.error));
    assert.equal(up.data.user?.email, "carol@example.com");
    assert.ok(up.data.session?.access_token);

    const bad = await client.signInWithPassword({ email: "carol@example.com", password: "no" });
    assert.equal(bad.error?.status, 400);
    assert.equal(bad.error?.code, "invalid_credentials");

    const inn = await client.signInWithPassword({
      email: "carol@example.com",
      password: "s3cret-pw",
    });
    assert.equal(inn.error, null, String(inn.error));
    const session = inn.data.session!;
    const user = await client.getUser(session.access_token);
    assert.equal(user.error, null, String(user.error));
    assert.equal(user.data.user?.id, up.data.user?.id);

    const refreshed = await client.refreshSession({ refresh_token: session.refresh_token });
    assert.equal(refreshed.error, null, String(refreshed.error));
    assert.notEqual(refreshed.data.session?.refresh_token, session.refresh_token);

    const replay = await client.refreshSession({ refresh_token: session.refresh_token });
    assert.equal(replay.error?.code, "refresh_token_already_used");

    const out = await client.admin.signOut(up.data.session!.access_token);
    assert.equal(out.error, null, String(out.error));
    const gone = await client.getUser(up.data.session!.access_token);
    // auth-js turns GoTrue's 403 session_not_found into its AuthSessionMissingError.
    assert.equal(gone.error?.name, "AuthSessionMissingError", JSON.stringify(gone.error));
  } finally {
    await d.stop();
  }
});
