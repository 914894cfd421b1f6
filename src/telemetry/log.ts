/**
 * @module Structured logs: one JSON object per line on stderr, with a time, a level and a
 * message, so that log shippers read them without a parser of our own.
 */

/** The levels, least severe first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
let threshold: LogLevel = "info";
const encoder = new TextEncoder();

/** Sets the least severe level that is written. */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/**
 * Writes one log line when `level` reaches the threshold.
 *
 * @example
 * log("info", "http request", { method: "GET", path: "/health", status: 200, duration_ms: 1.2 });
 */
export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  if (rank[level] < rank[threshold]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  try {
    Deno.stderr.writeSync(encoder.encode(line + "\n"));
  } catch {
    // A closed stderr must never take the server down.
  }
}
