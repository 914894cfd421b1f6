/**
 * @module Policy DDL as PostgreSQL's policy.c: CREATE POLICY, ALTER POLICY (roles, USING, WITH
 * CHECK, RENAME TO) and DROP POLICY, with its checks (the table's owner only, tables only, which
 * clauses each command allows, boolean expressions, no aggregates) and its messages.
 */
import type { Datum } from "../datum.ts";
import { hasRelationPriv, type PolicyDef, type RelationDef } from "../catalog/mod.ts";
import { type BindEnv, bindPolicyExpr, bindRowPolicies, type RlsState } from "../analyze/mod.ts";
import { compile, type Env } from "../exec/mod.ts";
import type { EvalContext } from "../types/mod.ts";
import type { Settings } from "./settings.ts";
import { storedText } from "./policy_lifecycle.ts";
import type { Expr, RoleSpec, Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { DdlContext } from "./ddl.ts";

type CreatePolicy = Extract<Statement, { kind: "create_policy" }>;
type AlterPolicy = Extract<Statement, { kind: "alter_policy" }>;
type DropPolicy = Extract<Statement, { kind: "drop_policy" }>;
type RenamePolicy = Extract<Statement, { kind: "rename" }>;

/** What policy DDL needs beyond DDL's context: who runs it. */
export interface PolicyDdl extends DdlContext {
  /** The current role (ownership checks, CURRENT_USER in TO). */
  roleOid: number;
  /** The session user (SESSION_USER in TO). */
  sessionRoleOid: number;
  warning?: (message: string, hint: string) => void;
}

const commandChars: Record<CreatePolicy["command"], PolicyDef["command"]> = {
  all: "*",
  select: "r",
  insert: "a",
  update: "w",
  delete: "d",
};

function table(d: PolicyDdl, rv: CreatePolicy["table"]): RelationDef {
  const rel = findRel(d, rv);
  if (rel.kind !== "r") {
    throw new DbError(SqlState.wrongObjectType, `"${rel.name}" is not a table`);
  }
  return rel;
}

function findRel(d: PolicyDdl, rv: CreatePolicy["table"]): RelationDef {
  const env = d.env();
  const cat = d.catalog();
  let rel: RelationDef | undefined;
  if (rv.schema !== null) {
    const ns = cat.namespaces.get(rv.schema);
    rel = ns === undefined ? undefined : cat.relation(ns.oid, rv.name);
  } else {
    for (const s of env.searchPath) {
      const ns = cat.namespaces.get(s);
      rel = ns === undefined ? undefined : cat.relation(ns.oid, rv.name);
      if (rel !== undefined) break;
    }
  }
  if (rel === undefined) {
    const name = rv.schema ? `${rv.schema}.${rv.name}` : rv.name;
    throw new DbError(SqlState.undefinedTable, `relation "${name}" does not exist`);
  }
  return rel;
}

function mustOwn(d: PolicyDdl, rel: RelationDef, kind: "table" | "relation"): void {
  if (!d.catalog().roleHasPrivsOf(d.roleOid, rel.owner)) {
    throw new DbError(SqlState.insufficientPrivilege, `must be owner of ${kind} ${rel.name}`);
  }
}

function roleOids(d: PolicyDdl, specs: RoleSpec[]): number[] {
  if (specs.length === 0) return [0];
  const cat = d.catalog();
  const out: number[] = [];
  for (const r of specs) {
    if (r.type === "public") {
      if (specs.length > 1) {
        d.warning?.(
          "ignoring specified roles other than PUBLIC",
          "All roles are members of the PUBLIC role.",
        );
      }
      return [0];
    }
    const oid = r.type === "name"
      ? cat.roles.get(r.name!)?.oid
      : r.type === "session_user"
      ? d.sessionRoleOid
      : d.roleOid;
    if (oid === undefined) {
      throw new DbError(SqlState.undefinedObject, `role "${r.name}" does not exist`);
    }
    if (!out.includes(oid)) out.push(oid);
  }
  return out;
}

/** Validates an expression over the table; its stored text and pg_get_expr's text. */
function expr(d: PolicyDdl, rel: RelationDef, e: Expr | null): [string | null, string | null] {
  if (e === null) return [null, null];
  const env = d.env();
  const display = bindPolicyExpr(env, rel, e);
  return [storedText(d.catalog(), env.searchPath, rel, e), display];
}

function checkClauses(
  cmd: PolicyDef["command"],
  using: boolean,
  withCheck: boolean,
  alter: boolean,
) {
  if (cmd === "a" && using) {
    throw new DbError(SqlState.syntaxError, "only WITH CHECK expression allowed for INSERT");
  }
  if ((cmd === "r" || cmd === "d") && withCheck) {
    throw new DbError(
      SqlState.syntaxError,
      alter
        ? "only USING expression allowed for SELECT, DELETE"
        : "WITH CHECK cannot be applied to SELECT or DELETE",
    );
  }
}

/** CREATE POLICY. */
export function createPolicy(d: PolicyDdl, s: CreatePolicy): string {
  const command = commandChars[s.command];
  checkClauses(command, s.using !== null, s.withCheck !== null, false);
  const rel = table(d, s.table);
  mustOwn(d, rel, "table");
  const roles = roleOids(d, s.roles);
  if (d.catalog().policiesOf(rel.oid).some((p) => p.name === s.name)) {
    throw new DbError(
      SqlState.duplicateObject,
      `policy "${s.name}" for table "${rel.name}" already exists`,
    );
  }
  const [using, usingDisplay] = expr(d, rel, s.using);
  const [withCheck, withCheckDisplay] = expr(d, rel, s.withCheck);
  d.store.put(d.txn, {
    objKind: "policy",
    oid: d.store.allocateOid(d.txn),
    name: s.name,
    table: rel.oid,
    command,
    permissive: s.permissive,
    roles,
    using,
    withCheck,
    usingDisplay,
    withCheckDisplay,
    seq: nextSeq(d),
  });
  return "CREATE POLICY";
}

/** The next write order of a policy row (see PolicyDef.seq). */
function nextSeq(d: PolicyDdl): number {
  let max = 0;
  for (const p of d.catalog().all("policy")) max = Math.max(max, p.seq ?? 0);
  return max + 1;
}

function existing(d: PolicyDdl, rel: RelationDef, name: string): PolicyDef {
  const p = d.catalog().policiesOf(rel.oid).find((x) => x.name === name);
  if (p === undefined) {
    throw new DbError(
      SqlState.undefinedObject,
      `policy "${name}" for table "${rel.name}" does not exist`,
    );
  }
  return p;
}

/** ALTER POLICY … [TO roles] [USING (…)] [WITH CHECK (…)]. */
export function alterPolicy(d: PolicyDdl, s: AlterPolicy): string {
  const rel = table(d, s.table);
  mustOwn(d, rel, "table");
  const p = { ...existing(d, rel, s.name) };
  checkClauses(p.command, s.using !== null, s.withCheck !== null, true);
  if (s.roles !== null) p.roles = roleOids(d, s.roles);
  if (s.using !== null) [p.using, p.usingDisplay] = expr(d, rel, s.using);
  if (s.withCheck !== null) [p.withCheck, p.withCheckDisplay] = expr(d, rel, s.withCheck);
  p.seq = nextSeq(d);
  d.store.put(d.txn, p);
  return "ALTER POLICY";
}

/** ALTER POLICY name ON t RENAME TO new. */
export function renamePolicy(d: PolicyDdl, s: RenamePolicy): string {
  const rel = table(d, s.relation!);
  mustOwn(d, rel, "table");
  const p = existing(d, rel, s.subname!);
  if (d.catalog().policiesOf(rel.oid).some((x) => x.name === s.newName)) {
    throw new DbError(
      SqlState.duplicateObject,
      `policy "${s.newName}" for table "${rel.name}" already exists`,
    );
  }
  d.store.put(d.txn, { ...p, name: s.newName, seq: nextSeq(d) });
  return "ALTER POLICY";
}

/** DROP POLICY [IF EXISTS] name ON t. */
export function dropPolicy(d: PolicyDdl, s: DropPolicy): string {
  const rel = findRel(d, s.table);
  const p = d.catalog().policiesOf(rel.oid).find((x) => x.name === s.name);
  if (p === undefined) {
    if (s.ifExists) {
      d.notice?.(`policy "${s.name}" for relation "${rel.name}" does not exist, skipping`);
      return "DROP POLICY";
    }
    throw new DbError(
      SqlState.undefinedObject,
      `policy "${s.name}" for table "${rel.name}" does not exist`,
    );
  }
  mustOwn(d, rel, "relation");
  d.store.remove(d.txn, p.oid);
  return "DROP POLICY";
}

/** Runs CREATE, ALTER or DROP POLICY. */
export function policyStatement(d: PolicyDdl, s: CreatePolicy | AlterPolicy | DropPolicy): string {
  switch (s.kind) {
    case "create_policy":
      return createPolicy(d, s);
    case "alter_policy":
      return alterPolicy(d, s);
    case "drop_policy":
      return dropPolicy(d, s);
  }
}

/** The binder's RLS state for a statement run by `roleOid` under these settings. */
export function rlsState(roleOid: number, settings: Settings): RlsState {
  const v = (settings.get("row_security") ?? "on").toLowerCase();
  return {
    roleOid,
    rowSecurity: !["off", "false", "0", "no"].includes(v),
    expanding: [],
    invokerOid: roleOid,
  };
}

/** Session.rowPredicate's core: SELECT privilege, then the SELECT policies compiled. */
export function rowPredicate(
  env: BindEnv,
  tableOid: number,
  ctx: EvalContext,
): (row: Datum[], env: Env) => boolean {
  const cat = env.catalog;
  const rel = cat.relationByOid(tableOid);
  if (rel === undefined || rel.kind !== "r") {
    throw new DbError(SqlState.undefinedTable, `relation with OID ${tableOid} does not exist`);
  }
  const role = env.rls!.roleOid;
  if (!hasRelationPriv(cat, rel, role, "r")) {
    throw new DbError(SqlState.insufficientPrivilege, `permission denied for table ${rel.name}`);
  }
  const cond = bindRowPolicies(env, rel);
  if (cond === null) return () => true;
  const f = compile(cond);
  void ctx;
  return (row, e) => f(row, e) === true;
}
