/**
 * @module The two sides of the RLS conformance suite, behind one small interface: a real
 * PostgreSQL 15 (node-postgres with raw text values, full command tags and COPY data captured
 * from the wire) and BKG-DB opened in-process (`Database.open` + `db.connect`, values printed
 * with PostgreSQL's output functions). A side runs one statement at a time and returns what it
 * did as an `Outcome`; SQL errors are outcomes, never exceptions.
 */
import pg from "pg";
import { type PgOracle, startPostgres } from "../../helpers/pg.ts";
import type { Database, Datum, QueryResult, Session } from "../../../db/mod.ts";

/** The engine, loaded on first use so that a PostgreSQL-only run does not need it to compile. */
type Engine = {
  db: typeof import("../../../db/mod.ts");
  types: typeof import("../../../db/types/mod.ts");
};

/** A result column: its name and its type's OID. */
export interface OutColumn {
  name: string;
  typeOid: number;
}

/**
 * What one statement did: its command tag, columns and rows as PostgreSQL's text (COPY TO
 * STDOUT: one row per data line), or its error's SQLSTATE and message.
 */
export type Outcome =
  | { ok: true; tag: string; columns: OutColumn[] | null; rows: (string | null)[][] }
  | { ok: false; code: string; message: string };

/** A session on one side, as the superuser `postgres`. */
export interface SideSession {
  run(sql: string): Promise<Outcome>;
  close(): Promise<void>;
}

/** One side: sessions on demand, closed with the side. */
export interface Side {
  readonly name: "PostgreSQL" | "BKG";
  session(): Promise<SideSession>;
  close(): Promise<void>;
}

interface PgResult {
  fields: { name: string; dataTypeID: number }[];
  rows: (string | null)[][];
}

const rawText = { getTypeParser: () => (v: string) => v };

interface PgWireEvents {
  on(e: "commandComplete", f: (m: { text: string }) => void): void;
  on(e: "copyData", f: (m: { chunk: Uint8Array }) => void): void;
}

class PgSession implements SideSession {
  #tag = "";
  #copy: string[] = [];

  constructor(readonly client: pg.Client) {
    // node-postgres keeps only the first word of a tag and drops COPY data; the wire has both.
    const con = (client as unknown as { connection: PgWireEvents }).connection;
    con.on("commandComplete", (m) => this.#tag = m.text);
    const dec = new TextDecoder();
    con.on("copyData", (m) => this.#copy.push(dec.decode(m.chunk)));
  }

  async run(sql: string): Promise<Outcome> {
    this.#tag = "";
    this.#copy = [];
    try {
      const res = await this.client.query({ text: sql, rowMode: "array", types: rawText });
      // Several statements in one text: the last one's result, as on the BKG side.
      const list = (Array.isArray(res) ? res : [res]) as unknown as PgResult[];
      const r = list[list.length - 1]!;
      const fields = r.fields;
      if (this.#tag.startsWith("COPY")) {
        return { ok: true, tag: this.#tag, columns: null, rows: this.#copy.map((l) => [l]) };
      }
      const hasRows = fields.length > 0;
      return {
        ok: true,
        tag: this.#tag,
        columns: hasRows ? fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID })) : null,
        rows: hasRows ? r.rows : [],
      };
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (typeof err.code !== "string" || err.code.length !== 5) throw e;
      return { ok: false, code: err.code, message: err.message ?? "" };
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

/** A throwaway PostgreSQL 15 (tests/helpers/pg.ts). */
export class PgRlsSide implements Side {
  readonly name = "PostgreSQL";
  private constructor(readonly oracle: PgOracle) {}

  static async start(): Promise<PgRlsSide> {
    const oracle = await startPostgres();
    await oracle.sql.end({ timeout: 5 }).catch(() => {});
    return new PgRlsSide(oracle);
  }

  async session(): Promise<SideSession> {
    const client = new pg.Client({
      host: "127.0.0.1",
      port: this.oracle.port,
      user: "postgres",
      database: "postgres",
    });
    client.on("error", () => {});
    client.on("notice", () => {});
    await client.connect();
    return new PgSession(client);
  }

  async close(): Promise<void> {
    await this.oracle.stop();
  }
}

/** How long BKG-DB may take for one statement of a scenario. */
const statementTimeoutMs = 10_000;

class BkgSession implements SideSession {
  constructor(readonly session: Session, readonly engine: Engine) {}

  async run(sql: string): Promise<Outcome> {
    let list: QueryResult[];
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // A statement that never ends (a lost lock wait) fails its scenario, not the whole run.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          this.session.cancel();
          reject(new Error(`no answer within ${statementTimeoutMs} ms`));
        }, statementTimeoutMs);
      });
      list = await Promise.race([this.session.execute(sql), timeout]);
    } catch (e) {
      if (e instanceof this.engine.db.DbError) {
        return { ok: false, code: e.code, message: e.message };
      }
      // A crash is the engine's failure, reported as its own pseudo-SQLSTATE.
      const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
      return { ok: false, code: "CRASH", message: text.split("\n").slice(0, 4).join(" | ") };
    } finally {
      clearTimeout(timer);
    }
    const r = list[list.length - 1];
    if (r === undefined) return { ok: true, tag: "", columns: null, rows: [] };
    if (r.command.startsWith("COPY")) {
      return { ok: true, tag: r.command, columns: null, rows: r.rows.map((l) => [String(l[0])]) };
    }
    try {
      const columns = r.columns?.map((c) => ({ name: c.name, typeOid: c.typeOid })) ?? null;
      const rows = columns === null
        ? []
        : r.rows.map((row) => row.map((v, i) => this.#print(columns[i]!.typeOid, v)));
      return { ok: true, tag: r.command, columns, rows };
    } catch (e) {
      // A value the output functions cannot print fails the statement, as it would over pgwire.
      if (!(e instanceof this.engine.db.DbError)) throw e;
      return { ok: false, code: e.code, message: e.message };
    }
  }

  #print(typeOid: number, v: Datum): string | null {
    if (v === null || v === undefined) return null;
    return this.engine.types.outputText(typeOid, v, this.session.evalContext);
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

/** BKG-DB in-process on a fresh temporary data directory (no fsync: this suite tests SQL). */
export class BkgRlsSide implements Side {
  readonly name = "BKG";
  private constructor(readonly db: Database, readonly dir: string, readonly engine: Engine) {}

  static async open(): Promise<BkgRlsSide> {
    const engine: Engine = {
      db: await import("../../../db/mod.ts"),
      types: await import("../../../db/types/mod.ts"),
    };
    const dir = await Deno.makeTempDir({ prefix: "bkg-rls-" });
    const db = await engine.db.Database.open(dir, { fsync: false });
    return new BkgRlsSide(db, dir, engine);
  }

  async session(): Promise<SideSession> {
    const session = await this.db.connect({ user: "postgres", database: "postgres" });
    return new BkgSession(session, this.engine);
  }

  async close(): Promise<void> {
    await this.db.close();
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}
