/**
 * @module Assertions for bugs in CAVE (CONVENTIONS.md, "Errors": kind 1). kernel/ stands alone,
 * so it carries its own copy of the two-line helper rather than importing db/.
 */

/** A broken invariant in CAVE: a bug, never a user's mistake. */
export class KernelAssertionError extends Error {
  constructor(message: string) {
    super(`assertion failed: ${message}`);
    this.name = "KernelAssertionError";
  }
}

/**
 * Throws KernelAssertionError when `condition` is false.
 *
 * @example
 * assert(uid > 0, "sandboxes never run as host root");
 */
export function assert(condition: unknown, message = "unexpected state"): asserts condition {
  if (!condition) throw new KernelAssertionError(message);
}
