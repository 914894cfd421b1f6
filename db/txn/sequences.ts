/**
 * @module nextval and setval against the WAL: a value is handed out only when a durable WAL
 * record covers it. When the durable limit is reached, the next batch (32 values, PostgreSQL's
 * SEQ_LOG_VALS) is logged and the statement waits for it through LockWaitNeeded; a batch is also
 * logged early, in the background, when half of the current one is used, so steady use rarely
 * waits.
 */
import { limits } from "../limits.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { Sequence } from "../storage/mod.ts";
import { RecordType, type WalWriter } from "../wal/mod.ts";
import { LockWaitNeeded } from "./errors.ts";
import { encodeSequenceRecord } from "./ops.ts";

function limitOf(seq: Sequence, wal: WalWriter): bigint {
  if (wal.flushedLsn >= seq.pendingLsn) return seq.reserved;
  return seq.notPast(seq.reserved, seq.durableReserved) ? seq.reserved : seq.durableReserved;
}

function clamp(seq: Sequence, v: bigint): bigint {
  const d = seq.def;
  return v > d.maxValue ? d.maxValue : v < d.minValue ? d.minValue : v;
}

function logState(seq: Sequence, wal: WalWriter, last: bigint, isCalled: boolean): Promise<void> {
  const { end } = wal.append(RecordType.sequence, encodeSequenceRecord(seq.def.id, last, isCalled));
  seq.pendingLsn = end;
  return wal.flush(end);
}

/** The next value of `seq`, or LockWaitNeeded until the batch covering it is durable. */
export function nextval(seq: Sequence, wal: WalWriter): bigint {
  const next = seq.peekNext();
  if (seq.createdBy < 0) {
    // Created by a transaction in progress: its commit record carries the state.
    seq.last = next;
    seq.isCalled = true;
    seq.reserved = seq.durableReserved = next;
    return next;
  }
  const limit = limitOf(seq, wal);
  const batch = seq.def.increment * BigInt(limits.sequenceLogValues);
  if (!seq.notPast(next, limit)) {
    if (wal.flushedLsn < seq.pendingLsn && seq.notPast(next, seq.reserved)) {
      throw new LockWaitNeeded(0, wal.flush(seq.pendingLsn));
    }
    seq.durableReserved = limit;
    seq.reserved = clamp(seq, next + batch);
    throw new LockWaitNeeded(0, logState(seq, wal, seq.reserved, true));
  }
  if (
    wal.flushedLsn >= seq.pendingLsn && seq.notPast(seq.reserved, next + batch / 2n) &&
    seq.reserved !== clamp(seq, seq.reserved + batch)
  ) {
    // Half the batch is used: log the next one now, durable long before it is needed.
    seq.durableReserved = seq.reserved;
    seq.reserved = clamp(seq, seq.reserved + batch);
    void logState(seq, wal, seq.reserved, true);
  }
  seq.last = next;
  seq.isCalled = true;
  return next;
}

/** setval: the next nextval returns `value` + increment (or `value` when !isCalled). */
export function setval(seq: Sequence, wal: WalWriter, value: bigint, isCalled: boolean): bigint {
  const d = seq.def;
  if (value < d.minValue || value > d.maxValue) {
    throw new DbError(
      SqlState.numericValueOutOfRange,
      `setval: value ${value} is out of bounds for sequence "${d.name}" (${d.minValue}..${d.maxValue})`,
    );
  }
  seq.last = value;
  seq.isCalled = isCalled;
  // The record covers `value` only when isCalled; nothing after it is handed out before a
  // later batch is durable.
  seq.reserved = seq.durableReserved = isCalled ? value : value - d.increment;
  if (seq.createdBy < 0) return value;
  void logState(seq, wal, value, isCalled);
  return value;
}
