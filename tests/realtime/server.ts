/**
 * @module Test helper for realtime: a `bkg serve` subprocess with pgwire (fresh data directory,
 * known admin password and JWT secret), a pgwire client (npm:postgres) as superuser, JWTs, and
 * @supabase/realtime-js clients pointed at it.
 */
import postgres from "postgres";
import { RealtimeClient } from "@supabase/realtime-js";
import { type JwtRole, JwtVerifier } from "../../src/auth/mod.ts";
import { BkgProcess, freePort, tempDir } from "../helpers/process.ts";

const password = "realtime-test-pw";
const jwtSecret = "realtime-test-jwt-secret-of-32-characters-or-more";
const verifier = new JwtVerifier({ secret: jwtSecret });

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
  const dir = await tempDir("bkg-realtime-");
  const pgPort = freePort();
  const proc = await BkgProcess.start(dir.path, {
    args: ["--pg-port", String(pgPort), "--sandboxes", "off", "--log-level", "warn", ...args],
    env: { BKG_ADMIN_PASSWORD: password, BKG_JWT_SECRET: jwtSecret },
  });
  await waitForPort(pgPort);
  const stored = (await Deno.readTextFile(`${dir.path}/admin-password`)).trim();
  const sql = postgres({
    host: "127.0.0.1",
    port: pgPort,
    user: "postgres",
    password: stored,
    database: "postgres",
    max: 4,
    onnotice: () => {},
  });
  const clients: RealtimeClient[] = [];
  return {
    url: proc.url,
    wsUrl: `ws://127.0.0.1:${proc.httpPort}/realtime/v1`,
    sql,
    token: (role, expiresInS = 600, claims = {}) =>
      verifier.sign({ role, ...claims }, { expiresInS }),
    client(token, vsn = "2.0.0") {
      const c = new RealtimeClient(`ws://127.0.0.1:${proc.httpPort}/realtime/v1`, {
        params: { apikey: token },
        vsn,
        heartbeatIntervalMs: 5_000,
      });
      c.setAuth(token);
      clients.push(c);
      return c;
    },
    async metrics() {
      return await (await fetch(`${proc.url}/metrics`)).text();
    },
    async stop() {
      for (const c of clients) await c.disconnect();
      await sql.end({ timeout: 2 });
      proc.kill("SIGTERM");
      const end = await proc.finish();
      await dir.remove();
      if (end.code !== 0) throw new Error(`bkg serve exited ${end.code}:\n${end.stderr}`);
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Waits until `cond()` holds, polling; fails with `what` after `ms`. */
export async function waitFor(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
