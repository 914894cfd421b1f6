/**
 * @module The binder's state: the catalog and search path of the statement, parameter types
 * (inferred as they are met), CTEs in scope, the current FROM scope, and collectors for
 * aggregate and window calls. One BindCtx per query level; `parent` is the enclosing level.
 */
import type { Catalog, RelationDef } from "../catalog/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { OutCol, PlanNode } from "../plan/mod.ts";
import type { EvalContext } from "../types/mod.ts";
import { Scope } from "./scope.ts";
import { hasSchemaPriv } from "../catalog/mod.ts";
import { notePermSchema, type PermState } from "./permissions.ts";

/** A CTE visible by name. */
export interface CteInfo {
  id: number;
  name: string;
  cols: OutCol[];
  /** null while the recursive term is being bound (the work table). */
  plan: PlanNode | null;
  recursive: boolean;
}

/** What a whole statement's binding shares. */
export interface BindEnv {
  catalog: Catalog;
  /** Schema names of search_path ("$user" resolved), without pg_catalog. */
  searchPath: string[];
  /** $n types; 0 = not yet known. Grows as parameters are met. */
  paramTypes: number[];
  ctx: EvalContext;
  nextCteId: number;
  /** The statement text (error positions). */
  text: string;
  /** Data-modifying CTEs, run before the statement (each once), their RETURNING rows by CTE id. */
  dmlCtes?: { id: number; plan: import("../plan/mod.ts").ModifyPlan }[];
  /** When set, every relation the statement names is added (view dependencies). */
  touched?: Set<number>;
  /** Row-level security state; absent: no policies are applied (internal binding). */
  rls?: import("./rls.ts").RlsState;
  /** Privilege requirements being collected (see permissions.ts); absent: none are. */
  perms?: PermState;
  /** The role names are looked up as (schema USAGE); absent: no checks (internal binding). */
  role?: number;
}

/** One query level's binding state. */
export class BindCtx {
  scope: Scope;
  ctes = new Map<string, CteInfo>();
  /** Non-null while aggregates are allowed (target list, HAVING, ORDER BY). */
  aggs: import("../plan/mod.ts").AggCall[] | null = null;
  windows: import("../plan/mod.ts").WinCall[] | null = null;
  /** Set once an outer reference into this level's parent was bound. */
  correlated = false;
  /** Where expressions are being bound, for error messages (e.g. "WHERE"). */
  clause = "";
  /** The WINDOW clause of the SELECT being bound. */
  namedWindows: import("../sql/mod.ts").WindowDef[] = [];
  /** Inside an aggregate's arguments. */
  inAgg = false;
  /** Set-operation branches keep unknown-typed outputs for the set operation to resolve. */
  keepUnknown = false;
  /** The SELECT's FOR UPDATE/SHARE clauses (row-level security adds UPDATE policies). */
  locking: import("../sql/mod.ts").LockingClause[] = [];

  constructor(readonly env: BindEnv, readonly parent: BindCtx | null) {
    this.scope = new Scope(parent?.scope ?? null);
  }

  /** A child level (subquery) sharing the environment. */
  child(): BindCtx {
    return new BindCtx(this.env, this);
  }

  cte(name: string): CteInfo | undefined {
    const x = this.ctes.get(name);
    if (x !== undefined) return x;
    return this.parent?.cte(name);
  }

  /** Resolves a schema name to its OID (3F000 if unknown). */
  schemaOid(name: string, location: number): number {
    const ns = this.env.catalog.namespaces.get(name);
    if (ns === undefined) {
      throw new DbError(SqlState.invalidSchemaName, `schema "${name}" does not exist`, {
        position: location + 1,
      });
    }
    return ns.oid;
  }

  /** Looks a relation up by (schema, name) or along the search path. */
  findRelation(schema: string | null, name: string): RelationDef | undefined {
    const cat = this.env.catalog;
    const role = this.env.role;
    if (schema !== null) {
      const ns = cat.namespaces.get(schema);
      if (ns !== undefined && role !== undefined) {
        // A qualified name needs USAGE on its schema (LookupExplicitNamespace); recorded too, so
        // a cached plan re-checks it for the role that runs it.
        if (!hasSchemaPriv(cat, ns.oid, role, "U")) {
          throw new DbError(
            SqlState.insufficientPrivilege,
            `permission denied for schema ${schema}`,
          );
        }
        notePermSchema(this.env.perms, ns.oid, schema);
      }
      return ns === undefined ? undefined : cat.relation(ns.oid, name);
    }
    for (const s of this.env.searchPath) {
      const ns = cat.namespaces.get(s);
      if (ns === undefined) continue;
      // The effective search path leaves out schemas the role may not use.
      if (role !== undefined && !hasSchemaPriv(cat, ns.oid, role, "U")) continue;
      const r = cat.relation(ns.oid, name);
      if (r !== undefined) return r;
    }
    return undefined;
  }
}
