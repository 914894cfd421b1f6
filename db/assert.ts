/**
 * @module Assertions for bugs (CONVENTIONS.md, "Errors": kind 1). User input can never trigger
 * one. In `txn/`, `storage/` and `wal/` a failed assertion stops the process (PostgreSQL's PANIC)
 * and recovery replays the WAL; above them it ends the statement with SQLSTATE XX000.
 */

/** A broken invariant: a bug in BKG-DB, never a user's mistake. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(`assertion failed: ${message}`);
    this.name = "AssertionError";
  }
}

/**
 * Throws AssertionError when `condition` is false.
 *
 * @example
 * assert(lsn > lastLsn, "LSNs grow");
 */
export function assert(condition: unknown, message = "unexpected state"): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/**
 * For the storage layers: a failed invariant there leaves memory that cannot be trusted, so the
 * process ends at once and recovery rebuilds the state from disk.
 */
export function panic(message: string): never {
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level: "error",
    msg: "PANIC",
    detail: message,
  });
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(line + "\n"));
  } finally {
    Deno.exit(70);
  }
}
