/**
 * @module Policies as dependent catalog objects: their stored SQL text names tables with their
 * schema (bound at creation, not by a later search_path), follows RENAME of a table or column it
 * uses, and blocks DROP COLUMN / DROP TABLE of what it uses unless CASCADE (which drops the
 * policy), with PostgreSQL's messages.
 */
import type { Catalog, PolicyDef, RelationDef } from "../catalog/mod.ts";
import { bindPolicyExpr } from "../analyze/mod.ts";
import { policyExpr, resolveRangeVar, walkPolicyRefs } from "../rewrite/mod.ts";
import { type Expr, printExpr, type Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { PolicyDdl } from "./policy.ts";

type AlterTable = Extract<Statement, { kind: "alter_table" }>;
type Rename = Extract<Statement, { kind: "rename" }>;
type Drop = Extract<Statement, { kind: "drop" }>;

/** The text a policy expression is stored as: tables in its subqueries schema-qualified. */
export function storedText(cat: Catalog, searchPath: string[], rel: RelationDef, e: Expr): string {
  const copy = structuredClone(e);
  walkPolicyRefs(cat, searchPath, rel, copy, {
    relation(rv, r) {
      if (rv.schema === null && r !== undefined) rv.schema = cat.schemaName(r.schema);
    },
  });
  return printExpr(copy);
}

/** Whether a policy's expressions use `column` of `table` (or the table itself if no column). */
function uses(cat: Catalog, p: PolicyDef, table: number, column: string | null): boolean {
  const rel = cat.relationByOid(p.table);
  if (rel === undefined) return false;
  let hit = false;
  for (const text of [p.using, p.withCheck]) {
    if (text === null) continue;
    walkPolicyRefs(cat, [], rel, policyExpr(text), {
      relation(_rv, r) {
        if (column === null && r?.oid === table) hit = true;
      },
      column(_ref, entry, c) {
        if (column !== null && entry.rel?.oid === table && c === column) hit = true;
      },
    });
  }
  return hit;
}

function dependents(d: PolicyDdl, table: number, column: string | null): PolicyDef[] {
  const cat = d.catalog();
  return cat.all("policy").filter((p) =>
    (column === null ? p.table !== table : true) && uses(cat, p, table, column)
  );
}

function blocked(
  d: PolicyDdl,
  what: string,
  deps: PolicyDef[],
  on: string,
  cascade: boolean,
): void {
  const cat = d.catalog();
  const name = (p: PolicyDef) => `policy ${p.name} on table ${cat.relationByOid(p.table)?.name}`;
  if (deps.length === 0) return;
  if (!cascade) {
    throw new DbError(
      SqlState.dependentObjectsStillExist,
      `cannot drop ${what} because other objects depend on it`,
      {
        detail: deps.map((p) => `${name(p)} depends on ${on}`).join("\n"),
        hint: "Use DROP ... CASCADE to drop the dependent objects too.",
      },
    );
  }
  for (const p of deps) {
    d.notice?.(`drop cascades to ${name(p)}`);
    d.store.remove(d.txn, p.oid);
  }
}

/** ALTER TABLE … DROP COLUMN: policies using the column block it (or go, with CASCADE). */
export function beforeAlterTable(d: PolicyDdl, s: AlterTable): void {
  const rel = resolveRangeVar(d.catalog(), d.env().searchPath, s.relation);
  if (rel === undefined || rel.kind !== "r") return;
  for (const cmd of s.commands) {
    if (cmd.kind !== "drop_column") continue;
    const deps = dependents(d, rel.oid, cmd.name);
    blocked(
      d,
      `column ${cmd.name} of table ${rel.name}`,
      deps,
      `column ${cmd.name} of table ${rel.name}`,
      cmd.behavior === "cascade",
    );
  }
}

/** DROP TABLE: policies of other tables whose subqueries read it block it (or go). */
export function beforeDrop(d: PolicyDdl, s: Drop): void {
  if (s.objectType !== "table") return;
  const cat = d.catalog();
  for (const names of s.objects) {
    const rv = {
      schema: names.length > 1 ? names[names.length - 2]! : null,
      name: names[names.length - 1]!,
    };
    const rel = resolveRangeVar(cat, d.env().searchPath, rv);
    if (rel === undefined || rel.kind !== "r") continue;
    const deps = dependents(d, rel.oid, null);
    blocked(d, `table ${rel.name}`, deps, `table ${rel.name}`, s.behavior === "cascade");
  }
}

/**
 * RENAME of a table or column: the new texts of the policies that name it, computed before the
 * rename (against the old names); the returned function stores them after it.
 */
export function beforeRename(d: PolicyDdl, s: Rename): () => void {
  if (s.relation === null || (s.objectType !== "column" && s.objectType !== "table")) {
    return () => {};
  }
  const cat = d.catalog();
  const rel = resolveRangeVar(cat, d.env().searchPath, s.relation);
  if (rel === undefined || rel.kind !== "r") return () => {};
  const oldName = s.objectType === "column" ? s.subname! : rel.name;
  const changed: { p: PolicyDef; using: string | null; withCheck: string | null }[] = [];
  for (const p of cat.all("policy")) {
    const owner = cat.relationByOid(p.table);
    if (owner === undefined) continue;
    let touched = false;
    const rewrite = (text: string | null): string | null => {
      if (text === null) return null;
      const e = structuredClone(policyExpr(text));
      walkPolicyRefs(cat, [], owner, e, {
        relation(rv, r) {
          if (s.objectType === "table" && r?.oid === rel.oid) {
            rv.name = s.newName;
            touched = true;
          }
        },
        column(ref, entry, c) {
          if (entry.rel?.oid !== rel.oid) return;
          if (s.objectType === "column" && c === oldName) {
            ref.names[ref.names.length - 1] = s.newName;
            touched = true;
          }
          // A qualifier that is the table's own name (no alias) follows a table rename.
          const implicit = entry.rv === null || entry.rv.alias === null;
          if (s.objectType === "table" && ref.names.length === 2 && implicit) {
            ref.names[0] = s.newName;
            touched = true;
          }
        },
      });
      return printExpr(e);
    };
    const using = rewrite(p.using);
    const withCheck = rewrite(p.withCheck);
    if (touched) changed.push({ p, using, withCheck });
  }
  return () => {
    for (const { p, using, withCheck } of changed) {
      const owner = d.catalog().relationByOid(p.table)!;
      const env = d.env();
      d.store.put(d.txn, {
        ...p,
        using,
        withCheck,
        usingDisplay: using === null ? null : bindPolicyExpr(env, owner, policyExpr(using)),
        withCheckDisplay: withCheck === null
          ? null
          : bindPolicyExpr(env, owner, policyExpr(withCheck)),
      });
    }
  };
}
