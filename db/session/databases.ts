/**
 * @module CREATE DATABASE and DROP DATABASE. Each runs in a transaction of its own, committed at
 * once (PostgreSQL does not allow them in a transaction block; the caller checks that). A new
 * database gets its own schemas (db/catalog/new_database.ts); dropping one removes every object
 * that belongs to it and frees its tables' and sequences' storage. Sessions connected to a
 * database block its drop unless WITH (FORCE), which terminates them first.
 */
import {
  type CatalogStore,
  type DatabaseDef,
  isSuperuser,
  newDatabaseObjects,
  WellKnown,
} from "../catalog/mod.ts";
import type { CreateDatabaseStmt, DefArg, DropDatabaseStmt } from "../sql/mod.ts";
import { limits } from "../limits.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { type Database, runStatement } from "../txn/mod.ts";

/** Another session connected to some database: DROP … WITH (FORCE) ends it. */
export interface OtherSession {
  terminate(): void;
}

/** What CREATE/DROP DATABASE need from the session that runs them. */
export interface DatabaseDdlContext {
  db: Database;
  /** The store of the session's own database. */
  store: CatalogStore;
  /** The session's database. */
  currentDatabase: string;
  /** The current role. */
  roleOid: number;
  /** The other open sessions connected to database `name`. */
  sessionsOf(name: string): OtherSession[];
  notice(message: string): void;
}

/** Options CREATE DATABASE accepts that change nothing here (one locale, one tablespace). */
const acceptedOptions = new Set([
  "locale",
  "lc_collate",
  "lc_ctype",
  "locale_provider",
  "icu_locale",
  "collation_version",
  "strategy",
  "tablespace",
  "connection_limit",
  "allow_connections",
  "is_template",
]);

/** Spellings of UTF8 that ENCODING accepts (the only server encoding). */
const utf8Names = new Set(["utf8", "utf-8", "unicode", "6"]);

function argText(a: DefArg | null): string | null {
  if (a === null) return null;
  switch (a.kind) {
    case "integer":
      return String(a.value);
    case "numeric":
    case "string":
    case "word":
      return a.value;
    case "names":
      return a.names.join(".");
  }
}

/** CREATE DATABASE name [OWNER r] [TEMPLATE t] [ENCODING e] […]. */
export async function createDatabase(d: DatabaseDdlContext, s: CreateDatabaseStmt): Promise<void> {
  const txn = d.db.begin();
  try {
    const cat = d.store.for(txn);
    if (cat.databases.has(s.name)) {
      throw new DbError(SqlState.duplicateDatabase, `database "${s.name}" already exists`);
    }
    let owner = d.roleOid;
    for (const o of s.options) {
      const value = argText(o.arg);
      if (o.name === "owner") {
        if (value === null) continue;
        const r = cat.roles.get(value);
        if (r === undefined) {
          throw new DbError(SqlState.undefinedObject, `role "${value}" does not exist`);
        }
        if (!isSuperuser(cat, d.roleOid) && !cat.roleIsMemberOf(d.roleOid, r.oid)) {
          throw new DbError(SqlState.insufficientPrivilege, `must be member of role "${value}"`);
        }
        owner = r.oid;
      } else if (o.name === "template") {
        if (value === null || value === "template0" || value === "template1") continue;
        if (!cat.databases.has(value)) {
          throw new DbError(
            SqlState.invalidCatalogName,
            `template database "${value}" does not exist`,
          );
        }
        throw new DbError(
          SqlState.featureNotSupported,
          `copying database "${value}" is not supported`,
          { hint: "Use TEMPLATE template0 or template1." },
        );
      } else if (o.name === "encoding") {
        if (value !== null && !utf8Names.has(value.toLowerCase())) {
          throw new DbError(
            SqlState.featureNotSupported,
            `encoding "${value}" is not supported`,
            { hint: "BKG-DB databases use UTF8." },
          );
        }
      } else if (!acceptedOptions.has(o.name)) {
        throw new DbError(SqlState.syntaxError, `option "${o.name}" not recognized`);
      }
    }
    const oid = d.store.allocateOid(txn);
    d.store.put(txn, { objKind: "database", oid, name: s.name, owner });
    const target = d.store.database(oid);
    for (const o of newDatabaseObjects(() => d.store.allocateOid(txn))) target.put(txn, o);
    await txn.commit();
    d.store.invalidate();
  } finally {
    if (txn.state === "active") txn.rollback();
  }
}

/** DROP DATABASE [IF EXISTS] name [WITH (FORCE)]. */
export async function dropDatabase(d: DatabaseDdlContext, s: DropDatabaseStmt): Promise<void> {
  const cat = d.store.shared();
  const existing = cat.databases.get(s.name);
  if (existing === undefined) {
    if (s.ifExists) {
      d.notice(`database "${s.name}" does not exist, skipping`);
      return;
    }
    throw new DbError(SqlState.invalidCatalogName, `database "${s.name}" does not exist`);
  }
  if (!cat.roleHasPrivsOf(d.roleOid, existing.owner)) {
    throw new DbError(SqlState.insufficientPrivilege, `must be owner of database ${s.name}`);
  }
  if (existing.oid === WellKnown.template0 || existing.oid === WellKnown.template1) {
    throw new DbError(SqlState.wrongObjectType, "cannot drop a template database");
  }
  if (existing.name === d.currentDatabase) {
    throw new DbError(SqlState.objectInUse, "cannot drop the currently open database");
  }
  let others = d.sessionsOf(s.name);
  if (s.force) { for (const o of others) o.terminate(); }
  // As PostgreSQL does, give sessions that are on their way out (a client that just
  // disconnected) a moment to go before refusing.
  const until = performance.now() + limits.dropDatabaseWaitMs;
  while (!s.force && others.length > 0 && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    others = d.sessionsOf(s.name);
  }
  if (!s.force && others.length > 0) {
    const n = others.length;
    throw new DbError(
      SqlState.objectInUse,
      `database "${s.name}" is being accessed by other users`,
      {
        detail: n === 1
          ? "There is 1 other session using the database."
          : `There are ${n} other sessions using the database.`,
      },
    );
  }
  await removeDatabase(d, existing);
}

/** Frees the storage of every table and sequence of the database, then its catalog rows. */
async function removeDatabase(d: DatabaseDdlContext, dbDef: DatabaseDef): Promise<void> {
  const target = d.store.database(dbDef.oid);
  const txn = d.db.begin();
  try {
    // Another session may have dropped it while this one waited.
    if (d.store.for(txn).byOid.get(dbDef.oid) === undefined) {
      throw new DbError(SqlState.invalidCatalogName, `database "${dbDef.name}" does not exist`);
    }
    const cat = target.shared();
    await runStatement(txn, () => {
      for (const rel of cat.all("relation")) {
        // A table's indexes go with it; views have no storage.
        if (rel.kind === "S" && txn.host.sequences.has(rel.oid)) txn.dropSequence(rel.oid);
        if (rel.kind === "r" && txn.host.tables.has(rel.oid)) txn.dropTable(rel.oid);
      }
    });
    target.removeAll(txn);
    // Its settings (pg_db_role_setting) go with it, as PostgreSQL's DropSetting does.
    for (const st of cat.all("db_role_setting")) {
      if (st.database === dbDef.oid) d.store.remove(txn, st.oid);
    }
    d.store.remove(txn, dbDef.oid);
    await txn.commit();
    d.store.invalidate();
  } finally {
    if (txn.state === "active") txn.rollback();
  }
}
