/**
 * @module Limits of the SQL backend adapter (after SQLite's sqliteLimit.h), each with why.
 */
export const sqlBackendLimits = {
  /** Rows written between two drains: a large result streams out in pieces of about this many. */
  rowsPerDrain: 1024,
  /** COPY FROM STDIN bytes held before the engine runs the COPY (it parses the whole text). */
  copyInBytesMax: 1024 * 1024 * 1024,
} as const;
