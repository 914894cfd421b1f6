/**
 * @module Binary send/receive (the pgwire binary format, network byte order) for bool, bytea,
 * "char", the text types, int2/4/8, oid, float4/8, numeric (base-10000 digits), date, time,
 * timetz, timestamp(tz), interval, uuid, json, jsonb (version 1 + text), and arrays of them
 * (ndim, has-null flag, element OID, dimensions and lower bounds).
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { PgArray } from "./array.ts";
import type { EvalContext } from "./context.ts";
import { Interval } from "./interval.ts";
import { formatJsonb, parseJsonb, parseJsonText } from "./json.ts";
import { jsonPathIn } from "./jsonpath_parse.ts";
import { Numeric, pow10 } from "./numeric.ts";
import { elementOf, Oid } from "./oids.ts";
import { uuidBytes, uuidFromBytes } from "./uuid.ts";

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const int32Max = 2147483647;
const int32Min = -2147483648;

function bad(message = "insufficient data left in message"): DbError {
  return new DbError(SqlState.invalidBinaryRepresentation, message);
}

function fixed(n: number, fill: (v: DataView) => void): Uint8Array {
  const b = new Uint8Array(n);
  fill(new DataView(b.buffer));
  return b;
}

function view(b: Uint8Array, n: number): DataView {
  if (b.length !== n) {
    throw bad(b.length < n ? "insufficient data left in message" : "incorrect binary data format");
  }
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** numeric_send: ndigits, weight, sign, dscale, then base-10000 digits. */
export function numericSend(n: Numeric): Uint8Array {
  let sign = 0;
  let digits: number[] = [];
  let weight = 0;
  if (n.isNaN()) sign = 0xc000;
  else if (!n.isFinite()) sign = n.sign() > 0 ? 0xd000 : 0xf000;
  else if (n.coef !== 0n) {
    sign = n.coef < 0n ? 0x4000 : 0;
    const abs = (n.coef < 0n ? -n.coef : n.coef).toString();
    const intDigits = abs.length > n.scale ? abs.slice(0, abs.length - n.scale) : "";
    const fracDigits = abs.length > n.scale
      ? abs.slice(abs.length - n.scale)
      : abs.padStart(n.scale, "0");
    const intPadded = intDigits.padStart(Math.ceil(intDigits.length / 4) * 4, "0");
    const fracPadded = fracDigits.padEnd(Math.ceil(fracDigits.length / 4) * 4, "0");
    for (let i = 0; i < intPadded.length; i += 4) digits.push(Number(intPadded.slice(i, i + 4)));
    for (let i = 0; i < fracPadded.length; i += 4) digits.push(Number(fracPadded.slice(i, i + 4)));
    weight = intPadded.length / 4 - 1;
    let lead = 0;
    while (lead < digits.length && digits[lead] === 0) lead++;
    digits = digits.slice(lead);
    weight -= lead;
    while (digits.length > 0 && digits[digits.length - 1] === 0) digits.pop();
  }
  return fixed(8 + 2 * digits.length, (v) => {
    v.setInt16(0, digits.length);
    v.setInt16(2, weight);
    v.setUint16(4, sign);
    // PostgreSQL's ±Infinity header leaves 0x20 in the dscale field; NaN leaves 0.
    v.setInt16(6, n.isFinite() ? n.scale : n.isNaN() ? 0 : 0x20);
    digits.forEach((d, k) => v.setInt16(8 + 2 * k, d));
  });
}

/** numeric_recv. */
export function numericRecv(b: Uint8Array): Numeric {
  if (b.length < 8) throw bad();
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ndigits = v.getInt16(0);
  const weight = v.getInt16(2);
  const sign = v.getUint16(4);
  const dscale = v.getInt16(6);
  if (b.length !== 8 + 2 * ndigits || ndigits < 0) throw bad();
  if (sign === 0xc000) return Numeric.NaN;
  if (sign === 0xd000) return Numeric.Infinity;
  if (sign === 0xf000) return Numeric.NegInfinity;
  if (sign !== 0 && sign !== 0x4000) throw bad('invalid sign in external "numeric" value');
  if (dscale < 0 || dscale > 0x3fff) throw bad('invalid scale in external "numeric" value');
  // value = Σ d_k · 10000^(weight − k); as a coefficient at scale 4·(ndigits − weight − 1).
  let coef = 0n;
  for (let k = 0; k < ndigits; k++) {
    const d = v.getInt16(8 + 2 * k);
    if (d < 0 || d >= 10000) throw bad('invalid digit in external "numeric" value');
    coef = coef * 10000n + BigInt(d);
  }
  const scale = 4 * (ndigits - weight - 1);
  let n: Numeric;
  if (scale >= 0) n = new Numeric(coef, scale);
  else n = new Numeric(coef * pow10(-scale), 0);
  n = n.round(dscale);
  return sign === 0x4000 ? n.neg() : n;
}

type Send = (d: Datum, ctx: EvalContext) => Uint8Array;
type Recv = (b: Uint8Array, ctx: EvalContext) => Datum;

const textSend: Send = (d) => utf8.encode(d as string);
const textRecv: Recv = (b) => {
  try {
    return utf8Decoder.decode(b);
  } catch {
    throw new DbError(
      SqlState.characterNotInRepertoire,
      'invalid byte sequence for encoding "UTF8"',
    );
  }
};
const int4Send: Send = (d) => fixed(4, (v) => v.setInt32(0, d as number));
const int4Recv: Recv = (b) => view(b, 4).getInt32(0);
const oidSend: Send = (d) => fixed(4, (v) => v.setUint32(0, d as number));
const oidRecv: Recv = (b) => view(b, 4).getUint32(0);
const int8Send: Send = (d) => fixed(8, (v) => v.setBigInt64(0, d as bigint));
const int8Recv: Recv = (b) => view(b, 8).getBigInt64(0);

const senders = new Map<number, Send>([
  [Oid.bool, (d) => Uint8Array.of(d ? 1 : 0)],
  [Oid.bytea, (d) => d as Uint8Array],
  [Oid.char, (d) => {
    const c = d as string;
    return c.length === 0 ? new Uint8Array(0) : Uint8Array.of(c.charCodeAt(0) & 0xff);
  }],
  [Oid.name, textSend],
  [Oid.text, textSend],
  [Oid.varchar, textSend],
  [Oid.bpchar, textSend],
  [Oid.unknown, textSend],
  [Oid.json, textSend],
  [Oid.int2, (d) => fixed(2, (v) => v.setInt16(0, d as number))],
  [Oid.int4, int4Send],
  [Oid.int8, int8Send],
  [Oid.oid, oidSend],
  [Oid.regclass, oidSend],
  [Oid.regtype, oidSend],
  [Oid.regproc, oidSend],
  [Oid.xid, oidSend],
  [Oid.float4, (d) => fixed(4, (v) => v.setFloat32(0, d as number))],
  [Oid.float8, (d) => fixed(8, (v) => v.setFloat64(0, d as number))],
  [Oid.numeric, (d) => numericSend(d as Numeric)],
  [Oid.date, (d) => {
    const x = d as number;
    return fixed(
      4,
      (v) => v.setInt32(0, x === Infinity ? int32Max : x === -Infinity ? int32Min : x),
    );
  }],
  [Oid.time, (d) => fixed(8, (v) => v.setBigInt64(0, BigInt(d as number)))],
  [Oid.timetz, (d) => {
    const [t, z] = d as [number, number];
    return fixed(12, (v) => {
      v.setBigInt64(0, BigInt(t));
      v.setInt32(8, -z); // PostgreSQL stores the zone as seconds west
    });
  }],
  [Oid.timestamp, int8Send],
  [Oid.timestamptz, int8Send],
  [Oid.interval, (d) => {
    const i = d as Interval;
    return fixed(16, (v) => {
      v.setBigInt64(0, i.micros);
      v.setInt32(8, i.days);
      v.setInt32(12, i.months);
    });
  }],
  [Oid.uuid, (d) => uuidBytes(d as string)],
  [Oid.jsonb, (d) => {
    const body = utf8.encode(formatJsonb(d));
    const out = new Uint8Array(body.length + 1);
    out[0] = 1;
    out.set(body, 1);
    return out;
  }],
  [Oid.jsonpath, (d) => {
    const body = utf8.encode(d as string);
    const out = new Uint8Array(body.length + 1);
    out[0] = 1;
    out.set(body, 1);
    return out;
  }],
]);

const receivers = new Map<number, Recv>([
  [Oid.bool, (b) => view(b, 1).getUint8(0) !== 0],
  [Oid.bytea, (b) => b.slice()],
  [Oid.char, (b) => (b.length === 0 ? "" : String.fromCharCode(b[0]!))],
  [Oid.name, textRecv],
  [Oid.text, textRecv],
  [Oid.varchar, textRecv],
  [Oid.bpchar, textRecv],
  [Oid.unknown, textRecv],
  [Oid.json, (b, c) => parseJsonText(textRecv(b, c) as string)],
  [Oid.int2, (b) => view(b, 2).getInt16(0)],
  [Oid.int4, int4Recv],
  [Oid.int8, int8Recv],
  [Oid.oid, oidRecv],
  [Oid.regclass, oidRecv],
  [Oid.regtype, oidRecv],
  [Oid.regproc, oidRecv],
  [Oid.xid, oidRecv],
  [Oid.float4, (b) => view(b, 4).getFloat32(0)],
  [Oid.float8, (b) => view(b, 8).getFloat64(0)],
  [Oid.numeric, (b) => numericRecv(b)],
  [Oid.date, (b) => {
    const x = view(b, 4).getInt32(0);
    return x === int32Max ? Infinity : x === int32Min ? -Infinity : x;
  }],
  [Oid.time, (b) => {
    const t = Number(view(b, 8).getBigInt64(0));
    if (t < 0 || t > 86400000000) {
      throw new DbError(SqlState.invalidBinaryRepresentation, "time out of range");
    }
    return t;
  }],
  [Oid.timetz, (b) => {
    const v = view(b, 12);
    return [Number(v.getBigInt64(0)), -v.getInt32(8)];
  }],
  [Oid.timestamp, int8Recv],
  [Oid.timestamptz, int8Recv],
  [Oid.interval, (b) => {
    const v = view(b, 16);
    return new Interval(v.getInt32(12), v.getInt32(8), v.getBigInt64(0));
  }],
  [Oid.uuid, (b) => {
    view(b, 16);
    return uuidFromBytes(b);
  }],
  [Oid.jsonb, (b, c) => {
    if (b[0] !== 1) throw bad(`unsupported jsonb version number ${b[0]}`);
    return parseJsonb(textRecv(b.subarray(1), c) as string);
  }],
  [Oid.jsonpath, (b, c) => {
    if (b[0] !== 1) throw bad(`unsupported jsonpath version number: ${b[0]}`);
    return jsonPathIn(textRecv(b.subarray(1), c) as string);
  }],
]);

/**
 * The type's send function: Datum → binary (not called for NULL).
 *
 * @example
 * sendBinary(Oid.int4, 42, ctx); // Uint8Array [0, 0, 0, 42]
 */
export function sendBinary(oid: number, d: Datum, ctx: EvalContext): Uint8Array {
  const fn = senders.get(oid);
  if (fn !== undefined) return fn(d, ctx);
  const elem = elementOf(oid);
  if (elem !== 0) return arraySend(elem, d as PgArray, ctx);
  if (typeof d === "string") return utf8.encode(d); // enums
  throw new DbError(
    SqlState.featureNotSupported,
    `no binary output function available for type ${oid}`,
  );
}

/** The type's receive function: binary → Datum. */
export function recvBinary(oid: number, b: Uint8Array, ctx: EvalContext): Datum {
  const fn = receivers.get(oid);
  if (fn !== undefined) return fn(b, ctx);
  const elem = elementOf(oid);
  if (elem !== 0) return arrayRecv(elem, b, ctx);
  throw new DbError(
    SqlState.featureNotSupported,
    `no binary input function available for type ${oid}`,
  );
}

/** True if the type has binary I/O here. */
export function hasBinaryIo(oid: number): boolean {
  return senders.has(oid) || (elementOf(oid) !== 0 && senders.has(elementOf(oid)));
}

function arraySend(elem: number, a: PgArray, ctx: EvalContext): Uint8Array {
  const parts = a.elements.map((e) => (e === null ? null : sendBinary(elem, e, ctx)));
  const size = 12 + 8 * a.dims.length + parts.reduce((n, p) => n + 4 + (p?.length ?? 0), 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setInt32(0, a.dims.length);
  v.setInt32(4, a.hasNull() ? 1 : 0);
  v.setUint32(8, elem);
  let off = 12;
  a.dims.forEach((d, k) => {
    v.setInt32(off, d);
    v.setInt32(off + 4, a.lbounds[k]!);
    off += 8;
  });
  for (const p of parts) {
    if (p === null) {
      v.setInt32(off, -1);
      off += 4;
    } else {
      v.setInt32(off, p.length);
      out.set(p, off + 4);
      off += 4 + p.length;
    }
  }
  return out;
}

function arrayRecv(elem: number, b: Uint8Array, ctx: EvalContext): PgArray {
  if (b.length < 12) throw bad();
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ndim = v.getInt32(0);
  const flags = v.getInt32(4);
  const elemOid = v.getUint32(8);
  if (ndim < 0 || ndim > 6) throw bad(`invalid number of dimensions: ${ndim}`);
  if (flags !== 0 && flags !== 1) throw bad("invalid array flags");
  if (elemOid !== elem) {
    throw new DbError(
      SqlState.datatypeMismatch,
      "binary data has array element type " + elemOid + " instead of expected " + elem,
    );
  }
  let off = 12;
  const dims: number[] = [];
  const lbounds: number[] = [];
  let count = ndim === 0 ? 0 : 1;
  for (let d = 0; d < ndim; d++) {
    if (off + 8 > b.length) throw bad();
    dims.push(v.getInt32(off));
    lbounds.push(v.getInt32(off + 4));
    count *= dims[d]!;
    off += 8;
  }
  if (count > b.length) throw bad();
  const elements: Datum[] = [];
  for (let i = 0; i < count; i++) {
    if (off + 4 > b.length) throw bad();
    const len = v.getInt32(off);
    off += 4;
    if (len === -1) {
      elements.push(null);
      continue;
    }
    if (len < 0 || off + len > b.length) throw bad();
    elements.push(recvBinary(elem, b.subarray(off, off + len), ctx));
    off += len;
  }
  if (off !== b.length) throw bad("incorrect binary data format in array element");
  return new PgArray(elements, dims, lbounds);
}
