/**
 * @module Presence on channels, as Phoenix Presence and @supabase/realtime-js expect it: a joiner
 * with presence enabled gets `presence_state` (`{key: {metas: [{phx_ref, …meta}]}}`), and every
 * track, untrack or leave sends `presence_diff` (`{joins, leaves}`) to the topic's members that
 * have presence enabled. The state is held on the channels themselves (one tracked meta per
 * client per topic), so a closed connection leaves nothing behind.
 */
import type { JsonValue } from "../../db/mod.ts";
import type { Channel } from "./channel.ts";
import type { PhxMessage } from "./protocol.ts";

/** What presence needs of a connection. */
export interface PresenceMember {
  readonly channels: Map<string, Channel>;
  send(m: PhxMessage): boolean;
}

type Metas = Record<string, { metas: Record<string, JsonValue>[] }>;

let refs = 0;

/** A fresh phx_ref for a tracked meta. */
export function nextPresenceRef(): string {
  return `F${(++refs).toString(36)}`;
}

/** The topic's presence state: every tracked meta of every member, by key. */
export function presenceState(members: Iterable<PresenceMember>, topic: string): Metas {
  const state: Metas = {};
  for (const m of members) {
    const ch = m.channels.get(topic);
    if (ch?.presenceMeta == null) continue;
    (state[ch.presenceKey] ??= { metas: [] }).metas.push(ch.presenceMeta);
  }
  return state;
}

/** Sends `presence_state` to one channel. */
export function sendPresenceState(
  to: PresenceMember,
  ch: Channel,
  members: Iterable<PresenceMember>,
): void {
  to.send({
    joinRef: ch.joinRef,
    ref: null,
    topic: ch.topic,
    event: "presence_state",
    payload: presenceState(members, ch.topic),
  });
}

/** Sends a `presence_diff` for `key` to every member of `topic` that has presence enabled. */
export function sendPresenceDiff(
  members: Iterable<PresenceMember>,
  topic: string,
  key: string,
  diff: { join?: Record<string, JsonValue>; leave?: Record<string, JsonValue> },
): void {
  const payload = {
    joins: diff.join === undefined ? {} : { [key]: { metas: [diff.join] } },
    leaves: diff.leave === undefined ? {} : { [key]: { metas: [diff.leave] } },
  };
  for (const m of members) {
    const ch = m.channels.get(topic);
    if (ch === undefined || !ch.presenceEnabled) continue;
    m.send({ joinRef: ch.joinRef, ref: null, topic, event: "presence_diff", payload });
  }
}

/**
 * Applies a client's `presence` push (`{type: "presence", event: "track"|"untrack", payload}`)
 * on `ch`; returns an error message for an unknown event.
 */
export function applyPresence(
  members: Iterable<PresenceMember>,
  ch: Channel,
  push: Record<string, unknown>,
): string | undefined {
  const event = push.event;
  if (event !== "track" && event !== "untrack") {
    return `unknown presence event "${String(event)}": expected track or untrack`;
  }
  const old = ch.presenceMeta;
  if (event === "untrack") {
    if (old === null) return undefined;
    ch.presenceMeta = null;
    sendPresenceDiff(members, ch.topic, ch.presenceKey, { leave: old });
    return undefined;
  }
  const raw = push.payload;
  const meta = typeof raw === "object" && raw !== null && !Array.isArray(raw)
    ? raw as Record<string, JsonValue>
    : {};
  const next: Record<string, JsonValue> = { ...meta, phx_ref: nextPresenceRef() };
  if (old !== null) next.phx_ref_prev = old.phx_ref ?? null;
  ch.presenceMeta = next;
  sendPresenceDiff(members, ch.topic, ch.presenceKey, {
    join: next,
    ...(old === null ? {} : { leave: old }),
  });
  return undefined;
}

/** A channel left or its connection closed: its tracked meta leaves. */
export function leavePresence(members: Iterable<PresenceMember>, ch: Channel): void {
  const old = ch.presenceMeta;
  if (old === null) return;
  ch.presenceMeta = null;
  sendPresenceDiff(members, ch.topic, ch.presenceKey, { leave: old });
}
