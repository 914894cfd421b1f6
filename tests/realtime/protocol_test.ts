/**
 * @module Phoenix frames: the shared-data postgres_changes encoding equals the general encoder's
 * output for both serializers, and vsn 2.0.0 binary broadcast frames decode as realtime-js
 * writes them and encode as it reads them.
 */
import assert from "node:assert/strict";
import {
  decodeBinaryFrame,
  encodeBinaryBroadcast,
  encodeChangeFrame,
  encodeFrame,
} from "../../src/realtime/protocol.ts";

Deno.test("postgres_changes frames built from shared data JSON equal the general encoding", () => {
  const data = { schema: "public", table: "t", record: { id: 1, s: 'a"b\u2028' }, lsn: "0/1A" };
  for (const vsn of ["1.0.0", "2.0.0"] as const) {
    for (const joinRef of ["3", null]) {
      const whole = encodeFrame(vsn, {
        joinRef,
        ref: null,
        topic: 'realtime:x"y',
        event: "postgres_changes",
        payload: { ids: [4, 5], data },
      });
      const shared = encodeChangeFrame(vsn, joinRef, 'realtime:x"y', [4, 5], JSON.stringify(data));
      assert.equal(shared, whole);
    }
  }
});

Deno.test("binary broadcast frames decode as realtime-js sends them and encode as it reads them", () => {
  // realtime-js _encodeUserBroadcastPush: kind 3, lengths, encoding 1 (JSON), strings, payload.
  const enc = new TextEncoder();
  const parts = ["1", "2", "realtime:room", "cursor", ""].map((p) => enc.encode(p));
  const body = enc.encode(JSON.stringify({ x: 1 }));
  const push = new Uint8Array([
    3,
    ...parts.map((p) => p.length),
    1,
    ...parts.flatMap((p) => [...p]),
    ...body,
  ]);
  const m = decodeBinaryFrame(push)!;
  assert.deepEqual(m, {
    joinRef: "1",
    ref: "2",
    topic: "realtime:room",
    event: "broadcast",
    payload: { type: "broadcast", event: "cursor", payload: { x: 1 } },
  });
  assert.equal(decodeBinaryFrame(push.subarray(0, 10)), null, "a cut frame is refused");
  assert.equal(decodeBinaryFrame(new Uint8Array([9, 0, 0, 0, 0, 0, 0])), null, "unknown kind");
  // realtime-js _decodeUserBroadcast: kind 4, topic/event/meta lengths, encoding, strings, payload.
  const out = encodeBinaryBroadcast("realtime:room", {
    event: "bin",
    payload: new Uint8Array([7, 8]),
  });
  const topicLen = out[1]!;
  const eventLen = out[2]!;
  assert.deepEqual([out[0], out[3], out[4]], [4, 0, 0]);
  const dec = new TextDecoder();
  assert.equal(dec.decode(out.subarray(5, 5 + topicLen)), "realtime:room");
  assert.equal(dec.decode(out.subarray(5 + topicLen, 5 + topicLen + eventLen)), "bin");
  assert.deepEqual([...out.subarray(5 + topicLen + eventLen)], [7, 8]);
});
