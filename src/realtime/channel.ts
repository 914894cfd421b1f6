/**
 * @module One joined channel: its postgres_changes bindings (event, schema, table, filter), the
 * identity they are checked for, its broadcast and presence settings, and the message each
 * matching commit record becomes.
 */
import type { ChangeRecord, JsonValue } from "../../db/mod.ts";
import type { Identity } from "./access.ts";
import { matchesFilter, parseFilter, type RowFilter } from "./filter.ts";

/** A postgres_changes binding as the client sent it, plus the server's id. */
export interface Binding {
  id: number;
  event: string;
  schema: string;
  table?: string;
  filter?: string;
  parsed?: RowFilter;
}

/** A joined channel on one connection. */
export interface Channel {
  topic: string;
  joinRef: string | null;
  /** Who the channel's events are checked for (shared with channels of the same role and claims). */
  identity: Identity;
  bindings: Binding[];
  /** The tables the bindings covered at join (checked again when the token changes). */
  tables: CoveredTable[];
  broadcastSelf: boolean;
  broadcastAck: boolean;
  /** This client's presence key on the channel (config.presence.key, or a generated one). */
  presenceKey: string;
  /** Whether this client receives presence state and diffs. */
  presenceEnabled: boolean;
  /** What this client tracks (`channel.track(meta)`), with its phx_ref; null when untracked. */
  presenceMeta: Record<string, JsonValue> | null;
  unsubscribe: () => void;
  expiry?: ReturnType<typeof setTimeout>;
}

function bindingMatches(b: Binding, r: ChangeRecord): boolean {
  if (b.event !== "*" && b.event.toUpperCase() !== r.kind) return false;
  if (b.schema !== "*" && b.schema !== r.schema) return false;
  if (b.table !== undefined && b.table !== "*" && b.table !== r.table) return false;
  if (b.parsed !== undefined) {
    return matchesFilter(b.parsed, r.kind === "DELETE" ? r.oldRecord : r.record);
  }
  return true;
}

/**
 * The ids of `ch`'s bindings that `r` matches, or null when none does or the channel's identity
 * may not see the row (row-level security, privileges).
 */
export function matchingBindings(ch: Channel, r: ChangeRecord): number[] | null {
  let ids: number[] | null = null;
  for (const b of ch.bindings) if (bindingMatches(b, r)) (ids ??= []).push(b.id);
  if (ids === null || !ch.identity.mayReceive(r)) return null;
  return ids;
}

const dataJson = new WeakMap<ChangeRecord, string>();

/**
 * The postgres_changes `data` object of `r` as JSON text, built once per record and shared by
 * every channel that receives it.
 */
export function changeDataJson(r: ChangeRecord): string {
  let json = dataJson.get(r);
  if (json !== undefined) return json;
  const data: Record<string, unknown> = {
    schema: r.schema,
    table: r.table,
    commit_timestamp: r.commitTime,
    type: r.kind,
    columns: r.columns,
    errors: null,
    lsn: r.lsn,
  };
  if (r.kind !== "DELETE") data.record = r.record;
  if (r.kind !== "INSERT") data.old_record = r.oldRecord;
  json = JSON.stringify(data);
  dataJson.set(r, json);
  return json;
}

/** A table a join's bindings cover, and whether a binding named it (not only a wildcard). */
export interface CoveredTable {
  oid: number;
  schema: string;
  name: string;
  named: boolean;
}

/** What {@link parseBindings} needs of the catalog. */
interface CatalogView {
  all(kind: "relation"): Iterable<{ oid: number; kind: string; schema: number; name: string }>;
  schemaName(oid: number): string;
}

/**
 * Reads a join's `postgres_changes` array into bindings and the tables they cover now (a
 * wildcard also covers tables created later: bindings match by name at delivery). Throws Error
 * with a client-facing message for a bad event, filter or a named table that does not exist.
 */
export function parseBindings(
  raw: readonly Record<string, unknown>[],
  cat: CatalogView,
  nextId: () => number,
): { bindings: Binding[]; tables: CoveredTable[] } {
  const bindings: Binding[] = [];
  const tables = new Map<number, CoveredTable>();
  for (const r of raw) {
    const b: Binding = {
      id: nextId(),
      event: String(r.event ?? "*"),
      schema: String(r.schema ?? "public"),
      table: typeof r.table === "string" ? r.table : undefined,
      filter: typeof r.filter === "string" && r.filter !== "" ? r.filter : undefined,
    };
    if (!["*", "INSERT", "UPDATE", "DELETE"].includes(b.event.toUpperCase())) {
      throw new Error(`invalid event "${b.event}": expected INSERT, UPDATE, DELETE or *`);
    }
    if (b.filter !== undefined) b.parsed = parseFilter(b.filter);
    const named = b.table !== undefined && b.table !== "*";
    let found = false;
    for (const rel of cat.all("relation")) {
      if (rel.kind !== "r") continue;
      const schema = cat.schemaName(rel.schema);
      if (schema === "pg_catalog" || schema === "information_schema") continue;
      if (b.schema !== "*" && b.schema !== schema) continue;
      if (named && b.table !== rel.name) continue;
      const prior = tables.get(rel.oid);
      tables.set(rel.oid, { oid: rel.oid, schema, name: rel.name, named: named || !!prior?.named });
      found = true;
    }
    if (!found && named) throw new Error(`relation "${b.schema}.${b.table}" does not exist`);
    bindings.push(b);
  }
  return { bindings, tables: [...tables.values()] };
}

/** A join's broadcast and presence settings (`config.broadcast`, `config.presence`). */
export function channelSettings(config: Record<string, unknown>): Pick<
  Channel,
  "broadcastSelf" | "broadcastAck" | "presenceKey" | "presenceEnabled"
> {
  const broadcast = (config.broadcast ?? {}) as Record<string, unknown>;
  const presence = (config.presence ?? {}) as Record<string, unknown>;
  return {
    broadcastSelf: broadcast.self === true,
    broadcastAck: broadcast.ack === true,
    presenceKey: typeof presence.key === "string" && presence.key !== ""
      ? presence.key
      : crypto.randomUUID(),
    // Older clients send no `enabled`: they get presence as before the flag existed.
    presenceEnabled: presence.enabled !== false,
  };
}
