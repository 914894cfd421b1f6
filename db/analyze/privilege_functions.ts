/**
 * @module The privilege inquiry functions (has_table_privilege, has_column_privilege,
 * has_schema_privilege, has_sequence_privilege, has_database_privilege, has_function_privilege
 * (ACLs of proc_catalog.ts), pg_has_role) with every overload by name and OID, answered from the catalog as PostgreSQL's
 * acl.c does: a privilege list like 'SELECT, UPDATE WITH GRANT OPTION' is true if any holds.
 */
import {
  type Catalog,
  hasColumnPriv,
  objectMask,
  relationAclKind,
  type RelationDef,
} from "../catalog/mod.ts";
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { type EvalContext, Oid } from "../types/mod.ts";
import { defineEngineFunction as def, type EngineContext } from "./functions.ts";
import { procByOid, procMask } from "./proc_catalog.ts";
import { procByText } from "./proc_lookup.ts";

const T = Oid.text;
const O = Oid.oid;
const B = Oid.bool;
const eng = (ctx: EvalContext) => ctx as EngineContext;

/** Parses 'select, update with grant option' into (letter, needs grant option) pairs. */
function parsePrivs(text: string, allowed: Record<string, string>): [string, boolean][] {
  return text.split(",").map((part) => {
    const p = part.trim().toLowerCase().replace(/\s+/g, " ");
    const withGrant = p.endsWith(" with grant option");
    const name = withGrant ? p.slice(0, -" with grant option".length).trim() : p;
    const letter = allowed[name];
    if (letter === undefined) {
      throw new DbError(
        SqlState.invalidParameterValue,
        `unrecognized privilege type: "${part.trim()}"`,
      );
    }
    return [letter, withGrant];
  });
}

const tablePrivs: Record<string, string> = {
  select: "r",
  insert: "a",
  update: "w",
  delete: "d",
  truncate: "D",
  references: "x",
  trigger: "t",
};
const columnPrivs: Record<string, string> = {
  select: "r",
  insert: "a",
  update: "w",
  references: "x",
};
const sequencePrivs: Record<string, string> = { usage: "U", select: "r", update: "w" };
const schemaPrivs: Record<string, string> = { usage: "U", create: "C" };
const databasePrivs: Record<string, string> = {
  create: "C",
  connect: "c",
  temporary: "T",
  temp: "T",
};

function roleOf(cat: Catalog, ctx: EvalContext, arg: Datum | undefined, byOid: boolean): number {
  if (arg === undefined) return cat.roles.get(ctx.currentUser())?.oid ?? 0;
  if (byOid) return Number(arg);
  const name = String(arg);
  if (name === "public") return 0;
  const r = cat.roles.get(name);
  if (r === undefined) throw new DbError(SqlState.undefinedObject, `role "${name}" does not exist`);
  return r.oid;
}

function relationOf(cat: Catalog, ctx: EvalContext, arg: Datum, byOid: boolean): RelationDef {
  const oid = byOid ? Number(arg) : eng(ctx).lookupRelation?.(String(arg));
  const rel = oid === undefined ? undefined : cat.relationByOid(oid);
  if (rel === undefined) {
    throw new DbError(SqlState.undefinedTable, `relation "${String(arg)}" does not exist`);
  }
  return rel;
}

function holds(mask: { privs: string; options: string }, want: [string, boolean][]): boolean {
  return want.some(([p, g]) => (g ? mask.options : mask.privs).includes(p));
}

type Answer = (
  cat: Catalog,
  ctx: EvalContext,
  role: number,
  args: Datum[],
  objByOid: boolean,
) => boolean;

/** Registers the 2-argument (current user) and 3-argument (name or OID user) overloads. */
function overloads(name: string, objTypes: number[], answer: Answer, middle: number[] = []): void {
  for (const ot of objTypes) {
    const byOid = ot === O;
    const objArgs = [ot, ...middle];
    def(name, [...objArgs, T], B, (a, ctx) => {
      const cat = eng(ctx).catalogNow();
      return answer(cat, ctx, roleOf(cat, ctx, undefined, false), a as Datum[], byOid);
    });
    for (const ut of [T, O]) {
      def(name, [ut, ...objArgs, T], B, (a, ctx) => {
        const cat = eng(ctx).catalogNow();
        const role = roleOf(cat, ctx, a[0]!, ut === O);
        return answer(cat, ctx, role, (a as Datum[]).slice(1), byOid);
      });
    }
  }
}

overloads("has_table_privilege", [T, O], (cat, ctx, role, [obj, priv], byOid) => {
  const rel = relationOf(cat, ctx, obj!, byOid);
  const want = parsePrivs(String(priv), tablePrivs);
  return holds(objectMask(cat, relationAclKind(rel), rel, role), want);
});

for (const colType of [T, Oid.int2]) {
  overloads("has_column_privilege", [T, O], (cat, ctx, role, [obj, col, priv], byOid) => {
    const rel = relationOf(cat, ctx, obj!, byOid);
    const c = colType === T
      ? rel.columns.find((x) => x.name === String(col) && !x.dropped)
      : rel.columns.find((x) => x.attnum === Number(col) && !x.dropped);
    if (c === undefined) {
      if (colType !== T) return null as unknown as boolean;
      throw new DbError(
        SqlState.undefinedColumn,
        `column "${String(col)}" of relation "${rel.name}" does not exist`,
      );
    }
    const want = parsePrivs(String(priv), columnPrivs);
    return want.some(([p]) => hasColumnPriv(cat, rel, c.attnum, role, p));
  }, [colType]);
}

overloads("has_sequence_privilege", [T, O], (cat, ctx, role, [obj, priv], byOid) => {
  const rel = relationOf(cat, ctx, obj!, byOid);
  if (rel.kind !== "S") {
    throw new DbError(SqlState.wrongObjectType, `"${rel.name}" is not a sequence`);
  }
  return holds(objectMask(cat, "sequence", rel, role), parsePrivs(String(priv), sequencePrivs));
});

overloads("has_schema_privilege", [T, O], (cat, _ctx, role, [obj, priv], byOid) => {
  const ns = byOid ? cat.namespaceByOid(Number(obj)) : cat.namespaces.get(String(obj));
  if (ns === undefined) {
    if (byOid) return null as unknown as boolean;
    throw new DbError(SqlState.invalidSchemaName, `schema "${String(obj)}" does not exist`);
  }
  return holds(objectMask(cat, "schema", ns, role), parsePrivs(String(priv), schemaPrivs));
});

overloads("has_database_privilege", [T, O], (cat, _ctx, role, [obj, priv], byOid) => {
  const db = byOid
    ? cat.all("database").find((d) => d.oid === Number(obj))
    : cat.databases.get(String(obj));
  if (db === undefined) {
    if (byOid) return null as unknown as boolean;
    throw new DbError(SqlState.invalidCatalogName, `database "${String(obj)}" does not exist`);
  }
  return holds(objectMask(cat, "database", db, role), parsePrivs(String(priv), databasePrivs));
});

overloads("has_function_privilege", [T, O], (cat, ctx, role, [obj, priv], byOid) => {
  const p = byOid ? procByOid(Number(obj)) : procByText(cat, String(obj), eng(ctx).searchPath());
  if (p === undefined) return null as unknown as boolean;
  return holds(procMask(cat, p, role), parsePrivs(String(priv), { execute: "X" }));
});

overloads("pg_has_role", [T, O], (cat, _ctx, role, [obj, priv], byOid) => {
  const target = byOid ? Number(obj) : cat.roles.get(String(obj))?.oid;
  if (target === undefined) {
    throw new DbError(SqlState.undefinedObject, `role "${String(obj)}" does not exist`);
  }
  const want = parsePrivs(String(priv), { member: "m", usage: "u", set: "m" });
  return want.some(([p, admin]) => {
    if (admin) {
      if (cat.roleByOid(role)?.superuser) return true;
      return cat.membershipsOf(role).some((m) => m.role === target && m.admin);
    }
    return p === "m"
      ? cat.roleIsMemberOf(role, target) || cat.roleHasPrivsOf(role, target)
      : cat.roleHasPrivsOf(role, target);
  });
});
