/**
 * @module Decodes the storage commit stream (table ids and datum rows) into change records with
 * schema and table names, column names and JSON values, as realtime clients receive them.
 */
import { type Catalog, catalogTableId, type RelationDef } from "../catalog/mod.ts";
import type { Datum } from "../datum.ts";
import type { CommitEvent } from "../txn/mod.ts";
import { formatLsn } from "../wal/mod.ts";
import { defaultEvalContext, outputText, typeByOid } from "../types/mod.ts";

/** A JSON value as a realtime client sees it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | {
  [k: string]: JsonValue;
};

/** One committed row change, decoded. */
export interface ChangeRecord {
  /** The relation's oid (the storage table id). */
  tableId: number;
  schema: string;
  table: string;
  kind: "INSERT" | "UPDATE" | "DELETE";
  /** The new row (INSERT, UPDATE); `{}` for DELETE. */
  record: Record<string, JsonValue>;
  /** The old row's primary key (UPDATE, DELETE), or the whole old row without a key; `{}` for INSERT. */
  oldRecord: Record<string, JsonValue>;
  /**
   * The full new row in storage layout (attnum order), for access checks in process (row-level
   * security); never sent to clients.
   */
  newRow: readonly Datum[] | null;
  /**
   * The full old row (UPDATE, DELETE), for access checks: a DELETE reaches only those who could
   * see the row before; clients get only {@link ChangeRecord.oldRecord} (the key).
   */
  oldRow: readonly Datum[] | null;
  /** The table's columns and their type names, as realtime clients expect. */
  columns: { name: string; type: string }[];
  /** The commit's LSN in PostgreSQL's text form. */
  lsn: string;
  /** The commit's LSN as a number, for ordering and resume. */
  lsnValue: number;
  /** ISO 8601 commit time. */
  commitTime: string;
  /**
   * When the commit was delivered to the stream (performance.now()), for latency metrics; -1
   * for records read back from the ring file after a restart.
   */
  receivedAt: number;
}

const numeric = new Set([20, 21, 23, 700, 701, 1700, 26]);
const ctx = defaultEvalContext();

/** One column's value as JSON: numbers, booleans and JSON as themselves, the rest as text. */
export function jsonValue(type: number, d: Datum): JsonValue {
  if (d === null || d === undefined) return null;
  if (type === 16) return d === true;
  const text = outputText(type, d, ctx);
  if (numeric.has(type)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  if (type === 114 || type === 3802) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}

function rowObject(rel: RelationDef, row: readonly Datum[], only?: Set<number>) {
  const out: Record<string, JsonValue> = {};
  for (const c of rel.columns) {
    if (c.dropped || (only !== undefined && !only.has(c.attnum))) continue;
    out[c.name] = jsonValue(c.type, row[c.attnum - 1] ?? null);
  }
  return out;
}

const columnCache = new WeakMap<RelationDef, { name: string; type: string }[]>();

function columnsOf(rel: RelationDef): { name: string; type: string }[] {
  let cols = columnCache.get(rel);
  if (cols === undefined) {
    cols = rel.columns.filter((c) => !c.dropped).map((c) => ({
      name: c.name,
      type: typeByOid(c.type)?.name ?? String(c.type),
    }));
    columnCache.set(rel, cols);
  }
  return cols;
}

function primaryKey(cat: Catalog, rel: RelationDef): Set<number> | undefined {
  const pk = cat.indexesOf(rel.oid).find((i) => i.index?.primary);
  return pk?.index ? new Set(pk.index.columns) : undefined;
}

/** Decodes one commit into change records, skipping system tables and non-table relations. */
export function decodeCommit(cat: Catalog, e: CommitEvent, receivedAt: number): ChangeRecord[] {
  const out: ChangeRecord[] = [];
  const lsn = formatLsn(e.lsn);
  const commitTime = new Date(e.commitTime).toISOString();
  for (const ch of e.changes) {
    if (ch.tableId === catalogTableId) continue;
    const obj = cat.byOid.get(ch.tableId);
    if (obj === undefined || obj.objKind !== "relation" || obj.kind !== "r") continue;
    const schema = cat.schemaName(obj.schema);
    const kind = ch.kind === "insert" ? "INSERT" : ch.kind === "update" ? "UPDATE" : "DELETE";
    const key = kind === "INSERT" ? undefined : primaryKey(cat, obj);
    out.push({
      tableId: obj.oid,
      schema,
      table: obj.name,
      kind,
      record: ch.newRow ? rowObject(obj, ch.newRow as Datum[]) : {},
      oldRecord: ch.oldRow ? rowObject(obj, ch.oldRow as Datum[], key) : {},
      newRow: ch.newRow as readonly Datum[] | null,
      oldRow: ch.oldRow as readonly Datum[] | null,
      columns: columnsOf(obj),
      lsn,
      lsnValue: Number(e.lsn),
      commitTime,
      receivedAt,
    });
  }
  return out;
}
