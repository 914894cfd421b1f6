/**
 * @module Binding queries into logical plans: SELECT (FROM, WHERE, GROUP BY with grouping sets,
 * aggregates, HAVING, window functions, target list, DISTINCT [ON], ORDER BY, LIMIT/OFFSET),
 * VALUES, set operations, WITH [RECURSIVE], and subqueries in expressions.
 */
import type {
  Expr,
  FromItem,
  FuncCall,
  GroupByItem,
  Query,
  ResTarget,
  SelectStmt,
  SortBy,
  SubLink,
  WithClause,
} from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { AggCall, BExpr, OutCol, PlanNode, SortKey, WinCall } from "../plan/mod.ts";
import { arrayOf, Oid } from "../types/mod.ts";
import { BindCtx } from "./context.ts";
import { bindBool, bindExpr, bindOp, bindSortKey } from "./expr.ts";
import { coerce, commonType } from "./coerce.ts";
import { exprKey, mapExpr, mk, outCol } from "./build.ts";
import { bindFromList, isSetReturning } from "./from.ts";
import { targetName } from "./colname.ts";
import { bindDelete, bindInsert, bindUpdate } from "./dml.ts";
import type { ScopeCol } from "./scope.ts";

/** A sibling level: same parent and CTEs (set-operation branches, CTE bodies). */
function sibling(c: BindCtx): BindCtx {
  const s = new BindCtx(c.env, c.parent);
  s.ctes = new Map(c.ctes);
  return s;
}

/** Binds a query; the plan's `cols` are its output columns. */
export function bindQuery(c: BindCtx, q: Query): PlanNode {
  if (q.with !== null) bindWith(c, q.with);
  if (q.kind === "select") return bindSelect(c, q);
  let plan = q.kind === "values" ? bindValues(c, q.rows, q.location) : bindSetOp(c, q);
  if (q.orderBy.length > 0) {
    const keys = q.orderBy.map((s) => outputSortKey(c, plan, s));
    plan = mk({ op: "sort", input: plan, keys, cols: plan.cols });
  }
  return applyLimit(c, plan, q.limit, q.offset);
}

function outputSortKey(c: BindCtx, plan: PlanNode, s: SortBy): SortKey {
  const e = s.expr;
  let idx = -1;
  if (e.kind === "integer") idx = e.value - 1;
  else if (e.kind === "column_ref" && e.names.length === 1) {
    idx = plan.cols.findIndex((x) => x.name === e.names[0]);
  }
  if (idx < 0 || idx >= plan.cols.length) {
    throw new DbError(
      SqlState.undefinedColumn,
      e.kind === "integer"
        ? `ORDER BY position ${e.value} is not in select list`
        : `column "${e.kind === "column_ref" ? e.names.join(".") : "?"}" does not exist`,
      {
        position: e.location + 1,
      },
    );
  }
  const col = plan.cols[idx]!;
  return bindSortKey(c, s, {
    k: "col",
    type: col.type,
    typmod: col.typmod,
    index: idx,
    name: col.name,
  });
}

function applyLimit(c: BindCtx, plan: PlanNode, limit: Expr | null, offset: Expr | null): PlanNode {
  if (limit === null && offset === null) return plan;
  const saved = c.clause;
  c.clause = "LIMIT";
  const lim = limit === null || limit.kind === "null"
    ? null
    : coerce(c, bindExpr(c, limit), Oid.int8, -1, "implicit", limit.location);
  c.clause = "OFFSET";
  const off = offset === null
    ? null
    : coerce(c, bindExpr(c, offset), Oid.int8, -1, "implicit", offset.location);
  c.clause = saved;
  if (lim === null && off === null) return plan;
  return mk({ op: "limit", input: plan, limit: lim, offset: off, cols: plan.cols });
}

/** Binds a WITH clause into CTEs visible at this level. */
export function bindWith(c: BindCtx, w: WithClause): void {
  const seen = new Set<string>();
  for (const cte of w.ctes) {
    if (seen.has(cte.name)) {
      throw new DbError(
        SqlState.duplicateAlias,
        `WITH query name "${cte.name}" specified more than once`,
        {
          position: cte.location + 1,
        },
      );
    }
    seen.add(cte.name);
    if (cte.query.kind === "insert" || cte.query.kind === "update" || cte.query.kind === "delete") {
      const dq = cte.query;
      const s = sibling(c);
      const plan = dq.kind === "insert"
        ? bindInsert(s, dq)
        : dq.kind === "update"
        ? bindUpdate(s, dq)
        : bindDelete(s, dq);
      const id = c.env.nextCteId++;
      (c.env.dmlCtes ??= []).push({ id, plan });
      const cols = renamed(plan.returningCols, cte.columns);
      c.ctes.set(cte.name, {
        id,
        name: cte.name,
        cols,
        plan: mk({ op: "values", rows: [], cols }),
        recursive: false,
      });
      continue;
    }
    const q = cte.query;
    const id = c.env.nextCteId++;
    if (w.recursive && q.kind === "set_operation" && refersTo(q.left, cte.name)) {
      throw new DbError(
        SqlState.invalidRecursion,
        `recursive reference to query "${cte.name}" must not appear within its non-recursive term`,
        {
          position: cte.location + 1,
        },
      );
    }
    if (
      w.recursive && q.kind === "set_operation" && q.op === "union" && refersTo(q.right, cte.name)
    ) {
      const s = sibling(c);
      const base = bindQuery(s, q.left);
      const cols = renamed(base.cols, cte.columns);
      const info = { id, name: cte.name, cols, plan: null as PlanNode | null, recursive: true };
      c.ctes.set(cte.name, info);
      const s2 = sibling(c);
      let step = bindQuery(s2, q.right);
      if (step.cols.length !== cols.length) {
        throw new DbError(
          SqlState.syntaxError,
          "each UNION query must have the same number of columns",
          {
            position: q.right.location + 1,
          },
        );
      }
      step = castTo(c, step, cols.map((x) => x.type), q.location);
      if (s.correlated || s2.correlated) c.correlated = true;
      info.plan = mk({ op: "recursive", cteId: id, base, step, all: q.all, cols });
      continue;
    }
    const s = sibling(c);
    const plan = bindQuery(s, q);
    if (s.correlated) c.correlated = true;
    c.ctes.set(cte.name, {
      id,
      name: cte.name,
      cols: renamed(plan.cols, cte.columns),
      plan,
      recursive: false,
    });
  }
}

function renamed(cols: OutCol[], names: string[]): OutCol[] {
  return cols.map((x, i) => ({ ...x, name: names[i] ?? x.name }));
}

function refersTo(q: Query, name: string): boolean {
  return JSON.stringify(q).includes(`"name":"${name}"`);
}

function bindValues(c: BindCtx, rows: Expr[][], location: number): PlanNode {
  const bound = rows.map((r) => r.map((e) => bindExpr(c, e)));
  const n = bound[0]?.length ?? 0;
  for (let i = 0; i < bound.length; i++) {
    if (bound[i]!.length !== n) {
      throw new DbError(SqlState.syntaxError, "VALUES lists must all be the same length", {
        position: (rows[i]![0]?.location ?? location) + 1,
      });
    }
  }
  const types: number[] = [];
  for (let i = 0; i < n; i++) {
    types.push(commonType(c, bound.map((r) => r[i]!), "VALUES", rows.map((r) => r[i]!.location)));
  }
  const typed = bound.map((r, ri) =>
    r.map((e, i) => coerce(c, e, types[i]!, -1, "implicit", rows[ri]![i]!.location))
  );
  const cols = types.map((t, i) => ({
    name: `column${i + 1}`,
    type: t,
    typmod: -1,
    tableOid: 0,
    attnum: 0,
  }));
  return mk({ op: "values", rows: typed, cols });
}

function castTo(c: BindCtx, plan: PlanNode, types: number[], location: number): PlanNode {
  if (plan.cols.every((x, i) => x.type === types[i])) return plan;
  const exprs = plan.cols.map((x, i) =>
    coerce(
      c,
      { k: "col", type: x.type, typmod: x.typmod, index: i, name: x.name },
      types[i]!,
      -1,
      "implicit",
      location,
    )
  );
  return mk({
    op: "project",
    input: plan,
    exprs,
    cols: plan.cols.map((x, i) => ({ ...x, type: types[i]!, typmod: -1 })),
  });
}

function bindSetOp(c: BindCtx, q: Extract<Query, { kind: "set_operation" }>): PlanNode {
  const ls = sibling(c);
  const rs = sibling(c);
  ls.keepUnknown = true;
  rs.keepUnknown = true;
  let left = bindQuery(ls, q.left);
  let right = bindQuery(rs, q.right);
  if (ls.correlated || rs.correlated) c.correlated = true;
  const name = q.op.toUpperCase();
  if (left.cols.length !== right.cols.length) {
    throw new DbError(
      SqlState.syntaxError,
      `each ${name} query must have the same number of columns`,
      {
        position: (q.right.kind === "select"
          ? (q.right.targets[0]?.location ?? q.right.location)
          : q.right.location) + 1,
      },
    );
  }
  const types = left.cols.map((lc, i) => {
    const rc = right.cols[i]!;
    const le: BExpr = { k: "const", type: lc.type, typmod: -1, value: null };
    const re: BExpr = { k: "const", type: rc.type, typmod: -1, value: null };
    return commonType(c, [le, re], name, [q.left.location, q.right.location]);
  });
  left = castTo(c, left, types, q.location);
  right = castTo(c, right, types, q.location);
  const cols = left.cols.map((x, i) => ({ ...x, type: types[i]!, tableOid: 0, attnum: 0 }));
  return mk({ op: "setop", kind: q.op, all: q.all, left, right, cols });
}

interface Target {
  name: string;
  expr: BExpr;
  src?: ScopeCol;
}

/**
 * A scalar subquery under casts and COLLATE is named by its bound first column, as PostgreSQL's
 * FigureColname reads the transformed subquery (`(SELECT * FROM s)::text` names s's column).
 */
function boundSubqueryName(e: Expr, b: BExpr): string | undefined {
  while (e.kind === "type_cast" || e.kind === "collate") e = e.arg;
  if (e.kind !== "sublink" || e.type !== "expr") return undefined;
  while (b.k === "cast") b = b.arg;
  return b.k === "sublink" && b.sub === "expr" ? b.plan.cols[0]?.name : undefined;
}

function scopeColAt(c: BindCtx, index: number): ScopeCol | undefined {
  for (const leaf of c.scope.leaves()) {
    if (index >= leaf.offset && index < leaf.offset + leaf.cols.length) {
      return leaf.cols[index - leaf.offset];
    }
  }
  return undefined;
}

function bindTargets(c: BindCtx, targets: ResTarget[]): Target[] {
  const out: Target[] = [];
  for (const t of targets) {
    const e = t.expr;
    if (e.kind === "column_ref" && e.star) {
      const alias = e.names.length > 0 ? e.names[e.names.length - 1]! : null;
      for (const s of c.scope.star(alias, e.location)) {
        out.push({ name: s.name, expr: s.expr, src: s.col });
      }
      continue;
    }
    const b = bindExpr(c, e);
    const expr = b.type === Oid.unknown && !(c.keepUnknown && b.k === "const")
      ? coerce(c, b, Oid.text, -1, "implicit", e.location)
      : b;
    const subName = t.alias === null ? boundSubqueryName(e, b) : undefined;
    out.push({
      name: subName ?? targetName(t),
      expr,
      src: expr.k === "col" ? scopeColAt(c, expr.index) : undefined,
    });
  }
  return out;
}

/**
 * Target-list set-returning functions become one LATERAL `ROWS FROM (f1(…), f2(…))` item, so
 * several of them run in lockstep, padded with NULLs (PostgreSQL 10+), not cross-joined.
 */
function liftSetFunctions(s: SelectStmt): SelectStmt {
  const calls: FuncCall[] = [];
  const alias = "srf 0";
  /** Replaces an SRF call at `e` (or under casts, operators and scalar calls) by its column. */
  const lift = (e: Expr): Expr => {
    switch (e.kind) {
      case "type_cast": {
        const arg = lift(e.arg);
        return arg === e.arg ? e : { ...e, arg };
      }
      case "op": {
        const left = e.left === null ? null : lift(e.left);
        const right = lift(e.right);
        return left === e.left && right === e.right ? e : { ...e, left, right };
      }
      case "func_call":
        break;
      default:
        return e;
    }
    const name = e.name[e.name.length - 1]!;
    if (e.over !== null || e.star || e.filter !== null || e.orderBy.length > 0) return e;
    if (!isSetReturning(name)) {
      const args = e.args.map(lift);
      return args.every((a, i) => a === e.args[i]) ? e : { ...e, args };
    }
    calls.push(e);
    return {
      kind: "column_ref",
      names: [alias, `c${calls.length - 1}`],
      star: false,
      location: e.location,
    };
  };
  const targets = s.targets.map((t) => {
    const e = lift(t.expr);
    if (e === t.expr) return t;
    return {
      kind: "res_target",
      expr: e,
      alias: t.alias ?? targetName(t),
      location: t.location,
    } as const;
  });
  if (calls.length === 0) return s;
  const from: FromItem = {
    kind: "range_function",
    lateral: true,
    rowsFrom: calls.length > 1,
    functions: calls,
    ordinality: false,
    alias: {
      kind: "alias",
      name: alias,
      columns: calls.map((_, i) => `c${i}`),
      location: calls[0]!.location,
    },
    columnDefs: null,
    location: calls[0]!.location,
  };
  return { ...s, from: [...s.from, from], targets };
}

function bindSelect(c: BindCtx, s: SelectStmt): PlanNode {
  s = liftSetFunctions(s);
  c.namedWindows = s.windows;
  // FOR UPDATE/SHARE: the locked tables' UPDATE policies apply too (row-level security).
  c.locking = s.locking;
  let plan = bindFromList(c, s.from);
  if (s.where !== null) {
    c.clause = "WHERE";
    plan = mk({ op: "filter", input: plan, cond: bindBool(c, s.where, "WHERE"), cols: plan.cols });
  }
  const aggs: AggCall[] = [];
  const windows: WinCall[] = [];
  c.aggs = aggs;
  c.windows = windows;
  c.clause = "SELECT";
  const targets = bindTargets(c, s.targets);
  c.aggs = null;
  c.windows = null;
  c.clause = "GROUP BY";
  const { keys, sets } = bindGroupBy(c, s.groupBy, targets);
  c.aggs = aggs;
  c.clause = "HAVING";
  const having = s.having ? bindBool(c, s.having, "HAVING") : null;
  c.windows = windows;
  c.clause = "ORDER BY";
  const orderKeys = s.orderBy.map((o) => bindOrderKey(c, o, targets));
  const distinctOn = s.distinct && s.distinct.length > 0
    ? s.distinct.map((d) =>
      bindOrderKey(c, {
        kind: "sort_by",
        expr: d,
        direction: "default",
        usingOp: null,
        nulls: "default",
        location: d.location,
      }, targets)
    )
    : [];
  c.aggs = null;
  c.windows = null;
  c.clause = "";

  let exprs = targets.map((t) => t.expr);
  let sortExprs = orderKeys.map((k) => k.expr);
  let onExprs = distinctOn.map((k) => k.expr);
  let havingE = having;
  if (aggs.length > 0 || keys.length > 0 || having !== null) {
    const keyStrs = keys.map(exprKey);
    const post = (e: BExpr) => mapPostAgg(e, keyStrs, keys, aggs);
    exprs = exprs.map(post);
    sortExprs = sortExprs.map(post);
    onExprs = onExprs.map(post);
    havingE = having ? post(having) : null;
    const cols = [
      ...keys.map((k, i) => outCol(`key${i}`, k)),
      ...aggs.map((a, i) => ({
        name: `agg${i}`,
        type: a.type,
        typmod: -1,
        tableOid: 0,
        attnum: 0,
      })),
    ];
    plan = mk({ op: "agg", input: plan, keys, aggs, sets, cols });
    if (havingE !== null) plan = mk({ op: "filter", input: plan, cond: havingE, cols: plan.cols });
  }
  const wins: WinCall[] = [];
  if (windows.length > 0) {
    const base = plan.cols.length;
    const pull = (e: BExpr) =>
      mapExpr(e, (x) => {
        if (x.k !== "window") return undefined;
        let j = wins.indexOf(x.win);
        if (j < 0) j = wins.push(x.win) - 1;
        return { k: "col", type: x.type, typmod: -1, index: base + j, name: x.win.name };
      });
    exprs = exprs.map(pull);
    sortExprs = sortExprs.map(pull);
    onExprs = onExprs.map(pull);
    plan = mk({
      op: "window",
      input: plan,
      funcs: wins,
      cols: [
        ...plan.cols,
        ...wins.map((w) => ({ name: w.name, type: w.type, typmod: -1, tableOid: 0, attnum: 0 })),
      ],
    });
  }
  // Project the targets, then hidden sort and DISTINCT ON keys.
  const visible = exprs.length;
  const allExprs = [...exprs];
  const keyIndex = (e: BExpr): number => {
    const k = exprKey(e);
    for (let i = 0; i < allExprs.length; i++) if (exprKey(allExprs[i]!) === k) return i;
    allExprs.push(e);
    return allExprs.length - 1;
  };
  const sortIdx = sortExprs.map(keyIndex);
  const onIdx = onExprs.map(keyIndex);
  const cols: OutCol[] = targets.map((t, i) => outCol(t.name, exprs[i]!, t.src));
  for (let i = visible; i < allExprs.length; i++) cols.push(outCol("?sort?", allExprs[i]!));
  plan = mk({ op: "project", input: plan, exprs: allExprs, cols });
  const colRef = (i: number): BExpr => ({
    k: "col",
    type: cols[i]!.type,
    typmod: -1,
    index: i,
    name: cols[i]!.name,
  });
  const sortKeys: SortKey[] = orderKeys.map((k, i) => ({ ...k, expr: colRef(sortIdx[i]!) }));
  if (s.distinct !== null) {
    if (s.distinct.length === 0) {
      if (sortIdx.some((i) => i >= visible)) {
        throw new DbError(
          SqlState.invalidColumnReference,
          "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
          {
            position: (s.orderBy[0]?.location ?? 0) + 1,
          },
        );
      }
      plan = mk({ op: "distinct", input: plan, on: null, cols: plan.cols });
    } else {
      const onKeys = distinctOn.map((k, i) => ({ ...k, expr: colRef(onIdx[i]!) }));
      // DISTINCT ON keeps the first row of each group in ORDER BY order, whose leading keys
      // must be the DISTINCT ON expressions.
      const n = Math.min(onIdx.length, sortIdx.length);
      for (let i = 0; i < n; i++) {
        if (!onIdx.includes(sortIdx[i]!)) {
          throw new DbError(
            SqlState.invalidColumnReference,
            "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
            {
              position: s.distinct[0]!.location + 1,
            },
          );
        }
      }
      const keys = sortKeys.length > 0
        ? [...sortKeys, ...onKeys.filter((_, i) => !sortIdx.includes(onIdx[i]!))]
        : onKeys;
      plan = mk({ op: "sort", input: plan, keys, cols: plan.cols });
      plan = mk({ op: "distinct", input: plan, on: onKeys, cols: plan.cols });
    }
  }
  if (sortKeys.length > 0 && !(s.distinct && s.distinct.length > 0)) {
    plan = mk({ op: "sort", input: plan, keys: sortKeys, cols: plan.cols });
  }
  plan = applyLimit(c, plan, s.limit, s.offset);
  if (allExprs.length > visible) {
    const trimmed = cols.slice(0, visible);
    plan = mk({
      op: "project",
      input: plan,
      exprs: trimmed.map((_, i) => colRef(i)),
      cols: trimmed,
    });
  }
  return plan;
}

function bindOrderKey(c: BindCtx, o: SortBy, targets: Target[]): SortKey {
  const e = o.expr;
  if (e.kind === "integer") {
    const t = targets[e.value - 1];
    if (t === undefined) {
      throw new DbError(
        SqlState.invalidColumnReference,
        `ORDER BY position ${e.value} is not in select list`,
        {
          position: e.location + 1,
        },
      );
    }
    return bindSortKey(c, o, t.expr);
  }
  if (e.kind === "column_ref" && e.names.length === 1 && !e.star) {
    const matches = targets.filter((t) => t.name === e.names[0]);
    if (matches.length === 1) return bindSortKey(c, o, matches[0]!.expr);
  }
  return bindSortKey(c, o);
}

function bindGroupBy(
  c: BindCtx,
  items: GroupByItem[],
  targets: Target[],
): { keys: BExpr[]; sets: number[][] | null } {
  const keys: BExpr[] = [];
  const keyOf = (e: Expr): number => {
    let b: BExpr;
    if (e.kind === "integer") {
      const t = targets[e.value - 1];
      if (t === undefined) {
        throw new DbError(
          SqlState.invalidColumnReference,
          `GROUP BY position ${e.value} is not in select list`,
          {
            position: e.location + 1,
          },
        );
      }
      b = t.expr;
    } else {
      try {
        b = bindExpr(c, e);
      } catch (err) {
        const t = e.kind === "column_ref" && e.names.length === 1
          ? targets.find((x) => x.name === e.names[0])
          : undefined;
        if (t === undefined) throw err;
        b = t.expr;
      }
    }
    const k = exprKey(b);
    const i = keys.findIndex((x) => exprKey(x) === k);
    if (i >= 0) return i;
    keys.push(b);
    return keys.length - 1;
  };
  let hasSets = false;
  // Each item yields a list of sets; the query's sets are their cross product.
  const expand = (item: GroupByItem): number[][] => {
    if (item.kind !== "grouping_set") return [[keyOf(item)]];
    hasSets = true;
    const sub = (x: GroupByItem): number[] =>
      x.kind === "row"
        ? x.args.map(keyOf)
        : x.kind === "grouping_set"
        ? x.items.flatMap(sub)
        : [keyOf(x)];
    switch (item.type) {
      case "empty":
        return [[]];
      case "rollup": {
        const parts = item.items.map(sub);
        const out: number[][] = [];
        for (let i = parts.length; i >= 0; i--) out.push(parts.slice(0, i).flat());
        return out;
      }
      case "cube": {
        const parts = item.items.map(sub);
        const out: number[][] = [];
        for (let mask = (1 << parts.length) - 1; mask >= 0; mask--) {
          out.push(parts.filter((_, i) => mask & (1 << (parts.length - 1 - i))).flat());
        }
        return out;
      }
      case "sets":
        return item.items.flatMap((x) => x.kind === "grouping_set" ? expand(x) : [sub(x)]);
    }
  };
  let sets: number[][] = [[]];
  for (const item of items) {
    const e = expand(item);
    const next: number[][] = [];
    for (const a of sets) for (const b of e) next.push([...a, ...b]);
    sets = next;
  }
  return { keys, sets: hasSets ? sets : null };
}

function mapPostAgg(e: BExpr, keyStrs: string[], keys: BExpr[], aggs: AggCall[]): BExpr {
  return mapExpr(e, (x) => {
    if (x.k === "const" || x.k === "param" || x.k === "outer") return x;
    const i = keyStrs.indexOf(exprKey(x));
    if (i >= 0) {
      return {
        k: "col",
        type: x.type,
        typmod: x.typmod,
        index: i,
        name: (x as { name?: string }).name ?? `key${i}`,
      };
    }
    if (x.k === "agg") {
      const j = aggs.indexOf(x.agg);
      return { k: "col", type: x.type, typmod: -1, index: keys.length + j, name: x.agg.name };
    }
    if (x.k === "grouping") {
      const idx = x.args.map((a) => keyStrs.indexOf(exprKey(a)));
      return {
        k: "grouping",
        type: x.type,
        typmod: -1,
        args: idx.map((k) => ({ k: "const", type: Oid.int4, typmod: -1, value: k })),
      };
    }
    if (x.k === "col") {
      throw new DbError(
        SqlState.groupingError,
        `column "${x.name}" must appear in the GROUP BY clause or be used in an aggregate function`,
      );
    }
    return undefined;
  });
}

/** Binds a subquery expression (EXISTS, IN/ANY/ALL, scalar, ARRAY). */
export function bindSubquery(c: BindCtx, e: SubLink): BExpr {
  const child = c.child();
  const plan = bindQuery(child, e.subquery);
  const correlated = child.correlated;
  const first = plan.cols[0];
  if (
    e.type !== "exists" && plan.cols.length !== 1 && !(e.type !== "expr" && e.test?.kind === "row")
  ) {
    throw new DbError(
      SqlState.syntaxError,
      plan.cols.length > 1
        ? "subquery has too many columns"
        : "subquery must return only one column",
      {
        position: e.location + 1,
      },
    );
  }
  switch (e.type) {
    case "exists":
      return {
        k: "sublink",
        type: Oid.bool,
        typmod: -1,
        sub: "exists",
        plan,
        test: null,
        fn: null,
        correlated,
      };
    case "expr":
      return {
        k: "sublink",
        type: first!.type,
        typmod: first!.typmod,
        sub: "expr",
        plan,
        test: null,
        fn: null,
        correlated,
      };
    case "array":
      return {
        k: "sublink",
        type: arrayOf(first!.type),
        typmod: -1,
        sub: "array",
        plan,
        test: null,
        fn: null,
        correlated,
      };
    case "any":
    case "all": {
      if (e.test?.kind === "row") {
        const elems = e.test.args;
        if (elems.length !== plan.cols.length) {
          throw new DbError(
            SqlState.syntaxError,
            elems.length > plan.cols.length
              ? "subquery has too few columns"
              : "subquery has too many columns",
            {
              position: e.location + 1,
            },
          );
        }
        const rowTests = elems.map((x, i) => {
          const col = plan.cols[i]!;
          const ph: BExpr = {
            k: "col",
            type: col.type,
            typmod: col.typmod,
            index: i,
            name: col.name,
          };
          return bindOp(c, e.op ?? "=", bindExpr(c, x), ph, e.location) as Extract<
            BExpr,
            { k: "call" }
          >;
        });
        return {
          k: "sublink",
          type: Oid.bool,
          typmod: -1,
          sub: e.type,
          plan,
          test: null,
          fn: null,
          correlated,
          rowTests,
        };
      }
      const left = bindExpr(c, e.test!);
      const placeholder: BExpr = {
        k: "col",
        type: first!.type,
        typmod: first!.typmod,
        index: 0,
        name: first!.name,
      };
      const op = bindOp(c, e.op ?? "=", left, placeholder, e.location) as Extract<
        BExpr,
        { k: "call" }
      >;
      return {
        k: "sublink",
        type: Oid.bool,
        typmod: -1,
        sub: e.type,
        plan,
        test: op,
        fn: op.fn,
        correlated,
      };
    }
  }
}
