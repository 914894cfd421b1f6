/**
 * @module The statement runner the SQL layer and the tests share: start the statement (new
 * command id; under READ COMMITTED a new snapshot), run it, and when it meets a lock held by a
 * transaction in progress, undo the statement's own effects, wait for that transaction (or for
 * a sequence's WAL batch), and run it again. Any other error rolls the statement back and
 * leaves the transaction failed (only ROLLBACK or ROLLBACK TO SAVEPOINT may follow), as in
 * PostgreSQL.
 */
import { LockWaitNeeded } from "./errors.ts";
import type { Transaction } from "./transaction.ts";

/**
 * Runs `fn` as one statement of `txn`, retrying after lock waits.
 *
 * @example
 * const n = await runStatement(txn, () => {
 *   let n = 0;
 *   for (const c = txn.scan(t); c.next();) if (txn.update(t, c.rowId, bump(c.row))) n++;
 *   return n;
 * });
 */
export async function runStatement<T>(txn: Transaction, fn: () => T | Promise<T>): Promise<T> {
  for (;;) {
    txn.beginStatement();
    const start = txn.savepoint();
    try {
      return await fn();
    } catch (err) {
      if (txn.state === "active") txn.rollbackStatement(start);
      if (!(err instanceof LockWaitNeeded)) {
        if (txn.state === "active") txn.failed = true;
        throw err;
      }
      try {
        if (err.until !== undefined) await err.until;
        if (err.holder !== 0) await txn.host.waits.wait(txn, err.holder, txn.lockTimeoutMs);
      } catch (waitErr) {
        txn.failed = true;
        throw waitErr;
      }
    }
  }
}
