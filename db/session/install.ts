/**
 * @module Wires the SQL layer into the storage core's Database without editing it: the
 * `db.connect(opts)` method of the session API, and the catalog's index-spec resolver as the
 * default of `Database.open` (so recovery rebuilds SQL indexes with type-aware comparators).
 */
import { Catalog, type RelationDef, resolveIndexSpec } from "../catalog/mod.ts";
import { type BindEnv, bindTableExpr } from "../analyze/mod.ts";
import type { Datum } from "../datum.ts";
import { compile, Env } from "../exec/mod.ts";
import type { IndexDescriptor, IndexSpec, TableDef } from "../storage/mod.ts";
import { Database, type DatabaseOptions, type Transaction } from "../txn/mod.ts";
import { defaultEvalContext } from "../types/mod.ts";
import { connect, type ConnectOptions, type Session } from "./session.ts";

declare module "../txn/database.ts" {
  interface Database {
    /** Opens a SQL session (see db/session). */
    connect(opts: ConnectOptions): Promise<Session>;
  }
}

Database.prototype.connect = function (this: Database, opts: ConnectOptions): Promise<Session> {
  return connect(this, opts);
};

/** Index descriptors with expression keys: the expressions are bound and compiled here. */
function resolveWithExpressions(descriptor: IndexDescriptor, table: TableDef): IndexSpec {
  const exprs = descriptor.exprs;
  if (descriptor.kind !== "sql" || !Array.isArray(exprs)) {
    return resolveIndexSpec(descriptor, table);
  }
  const base = resolveIndexSpec(descriptor, table);
  const names = descriptor.colNames as string[];
  const types = descriptor.colTypes as number[];
  const rel: RelationDef = {
    objKind: "relation",
    oid: table.id,
    kind: "r",
    schema: 0,
    name: table.name,
    owner: 0,
    columns: names.map((name, i) => ({
      name,
      attnum: i + 1,
      type: types[i]!,
      typmod: -1,
      notNull: false,
      default: null,
      identity: "",
      dropped: false,
    })),
  };
  const ctx = defaultEvalContext();
  const env: BindEnv = {
    catalog: new Catalog([], 0),
    searchPath: [],
    paramTypes: [],
    ctx,
    nextCteId: 1,
    text: "",
  };
  const cols = (descriptor.columns as number[]).map(Number);
  const fns = (exprs as (string | null)[]).map((text, i) => {
    if (text === null) {
      const c = cols[i]!;
      return (row: Datum[]) => row[c] ?? null;
    }
    const f = compile(bindTableExpr(env, rel, text, false));
    const run = new Env(null as unknown as Transaction, ctx, []);
    return (row: Datum[]) => f(row, run);
  });
  return { key: (row) => fns.map((f) => f(row)), compare: base.compare };
}

const open = Database.open.bind(Database);
Database.open = (dir: string, options: DatabaseOptions = {}) =>
  open(dir, { resolveIndexSpec: resolveWithExpressions, ...options });
