/**
 * @module A throwaway PostgreSQL 15 for tests: the oracle of differential tests. It is started in
 * a temporary directory on a free port as the `postgres` user (PostgreSQL refuses root), with
 * trust authentication on 127.0.0.1, and removed by `stop()`.
 */
import postgres from "postgres";
import { SUPABASE_BOOTSTRAP_SQL } from "../../db/mod.ts";
import { SUPABASE_AUTH_SQL } from "../../db/catalog/mod.ts";
import { freePort } from "./process.ts";

/**
 * What makes a fresh PostgreSQL database look like a new BKG-DB one: the API roles BKG-DB
 * bootstraps, Supabase's grants (SUPABASE_BOOTSTRAP_SQL) and the auth schema with Supabase's
 * auth.uid(), auth.role() and auth.jwt() (SUPABASE_AUTH_SQL) — the same text BKG-DB runs.
 */
export const bkgBootstrapSql: readonly string[] = [
  "CREATE ROLE anon NOLOGIN",
  "CREATE ROLE authenticated NOLOGIN",
  "CREATE ROLE service_role NOLOGIN BYPASSRLS",
  ...SUPABASE_BOOTSTRAP_SQL,
  "CREATE SCHEMA auth",
  ...SUPABASE_AUTH_SQL,
];

const binDir = "/usr/lib/postgresql/15/bin";

/** A running PostgreSQL 15. */
export interface PgOracle {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** A postgres.js client connected as the superuser (max 4 connections). */
  sql: postgres.Sql;
  /** libpq's environment (PGHOST, PGPORT, PGUSER, PGDATABASE) for psql and friends. */
  libpqEnv: Record<string, string>;
  stop(): Promise<void>;
}

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed:\n${text}`);
  return text;
}

/**
 * Starts PostgreSQL 15. Pass `settings` for postgresql.conf lines (e.g. `{ fsync: "off" }`).
 *
 * @example
 * const pg = await startPostgres();
 * try { await pg.sql`select 1`; } finally { await pg.stop(); }
 */
export async function startPostgres(settings: Record<string, string> = {}): Promise<PgOracle> {
  // /tmp is world-traversable; a mktemp folder under it is chowned to postgres.
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "bkg-pg-" });
  await run("chown", ["postgres:postgres", dir]);
  await Deno.chmod(dir, 0o700);
  const data = `${dir}/data`;
  await run("runuser", [
    "-u",
    "postgres",
    "--",
    `${binDir}/initdb`,
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "--encoding=UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ]);
  const port = freePort();
  const conf = {
    listen_addresses: "'127.0.0.1'",
    port: String(port),
    unix_socket_directories: `'${dir}'`,
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    shared_buffers: "64MB",
    max_connections: "100",
    timezone: "'UTC'",
    log_timezone: "'UTC'",
    ...settings,
  };
  const lines = Object.entries(conf).map(([k, v]) => `${k} = ${v}`).join("\n");
  await Deno.writeTextFile(`${data}/postgresql.conf`, `\n${lines}\n`, { append: true });
  await run("runuser", [
    "-u",
    "postgres",
    "--",
    `${binDir}/pg_ctl`,
    "-D",
    data,
    "-l",
    `${dir}/log`,
    "-w",
    "-t",
    "60",
    "start",
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  return {
    port,
    url,
    sql,
    libpqEnv: {
      PGHOST: "127.0.0.1",
      PGPORT: String(port),
      PGUSER: "postgres",
      PGDATABASE: "postgres",
    },
    async stop() {
      await sql.end({ timeout: 5 }).catch(() => {});
      await run("runuser", [
        "-u",
        "postgres",
        "--",
        `${binDir}/pg_ctl`,
        "-D",
        data,
        "-m",
        "immediate",
        "-w",
        "stop",
      ]).catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
