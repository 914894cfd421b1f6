/**
 * @module Incremental framing: cuts frontend messages out of a byte stream (split across reads, or
 * many per read) inside one read buffer, checking each length against the limits before any byte
 * of the body arrives.
 */
import { protocolViolation, typeName } from "./codec.ts";
import { pgwireLimits } from "./limits.ts";

/** The largest body a frontend message of `type` may have (PostgreSQL's SocketBackend). */
export function bodyBytesMax(type: number): number {
  switch (type) {
    case 0x51: // Q
    case 0x50: // P
    case 0x42: // B
    case 0x64: // d
    case 0x70: // p
    case 0x46: // F
      return pgwireLimits.messageBytesMax;
    default:
      return pgwireLimits.smallMessageBytesMax;
  }
}

/**
 * Cuts messages out of a byte stream held in one read buffer. Read into {@link space}, report
 * the count with {@link commit}, then call {@link next} until it returns false. The buffer grows
 * only as far as the bytes that actually arrived, so a length header alone never allocates.
 */
export class Framer {
  buf: Uint8Array;
  #start = 0;
  #end = 0;
  /** The current message's type byte (0 for a startup packet). */
  type = 0;
  /** The current message's body, `buf[bodyStart, bodyEnd)`. */
  bodyStart = 0;
  bodyEnd = 0;
  /** True while reading startup packets, which have no type byte. */
  startup = true;

  constructor(initialBytes: number = pgwireLimits.bufferBytesInitial) {
    this.buf = new Uint8Array(initialBytes);
  }

  /** Bytes received but not yet cut into messages. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Free space to read into, made by compacting or growing the buffer when needed. */
  space(): Uint8Array {
    if (this.#start === this.#end) {
      this.#start = this.#end = 0;
      if (this.buf.length > pgwireLimits.bufferBytesRetained) {
        this.buf = new Uint8Array(pgwireLimits.bufferBytesInitial);
      }
    }
    if (this.#end === this.buf.length) {
      const pending = this.#end - this.#start;
      if (this.#start > 0 && pending < this.buf.length / 2) {
        this.buf.copyWithin(0, this.#start, this.#end);
      } else {
        const next = new Uint8Array(this.buf.length * 2);
        next.set(this.buf.subarray(this.#start, this.#end));
        this.buf = next;
      }
      this.#start = 0;
      this.#end = pending;
    }
    return this.buf.subarray(this.#end);
  }

  /** Records that `n` bytes were read into {@link space}. */
  commit(n: number): void {
    this.#end += n;
  }

  /** Appends bytes (for tests and benchmarks that do not read from a socket). */
  push(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      const space = this.space();
      const n = Math.min(space.length, bytes.length - off);
      space.set(bytes.subarray(off, off + n));
      this.commit(n);
      off += n;
    }
  }

  /**
   * Cuts the next complete message; false when more bytes are needed. Throws an 08P01 DbError
   * for a length that no valid message has.
   */
  next(): boolean {
    const avail = this.#end - this.#start;
    const buf = this.buf;
    const s = this.#start;
    if (this.startup) {
      if (avail < 4) return false;
      const len = ((buf[s]! << 24) | (buf[s + 1]! << 16) | (buf[s + 2]! << 8) | buf[s + 3]!) >>> 0;
      if (len < 8 || len > pgwireLimits.startupPacketBytesMax) {
        throw protocolViolation("invalid length of startup packet");
      }
      if (avail < len) return false;
      this.type = 0;
      this.bodyStart = s + 4;
      this.bodyEnd = s + len;
      this.#start = s + len;
      return true;
    }
    if (avail < 5) return false;
    const type = buf[s]!;
    const len = ((buf[s + 1]! << 24) | (buf[s + 2]! << 16) | (buf[s + 3]! << 8) | buf[s + 4]!) >>>
      0;
    if (len < 4 || len - 4 > bodyBytesMax(type)) {
      throw protocolViolation(`invalid message length ${len} for message type "${typeName(type)}"`);
    }
    if (avail < len + 1) return false;
    this.type = type;
    this.bodyStart = s + 5;
    this.bodyEnd = s + 1 + len;
    this.#start = s + 1 + len;
    return true;
  }
}
