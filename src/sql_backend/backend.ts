/**
 * @module The pgwire `Backend` over BKG-DB: login facts of roles from the catalog (a SCRAM
 * verifier where the role has one; the superuser `postgres` gets the admin password's verifier
 * from the server), databases, and sessions (`connect` with the startup settings, the process id
 * of BackendKeyData, and a JWT login's claims).
 */
import { connect, type Database } from "../../db/mod.ts";
import { CatalogStore } from "../../db/catalog/mod.ts";
import type { Backend, RoleInfo, Session, SessionEvents, SessionStart } from "../pgwire/mod.ts";
import { SqlSession } from "./session.ts";

/** Startup parameters that are not settings (or are the door's own). */
const notSettings = new Set(["user", "database", "options", "replication", "client_encoding"]);

/** rolvaliduntil (µs since 2000-01-01 UTC) as epoch milliseconds; undefined when NULL. */
function validUntilMs(role: { validUntil?: string | null }): number | undefined {
  if (!role.validUntil) return undefined;
  const us = BigInt(role.validUntil);
  if (us === 9223372036854775807n) return Infinity;
  return Number(us / 1000n) + 946684800000;
}

/** The SQL engine as the pgwire listener sees it. */
export class SqlBackend implements Backend {
  readonly #db: Database;
  readonly #store: CatalogStore;

  private constructor(db: Database, store: CatalogStore) {
    this.#db = db;
    this.#store = store;
  }

  /**
   * The backend of an open database (the catalog is bootstrapped on first use).
   *
   * @example
   * const backend = await SqlBackend.open(await Database.open("./data/db"));
   * await PgwireListener.listen({ port: 5433, backend, jwt });
   */
  static async open(db: Database): Promise<SqlBackend> {
    return new SqlBackend(db, await CatalogStore.of(db));
  }

  role(name: string): RoleInfo | undefined {
    const role = this.#store.shared().roles.get(name);
    if (role === undefined) return undefined;
    const verifier = role.login && role.password?.startsWith("SCRAM-SHA-256$")
      ? role.password
      : undefined;
    return { superuser: role.superuser, scramVerifier: verifier, validUntilMs: validUntilMs(role) };
  }

  hasDatabase(name: string): boolean {
    return this.#store.shared().databases.has(name);
  }

  async startSession(start: SessionStart, events: SessionEvents): Promise<Session> {
    const settings: Record<string, string> = {};
    for (const [name, value] of start.parameters) {
      if (!notSettings.has(name)) settings[name.toLowerCase()] = value;
    }
    settings.application_name = start.applicationName;
    settings.is_superuser = start.superuser ? "on" : "off";
    settings.session_authorization = start.user;
    if (start.claims !== undefined) settings.role = start.user;
    const engine = await connect(this.#db, {
      user: start.user,
      database: start.database,
      settings,
      claims: start.claims as Record<string, unknown> | undefined,
      pid: start.processId,
    });
    // The session's own database's store (COPY resolves its tables there).
    return new SqlSession(engine, engine.store, events);
  }
}
