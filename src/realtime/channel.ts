/**
 * @module One joined channel: its postgres_changes bindings (event, schema, table, filter), the
 * subscriber they are checked for, and the message each matching commit record becomes.
 */
import type { ChangeRecord } from "../../db/mod.ts";
import { mayReceive, type Subscriber } from "./access.ts";
import { matchesFilter, type RowFilter } from "./filter.ts";

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
  subscriber: Subscriber;
  bindings: Binding[];
  broadcastSelf: boolean;
  broadcastAck: boolean;
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

/** The postgres_changes payload for `r` on `ch`, or null when no binding matches or it may not see it. */
export function eventPayload(ch: Channel, r: ChangeRecord): Record<string, unknown> | null {
  const ids: number[] = [];
  for (const b of ch.bindings) if (bindingMatches(b, r)) ids.push(b.id);
  if (ids.length === 0 || !mayReceive(ch.subscriber, r)) return null;
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
  return { ids, data };
}
