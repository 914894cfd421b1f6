/**
 * @module pg_catalog and information_schema relations as virtual tables computed from the
 * catalog when a query runs: pg_namespace, pg_class, pg_attribute, pg_type, pg_enum,
 * pg_constraint, pg_index, pg_attrdef, pg_description, pg_roles/pg_user (pg_authid and the
 * privilege relations are in acl_columns.ts), pg_database, pg_settings, pg_sequence(s), pg_tables, pg_views, pg_indexes, pg_am,
 * pg_tablespace, pg_inherits, pg_partitioned_table, pg_proc, pg_collation, pg_policy, pg_policies,
 * pg_extension, pg_stat_user_tables …; information_schema lives in information_schema.ts.
 */
import type { Catalog, RelationDef } from "../catalog/mod.ts";
import type { Datum } from "../datum.ts";
import type { RangeVar } from "../sql/mod.ts";
import type { PlanNode } from "../plan/mod.ts";
import {
  allFunctions,
  allTypes,
  type EvalContext,
  Oid,
  PgArray,
  typeByName,
  typeByOid,
} from "../types/mod.ts";
import type { BindCtx } from "./context.ts";
import { mk } from "./build.ts";
import type { EngineContext } from "./functions.ts";
import { constraintDef, indexDef } from "./catalog_text.ts";
import { defaultExprText } from "./deparse.ts";
import { schemaOfRel, viewDefText, viewNames } from "./view_deparse.ts";
import { pgStatsTable } from "./pg_stats.ts";
import { infoSchema } from "./information_schema.ts";
import {
  aclArray,
  infoSchemaPrivilegeTables,
  privilegeTables,
  roleConfig,
  userViewCols,
} from "./acl_columns.ts";
import { sqlFunctionOid, sqlFunctions } from "./sql_functions.ts";
import { engineProcOid, procAcl, procByOid, procEntries } from "./proc_catalog.ts";
import { engineOnlyFunctions } from "./functions.ts";

type Col = [string, number];
type Producer = (cat: Catalog, ctx: EngineContext) => Datum[][];

const O = Oid.oid;
const N = Oid.name;
const B = Oid.bool;
const T = Oid.text;
const C = Oid.char;
const I2 = Oid.int2;
const I4 = Oid.int4;
const I8 = Oid.int8;
const F4 = Oid.float4;

const pgClassOid = 1259;

/** pg_proc rows of the session-aware functions db/types does not list (current_setting …). */
function engineFunctionRows(cat: Catalog): Datum[][] {
  return engineOnlyFunctions().map((f, i) => [
    engineProcOid(i),
    f.name,
    11,
    10,
    12,
    1,
    0,
    0,
    "f",
    false,
    false,
    f.strict,
    false,
    f.volatile ? "v" : "s",
    "s",
    f.args.length,
    0,
    f.result,
    PgArray.of([...f.args]),
    null,
    null,
    null,
    f.name,
    null,
    procAclDatum(cat, engineProcOid(i)),
  ]);
}

/** pg_proc rows of the aggregates (prokind a, prosrc aggregate_dummy, as PostgreSQL lists them). */
function aggregateRows(cat: Catalog): Datum[][] {
  return procEntries().filter((p) => p.kind === "a").map((p) => [
    p.oid,
    p.name,
    11,
    10,
    12,
    1,
    0,
    p.variadic ? p.args[p.args.length - 1]! : 0,
    "a",
    false,
    false,
    false,
    false,
    "i",
    "s",
    p.args.length,
    0,
    p.result,
    PgArray.of([...p.args]),
    null,
    null,
    null,
    "aggregate_dummy",
    null,
    procAclDatum(cat, p.oid),
  ]);
}

/** pg_proc.proacl of the function with OID `oid` (NULL until GRANT or REVOKE changes it). */
function procAclDatum(cat: Catalog, oid: number): Datum {
  const p = procByOid(oid);
  return p === undefined ? null : aclArray(cat, procAcl(cat, p));
}

/** pg_proc rows of the SQL-text functions (auth.uid() …), language sql (14), stable. */
function sqlFunctionRows(cat: Catalog): Datum[][] {
  return sqlFunctions().flatMap((f, i) => {
    const ns = cat.namespaces.get(f.schema);
    if (ns === undefined) return [];
    const ret = typeByName(f.returns.names[f.returns.names.length - 1]!)?.oid ?? Oid.text;
    return [[
      sqlFunctionOid(i),
      f.name,
      ns.oid,
      10,
      14,
      100,
      0,
      0,
      "f",
      false,
      false,
      false,
      false,
      "s",
      "u",
      0,
      0,
      ret,
      PgArray.of([]),
      null,
      null,
      null,
      f.source,
      null,
      procAclDatum(cat, sqlFunctionOid(i)),
    ]];
  });
}

/** Policies in the order PostgreSQL's pg_policy scan returns them: by last write. */
function policiesInHeapOrder(cat: Catalog) {
  return cat.all("policy").sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.oid - b.oid);
}

const policyCmdNames: Record<string, string> = {
  "*": "ALL",
  r: "SELECT",
  a: "INSERT",
  w: "UPDATE",
  d: "DELETE",
};

function relkind(r: RelationDef): string {
  return r.kind === "S" ? "S" : r.kind;
}

function schemaOf(cat: Catalog, oid: number): string {
  return cat.schemaName(oid);
}

function typeLen(t: number): number {
  return typeByOid(t)?.len ?? 4;
}

const tables: Record<string, { cols: Col[]; rows: Producer }> = {
  pg_namespace: {
    cols: [["oid", O], ["nspname", N], ["nspowner", O], ["nspacl", Oid.aclitemArray]],
    rows: (cat) => cat.all("namespace").map((n) => [n.oid, n.name, n.owner, aclArray(cat, n.acl)]),
  },
  pg_class: {
    cols: [
      ["oid", O],
      ["relname", N],
      ["relnamespace", O],
      ["reltype", O],
      ["reloftype", O],
      ["relowner", O],
      ["relam", O],
      ["relfilenode", O],
      ["reltablespace", O],
      ["relpages", I4],
      ["reltuples", F4],
      ["relallvisible", I4],
      ["reltoastrelid", O],
      ["relhasindex", B],
      ["relisshared", B],
      ["relpersistence", C],
      ["relkind", C],
      ["relnatts", I2],
      ["relchecks", I2],
      ["relhasrules", B],
      ["relhastriggers", B],
      ["relhassubclass", B],
      ["relrowsecurity", B],
      ["relforcerowsecurity", B],
      ["relispopulated", B],
      ["relreplident", C],
      ["relispartition", B],
      ["relrewrite", O],
      ["relfrozenxid", Oid.xid],
      ["relminmxid", Oid.xid],
      ["relacl", Oid.aclitemArray],
      ["reloptions", Oid.textArray],
      ["relpartbound", T],
    ],
    rows: (cat) =>
      cat.all("relation").map((r) => [
        r.oid,
        r.name,
        r.schema,
        0,
        0,
        r.owner,
        r.kind === "i" ? 403 : r.kind === "r" ? 2 : 0,
        r.oid,
        0,
        0,
        -1,
        0,
        0,
        cat.indexesOf(r.oid).length > 0,
        false,
        "p",
        relkind(r),
        liveColsCount(r),
        cat.constraintsOf(r.oid).filter((k) => k.type === "c").length,
        r.kind === "v",
        false,
        false,
        r.rls ?? false,
        r.forceRls ?? false,
        true,
        r.kind === "r" ? "d" : "n",
        false,
        0,
        "0",
        "1",
        aclArray(cat, r.acl),
        r.options && r.options.length ? PgArray.of(r.options) : null,
        null,
      ]),
  },
  pg_attribute: {
    cols: [
      ["attrelid", O],
      ["attname", N],
      ["atttypid", O],
      ["attstattarget", I4],
      ["attlen", I2],
      ["attnum", I2],
      ["attndims", I4],
      ["attcacheoff", I4],
      ["atttypmod", I4],
      ["attbyval", B],
      ["attalign", C],
      ["attstorage", C],
      ["attcompression", C],
      ["attnotnull", B],
      ["atthasdef", B],
      ["atthasmissing", B],
      ["attidentity", C],
      ["attgenerated", C],
      ["attisdropped", B],
      ["attislocal", B],
      ["attinhcount", I4],
      ["attcollation", O],
      ["attacl", Oid.aclitemArray],
      ["attoptions", Oid.textArray],
      ["attfdwoptions", Oid.textArray],
      ["attmissingval", T],
    ],
    rows: (cat) => {
      const out: Datum[][] = [];
      for (const r of cat.all("relation")) {
        for (const c of r.columns) {
          const ti = typeByOid(c.type);
          out.push([
            r.oid,
            c.name,
            c.dropped ? 0 : c.type,
            -1,
            typeLen(c.type),
            c.attnum,
            ti?.name.startsWith("_") ? 1 : 0,
            -1,
            c.typmod,
            ti?.byval ?? false,
            ti?.align ?? "i",
            ti?.storage ?? "p",
            "",
            c.notNull,
            c.default !== null,
            false,
            c.identity,
            "",
            c.dropped,
            true,
            0,
            c.type === Oid.text || c.type === Oid.varchar || c.type === Oid.bpchar ? 100 : 0,
            aclArray(cat, c.acl),
            null,
            null,
            null,
          ]);
        }
      }
      return out;
    },
  },
  pg_type: {
    cols: [
      ["oid", O],
      ["typname", N],
      ["typnamespace", O],
      ["typowner", O],
      ["typlen", I2],
      ["typbyval", B],
      ["typtype", C],
      ["typcategory", C],
      ["typispreferred", B],
      ["typisdefined", B],
      ["typdelim", C],
      ["typrelid", O],
      ["typsubscript", Oid.regproc],
      ["typelem", O],
      ["typarray", O],
      ["typinput", Oid.regproc],
      ["typoutput", Oid.regproc],
      ["typreceive", Oid.regproc],
      ["typsend", Oid.regproc],
      ["typmodin", Oid.regproc],
      ["typmodout", Oid.regproc],
      ["typanalyze", Oid.regproc],
      ["typalign", C],
      ["typstorage", C],
      ["typnotnull", B],
      ["typbasetype", O],
      ["typtypmod", I4],
      ["typndims", I4],
      ["typcollation", O],
      ["typdefaultbin", T],
      ["typdefault", T],
      ["typacl", Oid.aclitemArray],
    ],
    rows: (cat) => {
      const out: Datum[][] = allTypes().map((t) => [
        t.oid,
        t.name,
        11,
        10,
        t.len,
        t.byval,
        t.kind,
        t.category,
        t.preferred,
        true,
        t.delim,
        0,
        "-",
        t.elem,
        t.array,
        t.input,
        t.output,
        t.receive,
        t.send,
        "-",
        "-",
        "-",
        t.align,
        t.storage,
        false,
        0,
        -1,
        0,
        t.category === "S" ? 100 : 0,
        null,
        null,
        null,
      ]);
      for (const t of cat.all("type")) {
        out.push([
          t.oid,
          t.name,
          t.schema,
          t.owner,
          4,
          true,
          "e",
          "E",
          false,
          true,
          ",",
          0,
          "-",
          0,
          t.arrayOid,
          "enum_in",
          "enum_out",
          "enum_recv",
          "enum_send",
          "-",
          "-",
          "-",
          "i",
          "p",
          false,
          0,
          -1,
          0,
          0,
          null,
          null,
          null,
        ]);
        out.push([
          t.arrayOid,
          `_${t.name}`,
          t.schema,
          t.owner,
          -1,
          false,
          "b",
          "A",
          false,
          true,
          ",",
          0,
          "array_subscript_handler",
          t.oid,
          0,
          "array_in",
          "array_out",
          "array_recv",
          "array_send",
          "-",
          "-",
          "array_typanalyze",
          "i",
          "x",
          false,
          0,
          -1,
          0,
          0,
          null,
          null,
          null,
        ]);
      }
      return out;
    },
  },
  pg_enum: {
    cols: [["oid", O], ["enumtypid", O], ["enumsortorder", F4], ["enumlabel", N]],
    rows: (cat) =>
      cat.all("type").flatMap((t) => t.labels.map((l, i) => [t.oid * 1000 + i, t.oid, i + 1, l])),
  },
  pg_constraint: {
    cols: [
      ["oid", O],
      ["conname", N],
      ["connamespace", O],
      ["contype", C],
      ["condeferrable", B],
      ["condeferred", B],
      ["convalidated", B],
      ["conrelid", O],
      ["contypid", O],
      ["conindid", O],
      ["conparentid", O],
      ["confrelid", O],
      ["confupdtype", C],
      ["confdeltype", C],
      ["confmatchtype", C],
      ["conislocal", B],
      ["coninhcount", I4],
      ["connoinherit", B],
      ["conkey", Oid.int2Array],
      ["confkey", Oid.int2Array],
      ["conbin", T],
    ],
    rows: (cat) =>
      cat.all("constraint").map((k) => [
        k.oid,
        k.name,
        k.schema,
        k.type,
        false,
        false,
        true,
        k.table,
        0,
        k.index ?? 0,
        0,
        k.fk?.refTable ?? 0,
        fkCode(k.fk?.onUpdate),
        fkCode(k.fk?.onDelete),
        k.fk ? "s" : " ",
        true,
        0,
        false,
        k.columns.length ? PgArray.of(k.columns) : null,
        k.fk ? PgArray.of(k.fk.refColumns) : null,
        k.check ?? null,
      ]),
  },
  pg_index: {
    cols: [
      ["indexrelid", O],
      ["indrelid", O],
      ["indnatts", I2],
      ["indnkeyatts", I2],
      ["indisunique", B],
      ["indnullsnotdistinct", B],
      ["indisprimary", B],
      ["indisexclusion", B],
      ["indimmediate", B],
      ["indisclustered", B],
      ["indisvalid", B],
      ["indcheckxmin", B],
      ["indisready", B],
      ["indislive", B],
      ["indisreplident", B],
      ["indkey", Oid.int2vector],
      ["indcollation", Oid.oidvector],
      ["indclass", Oid.oidvector],
      ["indoption", Oid.int2vector],
      ["indexprs", T],
      ["indpred", T],
    ],
    rows: (cat) =>
      cat.all("relation").filter((r) => r.kind === "i").map((r) => {
        const ix = r.index!;
        return [
          r.oid,
          ix.table,
          ix.columns.length,
          ix.columns.length,
          ix.unique,
          false,
          ix.primary,
          false,
          true,
          false,
          true,
          false,
          true,
          true,
          false,
          PgArray.of(ix.columns),
          PgArray.of(ix.columns.map(() => 0)),
          PgArray.of(ix.columns.map(() => 1978)),
          PgArray.of(ix.columns.map(() => 0)),
          null,
          null,
        ];
      }),
  },
  pg_attrdef: {
    cols: [["oid", O], ["adrelid", O], ["adnum", I2], ["adbin", T]],
    rows: (cat, ctx) =>
      cat.all("relation").filter((r) => r.kind === "r").flatMap((r) =>
        r.columns.filter((c) => c.default !== null && !c.dropped).map((
          c,
        ) => [r.oid * 100 + c.attnum, r.oid, c.attnum, defaultExprText(cat, c, ctx)])
          .filter((row) => row[3] !== null)
      ),
  },
  pg_description: {
    cols: [["objoid", O], ["classoid", O], ["objsubid", I4], ["description", T]],
    rows: (cat) => cat.all("comment").map((d) => [d.objOid, d.classOid, d.subId, d.text]),
  },
  pg_roles: {
    cols: [
      ["rolname", N],
      ["rolsuper", B],
      ["rolinherit", B],
      ["rolcreaterole", B],
      ["rolcreatedb", B],
      ["rolcanlogin", B],
      ["rolreplication", B],
      ["rolconnlimit", I4],
      ["rolpassword", T],
      ["rolvaliduntil", Oid.timestamptz],
      ["rolbypassrls", B],
      ["rolconfig", Oid.textArray],
      ["oid", O],
    ],
    rows: (cat) =>
      cat.all("role").map((r) => [
        r.name,
        r.superuser,
        r.inherit,
        r.createRole,
        r.createDb,
        r.login,
        r.superuser,
        r.connLimit ?? -1,
        "********",
        r.validUntil ? BigInt(r.validUntil) : null,
        r.bypassRls,
        roleConfig(cat, r.oid),
        r.oid,
      ]),
  },
  pg_database: {
    cols: [
      ["oid", O],
      ["datname", N],
      ["datdba", O],
      ["encoding", I4],
      ["datlocprovider", C],
      ["datistemplate", B],
      ["datallowconn", B],
      ["datconnlimit", I4],
      ["datfrozenxid", Oid.xid],
      ["datminmxid", Oid.xid],
      ["dattablespace", O],
      ["datcollate", T],
      ["datctype", T],
      ["daticulocale", T],
      ["datcollversion", T],
      ["datacl", Oid.aclitemArray],
    ],
    rows: (cat) =>
      cat.all("database").map((d) => [
        d.oid,
        d.name,
        d.owner,
        6,
        "c",
        d.name.startsWith("template"),
        d.allowConnections ?? d.name !== "template0",
        d.connLimit ?? -1,
        "716",
        "1",
        1663,
        "C.UTF-8",
        "C.UTF-8",
        null,
        null,
        d.name.startsWith("template")
          ? PgArray.of(["=c/postgres", "postgres=CTc/postgres"])
          : aclArray(cat, d.acl),
      ]),
  },
  pg_settings: {
    cols: [
      ["name", T],
      ["setting", T],
      ["unit", T],
      ["category", T],
      ["short_desc", T],
      ["extra_desc", T],
      ["context", T],
      ["vartype", T],
      ["source", T],
      ["min_val", T],
      ["max_val", T],
      ["enumvals", Oid.textArray],
      ["boot_val", T],
      ["reset_val", T],
      ["sourcefile", T],
      ["sourceline", I4],
      ["pending_restart", B],
    ],
    rows: (_cat, ctx) =>
      ctx.allSettings().map(([name, value]) => [
        name,
        value,
        null,
        "Ungrouped",
        "",
        null,
        "user",
        "string",
        "default",
        null,
        null,
        null,
        value,
        value,
        null,
        null,
        false,
      ]),
  },
  pg_sequence: {
    cols: [
      ["seqrelid", O],
      ["seqtypid", O],
      ["seqstart", I8],
      ["seqincrement", I8],
      ["seqmax", I8],
      ["seqmin", I8],
      ["seqcache", I8],
      ["seqcycle", B],
    ],
    rows: (cat, ctx) =>
      cat.all("relation").filter((r) => r.kind === "S").map((r) => {
        const d = ctx.sequenceDef(r.oid);
        return [
          r.oid,
          r.seqType ?? Oid.int8,
          d?.start ?? 1n,
          d?.increment ?? 1n,
          d?.maxValue ?? 0n,
          d?.minValue ?? 1n,
          1n,
          d?.cycle ?? false,
        ];
      }),
  },
  pg_sequences: {
    cols: [
      ["schemaname", N],
      ["sequencename", N],
      ["sequenceowner", N],
      ["data_type", Oid.regtype],
      ["start_value", I8],
      ["min_value", I8],
      ["max_value", I8],
      ["increment_by", I8],
      ["cycle", B],
      ["cache_size", I8],
      ["last_value", I8],
    ],
    rows: (cat, ctx) =>
      cat.all("relation").filter((r) => r.kind === "S").map((r) => {
        const d = ctx.sequenceDef(r.oid);
        return [
          schemaOf(cat, r.schema),
          r.name,
          "postgres",
          r.seqType ?? Oid.int8,
          d?.start ?? 1n,
          d?.minValue ?? 1n,
          d?.maxValue ?? 0n,
          d?.increment ?? 1n,
          d?.cycle ?? false,
          1n,
          d?.last ?? null,
        ];
      }),
  },
  pg_tables: {
    cols: [
      ["schemaname", N],
      ["tablename", N],
      ["tableowner", N],
      ["tablespace", N],
      ["hasindexes", B],
      ["hasrules", B],
      ["hastriggers", B],
      ["rowsecurity", B],
    ],
    rows: (cat) =>
      cat.all("relation").filter((r) => r.kind === "r").map((r) => [
        schemaOf(cat, r.schema),
        r.name,
        cat.roleByOid(r.owner)?.name ?? "postgres",
        null,
        cat.indexesOf(r.oid).length > 0,
        false,
        false,
        r.rls ?? false,
      ]),
  },
  pg_views: {
    cols: [["schemaname", N], ["viewname", N], ["viewowner", N], ["definition", T]],
    rows: (cat, ctx) =>
      cat.all("relation").filter((r) => r.kind === "v").map((
        r,
      ) => [
        schemaOf(cat, r.schema),
        r.name,
        "postgres",
        viewDefText(cat, r.viewSql ?? "", ctx, false, viewNames(r), schemaOfRel(cat, r)),
      ]),
  },
  pg_indexes: {
    cols: [["schemaname", N], ["tablename", N], ["indexname", N], ["tablespace", N], [
      "indexdef",
      T,
    ]],
    rows: (cat, ctx) =>
      cat.all("relation").filter((r) => r.kind === "i").map((r) => [
        schemaOf(cat, r.schema),
        cat.relationByOid(r.index!.table)?.name ?? "",
        r.name,
        null,
        indexDef(cat, r, false, ctx),
      ]),
  },
  pg_am: {
    cols: [["oid", O], ["amname", N], ["amhandler", Oid.regproc], ["amtype", C]],
    rows: () => [[2, "heap", "heap_tableam_handler", "t"], [403, "btree", "bthandler", "i"], [
      405,
      "hash",
      "hashhandler",
      "i",
    ]],
  },
  pg_tablespace: {
    cols: [["oid", O], ["spcname", N], ["spcowner", O], ["spcacl", Oid.aclitemArray], [
      "spcoptions",
      Oid.textArray,
    ]],
    rows: () => [[1663, "pg_default", 10, null, null], [1664, "pg_global", 10, null, null]],
  },
  pg_inherits: {
    cols: [["inhrelid", O], ["inhparent", O], ["inhseqno", I4], ["inhdetachpending", B]],
    rows: () => [],
  },
  pg_partitioned_table: {
    cols: [
      ["partrelid", O],
      ["partstrat", C],
      ["partnatts", I2],
      ["partdefid", O],
      ["partattrs", Oid.int2vector],
      ["partclass", Oid.oidvector],
      ["partcollation", Oid.oidvector],
      ["partexprs", T],
    ],
    rows: () => [],
  },
  pg_policy: {
    cols: [
      ["oid", O],
      ["polname", N],
      ["polrelid", O],
      ["polcmd", C],
      ["polpermissive", B],
      ["polroles", Oid.oidArray],
      ["polqual", T],
      ["polwithcheck", T],
    ],
    rows: (cat) =>
      policiesInHeapOrder(cat).map((p) => [
        p.oid,
        p.name,
        p.table,
        p.command,
        p.permissive,
        PgArray.of(p.roles),
        p.usingDisplay,
        p.withCheckDisplay,
      ]),
  },
  pg_policies: {
    cols: [
      ["schemaname", N],
      ["tablename", N],
      ["policyname", N],
      ["permissive", T],
      ["roles", Oid.nameArray],
      ["cmd", T],
      ["qual", T],
      ["with_check", T],
    ],
    rows: (cat) =>
      policiesInHeapOrder(cat).flatMap((p) => {
        const rel = cat.relationByOid(p.table);
        if (rel === undefined) return [];
        const roles = p.roles.includes(0)
          ? ["public"]
          : p.roles.map((r) => cat.roleByOid(r)?.name ?? "").sort();
        return [[
          cat.schemaName(rel.schema),
          rel.name,
          p.name,
          p.permissive ? "PERMISSIVE" : "RESTRICTIVE",
          PgArray.of(roles),
          policyCmdNames[p.command] ?? null,
          p.usingDisplay,
          p.withCheckDisplay,
        ]];
      }),
  },
  pg_extension: {
    cols: [
      ["oid", O],
      ["extname", N],
      ["extowner", O],
      ["extnamespace", O],
      ["extrelocatable", B],
      ["extversion", T],
      ["extconfig", Oid.oidArray],
      ["extcondition", Oid.textArray],
    ],
    rows: () => [[13500, "plpgsql", 10, 11, false, "1.0", null, null]],
  },
  pg_collation: {
    cols: [
      ["oid", O],
      ["collname", N],
      ["collnamespace", O],
      ["collowner", O],
      ["collprovider", C],
      ["collisdeterministic", B],
      ["collencoding", I4],
      ["collcollate", T],
      ["collctype", T],
    ],
    rows: () => [[100, "default", 11, 10, "d", true, -1, null, null], [
      950,
      "C",
      11,
      10,
      "c",
      true,
      -1,
      "C",
      "C",
    ], [951, "POSIX", 11, 10, "c", true, -1, "POSIX", "POSIX"]],
  },
  pg_proc: {
    cols: [
      ["oid", O],
      ["proname", N],
      ["pronamespace", O],
      ["proowner", O],
      ["prolang", O],
      ["procost", F4],
      ["prorows", F4],
      ["provariadic", O],
      ["prokind", C],
      ["prosecdef", B],
      ["proleakproof", B],
      ["proisstrict", B],
      ["proretset", B],
      ["provolatile", C],
      ["proparallel", C],
      ["pronargs", I2],
      ["pronargdefaults", I2],
      ["prorettype", O],
      ["proargtypes", Oid.oidvector],
      ["proallargtypes", Oid.oidArray],
      ["proargmodes", Oid.charArray],
      ["proargnames", Oid.textArray],
      ["prosrc", T],
      ["proconfig", Oid.textArray],
      ["proacl", Oid.aclitemArray],
    ],
    rows: (cat) =>
      allFunctions().map((f, i) => [
        20000 + i,
        f.name,
        11,
        10,
        12,
        1,
        f.retset ? 1000 : 0,
        f.variadic,
        "f",
        false,
        false,
        f.strict,
        f.retset,
        f.volatility,
        "s",
        f.args.length,
        f.nDefaults ?? 0,
        f.result,
        PgArray.of(f.args),
        null,
        null,
        f.argNames ? PgArray.of(f.argNames) : null,
        f.name,
        null,
        procAclDatum(cat, 20000 + i),
      ]),
  },
  pg_stat_user_tables: {
    cols: [
      ["relid", O],
      ["schemaname", N],
      ["relname", N],
      ["seq_scan", I8],
      ["idx_scan", I8],
      ["n_tup_ins", I8],
      ["n_tup_upd", I8],
      ["n_tup_del", I8],
      ["n_live_tup", I8],
      ["n_dead_tup", I8],
    ],
    rows: (cat, ctx) =>
      cat.all("relation").filter((r) => r.kind === "r").map((
        r,
      ) => [
        r.oid,
        schemaOf(cat, r.schema),
        r.name,
        0n,
        0n,
        0n,
        0n,
        0n,
        BigInt(ctx.tableRows(r.oid)),
        0n,
      ]),
  },
  pg_prepared_statements: {
    cols: [["name", T], ["statement", T], ["prepare_time", Oid.timestamptz], [
      "parameter_types",
      Oid.regtypeArray,
    ], ["from_sql", B]],
    rows: (_cat, ctx) => ctx.preparedStatements(),
  },
  pg_user: {
    cols: userViewCols,
    rows: (cat) =>
      cat.all("role").filter((r) => r.login).map((
        r,
      ) => [
        r.name,
        r.oid,
        r.createDb,
        r.superuser,
        r.superuser,
        r.bypassRls,
        "********",
        r.validUntil ? BigInt(r.validUntil) : null,
        roleConfig(cat, r.oid),
      ]),
  },
};
// SQL-text functions (auth.uid() …) join the built-ins in pg_proc.
const builtinProcRows = tables.pg_proc!.rows;
tables.pg_proc!.rows = (cat, ctx) => [
  ...builtinProcRows(cat, ctx),
  ...sqlFunctionRows(cat),
  ...engineFunctionRows(cat),
  ...aggregateRows(cat),
];

const empty = (cols: Col[]) => ({ cols, rows: () => [] });
tables.pg_auth_members = empty([["oid", O], ["roleid", O], ["member", O], ["grantor", O], [
  "admin_option",
  B,
]]);
tables.pg_stats = pgStatsTable;
// Procedural languages (psql's \df+ joins them for "Language"): internal, c and sql, as initdb
// makes them; every BKG-DB function is internal (built-ins) or sql (auth.uid() …).
tables.pg_language = {
  cols: [["oid", O], ["lanname", N], ["lanowner", O], ["lanispl", B], ["lanpltrusted", B], [
    "lanacl",
    Oid.aclitemArray,
  ]],
  rows: () => [[12, "internal", 10, false, false, null], [13, "c", 10, false, false, null], [
    14,
    "sql",
    10,
    false,
    true,
    null,
  ]],
};
tables.pg_statistic_ext = empty([
  ["oid", O],
  ["stxrelid", O],
  ["stxname", N],
  ["stxnamespace", O],
  ["stxowner", O],
  ["stxstattarget", I4],
  ["stxkeys", Oid.int2vector],
  ["stxkind", Oid.charArray],
]);
tables.pg_publication = empty([
  ["oid", O],
  ["pubname", N],
  ["pubowner", O],
  ["puballtables", B],
  ["pubinsert", B],
  ["pubupdate", B],
  ["pubdelete", B],
  ["pubtruncate", B],
  ["pubviaroot", B],
]);
tables.pg_publication_rel = empty([["oid", O], ["prpubid", O], ["prrelid", O], ["prqual", T], [
  "prattrs",
  Oid.int2vector,
]]);
tables.pg_publication_namespace = empty([["oid", O], ["pnpubid", O], ["pnnspid", O]]);
tables.pg_trigger = empty([
  ["oid", O],
  ["tgrelid", O],
  ["tgparentid", O],
  ["tgname", N],
  ["tgfoid", O],
  ["tgtype", I2],
  ["tgenabled", C],
  ["tgisinternal", B],
  ["tgconstrrelid", O],
  ["tgconstrindid", O],
  ["tgconstraint", O],
  ["tgdeferrable", B],
  ["tginitdeferred", B],
  ["tgnargs", I2],
  ["tgattr", Oid.int2vector],
  ["tgargs", Oid.bytea],
  ["tgqual", T],
  ["tgoldtable", N],
  ["tgnewtable", N],
]);
tables.pg_rewrite = empty([
  ["oid", O],
  ["rulename", N],
  ["ev_class", O],
  ["ev_type", C],
  ["ev_enabled", C],
  ["is_instead", B],
  ["ev_qual", T],
  ["ev_action", T],
]);
tables.pg_foreign_table = empty([["ftrelid", O], ["ftserver", O], ["ftoptions", Oid.textArray]]);
tables.pg_event_trigger = empty([
  ["oid", O],
  ["evtname", N],
  ["evtevent", N],
  ["evtowner", O],
  ["evtfoid", O],
  ["evtenabled", C],
  ["evttags", Oid.textArray],
]);
tables.pg_subscription = empty([["oid", O], ["subdbid", O], ["subname", N], ["subowner", O], [
  "subenabled",
  B,
]]);
tables.pg_default_acl = empty([["oid", O], ["defaclrole", O], ["defaclnamespace", O], [
  "defaclobjtype",
  C,
], ["defaclacl", Oid.textArray]]);
Object.assign(tables, privilegeTables);
Object.assign(infoSchema, infoSchemaPrivilegeTables);
tables.pg_init_privs = empty([["objoid", O], ["classoid", O], ["objsubid", I4], ["privtype", C], [
  "initprivs",
  Oid.textArray,
]]);

function fkCode(a: string | undefined): string {
  switch (a) {
    case "cascade":
      return "c";
    case "restrict":
      return "r";
    case "set_null":
      return "n";
    case "set_default":
      return "d";
    case "no_action":
      return "a";
  }
  return " ";
}

function liveColsCount(r: RelationDef): number {
  return r.columns.length;
}

/** A virtual system relation for `f`, or undefined. */
export function systemRelation(c: BindCtx, f: RangeVar): PlanNode | undefined {
  const schema = f.schema;
  let def: { cols: Col[]; rows: Producer } | undefined;
  if (schema === "information_schema") def = infoSchema[f.name];
  else if (schema === null || schema === "pg_catalog") {
    def = Object.hasOwn(tables, f.name) ? tables[f.name] : undefined;
  }
  if (def === undefined) return undefined;
  const d = def;
  const cat = c.env.catalog;
  return mk({
    op: "system_scan",
    name: f.name,
    produce: (ctx: EvalContext) =>
      d.rows((ctx as Partial<EngineContext>).catalogNow?.() ?? cat, ctx as EngineContext),
    cols: d.cols.map(([name, type]) => ({ name, type, typmod: -1, tableOid: 0, attnum: 0 })),
  });
}

export { constraintDef, pgClassOid };
