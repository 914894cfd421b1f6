/**
 * @module information_schema relations computed from the catalog: tables, columns, schemata,
 * views, table_constraints and key_column_usage (the SQL-standard view of it that ORMs read).
 */
import type { Catalog, RelationDef } from "../catalog/mod.ts";
import type { Datum } from "../datum.ts";
import { formatType, numericPrecisionScale, Oid, typeByOid } from "../types/mod.ts";
import type { EngineContext } from "./functions.ts";
import { defaultExprText } from "./deparse.ts";

type Col = [string, number];
type Producer = (cat: Catalog, ctx: EngineContext) => Datum[][];

const N = Oid.name;
const I4 = Oid.int4;
const V = Oid.varchar;

function liveCols(r: RelationDef) {
  return r.columns.filter((c) => !c.dropped);
}

function schemaOf(cat: Catalog, oid: number): string {
  return cat.schemaName(oid);
}

const yesNo = (b: boolean) => b ? "YES" : "NO";

function dataType(cat: Catalog, t: number): string {
  if (cat.typeByOid(t)) return cat.typeByOid(t)!.oid === t ? "USER-DEFINED" : "ARRAY";
  if (typeByOid(t)?.name.startsWith("_")) return "ARRAY";
  return formatType(t, -1);
}

/** information_schema relations by name. */
export const infoSchema: Record<string, { cols: Col[]; rows: Producer }> = {
  tables: {
    cols: [
      ["table_catalog", N],
      ["table_schema", N],
      ["table_name", N],
      ["table_type", V],
      ["self_referencing_column_name", N],
      ["reference_generation", V],
      ["user_defined_type_catalog", N],
      ["user_defined_type_schema", N],
      ["user_defined_type_name", N],
      ["is_insertable_into", V],
      ["is_typed", V],
      ["commit_action", V],
    ],
    rows: (cat, ctx) =>
      cat.all("relation").filter((r) => r.kind === "r" || r.kind === "v").map((r) => [
        ctx.databaseName,
        schemaOf(cat, r.schema),
        r.name,
        r.kind === "r" ? "BASE TABLE" : "VIEW",
        null,
        null,
        null,
        null,
        null,
        "YES",
        "NO",
        null,
      ]),
  },
  columns: {
    cols: [
      ["table_catalog", N],
      ["table_schema", N],
      ["table_name", N],
      ["column_name", N],
      ["ordinal_position", I4],
      ["column_default", V],
      ["is_nullable", V],
      ["data_type", V],
      ["character_maximum_length", I4],
      ["character_octet_length", I4],
      ["numeric_precision", I4],
      ["numeric_precision_radix", I4],
      ["numeric_scale", I4],
      ["datetime_precision", I4],
      ["udt_catalog", N],
      ["udt_schema", N],
      ["udt_name", N],
      ["is_identity", V],
      ["identity_generation", V],
      ["is_generated", V],
      ["is_updatable", V],
    ],
    rows: (cat, ctx) => {
      const out: Datum[][] = [];
      for (const r of cat.all("relation")) {
        if (r.kind !== "r" && r.kind !== "v") continue;
        liveCols(r).forEach((c, i) => {
          const ut = cat.typeByOid(c.type);
          const tname = ut
            ? (ut.oid === c.type ? ut.name : `_${ut.name}`)
            : typeByOid(c.type)?.name ?? "";
          const charLen = (c.type === Oid.varchar || c.type === Oid.bpchar) && c.typmod >= 4
            ? c.typmod - 4
            : null;
          let prec: number | null = null;
          let scale: number | null = null;
          if (c.type === Oid.int2) [prec, scale] = [16, 0];
          if (c.type === Oid.int4) [prec, scale] = [32, 0];
          if (c.type === Oid.int8) [prec, scale] = [64, 0];
          if (c.type === Oid.float4) prec = 24;
          if (c.type === Oid.float8) prec = 53;
          if (c.type === Oid.numeric && c.typmod >= 4) {
            const ps = numericPrecisionScale(c.typmod)!;
            prec = ps.precision;
            scale = ps.scale;
          }
          const radix = prec === null ? null : c.type === Oid.numeric ? 10 : 2;
          out.push([
            ctx.databaseName,
            schemaOf(cat, r.schema),
            r.name,
            c.name,
            i + 1,
            c.identity ? null : defaultExprText(cat, c, ctx),
            yesNo(!c.notNull),
            dataType(cat, c.type),
            charLen,
            charLen !== null
              ? charLen * 4
              : (c.type === Oid.text || c.type === Oid.varchar || c.type === Oid.bpchar
                ? 1073741824
                : null),
            prec,
            radix,
            scale,
            [Oid.timestamp, Oid.timestamptz, Oid.time, Oid.timetz, Oid.interval].includes(
                c.type as 1114,
              )
              ? 6
              : c.type === Oid.date
              ? 0
              : null,
            ctx.databaseName,
            ut ? schemaOf(cat, ut.schema) : "pg_catalog",
            tname,
            yesNo(c.identity !== ""),
            c.identity === "a" ? "ALWAYS" : c.identity === "d" ? "BY DEFAULT" : null,
            "NEVER",
            "YES",
          ]);
        });
      }
      return out;
    },
  },
  schemata: {
    cols: [
      ["catalog_name", N],
      ["schema_name", N],
      ["schema_owner", N],
      ["default_character_set_catalog", N],
      ["default_character_set_schema", N],
      ["default_character_set_name", N],
      ["sql_path", V],
    ],
    rows: (cat, ctx) =>
      cat.all("namespace").map((
        n,
      ) => [
        ctx.databaseName,
        n.name,
        cat.roleByOid(n.owner)?.name ?? "postgres",
        null,
        null,
        null,
        null,
      ]),
  },
  views: {
    cols: [
      ["table_catalog", N],
      ["table_schema", N],
      ["table_name", N],
      ["view_definition", V],
      ["check_option", V],
      ["is_updatable", V],
      ["is_insertable_into", V],
      ["is_trigger_updatable", V],
      ["is_trigger_deletable", V],
      ["is_trigger_insertable_into", V],
    ],
    rows: (cat, ctx) =>
      cat.all("relation").filter((r) => r.kind === "v").map((
        r,
      ) => [
        ctx.databaseName,
        schemaOf(cat, r.schema),
        r.name,
        ` ${r.viewSql};`,
        "NONE",
        "NO",
        "NO",
        "NO",
        "NO",
        "NO",
      ]),
  },
  table_constraints: {
    cols: [
      ["constraint_catalog", N],
      ["constraint_schema", N],
      ["constraint_name", N],
      ["table_catalog", N],
      ["table_schema", N],
      ["table_name", N],
      ["constraint_type", V],
      ["is_deferrable", V],
      ["initially_deferred", V],
      ["enforced", V],
      ["nulls_distinct", V],
    ],
    rows: (cat, ctx) => {
      const out: Datum[][] = [];
      for (const k of cat.all("constraint")) {
        const r = cat.relationByOid(k.table);
        if (!r) continue;
        const type = { p: "PRIMARY KEY", u: "UNIQUE", c: "CHECK", f: "FOREIGN KEY" }[k.type];
        out.push([
          ctx.databaseName,
          schemaOf(cat, k.schema),
          k.name,
          ctx.databaseName,
          schemaOf(cat, r.schema),
          r.name,
          type,
          "NO",
          "NO",
          "YES",
          k.type === "u" || k.type === "p" ? "YES" : null,
        ]);
      }
      for (const r of cat.all("relation")) {
        if (r.kind !== "r") continue;
        for (const c of r.columns) {
          if (c.notNull && !c.dropped) {
            out.push([
              ctx.databaseName,
              schemaOf(cat, r.schema),
              `${r.schema}_${r.oid}_${c.attnum}_not_null`,
              ctx.databaseName,
              schemaOf(cat, r.schema),
              r.name,
              "CHECK",
              "NO",
              "NO",
              "YES",
              null,
            ]);
          }
        }
      }
      return out;
    },
  },
  key_column_usage: {
    cols: [
      ["constraint_catalog", N],
      ["constraint_schema", N],
      ["constraint_name", N],
      ["table_catalog", N],
      ["table_schema", N],
      ["table_name", N],
      ["column_name", N],
      ["ordinal_position", I4],
      ["position_in_unique_constraint", I4],
    ],
    rows: (cat, ctx) => {
      const out: Datum[][] = [];
      for (const k of cat.all("constraint")) {
        if (k.type === "c") continue;
        const r = cat.relationByOid(k.table);
        if (!r) continue;
        k.columns.forEach((a, i) => {
          out.push([
            ctx.databaseName,
            schemaOf(cat, k.schema),
            k.name,
            ctx.databaseName,
            schemaOf(cat, r.schema),
            r.name,
            r.columns[a - 1]?.name ?? "",
            i + 1,
            k.type === "f" ? i + 1 : null,
          ]);
        });
      }
      return out;
    },
  },
};
