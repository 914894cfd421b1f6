/**
 * @module The public face of the PostgreSQL wire protocol layer: the listener, the backend
 * interface the SQL engine implements, and SCRAM verifiers.
 */
export type {
  Backend,
  BinaryOut,
  BindParams,
  Column,
  CopyFormat,
  CopyOut,
  ExecuteResult,
  FormatCode,
  Notification,
  OutputCodec,
  Portal,
  QuerySink,
  RoleInfo,
  RowSink,
  Session,
  SessionEvents,
  SessionStart,
  Statement,
  TransactionStatus,
} from "./backend.ts";
export { PgwireListener, type PgwireOptions, type PgwireStats } from "./listener.ts";
export { pgwireLimits } from "./limits.ts";
export { createScramVerifier, parseScramVerifier, scramIterationsDefault } from "./scram.ts";
