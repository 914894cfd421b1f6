/**
 * @module The modify step of INSERT, UPDATE and DELETE: builds each new row (defaults,
 * identity), checks NOT NULL, CHECK and foreign keys (both sides, with ON DELETE/UPDATE
 * actions), writes through the transaction (unique keys are checked by storage), resolves ON
 * CONFLICT, and evaluates RETURNING. Source rows are read completely before the first write.
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { FkRef, ModifyPlan, ModifyTable, RlsCheck } from "../plan/mod.ts";
import { outputText } from "../types/mod.ts";
import type { Env, Row } from "./env.ts";
import { compile, compilePredicate } from "./expr.ts";
import { keyOf } from "./keys.ts";
import { runPlan } from "./run.ts";

/** The outcome: affected row count and RETURNING rows. */
export interface ModifyResult {
  count: number;
  rows: Row[];
}

function show(d: Datum, env: Env): string {
  if (d === null) return "null";
  try {
    return typeof d === "string" ? d : outputText(
      typeof d === "bigint"
        ? 20
        : typeof d === "number"
        ? (Number.isInteger(d) ? 23 : 701)
        : typeof d === "boolean"
        ? 16
        : 25,
      d,
      env.ctx,
    );
  } catch {
    return String(d);
  }
}

const compiledChecks = new WeakMap<RlsCheck, ReturnType<typeof compile>>();

/**
 * Row-level security WITH CHECK options of one kind over `row` (ExecWithCheckOptions): a check
 * passes only when it is true (NULL fails), before any constraint is checked.
 */
function checkRls(t: ModifyTable, kind: RlsCheck["kind"], row: Row, env: Env): void {
  for (const ch of t.rlsChecks ?? []) {
    if (ch.kind !== kind) continue;
    let f = compiledChecks.get(ch);
    if (f === undefined) compiledChecks.set(ch, f = compile(ch.expr));
    if (f(row, env) === true) continue;
    const msg = kind === "conflict"
      ? `new row violates row-level security policy (USING expression) for table "${t.name}"`
      : ch.policy !== null
      ? `new row violates row-level security policy "${ch.policy}" for table "${t.name}"`
      : `new row violates row-level security policy for table "${t.name}"`;
    throw new DbError(SqlState.insufficientPrivilege, msg);
  }
}

function checkRow(t: ModifyTable, row: Row, env: Env, deferred?: Row[]): void {
  for (let i = 0; i < t.width; i++) {
    if (t.notNull[i] && row[i] === null) {
      throw new DbError(
        SqlState.notNullViolation,
        `null value in column "${
          t.columnNames[i]
        }" of relation "${t.name}" violates not-null constraint`,
        {
          detail: `Failing row contains (${
            row.slice(0, t.width).map((d) => show(d, env)).join(", ")
          }).`,
          table: t.name,
          column: t.columnNames[i],
          schema: t.schema,
        },
      );
    }
  }
  for (const ch of t.checks) {
    if (compile(ch.expr)(row, env) === false) {
      throw new DbError(
        SqlState.checkViolation,
        `new row for relation "${t.name}" violates check constraint "${ch.name}"`,
        {
          detail: `Failing row contains (${
            row.slice(0, t.width).map((d) => show(d, env)).join(", ")
          }).`,
          constraint: ch.name,
          table: t.name,
          schema: t.schema,
        },
      );
    }
  }
  if (deferred !== undefined && t.fks.length > 0) {
    deferred.push(row);
    return;
  }
  checkForeignKeys(t, row, env);
}

/** Foreign keys of a new row; run at the end of the statement, as PostgreSQL's RI triggers. */
function checkForeignKeys(t: ModifyTable, row: Row, env: Env): void {
  for (const fk of t.fks) {
    const key = fk.slots.map((s) => row[s] ?? null);
    if (key.some((v) => v === null)) continue;
    const c = env.txn.lookup(fk.parentIndexOid, key);
    if (!c.next()) {
      throw new DbError(
        SqlState.foreignKeyViolation,
        `insert or update on table "${t.name}" violates foreign key constraint "${fk.name}"`,
        {
          detail: `Key (${fk.columnNames.join(", ")})=(${
            key.map((d) => show(d, env)).join(", ")
          }) is not present in table "${fk.parentName}".`,
          constraint: fk.name,
          table: t.name,
          schema: t.schema,
        },
      );
    }
  }
}

function sameKey(a: Datum[], b: Datum[]): boolean {
  return a.every((x, i) => keyOf(x) === keyOf(b[i]!));
}

/** Applies the parent-side rules of foreign keys when a referenced row goes away or changes. */
function referencedRowChanged(t: ModifyTable, oldRow: Row, newRow: Row | null, env: Env): void {
  for (const ref of t.referencedBy) {
    const key = ref.slots.map((s) => oldRow[s] ?? null);
    if (key.some((v) => v === null)) continue;
    if (newRow !== null && sameKey(key, ref.slots.map((s) => newRow[s] ?? null))) continue;
    const action = newRow === null ? ref.onDelete : ref.onUpdate;
    const hits: { rowId: number; row: Row }[] = [];
    for (const c = env.txn.scan(ref.childOid); c.next();) {
      if (sameKey(ref.childSlots.map((s) => c.row[s] ?? null), key)) {
        hits.push({ rowId: c.rowId, row: c.row });
      }
    }
    if (hits.length === 0) continue;
    applyAction(ref, action, hits, key, newRow, t, env);
  }
}

function applyAction(
  ref: FkRef,
  action: string,
  hits: { rowId: number; row: Row }[],
  key: Datum[],
  newRow: Row | null,
  t: ModifyTable,
  env: Env,
): void {
  switch (action) {
    case "cascade":
      for (const h of hits) {
        if (newRow === null) env.txn.delete(ref.childOid, h.rowId);
        else {
          const r = h.row.slice();
          ref.childSlots.forEach((s, i) => r[s] = newRow[ref.slots[i]!] ?? null);
          env.txn.update(ref.childOid, h.rowId, r);
        }
      }
      return;
    case "set_null":
    case "set_default": {
      const defaults = action === "set_default"
        ? (ref.childDefaults ?? []).map((d) => (d === null ? null : compile(d)([], env)))
        : [];
      for (const h of hits) {
        const r = h.row.slice();
        ref.childSlots.forEach((s, i) => r[s] = defaults[i] ?? null);
        env.txn.update(ref.childOid, h.rowId, r);
      }
      return;
    }
    default:
      throw new DbError(
        SqlState.foreignKeyViolation,
        `update or delete on table "${t.name}" violates foreign key constraint "${ref.name}" on table "${ref.childName}"`,
        {
          detail: `Key (${ref.columnNames.join(", ")})=(${
            key.map((d) => show(d, env)).join(", ")
          }) is still referenced from table "${ref.childName}".`,
          constraint: ref.name,
          table: ref.childName,
        },
      );
  }
}

function finishDeferred(t: ModifyTable, rows: Row[], env: Env): void {
  if (rows.length === 0) return;
  // A new command id makes this statement's own rows visible to the checks (self references).
  env.txn.beginStatement();
  for (const r of rows) checkForeignKeys(t, r, env);
}

/** Runs a modify plan. */
export async function runModify(p: ModifyPlan, env: Env): Promise<ModifyResult> {
  const src = await runPlan(p.source, env);
  const t = p.table;
  const ret = p.returning.map(compile);
  const out: Row[] = [];
  let count = 0;
  const txn = env.txn;
  const deferred: Row[] = [];
  if (p.kind === "insert") {
    const defaults = p.defaults.map((d) => (d === null ? null : compile(d)));
    const oc = p.onConflict;
    const sets = oc ? oc.sets.map((s) => (s === null ? null : compile(s))) : [];
    const where = oc ? compilePredicate(oc.where) : null;
    const touched = new Set<number>();
    for (const s of src) {
      env.tick();
      const row: Row = new Array(t.width);
      for (let i = 0; i < t.width; i++) {
        const si = p.slotSource[i]!;
        const d = defaults[i];
        row[i] = si >= 0 ? s[si] ?? null : d ? d(s, env) : null;
      }
      checkRls(t, "insert", row, env);
      checkRow(t, row, env, deferred);
      let final: Row = row;
      try {
        const rowId = txn.insert(t.oid, row);
        touched.add(rowId);
      } catch (err) {
        if (!(err instanceof DbError) || err.code !== SqlState.uniqueViolation || oc === null) {
          throw err;
        }
        if (oc.indexOid !== null) {
          const idx = txn.host.indexes.get(oc.indexOid);
          if (idx === undefined || idx.def.name !== err.fields.constraint) throw err;
        }
        if (oc.action === "nothing") continue;
        const idx = txn.host.indexes.get(oc.indexOid!)!;
        const c = txn.lookup(oc.indexOid!, idx.spec.key(row));
        if (!c.next()) {
          // The conflicting row was proposed earlier by this same command.
          throw new DbError(
            SqlState.cardinalityViolation,
            "ON CONFLICT DO UPDATE command cannot affect row a second time",
            {
              hint:
                "Ensure that no rows proposed for insertion within the same command have duplicate constrained values.",
            },
          );
        }
        if (touched.has(c.rowId)) {
          throw new DbError(
            SqlState.cardinalityViolation,
            "ON CONFLICT DO UPDATE command cannot affect row a second time",
            {
              hint:
                "Ensure that no rows proposed for insertion within the same command have duplicate constrained values.",
            },
          );
        }
        const combined = [...c.row, ...row];
        if (where !== null && !where(combined, env)) continue;
        checkRls(t, "conflict", c.row, env);
        const upd = c.row.slice();
        sets.forEach((f, i) => {
          if (f !== null) upd[i] = f(combined, env);
        });
        checkRls(t, "update", upd, env);
        checkRow(t, upd, env, deferred);
        referencedRowChanged(t, c.row, upd, env);
        txn.update(t.oid, c.rowId, upd);
        touched.add(c.rowId);
        final = upd;
      }
      count++;
      if (ret.length > 0) out.push(ret.map((f) => f(final, env)));
    }
    finishDeferred(t, deferred, env);
    return { count, rows: out };
  }
  if (p.kind === "update") {
    const sets = p.sets.map((s) => (s === null ? null : compile(s)));
    for (const s of src) {
      env.tick();
      const rowId = s[t.width] as number;
      const oldRow = s.slice(0, t.width);
      const upd = oldRow.slice();
      for (let i = 0; i < t.width; i++) {
        const f = sets[i];
        if (f) upd[i] = f(s, env);
      }
      checkRls(t, "update", upd, env);
      checkRow(t, upd, env, deferred);
      referencedRowChanged(t, oldRow, upd, env);
      if (!txn.update(t.oid, rowId, upd)) continue;
      count++;
      if (ret.length > 0) {
        const view = s.slice();
        for (let i = 0; i < t.width; i++) view[i] = upd[i]!;
        out.push(ret.map((f) => f(view, env)));
      }
    }
    finishDeferred(t, deferred, env);
    return { count, rows: out };
  }
  for (const s of src) {
    env.tick();
    const rowId = s[t.width] as number;
    referencedRowChanged(t, s.slice(0, t.width), null, env);
    if (!txn.delete(t.oid, rowId)) continue;
    count++;
    if (ret.length > 0) out.push(ret.map((f) => f(s, env)));
  }
  return { count, rows: out };
}
