/**
 * @module One websocket client: Phoenix messages in (heartbeat, phx_join, phx_leave,
 * access_token, broadcast), frames out through a bounded send buffer. A client whose unsent bytes
 * pass the limit is closed with a clear reason; commits never wait for it.
 */
import { type ChangeRecord, DbError, parseLsn } from "../../db/mod.ts";
import { JwtError } from "../auth/mod.ts";
import { checkReadable } from "./access.ts";
import { type Binding, type Channel, eventPayload } from "./channel.ts";
import { parseFilter } from "./filter.ts";
import type { HubContext } from "./hub.ts";
import { decodeFrame, encodeFrame, type PhxMessage, type Vsn } from "./protocol.ts";

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
    ws.onmessage = (e) => {
      if (typeof e.data !== "string") return; // Binary broadcast frames are not supported yet.
      const m = decodeFrame(vsn, e.data);
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
      const payload = eventPayload(ch, r);
      if (payload === null) continue;
      const m = {
        joinRef: ch.joinRef,
        ref: null,
        topic: ch.topic,
        event: "postgres_changes",
        payload,
      };
      if (this.send(m)) {
        this.hub.metrics.eventsSent++;
        this.hub.metrics.observeLatency(performance.now() - r.receivedAt);
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
      if (this.channels.get(ch.topic) !== ch) return;
      this.#system(ch, "error", "token has expired");
      this.#drop(ch);
      this.send({
        joinRef: ch.joinRef,
        ref: null,
        topic: ch.topic,
        event: "phx_close",
        payload: {},
      });
    }, ms);
  }

  async #join(m: PhxMessage): Promise<void> {
    const old = this.channels.get(m.topic);
    if (old !== undefined) this.#drop(old);
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
    const bindings: Binding[] = [];
    const feed = await this.hub.feed();
    const cat = feed.store.shared();
    const tables = new Map<number, { oid: number; schema: string; name: string }>();
    try {
      for (const r of raw as Record<string, unknown>[]) {
        const b: Binding = {
          id: this.hub.nextBindingId(),
          event: String(r.event ?? "*"),
          schema: String(r.schema ?? "public"),
          table: typeof r.table === "string" ? r.table : undefined,
          filter: typeof r.filter === "string" && r.filter !== "" ? r.filter : undefined,
        };
        if (!["*", "INSERT", "UPDATE", "DELETE"].includes(b.event.toUpperCase())) {
          throw new Error(`invalid event "${b.event}": expected INSERT, UPDATE, DELETE or *`);
        }
        if (b.filter !== undefined) b.parsed = parseFilter(b.filter);
        let found = false;
        for (const rel of cat.all("relation")) {
          if (rel.kind !== "r") continue;
          const schema = cat.schemaName(rel.schema);
          if (schema === "pg_catalog" || schema === "information_schema") continue;
          if (b.schema !== "*" && b.schema !== schema) continue;
          if (b.table !== undefined && b.table !== "*" && b.table !== rel.name) continue;
          tables.set(rel.oid, { oid: rel.oid, schema, name: rel.name });
          found = true;
        }
        if (!found && b.table !== undefined && b.table !== "*") {
          throw new Error(`relation "${b.schema}.${b.table}" does not exist`);
        }
        bindings.push(b);
      }
    } catch (err) {
      return this.#reply(m, "error", { reason: (err as Error).message });
    }
    const { readable, refused } = await checkReadable(
      this.hub.db,
      who.role,
      who.claims,
      [...tables.values()],
    );
    if (refused !== undefined) return this.#reply(m, "error", { reason: refused });
    let fromLsn: number | undefined;
    if (config.resume_lsn !== undefined && config.resume_lsn !== null) {
      fromLsn = parseLsn(String(config.resume_lsn));
      if (fromLsn === undefined) {
        return this.#reply(m, "error", { reason: `invalid resume_lsn "${config.resume_lsn}"` });
      }
    }
    if (this.#closed) return;
    const broadcast = (config.broadcast ?? {}) as Record<string, unknown>;
    const ch: Channel = {
      topic: m.topic,
      joinRef: m.joinRef ?? m.ref,
      subscriber: { role: who.role, claims: who.claims, readable },
      bindings,
      broadcastSelf: broadcast.self === true,
      broadcastAck: broadcast.ack === true,
      unsubscribe: () => {},
    };
    // Subscribe before answering: the feed is live when SUBSCRIBED arrives. A replay (resume)
    // is held until the reply has gone out, then sent in order before any live commit.
    let pending: (readonly ChangeRecord[])[] | null = [];
    if (bindings.length > 0) {
      try {
        ch.unsubscribe = feed.subscribe((recs) => {
          if (pending !== null) pending.push(recs);
          else this.deliver(ch, recs);
        }, fromLsn);
      } catch (err) {
        if (err instanceof DbError) return this.#reply(m, "error", { reason: err.message });
        throw err;
      }
    }
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
    const replay = pending;
    pending = null;
    for (const recs of replay) this.deliver(ch, recs);
  }

  async #refresh(m: PhxMessage): Promise<void> {
    const ch = this.channels.get(m.topic);
    if (ch === undefined) return;
    const token = typeof m.payload.access_token === "string" ? m.payload.access_token : null;
    try {
      const who = await this.#verify(token);
      const store = (await this.hub.feed()).store;
      if (who.role !== ch.subscriber.role) {
        const tables = [...ch.subscriber.readable].map((oid) => {
          const rel = store.shared().relationByOid(oid);
          return rel === undefined ? undefined : {
            oid,
            schema: store.shared().schemaName(rel.schema),
            name: rel.name,
          };
        }).filter((t) => t !== undefined);
        ch.subscriber.readable = (await checkReadable(this.hub.db, who.role, who.claims, tables))
          .readable;
      }
      ch.subscriber.role = who.role;
      ch.subscriber.claims = who.claims;
      this.#armExpiry(ch, who.claims);
    } catch (err) {
      if (!(err instanceof JwtError)) throw err;
      this.#system(ch, "error", `invalid token: ${err.message}`);
      this.#drop(ch);
      this.send({
        joinRef: ch.joinRef,
        ref: null,
        topic: ch.topic,
        event: "phx_close",
        payload: {},
      });
    }
  }

  #broadcast(m: PhxMessage): void {
    const me = this.channels.get(m.topic);
    if (me === undefined) return;
    for (const c of this.hub.connections) {
      const ch = c.channels.get(m.topic);
      if (ch === undefined || (c === this && !me.broadcastSelf)) continue;
      c.send({
        joinRef: ch.joinRef,
        ref: null,
        topic: m.topic,
        event: "broadcast",
        payload: m.payload,
      });
    }
    if (me.broadcastAck) this.#reply(m, "ok", {});
  }
}
