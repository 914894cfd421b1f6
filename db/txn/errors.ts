/**
 * @module The signals between storage and the statement runner. `LockWaitNeeded` is thrown, never
 * waited on, because the executor is synchronous: the runner undoes the statement, awaits the
 * holder (or the durable WAL write a sequence needs), and runs the statement again.
 */

/** A statement met something it must wait for; see runStatement. */
export class LockWaitNeeded extends Error {
  constructor(
    /** The xid to wait for; 0 when nothing needs waiting (just run the statement again). */
    readonly holder: number,
    /** Something else to await first (a sequence's WAL batch becoming durable). */
    readonly until?: Promise<void>,
  ) {
    super(holder === 0 ? "statement must run again" : `must wait for transaction ${holder}`);
    this.name = "LockWaitNeeded";
  }
}
