/**
 * @module The privilege side of pg_catalog: aclitem[] columns (relacl, nspacl, attacl, datacl)
 * in PostgreSQL's text form, and the relations pg_authid (superuser only), pg_auth_members,
 * pg_default_acl and pg_shadow computed from the catalog, and information_schema's
 * table_privileges and role_table_grants.
 */
import { type AclItem, aclItemText, type Catalog, effectiveAcl } from "../catalog/mod.ts";
import type { Datum } from "../datum.ts";
import { Oid, PgArray } from "../types/mod.ts";
import type { EngineContext } from "./functions.ts";

type Col = [string, number];
type Producer = (cat: Catalog, ctx: EngineContext) => Datum[][];

/** An ACL as the text[] of its aclitems, null for a NULL acl (the default). */
export function aclArray(cat: Catalog, acl: readonly AclItem[] | null | undefined): PgArray | null {
  if (!acl) return null;
  return PgArray.of(acl.map((it) => aclItemText(it, (o) => cat.roleByOid(o)?.name ?? `${o}`)));
}

/** A role's own settings in every database (pg_roles.rolconfig), or null. */
export function roleConfig(cat: Catalog, role: number): PgArray | null {
  const row = cat.all("db_role_setting").find((st) => st.database === 0 && st.role === role);
  return row ? PgArray.of(row.config) : null;
}

const O = Oid.oid;
const N = Oid.name;
const B = Oid.bool;
const T = Oid.text;

/** The columns of pg_shadow and pg_user (which shows the password as ********). */
export const userViewCols: Col[] = [
  ["usename", N],
  ["usesysid", O],
  ["usecreatedb", B],
  ["usesuper", B],
  ["userepl", B],
  ["usebypassrls", B],
  ["passwd", T],
  ["valuntil", Oid.timestamptz],
  ["useconfig", Oid.textArray],
];

/** pg_authid, pg_auth_members, pg_default_acl, pg_shadow. */
export const privilegeTables: Record<string, { cols: Col[]; rows: Producer }> = {
  pg_authid: {
    cols: [
      ["oid", O],
      ["rolname", N],
      ["rolsuper", B],
      ["rolinherit", B],
      ["rolcreaterole", B],
      ["rolcreatedb", B],
      ["rolcanlogin", B],
      ["rolreplication", B],
      ["rolbypassrls", B],
      ["rolconnlimit", Oid.int4],
      ["rolpassword", T],
      ["rolvaliduntil", Oid.timestamptz],
    ],
    rows: (cat) =>
      cat.all("role").map((r) => [
        r.oid,
        r.name,
        r.superuser,
        r.inherit,
        r.createRole,
        r.createDb,
        r.login,
        r.superuser && r.oid === 10,
        r.bypassRls,
        r.connLimit ?? -1,
        r.password,
        r.validUntil ? BigInt(r.validUntil) : null,
      ]),
  },
  pg_auth_members: {
    cols: [["oid", O], ["roleid", O], ["member", O], ["grantor", O], ["admin_option", B]],
    rows: (cat) => cat.all("auth_member").map((m) => [m.oid, m.role, m.member, m.grantor, m.admin]),
  },
  pg_default_acl: {
    cols: [["oid", O], ["defaclrole", O], ["defaclnamespace", O], ["defaclobjtype", Oid.char], [
      "defaclacl",
      Oid.aclitemArray,
    ]],
    rows: (cat) =>
      cat.all("default_acl").map((
        d,
      ) => [d.oid, d.role, d.schema, d.objType, aclArray(cat, d.acl)]),
  },
  pg_shadow: {
    cols: userViewCols,
    rows: (cat) =>
      cat.all("role").filter((r) => r.login).map((r) => [
        r.name,
        r.oid,
        r.createDb,
        r.superuser,
        r.superuser && r.oid === 10,
        r.bypassRls,
        r.password,
        r.validUntil ? BigInt(r.validUntil) : null,
        roleConfig(cat, r.oid),
      ]),
  },
  pg_db_role_setting: {
    cols: [["setdatabase", O], ["setrole", O], ["setconfig", Oid.textArray]],
    rows: (cat) =>
      cat.all("db_role_setting").map((st) => [st.database, st.role, PgArray.of(st.config)]),
  },
};

const privilegeTypes: [string, string][] = [
  ["a", "INSERT"],
  ["r", "SELECT"],
  ["w", "UPDATE"],
  ["d", "DELETE"],
  ["D", "TRUNCATE"],
  ["x", "REFERENCES"],
  ["t", "TRIGGER"],
];

/** information_schema.table_privileges rows; `rolesOnly` for role_table_grants (no PUBLIC). */
function tablePrivilegeRows(cat: Catalog, ctx: EngineContext, rolesOnly: boolean): Datum[][] {
  const me = cat.roles.get(ctx.currentUser())?.oid ?? 0;
  const out: Datum[][] = [];
  for (const r of cat.all("relation")) {
    if (r.kind !== "r" && r.kind !== "v") continue;
    const acl = effectiveAcl(r.acl, "table", r.owner);
    for (const it of acl) {
      const mine = cat.roleHasPrivsOf(me, it.grantor) ||
        (it.grantee !== 0 && cat.roleHasPrivsOf(me, it.grantee));
      if (!mine && (rolesOnly || it.grantee !== 0)) continue;
      for (const [letter, type] of privilegeTypes) {
        if (!it.privs.includes(letter)) continue;
        const grantable = it.options.includes(letter) ||
          (it.grantee !== 0 && cat.roleHasPrivsOf(it.grantee, r.owner));
        out.push([
          cat.roleByOid(it.grantor)?.name ?? null,
          it.grantee === 0 ? "PUBLIC" : cat.roleByOid(it.grantee)?.name ?? null,
          ctx.databaseName,
          cat.schemaName(r.schema),
          r.name,
          type,
          grantable ? "YES" : "NO",
          type === "SELECT" ? "YES" : "NO",
        ]);
      }
    }
  }
  return out;
}

const tablePrivilegeCols: Col[] = [
  ["grantor", N],
  ["grantee", N],
  ["table_catalog", N],
  ["table_schema", N],
  ["table_name", N],
  ["privilege_type", Oid.varchar],
  ["is_grantable", Oid.varchar],
  ["with_hierarchy", Oid.varchar],
];

/** information_schema.table_privileges and role_table_grants. */
export const infoSchemaPrivilegeTables: Record<string, { cols: Col[]; rows: Producer }> = {
  table_privileges: {
    cols: tablePrivilegeCols,
    rows: (cat, ctx) => tablePrivilegeRows(cat, ctx, false),
  },
  role_table_grants: {
    cols: tablePrivilegeCols,
    rows: (cat, ctx) => tablePrivilegeRows(cat, ctx, true),
  },
};
