/**
 * @module Per-role and per-database settings (pg_db_role_setting) as PostgreSQL 15 keeps them:
 * ALTER ROLE r | ALL [IN DATABASE d] SET | RESET, ALTER DATABASE d SET | RESET with their
 * permission rules, the settings a new session starts with (database, role, role in database;
 * the client's startup options override them), and ALTER DATABASE … CONNECTION LIMIT |
 * ALLOW_CONNECTIONS.
 */
import { type Catalog, type DbRoleSettingDef, WellKnown } from "../catalog/mod.ts";
import { quoteIdent, type Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { requireOwner } from "./owners.ts";
import { type RoleDdl, roleSpecOid } from "./role_members.ts";
import { settingNames, Settings } from "./settings.ts";

type SetClause = Extract<Statement, { kind: "alter_role_set" }>["set"];

/** Settings only a superuser may store for a role or database (PGC_SUSET among ours). */
const superuserOnly = new Set(["lc_messages", "session_replication_role"]);

function denied(message: string): DbError {
  return new DbError(SqlState.insufficientPrivilege, message);
}

function databaseByOid(cat: Catalog, oid: number) {
  return cat.all("database").find((x) => x.oid === oid);
}

function databaseOid(cat: Catalog, name: string): number {
  const db = cat.databases.get(name);
  if (db === undefined) {
    throw new DbError(SqlState.invalidCatalogName, `database "${name}" does not exist`);
  }
  return db.oid;
}

/** ALTER ROLE r | ALL [IN DATABASE d] SET … | RESET …. */
export function alterRoleSet(
  d: RoleDdl,
  s: Extract<Statement, { kind: "alter_role_set" }>,
): string {
  const cat = d.catalog();
  const me = cat.roleByOid(d.roleOid);
  let role = 0;
  if (s.role !== null) {
    if (s.role.type === "name" && s.role.name!.startsWith("pg_")) {
      throw new DbError(SqlState.reservedName, `role name "${s.role.name}" is reserved`, {
        detail: "Cannot alter reserved roles.",
      });
    }
    role = roleSpecOid(cat, s.role, d);
    const target = cat.roleByOid(role)!;
    if (target.superuser) {
      if (!me?.superuser) throw denied("must be superuser to alter superusers");
    } else if (!me?.superuser && !me?.createRole && role !== d.roleOid) {
      throw denied("permission denied");
    }
  }
  const database = s.database === null ? 0 : databaseOid(cat, s.database);
  if (s.role === null) {
    if (database !== 0) {
      const db = databaseByOid(cat, database)!;
      requireOwner(cat, d.roleOid, db, "database");
    } else if (!me?.superuser) throw denied("must be superuser to alter settings globally");
  }
  alterSetting(d, database, role, s.set);
  return "ALTER ROLE";
}

/** ALTER DATABASE d SET … | RESET …. */
export function alterDatabaseSet(
  d: RoleDdl,
  s: Extract<Statement, { kind: "alter_database_set" }>,
): string {
  const cat = d.catalog();
  const oid = databaseOid(cat, s.database);
  requireOwner(cat, d.roleOid, databaseByOid(cat, oid)!, "database");
  alterSetting(d, oid, 0, s.set);
  return "ALTER DATABASE";
}

/** ALTER DATABASE d [WITH] CONNECTION LIMIT n | ALLOW_CONNECTIONS b. */
export function alterDatabase(
  d: RoleDdl,
  s: Extract<Statement, { kind: "alter_database" }>,
): string {
  const cat = d.catalog();
  const db = databaseByOid(cat, databaseOid(cat, s.database))!;
  const next = { ...db };
  for (const o of s.options) {
    if (o.name === "connection_limit") {
      if (o.value < -1) {
        throw new DbError(SqlState.invalidParameterValue, `invalid connection limit: ${o.value}`);
      }
      next.connLimit = o.value;
    } else if (o.name === "allow_connections") {
      next.allowConnections = o.value;
    } else {
      throw new DbError(SqlState.featureNotSupported, "IS_TEMPLATE is not supported");
    }
  }
  requireOwner(cat, d.roleOid, db, "database");
  if (next.allowConnections === false && db.name === d.databaseName) {
    throw new DbError(
      SqlState.featureNotSupported,
      "cannot disallow connections for current database",
    );
  }
  d.store.put(d.txn, next);
  return "ALTER DATABASE";
}

/** The `name=value` text a SET clause stores (FROM CURRENT: the session's value). */
function settingText(d: RoleDdl, set: Extract<SetClause, { kind: "variable_set" }>): string {
  const key = set.name.toLowerCase();
  const me = d.catalog().roleByOid(d.roleOid);
  if (superuserOnly.has(key) && !me?.superuser) {
    throw denied(`permission denied to set parameter "${set.name}"`);
  }
  let value: string;
  if (set.fromCurrent) value = d.currentSetting?.(key) ?? "";
  else if (set.isDefault) return "";
  else {
    value = set.values.map((v) =>
      key === "search_path" && v.kind === "string" ? quoteIdent(v.value) : String(v.value)
    ).join(", ");
  }
  // Checked as SET would check it: unknown names, read-only settings and bad values fail here.
  new Settings().set(key, value, false, false);
  return `${settingNames[key] ?? key}=${value}`;
}

/** AlterSetting: adds, replaces or removes one `name=value` of the (database, role) row. */
function alterSetting(d: RoleDdl, database: number, role: number, set: SetClause): void {
  const cat = d.catalog();
  const row = cat.all("db_role_setting").find((r) => r.database === database && r.role === role);
  let config = row?.config ?? [];
  const name = set.name?.toLowerCase() ?? null;
  const sameName = (item: string) => item.slice(0, item.indexOf("=")).toLowerCase() === name;
  if (set.kind === "variable_reset") {
    config = name === null ? [] : config.filter((item) => !sameName(item));
  } else {
    const text = settingText(d, set);
    if (text === "") config = config.filter((item) => !sameName(item));
    else if (config.some(sameName)) config = config.map((item) => sameName(item) ? text : item);
    else config = [...config, text];
  }
  if (row !== undefined && config.length === 0) d.store.remove(d.txn, row.oid);
  else if (row !== undefined) d.store.put(d.txn, { ...row, config });
  else if (config.length > 0) {
    const fresh: DbRoleSettingDef = {
      objKind: "db_role_setting",
      oid: d.store.allocateOid(d.txn),
      database,
      role,
      config,
    };
    d.store.put(d.txn, fresh);
  }
}

/** Removes the settings of a dropped role or database (PostgreSQL's DropSetting). */
export function dropSettings(d: RoleDdl, which: { database?: number; role?: number }): void {
  for (const r of d.catalog().all("db_role_setting")) {
    if (r.database === which.database || r.role === which.role) d.store.remove(d.txn, r.oid);
  }
}

/**
 * The settings a session of `role` in `database` starts with, lowest priority first as
 * PostgreSQL's process_settings applies them: every database and role, the database, the role,
 * the role in the database. Values that no longer pass SET's checks are skipped.
 */
export function connectSettings(
  cat: Catalog,
  role: number,
  database: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  const rows = cat.all("db_role_setting");
  for (const [db, r] of [[0, 0], [database, 0], [0, role], [database, role]] as const) {
    const row = rows.find((x) => x.database === db && x.role === r);
    for (const item of row?.config ?? []) {
      const i = item.indexOf("=");
      const key = item.slice(0, i).toLowerCase();
      const value = item.slice(i + 1);
      try {
        new Settings().set(key, value, false, false);
        out[key] = value;
      } catch {
        // PostgreSQL logs a WARNING and starts without it.
      }
    }
  }
  return out;
}

/**
 * The checks of a new session (InitPostgres): 53300 `too many connections for role "r"` when the
 * role's connection limit is reached, 55000 when the database does not accept connections, 53300
 * `too many connections for database "d"`. Superusers skip the limits. `sessions` counts the open
 * sessions of the role (in any database) and of the database, not counting the new one.
 */
export function checkConnectionLimits(
  cat: Catalog,
  role: number,
  database: number,
  sessions: { ofRole: number; ofDatabase: number },
): void {
  const r = cat.roleByOid(role)!;
  const db = databaseByOid(cat, database)!;
  const fatal = { severity: "FATAL" as const };
  const limit = r.connLimit ?? -1;
  if (!r.superuser && limit >= 0 && sessions.ofRole >= limit) {
    throw new DbError(
      SqlState.tooManyConnections,
      `too many connections for role "${r.name}"`,
      fatal,
    );
  }
  const allow = db.allowConnections ?? db.oid !== WellKnown.template0;
  if (!allow) {
    throw new DbError(
      SqlState.objectNotInPrerequisiteState,
      `database "${db.name}" is not currently accepting connections`,
      fatal,
    );
  }
  const dbLimit = db.connLimit ?? -1;
  if (!r.superuser && dbLimit >= 0 && sessions.ofDatabase >= dbLimit) {
    throw new DbError(
      SqlState.tooManyConnections,
      `too many connections for database "${db.name}"`,
      fatal,
    );
  }
}
