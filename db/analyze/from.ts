/**
 * @module Binding FROM: tables (and views, expanded by db/rewrite), CTE references,
 * subqueries, set-returning functions, and joins (INNER/LEFT/RIGHT/FULL/CROSS, ON, USING,
 * NATURAL, LATERAL). Each item becomes a plan and a scope item at an offset of the level's row.
 */
import { type RelationDef, WellKnown } from "../catalog/mod.ts";
import type { FromItem, JoinExpr, RangeFunction, RangeVar } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { BExpr, JoinType, PlanNode } from "../plan/mod.ts";
import { Oid } from "../types/mod.ts";
import { expandView } from "../rewrite/mod.ts";
import { BindCtx } from "./context.ts";
import { bindBool, bindExpr, bindOp } from "./expr.ts";
import { coerce, commonType } from "./coerce.ts";
import { mapExpr, mk, shiftCols, walkExpr } from "./build.ts";
import { Scope, type ScopeCol, type ScopeItem } from "./scope.ts";
import { bindQuery } from "./select.ts";
import { resolveSrf, type SrfDef } from "./srf.ts";
import { zipFunctionScans } from "./rows_from.ts";
import { positionalArgs } from "./named_args.ts";
import { setCandidates } from "./functions.ts";
import { procForSrf } from "./proc_catalog.ts";
import { resolvePolymorphic, selectCandidate } from "./resolve.ts";
import type { Datum } from "../datum.ts";
import type { EvalContext } from "../types/mod.ts";
import { systemRelation } from "./system_tables.ts";
import { bindAsViewOwner, notePermFunction, notePermRelation } from "./permissions.ts";
import { applyReadPolicies, asViewOwner } from "./rls.ts";

/** Binds the FROM list into one plan (comma items cross-joined); fills `c.scope`. */
export function bindFromList(c: BindCtx, items: FromItem[]): PlanNode {
  let plan: PlanNode | null = null;
  for (const item of items) {
    const { node, item: si } = bindFromItem(c, item, c.scope.width);
    checkAliases(c.scope, si, item.location);
    c.scope.add(si);
    plan = plan === null ? node : crossJoin(plan, node, isLateral(node));
  }
  return plan ?? mk({ op: "result", cols: [] });
}

function checkAliases(scope: Scope, add: ScopeItem, location: number): void {
  const leaves = (i: ScopeItem): ScopeItem[] => i.children ? i.children.flatMap(leaves) : [i];
  const existing = new Set(scope.leaves().map((i) => i.alias));
  const seen = new Set<string>();
  for (const leaf of leaves(add)) {
    if (leaf.alias === "") continue;
    if (existing.has(leaf.alias) || seen.has(leaf.alias)) {
      throw new DbError(
        SqlState.duplicateAlias,
        `table name "${leaf.alias}" specified more than once`,
        {
          position: location + 1,
        },
      );
    }
    seen.add(leaf.alias);
  }
}

function isLateral(n: PlanNode): boolean {
  return (n.op === "subquery_scan" || n.op === "function_scan") && n.lateral;
}

function crossJoin(left: PlanNode, right: PlanNode, lateral: boolean): PlanNode {
  return mk({
    op: "join",
    method: "nestloop",
    type: "inner",
    left,
    right,
    cond: null,
    leftKeys: [],
    rightKeys: [],
    hashCond: [],
    lateral,
    cols: [...left.cols, ...right.cols],
  });
}

/** Binds one FROM item whose columns start at `offset`. */
export function bindFromItem(
  c: BindCtx,
  f: FromItem,
  offset: number,
): { node: PlanNode; item: ScopeItem } {
  switch (f.kind) {
    case "range_var":
      return bindRangeVar(c, f, offset, false);
    case "range_subselect": {
      const child = c.child();
      // Without LATERAL, the subquery must not see this level's FROM items.
      const saved = c.scope;
      if (!f.lateral) c.scope = new Scope(saved.parent);
      let q: PlanNode;
      try {
        q = bindQuery(child, f.query);
      } catch (err) {
        if (
          !f.lateral && err instanceof DbError &&
          (err.code === SqlState.undefinedColumn || err.code === SqlState.undefinedTable)
        ) {
          c.scope = saved;
          const retry = c.child();
          try {
            bindQuery(retry, f.query);
          } catch {
            throw err;
          }
          const alias = /for table "([^"]+)"/.exec(err.message)?.[1] ??
            saved.leaves().map((i) => i.alias).find((a) => err.message.includes(`${a}.`)) ?? "";
          throw new DbError(
            SqlState.undefinedTable,
            `invalid reference to FROM-clause entry for table "${alias}"`,
            {
              position: err.fields.position,
              hint:
                `There is an entry for table "${alias}", but it cannot be referenced from this part of the query.`,
            },
          );
        }
        throw err;
      } finally {
        c.scope = saved;
      }
      if (f.alias === null) {
        throw new DbError(SqlState.syntaxError, "subquery in FROM must have an alias", {
          position: f.location + 1,
          hint: "For example, FROM (SELECT ...) [AS] foo.",
        });
      }
      const cols = renameCols(q.cols.map((o) => ({ ...o })), f.alias.columns);
      const node = mk({
        op: "subquery_scan",
        input: q,
        alias: f.alias.name,
        lateral: child.correlated,
        cols: cols.map((x) => ({ ...x })),
      });
      return { node, item: { alias: f.alias.name, offset, cols } };
    }
    case "range_function":
      return bindRangeFunction(c, f, offset);
    case "join":
      return bindJoin(c, f, offset);
  }
}

function renameCols<T extends { name: string }>(cols: T[], names: string[]): T[] {
  names.forEach((n, i) => {
    if (cols[i]) cols[i]!.name = n;
  });
  return cols;
}

/** Binds a table, view or CTE reference. `rowId` appends a hidden row-id column (DML). */
export function bindRangeVar(
  c: BindCtx,
  f: RangeVar,
  offset: number,
  rowId: boolean,
): { node: PlanNode; item: ScopeItem; rel?: RelationDef } {
  const alias = f.alias?.name ?? f.name;
  if (f.schema === null) {
    const cte = c.cte(f.name);
    if (cte !== undefined) {
      const cols: ScopeCol[] = renameCols(cte.cols.map((o) => ({ ...o })), f.alias?.columns ?? []);
      const node: PlanNode = cte.plan === null
        ? mk({
          op: "worktable_scan",
          cteId: cte.id,
          name: f.name,
          cols: cols.map((x) => ({ ...x })),
        })
        : mk({
          op: "cte_scan",
          cteId: cte.id,
          name: f.name,
          plan: cte.plan,
          cols: cols.map((x) => ({ ...x })),
        });
      return { node, item: { alias, offset, cols } };
    }
  }
  const rel = c.findRelation(f.schema, f.name);
  if (rel === undefined) {
    const sys = systemRelation(c, f);
    if (sys !== undefined) {
      if (f.name === "pg_authid") {
        notePermRelation(c.env.perms, { oid: WellKnown.pgAuthid, name: f.name }, true);
      }
      const cols = renameCols(sys.cols.map((o) => ({ ...o })), f.alias?.columns ?? []);
      return { node: sys, item: { alias, offset, cols } };
    }
    const name = f.schema ? `${f.schema}.${f.name}` : f.name;
    throw new DbError(SqlState.undefinedTable, `relation "${name}" does not exist`, {
      position: f.location + 1,
    });
  }
  c.env.touched?.add(rel.oid);
  const perm = notePermRelation(c.env.perms, rel, true);
  if (rel.kind === "v") {
    const q = expandView(rel);
    const vctx = new BindCtx(c.env, null);
    const plan = asViewOwner(c, rel, () => bindAsViewOwner(c.env, rel, () => bindQuery(vctx, q)));
    const cols: ScopeCol[] = plan.cols.map((o, i) => ({
      ...o,
      name: rel.columns[i]?.name ?? o.name,
    }));
    renameCols(cols, f.alias?.columns ?? []);
    const node = mk({
      op: "subquery_scan",
      input: plan,
      alias,
      lateral: false,
      cols: cols.map((x) => ({ ...x })),
    });
    return { node, item: { alias, offset, cols, perm, permByPosition: true }, rel };
  }
  if (rel.kind !== "r") {
    throw new DbError(SqlState.wrongObjectType, `"${rel.name}" is not a table`, {
      position: f.location + 1,
    });
  }
  const cols: ScopeCol[] = rel.columns.map((col) => ({
    name: col.name,
    type: col.type,
    typmod: col.typmod,
    tableOid: rel.oid,
    attnum: col.attnum,
    hidden: col.dropped,
  }));
  renameCols(cols.filter((x) => !x.hidden), f.alias?.columns ?? []);
  if (rowId) {
    cols.push({ name: "ctid", type: Oid.int4, typmod: -1, tableOid: 0, attnum: 0, hidden: true });
  }
  const scan = mk({
    op: "seqscan",
    rel: {
      oid: rel.oid,
      storageId: rel.oid,
      name: rel.name,
      alias,
      schema: c.env.catalog.schemaName(rel.schema),
      width: rel.columns.length,
    },
    rowId,
    filter: null,
    cols: cols.map((x) => ({ ...x })),
  });
  // A DML target's policies depend on the statement; dml.ts adds them.
  const locked = c.locking.some((l) => l.of.length === 0 || l.of.some((r) => r.name === alias));
  const node = rowId
    ? scan
    : applyReadPolicies(c, rel, scan, locked ? ["update", "select"] : ["select"]);
  return { node, item: { alias, offset, cols, perm }, rel };
}

function bindRangeFunction(
  c: BindCtx,
  f: RangeFunction,
  offset: number,
): { node: PlanNode; item: ScopeItem } {
  if (f.functions.length > 1) {
    // ROWS FROM (f1(…), f2(…)): each function bound alone, then run in lockstep.
    const parts = f.functions.map((fn) =>
      bindRangeFunction(c, { ...f, functions: [fn], alias: null, ordinality: false }, offset).node
    );
    return zipFunctionScans(parts, f, offset);
  }
  if (f.functions.length !== 1 || f.functions[0]!.kind !== "func_call") {
    throw new DbError(SqlState.featureNotSupported, "ROWS FROM is not supported", {
      position: f.location + 1,
    });
  }
  const call = f.functions[0]!;
  const name = call.name[call.name.length - 1]!;
  // Function arguments see earlier FROM items (implicitly LATERAL).
  const args = positionalArgs(call, name).map((a) => bindExpr(c, a));
  const srf = resolveSrf(name, args.map((a) => a.type)) ??
    registrySrf(name, args.map((a) => a.type));
  if (srf !== undefined) notePermFunction(c.env.perms, procForSrf(name, srf.argTypes)?.oid);
  const alias = f.alias?.name ?? name;
  let node: PlanNode;
  let cols: ScopeCol[];
  const lateral = args.some((a) => refsCols(a));
  if (srf !== undefined) {
    const typed = args.map((a, i) => coerce(c, a, srf.argTypes[i]!, -1, "implicit", call.location));
    cols = srf.types.map((t, i) => ({
      name: srf.types.length === 1
        ? (f.alias?.columns[0] ?? (srf.names?.[0] ?? alias))
        : (srf.names?.[i] ?? `col${i}`),
      type: t,
      typmod: -1,
      tableOid: 0,
      attnum: 0,
    }));
    if (f.ordinality) {
      cols.push({ name: "ordinality", type: Oid.int8, typmod: -1, tableOid: 0, attnum: 0 });
    }
    renameCols(cols, f.alias?.columns ?? []);
    node = mk({
      op: "function_scan",
      name,
      fn: srf.fn,
      args: typed.map(toOuter),
      ordinality: f.ordinality,
      lateral,
      cols: cols.map((x) => ({ ...x })),
    });
  } else {
    // A scalar function in FROM: one row, one column.
    const e = bindExpr(c, call);
    cols = [{
      name: f.alias?.columns[0] ?? alias,
      type: e.type,
      typmod: e.typmod,
      tableOid: 0,
      attnum: 0,
    }];
    if (f.ordinality) {
      cols.push({ name: "ordinality", type: Oid.int8, typmod: -1, tableOid: 0, attnum: 0 });
    }
    const ord = f.ordinality;
    const ex = toOuter(e);
    node = mk({
      op: "function_scan",
      name,
      fn: ([v]) => [[v ?? null]],
      args: [ex],
      ordinality: ord,
      lateral,
      cols: cols.map((x) => ({ ...x })),
    });
  }
  return { node, item: { alias, offset, cols, scalarFunction: cols.length === 1 } };
}

/** A set-returning function from db/types' registry. */
function registrySrf(name: string, types: number[]): SrfDef | undefined {
  const pick = selectCandidate(setCandidates(name), types);
  if (pick === undefined) return undefined;
  const def = pick.cand.def;
  const poly = resolvePolymorphic(pick.declared, types, def.result);
  const argTypes = poly.args.map((
    t,
    i,
  ) => (t === Oid.any ? (types[i] === Oid.unknown ? Oid.text : types[i]!) : t));
  const cols = def.columns;
  return {
    argTypes,
    types: cols && cols.length > 1 ? cols.map(([, t]) => t) : [poly.result],
    names: cols && cols.length > 0 ? cols.map(([n]) => n) : undefined,
    fn: (args, ctx) =>
      def.strict && args.some((a) => a === null)
        ? []
        : (def.impl as (a: Datum[], c: EvalContext, t: number[]) => Iterable<Datum[]>)(
          args,
          ctx,
          argTypes,
        ),
  };
}

/** True when `name` is a set-returning function (target-list SRFs become LATERAL items). */
export function isSetReturning(name: string): boolean {
  return name === "generate_series" || name === "unnest" || setCandidates(name).length > 0;
}

function refsCols(e: BExpr): boolean {
  let found = false;
  const walk = (x: BExpr) => {
    if (x.k === "col") found = true;
  };
  walkExpr(e, walk);
  return found;
}

// Function arguments are evaluated with the left row pushed as the outer row (level 1).
function toOuter(e: BExpr): BExpr {
  return mapCols(
    e,
    (x) => ({ k: "outer", type: x.type, typmod: x.typmod, level: 1, index: x.index, name: x.name }),
  );
}

function mapCols(e: BExpr, f: (x: Extract<BExpr, { k: "col" }>) => BExpr): BExpr {
  return mapExpr(e, (x) => {
    if (x.k === "col") return f(x);
    if (x.k === "outer") return { ...x, level: x.level + 1 };
    return undefined;
  });
}

function bindJoin(c: BindCtx, j: JoinExpr, offset: number): { node: PlanNode; item: ScopeItem } {
  const l = bindFromItem(c, j.left, offset);
  // The right side may read the left one (LATERAL): make it visible while binding.
  const saved = c.scope;
  const tmp = new Scope(saved.parent);
  for (const it of saved.items) tmp.add(it);
  tmp.add(l.item);
  c.scope = tmp;
  const r = bindFromItem(c, j.right, offset + l.item.cols.length);
  const both = new Scope(saved.parent);
  both.add(l.item);
  both.add(r.item);
  c.scope = both;
  let type: JoinType = j.type === "cross" ? "inner" : j.type;
  let cond: BExpr | null = null;
  const item: ScopeItem = {
    alias: j.alias?.name ?? "",
    offset,
    cols: [...l.item.cols, ...r.item.cols],
    children: [l.item, r.item],
  };
  let using = j.using;
  if (j.natural) {
    const rnames = new Set(r.item.cols.filter((x) => !x.hidden).map((x) => x.name));
    using = l.item.cols.filter((x) => !x.hidden && rnames.has(x.name)).map((x) => x.name);
  }
  if (using !== null && using.length > 0) {
    const conds: BExpr[] = [];
    item.merged = new Map();
    item.usingHidden = new Set(using);
    for (const name of using) {
      const le = both.lookup([l.item.alias, name], j.location) ??
        colOf(both, l.item, name, j.location);
      const re = colOf(both, r.item, name, j.location);
      conds.push(bindOp(c, "=", le, re, j.location));
      let merged: BExpr = type === "right" ? re : le;
      if (type === "full") {
        const t = commonType(c, [le, re], "JOIN/USING");
        merged = {
          k: "coalesce",
          type: t,
          typmod: -1,
          args: [
            coerce(c, le, t, -1, "implicit", j.location),
            coerce(c, re, t, -1, "implicit", j.location),
          ],
        };
      }
      item.merged.set(name, merged);
    }
    cond = conds.length === 1 ? conds[0]! : { k: "and", type: Oid.bool, typmod: -1, args: conds };
  } else if (j.on !== null) {
    cond = bindBool(c, j.on, "JOIN/ON");
  }
  c.scope = saved;
  if (j.type === "cross") type = "inner";
  const lateral = isLateral(r.node);
  const node = mk({
    op: "join",
    method: "nestloop",
    type,
    left: l.node,
    right: r.node,
    cond: cond === null ? null : shiftCols(cond, -offset),
    leftKeys: [],
    rightKeys: [],
    hashCond: [],
    lateral,
    cols: [...l.node.cols, ...r.node.cols],
  });
  if (j.alias !== null) {
    // (a JOIN b) AS x [(names)]: the join's visible columns (USING/NATURAL columns merged once)
    // projected as one item named x, renamed by the alias's column list.
    const joined = new Scope(saved.parent);
    joined.add(item);
    const vis = joined.star(null, j.location);
    const cols: ScopeCol[] = renameCols(
      vis.map((v) => ({ ...v.col, name: v.name })),
      j.alias.columns,
    );
    const proj = mk({
      op: "project",
      input: node,
      exprs: vis.map((v) => shiftCols(v.expr, -offset)),
      cols: cols.map((x) => ({
        name: x.name,
        type: x.type,
        typmod: x.typmod,
        tableOid: x.tableOid,
        attnum: x.attnum,
      })),
    });
    return { node: proj, item: { alias: j.alias.name, offset, cols } };
  }
  return { node, item };
}

function colOf(s: Scope, item: ScopeItem, name: string, location: number): BExpr {
  const leaves: ScopeItem[] = [];
  const walk = (i: ScopeItem) => i.children ? i.children.forEach(walk) : leaves.push(i);
  walk(item);
  for (const leaf of leaves) {
    const i = leaf.cols.findIndex((x) => x.name === name && !x.hidden);
    if (i >= 0) return s.colExpr(leaf, i);
  }
  throw new DbError(
    SqlState.undefinedColumn,
    `column "${name}" specified in USING clause does not exist in ${
      item === undefined ? "left" : "one"
    } table`,
    { position: location + 1 },
  );
}
