/**
 * @module The SQL text psql and drivers read back from the catalog: pg_get_indexdef,
 * pg_get_constraintdef and pg_get_viewdef.
 */
import type { Catalog, ConstraintDef, RelationDef } from "../catalog/mod.ts";
import type { EvalContext } from "../types/mod.ts";
import { checkConstraintText, type DeparseOptions, indexExprText } from "./deparse.ts";

function qual(cat: Catalog, r: RelationDef): string {
  const s = cat.schemaName(r.schema);
  return s === "public" ? r.name : `${s}.${r.name}`;
}

function wrapExpr(text: string): string {
  // Fallback (text that does not bind): an operator expression in parentheses, wrapped again.
  return /^[a-z_][a-z0-9_.]*\(.*\)$/i.test(text) ? text : `((${text}))`;
}

/** CREATE [UNIQUE] INDEX name ON schema.table USING btree (cols). */
export function indexDef(
  cat: Catalog,
  idx: RelationDef,
  pretty = false,
  ctx?: EvalContext,
): string {
  const t = cat.relationByOid(idx.index!.table)!;
  const expr = (src: string) =>
    (ctx === undefined ? null : indexExprText(cat, t, src, { pretty, ctx })) ?? wrapExpr(src);
  const cols = idx.index!.columns.map((a, i) =>
    a === 0 ? expr(idx.index!.exprs?.[i] ?? "?") : t.columns[a - 1]?.name ?? "?"
  )
    .join(", ");
  return `CREATE ${idx.index!.unique ? "UNIQUE " : ""}INDEX ${idx.name} ON ${
    pretty ? qual(cat, t) : `${cat.schemaName(t.schema)}.${t.name}`
  } USING btree (${cols})`;
}

const actions: Record<string, string> = {
  cascade: "CASCADE",
  restrict: "RESTRICT",
  set_null: "SET NULL",
  set_default: "SET DEFAULT",
};

/** pg_get_constraintdef. */
export function constraintDef(cat: Catalog, k: ConstraintDef, o?: DeparseOptions): string {
  const t = cat.relationByOid(k.table);
  const names = (atts: number[], r: RelationDef | undefined) =>
    atts.map((a) => r?.columns[a - 1]?.name ?? "?").join(", ");
  switch (k.type) {
    case "p":
      return `PRIMARY KEY (${names(k.columns, t)})`;
    case "u":
      return `UNIQUE (${names(k.columns, t)})`;
    case "c":
      if (o !== undefined && t !== undefined) return checkConstraintText(cat, t, k.check!, o);
      return `CHECK ((${k.check}))`;
    case "f": {
      const p = cat.relationByOid(k.fk!.refTable);
      let s = `FOREIGN KEY (${names(k.columns, t)}) REFERENCES ${p ? qual(cat, p) : "?"}(${
        names(k.fk!.refColumns, p)
      })`;
      if (actions[k.fk!.onUpdate]) s += ` ON UPDATE ${actions[k.fk!.onUpdate]}`;
      if (actions[k.fk!.onDelete]) s += ` ON DELETE ${actions[k.fk!.onDelete]}`;
      return s;
    }
  }
}
