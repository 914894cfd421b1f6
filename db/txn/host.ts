/**
 * @module What a transaction needs from its database (db/txn/database.ts implements it): the
 * catalog of tables, indexes and sequences, the newest CSN, the waits-for graph, and the commit
 * path. An interface, so transaction.ts and database.ts do not import each other.
 */
import type {
  Index,
  IndexSpec,
  ResolveIndexSpec,
  Sequence,
  Table,
  TableDef,
} from "../storage/mod.ts";
import type { IndexDescriptor } from "../storage/mod.ts";
import type { CommitResult, Transaction } from "./transaction.ts";
import type { WaitGraph } from "./waits.ts";

/** The database as a transaction sees it. */
export interface TxnHost {
  readonly tables: Map<number, Table>;
  readonly indexes: Map<number, Index>;
  readonly sequences: Map<number, Sequence>;
  /** CSN of the newest visible commit: a new snapshot sees everything up to it. */
  readonly csn: number;
  /** Default of BeginOptions.synchronousCommit. */
  readonly synchronousCommit: boolean;
  readonly waits: WaitGraph;
  /** Resolves an index descriptor with the hook given at open. */
  resolveIndexSpec(descriptor: IndexDescriptor, table: TableDef): IndexSpec;
  /** A new object id for a table, index or sequence, or checks a fixed one is free. */
  allocateObjectId(fixed?: number): number;
  nextval(seq: Sequence, xid: number): bigint;
  setval(seq: Sequence, value: bigint, isCalled: boolean): bigint;
  /** Logs (when `payload` is not null), waits for durability, makes visible, ends. */
  commitTransaction(
    txn: Transaction,
    payload: Uint8Array | null,
    commitTime: number,
  ): Promise<CommitResult>;
  /** Releases an aborted transaction's locks and wakes its waiters. */
  endTransaction(txn: Transaction): void;
}

export type { ResolveIndexSpec };
