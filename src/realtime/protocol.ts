/**
 * @module Phoenix channel frames as @supabase/realtime-js speaks them: `vsn=1.0.0` sends JSON
 * objects `{join_ref, ref, topic, event, payload}`, `vsn=2.0.0` sends JSON arrays
 * `[join_ref, ref, topic, event, payload]` in text frames.
 */

/** The serializer versions the hub speaks. */
export type Vsn = "1.0.0" | "2.0.0";

/** One Phoenix message. */
export interface PhxMessage {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: Record<string, unknown>;
}

/** The serializer for the `vsn` query parameter; unknown versions are refused (null). */
export function parseVsn(text: string | null): Vsn | null {
  if (text === null || text === "" || text === "1.0.0") return "1.0.0";
  if (text === "2.0.0") return "2.0.0";
  return null;
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? v as Record<string, unknown>
    : {};
}

/** Decodes a text frame; a malformed frame is null. */
export function decodeFrame(vsn: Vsn, text: string): PhxMessage | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (vsn === "2.0.0") {
    if (!Array.isArray(v) || v.length !== 5) return null;
    const [joinRef, ref, topic, event, payload] = v;
    if (typeof topic !== "string" || typeof event !== "string") return null;
    return { joinRef: str(joinRef), ref: str(ref), topic, event, payload: obj(payload) };
  }
  const m = obj(v);
  if (typeof m.topic !== "string" || typeof m.event !== "string") return null;
  return {
    joinRef: str(m.join_ref),
    ref: str(m.ref),
    topic: m.topic,
    event: m.event,
    payload: obj(m.payload),
  };
}

/** Encodes a message as a text frame. */
export function encodeFrame(vsn: Vsn, m: PhxMessage): string {
  if (vsn === "2.0.0") return JSON.stringify([m.joinRef, m.ref, m.topic, m.event, m.payload]);
  return JSON.stringify({
    join_ref: m.joinRef,
    ref: m.ref,
    topic: m.topic,
    event: m.event,
    payload: m.payload,
  });
}

/**
 * Encodes a `postgres_changes` event whose `data` is already JSON text (shared by every channel
 * receiving the record), as {@link encodeFrame} would encode the whole message.
 */
export function encodeChangeFrame(
  vsn: Vsn,
  joinRef: string | null,
  topic: string,
  ids: readonly number[],
  dataJson: string,
): string {
  const payload = `{"ids":${JSON.stringify(ids)},"data":${dataJson}}`;
  const j = JSON.stringify(joinRef);
  const t = JSON.stringify(topic);
  if (vsn === "2.0.0") return `[${j},null,${t},"postgres_changes",${payload}]`;
  return `{"join_ref":${j},"ref":null,"topic":${t},"event":"postgres_changes","payload":${payload}}`;
}

/** Binary frame kinds of the vsn 2.0.0 serializer (realtime-js lib/serializer.ts). */
const kindUserBroadcastPush = 3;
const kindUserBroadcast = 4;
const encodingBinary = 0;
const encodingJson = 1;

/**
 * Decodes a vsn 2.0.0 binary frame: realtime-js sends `channel.send({type: "broadcast"})` as a
 * user-broadcast push `[3][joinRef len][ref len][topic len][event len][meta len][encoding]` then
 * the strings and the payload (JSON text, or raw bytes kept as a Uint8Array). Other kinds or a
 * malformed frame are null.
 */
export function decodeBinaryFrame(bytes: Uint8Array): PhxMessage | null {
  if (bytes.length < 7 || bytes[0] !== kindUserBroadcastPush) return null;
  const lens = [bytes[1]!, bytes[2]!, bytes[3]!, bytes[4]!, bytes[5]!];
  const encoding = bytes[6]!;
  let offset = 7;
  const dec = new TextDecoder();
  const parts: string[] = [];
  for (const n of lens) {
    if (offset + n > bytes.length) return null;
    parts.push(dec.decode(bytes.subarray(offset, offset + n)));
    offset += n;
  }
  const [joinRef, ref, topic, event, meta] = parts as [string, string, string, string, string];
  const body = bytes.slice(offset);
  const payload: Record<string, unknown> = { type: "broadcast", event };
  try {
    payload.payload = encoding === encodingJson ? JSON.parse(dec.decode(body)) : body;
    if (meta !== "") payload.meta = JSON.parse(meta);
  } catch {
    return null;
  }
  return { joinRef: joinRef || null, ref: ref || null, topic, event: "broadcast", payload };
}

/**
 * Encodes a broadcast whose user payload is raw bytes for a vsn 2.0.0 client: a user-broadcast
 * frame `[4][topic len][event len][meta len][encoding]`, the strings, then the bytes.
 */
export function encodeBinaryBroadcast(topic: string, payload: Record<string, unknown>): Uint8Array {
  const enc = new TextEncoder();
  const t = enc.encode(topic);
  const e = enc.encode(String(payload.event ?? ""));
  const m = enc.encode(payload.meta === undefined ? "" : JSON.stringify(payload.meta));
  const body = payload.payload instanceof Uint8Array
    ? payload.payload
    : enc.encode(JSON.stringify(payload.payload ?? {}));
  const out = new Uint8Array(5 + t.length + e.length + m.length + body.length);
  out.set([
    kindUserBroadcast,
    t.length,
    e.length,
    m.length,
    payload.payload instanceof Uint8Array ? encodingBinary : encodingJson,
  ]);
  let offset = 5;
  for (const part of [t, e, m, body]) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
