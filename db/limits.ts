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
  /** …but only once it has run this long since its last yield: a yield costs about 1 ms. */
  yieldEveryMs: 20,
  /** PostgreSQL's MaxArraySize: more array elements than this is 54000. */
  arrayElementsMax: 134217727,
  /** Bytes of a text/bytea value built by repeat/lpad/string_agg…: PostgreSQL's 1 GB varlena cap. */
  valueBytesMax: 1073741823,
  /** Nesting depth of json/jsonb input: deeper documents are 54001, not a stack overflow. */
  jsonDepthMax: 6400,
  /** Parsed jsonpath trees kept for reuse: a hot query reparses nothing, a flood of paths is bounded. */
  jsonPathCacheMax: 1000,
  /** DROP DATABASE waits this long for other sessions to leave, as PostgreSQL's 5 s (50 × 100 ms). */
  dropDatabaseWaitMs: 5000,
  /** Rows ANALYZE keeps per table: PostgreSQL's 300 × default_statistics_target (100). */
  statsRowsMax: 30000,
  /** PostgreSQL's default WAL segment size: big enough that a segment switch is rare. */
  walSegmentBytes: 16 * 1024 * 1024,
  /** One transaction's WAL record; a bigger one would need more memory than the log is worth. */
  walRecordBytesMax: 1024 * 1024 * 1024,
  /** Rows go to a checkpoint in frames near this size, so writer and reader stay small. */
  checkpointFrameBytes: 256 * 1024,
  /** A checkpoint frame that claims more than this is corrupt. */
  checkpointFrameBytesMax: 64 * 1024 * 1024,
  /** Values a sequence logs ahead in one WAL record (PostgreSQL's SEQ_LOG_VALS). */
  sequenceLogValues: 32,
  /** Rows vacuum examines before it yields to the event loop. */
  vacuumRowsPerStep: 2048,
} as const;
