/**
 * @module Every limit of the pgwire layer in one place (after SQLite's sqliteLimit.h). Each carries
 * one line saying why. Hostile bytes meet a limit and an 08P01 error, never an unbounded allocation.
 */

/** Limits of the PostgreSQL wire protocol listener. */
export const pgwireLimits = {
  /** PostgreSQL's PQ_LARGE_MESSAGE_LIMIT: Query, Parse, Bind, CopyData and passwords may be this long. */
  messageBytesMax: 1024 * 1024 * 1024 - 1,
  /** PostgreSQL's PQ_SMALL_MESSAGE_LIMIT: Sync, Execute, Describe, Close … never need more. */
  smallMessageBytesMax: 10_000,
  /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH: a startup packet is a handful of short strings. */
  startupPacketBytesMax: 10_000,
  /** The protocol counts parameters in an unsigned 16-bit field. */
  paramsMax: 65_535,
  /** Prepared statements one connection may hold: each pins a plan in the engine. */
  statementsMax: 10_000,
  /** Open portals one connection may hold: each pins a snapshot and executor state. */
  portalsMax: 10_000,
  /** First size of a connection's read and write buffers: an idle connection costs about this. */
  bufferBytesInitial: 2 * 1024,
  /** A buffer grown past this for one large message shrinks back afterwards. */
  bufferBytesRetained: 256 * 1024,
  /** Replies are written out once this much is pending, so a large result streams. */
  flushBytes: 64 * 1024,
  /** Notifications held for a busy connection before it is closed: bounds a never-reading client. */
  notificationsQueuedMax: 10_000,
  /** PostgreSQL's authentication_timeout: a client must finish startup and auth within this. */
  startupTimeoutMs: 60_000,
  /** Wait before answering a failed login (PostgreSQL's auth_delay): slows password guessing. */
  authFailureDelayMs: 200,
  /** Sockets beyond max connections still read for a startup packet (to answer 53300 or cancel). */
  socketsExtraMax: 64,
} as const;
