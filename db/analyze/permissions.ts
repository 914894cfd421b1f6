/**
 * @module Privilege requirements collected while binding (PostgreSQL's RTEPermissionInfo): per
 * relation a statement touches, the privileges it needs (SELECT, INSERT, UPDATE, DELETE), the
 * columns it reads, inserts and updates, and the role to check as (a view's owner for the
 * relations inside the view, unless security_invoker). Checked when the statement runs — every
 * time, so a cached plan re-checks after SET ROLE — with PostgreSQL's 42501 messages.
 */
import {
  type Catalog,
  hasAnyColumnPriv,
  hasColumnPriv,
  hasRelationPriv,
  hasSchemaPriv,
  isSuperuser,
  type RelationDef,
  WellKnown,
} from "../catalog/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { procByOid, procMask } from "./proc_catalog.ts";

/** What one statement needs on one relation (or, `schema`, USAGE on one schema). */
export interface PermEntry {
  relOid: number;
  /** A schema whose USAGE a qualified name needed (relOid is then the schema's OID). */
  schema?: boolean;
  /** A function the statement calls, needing EXECUTE (relOid is then its pg_proc OID). */
  func?: boolean;
  /** The role to check as; 0 is the role running the statement. */
  checkAs: number;
  /** Privilege letters needed at table level or on every listed column: r, a, w, d. */
  required: string;
  /** SELECT is needed even when no column is read (a relation in FROM). */
  selectAlways: boolean;
  selectCols: Set<number>;
  insertCols: Set<number>;
  updateCols: Set<number>;
  /** The relation's name for messages (system relations have no catalog entry). */
  name: string;
}

/** The collector a BindEnv carries. */
export interface PermState {
  entries: PermEntry[];
  /** The role relations are checked as while a view's query is bound (0: the current role). */
  checkAs: number;
  /** The role running the statement (names inside a security_invoker view are looked up as it). */
  baseRole?: number;
  /** Set while a DML statement on an updatable view is bound: its base table's check role. */
  targetCheckAs?: number;
}

/** A fresh collector. */
export function newPermState(baseRole?: number): PermState {
  return { entries: [], checkAs: 0, baseRole };
}

/** Records that the statement reads relation `rel` (a FROM item): SELECT is needed. */
export function notePermRelation(
  state: PermState | undefined,
  rel: { oid: number; name: string },
  selectAlways: boolean,
): PermEntry | undefined {
  if (state === undefined) return undefined;
  const e: PermEntry = {
    relOid: rel.oid,
    checkAs: state.checkAs,
    required: selectAlways ? "r" : "",
    selectAlways,
    selectCols: new Set(),
    insertCols: new Set(),
    updateCols: new Set(),
    name: rel.name,
  };
  state.entries.push(e);
  return e;
}

/** Records that a qualified name needed USAGE on schema `nspOid`. */
export function notePermSchema(state: PermState | undefined, nspOid: number, name: string): void {
  if (state === undefined) return;
  if (state.entries.some((e) => e.schema && e.relOid === nspOid && e.checkAs === state.checkAs)) {
    return;
  }
  state.entries.push({
    relOid: nspOid,
    schema: true,
    checkAs: state.checkAs,
    required: "U",
    selectAlways: false,
    selectCols: new Set(),
    insertCols: new Set(),
    updateCols: new Set(),
    name,
  });
}

/**
 * Records that the statement calls function `procOid`: EXECUTE is needed, checked as the role
 * running the statement even inside a view or a policy (PostgreSQL checks functions as the
 * current user when the executor starts them, never as a view's owner).
 */
export function notePermFunction(state: PermState | undefined, procOid: number | undefined): void {
  if (state === undefined || procOid === undefined) return;
  if (state.entries.some((e) => e.func && e.relOid === procOid)) return;
  const name = procByOid(procOid)?.name ?? "";
  state.entries.push({
    relOid: procOid,
    func: true,
    checkAs: 0,
    required: "X",
    selectAlways: false,
    selectCols: new Set(),
    insertCols: new Set(),
    updateCols: new Set(),
    name,
  });
}

/** The error PostgreSQL raises for a missing privilege on a relation. */
export function relationDenied(rel: Pick<RelationDef, "kind" | "name">): DbError {
  const what = rel.kind === "v" ? "view" : rel.kind === "S" ? "sequence" : "table";
  return new DbError(SqlState.insufficientPrivilege, `permission denied for ${what} ${rel.name}`);
}

/** Raises 42501 unless `role` may do what `entries` need (ExecCheckPermissions). */
export function checkPermissions(cat: Catalog, entries: readonly PermEntry[], role: number): void {
  for (const e of entries) {
    const as = e.checkAs || role;
    if (isSuperuser(cat, as)) continue;
    if (e.func) {
      const p = procByOid(e.relOid);
      if (p !== undefined && !procMask(cat, p, as).privs.includes("X")) {
        throw new DbError(
          SqlState.insufficientPrivilege,
          `permission denied for ${p.kind === "a" ? "aggregate" : "function"} ${e.name}`,
        );
      }
      continue;
    }
    if (e.schema) {
      if (!hasSchemaPriv(cat, e.relOid, as, "U")) {
        throw new DbError(SqlState.insufficientPrivilege, `permission denied for schema ${e.name}`);
      }
      continue;
    }
    const rel = cat.relationByOid(e.relOid);
    if (rel === undefined) {
      if (e.relOid === WellKnown.pgAuthid) {
        throw new DbError(SqlState.insufficientPrivilege, `permission denied for table ${e.name}`);
      }
      continue;
    }
    if (!entryAllowed(cat, rel, e, as)) throw relationDenied(rel);
  }
}

function entryAllowed(cat: Catalog, rel: RelationDef, e: PermEntry, role: number): boolean {
  const needSelect = e.required.includes("r") || e.selectCols.size > 0;
  if (needSelect && !columnsAllowed(cat, rel, e.selectCols, role, "r")) return false;
  if (e.required.includes("a") && !columnsAllowed(cat, rel, e.insertCols, role, "a")) return false;
  if (e.required.includes("w") && !columnsAllowed(cat, rel, e.updateCols, role, "w")) return false;
  if (e.required.includes("d") && !hasRelationPriv(cat, rel, role, "d")) return false;
  return true;
}

function columnsAllowed(
  cat: Catalog,
  rel: RelationDef,
  cols: Set<number>,
  role: number,
  priv: string,
): boolean {
  if (hasRelationPriv(cat, rel, role, priv)) return true;
  if (cols.size === 0) return hasAnyColumnPriv(cat, rel, role, priv);
  for (const a of cols) if (!hasColumnPriv(cat, rel, a, role, priv)) return false;
  return true;
}

/**
 * Binds a view's query with the view's owner as the role its relations are checked as (and its
 * names looked up as), unless the view has `security_invoker`.
 */
export function bindAsViewOwner<T>(
  env: { perms?: PermState; role?: number },
  view: RelationDef,
  f: () => T,
): T {
  const invoker = (view.options ?? []).some((o) => /^security_invoker=(true|on|1|yes)$/i.test(o));
  const saved = { checkAs: env.perms?.checkAs, role: env.role };
  // A security_invoker view checks as the role running the statement, even inside a view that
  // checks as its owner (PostgreSQL's checkAsUser 0).
  if (env.perms) env.perms.checkAs = invoker ? 0 : view.owner;
  if (env.role !== undefined) env.role = invoker ? env.perms?.baseRole ?? env.role : view.owner;
  try {
    return f();
  } finally {
    if (env.perms) env.perms.checkAs = saved.checkAs!;
    env.role = saved.role;
  }
}

/**
 * Records an automatically updatable view as the target of INSERT (`a`), UPDATE (`w`) or DELETE
 * (`d`): the running role needs that privilege on the view (on `cols`, view attnums) and SELECT
 * on the view columns the statement reads (`read`), and the
 * base table the statement is rewritten onto is checked as the view's owner (unless
 * security_invoker) — see {@link takeTargetCheckAs}.
 */
export function notePermViewTarget(
  state: PermState | undefined,
  view: RelationDef,
  priv: "a" | "w" | "d",
  cols: number[],
  read: number[],
): void {
  if (state === undefined) return;
  const e = notePermRelation(state, view, false)!;
  e.required = priv;
  for (const a of cols) (priv === "a" ? e.insertCols : e.updateCols).add(a);
  for (const a of read) e.selectCols.add(a);
  const invoker = (view.options ?? []).some((o) => /^security_invoker=(true|on|1|yes)$/i.test(o));
  state.targetCheckAs = invoker ? state.checkAs : view.owner;
}

/** The role a rewritten view target's base table is checked as (once), else undefined. */
export function takeTargetCheckAs(state: PermState | undefined): number | undefined {
  const v = state?.targetCheckAs;
  if (state) state.targetCheckAs = undefined;
  return v;
}
