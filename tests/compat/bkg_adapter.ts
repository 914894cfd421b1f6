/**
 * @module The one place the differential suite calls BKG-DB: `Database.open` on a fresh data
 * directory per case file, `db.connect({ user, database })`, `session.execute(sql)` and
 * `outputText` to turn Datums into PostgreSQL's text. If the engine's session API differs
 * slightly from the contract (docs/compat.md), only this file changes.
 */
import * as bkg from "../../db/mod.ts";
import { type Datum, DbError } from "../../db/mod.ts";
import { defaultEvalContext, type EvalContext, outputText } from "../../db/types/mod.ts";
import type { OutColumn, Outcome, OutResult, SideConnection, SideDatabase } from "./outcome.ts";

/** The session contract (docs/compat.md); typed here because db/mod.ts may not export it yet. */
interface BkgColumnInfo {
  name: string;
  typeOid: number;
  typmod?: number;
}
interface BkgQueryResult {
  command: string;
  columns: BkgColumnInfo[] | null;
  rows: Datum[][];
  rowCount: number | null;
}
interface BkgSession {
  execute(sql: string, params?: Datum[] | null): Promise<BkgQueryResult[]>;
  close(): Promise<void>;
  /** Optional ways to reach the session's value context (TimeZone, IntervalStyle, catalog). */
  evalContext?: EvalContext | (() => EvalContext);
  getSetting?(name: string): string | null | undefined;
  /** The catalog, for relation names and enum labels when `evalContext` is not exposed. */
  store?: { for(txn: null): BkgCatalog };
}
interface BkgCatalog {
  relationByOid(oid: number): { name: string } | undefined;
  typeByOid(oid: number): { oid: number; labels?: string[] } | undefined;
}
interface BkgDatabase {
  connect?(opts: { user: string; database: string }): Promise<BkgSession>;
  close(): Promise<void>;
}

/** True once db/mod.ts's Database has the session API (`db.connect`). */
export function bkgHasSessions(): boolean {
  const proto = (bkg.Database as unknown as { prototype: Record<string, unknown> }).prototype;
  return typeof proto.connect === "function";
}

/** The session's value context, or one built from its settings. */
function contextOf(session: BkgSession): EvalContext {
  const ec = session.evalContext;
  if (typeof ec === "function") return ec.call(session);
  if (ec !== undefined) return ec;
  const get = (n: string) => session.getSetting?.(n) ?? undefined;
  // Until the session exposes its context, regclass output and enum labels read the catalog.
  const cat = () => session.store?.for(null);
  return defaultEvalContext({
    timeZone: get("TimeZone") ?? "UTC",
    dateStyle: get("DateStyle") ?? "ISO, MDY",
    intervalStyle: get("IntervalStyle") ?? "postgres",
    extraFloatDigits: Number(get("extra_float_digits") ?? "1"),
    relationName: (oid) => cat()?.relationByOid(oid)?.name,
    enumLabels: (oid) => {
      const t = cat()?.typeByOid(oid);
      return t !== undefined && t.oid === oid ? t.labels : undefined;
    },
  });
}

class BkgConnection implements SideConnection {
  constructor(readonly session: BkgSession) {}

  async run(sql: string): Promise<Outcome> {
    let list: BkgQueryResult[];
    try {
      list = await this.session.execute(sql);
    } catch (e) {
      if (!(e instanceof DbError)) {
        // A crash is a failure of the engine, reported as a distinct pseudo-SQLSTATE.
        const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
        return {
          ok: false,
          error: { code: "CRASH", message: text.split("\n").slice(0, 6).join("\n") },
        };
      }
      const pos = e.fields.position;
      return {
        ok: false,
        error: {
          code: e.code,
          message: e.message,
          ...(pos === undefined ? {} : { position: Number(pos) }),
        },
      };
    }
    try {
      return { ok: true, results: this.#format(list) };
    } catch (e) {
      // A value the output functions cannot print fails the statement, as it would over pgwire.
      if (!(e instanceof DbError)) throw e;
      return { ok: false, error: { code: e.code, message: e.message } };
    }
  }

  #format(list: BkgQueryResult[]): OutResult[] {
    const ctx = contextOf(this.session);
    const results: OutResult[] = [];
    for (const r of list) {
      const columns: OutColumn[] | null = r.columns === null
        ? null
        : r.columns.map((c) => ({ name: c.name, typeOid: c.typeOid }));
      const rows = columns === null ? [] : r.rows.map((row) =>
        row.map((v, i) => {
          if (v === null || v === undefined) return null;
          return outputText(columns[i]!.typeOid, v, ctx);
        })
      );
      results.push({ tag: r.command, columns, rows });
    }
    return results;
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

class BkgSide implements SideDatabase {
  #conns: BkgConnection[] = [];
  constructor(readonly db: BkgDatabase, readonly dir: string) {}

  async connect(): Promise<SideConnection> {
    assertSessions(this.db);
    const session = await this.db.connect!({ user: "postgres", database: "postgres" });
    const c = new BkgConnection(session);
    this.#conns.push(c);
    return c;
  }

  async close(): Promise<void> {
    for (const c of this.#conns) await c.close().catch(() => {});
    this.#conns = [];
    await this.db.close();
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

function assertSessions(db: BkgDatabase): void {
  if (typeof db.connect !== "function") {
    throw new Error("BKG-DB has no db.connect() yet (the SQL engine's session API)");
  }
}

/** Opens BKG-DB on a fresh temporary data directory (no fsync: the suite tests SQL, not disks). */
export async function openBkg(): Promise<SideDatabase> {
  const dir = await Deno.makeTempDir({ prefix: "bkg-compat-" });
  const db = await bkg.Database.open(dir, { fsync: false }) as unknown as BkgDatabase;
  return new BkgSide(db, dir);
}
