/**
 * @module The byte stream under a connection. A Deno.Conn is one as it is (the fast path, used
 * when TLS is off). With TLS configured, sockets come from node:net and are wrapped here, so
 * that an SSLRequest can upgrade the same socket in place with node:tls (Deno.startTls is
 * client-only; DESIGN.md, interfaces).
 */
import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import { type SecureContext, TLSSocket } from "node:tls";

/** What a connection reads from and writes to. */
export interface Transport {
  read(p: Uint8Array): Promise<number | null>;
  write(p: Uint8Array): Promise<number>;
  close(): void;
  /** Present when TLS is configured: upgrades the stream after `S` was sent. */
  startTls?(): Promise<Transport>;
  /** The server certificate (DER) once TLS is on, for SCRAM channel binding. */
  readonly certificate?: Uint8Array;
}

/** Read-ahead a socket may queue before it is paused: bounds memory of a fast sender. */
const queuedBytesMax = 1024 * 1024;

/** A node:net or node:tls socket as a {@link Transport}. */
export class NodeTransport implements Transport {
  readonly #socket: Socket;
  #chunks: Buffer[] = [];
  #offset = 0;
  #queued = 0;
  #ended = false;
  #wake: (() => void) | undefined;
  readonly certificate?: Uint8Array;
  readonly startTls?: () => Promise<Transport>;

  constructor(
    socket: Socket,
    tls?: { context: SecureContext; certificate: Uint8Array },
    certificate?: Uint8Array,
  ) {
    this.#socket = socket;
    this.certificate = certificate;
    socket.setNoDelay?.(true);
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("close", this.#onEnd);
    socket.on("error", this.#onEnd);
    if (tls !== undefined) this.startTls = () => this.#upgrade(tls);
  }

  #onData = (b: Buffer) => {
    this.#chunks.push(b);
    this.#queued += b.length;
    if (this.#queued > queuedBytesMax) this.#socket.pause();
    this.#wake?.();
  };

  #onEnd = () => {
    this.#ended = true;
    this.#wake?.();
  };

  async read(p: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#ended) return null;
      this.#socket.resume();
      await new Promise<void>((r) => this.#wake = r);
      this.#wake = undefined;
    }
    let n = 0;
    while (n < p.length && this.#chunks.length > 0) {
      const head = this.#chunks[0]!;
      const take = Math.min(p.length - n, head.length - this.#offset);
      p.set(head.subarray(this.#offset, this.#offset + take), n);
      n += take;
      this.#offset += take;
      if (this.#offset === head.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    this.#queued -= n;
    return n;
  }

  write(p: Uint8Array): Promise<number> {
    // Copied: node may hold the buffer after the callback, and ours is reused.
    const copy = Buffer.from(p);
    return new Promise((resolve, reject) =>
      this.#socket.write(copy, (err) => err ? reject(err) : resolve(p.length))
    );
  }

  close(): void {
    this.#socket.destroy();
  }

  async #upgrade(tls: { context: SecureContext; certificate: Uint8Array }): Promise<Transport> {
    const socket = this.#socket;
    for (
      const [event, f] of [["data", this.#onData], ["end", this.#onEnd], ["close", this.#onEnd], [
        "error",
        this.#onEnd,
      ]] as const
    ) socket.off(event, f);
    const secure = new TLSSocket(socket, { isServer: true, secureContext: tls.context });
    await new Promise<void>((resolve, reject) => {
      secure.once("secure", resolve);
      secure.once("error", reject);
      secure.once("close", () => reject(new Error("closed during the TLS handshake")));
    });
    return new NodeTransport(secure as unknown as Socket, undefined, tls.certificate);
  }
}
