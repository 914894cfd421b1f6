/**
 * @module Datum: the in-memory value of one column, and its self-describing binary encoding used
 * by the WAL and checkpoints. The storage layers see only this; `db/types` chooses which Datum
 * represents each SQL type and registers its classes (Numeric, Interval, …) here, so that the
 * storage layers never import the SQL layers.
 */
import { assert } from "./assert.ts";

/** A column value. `Datum[]` is an SQL array (or a row); a plain object is a JSON object. */
export type Datum =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Datum[]
  | DatumObject
  | DatumClassInstance;

/** A JSON object value: string keys, no prototype tricks. */
export interface DatumObject {
  [key: string]: Datum;
}

/** An instance of a class registered with {@link registerDatumClass}. */
export interface DatumClassInstance {
  readonly datumTag: number;
}

/** How one registered class turns into plain Datums and back. */
export interface DatumClass<T extends DatumClassInstance> {
  /** 16–255, unique; persisted on disk, so never reuse a tag for another class. */
  tag: number;
  name: string;
  toPlain(value: T): Datum;
  fromPlain(plain: Datum): T;
}

const classes = new Map<number, DatumClass<DatumClassInstance>>();

/**
 * Registers a class so its instances can be written to the WAL and checkpoints.
 *
 * @example
 * registerDatumClass({ tag: 16, name: "numeric", toPlain: (n) => n.toString(), fromPlain: (s) => Numeric.parse(s as string) });
 */
export function registerDatumClass<T extends DatumClassInstance>(cls: DatumClass<T>): void {
  assert(cls.tag >= 16 && cls.tag <= 255, `datum class tag ${cls.tag} out of range`);
  const existing = classes.get(cls.tag);
  assert(existing === undefined || existing.name === cls.name, `datum tag ${cls.tag} reused`);
  classes.set(cls.tag, cls as unknown as DatumClass<DatumClassInstance>);
}

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  Int32 = 3,
  Float64 = 4,
  BigInt64 = 5,
  BigIntText = 6,
  String = 7,
  Bytes = 8,
  Array = 9,
  Object = 10,
}

/** An append-only byte buffer that grows as needed. */
export class ByteWriter {
  #buf: Uint8Array;
  #view: DataView;
  length = 0;

  constructor(initialBytes = 256) {
    this.#buf = new Uint8Array(initialBytes);
    this.#view = new DataView(this.#buf.buffer);
  }

  #room(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.#room(1);
    this.#buf[this.length++] = v;
  }

  u32(v: number): void {
    this.#room(4);
    this.#view.setUint32(this.length, v, true);
    this.length += 4;
  }

  i32(v: number): void {
    this.#room(4);
    this.#view.setInt32(this.length, v, true);
    this.length += 4;
  }

  u64(v: bigint): void {
    this.#room(8);
    this.#view.setBigUint64(this.length, v, true);
    this.length += 8;
  }

  i64(v: bigint): void {
    this.#room(8);
    this.#view.setBigInt64(this.length, v, true);
    this.length += 8;
  }

  f64(v: number): void {
    this.#room(8);
    this.#view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  /** Unsigned LEB128. */
  varint(v: number): void {
    assert(Number.isSafeInteger(v) && v >= 0, "varint is a non-negative safe integer");
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.u8(v);
  }

  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
  }

  /** A varint length, then the UTF-8 bytes (encoded in place: no temporary array). */
  string(s: string): void {
    // Room for the worst case: 3 bytes per UTF-16 unit, and the longest varint length.
    this.#room(s.length * 3 + 9);
    const { written } = encoder.encodeInto(s, this.#buf.subarray(this.length + 1));
    if (written < 0x80) {
      this.#buf[this.length] = written;
      this.length += 1 + written;
      return;
    }
    // A longer length needs more varint bytes: move the text right to make room.
    let lenBytes = 1;
    for (let v = written; v >= 0x80; v = Math.floor(v / 0x80)) lenBytes++;
    const start = this.length;
    this.#buf.copyWithin(start + lenBytes, start + 1, start + 1 + written);
    this.varint(written);
    assert(this.length === start + lenBytes, "varint length as computed");
    this.length += written;
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.length);
  }

  /** The bytes written so far, without copying: valid until the next write. */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.length);
  }
}

/** A cursor over bytes written by {@link ByteWriter}; reading past the end is a DbCorrupt. */
export class ByteReader {
  #view: DataView;
  offset = 0;

  constructor(readonly buf: Uint8Array) {
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  #need(n: number): void {
    if (this.offset + n > this.buf.length) throw new DatumCorrupt("truncated value");
  }

  u8(): number {
    this.#need(1);
    return this.buf[this.offset++]!;
  }

  u32(): number {
    this.#need(4);
    const v = this.#view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  i32(): number {
    this.#need(4);
    const v = this.#view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }

  u64(): bigint {
    this.#need(8);
    const v = this.#view.getBigUint64(this.offset, true);
    this.offset += 8;
    return v;
  }

  i64(): bigint {
    this.#need(8);
    const v = this.#view.getBigInt64(this.offset, true);
    this.offset += 8;
    return v;
  }

  f64(): number {
    this.#need(8);
    const v = this.#view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 0x80;
    }
    throw new DatumCorrupt("varint too long");
  }

  bytes(n: number): Uint8Array {
    this.#need(n);
    const out = this.buf.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  string(): string {
    const n = this.varint();
    this.#need(n);
    const buf = this.buf;
    const start = this.offset;
    this.offset += n;
    // Short ASCII text (most keys and names) decodes faster without the TextDecoder call.
    if (n <= 256) {
      let ascii = true;
      for (let i = start; i < start + n; i++) {
        if (buf[i]! >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) return String.fromCharCode.apply(null, buf.subarray(start, start + n) as never);
    }
    return decoder.decode(buf.subarray(start, start + n));
  }
}

/** Bytes that do not decode: the caller treats the record holding them as corrupt. */
export class DatumCorrupt extends Error {
  constructor(message: string) {
    super(`corrupt datum: ${message}`);
    this.name = "DatumCorrupt";
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Appends the encoding of `value` to `w`.
 *
 * @example
 * const w = new ByteWriter(); writeDatum(w, [1, "a", null]); const bytes = w.finish();
 */
export function writeDatum(w: ByteWriter, value: Datum): void {
  if (value === null) return w.u8(Tag.Null);
  switch (typeof value) {
    case "boolean":
      return w.u8(value ? Tag.True : Tag.False);
    case "number":
      if ((value | 0) === value && !Object.is(value, -0)) {
        w.u8(Tag.Int32);
        return w.i32(value);
      }
      w.u8(Tag.Float64);
      return w.f64(value);
    case "bigint":
      if (value >= -(2n ** 63n) && value < 2n ** 63n) {
        w.u8(Tag.BigInt64);
        return w.i64(value);
      }
      w.u8(Tag.BigIntText);
      return w.string(value.toString());
    case "string":
      w.u8(Tag.String);
      return w.string(value);
  }
  if (value instanceof Uint8Array) {
    w.u8(Tag.Bytes);
    w.varint(value.length);
    return w.bytes(value);
  }
  if (Array.isArray(value)) {
    w.u8(Tag.Array);
    w.varint(value.length);
    for (const item of value) writeDatum(w, item);
    return;
  }
  const tag = (value as DatumClassInstance).datumTag;
  if (typeof tag === "number") {
    const cls = classes.get(tag);
    assert(cls !== undefined, `datum class ${tag} is not registered`);
    w.u8(tag);
    return writeDatum(w, cls.toPlain(value as DatumClassInstance));
  }
  const keys = Object.keys(value);
  w.u8(Tag.Object);
  w.varint(keys.length);
  for (const key of keys) {
    w.string(key);
    writeDatum(w, (value as DatumObject)[key]!);
  }
}

/** Reads one value written by {@link writeDatum}. */
export function readDatum(r: ByteReader): Datum {
  const tag = r.u8();
  switch (tag) {
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Int32:
      return r.i32();
    case Tag.Float64:
      return r.f64();
    case Tag.BigInt64:
      return r.i64();
    case Tag.BigIntText:
      return BigInt(r.string());
    case Tag.String:
      return r.string();
    case Tag.Bytes:
      return r.bytes(r.varint());
    case Tag.Array: {
      const n = r.varint();
      if (n > r.remaining) throw new DatumCorrupt("array longer than its record");
      const out: Datum[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = readDatum(r);
      return out;
    }
    case Tag.Object: {
      const n = r.varint();
      if (n > r.remaining) throw new DatumCorrupt("object longer than its record");
      const out: DatumObject = Object.create(null);
      for (let i = 0; i < n; i++) {
        const key = r.string();
        out[key] = readDatum(r);
      }
      return out;
    }
  }
  const cls = classes.get(tag);
  if (cls === undefined) throw new DatumCorrupt(`unknown tag ${tag}`);
  return cls.fromPlain(readDatum(r));
}
