/**
 * @module DDL: CREATE/DROP TABLE (columns, defaults, NOT NULL, CHECK, PRIMARY KEY, UNIQUE,
 * FOREIGN KEY, serial and identity columns), CREATE/DROP INDEX, VIEW, SEQUENCE, SCHEMA, enum
 * TYPE, TRUNCATE and COMMENT. Catalog rows and storage objects change in the same transaction.
 */
import {
  type Catalog,
  type CatalogStore,
  type ColumnDef,
  type ConstraintDef,
  type RelationDef,
  WellKnown,
} from "../catalog/mod.ts";
import type {
  Constraint,
  CreateIndexStmt,
  CreateTableStmt,
  DropStmt,
  SequenceOption,
  Statement,
} from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { Transaction } from "../txn/mod.ts";
import { formatType, Oid } from "../types/mod.ts";
import { analyze, type BindEnv, bindTableExpr } from "../analyze/mod.ts";

/** What DDL needs from the session. */
export interface DdlContext {
  txn: Transaction;
  store: CatalogStore;
  catalog(): Catalog;
  env(): BindEnv;
  creationSchema(name: string | null, location: number): number;
  text: string;
  notice?: (message: string) => void;
}

function exists(kind: string, name: string): DbError {
  return new DbError(
    kind === "schema" ? SqlState.duplicateSchema : SqlState.duplicateTable,
    `${kind === "schema" ? "schema" : "relation"} "${name}" already exists`,
  );
}

const safeIndexTypes = new Set<number>([
  Oid.int2,
  Oid.int4,
  Oid.int8,
  Oid.text,
  Oid.varchar,
  Oid.bool,
  Oid.date,
  Oid.timestamp,
  Oid.timestamptz,
  Oid.uuid,
  Oid.name,
  Oid.oid,
]);

function descriptor(
  rel: RelationDef,
  attnums: number[],
  exprs?: { text: string; type: number }[],
): Record<string, never> {
  const cols = attnums.map((a) => a - 1);
  const types = attnums.map((a, i) => a === 0 ? exprs![i]!.type : rel.columns[a - 1]!.type);
  const names = attnums.map((a, i) => a === 0 ? exprs![i]!.text : rel.columns[a - 1]!.name);
  if (exprs !== undefined && attnums.includes(0)) {
    return {
      kind: "sql",
      columns: cols,
      types,
      names,
      desc: cols.map(() => false),
      exprs: attnums.map((a, i) => a === 0 ? exprs[i]!.text : null),
      colNames: rel.columns.map((c) => c.name),
      colTypes: rel.columns.map((c) => c.type),
    } as unknown as Record<string, never>;
  }
  const kind = types.every((t) => safeIndexTypes.has(t)) ? "columns" : "sql";
  return { kind, columns: cols, types, names, desc: cols.map(() => false) } as unknown as Record<
    string,
    never
  >;
}

/** Creates an index (catalog + storage). */
export function createIndexOn(
  d: DdlContext,
  rel: RelationDef,
  name: string,
  attnums: number[],
  unique: boolean,
  primary: boolean,
  exprs?: { text: string; type: number }[],
): RelationDef {
  const cat = d.catalog();
  if (cat.relation(rel.schema, name) !== undefined) throw exists("relation", name);
  const oid = d.store.allocateOid(d.txn);
  const idx: RelationDef = {
    objKind: "relation",
    oid,
    kind: "i",
    schema: rel.schema,
    name,
    owner: rel.owner,
    columns: attnums.map((a, i) =>
      a === 0
        ? {
          name: "expr",
          attnum: i + 1,
          type: exprs![i]!.type,
          typmod: -1,
          notNull: false,
          default: null,
          identity: "" as const,
          dropped: false,
        }
        : { ...rel.columns[a - 1]!, attnum: i + 1 }
    ),
    index: {
      table: rel.oid,
      columns: attnums,
      unique,
      primary,
      desc: attnums.map(() => false),
      exprs: exprs ? attnums.map((a, i) => a === 0 ? exprs[i]!.text : null) : undefined,
    },
  };
  d.store.put(d.txn, idx);
  d.txn.createIndex(rel.oid, {
    id: oid,
    name,
    unique,
    descriptor: descriptor(rel, attnums, exprs),
  });
  return idx;
}

function uniqueName(cat: Catalog, schema: number, base: string): string {
  let name = base.slice(0, 63);
  for (let i = 1; cat.relationNameTaken(schema, name); i++) name = `${base.slice(0, 60)}${i}`;
  return name;
}

/** Sequence options as storage takes them. */
export function sequenceOptions(
  options: SequenceOption[],
): { increment?: bigint; minValue?: bigint; maxValue?: bigint; start?: bigint; cycle?: boolean } {
  const num = (n: string) => {
    const o = options.find((x) => x.name === n) as { value?: string | null } | undefined;
    return o?.value == null ? undefined : BigInt(o.value);
  };
  const cycle = options.find((x) => x.name === "cycle") as { value?: boolean } | undefined;
  return {
    increment: num("increment"),
    minValue: num("minvalue"),
    maxValue: num("maxvalue"),
    start: num("start"),
    cycle: cycle?.value,
  };
}

function createSequenceRel(
  d: DdlContext,
  schema: number,
  name: string,
  ownedBy?: [number, number],
  seqType: number = Oid.int8,
  options: SequenceOption[] = [],
): RelationDef {
  const oid = d.store.allocateOid(d.txn);
  const rel: RelationDef = {
    objKind: "relation",
    oid,
    kind: "S",
    schema,
    name,
    owner: WellKnown.postgresRole,
    columns: [],
    ownedBy,
    seqType,
  };
  d.store.put(d.txn, rel);
  const o = sequenceOptions(options);
  const max = seqType === Oid.int4 ? 2147483647n : seqType === Oid.int2 ? 32767n : undefined;
  d.txn.createSequence({
    id: oid,
    name,
    ...o,
    maxValue: o.maxValue ?? ((o.increment ?? 1n) > 0n ? max : undefined),
  });
  return rel;
}

/** CREATE TABLE. */
export function createTable(d: DdlContext, s: CreateTableStmt): string {
  const schema = d.creationSchema(s.relation.schema, s.relation.location);
  const cat = d.catalog();
  if (cat.relation(schema, s.relation.name) !== undefined) {
    if (s.ifNotExists) return "CREATE TABLE";
    throw exists("relation", s.relation.name);
  }
  const env = d.env();
  const oid = d.store.allocateOid(d.txn);
  const columns: ColumnDef[] = [];
  const tableCons: Constraint[] = [];
  const serials: {
    attnum: number;
    type: number;
    identity: "" | "a" | "d";
    options: SequenceOption[];
  }[] = [];
  for (const el of s.elements) {
    if (el.kind === "constraint") {
      tableCons.push(el);
      continue;
    }
    if (el.kind === "table_like") {
      // LIKE t: the source's column names, types and NOT NULL (PostgreSQL always copies those);
      // INCLUDING options are not supported yet.
      if (el.options.some((o) => o.including)) {
        throw new DbError(SqlState.featureNotSupported, "LIKE … INCLUDING is not supported");
      }
      const src = analyze.findRelation(env, el.relation.schema, el.relation.name);
      if (src === undefined) {
        throw new DbError(
          SqlState.undefinedTable,
          `relation "${el.relation.name}" does not exist`,
          { position: el.relation.location + 1 },
        );
      }
      for (const sc of src.columns.filter((x) => !x.dropped)) {
        if (columns.some((c) => c.name === sc.name)) {
          throw new DbError(
            SqlState.duplicateColumn,
            `column "${sc.name}" specified more than once`,
          );
        }
        const { acl: _acl, ...copy } = sc;
        columns.push({ ...copy, attnum: columns.length + 1, default: null, identity: "" });
      }
      continue;
    }
    if (columns.some((c) => c.name === el.name)) {
      throw new DbError(SqlState.duplicateColumn, `column "${el.name}" specified more than once`);
    }
    const tn = el.type.names[el.type.names.length - 1]!;
    const serial =
      ["serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"].includes(tn) &&
      el.type.names.length === 1;
    const t = serial
      ? {
        oid: tn.startsWith("big") || tn === "serial8"
          ? Oid.int8
          : tn.startsWith("small") || tn === "serial2"
          ? Oid.int2
          : Oid.int4,
        typmod: -1,
      }
      : analyze.resolveType(env, el.type);
    const col: ColumnDef = {
      name: el.name,
      attnum: columns.length + 1,
      type: t.oid,
      typmod: t.typmod,
      notNull: serial,
      default: null,
      identity: "",
      dropped: false,
    };
    for (const con of el.constraints) {
      switch (con.contype) {
        case "not_null":
          col.notNull = true;
          break;
        case "null":
          break;
        case "default":
          col.default = typedLiteral(defaultText(d.text, con.location), t.oid);
          break;
        case "identity":
          col.identity = con.generated === "always" ? "a" : "d";
          col.notNull = true;
          serials.push({
            attnum: col.attnum,
            type: t.oid,
            identity: col.identity,
            options: con.options,
          });
          break;
        case "primary_key":
        case "unique":
          tableCons.push({ ...con, columns: [el.name] });
          if (con.contype === "primary_key") col.notNull = true;
          break;
        case "check":
          tableCons.push(con);
          break;
        case "foreign_key":
          tableCons.push({ ...con, columns: [el.name] });
          break;
        default:
          throw new DbError(
            SqlState.featureNotSupported,
            `column constraint ${con.contype} is not supported`,
          );
      }
    }
    if (serial) serials.push({ attnum: col.attnum, type: t.oid, identity: "", options: [] });
    columns.push(col);
  }
  const rel: RelationDef = {
    objKind: "relation",
    oid,
    kind: "r",
    schema,
    name: s.relation.name,
    owner: WellKnown.postgresRole,
    columns,
    options: s.options.map((o) => `${o.name}=${o.arg && "value" in o.arg ? o.arg.value : ""}`),
  };
  d.store.put(d.txn, rel);
  d.txn.createTable({ id: oid, name: rel.name, columns: columns.length });
  for (const sc of serials) {
    const col = columns[sc.attnum - 1]!;
    const seqName = uniqueName(d.catalog(), schema, `${rel.name}_${col.name}_seq`);
    createSequenceRel(d, schema, seqName, [oid, sc.attnum], sc.type, sc.options);
    const sname = d.catalog().schemaName(schema);
    col.default = `nextval('${sname === "public" ? "" : sname + "."}${seqName}'::regclass)`;
  }
  d.store.put(d.txn, rel);
  for (const con of tableCons) addConstraint(d, rel, con);
  return "CREATE TABLE";
}

/** A default that is a bare string literal is stored with its cast, as PostgreSQL shows it. */
export function typedLiteral(text: string, type: number): string {
  if (!/^'(?:[^']|'')*'$/.test(text)) return text;
  return `${text}::${
    type === Oid.varchar ? "character varying" : type === Oid.bpchar ? "bpchar" : formatType(type)
  }`;
}

export function defaultText(text: string, conLocation: number): string {
  const m = /^default\s+/i.exec(text.slice(conLocation));
  const start = conLocation + (m ? m[0].length : 0);
  return text.slice(start, exprEnd(text, start)).trim();
}

function exprEnd(text: string, start: number): number {
  // The default expression ends at the next top-level comma, closing paren or constraint keyword.
  let depth = 0;
  let q: string | null = null;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (q !== null) {
      if (ch === q) q = null;
      continue;
    }
    if (ch === "'" || ch === '"') q = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") {
      if (depth === 0) return i;
      depth--;
    } else if (ch === "," && depth === 0) return i;
    else if (depth === 0 && /\s/.test(ch)) {
      const rest = text.slice(i).trimStart().toLowerCase();
      if (
        /^(not\s+null|null|primary\s+key|unique|check|references|constraint|default|generated)\b/
          .test(rest)
      ) return i;
    }
  }
  return text.length;
}

/** Adds a table constraint. */
export function addConstraint(d: DdlContext, rel: RelationDef, con: Constraint): void {
  const attOf = (name: string) => {
    const c = rel.columns.find((x) => x.name === name && !x.dropped);
    if (c === undefined) {
      throw new DbError(SqlState.undefinedColumn, `column "${name}" named in key does not exist`);
    }
    return c.attnum;
  };
  const cat = d.catalog();
  const oid = d.store.allocateOid(d.txn);
  switch (con.contype) {
    case "primary_key":
    case "unique": {
      const atts = con.columns.map(attOf);
      const base = con.name ??
        (con.contype === "primary_key"
          ? `${rel.name}_pkey`
          : `${rel.name}_${con.columns.join("_")}_key`);
      if (con.contype === "primary_key") {
        if (cat.constraintsOf(rel.oid).some((k) => k.type === "p")) {
          throw new DbError(
            SqlState.invalidTableDefinition,
            `multiple primary keys for table "${rel.name}" are not allowed`,
          );
        }
        for (const a of atts) rel.columns[a - 1]!.notNull = true;
        d.store.put(d.txn, rel);
      }
      const name = con.name ?? uniqueName(cat, rel.schema, base);
      const idx = createIndexOn(d, rel, name, atts, true, con.contype === "primary_key");
      const def: ConstraintDef = {
        objKind: "constraint",
        oid,
        name,
        schema: rel.schema,
        table: rel.oid,
        type: con.contype === "primary_key" ? "p" : "u",
        columns: atts,
        index: idx.oid,
      };
      d.store.put(d.txn, def);
      return;
    }
    case "check": {
      const name = con.name ??
        uniqueName(
          cat,
          rel.schema,
          `${rel.name}_${
            firstColumnIn(d.text, d.text.indexOf("(", con.location) + 1, rel) ?? ""
          }_check`.replace("__", "_"),
        );
      const open = d.text.indexOf("(", con.location) + 1;
      const text = d.text.slice(open, matchParen(d.text, open));
      d.store.put(d.txn, {
        objKind: "constraint",
        oid,
        name,
        schema: rel.schema,
        table: rel.oid,
        type: "c",
        columns: [],
        check: text,
      });
      return;
    }
    case "foreign_key": {
      const atts = con.columns.map(attOf);
      const env = d.env();
      const parent = con.refTable.name === rel.name && con.refTable.schema === null
        ? rel
        : analyze.findRelation(env, con.refTable.schema, con.refTable.name);
      if (parent === undefined) {
        throw new DbError(
          SqlState.undefinedTable,
          `relation "${con.refTable.name}" does not exist`,
        );
      }
      let refAtts: number[];
      if (con.refColumns.length > 0) {
        refAtts = con.refColumns.map((n) => parent.columns.find((x) => x.name === n)?.attnum ?? -1);
      } else {
        const pk = d.catalog().constraintsOf(parent.oid).find((k) => k.type === "p");
        if (pk === undefined) {
          throw new DbError(
            SqlState.undefinedColumn,
            `there is no primary key for referenced table "${parent.name}"`,
          );
        }
        refAtts = pk.columns;
      }
      const hasUnique = d.catalog().indexesOf(parent.oid).some((i) =>
        i.index!.unique && i.index!.columns.length === refAtts.length &&
        i.index!.columns.every((a, j) => a === refAtts[j])
      );
      if (!hasUnique) {
        throw new DbError(
          SqlState.invalidForeignKey,
          `there is no unique constraint matching given keys for referenced table "${parent.name}"`,
        );
      }
      const name = con.name ??
        uniqueName(cat, rel.schema, `${rel.name}_${con.columns.join("_")}_fkey`);
      d.store.put(d.txn, {
        objKind: "constraint",
        oid,
        name,
        schema: rel.schema,
        table: rel.oid,
        type: "f",
        columns: atts,
        fk: {
          refTable: parent.oid,
          refColumns: refAtts,
          onDelete: con.onDelete,
          onUpdate: con.onUpdate,
          match: con.match,
        },
      });
      return;
    }
    default:
      throw new DbError(
        SqlState.featureNotSupported,
        `constraint ${con.contype} is not supported here`,
      );
  }
}

export function matchParen(text: string, start: number): number {
  let depth = 0;
  let q: string | null = null;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (q !== null) {
      if (ch === q) q = null;
      continue;
    }
    if (ch === "'") q = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return text.length;
}

function firstColumnIn(text: string, start: number, rel: RelationDef): string | undefined {
  const body = text.slice(start, matchParen(text, start));
  const m = body.match(/[a-z_][a-z0-9_]*/g) ?? [];
  return m.find((w) => rel.columns.some((c) => c.name === w));
}

/** CREATE INDEX. */
export function createIndex(d: DdlContext, s: CreateIndexStmt): string {
  const env = d.env();
  const rel = analyze.findRelation(env, s.relation.schema, s.relation.name);
  if (rel === undefined || rel.kind !== "r") {
    throw new DbError(SqlState.undefinedTable, `relation "${s.relation.name}" does not exist`);
  }
  const exprs: { text: string; type: number }[] = [];
  const atts = s.params.map((p, i) => {
    if (p.column === null) {
      const paren = d.text[p.location] === "(";
      const start = paren ? p.location + 1 : p.location;
      const end = paren
        ? matchParen(d.text, start)
        : matchParen(d.text, d.text.indexOf("(", p.location) + 1) + 1;
      const text = d.text.slice(start, end).trim();
      const e = bindTableExpr(d.env(), rel, text, false);
      exprs[i] = { text, type: e.type === Oid.unknown ? Oid.text : e.type };
      return 0;
    }
    exprs[i] = { text: p.column, type: 0 };
    const c = rel.columns.find((x) => x.name === p.column && !x.dropped);
    if (c === undefined) {
      throw new DbError(SqlState.undefinedColumn, `column "${p.column}" does not exist`);
    }
    return c.attnum;
  });
  const name = s.name ??
    uniqueName(
      d.catalog(),
      rel.schema,
      `${rel.name}_${
        s.params.map((p) =>
          p.column ?? (p.expr?.kind === "func_call" ? p.expr.name[p.expr.name.length - 1] : "expr")
        ).join("_")
      }_idx`,
    );
  if (d.catalog().relation(rel.schema, name) !== undefined) {
    if (s.ifNotExists) return "CREATE INDEX";
    throw exists("relation", name);
  }
  createIndexOn(d, rel, name, atts, s.unique, false, atts.includes(0) ? exprs : undefined);
  return "CREATE INDEX";
}

/** DROP TABLE / INDEX / VIEW / SEQUENCE / SCHEMA / TYPE. */
export function drop(d: DdlContext, s: DropStmt): string {
  const tag = `DROP ${s.objectType.toUpperCase().replace("_", " ")}`;
  const env = d.env();
  for (const names of s.objects) {
    const name = names[names.length - 1]!;
    const schema = names.length > 1 ? names[names.length - 2]! : null;
    if (s.objectType === "schema") {
      const ns = d.catalog().namespaces.get(name);
      if (ns === undefined) {
        if (s.ifExists) continue;
        throw new DbError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
      }
      const members = d.catalog().all("relation").filter((r) => r.schema === ns.oid);
      if (members.length > 0 && s.behavior !== "cascade") {
        throw new DbError(
          SqlState.dependentObjectsStillExist,
          `cannot drop schema ${name} because other objects depend on it`,
        );
      }
      for (const r of members) if (r.kind === "r" || r.kind === "v") dropRelation(d, r, true);
      d.store.remove(d.txn, ns.oid);
      continue;
    }
    if (s.objectType === "type") {
      const t = d.catalog().all("type").find((x) => x.name === name);
      if (t === undefined) {
        if (s.ifExists) continue;
        throw new DbError(SqlState.undefinedObject, `type "${name}" does not exist`);
      }
      const users = d.catalog().all("relation").filter((r) =>
        r.kind === "r" &&
        r.columns.some((c) => !c.dropped && (c.type === t.oid || c.type === t.arrayOid))
      );
      if (users.length > 0 && s.behavior !== "cascade") {
        throw new DbError(
          SqlState.dependentObjectsStillExist,
          `cannot drop type ${name} because other objects depend on it`,
          {
            detail: users.map((r) => `column of table ${r.name} depends on type ${name}`).join(
              "\n",
            ),
            hint: "Use DROP ... CASCADE to drop the dependent objects too.",
          },
        );
      }
      d.store.remove(d.txn, t.oid);
      continue;
    }
    const rel = analyze.findRelation(env, schema, name);
    const want = { table: "r", view: "v", index: "i", sequence: "S" }[s.objectType as string];
    const what = s.objectType.replace("_", " ");
    if (rel === undefined) {
      if (s.ifExists) {
        d.notice?.(`${what} "${name}" does not exist, skipping`);
        continue;
      }
      throw new DbError(
        s.objectType === "index" ? SqlState.undefinedObject : SqlState.undefinedTable,
        `${what} "${name}" does not exist`,
      );
    }
    if (rel.kind !== want) {
      const article = {
        table: "a table",
        view: "a view",
        index: "an index",
        sequence: "a sequence",
      }[s.objectType as string] ?? what;
      throw new DbError(SqlState.wrongObjectType, `"${name}" is not ${article}`, {
        hint: `Use DROP ${
          ({ r: "TABLE", v: "VIEW", i: "INDEX", S: "SEQUENCE" } as Record<string, string>)[rel.kind]
        } to remove ${
          ({ r: "a table", v: "a view", i: "an index", S: "a sequence" } as Record<string, string>)[
            rel.kind
          ]
        }.`,
      });
    }
    dropRelation(d, rel, s.behavior === "cascade");
  }
  return tag;
}

export function dropRelation(d: DdlContext, rel: RelationDef, cascade: boolean): void {
  const cat = d.catalog();
  if (!cat.byOid.has(rel.oid)) return;
  const views = cat.all("relation").filter((v) =>
    v.kind === "v" && v.oid !== rel.oid && (v.deps ?? []).includes(rel.oid)
  );
  if (views.length > 0) {
    if (!cascade) {
      const kind = rel.kind === "v" ? "view" : "table";
      throw new DbError(
        SqlState.dependentObjectsStillExist,
        `cannot drop ${kind} ${rel.name} because other objects depend on it`,
        {
          detail: views.map((v) => `view ${v.name} depends on ${kind} ${rel.name}`).join("\n"),
          hint: "Use DROP ... CASCADE to drop the dependent objects too.",
        },
      );
    }
    for (const v of views) dropRelation(d, v, true);
  }
  if (rel.kind === "r") {
    const refs = cat.referencingKeys(rel.oid).filter((k) => k.table !== rel.oid);
    if (refs.length > 0 && !cascade) {
      throw new DbError(
        SqlState.dependentObjectsStillExist,
        `cannot drop table ${rel.name} because other objects depend on it`,
        {
          detail: refs.map((k) =>
            `constraint ${k.name} on table ${
              cat.relationByOid(k.table)?.name
            } depends on table ${rel.name}`
          ).join("\n"),
          hint: "Use DROP ... CASCADE to drop the dependent objects too.",
        },
      );
    }
    for (const k of refs) d.store.remove(d.txn, k.oid);
    for (const k of cat.constraintsOf(rel.oid)) d.store.remove(d.txn, k.oid);
    for (const p of cat.policiesOf(rel.oid)) d.store.remove(d.txn, p.oid);
    for (const i of cat.indexesOf(rel.oid)) d.store.remove(d.txn, i.oid);
    for (const sq of cat.sequencesOwnedBy(rel.oid)) {
      d.store.remove(d.txn, sq.oid);
      d.txn.dropSequence(sq.oid);
    }
    d.txn.dropTable(rel.oid);
  } else if (rel.kind === "i") {
    const con = cat.constraintsOf(rel.index!.table).find((k) => k.index === rel.oid);
    if (con !== undefined) {
      throw new DbError(
        SqlState.dependentObjectsStillExist,
        `cannot drop index ${rel.name} because constraint ${con.name} on table ${
          cat.relationByOid(rel.index!.table)?.name
        } requires it`,
      );
    }
    d.txn.dropIndex(rel.oid);
  } else if (rel.kind === "S") {
    d.txn.dropSequence(rel.oid);
  }
  d.store.remove(d.txn, rel.oid);
}

/** CREATE VIEW. */
export function createView(
  d: DdlContext,
  s: Extract<Statement, { kind: "create_view" }>,
  columns: { name: string; type: number; typmod: number }[],
  deps: number[],
): string {
  const schema = d.creationSchema(s.relation.schema, s.relation.location);
  const existing = d.catalog().relation(schema, s.relation.name);
  if (existing !== undefined && !(s.replace && existing.kind === "v")) {
    throw exists("relation", s.relation.name);
  }
  if (s.columns.length > columns.length) {
    throw new DbError(
      SqlState.syntaxError,
      "CREATE VIEW specifies more column names than columns",
    );
  }
  const names = columns.map((c, i) => s.columns[i] ?? c.name);
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) {
      throw new DbError(SqlState.duplicateColumn, `column "${n}" specified more than once`);
    }
    seen.add(n);
  }
  if (existing !== undefined) checkViewReplacement(existing, names, columns);
  const oid = existing?.oid ?? d.store.allocateOid(d.txn);
  // The query's location is its SELECT; a WITH clause in front of it belongs to the view too.
  const from = Math.min(s.query.location, s.query.with?.location ?? Infinity);
  const viewSql = d.text.slice(from, stmtEnd(d.text, from));
  d.store.put(d.txn, {
    objKind: "relation",
    oid,
    kind: "v",
    schema,
    name: s.relation.name,
    owner: WellKnown.postgresRole,
    viewSql,
    deps,
    // View options (security_invoker, security_barrier) as `name=value`, read by RLS.
    ...(s.options.length > 0
      ? {
        options: s.options.map((o) =>
          `${o.name}=${o.arg === null ? "true" : "value" in o.arg ? String(o.arg.value) : ""}`
        ),
      }
      : {}),
    columns: columns.map((c, i) => ({
      name: names[i]!,
      attnum: i + 1,
      type: c.type,
      typmod: c.typmod,
      notNull: false,
      default: null,
      identity: "",
      dropped: false,
    })),
  });
  return "CREATE VIEW";
}

/**
 * CREATE OR REPLACE VIEW keeps the old columns (names, types, order) and may only add new ones
 * at the end, as PostgreSQL's checkViewColumns requires (42P16).
 */
function checkViewReplacement(
  old: RelationDef,
  names: string[],
  columns: { type: number; typmod: number }[],
): void {
  const fail = (message: string, hint?: string) =>
    new DbError(SqlState.invalidTableDefinition, message, hint ? { hint } : {});
  const live = old.columns.filter((c) => !c.dropped);
  if (names.length < live.length) throw fail("cannot drop columns from view");
  live.forEach((c, i) => {
    if (c.name !== names[i]) {
      throw fail(
        `cannot change name of view column "${c.name}" to "${names[i]}"`,
        "Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.",
      );
    }
    const t = columns[i]!;
    if (c.type !== t.type || c.typmod !== t.typmod) {
      throw fail(
        `cannot change data type of view column "${c.name}" from ${
          formatType(c.type, c.typmod)
        } to ${formatType(t.type, t.typmod)}`,
      );
    }
  });
}

function stmtEnd(text: string, start: number): number {
  let q: string | null = null;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (q !== null) {
      if (ch === q) q = null;
      continue;
    }
    if (ch === "'" || ch === '"') q = ch;
    else if (ch === ";") return i;
  }
  return text.length;
}

/** CREATE SEQUENCE. */
export function createSequence(
  d: DdlContext,
  s: Extract<Statement, { kind: "create_sequence" }>,
): string {
  const schema = d.creationSchema(s.relation.schema, s.relation.location);
  if (d.catalog().relation(schema, s.relation.name) !== undefined) {
    if (s.ifNotExists) return "CREATE SEQUENCE";
    throw exists("relation", s.relation.name);
  }
  const oid = d.store.allocateOid(d.txn);
  d.store.put(d.txn, {
    objKind: "relation",
    oid,
    kind: "S",
    schema,
    name: s.relation.name,
    owner: WellKnown.postgresRole,
    columns: [],
    seqType: Oid.int8,
  });
  d.txn.createSequence({ id: oid, name: s.relation.name, ...sequenceOptions(s.options) });
  return "CREATE SEQUENCE";
}

/** CREATE SCHEMA. */
export function createSchema(
  d: DdlContext,
  s: Extract<Statement, { kind: "create_schema" }>,
): string {
  const name = s.name ?? s.authorization?.name ?? "";
  if (d.catalog().namespaces.has(name)) {
    if (s.ifNotExists) return "CREATE SCHEMA";
    throw new DbError(SqlState.duplicateSchema, `schema "${name}" already exists`);
  }
  d.store.put(d.txn, {
    objKind: "namespace",
    oid: d.store.allocateOid(d.txn),
    name,
    owner: WellKnown.postgresRole,
  });
  return "CREATE SCHEMA";
}

/** CREATE TYPE … AS ENUM. */
export function createEnum(d: DdlContext, s: Extract<Statement, { kind: "create_enum" }>): string {
  const name = s.name[s.name.length - 1]!;
  const schema = d.creationSchema(s.name.length > 1 ? s.name[0]! : null, s.location);
  if (d.catalog().type(schema, name) !== undefined) {
    throw new DbError(SqlState.duplicateObject, `type "${name}" already exists`);
  }
  const oid = d.store.allocateOid(d.txn);
  const arrayOid = d.store.allocateOid(d.txn);
  d.store.put(d.txn, {
    objKind: "type",
    oid,
    arrayOid,
    schema,
    name,
    owner: WellKnown.postgresRole,
    kind: "e",
    labels: s.values,
  });
  return "CREATE TYPE";
}

/** COMMENT ON. */
export function comment(d: DdlContext, s: Extract<Statement, { kind: "comment" }>): string {
  const cat = d.catalog();
  const env = d.env();
  const names = s.object;
  let classOid = 1259;
  let objOid = 0;
  let subId = 0;
  const rel = (parts: string[]) => {
    const r = analyze.findRelation(
      env,
      parts.length > 1 ? parts[parts.length - 2]! : null,
      parts[parts.length - 1]!,
    );
    if (r === undefined) {
      throw new DbError(SqlState.undefinedTable, `relation "${parts.join(".")}" does not exist`);
    }
    return r;
  };
  switch (s.objectType) {
    case "table":
    case "view":
    case "index":
    case "sequence":
    case "materialized_view":
      objOid = rel(names).oid;
      break;
    case "column": {
      const r = rel(names.slice(0, -1));
      const col = r.columns.find((c) => c.name === names[names.length - 1] && !c.dropped);
      if (col === undefined) {
        throw new DbError(
          SqlState.undefinedColumn,
          `column "${names[names.length - 1]}" of relation "${r.name}" does not exist`,
        );
      }
      objOid = r.oid;
      subId = col.attnum;
      break;
    }
    case "schema": {
      const ns = cat.namespaces.get(names[0]!);
      if (ns === undefined) {
        throw new DbError(SqlState.invalidSchemaName, `schema "${names[0]}" does not exist`);
      }
      classOid = 2615;
      objOid = ns.oid;
      break;
    }
    case "database": {
      const db = cat.databases.get(names[0]!);
      if (db === undefined) {
        throw new DbError(SqlState.invalidCatalogName, `database "${names[0]}" does not exist`);
      }
      classOid = 1262;
      objOid = db.oid;
      break;
    }
    case "role": {
      const r = cat.roles.get(names[0]!);
      if (r === undefined) {
        throw new DbError(SqlState.undefinedObject, `role "${names[0]}" does not exist`);
      }
      classOid = 1260;
      objOid = r.oid;
      break;
    }
    case "type": {
      const t = cat.all("type").find((x) => x.name === names[names.length - 1]);
      if (t === undefined) {
        throw new DbError(SqlState.undefinedObject, `type "${names.join(".")}" does not exist`);
      }
      classOid = 1247;
      objOid = t.oid;
      break;
    }
    case "constraint": {
      const r = s.relation
        ? rel([...(s.relation.schema ? [s.relation.schema] : []), s.relation.name])
        : undefined;
      const k = r
        ? cat.constraintsOf(r.oid).find((x) => x.name === names[names.length - 1])
        : undefined;
      if (k === undefined) {
        throw new DbError(
          SqlState.undefinedObject,
          `constraint "${names[names.length - 1]}" for table "${r?.name}" does not exist`,
        );
      }
      classOid = 2606;
      objOid = k.oid;
      break;
    }
    default:
      throw new DbError(
        SqlState.featureNotSupported,
        `COMMENT ON ${s.objectType.toUpperCase()} is not supported yet`,
      );
  }
  const existing = cat.comment(classOid, objOid, subId);
  if (s.comment === null || s.comment === "") {
    if (existing) d.store.remove(d.txn, existing.oid);
  } else {
    d.store.put(d.txn, {
      objKind: "comment",
      oid: existing?.oid ?? d.store.allocateOid(d.txn),
      classOid,
      objOid,
      subId,
      text: s.comment,
    });
  }
  return "COMMENT";
}

/** ALTER SEQUENCE (RESTART [WITH], and the options storage can change). */
export function alterSequence(
  d: DdlContext,
  s: Extract<Statement, { kind: "alter_sequence" }>,
): string {
  const rel = analyze.findRelation(d.env(), s.relation.schema, s.relation.name);
  if (rel === undefined || rel.kind !== "S") {
    if (s.ifExists) return "ALTER SEQUENCE";
    throw new DbError(SqlState.undefinedTable, `relation "${s.relation.name}" does not exist`);
  }
  for (const o of s.options) {
    if (o.name === "restart") {
      const seq = d.txn.sequence(rel.oid);
      const v = o.value === null ? seq.def.start : BigInt(o.value);
      d.txn.setval(rel.oid, v, false);
    } else if (o.name !== "owned_by" && o.name !== "cache") {
      throw new DbError(
        SqlState.featureNotSupported,
        `ALTER SEQUENCE ${o.name.toUpperCase()} is not supported yet`,
      );
    }
  }
  return "ALTER SEQUENCE";
}

/** A table from a column list (CREATE TABLE AS); returns its OID. */
export function createTableFromColumns(
  d: DdlContext,
  schema: number,
  name: string,
  cols: { name: string; type: number; typmod: number }[],
): number {
  const oid = d.store.allocateOid(d.txn);
  d.store.put(d.txn, {
    objKind: "relation",
    oid,
    kind: "r",
    schema,
    name,
    owner: WellKnown.postgresRole,
    columns: cols.map((c, i) => ({
      name: c.name,
      attnum: i + 1,
      type: c.type,
      typmod: c.typmod,
      notNull: false,
      default: null,
      identity: "",
      dropped: false,
    })),
  });
  d.txn.createTable({ id: oid, name, columns: cols.length });
  return oid;
}

/** ALTER TYPE … ADD VALUE / RENAME VALUE of an enum. */
export function alterEnum(d: DdlContext, s: Extract<Statement, { kind: "alter_enum" }>): string {
  const name = s.name[s.name.length - 1]!;
  const t = d.catalog().all("type").find((x) => x.name === name);
  if (t === undefined) {
    throw new DbError(SqlState.undefinedObject, `type "${s.name.join(".")}" does not exist`);
  }
  const labels = [...t.labels];
  if (s.oldValue !== null) {
    const i = labels.indexOf(s.oldValue);
    if (i < 0) {
      throw new DbError(
        SqlState.invalidParameterValue,
        `"${s.oldValue}" is not an existing enum label`,
      );
    }
    if (labels.includes(s.newValue)) {
      throw new DbError(SqlState.duplicateObject, `enum label "${s.newValue}" already exists`);
    }
    labels[i] = s.newValue;
  } else {
    if (labels.includes(s.newValue)) {
      if (s.ifNotExists) return "ALTER TYPE";
      throw new DbError(SqlState.duplicateObject, `enum label "${s.newValue}" already exists`);
    }
    if (s.neighbor === null) labels.push(s.newValue);
    else {
      const i = labels.indexOf(s.neighbor.value);
      if (i < 0) {
        throw new DbError(
          SqlState.invalidParameterValue,
          `"${s.neighbor.value}" is not an existing enum label`,
        );
      }
      labels.splice(s.neighbor.after ? i + 1 : i, 0, s.newValue);
    }
  }
  d.store.put(d.txn, { ...t, labels });
  return "ALTER TYPE";
}
