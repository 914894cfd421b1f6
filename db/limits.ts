/**
 * @module Every limit of BKG-DB in one place (after SQLite's sqliteLimit.h). Each carries one line
 * saying why. Hostile input meets a limit and an error, never a crash or unbounded allocation.
 * Layers add their limits here.
 */

/** Limits of BKG-DB. */
export const limits = {
  /** Longer SQL text than this is refused before lexing: bounds the parser's memory. */
  sqlTextBytesMax: 64 * 1024 * 1024,
  /** Deeper nesting than this is 54001: bounds recursion in the parser and evaluator. */
  exprDepthMax: 1000,
  /** PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated, as PostgreSQL does. */
  identifierBytesMax: 63,
  /** PostgreSQL's MaxHeapAttributeNumber: more columns than this is 54011. */
  columnsPerTableMax: 1600,
  /** PostgreSQL's FUNC_MAX_ARGS. */
  functionArgsMax: 100,
  /** A statement yields to the event loop after this many rows, so cancels and timeouts run. */
  rowsPerYield: 4096,
} as const;
