/**
 * @module The transaction layer's public face: the Database (open, recovery, commit pipeline,
 * checkpoints, vacuum, stats), transactions, the statement runner and the lock-wait signal.
 */
export {
  type CheckpointInfo,
  type CommitEvent,
  Database,
  type DatabaseOptions,
  type DbLog,
  type DbStats,
} from "./database.ts";
export {
  type BeginOptions,
  type CommitResult,
  type Isolation,
  type RowLockMode,
  type Savepoint,
  Transaction,
} from "./transaction.ts";
export type { SequenceOptions } from "./ddl.ts";
export type { Change } from "./commit.ts";
export type { VacuumStats } from "./vacuum.ts";
export type { RecoveryInfo } from "./recovery.ts";
export { LockWaitNeeded } from "./errors.ts";
export { runStatement } from "./run_statement.ts";
export { firstNormalObjectId } from "./store.ts";
