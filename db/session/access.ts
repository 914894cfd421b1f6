/**
 * @module Privilege checks the session makes outside the binder: the requirements of a bound
 * plan (kept per plan, so a cached plan is re-checked each run), sequence functions (nextval
 * needs USAGE or UPDATE, currval SELECT or USAGE, setval UPDATE), and the one-time setup SQL a
 * new database gets (SUPABASE_BOOTSTRAP_SQL).
 */
import {
  type Catalog,
  type CatalogStore,
  isSuperuser,
  objectMask,
  SUPABASE_BOOTSTRAP_SQL,
  supabaseSetupVersion,
} from "../catalog/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { Database } from "../txn/mod.ts";
export { checkPermissions, newPermState, type PermEntry } from "../analyze/mod.ts";
import type { PermEntry } from "../analyze/mod.ts";

/** The privilege requirements of each bound plan. */
export const permsOfPlan = new WeakMap<object, PermEntry[]>();

/** Raises 42501 unless `role` may call `fn` on sequence `oid`. */
export function checkSequence(
  cat: Catalog,
  oid: number,
  role: number,
  fn: "nextval" | "currval" | "setval",
): void {
  const rel = cat.relationByOid(oid);
  if (rel === undefined || rel.kind !== "S" || isSuperuser(cat, role)) return;
  const privs = objectMask(cat, "sequence", rel, role).privs;
  const ok = fn === "nextval"
    ? privs.includes("U") || privs.includes("w")
    : fn === "currval"
    ? privs.includes("r") || privs.includes("U")
    : privs.includes("w");
  if (!ok) {
    throw new DbError(SqlState.insufficientPrivilege, `permission denied for sequence ${rel.name}`);
  }
}

/** Whether `store`'s database has not had SUPABASE_BOOTSTRAP_SQL applied yet. */
export function needsSetup(store: CatalogStore): boolean {
  const d = store.shared().byOid.get(store.databaseOid);
  return d?.objKind === "database" && (d.setupVersion ?? 0) < supabaseSetupVersion;
}

const running = new WeakMap<CatalogStore, Promise<void>>();

/**
 * Applies SUPABASE_BOOTSTRAP_SQL once per database (marked on the database's record),
 * as the superuser, through `run` (a session's execute).
 */
export async function setupDatabase(
  db: Database,
  store: CatalogStore,
  run: (sql: string) => Promise<unknown>,
): Promise<void> {
  if (!needsSetup(store)) return;
  let p = running.get(store);
  if (p === undefined) {
    p = (async () => {
      for (const sql of SUPABASE_BOOTSTRAP_SQL) await run(sql);
      const txn = db.begin();
      const d = store.for(txn).byOid.get(store.databaseOid);
      if (d?.objKind === "database") {
        store.put(txn, { ...d, setupVersion: supabaseSetupVersion });
      }
      await txn.commit();
      store.invalidate();
    })();
    running.set(store, p);
    p.finally(() => running.delete(store)).catch(() => {});
  }
  await p;
}

/** Raises 42501 (FATAL) unless `role` may CONNECT to database `name`. */
export function checkConnect(cat: Catalog, role: number, name: string): void {
  const db = cat.databases.get(name);
  if (db === undefined || isSuperuser(cat, role)) return;
  if (!objectMask(cat, "database", db, role).privs.includes("c")) {
    throw new DbError(SqlState.insufficientPrivilege, `permission denied for database "${name}"`, {
      severity: "FATAL",
      detail: "User does not have CONNECT privilege.",
    });
  }
}
