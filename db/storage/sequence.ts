/**
 * @module Sequences: non-transactional counters (nextval is never rolled back). Values are
 * handed out only up to a limit that is already durable in the WAL: the owner logs ahead in
 * batches (PostgreSQL's SEQ_LOG_VALS), so after a crash a sequence resumes past every value it
 * ever gave out.
 */
import { DbError, SqlState } from "../sqlstate.ts";

/** A sequence's fixed options. */
export interface SequenceDef {
  readonly id: number;
  readonly name: string;
  readonly increment: bigint;
  readonly minValue: bigint;
  readonly maxValue: bigint;
  readonly start: bigint;
  readonly cycle: boolean;
}

/** A sequence and its counters. */
export class Sequence {
  /** The last value handed out (or, when !isCalled, the next one to hand out). */
  last: bigint;
  isCalled = false;
  /**
   * Logged limit: values up to here are covered by a WAL record (maybe not yet durable), so
   * recovery resumes after them. A state (last, isCalled) covers `last` only when isCalled.
   */
  reserved: bigint;
  /** Limit known durable before the latest record; used until that record is flushed. */
  durableReserved: bigint;
  /** End LSN of the latest record for this sequence; 0 if none pending. */
  pendingLsn = 0;
  /** CSN or -xid of CREATE SEQUENCE; -xid of a dropper or 0. */
  createdBy: number;
  droppedBy = 0;

  constructor(readonly def: SequenceDef, createdBy: number) {
    this.last = def.start;
    this.reserved = def.start - def.increment;
    this.durableReserved = this.reserved;
    this.createdBy = createdBy;
  }

  /** `a` is at or before `b` in the sequence's direction. */
  notPast(a: bigint, b: bigint): boolean {
    return this.def.increment > 0n ? a <= b : a >= b;
  }

  /** The next value, wrapping when cycling; throws 2200H at the end. */
  peekNext(): bigint {
    if (!this.isCalled) return this.last;
    const d = this.def;
    const next = this.last + d.increment;
    if (next > d.maxValue || next < d.minValue) {
      if (!d.cycle) {
        const which = d.increment > 0n ? "maximum" : "minimum";
        const bound = d.increment > 0n ? d.maxValue : d.minValue;
        throw new DbError(
          SqlState.sequenceGeneratorLimitExceeded,
          `nextval: reached ${which} value of sequence "${d.name}" (${bound})`,
        );
      }
      return d.increment > 0n ? d.minValue : d.maxValue;
    }
    return next;
  }
}
