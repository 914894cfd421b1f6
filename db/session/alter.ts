/**
 * @module ALTER TABLE (add, drop, rename and retype columns; defaults; NOT NULL; add and drop
 * constraints with validation of existing rows; row-level security flags) and RENAME of
 * tables, views, indexes, sequences, columns and constraints.
 */
import type { ColumnDef, RelationDef } from "../catalog/mod.ts";
import { analyze, bindTableExpr } from "../analyze/mod.ts";
import { compile, Env } from "../exec/mod.ts";
import type { AlterTableStmt, Statement } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { castDatum, type EvalContext } from "../types/mod.ts";
import { addConstraint, type DdlContext, defaultText, dropRelation } from "./ddl.ts";

function relOf(
  d: DdlContext,
  schema: string | null,
  name: string,
  ifExists: boolean,
  location: number,
): RelationDef | undefined {
  const rel = analyze.findRelation(d.env(), schema, name);
  if (rel === undefined) {
    if (ifExists) return undefined;
    throw new DbError(SqlState.undefinedTable, `relation "${name}" does not exist`, {
      position: location + 1,
    });
  }
  return rel;
}

function column(rel: RelationDef, name: string): ColumnDef {
  const c = rel.columns.find((x) => x.name === name && !x.dropped);
  if (c === undefined) {
    throw new DbError(
      SqlState.undefinedColumn,
      `column "${name}" of relation "${rel.name}" does not exist`,
    );
  }
  return c;
}

function clone(rel: RelationDef): RelationDef {
  return JSON.parse(JSON.stringify(rel)) as RelationDef;
}

/** ALTER TABLE. */
export function alterTable(d: DdlContext, s: AlterTableStmt, ctx: EvalContext): string {
  const found = relOf(d, s.relation.schema, s.relation.name, s.ifExists, s.relation.location);
  if (found === undefined) {
    d.notice?.(`relation "${s.relation.name}" does not exist, skipping`);
    return "ALTER TABLE";
  }
  for (const cmd of s.commands) {
    const rel = clone(d.catalog().relationByOid(found.oid)!);
    switch (cmd.kind) {
      case "add_column": {
        const cd = cmd.column;
        if (rel.columns.some((x) => x.name === cd.name && !x.dropped)) {
          if (cmd.ifNotExists) {
            d.notice?.(`column "${cd.name}" of relation "${rel.name}" already exists, skipping`);
            continue;
          }
          throw new DbError(
            SqlState.duplicateColumn,
            `column "${cd.name}" of relation "${rel.name}" already exists`,
          );
        }
        const t = analyze.resolveType(d.env(), cd.type);
        const col: ColumnDef = {
          name: cd.name,
          attnum: rel.columns.length + 1,
          type: t.oid,
          typmod: t.typmod,
          notNull: false,
          default: null,
          identity: "",
          dropped: false,
        };
        for (const con of cd.constraints) {
          if (con.contype === "default") col.default = defaultText(d.text, con.location);
          if (con.contype === "not_null") col.notNull = true;
        }
        let value = null;
        if (col.default !== null) {
          rel.columns.push(col);
          const e = bindTableExpr(d.env(), rel, col.default, false);
          const env = new Env(d.txn, ctx, []);
          value = castDatum(compile(e)([], env), e.type, col.type, ctx, { typmod: col.typmod });
          rel.columns.pop();
        }
        if (col.notNull && value === null) {
          const c = d.txn.scan(rel.oid);
          if (c.next()) {
            throw new DbError(
              SqlState.notNullViolation,
              `column "${col.name}" of relation "${rel.name}" contains null values`,
            );
          }
        }
        d.txn.addColumn(rel.oid, value);
        rel.columns.push(col);
        d.store.put(d.txn, rel);
        for (const con of cd.constraints) {
          if (
            con.contype === "primary_key" || con.contype === "unique" ||
            con.contype === "foreign_key"
          ) {
            addConstraint(d, rel, { ...con, columns: [col.name] } as never);
          } else if (con.contype === "check") addConstraint(d, rel, con);
        }
        break;
      }
      case "drop_column": {
        const c = rel.columns.find((x) => x.name === cmd.name && !x.dropped);
        if (c === undefined) {
          if (cmd.ifExists) {
            d.notice?.(`column "${cmd.name}" of relation "${rel.name}" does not exist, skipping`);
            continue;
          }
          throw new DbError(
            SqlState.undefinedColumn,
            `column "${cmd.name}" of relation "${rel.name}" does not exist`,
          );
        }
        const cat = d.catalog();
        for (const k of cat.constraintsOf(rel.oid)) {
          if (
            k.columns.includes(c.attnum) ||
            (k.type === "c" && new RegExp(`\\b${c.name}\\b`).test(k.check ?? ""))
          ) {
            d.store.remove(d.txn, k.oid);
            if (k.index !== undefined) {
              d.txn.dropIndex(k.index);
              d.store.remove(d.txn, k.index);
            }
          }
        }
        for (const k of cat.referencingKeys(rel.oid)) {
          if (k.fk!.refColumns.includes(c.attnum)) {
            if (cmd.behavior !== "cascade") {
              throw new DbError(
                SqlState.dependentObjectsStillExist,
                `cannot drop column ${c.name} of table ${rel.name} because other objects depend on it`,
              );
            }
            d.store.remove(d.txn, k.oid);
          }
        }
        for (const i of cat.indexesOf(rel.oid)) {
          if (i.index!.columns.includes(c.attnum) && d.catalog().byOid.has(i.oid)) {
            d.txn.dropIndex(i.oid);
            d.store.remove(d.txn, i.oid);
          }
        }
        d.txn.dropColumn(rel.oid, c.attnum - 1);
        const fresh = clone(d.catalog().relationByOid(rel.oid)!);
        const fc = fresh.columns[c.attnum - 1]!;
        fc.dropped = true;
        fc.name = `........pg.dropped.${c.attnum}........`;
        fc.notNull = false;
        fc.default = null;
        d.store.put(d.txn, fresh);
        break;
      }
      case "set_default": {
        const m = /\bdefault\b/i.exec(d.text.slice(cmd.location));
        column(rel, cmd.column).default = defaultText(d.text, cmd.location + (m?.index ?? 0));
        d.store.put(d.txn, rel);
        break;
      }
      case "drop_default":
        column(rel, cmd.column).default = null;
        d.store.put(d.txn, rel);
        break;
      case "set_not_null": {
        const c = column(rel, cmd.column);
        for (const cur = d.txn.scan(rel.oid); cur.next();) {
          if (cur.row[c.attnum - 1] === null) {
            throw new DbError(
              SqlState.notNullViolation,
              `column "${c.name}" of relation "${rel.name}" contains null values`,
              {
                table: rel.name,
                column: c.name,
              },
            );
          }
        }
        c.notNull = true;
        d.store.put(d.txn, rel);
        break;
      }
      case "drop_not_null": {
        const c = column(rel, cmd.column);
        const pk = d.catalog().constraintsOf(rel.oid).find((k) =>
          k.type === "p" && k.columns.includes(c.attnum)
        );
        if (pk) {
          throw new DbError(
            SqlState.invalidTableDefinition,
            `column "${c.name}" is in a primary key`,
          );
        }
        c.notNull = false;
        d.store.put(d.txn, rel);
        break;
      }
      case "alter_column_type": {
        const c = column(rel, cmd.column);
        const t = analyze.resolveType(d.env(), cmd.type);
        const from = c.type;
        const rows: { id: number; row: unknown[] }[] = [];
        for (const cur = d.txn.scan(rel.oid); cur.next();) {
          rows.push({ id: cur.rowId, row: cur.row });
        }
        if (cmd.using !== null) {
          throw new DbError(
            SqlState.featureNotSupported,
            "ALTER COLUMN TYPE … USING is not supported yet",
          );
        }
        for (const r of rows) {
          const row = (r.row as never[]).slice();
          row[c.attnum - 1] = castDatum(row[c.attnum - 1] ?? null, from, t.oid, ctx, {
            typmod: t.typmod,
          }) as never;
          d.txn.update(rel.oid, r.id, row);
        }
        c.type = t.oid;
        c.typmod = t.typmod;
        d.store.put(d.txn, rel);
        break;
      }
      case "add_constraint": {
        const con = cmd.constraint;
        if (
          con.name !== null && d.catalog().relationNameTaken(rel.schema, con.name) &&
          (con.contype === "primary_key" || con.contype === "unique")
        ) {
          throw new DbError(SqlState.duplicateTable, `relation "${con.name}" already exists`);
        }
        if (
          con.name !== null && d.catalog().constraintsOf(rel.oid).some((k) => k.name === con.name)
        ) {
          throw new DbError(
            SqlState.duplicateObject,
            `constraint "${con.name}" for relation "${rel.name}" already exists`,
          );
        }
        addConstraint(d, rel, con);
        validateConstraint(d, rel.oid, ctx);
        break;
      }
      case "drop_constraint": {
        const k = d.catalog().constraintsOf(rel.oid).find((x) => x.name === cmd.name);
        if (k === undefined) {
          if (cmd.ifExists) {
            d.notice?.(
              `constraint "${cmd.name}" of relation "${rel.name}" does not exist, skipping`,
            );
            continue;
          }
          throw new DbError(
            SqlState.undefinedObject,
            `constraint "${cmd.name}" of relation "${rel.name}" does not exist`,
          );
        }
        d.store.remove(d.txn, k.oid);
        if (k.index !== undefined) {
          d.txn.dropIndex(k.index);
          d.store.remove(d.txn, k.index);
        }
        break;
      }
      case "enable_rls":
      case "disable_rls":
      case "force_rls":
      case "no_force_rls":
        if (cmd.kind === "enable_rls" || cmd.kind === "disable_rls") {
          rel.rls = cmd.kind === "enable_rls";
        } else rel.forceRls = cmd.kind === "force_rls";
        d.store.put(d.txn, rel);
        break;
      case "set_options":
      case "reset_options":
        // A view's options (security_invoker decides whose policies apply); table storage
        // options are accepted and ignored.
        if (rel.kind === "v") {
          const names = cmd.kind === "set_options" ? cmd.options.map((o) => o.name) : cmd.names;
          const kept = (rel.options ?? []).filter((o) => !names.includes(o.split("=")[0]!));
          const added = cmd.kind === "set_options"
            ? cmd.options.map((o) =>
              `${o.name}=${o.arg === null ? "true" : "value" in o.arg ? String(o.arg.value) : ""}`
            )
            : [];
          rel.options = [...kept, ...added];
          d.store.put(d.txn, rel);
        }
        break;
      case "owner_to":
      case "validate_constraint":
        break;
      default:
        throw new DbError(
          SqlState.featureNotSupported,
          `ALTER TABLE ${cmd.kind.replace(/_/g, " ").toUpperCase()} is not supported yet`,
        );
    }
  }
  return s.objectType === "table"
    ? "ALTER TABLE"
    : `ALTER ${s.objectType.toUpperCase().replace("_", " ")}`;
}

/** Checks every existing row against the table's CHECK and FOREIGN KEY constraints. */
function validateConstraint(d: DdlContext, oid: number, ctx: EvalContext): void {
  const rel = d.catalog().relationByOid(oid)!;
  const env = new Env(d.txn, ctx, []);
  for (const k of d.catalog().constraintsOf(oid)) {
    if (k.type === "c") {
      const f = compile(bindTableExpr(d.env(), rel, k.check!, true));
      for (const cur = d.txn.scan(oid); cur.next();) {
        if (f(cur.row, env) === false) {
          throw new DbError(
            SqlState.checkViolation,
            `check constraint "${k.name}" of relation "${rel.name}" is violated by some row`,
            {
              constraint: k.name,
            },
          );
        }
      }
    } else if (k.type === "f") {
      const parent = d.catalog().relationByOid(k.fk!.refTable)!;
      const idx = d.catalog().indexesOf(parent.oid).find((i) =>
        i.index!.unique && i.index!.columns.every((a, j) => a === k.fk!.refColumns[j])
      );
      if (idx === undefined) continue;
      for (const cur = d.txn.scan(oid); cur.next();) {
        const key = k.columns.map((a) => cur.row[a - 1] ?? null);
        if (key.some((v) => v === null)) continue;
        if (!d.txn.lookup(idx.oid, key).next()) {
          throw new DbError(
            SqlState.foreignKeyViolation,
            `insert or update on table "${rel.name}" violates foreign key constraint "${k.name}"`,
            {
              detail: `Key (${k.columns.map((a) => rel.columns[a - 1]!.name).join(", ")})=(${
                key.join(", ")
              }) is not present in table "${parent.name}".`,
              constraint: k.name,
            },
          );
        }
      }
    }
  }
}

/** RENAME of relations, columns and constraints. */
export function rename(d: DdlContext, s: Extract<Statement, { kind: "rename" }>): string {
  const tag = `ALTER ${
    s.objectType === "column" || s.objectType === "constraint"
      ? "TABLE"
      : s.objectType.toUpperCase().replace("_", " ")
  }`;
  if (s.relation === null) {
    if (s.objectType === "schema") {
      const ns = d.catalog().namespaces.get(s.object![0]!);
      if (ns === undefined) {
        throw new DbError(SqlState.invalidSchemaName, `schema "${s.object![0]}" does not exist`);
      }
      d.store.put(d.txn, { ...ns, name: s.newName });
      return "ALTER SCHEMA";
    }
    throw new DbError(
      SqlState.featureNotSupported,
      `RENAME of ${s.objectType} is not supported yet`,
    );
  }
  const found = relOf(d, s.relation.schema, s.relation.name, s.ifExists, s.relation.location);
  if (found === undefined) return tag;
  const rel = clone(found);
  switch (s.objectType) {
    case "column": {
      const c = column(rel, s.subname!);
      if (rel.columns.some((x) => x.name === s.newName && !x.dropped)) {
        throw new DbError(
          SqlState.duplicateColumn,
          `column "${s.newName}" of relation "${rel.name}" already exists`,
        );
      }
      c.name = s.newName;
      d.store.put(d.txn, rel);
      return tag;
    }
    case "constraint": {
      const k = d.catalog().constraintsOf(rel.oid).find((x) => x.name === s.subname);
      if (k === undefined) {
        throw new DbError(
          SqlState.undefinedObject,
          `constraint "${s.subname}" for table "${rel.name}" does not exist`,
        );
      }
      d.store.put(d.txn, { ...k, name: s.newName });
      return tag;
    }
    default:
      if (d.catalog().relationNameTaken(rel.schema, s.newName)) {
        throw new DbError(SqlState.duplicateTable, `relation "${s.newName}" already exists`);
      }
      rel.name = s.newName;
      d.store.put(d.txn, rel);
      return tag;
  }
}

export { dropRelation };
