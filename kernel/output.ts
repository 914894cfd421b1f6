/** @module Collecting a command's output: bounded, counted, streamed to a sink as it arrives. */

/** Reads a stream to the end, keeping at most `max` bytes and counting the rest. */
export function collect(
  stream: ReadableStream<Uint8Array>,
  max: number,
  onChunk: (c: Uint8Array) => void,
): {
  done: Promise<void>;
  cancel(): void;
  result(): Promise<{ bytes: Uint8Array; total: number }>;
} {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let total = 0;
  const reader = stream.getReader();
  const done = (async () => {
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) return;
        total += value.length;
        onChunk(value);
        if (kept < max) {
          const part = value.subarray(0, max - kept);
          chunks.push(part);
          kept += part.length;
        }
      }
    } catch {
      // Cancelled: what was read is kept.
    }
  })();
  return {
    done,
    cancel: () => {
      reader.cancel().catch(() => {});
    },
    result: async () => {
      await done;
      const bytes = new Uint8Array(kept);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      return { bytes, total };
    },
  };
}
