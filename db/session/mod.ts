/**
 * @module The session layer's public face: `connect(db, opts)` and the Session API (execute,
 * prepare, executePrepared, transactionStatus, cancel, close, settings).
 */
export {
  type ColumnInfo,
  connect,
  type ConnectOptions,
  type PreparedInfo,
  type QueryResult,
  Session,
} from "./session.ts";
import "./install.ts";
