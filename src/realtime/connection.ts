/**
 * @module One websocket client: Phoenix messages in (heartbeat, phx_join, phx_leave,
 * access_token, broadcast, presence), frames out through a bounded send buffer. A client whose unsent bytes
 * pass the limit is closed with a clear reason; commits never wait for it.
 */
import { type ChangeRecord, DbError, parseLsn } from "../../db/mod.ts";
import { JwtError } from "../auth/mod.ts";
import type { Identity } from "./access.ts";
import {
  changeDataJson,
  type Channel,
  channelSettings,
  matchingBindings,
  parseBindings,
} from "./channel.ts";
import type { HubContext } from "./hub.ts";
import { maxChannelsPerConnection, maxFrameBytes } from "./limits.ts";
import { applyPresence, leavePresence, sendPresenceState } from "./presence.ts";
import { relayBroadcast } from "./broadcast.ts";
import {
  decodeBinaryFrame,
  decodeFrame,
  encodeChangeFrame,
  encodeFrame,
  type PhxMessage,
  type Vsn,
} from "./protocol.ts";

/** WebSocket close code for a client cut off for falling behind (policy violation). */
export const slowClientCloseCode = 1008;

const maxTimer = 2 ** 31 - 1;

/** A connected client. */
export class Connection {
  readonly channels = new Map<string, Channel>();
  #closed = false;

  constructor(
    readonly hub: HubContext,
    readonly ws: WebSocket,
    readonly vsn: Vsn,
    readonly token: string | null,
  ) {
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) => {
      const size = typeof e.data === "string"
        ? e.data.length
        : e.data instanceof ArrayBuffer
        ? e.data.byteLength
        : 0;
      if (size > maxFrameBytes) {
        return this.close(1009, `message too big: over ${maxFrameBytes} bytes`);
      }
      const m = typeof e.data === "string"
        ? decodeFrame(vsn, e.data)
        : vsn === "2.0.0" && e.data instanceof ArrayBuffer
        ? decodeBinaryFrame(new Uint8Array(e.data))
        : null;
      if (m !== null) this.#handle(m).catch(() => this.close(1011, "internal error"));
    };
    ws.onclose = () => this.#cleanup();
    ws.onerror = () => this.#cleanup();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends a message; false when the client is gone or was just cut off for being slow. */
  send(m: PhxMessage): boolean {
    if (this.#closed || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(encodeFrame(this.vsn, m));
    return true;
  }

  #sendText(frame: string): boolean {
    if (this.#closed || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(frame);
    return true;
  }

  /** Sends a binary frame (vsn 2.0.0 broadcasts of raw bytes). */
  sendBytes(bytes: Uint8Array): boolean {
    if (this.#closed || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(bytes);
    return true;
  }

  /**
   * Cuts the client off when its unsent bytes are over the limit. Checked before each commit
   * is delivered (not inside one), so a fast client may take a commit larger than the limit and
   * a client's memory is bounded by the limit plus one commit's events.
   */
  #overflowed(): boolean {
    if (this.#closed || this.ws.bufferedAmount <= this.hub.sendBufferBytes) return false;
    this.hub.metrics.slowClientsClosed++;
    this.close(
      slowClientCloseCode,
      `slow consumer: send buffer over ${this.hub.sendBufferBytes} bytes`,
    );
    return true;
  }

  /** Delivers one commit's records to every joined channel. */
  deliver(ch: Channel, records: readonly ChangeRecord[]): void {
    this.#overflowed();
    for (const r of records) {
      if (this.#closed) {
        this.hub.metrics.eventsDropped++;
        continue;
      }
      const ids = matchingBindings(ch, r);
      if (ids === null) continue;
      const frame = encodeChangeFrame(this.vsn, ch.joinRef, ch.topic, ids, changeDataJson(r));
      if (this.#sendText(frame)) {
        this.hub.metrics.eventsSent++;
        // Records read back from the ring after a restart have no commit-to-send latency.
        if (r.receivedAt >= 0) this.hub.metrics.observeLatency(performance.now() - r.receivedAt);
      } else {
        this.hub.metrics.eventsDropped++;
      }
    }
  }

  close(code = 1000, reason = ""): void {
    if (this.#closed) return;
    this.#cleanup();
    try {
      this.ws.close(code, reason);
    } catch {
      // Already closing.
    }
  }

  #cleanup(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const ch of [...this.channels.values()]) this.#drop(ch);
    this.hub.connections.delete(this);
    this.hub.metrics.connectedClients--;
  }

  #drop(ch: Channel): void {
    ch.unsubscribe();
    clearTimeout(ch.expiry);
    this.hub.metrics.subscriptions -= ch.bindings.length;
    this.channels.delete(ch.topic);
    leavePresence(this.hub.connections, ch);
    this.hub.access.release(ch.identity);
  }

  #reply(m: PhxMessage, status: "ok" | "error", response: Record<string, unknown>): void {
    this.send({ ...m, event: "phx_reply", payload: { status, response } });
  }

  #system(ch: { topic: string; joinRef: string | null }, status: string, message: string) {
    this.send({
      joinRef: ch.joinRef,
      ref: null,
      topic: ch.topic,
      event: "system",
      payload: {
        status,
        extension: "system",
        message,
        channel: ch.topic.replace(/^realtime:/, ""),
      },
    });
  }

  /** Ends a channel from the server side: a system error, then phx_close. */
  #end(ch: Channel, message: string): void {
    this.#system(ch, "error", message);
    this.#drop(ch);
    this.send({ joinRef: ch.joinRef, ref: null, topic: ch.topic, event: "phx_close", payload: {} });
  }

  async #handle(m: PhxMessage): Promise<void> {
    if (m.topic === "phoenix" && m.event === "heartbeat") return this.#reply(m, "ok", {});
    switch (m.event) {
      case "phx_join":
        return await this.#join(m);
      case "phx_leave": {
        const ch = this.channels.get(m.topic);
        if (ch !== undefined) this.#drop(ch);
        this.#reply(m, "ok", {});
        this.send({
          joinRef: m.joinRef,
          ref: m.ref,
          topic: m.topic,
          event: "phx_close",
          payload: {},
        });
        return;
      }
      case "access_token":
        return await this.#refresh(m);
      case "broadcast":
        return this.#broadcast(m);
      case "presence": {
        const ch = this.channels.get(m.topic);
        if (ch === undefined) return this.#reply(m, "error", { reason: "channel not joined" });
        const err = applyPresence(this.hub.connections, ch, m.payload);
        return this.#reply(m, err === undefined ? "ok" : "error", err ? { reason: err } : {});
      }
    }
  }

  async #verify(token: string | null): Promise<{ role: string; claims: Record<string, unknown> }> {
    if (token === null) return { role: "anon", claims: { role: "anon" } };
    const claims = await this.hub.verifier.verify(token);
    return { role: claims.role, claims };
  }

  #armExpiry(ch: Channel, claims: Record<string, unknown>): void {
    clearTimeout(ch.expiry);
    if (typeof claims.exp !== "number") return;
    const ms = Math.min(maxTimer, Math.max(0, claims.exp * 1000 - Date.now()));
    ch.expiry = setTimeout(() => {
      if (this.channels.get(ch.topic) === ch) this.#end(ch, "token has expired");
    }, ms);
  }

  async #join(m: PhxMessage): Promise<void> {
    const old = this.channels.get(m.topic);
    if (old !== undefined) this.#drop(old);
    if (this.channels.size >= maxChannelsPerConnection) {
      return this.#reply(m, "error", {
        reason: `too many channels on this connection (limit ${maxChannelsPerConnection})`,
      });
    }
    const config = (m.payload.config ?? {}) as Record<string, unknown>;
    const token = typeof m.payload.access_token === "string" ? m.payload.access_token : this.token;
    let who;
    try {
      who = await this.#verify(token);
    } catch (err) {
      if (!(err instanceof JwtError)) throw err;
      return this.#reply(m, "error", { reason: `invalid token: ${err.message}` });
    }
    const raw = Array.isArray(config.postgres_changes) ? config.postgres_changes : [];
    let parsed;
    try {
      parsed = parseBindings(
        raw as Record<string, unknown>[],
        (await this.hub.feed.ready()).shared(),
        () => this.hub.nextBindingId(),
      );
    } catch (err) {
      return this.#reply(m, "error", { reason: (err as Error).message });
    }
    const { bindings, tables } = parsed;
    let fromLsn: number | undefined;
    if (config.resume_lsn !== undefined && config.resume_lsn !== null) {
      fromLsn = parseLsn(String(config.resume_lsn));
      if (fromLsn === undefined) {
        return this.#reply(m, "error", { reason: `invalid resume_lsn "${config.resume_lsn}"` });
      }
    }
    let identity: Identity;
    try {
      identity = await this.hub.access.acquire(who.role, who.claims);
    } catch (err) {
      if (err instanceof DbError) return this.#reply(m, "error", { reason: err.message });
      throw err;
    }
    const refused = this.hub.access.checkTables(identity, tables);
    if (refused !== undefined || this.#closed) {
      this.hub.access.release(identity);
      if (refused !== undefined) this.#reply(m, "error", { reason: refused });
      return;
    }
    const ch: Channel = {
      topic: m.topic,
      joinRef: m.joinRef ?? m.ref,
      identity,
      bindings,
      tables,
      ...channelSettings(config),
      presenceMeta: null,
      unsubscribe: () => {},
    };
    // Subscribe before answering: the feed is live when SUBSCRIBED arrives. A replay (resume)
    // is held until the reply has gone out, then sent in order before any live commit.
    let pending: (readonly ChangeRecord[])[] | null = [];
    if (bindings.length > 0) {
      try {
        ch.unsubscribe = this.hub.feed.subscribe((recs) => {
          if (pending !== null) pending.push(recs);
          else this.deliver(ch, recs);
        }, fromLsn);
      } catch (err) {
        this.hub.access.release(identity);
        if (err instanceof DbError) return this.#reply(m, "error", { reason: err.message });
        throw err;
      }
    }
    // A second join of the topic may have finished while this one waited: this one wins.
    const prior = this.channels.get(ch.topic);
    if (prior !== undefined) this.#drop(prior);
    this.channels.set(ch.topic, ch);
    this.hub.metrics.subscriptions += bindings.length;
    this.#armExpiry(ch, who.claims);
    this.#reply(m, "ok", {
      postgres_changes: bindings.map((b) => ({
        id: b.id,
        event: b.event,
        schema: b.schema,
        table: b.table,
        filter: b.filter,
      })),
    });
    if (bindings.length > 0) {
      this.send({
        joinRef: ch.joinRef,
        ref: null,
        topic: ch.topic,
        event: "system",
        payload: {
          status: "ok",
          extension: "postgres_changes",
          message: "Subscribed to PostgreSQL",
          channel: ch.topic.replace(/^realtime:/, ""),
        },
      });
    }
    if (ch.presenceEnabled) sendPresenceState(this, ch, this.hub.connections);
    const replay = pending;
    pending = null;
    for (const recs of replay) this.deliver(ch, recs);
  }

  /**
   * `access_token`: a new token is a new identity (role and claims), so the channel moves to that
   * identity's session and predicates; an invalid token ends the channel.
   */
  async #refresh(m: PhxMessage): Promise<void> {
    const ch = this.channels.get(m.topic);
    if (ch === undefined) return;
    const token = typeof m.payload.access_token === "string" ? m.payload.access_token : null;
    let who;
    try {
      who = await this.#verify(token);
    } catch (err) {
      if (!(err instanceof JwtError)) throw err;
      if (this.channels.get(ch.topic) === ch) this.#end(ch, `invalid token: ${err.message}`);
      return;
    }
    let next: Identity;
    try {
      next = await this.hub.access.acquire(who.role, who.claims);
    } catch (err) {
      if (!(err instanceof DbError)) throw err;
      if (this.channels.get(ch.topic) === ch) this.#end(ch, err.message);
      return;
    }
    // The new identity must still be allowed the tables the channel named.
    const refused = this.hub.access.checkTables(next, ch.tables);
    if (this.channels.get(ch.topic) !== ch) return this.hub.access.release(next);
    if (refused !== undefined) {
      this.hub.access.release(next);
      return this.#end(ch, refused);
    }
    const old = ch.identity;
    ch.identity = next;
    this.hub.access.release(old);
    this.#armExpiry(ch, who.claims);
  }

  #broadcast(m: PhxMessage): void {
    const me = this.channels.get(m.topic);
    if (me === undefined) return;
    relayBroadcast(this.hub.connections, this, m);
    if (me.broadcastAck) this.#reply(m, "ok", {});
  }
}
