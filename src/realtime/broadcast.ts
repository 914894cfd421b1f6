/**
 * @module Broadcast on channels: a client's `broadcast` push goes to every member of the topic
 * (to the sender too only with its `config.broadcast.self`). JSON payloads go out as ordinary
 * frames; raw bytes (a vsn 2.0.0 binary push) go out as binary user-broadcast frames, to vsn
 * 2.0.0 members only, since vsn 1.0.0 has no binary frames.
 */
import type { Channel } from "./channel.ts";
import { encodeBinaryBroadcast, type PhxMessage, type Vsn } from "./protocol.ts";

/** What a broadcast needs of a connection. */
export interface BroadcastMember {
  readonly channels: Map<string, Channel>;
  readonly vsn: Vsn;
  send(m: PhxMessage): boolean;
  sendBytes(bytes: Uint8Array): boolean;
}

/** Relays `m` (a `broadcast` push from `from`) to the members of its topic. */
export function relayBroadcast(
  members: Iterable<BroadcastMember>,
  from: BroadcastMember,
  m: PhxMessage,
): void {
  const self = from.channels.get(m.topic)?.broadcastSelf === true;
  const bytes = m.payload.payload instanceof Uint8Array;
  let frame: Uint8Array | undefined;
  for (const c of members) {
    const ch = c.channels.get(m.topic);
    if (ch === undefined || (c === from && !self)) continue;
    if (bytes) {
      if (c.vsn === "2.0.0") c.sendBytes(frame ??= encodeBinaryBroadcast(m.topic, m.payload));
      continue;
    }
    c.send({
      joinRef: ch.joinRef,
      ref: null,
      topic: m.topic,
      event: "broadcast",
      payload: m.payload,
    });
  }
}
