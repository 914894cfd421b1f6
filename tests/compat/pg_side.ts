/**
 * @module The PostgreSQL 15 side of the differential suite: one oracle per test module
 * (tests/helpers/pg.ts), a fresh `postgres` database per case file (dropped and re-created from
 * template1, so names such as current_database() match BKG-DB's), and node-postgres clients that
 * return PostgreSQL's exact text, the type OIDs, the full command tags and SQLSTATEs.
 */
import pg from "pg";
import { type PgOracle, startPostgres } from "../helpers/pg.ts";
import { SUPABASE_AUTH_SQL } from "../../db/catalog/supabase.ts";
import { SUPABASE_BOOTSTRAP_SQL } from "../../db/mod.ts";
import type { OutColumn, Outcome, OutResult, SideConnection, SideDatabase } from "./outcome.ts";

const rawText = { getTypeParser: () => (v: string) => v };

/** The roles BKG-DB bootstraps (DESIGN.md), created on PostgreSQL too so catalogs agree. */
const bootstrapRoles = [
  "CREATE ROLE anon NOLOGIN",
  "CREATE ROLE authenticated NOLOGIN",
  "CREATE ROLE service_role NOLOGIN BYPASSRLS",
];

interface PgField {
  name: string;
  dataTypeID: number;
}

interface PgResult {
  fields: PgField[];
  rows: (string | null)[][];
}

class PgConnection implements SideConnection {
  #tags: string[] = [];

  constructor(readonly client: pg.Client) {
    // node-postgres keeps only the first word of a command tag; the raw message has all of it.
    const con = (client as unknown as {
      connection: { on(e: string, f: (m: { text: string }) => void): void };
    })
      .connection;
    con.on("commandComplete", (m) => this.#tags.push(m.text));
  }

  async run(sql: string): Promise<Outcome> {
    this.#tags = [];
    try {
      const res = await this.client.query({ text: sql, rowMode: "array", types: rawText });
      const list = (Array.isArray(res) ? res : [res]) as unknown as PgResult[];
      const results: OutResult[] = [];
      let tagIndex = 0;
      for (const r of list) {
        const hasRows = r.fields.length > 0;
        const columns: OutColumn[] | null = hasRows
          ? r.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID }))
          : null;
        const tag = this.#tags[tagIndex++] ?? "";
        // An empty query string is EmptyQueryResponse: no statement, so no result.
        if (tag === "" && !hasRows) continue;
        results.push({ tag, columns, rows: hasRows ? r.rows : [] });
      }
      return { ok: true, results };
    } catch (e) {
      const err = e as { code?: string; message?: string; position?: string };
      if (typeof err.code !== "string" || err.code.length !== 5) throw e;
      return {
        ok: false,
        error: {
          code: err.code,
          message: err.message ?? "",
          ...(err.position === undefined ? {} : { position: Number(err.position) }),
        },
      };
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

/** The PostgreSQL oracle for one test module. */
export class PgSide {
  #oracle: PgOracle;
  #open: PgDatabase | undefined;
  #dataDir = "";
  #stopped = false;

  private constructor(oracle: PgOracle) {
    this.#oracle = oracle;
  }

  /** Starts PostgreSQL 15 in a temporary directory and creates BKG-DB's bootstrap roles. */
  static async start(): Promise<PgSide> {
    const oracle = await startPostgres();
    await oracle.sql.end({ timeout: 5 }).catch(() => {});
    const side = new PgSide(oracle);
    const admin = await side.#client("template1");
    try {
      for (const stmt of bootstrapRoles) await admin.query(stmt);
      // BKG-DB bootstraps schema auth with Supabase's helpers; template1 gets the same text.
      await admin.query("CREATE SCHEMA IF NOT EXISTS auth");
      for (const stmt of SUPABASE_AUTH_SQL) await admin.query(stmt);
      const dir = await admin.query<{ data_directory: string }>("SHOW data_directory");
      side.#dataDir = dir.rows[0]!.data_directory;
    } finally {
      await admin.end();
    }
    return side;
  }

  get port(): number {
    return this.#oracle.port;
  }

  async #client(database: string): Promise<pg.Client> {
    const client = new pg.Client({
      host: "127.0.0.1",
      port: this.#oracle.port,
      user: "postgres",
      database,
    });
    client.on("error", () => {});
    client.on("notice", () => {});
    await client.connect();
    return client;
  }

  /**
   * A fresh `postgres` database: every database but the templates is dropped (leftovers of an
   * earlier file), roles other than the bootstrap ones are dropped, and `postgres` is re-created.
   */
  async freshDatabase(): Promise<SideDatabase> {
    await this.#open?.close();
    const admin = await this.#client("template1");
    try {
      const dbs = await admin.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE NOT datistemplate",
      );
      for (const { datname } of dbs.rows) {
        await admin.query(`DROP DATABASE ${quoteIdent(datname)} WITH (FORCE)`);
      }
      const roles = await admin.query<{ rolname: string }>(
        `SELECT rolname FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%'
           AND rolname NOT IN ('postgres', 'anon', 'authenticated', 'service_role')`,
      );
      for (const { rolname } of roles.rows) await admin.query(`DROP ROLE ${quoteIdent(rolname)}`);
      await admin.query("CREATE DATABASE postgres");
    } finally {
      await admin.end();
    }
    // BKG-DB applies its Supabase setup (grants, default privileges) to every new database.
    const setup = await this.#client("postgres");
    try {
      for (const stmt of SUPABASE_BOOTSTRAP_SQL) await setup.query(stmt);
    } finally {
      await setup.end();
    }
    const db = new PgDatabase(() => this.#client("postgres"));
    this.#open = db;
    return db;
  }

  /**
   * Another database on the same server, for testing the harness itself against a second real
   * database (call after `freshDatabase`, which drops it again).
   */
  async extraDatabase(name: string): Promise<SideDatabase> {
    const admin = await this.#client("template1");
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } finally {
      await admin.end();
    }
    return new PgDatabase(() => this.#client(name));
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#open?.close();
    await this.#oracle.stop();
  }

  /** Stops PostgreSQL synchronously (for an unload handler, where nothing async runs). */
  killSync(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    const pgCtl = "/usr/lib/postgresql/15/bin/pg_ctl";
    new Deno.Command("runuser", {
      args: ["-u", "postgres", "--", pgCtl, "-D", this.#dataDir, "-m", "immediate", "-w", "stop"],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    const parent = this.#dataDir.replace(/\/data$/, "");
    if (parent.startsWith("/tmp/bkg-pg-")) Deno.removeSync(parent, { recursive: true });
  }
}

class PgDatabase implements SideDatabase {
  #conns: PgConnection[] = [];
  constructor(readonly open: () => Promise<pg.Client>) {}

  async connect(): Promise<SideConnection> {
    const c = new PgConnection(await this.open());
    this.#conns.push(c);
    return c;
  }

  async close(): Promise<void> {
    const conns = this.#conns;
    this.#conns = [];
    await Promise.all(conns.map((c) => c.close()));
  }
}

/** A double-quoted identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
