/**
 * @module The per-run state of one statement: the transaction, the evaluation context, the
 * parameters, the stack of outer rows for correlated subqueries and LATERAL, materialized CTEs,
 * the row counter that drives cancel and timeout checks, and EXPLAIN ANALYZE's counters.
 * Plans never hold any of it, so a cached plan runs again.
 */
import type { Datum } from "../datum.ts";
import { limits } from "../limits.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import type { Transaction } from "../txn/mod.ts";
import type { EvalContext } from "../types/mod.ts";

/** A row flowing between operators. */
export type Row = Datum[];

/** A pull iterator: the next row, or null at the end. */
export type Iter = () => Row | null;

/** Counters of one plan node (EXPLAIN ANALYZE). */
export interface NodeStats {
  rows: number;
  loops: number;
  startMs: number;
  totalMs: number;
}

/** The state of one run of a plan. */
export class Env {
  outer: Row[] = [];
  /** The current left row of a LATERAL nested loop (pushed as the outer row of the right side). */
  lateralRow: Row | null = null;
  readonly ctes = new Map<number, Row[]>();
  readonly workTables = new Map<number, Row[]>();
  /** Rows of plan nodes drained ahead of time (by node id). */
  readonly pre = new Map<number, Row[]>();
  /** Results of uncorrelated subqueries, once per run. */
  readonly subCache = new Map<object, unknown>();
  /** Per node id, when EXPLAIN ANALYZE asked. */
  stats: Map<number, NodeStats> | null = null;
  ticks = 0;
  /** performance.now() past which the statement is canceled (statement_timeout), or Infinity. */
  deadline = Infinity;
  cancelled = false;

  constructor(
    readonly txn: Transaction,
    readonly ctx: EvalContext,
    readonly params: Datum[],
  ) {}

  /** Called once per row by row-producing loops: checks timeout and cancel now and then. */
  tick(): void {
    if ((++this.ticks & 1023) === 0) this.check();
  }

  #lastYield = performance.now();

  /**
   * Lets other tasks run (a cancel request, a timer, other sessions) if this statement has held
   * the event loop for a few milliseconds, then checks cancel and timeout. A macrotask yield
   * costs about a millisecond, so yielding on every batch would dominate long scans.
   */
  async yieldNow(): Promise<void> {
    const now = performance.now();
    if (now - this.#lastYield >= limits.yieldEveryMs) {
      await new Promise((res) => setTimeout(res, 0));
      this.#lastYield = performance.now();
    }
    this.check();
  }

  check(): void {
    if (this.cancelled) {
      throw new DbError(SqlState.queryCanceled, "canceling statement due to user request");
    }
    if (performance.now() > this.deadline) {
      throw new DbError(SqlState.queryCanceled, "canceling statement due to statement timeout");
    }
  }
}
