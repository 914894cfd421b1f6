/**
 * @module A running `bkg serve` for the HTTP door tests (/query, /schema, /policy, /auth): known
 * secrets so tests can sign tokens, and small request helpers.
 */
import { JwtVerifier } from "../../src/auth/mod.ts";
import { BkgProcess, freePort, tempDir } from "../helpers/process.ts";

/** The HS256 secret and admin password every door test server runs with. */
export const jwtSecret = "door-test-secret-0123456789abcdef0123456789";
export const adminPassword = "door-admin-pw";

/** A server and what its tests need. */
export interface Door {
  bkg: BkgProcess;
  url: string;
  /** Signs a token with the server's secret. */
  token(claims: Record<string, unknown> & { role: string }, expiresInS?: number): Promise<string>;
  /** The Basic header of the superuser. */
  admin: Record<string, string>;
  /** A request with a JSON body (or none); answers the status, headers and parsed body. */
  call(
    method: string,
    path: string,
    opts?: { body?: unknown; headers?: Record<string, string> },
    // deno-lint-ignore no-explicit-any -- a test reads the JSON bodies it expects
  ): Promise<{ status: number; headers: Headers; body: any }>;
  /** POST /query as the superuser; throws unless 200. */
  // deno-lint-ignore no-explicit-any -- as above
  sql(sql: string, params?: unknown[]): Promise<any>;
  stop(): Promise<void>;
}

/** Starts `bkg serve` (sandboxes off, pgwire on a free port) with `env` added. */
export async function startDoor(env: Record<string, string> = {}): Promise<Door> {
  const dir = await tempDir("bkg-door-");
  const bkg = await BkgProcess.start(`${dir.path}/data`, {
    args: ["--sandboxes", "off", "--pg-port", String(freePort())],
    env: { BKG_JWT_SECRET: jwtSecret, BKG_ADMIN_PASSWORD: adminPassword, ...env },
  });
  const verifier = new JwtVerifier({ secret: jwtSecret });
  const admin = { authorization: `Basic ${btoa(`postgres:${adminPassword}`)}` };
  const call: Door["call"] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${bkg.url}${path}`, {
      method,
      headers,
      body: opts.body === undefined
        ? undefined
        : typeof opts.body === "string"
        ? opts.body
        : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {
      // Not JSON: the test sees the text.
    }
    return { status: res.status, headers: res.headers, body };
  };
  return {
    bkg,
    url: bkg.url,
    admin,
    call,
    token: (claims, expiresInS = 600) =>
      verifier.sign(claims as Parameters<JwtVerifier["sign"]>[0], { expiresInS }),
    async sql(sql, params) {
      const r = await call("POST", "/query", { body: { sql, params }, headers: admin });
      if (r.status !== 200) throw new Error(`${sql}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async stop() {
      bkg.kill("SIGTERM");
      await bkg.finish();
      await dir.remove();
    },
  };
}

/** The Authorization header of a bearer token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
