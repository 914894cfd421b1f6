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
