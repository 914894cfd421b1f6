/**
 * @module Row-level security as PostgreSQL's rewriter applies it (rowsecurity.c and rls.c):
 * whether RLS applies to a relation for a role (check_enable_rls), which policies apply to a
 * command and role (get_policies_for_relation), and the policy expressions that become security
 * quals (add_security_quals) and WITH CHECK options (add_with_check_options). Expressions are
 * returned as parsed SQL for the binder to bind over the table's row.
 */
import type { Catalog, PolicyDef, RelationDef } from "../catalog/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { type Expr, parseExpr } from "../sql/mod.ts";

/** The statement kinds a policy can be asked for. */
export type PolicyCommand = "select" | "insert" | "update" | "delete";

/** PostgreSQL's polcmd letter of each command. */
export const policyCommandChar: Record<PolicyCommand, PolicyDef["command"]> = {
  select: "r",
  insert: "a",
  update: "w",
  delete: "d",
};

/** A WITH CHECK option: the expression a new row must satisfy, named for restrictive policies. */
export interface PolicyCheck {
  expr: Expr;
  policy: string | null;
}

const exprCache = new Map<string, Expr>();

/** A stored policy expression, parsed once per text. */
export function policyExpr(text: string): Expr {
  let e = exprCache.get(text);
  if (e === undefined) {
    e = parseExpr(text);
    exprCache.set(text, e);
  }
  return e;
}

/** Whether a role is exempt from RLS everywhere: superusers and BYPASSRLS roles. */
export function bypassesRls(cat: Catalog, roleOid: number): boolean {
  const r = cat.roleByOid(roleOid);
  return r !== undefined && (r.superuser || r.bypassRls);
}

/**
 * Whether RLS applies to `rel` when `roleOid` reads or writes it (check_enable_rls): the table
 * has RLS enabled, the role neither bypasses RLS nor owns the table (unless FORCE). With
 * `row_security` off a query that would be filtered fails with 42501 instead.
 */
export function rlsApplies(
  cat: Catalog,
  rel: RelationDef,
  roleOid: number,
  rowSecurity: boolean,
): boolean {
  if (rel.kind !== "r" || rel.rls !== true || rel.oid < 16384) return false;
  if (bypassesRls(cat, roleOid)) return false;
  const owner = cat.roleHasPrivsOf(roleOid, rel.owner);
  if (owner && rel.forceRls !== true) return false;
  if (!rowSecurity) {
    throw new DbError(
      SqlState.insufficientPrivilege,
      `query would be affected by row-level security policy for table "${rel.name}"`,
      owner
        ? {
          hint:
            "To disable the policy for the table's owner, use ALTER TABLE NO FORCE ROW LEVEL SECURITY.",
        }
        : {},
    );
  }
  return true;
}

/** The policies of `rel` for a command that apply to the role: permissive, restrictive by name. */
export function policiesFor(
  cat: Catalog,
  rel: RelationDef,
  cmd: PolicyCommand,
  roleOid: number,
): { permissive: PolicyDef[]; restrictive: PolicyDef[] } {
  const permissive: PolicyDef[] = [];
  const restrictive: PolicyDef[] = [];
  const letter = policyCommandChar[cmd];
  // policiesOf sorts by name, which is the order PostgreSQL checks restrictive policies in.
  for (const p of cat.policiesOf(rel.oid)) {
    if (p.command !== "*" && p.command !== letter) continue;
    const forRole = p.roles.includes(0) || p.roles.some((r) => cat.roleHasPrivsOf(roleOid, r));
    if (!forRole) continue;
    (p.permissive ? permissive : restrictive).push(p);
  }
  return { permissive, restrictive };
}

const falseExpr: Expr = { kind: "boolean", value: false, location: 0 };

function orAll(list: Expr[]): Expr {
  if (list.length === 1) return list[0]!;
  return { kind: "bool", op: "or", args: list, location: 0 };
}

/**
 * The security quals of one command's policies (add_security_quals): each restrictive USING,
 * then the permissive USINGs OR'd; a single `false` when no permissive policy has a USING.
 */
export function securityQuals(
  cat: Catalog,
  rel: RelationDef,
  cmd: PolicyCommand,
  roleOid: number,
): Expr[] {
  const { permissive, restrictive } = policiesFor(cat, rel, cmd, roleOid);
  const perm = permissive.filter((p) => p.using !== null).map((p) => policyExpr(p.using!));
  if (perm.length === 0) return [falseExpr];
  const out: Expr[] = [];
  for (const p of restrictive) if (p.using !== null) out.push(policyExpr(p.using));
  out.push(orAll(perm));
  return out;
}

/**
 * The WITH CHECK options of one command's policies (add_with_check_options): one for the
 * permissive policies OR'd, one per restrictive policy (named); `forceUsing` takes USING
 * clauses only (the SELECT and ON CONFLICT checks), otherwise WITH CHECK falls back to USING.
 */
export function checkOptions(
  cat: Catalog,
  rel: RelationDef,
  cmd: PolicyCommand,
  roleOid: number,
  forceUsing: boolean,
): PolicyCheck[] {
  const { permissive, restrictive } = policiesFor(cat, rel, cmd, roleOid);
  const qualOf = (p: PolicyDef): string | null =>
    !forceUsing && p.withCheck !== null ? p.withCheck : p.using;
  const perm = permissive.map(qualOf).filter((q): q is string => q !== null).map(policyExpr);
  if (perm.length === 0) return [{ expr: falseExpr, policy: null }];
  const out: PolicyCheck[] = [{ expr: orAll(perm), policy: null }];
  for (const p of restrictive) {
    const q = qualOf(p);
    if (q !== null) out.push({ expr: policyExpr(q), policy: p.name });
  }
  return out;
}
