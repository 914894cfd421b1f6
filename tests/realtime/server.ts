/**
 * @module Test helper for realtime: the engine test server (tests/pgwire/engine_server.ts) with
 * a pgwire client (npm:postgres) as superuser, JWTs, and @supabase/realtime-js clients on it.
 */
import postgres from "postgres";
import { RealtimeClient } from "@supabase/realtime-js";
import { type JwtRole, JwtVerifier } from "../../src/auth/mod.ts";
import { engineJwtSecret, enginePassword, startEngineServer } from "../pgwire/engine_server.ts";

const verifier = new JwtVerifier({ secret: engineJwtSecret });

/** A running server for realtime tests. */
export interface RealtimeServer {
  url: string;
  wsUrl: string;
  sql: postgres.Sql;
  token(role: JwtRole, expiresInS?: number, claims?: Record<string, unknown>): Promise<string>;
  client(token: string, vsn?: "1.0.0" | "2.0.0"): RealtimeClient;
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the server; `args` adds flags (e.g. `--realtime-send-buffer-kb`). */
export async function startRealtimeServer(args: string[] = []): Promise<RealtimeServer> {
  const server = await startEngineServer(args);
  const sql = postgres({
    host: "127.0.0.1",
    port: server.pgPort,
    user: "postgres",
    password: enginePassword,
    database: "postgres",
    max: 4,
    onnotice: () => {},
  });
  const clients: RealtimeClient[] = [];
  return {
    url: server.url,
    wsUrl: `ws://127.0.0.1:${server.httpPort}/realtime/v1`,
    sql,
    token: (role, expiresInS = 600, claims = {}) =>
      verifier.sign({ role, ...claims }, { expiresInS }),
    client(token, vsn = "2.0.0") {
      const c = new RealtimeClient(`ws://127.0.0.1:${server.httpPort}/realtime/v1`, {
        params: { apikey: token },
        vsn,
        heartbeatIntervalMs: 5_000,
      });
      c.setAuth(token);
      clients.push(c);
      return c;
    },
    async metrics() {
      return await (await fetch(`${server.url}/metrics`)).text();
    },
    async stop() {
      for (const c of clients) await c.disconnect();
      await sql.end({ timeout: 2 });
      await server.stop();
    },
  };
}

/** Waits until `cond()` holds, polling; fails with `what` after `ms`. */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
