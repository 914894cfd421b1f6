/**
 * @module Row-level security in the binder: the policies db/rewrite selects are bound over the
 * table's row and become a filter under the scan's consumers (security quals, evaluated before
 * the query's own conditions) or WITH CHECK options of a modify step. Views check policies as
 * their owner unless `security_invoker`; a policy that reaches its own table again is 42P17.
 */
import type { RelationDef } from "../catalog/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { Expr } from "../sql/mod.ts";
import type { BExpr, PlanNode, RlsCheck } from "../plan/mod.ts";
import { checkOptions, type PolicyCommand, rlsApplies, securityQuals } from "../rewrite/mod.ts";
import { Oid } from "../types/mod.ts";
import { BindCtx } from "./context.ts";
import { bindBool } from "./expr.ts";
import { mk } from "./build.ts";
import { tableItem } from "./scope.ts";

/** What binding needs to apply policies: the role they are checked for, and its state. */
export interface RlsState {
  /** The role whose policies apply: the current role, or a view's owner while its query binds. */
  roleOid: number;
  /** The row_security setting (off: a query RLS would filter fails with 42501). */
  rowSecurity: boolean;
  /** Tables whose policy expressions are being bound (recursion detection). */
  expanding: number[];
  /** The statement's own role: a security_invoker view checks it, even inside another view. */
  invokerOid: number;
}

/** Whether policies of `rel` apply to this statement's role. */
export function rlsActive(c: BindCtx, rel: RelationDef): boolean {
  const s = c.env.rls;
  if (s === undefined) return false;
  return rlsApplies(c.env.catalog, rel, s.roleOid, s.rowSecurity);
}

/** Binds policy expressions over `rel`'s row (plus the hidden row id when `rowId`). */
function bindOver(c: BindCtx, rel: RelationDef, exprs: Expr[], rowId: boolean): BExpr[] {
  const s = c.env.rls!;
  if (s.expanding.includes(rel.oid)) {
    throw new DbError(
      SqlState.invalidObjectDefinition,
      `infinite recursion detected in policy for relation "${rel.name}"`,
    );
  }
  s.expanding.push(rel.oid);
  try {
    const pc = new BindCtx(c.env, null);
    pc.clause = "policy expressions";
    const cols = tableItem(rel).cols;
    if (rowId) {
      cols.push({ name: "ctid", type: Oid.int4, typmod: -1, tableOid: 0, attnum: 0, hidden: true });
    }
    pc.scope.add({ alias: rel.name, offset: 0, cols });
    const seen = new Set<Expr>();
    const out: BExpr[] = [];
    for (const e of exprs) {
      // The same policy reached through two commands (ALL for UPDATE and SELECT) binds once.
      if (seen.has(e)) continue;
      seen.add(e);
      out.push(bindBool(pc, e, "POLICY"));
    }
    return out;
  } finally {
    s.expanding.pop();
  }
}

function andOf(list: BExpr[]): BExpr {
  return list.length === 1 ? list[0]! : { k: "and", type: Oid.bool, typmod: -1, args: list };
}

/**
 * Adds the security quals of `cmds` (in order) over a scan of `rel`: a filter whose columns are
 * the scan's. `node` unchanged when RLS does not apply.
 */
export function applyReadPolicies(
  c: BindCtx,
  rel: RelationDef,
  node: PlanNode,
  cmds: PolicyCommand[],
  rowId = false,
): PlanNode {
  if (!rlsActive(c, rel)) return node;
  const role = c.env.rls!.roleOid;
  const exprs = cmds.flatMap((cmd) => securityQuals(c.env.catalog, rel, cmd, role));
  const quals = bindOver(c, rel, exprs, rowId);
  return mk({ op: "filter", input: node, cond: andOf(quals), cols: node.cols });
}

/** The WITH CHECK options of `cmd`'s policies over `rel`'s new row, tagged with their kind. */
export function bindChecks(
  c: BindCtx,
  rel: RelationDef,
  cmd: PolicyCommand,
  kind: RlsCheck["kind"],
  forceUsing: boolean,
): RlsCheck[] {
  const role = c.env.rls!.roleOid;
  const opts = checkOptions(c.env.catalog, rel, cmd, role, forceUsing);
  const bound = bindOver(c, rel, opts.map((o) => o.expr), false);
  // bindOver drops repeated expressions; re-pair by position of first occurrence.
  const out: RlsCheck[] = [];
  const firsts: typeof opts = [];
  const seen = new Set<Expr>();
  for (const o of opts) {
    if (seen.has(o.expr)) continue;
    seen.add(o.expr);
    firsts.push(o);
  }
  firsts.forEach((o, i) => out.push({ kind, policy: o.policy, expr: bound[i]! }));
  return out;
}

/**
 * Binds a view's query as the role its policies are checked for: the view's owner, unless the
 * view is `security_invoker`, whose tables are checked as the statement's own role even inside
 * another view (PostgreSQL leaves their checkAsUser unset).
 */
export function asViewOwner<T>(c: BindCtx, view: RelationDef, f: () => T): T {
  const s = c.env.rls;
  if (s === undefined) return f();
  const invoker = (view.options ?? []).some((o) => /^security_invoker=(true|on|1|yes)$/i.test(o));
  const saved = s.roleOid;
  s.roleOid = invoker ? s.invokerOid : view.owner;
  try {
    return f();
  } finally {
    s.roleOid = saved;
  }
}

/**
 * The WITH CHECK options of an INSERT or UPDATE of `rel` (get_row_security_policies): the
 * command's own checks, SELECT policies' USING when the statement reads the table (RETURNING,
 * columns in WHERE or SET), and for INSERT … ON CONFLICT DO UPDATE the UPDATE policies' USING
 * on the existing row and their WITH CHECK on the updated one. Undefined when RLS does not apply.
 */
export function modifyChecks(
  c: BindCtx,
  rel: RelationDef,
  cmd: "insert" | "update",
  readsTable: boolean,
  conflictUpdate: boolean,
): RlsCheck[] | undefined {
  if (!rlsActive(c, rel)) return undefined;
  const out = bindChecks(c, rel, cmd, cmd, false);
  if (readsTable) out.push(...bindChecks(c, rel, "select", cmd, true));
  if (cmd === "insert" && conflictUpdate) {
    out.push(...bindChecks(c, rel, "update", "conflict", true));
    if (readsTable) out.push(...bindChecks(c, rel, "select", "conflict", true));
    out.push(...bindChecks(c, rel, "update", "update", false));
    if (readsTable) out.push(...bindChecks(c, rel, "select", "update", true));
  }
  return out;
}

/** Puts the security quals of an UPDATE or DELETE over its target scan (the leftmost leaf). */
export function securedTarget(
  c: BindCtx,
  rel: RelationDef,
  source: PlanNode,
  target: PlanNode,
  cmd: "update" | "delete",
  readsTable: boolean,
): PlanNode {
  const cmds: PolicyCommand[] = readsTable ? [cmd, "select"] : [cmd];
  const secured = applyReadPolicies(c, rel, target, cmds, true);
  if (secured === target) return source;
  const swap = (n: PlanNode): PlanNode => {
    if (n === target) return secured;
    if (n.op === "filter") return { ...n, input: swap(n.input) };
    if (n.op === "join") return { ...n, left: swap(n.left) };
    return n;
  };
  return swap(source);
}

/**
 * The view an INSERT/UPDATE/DELETE names, if its target is an automatically updatable view:
 * the base table's policies are then checked as the view's owner (unless security_invoker).
 */
export function targetView(
  c: BindCtx,
  schema: string | null,
  name: string,
): RelationDef | undefined {
  const rel = c.findRelation(schema, name);
  return rel?.kind === "v" ? rel : undefined;
}

/** Runs `f` as the owner of `view` for policy purposes; just `f` when there is no view. */
export function asTargetOwner<T>(c: BindCtx, view: RelationDef | undefined, f: () => T): T {
  return view === undefined ? f() : asViewOwner(c, view, f);
}
