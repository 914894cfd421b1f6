/**
 * @module A bare Phoenix (vsn 1.0.0) websocket client for tests that look at frames
 * realtime-js hides (the `lsn` extension, `resume_lsn`, error replies).
 */

/** One received message. */
export interface RawMessage {
  topic: string;
  event: string;
  ref: string | null;
  payload: Record<string, unknown>;
}

/** A raw websocket client. */
export class RawClient {
  readonly messages: RawMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  #ref = 0;

  private constructor(readonly ws: WebSocket) {
    ws.onmessage = (e) => this.messages.push(JSON.parse(e.data as string));
    ws.onclose = (e) => this.closed = { code: e.code, reason: e.reason };
  }

  static async open(wsUrl: string, token: string): Promise<RawClient> {
    const ws = new WebSocket(`${wsUrl}/websocket?vsn=1.0.0&apikey=${token}`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error("websocket failed to open"));
    });
    return new RawClient(ws);
  }

  /** Sends phx_join and waits for its reply. */
  async join(topic: string, config: Record<string, unknown>): Promise<RawMessage> {
    const ref = String(++this.#ref);
    this.ws.send(
      JSON.stringify({ topic, event: "phx_join", payload: { config }, ref, join_ref: ref }),
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      const m = this.messages.find((x) => x.event === "phx_reply" && x.ref === ref);
      if (m !== undefined) return m;
      if (Date.now() > deadline) throw new Error(`no reply to join of ${topic}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The postgres_changes data received so far on `topic` (or on every topic). */
  changes(topic?: string): Record<string, unknown>[] {
    return this.messages.filter((m) =>
      m.event === "postgres_changes" && (topic === undefined || m.topic === topic)
    ).map((m) => m.payload.data as Record<string, unknown>);
  }

  close(): Promise<void> {
    if (this.closed !== null) return Promise.resolve();
    const done = new Promise<void>((r) => this.ws.addEventListener("close", () => r()));
    this.ws.close();
    return done;
  }
}
