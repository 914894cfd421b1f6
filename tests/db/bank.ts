/**
 * @module The bank workload shared by the crash test (a real child process killed with SIGKILL)
 * and the fault-injection test (a simulated disk): transfers between accounts that keep the
 * total constant, each logged under an id from a sequence, so a recovered database can be
 * checked for acknowledged commits, partial transactions and repeated sequence values.
 */
import { type Database, DbError, runStatement, SqlState } from "./core.ts";
import { randInt } from "./helpers.ts";

export const accounts = 10;
export const initialBalance = 1000;
/** Fixed ids, as system tables have. */
export const ids = { accounts: 100, accountsPk: 101, log: 102, logPk: 103, seq: 104 } as const;

/** Creates the tables and accounts unless they exist. */
export async function setupBank(db: Database): Promise<void> {
  if (db.tableDef(ids.accounts) !== undefined) return;
  const txn = db.begin();
  txn.createTable({ id: ids.accounts, name: "accounts", columns: 2 });
  txn.createIndex(ids.accounts, {
    id: ids.accountsPk,
    name: "accounts_pkey",
    unique: true,
    descriptor: { kind: "columns", columns: [0] },
  });
  txn.createTable({ id: ids.log, name: "log", columns: 4 });
  txn.createIndex(ids.log, {
    id: ids.logPk,
    name: "log_pkey",
    unique: true,
    descriptor: { kind: "columns", columns: [0] },
  });
  txn.createSequence({ id: ids.seq, name: "log_id" });
  await runStatement(txn, () => {
    for (let a = 0; a < accounts; a++) txn.insert(ids.accounts, [a, initialBalance]);
  });
  await txn.commit();
}

function rowIdOf(txn: ReturnType<Database["begin"]>, account: number): number {
  const c = txn.lookup(ids.accountsPk, [account]);
  if (!c.next()) throw new Error(`account ${account} is missing`);
  return c.rowId;
}

/**
 * One transfer; resolves to its log id once committed, or null when it lost a deadlock or
 * serialization race. `onSeq` hears every sequence value handed out, committed or not.
 */
export async function transfer(
  db: Database,
  r: () => number,
  onSeq: (v: bigint) => void = () => {},
  opts: { synchronousCommit?: boolean } = {},
): Promise<number | null> {
  const txn = db.begin({ synchronousCommit: opts.synchronousCommit });
  const a = randInt(r, accounts);
  const b = (a + 1 + randInt(r, accounts - 1)) % accounts;
  const amount = 1 + randInt(r, 50);
  try {
    const id = await runStatement(txn, () => txn.nextval(ids.seq));
    onSeq(id);
    await runStatement(txn, () => {
      for (const [acct, delta] of [[a, -amount], [b, amount]] as const) {
        const rowId = rowIdOf(txn, acct);
        const row = txn.fetch(ids.accounts, rowId)!;
        txn.update(ids.accounts, rowId, [acct, (row[1] as number) + delta]);
      }
      txn.insert(ids.log, [Number(id), a, b, amount]);
    });
    const res = await txn.commit();
    return res.committed ? Number(id) : null;
  } catch (err) {
    if (
      err instanceof DbError &&
      (err.code === SqlState.deadlockDetected || err.code === SqlState.serializationFailure)
    ) {
      txn.rollback();
      return null;
    }
    throw err;
  }
}

/**
 * Checks a recovered database: the total is unchanged, balances agree with the log (no partial
 * transaction), every acknowledged id is there, and the sequence continues past every value it
 * ever handed out. Returns a problem, or null; `next` is the value nextval gave while checking.
 */
export async function verifyBank(
  db: Database,
  acked: Iterable<number>,
  handed: Iterable<bigint>,
): Promise<{ problem: string | null; next: bigint | null; logged: number }> {
  if (db.tableDef(ids.accounts) === undefined) {
    const any = [...acked].length > 0;
    return {
      problem: any ? "tables missing but commits were acknowledged" : null,
      next: null,
      logged: 0,
    };
  }
  const txn = db.begin();
  try {
    const balances = new Map<number, number>();
    await runStatement(txn, () => {
      for (const c = txn.scan(ids.accounts); c.next();) {
        balances.set(c.row[0] as number, c.row[1] as number);
      }
    });
    const expected = new Map<number, number>();
    for (let a = 0; a < accounts; a++) expected.set(a, initialBalance);
    const logged = new Set<number>();
    await runStatement(txn, () => {
      for (const c = txn.scan(ids.log); c.next();) {
        const [id, a, b, amount] = c.row as number[];
        if (logged.has(id!)) throw new Error(`log id ${id} twice`);
        logged.add(id!);
        expected.set(a!, expected.get(a!)! - amount!);
        expected.set(b!, expected.get(b!)! + amount!);
      }
    });
    let total = 0;
    for (const v of balances.values()) total += v;
    if (balances.size !== accounts) {
      return { problem: `${balances.size} accounts`, next: null, logged: logged.size };
    }
    if (total !== accounts * initialBalance) {
      return { problem: `total is ${total}`, next: null, logged: logged.size };
    }
    for (const [a, v] of expected) {
      if (balances.get(a) !== v) {
        return {
          problem: `account ${a} is ${balances.get(a)}, log says ${v}`,
          next: null,
          logged: logged.size,
        };
      }
    }
    for (const id of acked) {
      if (!logged.has(id)) {
        return { problem: `acknowledged commit ${id} is missing`, next: null, logged: logged.size };
      }
    }
    const next = await runStatement(txn, () => txn.nextval(ids.seq));
    for (const h of handed) {
      if (h >= next) {
        return {
          problem: `nextval gave ${next} after ${h} was handed out`,
          next,
          logged: logged.size,
        };
      }
    }
    return { problem: null, next, logged: logged.size };
  } finally {
    txn.rollback();
  }
}
