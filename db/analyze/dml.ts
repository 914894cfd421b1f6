/**
 * @module Binding INSERT, UPDATE and DELETE into modify plans: target columns, DEFAULT,
 * defaults and identity, ON CONFLICT arbiter inference and EXCLUDED, UPDATE … FROM, DELETE …
 * USING, constraints gathered from the catalog, and RETURNING.
 */
import type { RelationDef } from "../catalog/mod.ts";
import type { Datum } from "../datum.ts";
import { type Expr, parseExpr } from "../sql/mod.ts";
import type { DeleteStmt, InsertStmt, Query, RangeVar, ResTarget, UpdateStmt } from "../sql/mod.ts";
import { expandView } from "../rewrite/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { BExpr, InsertPlan, ModifyTable, OutCol, PlanNode } from "../plan/mod.ts";
import { formatType as formatTypeName, Oid } from "../types/mod.ts";
import { BindCtx } from "./context.ts";
import { coerce } from "./coerce.ts";
import { bindElementAssign } from "./array_assign.ts";
import { bindBool, bindExpr } from "./expr.ts";
import { bindFromItem, bindRangeVar } from "./from.ts";
import { mk, outCol } from "./build.ts";
import { targetName } from "./colname.ts";
import { bindQuery, bindWith } from "./select.ts";
import { asTargetOwner, modifyChecks, rlsActive, securedTarget, targetView } from "./rls.ts";
import { tableItem } from "./scope.ts";
import { notePermRelation, notePermViewTarget, takeTargetCheckAs } from "./permissions.ts";

/**
 * The view columns the statement's own WHERE, SET values and RETURNING name (they need SELECT on
 * the view for the running role; the names are collected from the syntax tree).
 */
function viewColumnsRead(rel: RelationDef, s: InsertStmt | UpdateStmt | DeleteStmt): number[] {
  const found = new Set<number>();
  const walk = (n: unknown): void => {
    if (n === null || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as { kind?: string; names?: string[]; star?: boolean };
    if (o.kind === "column_ref" && Array.isArray(o.names)) {
      if (o.star) rel.columns.forEach((x) => found.add(x.attnum));
      const a = rel.columns.find((x) => x.name === o.names![o.names!.length - 1])?.attnum;
      if (a !== undefined) found.add(a);
      return;
    }
    for (const v of Object.values(o)) walk(v);
  };
  if (s.kind !== "insert") walk(s.where);
  if (s.kind === "update") walk(s.set.map((x) => x.value));
  walk(s.returning);
  return [...found];
}

/** The privilege and view columns an INSERT/UPDATE/DELETE on view `rel` needs. */
function viewTargetPrivs(
  rel: RelationDef,
  s: InsertStmt | UpdateStmt | DeleteStmt,
): ["a" | "w" | "d", number[]] {
  const attnum = (name: string) => rel.columns.find((x) => x.name === name)?.attnum ?? 0;
  if (s.kind === "insert") {
    const names = s.columns.length > 0
      ? s.columns.map((x) => x.name)
      : rel.columns.map((x) => x.name);
    return ["a", names.map(attnum).filter((a) => a > 0)];
  }
  if (s.kind === "update") {
    const names = s.set.flatMap((x) =>
      x.kind === "set_column" ? [x.column.name] : x.columns.map((y) => y.name)
    );
    return ["w", names.map(attnum).filter((a) => a > 0)];
  }
  return ["d", []];
}

function targetRelation(c: BindCtx, rv: InsertStmt["relation"]): RelationDef {
  const rel = c.findRelation(rv.schema, rv.name);
  if (rel === undefined) {
    throw new DbError(
      SqlState.undefinedTable,
      `relation "${rv.schema ? rv.schema + "." : ""}${rv.name}" does not exist`,
      {
        position: rv.location + 1,
      },
    );
  }
  if (rel.kind !== "r") {
    throw new DbError(SqlState.wrongObjectType, `cannot change relation "${rel.name}"`, {
      position: rv.location + 1,
    });
  }
  return rel;
}

/**
 * An automatically updatable view (a plain SELECT of columns from one table, optionally with
 * WHERE) as the target of INSERT/UPDATE/DELETE: the statement is rewritten onto the table, the
 * view's WHERE added to UPDATE and DELETE (PostgreSQL's rewriter does the same).
 */
function viewTarget<T extends InsertStmt | UpdateStmt | DeleteStmt>(c: BindCtx, s: T): T {
  const rel = c.findRelation(s.relation.schema, s.relation.name);
  if (rel?.kind !== "v") return s;
  notePermViewTarget(c.env.perms, rel, ...viewTargetPrivs(rel, s), viewColumnsRead(rel, s));
  const q = expandView(rel);
  const verb = s.kind === "insert" ? "insert into" : s.kind === "update" ? "update" : "delete from";
  const refuse = (why: string) =>
    new DbError(SqlState.objectNotInPrerequisiteState, `cannot ${verb} view "${rel.name}"`, {
      detail: why,
      hint:
        "To enable this, provide an INSTEAD OF trigger or an unconditional ON INSERT DO INSTEAD rule.",
    });
  if (q.kind !== "select" || q.from.length !== 1 || q.from[0]!.kind !== "range_var") {
    throw refuse(
      "Views that do not select from a single table or view are not automatically updatable.",
    );
  }
  if (
    q.distinct !== null || q.groupBy.length > 0 || q.having !== null || q.limit !== null ||
    q.offset !== null || q.with !== null
  ) {
    throw refuse(
      "Views containing DISTINCT, GROUP BY, HAVING, LIMIT or WITH are not automatically updatable.",
    );
  }
  const base = q.from[0] as RangeVar;
  const baseAlias = base.alias?.name ?? base.name;
  const map = new Map<string, string>();
  for (const tg of q.targets) {
    const e = tg.expr;
    if (e.kind !== "column_ref") continue;
    if (e.star) {
      const brel = c.findRelation(base.schema, base.name);
      for (const col of brel?.columns ?? []) if (!col.dropped) map.set(col.name, col.name);
    } else map.set(tg.alias ?? e.names[e.names.length - 1]!, e.names[e.names.length - 1]!);
  }
  const col = (name: string, location: number) => {
    const b = map.get(name);
    if (b === undefined) {
      throw new DbError(
        SqlState.featureNotSupported,
        `cannot ${s.kind} into column "${name}" of view "${rel.name}"`,
        {
          detail: "View columns that are not columns of their base relation are not updatable.",
          position: location + 1,
        },
      );
    }
    return b;
  };
  const relation: RangeVar = {
    ...base,
    alias: s.relation.alias ?? (base.alias ? base.alias : null),
    location: s.relation.location,
  };
  void baseAlias;
  if (s.kind === "insert") {
    const names = s.columns.length > 0
      ? s.columns.map((x) => x.name)
      : rel.columns.map((x) => x.name);
    return {
      ...s,
      relation,
      columns: names.map((n, i) => ({
        kind: "target_column",
        name: col(n, s.columns[i]?.location ?? s.location),
        indirection: [],
        location: s.columns[i]?.location ?? s.location,
      })),
    } as T;
  }
  const where = (w: Expr | null): Expr | null =>
    q.where === null
      ? w
      : w === null
      ? q.where
      : { kind: "bool", op: "and", args: [w, q.where], location: w.location };
  if (s.kind === "update") {
    return {
      ...s,
      relation,
      set: s.set.map((x) =>
        x.kind === "set_column"
          ? { ...x, column: { ...x.column, name: col(x.column.name, x.column.location) } }
          : { ...x, columns: x.columns.map((cc) => ({ ...cc, name: col(cc.name, cc.location) })) }
      ),
      where: where(s.where),
    } as T;
  }
  return { ...s, relation, where: where((s as DeleteStmt).where) } as T;
}

/** The constraint information a modify step needs. */
export function modifyTable(c: BindCtx, rel: RelationDef): ModifyTable {
  const cat = c.env.catalog;
  const tc = new BindCtx(c.env, null);
  tc.scope.add(tableItem(rel));
  const names = rel.columns.map((x) => x.name);
  const cons = cat.constraintsOf(rel.oid);
  return {
    oid: rel.oid,
    name: rel.name,
    schema: cat.schemaName(rel.schema),
    width: rel.columns.length,
    columnNames: names,
    notNull: rel.columns.map((x) => x.notNull),
    identityAlways: rel.columns.map((x) => x.identity === "a"),
    checks: cons.filter((k) => k.type === "c").map((k) => ({
      name: k.name,
      expr: bindBool(tc, parseExpr(k.check!), "CHECK"),
    })),
    fks: cons.filter((k) => k.type === "f").map((k) => {
      const parent = cat.relationByOid(k.fk!.refTable)!;
      const idx = cat.indexesOf(parent.oid).find((i) =>
        i.index!.unique && i.index!.columns.length === k.fk!.refColumns.length &&
        i.index!.columns.every((a, j) => a === k.fk!.refColumns[j])
      );
      return {
        name: k.name,
        slots: k.columns.map((a) => a - 1),
        parentOid: parent.oid,
        parentName: parent.name,
        parentIndexOid: idx?.oid ?? 0,
        parentColumnNames: k.fk!.refColumns.map((a) => parent.columns[a - 1]!.name),
        columnNames: k.columns.map((a) => names[a - 1]!),
      };
    }),
    referencedBy: cat.referencingKeys(rel.oid).map((k) => {
      const child = cat.relationByOid(k.table)!;
      return {
        name: k.name,
        childOid: child.oid,
        childName: child.name,
        childSlots: k.columns.map((a) => a - 1),
        childWidth: child.columns.length,
        slots: k.fk!.refColumns.map((a) => a - 1),
        columnNames: k.fk!.refColumns.map((a) => names[a - 1]!),
        onDelete: k.fk!.onDelete,
        onUpdate: k.fk!.onUpdate,
        ...(k.fk!.onDelete === "set_default" || k.fk!.onUpdate === "set_default"
          ? { childDefaults: k.columns.map((a) => bindDefault(c, child, a - 1)) }
          : {}),
      };
    }),
  };
}

function bindDefault(c: BindCtx, rel: RelationDef, slot: number): BExpr | null {
  const col = rel.columns[slot]!;
  if (col.default === null || col.dropped) return null;
  const dc = new BindCtx(c.env, null);
  const e = bindExpr(dc, parseExpr(col.default));
  return coerce(dc, e, col.type, col.typmod, "assignment", 0);
}

function bindReturning(c: BindCtx, targets: ResTarget[]): { exprs: BExpr[]; cols: OutCol[] } {
  const exprs: BExpr[] = [];
  const cols: OutCol[] = [];
  for (const t of targets) {
    if (t.expr.kind === "column_ref" && t.expr.star) {
      for (
        const s of c.scope.star(t.expr.names.length ? t.expr.names[0]! : null, t.expr.location)
      ) {
        exprs.push(s.expr);
        cols.push(outCol(s.name, s.expr, s.col));
      }
      continue;
    }
    let e = bindExpr(c, t.expr);
    if (e.type === Oid.unknown) e = coerce(c, e, Oid.text, -1, "implicit", t.expr.location);
    exprs.push(e);
    cols.push(outCol(targetName(t), e));
  }
  return { exprs, cols };
}

/** The unknown literal a query outputs as column `i`, found through row-preserving nodes. */
function unknownOutput(plan: PlanNode, i: number): BExpr | undefined {
  switch (plan.op) {
    case "project": {
      const e = plan.exprs[i];
      if (e?.k === "const" || e?.k === "param") return e.type === Oid.unknown ? e : undefined;
      return e?.k === "col" ? unknownOutput(plan.input, e.index) : undefined;
    }
    case "filter":
    case "sort":
    case "limit":
    case "distinct":
      return unknownOutput(plan.input, i);
    default:
      return undefined;
  }
}

/**
 * Whether ORDER BY, GROUP BY or DISTINCT sort on SELECT item `i` by position or output name:
 * PostgreSQL resolves an unknown literal there to text before INSERT sees it.
 */
function sortsOnItem(q: Query, i: number): boolean {
  if (q.kind !== "select") return false;
  if (q.distinct !== null && q.distinct.length === 0) return true;
  const alias = q.targets[i]?.alias ?? null;
  const refers = (e: Expr) =>
    (e.kind === "integer" && e.value === i + 1) ||
    (alias !== null && e.kind === "column_ref" && !e.star && e.names.length === 1 &&
      e.names[0] === alias);
  return q.orderBy.some((o) => refers(o.expr)) || (q.distinct ?? []).some(refers) ||
    q.groupBy.some((g) => g.kind !== "grouping_set" && refers(g));
}

/** Where PostgreSQL points at the `i`-th SELECT item feeding an INSERT (the first `*` covers all). */
function selectItemLocation(q: Query, i: number): number {
  while (q.kind === "set_operation") q = q.left;
  if (q.kind !== "select") return q.location;
  const star = q.targets.find((t) => t.expr.kind === "column_ref" && t.expr.star);
  return (star ?? q.targets[i])?.expr.location ?? q.location;
}

/** Binds INSERT. */
export function bindInsert(c: BindCtx, s: InsertStmt): InsertPlan {
  const view = targetView(c, s.relation.schema, s.relation.name);
  s = viewTarget(c, s);
  if (s.with !== null) bindWith(c, s.with);
  const rel = targetRelation(c, s.relation);
  const live = rel.columns.filter((x) => !x.dropped);
  const targetCols: typeof live = s.columns.length > 0
    ? s.columns.map((tc) => {
      const col = rel.columns.find((x) => x.name === tc.name && !x.dropped);
      if (col === undefined) {
        throw new DbError(
          SqlState.undefinedColumn,
          `column "${tc.name}" of relation "${rel.name}" does not exist`,
          {
            position: tc.location + 1,
          },
        );
      }
      return col;
    })
    : live;
  if (s.columns.length === 0 && s.query?.kind === "values") {
    const width = Math.max(...s.query.rows.map((r) => r.length));
    if (width > live.length) {
      throw new DbError(SqlState.syntaxError, "INSERT has more expressions than target columns", {
        position: s.query.rows[0]![live.length]!.location + 1,
      });
    }
    targetCols.splice(width);
  }
  const perm = notePermRelation(c.env.perms, rel, false);
  if (perm) {
    perm.required = "a";
    perm.checkAs = takeTargetCheckAs(c.env.perms) ?? perm.checkAs;
    for (const col of targetCols) perm.insertCols.add(col.attnum);
  }
  const slotSource = rel.columns.map(() => -1);
  let source: PlanNode;
  const defaults = rel.columns.map((_, i) => bindDefault(c, rel, i));
  if (s.query === null) {
    source = mk({ op: "result", cols: [] });
  } else if (s.query.kind === "values" && s.query.orderBy.length === 0 && s.query.limit === null) {
    // VALUES rows: each value coerced to its column (DEFAULT allowed).
    const rows = s.query.rows.map((r) => {
      if (r.length > targetCols.length) {
        throw new DbError(SqlState.syntaxError, "INSERT has more expressions than target columns", {
          position: r[targetCols.length]!.location + 1,
        });
      }
      if (r.length < targetCols.length) {
        throw new DbError(SqlState.syntaxError, "INSERT has more target columns than expressions", {
          position: (s.columns[r.length]?.location ?? s.location) + 1,
        });
      }
      return r.map((e: Expr, i) => {
        const col = targetCols[i]!;
        if (e.kind === "default") {
          return defaults[col.attnum - 1] ??
            { k: "const", type: col.type, typmod: col.typmod, value: null } as BExpr;
        }
        return coerce(
          c,
          bindExpr(c, e),
          col.type,
          col.typmod,
          "assignment",
          e.location,
          `column "${col.name}" is of type ${typeLabel(c, col.type)} but expression is of type ${
            typeLabel(c, bindExpr(c, e).type)
          }`,
        );
      });
    });
    source = mk({
      op: "values",
      rows,
      cols: targetCols.map((col) => ({
        name: col.name,
        type: col.type,
        typmod: col.typmod,
        tableOid: 0,
        attnum: 0,
      })),
    });
  } else {
    // Unknown literals of the SELECT list stay unknown and take the target column's type, as
    // PostgreSQL's transformInsertStmt copies them up (`INSERT … SELECT NULL, 'x'`).
    const qc = c.child();
    qc.keepUnknown = true;
    const q = bindQuery(qc, s.query);
    if (q.cols.length > targetCols.length) {
      throw new DbError(SqlState.syntaxError, "INSERT has more expressions than target columns", {
        position: selectItemLocation(s.query, targetCols.length) + 1,
      });
    }
    if (s.columns.length > 0 && q.cols.length < targetCols.length) {
      throw new DbError(SqlState.syntaxError, "INSERT has more target columns than expressions", {
        position: s.columns[q.cols.length]!.location + 1,
      });
    }
    const exprs = q.cols.map((oc, i) => {
      const col = targetCols[i]!;
      const location = selectItemLocation(s.query!, i);
      let e: BExpr = { k: "col", type: oc.type, typmod: oc.typmod, index: i, name: oc.name };
      if (oc.type === Oid.unknown) {
        const kept = sortsOnItem(s.query!, i) ? undefined : unknownOutput(q, i);
        e = kept ?? coerce(c, e, Oid.text, -1, "implicit", location);
      }
      return coerce(
        c,
        e,
        col.type,
        col.typmod,
        "assignment",
        location,
        `column "${col.name}" is of type ${typeLabel(c, col.type)} but expression is of type ${
          typeLabel(c, e.type)
        }`,
      );
    });
    source = mk({ op: "project", input: q, exprs, cols: q.cols });
  }
  targetCols.forEach((col, i) => {
    if (s.query !== null && i < (source.cols.length)) slotSource[col.attnum - 1] = i;
  });
  const table = modifyTable(c, rel);
  if (s.overriding !== "system") {
    for (let slot = 0; slot < slotSource.length; slot++) {
      if (table.identityAlways[slot] && slotSource[slot]! >= 0) {
        throw new DbError(
          SqlState.generatedAlways,
          `cannot insert a non-DEFAULT value into column "${rel.columns[slot]!.name}"`,
          {
            detail: `Column "${
              rel.columns[slot]!.name
            }" is an identity column defined as GENERATED ALWAYS.`,
            hint: "Use OVERRIDING SYSTEM VALUE to override.",
          },
        );
      }
    }
  }
  // RETURNING and ON CONFLICT see the target row at offset 0.
  const rc = c.child();
  // Columns read in RETURNING or ON CONFLICT make SELECT policies apply (PostgreSQL's rule).
  const reads = { table: false };
  const readRef = () => reads.table = true;
  rc.scope.add({
    ...tableItem(rel, s.relation.alias?.name ?? rel.name, 0),
    onRef: readRef,
    perm,
  });
  let onConflict: InsertPlan["onConflict"] = null;
  if (s.onConflict !== null) {
    const oc = s.onConflict;
    let indexOid: number | null = null;
    const cat = c.env.catalog;
    if (oc.target?.kind === "columns") {
      // Inference columns are read, as PostgreSQL marks them for SELECT.
      if (oc.target.columns.length > 0) reads.table = true;
      const attnums = oc.target.columns.map((ie) =>
        rel.columns.find((x) => x.name === ie.column)?.attnum ?? -1
      );
      for (const a of attnums) if (a > 0) perm?.selectCols.add(a);
      const idx = cat.indexesOf(rel.oid).find((i) =>
        i.index!.unique && i.index!.columns.length === attnums.length &&
        attnums.every((a) => i.index!.columns.includes(a))
      );
      if (idx === undefined) {
        throw new DbError(
          SqlState.invalidColumnReference,
          "there is no unique or exclusion constraint matching the ON CONFLICT specification",
          {
            position: oc.location + 1,
          },
        );
      }
      indexOid = idx.oid;
    } else if (oc.target?.kind === "constraint") {
      const con = cat.constraintsOf(rel.oid).find((k) =>
        k.name === (oc.target as { name: string }).name
      );
      if (con === undefined || con.index === undefined) {
        throw new DbError(
          SqlState.undefinedObject,
          `constraint "${oc.target.name}" for table "${rel.name}" does not exist`,
        );
      }
      indexOid = con.index;
    } else if (oc.action === "update") {
      throw new DbError(
        SqlState.syntaxError,
        "ON CONFLICT DO UPDATE requires inference specification or constraint name",
        {
          position: oc.location + 1,
          hint: "For example, ON CONFLICT (column_name).",
        },
      );
    }
    let sets: (BExpr | null)[] = rel.columns.map(() => null);
    let where: BExpr | null = null;
    if (oc.action === "update") {
      const uc = c.child();
      uc.scope.add({
        ...tableItem(rel, s.relation.alias?.name ?? rel.name, 0),
        onRef: readRef,
        perm,
      });
      if (perm) {
        perm.required += "w";
        for (const x of oc.set) {
          for (const tc of x.kind === "set_column" ? [x.column] : x.columns) {
            const a = rel.columns.find((col) => col.name === tc.name && !col.dropped)?.attnum;
            if (a !== undefined) perm.updateCols.add(a);
          }
        }
      }
      // EXCLUDED's columns are read from the proposed row: SELECT on them is needed too.
      uc.scope.add({ ...tableItem(rel, "excluded", rel.columns.length), perm });
      sets = bindSets(uc, rel, oc.set);
      where = oc.where ? bindBool(uc, oc.where, "WHERE") : null;
    }
    onConflict = { action: oc.action, indexOid, sets, where };
  }
  const ret = bindReturning(rc, s.returning);
  const checks = asTargetOwner(
    c,
    view,
    () => modifyChecks(c, rel, "insert", reads.table, onConflict?.action === "update"),
  );
  if (checks !== undefined) table.rlsChecks = checks;
  return {
    kind: "insert",
    table,
    source,
    slotSource,
    defaults,
    onConflict,
    returning: ret.exprs,
    returningCols: ret.cols,
  };
}

function typeLabel(c: BindCtx, t: number): string {
  return c.env.catalog.typeByOid(t)?.name ?? (t === Oid.unknown ? "unknown" : formatTypeName(t));
}

function bindSets(c: BindCtx, rel: RelationDef, set: UpdateStmt["set"]): (BExpr | null)[] {
  const sets: (BExpr | null)[] = rel.columns.map(() => null);
  for (const item of set) {
    const cols = item.kind === "set_column" ? [item.column] : item.columns;
    const values = item.kind === "set_column"
      ? [item.value]
      : item.value.kind === "row"
      ? item.value.args
      : null;
    if (values === null || values.length !== cols.length) {
      throw new DbError(
        SqlState.featureNotSupported,
        "multiple-column UPDATE from a subquery is not supported",
        {
          position: item.location + 1,
        },
      );
    }
    cols.forEach((tc, i) => {
      const col = rel.columns.find((x) => x.name === tc.name && !x.dropped);
      if (col === undefined) {
        throw new DbError(
          SqlState.undefinedColumn,
          `column "${tc.name}" of relation "${rel.name}" does not exist`,
          {
            position: tc.location + 1,
          },
        );
      }
      const v = values[i]!;
      if (v.kind === "default") {
        sets[col.attnum - 1] = bindDefault(c, rel, col.attnum - 1) ??
          { k: "const", type: col.type, typmod: col.typmod, value: null };
        return;
      }
      const b = bindExpr(c, v);
      if (tc.indirection.length > 0) {
        const current: BExpr = sets[col.attnum - 1] ??
          { k: "col", type: col.type, typmod: col.typmod, index: col.attnum - 1, name: col.name };
        sets[col.attnum - 1] = bindElementAssign(
          c,
          current,
          col.name,
          tc.indirection,
          b,
          v.location,
        );
        return;
      }
      sets[col.attnum - 1] = coerce(
        c,
        b,
        col.type,
        col.typmod,
        "assignment",
        v.location,
        `column "${col.name}" is of type ${typeLabel(c, col.type)} but expression is of type ${
          typeLabel(c, b.type)
        }`,
      );
    });
  }
  return sets;
}

function bindTargetWithFrom(
  c: BindCtx,
  s: UpdateStmt | DeleteStmt,
  extra: UpdateStmt["from"],
): { rel: RelationDef; source: PlanNode; target: PlanNode; reads: { table: boolean } } {
  const rel = targetRelation(c, s.relation);
  const t = bindRangeVar(c, s.relation, 0, true);
  // Whether the statement reads the target's columns: then SELECT policies apply too.
  const reads = { table: false };
  t.item.onRef = () => reads.table = true;
  const perm = t.item.perm;
  if (perm) {
    // The target needs UPDATE (on the SET columns) or DELETE; SELECT only on columns it reads.
    perm.selectAlways = false;
    perm.required = s.kind === "update" ? "w" : "d";
    perm.checkAs = takeTargetCheckAs(c.env.perms) ?? perm.checkAs;
    if (s.kind === "update") {
      for (const x of s.set) {
        for (const tc of x.kind === "set_column" ? [x.column] : x.columns) {
          const a = rel.columns.find((col) => col.name === tc.name && !col.dropped)?.attnum;
          if (a !== undefined) perm.updateCols.add(a);
        }
      }
    }
  }
  c.scope.add(t.item);
  let plan = t.node;
  for (const f of extra) {
    const { node, item } = bindFromItem(c, f, c.scope.width);
    c.scope.add(item);
    plan = mk({
      op: "join",
      method: "nestloop",
      type: "inner",
      left: plan,
      right: node,
      cond: null,
      leftKeys: [],
      rightKeys: [],
      hashCond: [],
      lateral: false,
      cols: [...plan.cols, ...node.cols],
    });
  }
  if (s.where !== null) {
    c.clause = "WHERE";
    plan = mk({ op: "filter", input: plan, cond: bindBool(c, s.where, "WHERE"), cols: plan.cols });
    c.clause = "";
  }
  return { rel, source: plan, target: t.node, reads };
}

/** Binds UPDATE. */
export function bindUpdate(c: BindCtx, s: UpdateStmt) {
  const view = targetView(c, s.relation.schema, s.relation.name);
  s = viewTarget(c, s);
  if (s.with !== null) bindWith(c, s.with);
  const { rel, source: unsecured, target, reads } = bindTargetWithFrom(c, s, s.from);
  const sets = bindSets(c, rel, s.set);
  const table = modifyTable(c, rel);
  sets.forEach((e, slot) => {
    if (e !== null && table.identityAlways[slot] && !(e.k === "call" && e.name === "nextval")) {
      throw new DbError(
        SqlState.generatedAlways,
        `column "${rel.columns[slot]!.name}" can only be updated to DEFAULT`,
        {
          detail: `Column "${
            rel.columns[slot]!.name
          }" is an identity column defined as GENERATED ALWAYS.`,
        },
      );
    }
  });
  const ret = bindReturning(c, s.returning);
  const [source, checks] = asTargetOwner(c, view, () =>
    [
      securedTarget(c, rel, unsecured, target, "update", reads.table),
      modifyChecks(c, rel, "update", reads.table, false),
    ] as const);
  if (checks !== undefined) table.rlsChecks = checks;
  return {
    kind: "update" as const,
    table,
    source,
    sets,
    returning: ret.exprs,
    returningCols: ret.cols,
  };
}

/** Binds DELETE. */
export function bindDelete(c: BindCtx, s: DeleteStmt) {
  const view = targetView(c, s.relation.schema, s.relation.name);
  s = viewTarget(c, s);
  if (s.with !== null) bindWith(c, s.with);
  const { rel, source: unsecured, target, reads } = bindTargetWithFrom(c, s, s.using);
  const table = modifyTable(c, rel);
  const ret = bindReturning(c, s.returning);
  const source = asTargetOwner(
    c,
    view,
    () => securedTarget(c, rel, unsecured, target, "delete", reads.table),
  );
  return { kind: "delete" as const, table, source, returning: ret.exprs, returningCols: ret.cols };
}

/** COPY … FROM: an INSERT whose rows come from `rows()` (already typed, one per target column). */
export function bindCopyFrom(
  c: BindCtx,
  rv: InsertStmt["relation"],
  columns: string[],
  rows: () => Datum[][],
): { plan: InsertPlan; types: { type: number; typmod: number }[] } {
  const rel = targetRelation(c, rv);
  if (rlsActive(c, rel)) {
    throw new DbError(
      SqlState.featureNotSupported,
      "COPY FROM not supported with row-level security",
      {
        hint: "Use INSERT statements instead.",
      },
    );
  }
  const live = rel.columns.filter((x) => !x.dropped);
  const targetCols = columns.length > 0
    ? columns.map((name) => {
      const col = live.find((x) => x.name === name);
      if (col === undefined) {
        throw new DbError(
          SqlState.undefinedColumn,
          `column "${name}" of relation "${rel.name}" does not exist`,
        );
      }
      return col;
    })
    : live;
  const perm = notePermRelation(c.env.perms, rel, false);
  if (perm) {
    perm.required = "a";
    for (const col of targetCols) perm.insertCols.add(col.attnum);
  }
  const slotSource = rel.columns.map(() => -1);
  targetCols.forEach((col, i) => slotSource[col.attnum - 1] = i);
  const source = mk({
    op: "system_scan",
    name: "copy",
    produce: rows,
    cols: targetCols.map((col) => ({
      name: col.name,
      type: col.type,
      typmod: col.typmod,
      tableOid: 0,
      attnum: 0,
    })),
  });
  const plan: InsertPlan = {
    kind: "insert",
    table: modifyTable(c, rel),
    source,
    slotSource,
    defaults: rel.columns.map((_, i) => slotSource[i]! >= 0 ? null : bindDefault(c, rel, i)),
    onConflict: null,
    returning: [],
    returningCols: [],
  };
  return { plan, types: targetCols.map((col) => ({ type: col.type, typmod: col.typmod })) };
}
