/**
 * @module GRANT and REVOKE of privileges on tables (and columns), views, sequences, schemas,
 * databases and functions (targets in function_grants.ts), ON ALL … IN SCHEMA, WITH GRANT
 * OPTION and cascading REVOKE, as PostgreSQL 15's aclchk.c does them (the grantor is the owner when a superuser or owner grants).
 */
import {
  type AclItem,
  aclMask,
  aclMerge,
  type AclObjectKind,
  allRights,
  type Catalog,
  effectiveAcl,
  isSuperuser,
  normalizePrivs,
  objectMask,
  ownsObject,
  privilegeByName,
  type RelationDef,
} from "../catalog/mod.ts";
import type { RoleSpec, Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { relationWord } from "./owners.ts";
import { analyze } from "../analyze/mod.ts";
import { type RoleDdl, roleSpecOid } from "./roles.ts";
import { functionTargets } from "./function_grants.ts";

/** GRANT or REVOKE of privileges on objects. */
export type GrantStmt = Extract<Statement, { kind: "grant" }>;

/** An object GRANT can change: its ACL kind, name, owner, ACL, and how to store a new ACL. */
export interface Target {
  kind: AclObjectKind;
  word: string;
  name: string;
  owner: number;
  acl: AclItem[] | null | undefined;
  rel?: RelationDef;
  save(acl: AclItem[], cols?: Map<number, AclItem[]>): void;
}

function denied(message: string): DbError {
  return new DbError(SqlState.insufficientPrivilege, message);
}

function targets(d: RoleDdl, s: GrantStmt): Target[] {
  const cat = d.catalog();
  const out: Target[] = [];
  const relTarget = (rel: RelationDef): Target => ({
    kind: rel.kind === "S" ? "sequence" : "table",
    word: relationWord(rel),
    name: rel.name,
    owner: rel.owner,
    acl: rel.acl,
    rel,
    save: (acl, cols) => {
      const cur = d.catalog().relationByOid(rel.oid)!;
      const next: RelationDef = JSON.parse(JSON.stringify(cur));
      next.acl = acl;
      for (const [attnum, cacl] of cols ?? []) {
        const c = next.columns.find((x) => x.attnum === attnum)!;
        c.acl = cacl.length > 0 ? cacl : null;
      }
      d.store.put(d.txn, next);
    },
  });
  if (s.objectType === "table" || s.objectType === "sequence") {
    if (s.allInSchema) {
      for (const [name] of s.objects) {
        const ns = cat.namespaces.get(name!);
        if (ns === undefined) {
          throw new DbError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
        }
        const kinds = s.objectType === "table" ? ["r", "v"] : ["S"];
        const rels = cat.all("relation").filter((r) =>
          r.schema === ns.oid && kinds.includes(r.kind)
        )
          .sort((a, b) => a.oid - b.oid);
        out.push(...rels.map(relTarget));
      }
      return out;
    }
    const env = d.env();
    for (const names of s.objects) {
      const name = names[names.length - 1]!;
      const schema = names.length > 1 ? names[names.length - 2]! : null;
      const rel = analyze.findRelation(env, schema, name);
      if (rel === undefined || rel.kind === "i") {
        throw new DbError(SqlState.undefinedTable, `relation "${names.join(".")}" does not exist`);
      }
      if (s.objectType === "sequence" && rel.kind !== "S") {
        throw new DbError(SqlState.wrongObjectType, `"${rel.name}" is not a sequence`);
      }
      out.push(relTarget(rel));
    }
    return out;
  }
  if (s.objectType === "schema") {
    for (const [name] of s.objects) {
      const ns = cat.namespaces.get(name!);
      if (ns === undefined) {
        throw new DbError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
      }
      out.push({
        kind: "schema",
        word: "schema",
        name: ns.name,
        owner: ns.owner,
        acl: ns.acl,
        save: (acl) => d.store.put(d.txn, { ...d.catalog().namespaceByOid(ns.oid)!, acl }),
      });
    }
    return out;
  }
  if (s.objectType === "database") {
    for (const [name] of s.objects) {
      const db = cat.databases.get(name!);
      if (db === undefined) {
        throw new DbError(SqlState.invalidCatalogName, `database "${name}" does not exist`);
      }
      out.push({
        kind: "database",
        word: "database",
        name: db.name,
        owner: db.owner,
        acl: db.acl,
        save: (acl) => {
          const cur = d.catalog().byOid.get(db.oid);
          if (cur?.objKind === "database") d.store.put(d.txn, { ...cur, acl });
        },
      });
    }
    return out;
  }
  if (s.objectType === "function" || s.objectType === "procedure" || s.objectType === "routine") {
    return functionTargets(d, s);
  }
  throw new DbError(
    SqlState.featureNotSupported,
    `GRANT and REVOKE on ${s.objectType}s are not supported yet`,
  );
}

/** The privilege letters a GRANT names for an object kind (0LP01 for one it does not have). */
function requestedPrivs(
  s: GrantStmt,
  kind: AclObjectKind,
  t: Target,
  d: RoleDdl,
): { table: string; columns: Map<string, string> } {
  const columns = new Map<string, string>();
  if (s.privileges === null) return { table: allRights[kind], columns };
  let table = "";
  const objWord = s.objectType === "table" && kind === "sequence" ? "sequence" : s.objectType;
  for (const p of s.privileges) {
    const letter = privilegeByName[p.name.toLowerCase()];
    const upper = p.name.toUpperCase();
    if (p.columns.length > 0) {
      if (letter === undefined || !"arwx".includes(letter)) {
        throw new DbError(
          SqlState.invalidGrantOperation,
          `invalid privilege type ${upper} for column`,
        );
      }
      for (const c of p.columns) columns.set(c, (columns.get(c) ?? "") + letter);
      continue;
    }
    if (letter === undefined || !allRights[kind].includes(letter)) {
      if (kind === "sequence" && s.objectType === "table" && letter !== undefined) {
        d.warning(`sequence "${t.name}" only supports USAGE, SELECT, and UPDATE privileges`);
        continue;
      }
      throw new DbError(
        SqlState.invalidGrantOperation,
        `invalid privilege type ${upper} for ${objWord}`,
      );
    }
    table += letter;
  }
  return { table: normalizePrivs(table), columns };
}

/**
 * The grantor for a GRANT/REVOKE by `role` on `t` (select_best_grantor): the owner when `role`
 * is a superuser or has the owner's privileges, else `role` itself or a role it inherits from,
 * whichever holds the most of the wanted grant options.
 */
function bestGrantor(cat: Catalog, role: number, t: Target, want: string): {
  grantor: number;
  options: string;
} {
  if (isSuperuser(cat, role) || ownsObject(cat, role, t.owner)) {
    return { grantor: t.owner, options: allRights[t.kind] };
  }
  const acl = effectiveAcl(t.acl, t.kind, t.owner);
  const candidates = [role, ...new Set(acl.map((a) => a.grantee))].filter((g) =>
    g !== 0 && cat.roleHasPrivsOf(role, g)
  );
  let best = { grantor: role, options: "" };
  for (const g of candidates) {
    const m = aclMask(cat, acl, t.owner, g, allRights[t.kind]);
    const got = [...want].filter((ch) => m.options.includes(ch)).length;
    const had = [...want].filter((ch) => best.options.includes(ch)).length;
    if (got > had) best = { grantor: g, options: m.options };
  }
  return best;
}

/** Revokes from `grantee` and, where it passed the options on, from those it granted to. */
function revokeCascade(
  acl: AclItem[],
  grantee: number,
  grantor: number,
  privs: string,
  optionOnly: boolean,
  cascade: boolean,
): AclItem[] {
  let out = aclMerge(acl, { grantee, grantor, privs, grantOption: optionOnly }, true);
  if (grantee === 0) return out;
  const stillHas = out.filter((a) => a.grantee === grantee).map((a) => a.options).join("");
  const lost = [...privs].filter((ch) => !stillHas.includes(ch)).join("");
  for (const dep of out.filter((a) => a.grantor === grantee && a.grantee !== grantee)) {
    const affected = [...dep.privs].filter((ch) => lost.includes(ch)).join("");
    if (affected === "") continue;
    if (!cascade) {
      throw new DbError(
        SqlState.dependentObjectsStillExist,
        "dependent privileges exist",
        { hint: "Use CASCADE to revoke them too." },
      );
    }
    out = revokeCascade(out, dep.grantee, grantee, affected, false, true);
  }
  return out;
}

function granteeOids(d: RoleDdl, specs: RoleSpec[]): number[] {
  return specs.map((g) => roleSpecOid(d.catalog(), g, d, true));
}

/** GRANT / REVOKE privileges ON objects TO / FROM roles. */
export function grantPrivileges(d: RoleDdl, s: GrantStmt): string {
  const grantees = granteeOids(d, s.grantees);
  for (const t of targets(d, s)) {
    const cat = d.catalog();
    const req = requestedPrivs(s, t.kind, t, d);
    const wantAll = req.table + [...req.columns.values()].join("");
    const { grantor, options } = bestGrantor(cat, d.roleOid, t, wantAll);
    const allowed = (p: string) => [...p].filter((ch) => options.includes(ch)).join("");
    const table = allowed(req.table);
    if (normalizePrivs(allowed(wantAll)) !== normalizePrivs(wantAll)) {
      const any = objectMask(cat, t.kind, t, d.roleOid).privs !== "" ||
        (t.rel?.columns.some((c) =>
          c.acl && aclMask(cat, c.acl, t.owner, d.roleOid, "arwx").privs !== ""
        ) ?? false);
      if (!any) throw denied(`permission denied for ${t.word} ${t.name}`);
      const none = allowed(wantAll) === "";
      d.warning(
        s.isGrant
          ? `${none ? "no privileges were" : "not all privileges were"} granted for "${t.name}"`
          : `${
            none ? "no privileges could" : "not all privileges could"
          } be revoked for "${t.name}"`,
      );
    }
    let acl = effectiveAcl(t.acl, t.kind, t.owner);
    const cols = new Map<number, AclItem[]>();
    for (const g of grantees) {
      if (table !== "") {
        acl = s.isGrant
          ? aclMerge(acl, { grantee: g, grantor, privs: table, grantOption: s.grantOption }, false)
          : revokeCascade(acl, g, grantor, table, s.grantOption, s.behavior === "cascade");
      }
      // A table-level REVOKE takes the same privileges off every column too (aclchk.c).
      const colPrivs = [...table].filter((ch) => "arwx".includes(ch)).join("");
      if (!s.isGrant && colPrivs !== "" && t.rel) {
        for (const col of t.rel.columns) {
          const cur = cols.get(col.attnum) ?? col.acl;
          if (!cur || cur.length === 0) continue;
          const change = { grantee: g, grantor, privs: colPrivs, grantOption: s.grantOption };
          cols.set(col.attnum, aclMerge(cur, change, true));
        }
      }
      for (const [name, privs] of req.columns) {
        const col = t.rel?.columns.find((c) => c.name === name && !c.dropped);
        if (col === undefined) {
          throw new DbError(
            SqlState.undefinedColumn,
            `column "${name}" of relation "${t.name}" does not exist`,
          );
        }
        const p = allowed(normalizePrivs(privs));
        if (p === "") continue;
        const cur = cols.get(col.attnum) ?? [...(col.acl ?? [])];
        cols.set(
          col.attnum,
          s.isGrant
            ? aclMerge(cur, { grantee: g, grantor, privs: p, grantOption: s.grantOption }, false)
            : aclMerge(cur, { grantee: g, grantor, privs: p, grantOption: s.grantOption }, true),
        );
      }
    }
    t.save(acl, cols);
  }
  return s.isGrant ? "GRANT" : "REVOKE";
}
