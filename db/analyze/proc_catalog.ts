/**
 * @module The functions pg_proc lists — the built-ins of db/types and the aggregates in
 * pg_catalog, the session functions of db/analyze (current_setting …) and the SQL-text functions
 * (auth.uid() …) — with their identities, OIDs and ACLs (pg_proc.proacl, kept as `function_acl`
 * catalog rows), and the pg_proc row a resolved call runs. Look-ups by name are in
 * proc_lookup.ts.
 */
import {
  type AclItem,
  type Catalog,
  objectMask,
  type PrivMask,
  WellKnown,
} from "../catalog/mod.ts";
import { allAggregates, allFunctions, resolveAggregate } from "../types/mod.ts";
import { sqlFunctionOid, sqlFunctions } from "./sql_functions.ts";
import { engineOnlyFunctions } from "./functions.ts";

/** One pg_proc row as privileges see it. */
export interface ProcEntry {
  oid: number;
  /** The schema's name (pg_catalog for built-ins). */
  schema: string;
  name: string;
  /** Declared argument types (pg_proc.proargtypes). */
  args: readonly number[];
  /** How many trailing arguments have defaults (a shorter call still means this function). */
  nDefaults: number;
  /** The identity the ACL is stored under: `schema.name(argtype oids)`. */
  key: string;
  /** Result type and set-returning flag (0 when not known here: the SQL-text functions). */
  result: number;
  retset: boolean;
  /** pg_proc.prokind: "f" function, "a" aggregate. */
  kind: "f" | "a";
  /** Parameter names (pg_proc.proargnames), and whether the last one is VARIADIC. */
  argNames?: readonly string[];
  variadic: boolean;
}

/**
 * The pg_proc OID of session-aware function number `i` of db/analyze's registry (after the
 * built-ins of db/types at 20000 + i).
 */
export function engineProcOid(i: number): number {
  return 30000 + i;
}

/** The pg_proc OID of aggregate number `i` of db/types' registry. */
export function aggregateProcOid(i: number): number {
  return 40000 + i;
}

/** The pg_proc row of the aggregate a call of `name` over `argTypes` resolves to. */
export function procForAggregate(name: string, argTypes: number[]): ProcEntry | undefined {
  let args: readonly number[];
  try {
    args = resolveAggregate(name, argTypes).def.args;
  } catch {
    return undefined;
  }
  return procsNamed(name).find((p) =>
    p.kind === "a" && p.args.length === args.length && p.args.every((t, i) => t === args[i])
  );
}

/** pg_proc.proowner of every function BKG-DB has: the bootstrap superuser. */
export const procOwner = WellKnown.postgresRole;

let entries: ProcEntry[] | null = null;
let byOid: Map<number, ProcEntry> | null = null;
let byName: Map<string, ProcEntry[]> | null = null;

function entry(
  oid: number,
  schema: string,
  name: string,
  args: readonly number[],
  more: Partial<ProcEntry> = {},
): ProcEntry {
  const key = `${schema}.${name}(${args.join(",")})`;
  return {
    oid,
    schema,
    name,
    args,
    nDefaults: 0,
    key,
    result: 0,
    retset: false,
    variadic: false,
    ...more,
    kind: more.kind ?? "f",
  };
}

/** Every function pg_proc lists, in pg_proc's order (built once, after all registrations). */
export function procEntries(): readonly ProcEntry[] {
  if (entries !== null) return entries;
  entries = allFunctions().map((f, i) =>
    entry(20000 + i, "pg_catalog", f.name, f.args, {
      nDefaults: f.nDefaults ?? 0,
      result: f.result,
      retset: f.retset,
      argNames: f.argNames,
      variadic: f.variadic !== 0,
    })
  );
  sqlFunctions().forEach((f, i) => entries!.push(entry(sqlFunctionOid(i), f.schema, f.name, [])));
  allAggregates().forEach((a, i) =>
    entries!.push(entry(aggregateProcOid(i), "pg_catalog", a.name, a.args, {
      result: a.result,
      variadic: a.variadic !== 0,
      kind: "a",
    }))
  );
  engineOnlyFunctions().forEach((f, i) =>
    entries!.push(entry(engineProcOid(i), "pg_catalog", f.name, f.args, { result: f.result }))
  );
  byOid = new Map(entries.map((p) => [p.oid, p]));
  byName = new Map();
  for (const p of entries) {
    const list = byName.get(p.name);
    if (list === undefined) byName.set(p.name, [p]);
    else list.push(p);
  }
  return entries;
}

/** The function with pg_proc OID `oid`. */
export function procByOid(oid: number): ProcEntry | undefined {
  procEntries();
  return byOid!.get(oid);
}

/** Every function named `name`, in any schema. */
export function procsNamed(name: string): readonly ProcEntry[] {
  procEntries();
  return byName!.get(name) ?? [];
}

/**
 * The pg_proc row a resolved call of `name` with declared types `args` runs: the row with
 * exactly these types, else the one whose trailing defaults fill the missing arguments.
 */
export function procForCall(
  name: string,
  args: readonly number[],
  schema = "pg_catalog",
): ProcEntry | undefined {
  const list = procsNamed(name).filter((p) => p.schema === schema);
  const same = (p: ProcEntry, n: number) => args.every((t, i) => i < n && p.args[i] === t);
  return list.find((p) => p.args.length === args.length && same(p, args.length)) ??
    list.find((p) =>
      p.args.length > args.length && p.args.length - p.nDefaults <= args.length &&
      same(p, args.length)
    );
}

/**
 * The pg_proc row of a set-returning function in FROM, called with resolved types `args`: the
 * exact row, else the only row of that name and arity (a polymorphic one, unnest(anyarray)).
 */
export function procForSrf(name: string, args: readonly number[]): ProcEntry | undefined {
  const same = procsNamed(name).filter((p) =>
    p.schema === "pg_catalog" && p.args.length === args.length
  );
  return procForCall(name, args) ?? (same.length === 1 ? same[0] : undefined);
}

/** The function's ACL (null: the default, EXECUTE for PUBLIC and the owner). */
export function procAcl(cat: Catalog, p: ProcEntry): AclItem[] | null {
  return cat.functionAcl(p.key)?.acl ?? null;
}

/** What `role` holds on function `p` (superusers: everything). */
export function procMask(cat: Catalog, p: ProcEntry, role: number): PrivMask {
  return objectMask(cat, "function", { owner: procOwner, acl: procAcl(cat, p) }, role);
}
