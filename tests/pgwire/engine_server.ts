/**
 * @module Test helper for the real-engine pgwire tests: a `bkg serve` subprocess (fresh data
 * directory, free HTTP and pgwire ports, a known admin password and JWT secret), with the
 * commands and connection settings the clients need.
 */
import { type JwtRole, JwtVerifier } from "../../src/auth/mod.ts";
import { BkgProcess, freePort, tempDir } from "../helpers/process.ts";

/** The admin password (role `postgres`) of the engine test server. */
export const enginePassword = "engine-test-pw";
/** The JWT secret of the engine test server. */
export const engineJwtSecret = "engine-test-jwt-secret-of-32-characters-or-more";

/** PostgreSQL 15's client programs. */
export const pgBin = "/usr/lib/postgresql/15/bin";

/** A running `bkg serve` with its pgwire port. */
export interface EngineServer {
  pgPort: number;
  /** The HTTP base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  httpPort: number;
  dataDir: string;
  /** libpq environment for psql and pgbench (host, port, user, password, database). */
  libpqEnv: Record<string, string>;
  /** A JWT for `role` signed with the server's secret. */
  token(role: JwtRole, claims?: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `bkg serve --pg-port …` on a fresh data directory and waits until it answers; `args`
 * adds flags.
 */
export async function startEngineServer(args: string[] = []): Promise<EngineServer> {
  const dir = await tempDir("bkg-pgwire-engine-");
  const pgPort = freePort();
  const proc = await BkgProcess.start(dir.path, {
    args: ["--pg-port", String(pgPort), "--sandboxes", "off", "--log-level", "warn", ...args],
    env: { BKG_ADMIN_PASSWORD: enginePassword, BKG_JWT_SECRET: engineJwtSecret },
  });
  await waitForPort(pgPort);
  const verifier = new JwtVerifier({ secret: engineJwtSecret });
  return {
    pgPort,
    url: proc.url,
    httpPort: proc.httpPort,
    dataDir: dir.path,
    libpqEnv: {
      PGHOST: "127.0.0.1",
      PGPORT: String(pgPort),
      PGUSER: "postgres",
      PGPASSWORD: enginePassword,
      PGDATABASE: "postgres",
      PGCONNECT_TIMEOUT: "10",
    },
    token: (role, claims = {}) => verifier.sign({ role, ...claims }, { expiresInS: 600 }),
    async stop() {
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

/** Runs a PostgreSQL client program; returns its status and output. */
export async function runClient(
  program: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(`${pgBin}/${program}`, {
    args,
    env,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** psql -X -c `command` with libpq's `env` (no .psqlrc). */
export function psqlCommand(
  env: Record<string, string>,
  command: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runClient("psql", ["-X", "-c", command], env);
}
