/**
 * @module The byte layer of the protocol: {@link WireWriter} encodes backend messages into one
 * reusable growing buffer, and {@link MessageCursor} reads a message's fields with strict bounds
 * (framing is framer.ts). Nothing here allocates per message on the hot path except the strings
 * a message carries.
 */
import { DbError, SqlState } from "../../db/sqlstate.ts";
import { pgwireLimits } from "./limits.ts";

/**
 * A protocol violation (08P01). A malformed message is FATAL: the connection is closed, since
 * nothing after it can be trusted. A well-formed message that asks for something inconsistent
 * (`fatal` false) is an ordinary ERROR, as in PostgreSQL.
 */
export function protocolViolation(message: string, fatal = true): DbError {
  return new DbError(SqlState.protocolViolation, message, fatal ? { severity: "FATAL" } : {});
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/** Where a binary output function writes (PostgreSQL's typsend into a StringInfo). */
export interface BinaryOut {
  int8(v: number): void;
  int16(v: number): void;
  int32(v: number): void;
  int64(v: bigint): void;
  float32(v: number): void;
  float64(v: number): void;
  bytes(v: Uint8Array): void;
  /** Writes `s` as UTF-8 without a terminator. */
  utf8(s: string): void;
}

/** Encodes backend messages into one growing buffer; `take()` hands out what is pending. */
export class WireWriter implements BinaryOut {
  buf: Uint8Array;
  #view: DataView;
  /** Bytes pending in `buf`. */
  length = 0;

  constructor(initialBytes: number = pgwireLimits.bufferBytesInitial) {
    this.buf = new Uint8Array(initialBytes);
    this.#view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** Starts a message of `type`; returns the offset that {@link end} patches. */
  begin(type: number): number {
    this.reserve(5);
    const at = this.length;
    this.buf[at] = type;
    this.length = at + 5;
    return at;
  }

  /** Finishes the message started at `at` by writing its length. */
  end(at: number): void {
    this.#view.setInt32(at + 1, this.length - at - 1);
  }

  int8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  int16(v: number): void {
    this.reserve(2);
    this.#view.setInt16(this.length, v);
    this.length += 2;
  }

  int32(v: number): void {
    this.reserve(4);
    this.#view.setInt32(this.length, v);
    this.length += 4;
  }

  int64(v: bigint): void {
    this.reserve(8);
    this.#view.setBigInt64(this.length, v);
    this.length += 8;
  }

  float32(v: number): void {
    this.reserve(4);
    this.#view.setFloat32(this.length, v);
    this.length += 4;
  }

  float64(v: number): void {
    this.reserve(8);
    this.#view.setFloat64(this.length, v);
    this.length += 8;
  }

  /** Overwrites a 32-bit integer already written at `at`. */
  patchInt32(at: number, v: number): void {
    this.#view.setInt32(at, v);
  }

  bytes(v: Uint8Array): void {
    this.reserve(v.length);
    this.buf.set(v, this.length);
    this.length += v.length;
  }

  utf8(s: string): void {
    const n = s.length;
    // Short ASCII strings (numbers, names, tags) are copied by hand: cheaper than encodeInto.
    if (n <= 64) {
      this.reserve(n);
      const buf = this.buf;
      let p = this.length;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        this.length = p;
        return;
      }
    }
    this.reserve(n * 3);
    const { written } = utf8Encoder.encodeInto(s, this.buf.subarray(this.length));
    this.length += written;
  }

  /** Writes `s` as a NUL-terminated string. */
  cstring(s: string): void {
    this.utf8(s);
    this.int8(0);
  }

  /** Drops `n` written bytes from the front (after they were sent), keeping the rest. */
  consume(n: number): void {
    if (n >= this.length) {
      this.length = 0;
      if (this.buf.length > pgwireLimits.bufferBytesRetained) {
        this.buf = new Uint8Array(pgwireLimits.bufferBytesInitial);
        this.#view = new DataView(this.buf.buffer);
      }
      return;
    }
    this.buf.copyWithin(0, n, this.length);
    this.length -= n;
  }
}

/** Reads the fields of one message between `pos` and `end` with strict bounds. */
export class MessageCursor {
  buf: Uint8Array = new Uint8Array(0);
  #view = new DataView(this.buf.buffer);
  pos = 0;
  end = 0;

  /** Points the cursor at `buf[start, end)`. */
  reset(buf: Uint8Array, start: number, end: number): void {
    if (buf !== this.buf) {
      this.buf = buf;
      this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  #need(n: number): void {
    if (this.end - this.pos < n) throw protocolViolation("insufficient data left in message");
  }

  byte(): number {
    this.#need(1);
    return this.buf[this.pos++]!;
  }

  int16(): number {
    this.#need(2);
    const v = this.#view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }

  uint16(): number {
    this.#need(2);
    const v = this.#view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.#need(4);
    const v = this.#view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  /** A view of the next `n` bytes; valid until the read buffer is reused. */
  bytes(n: number): Uint8Array {
    if (n < 0) throw protocolViolation("invalid message format");
    this.#need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const buf = this.buf;
    const start = this.pos;
    let i = start;
    const end = this.end;
    let ascii = true;
    while (i < end) {
      const c = buf[i]!;
      if (c === 0) break;
      if (c >= 0x80) ascii = false;
      i++;
    }
    if (i >= end) throw protocolViolation("invalid string in message");
    this.pos = i + 1;
    const n = i - start;
    if (n === 0) return "";
    if (ascii && n <= 32) {
      let s = "";
      for (let k = start; k < i; k++) s += String.fromCharCode(buf[k]!);
      return s;
    }
    try {
      return utf8Decoder.decode(buf.subarray(start, i));
    } catch {
      throw new DbError(
        SqlState.characterNotInRepertoire,
        'invalid byte sequence for encoding "UTF8"',
        {
          severity: "FATAL",
        },
      );
    }
  }

  /** Throws unless every byte of the message was read (PostgreSQL's pq_getmsgend). */
  finish(): void {
    if (this.pos !== this.end) throw protocolViolation("invalid message format");
  }
}

/** A printable name for a message type byte. */
export function typeName(type: number): string {
  return type >= 0x20 && type < 0x7f ? String.fromCharCode(type) : `\\x${type.toString(16)}`;
}
