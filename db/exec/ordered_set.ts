/**
 * @module Ordered-set aggregates (`agg(direct) WITHIN GROUP (ORDER BY x)`): percentile_cont,
 * percentile_disc and mode. The binder passes the direct arguments first and the ordered value
 * last; the aggregate executor sorts a group's inputs by the WITHIN GROUP ordering before
 * stepping, so each implementation collects values in order and decides at the end.
 */
import type { Datum } from "../datum.ts";
import type { AggCall } from "../plan/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { comparator, Interval } from "../types/mod.ts";
import type { AggImpl } from "./aggregates.ts";

/** The names handled here. */
export const orderedSetAggregates = new Set(["percentile_cont", "percentile_disc", "mode"]);

interface Collected {
  fraction: Datum;
  values: Datum[];
}

function fractionOf(d: Datum): number {
  const p = d as number;
  if (!(p >= 0 && p <= 1)) {
    throw new DbError(
      SqlState.numericValueOutOfRange,
      `percentile value ${p} is not between 0 and 1`,
    );
  }
  return p;
}

function lerpInterval(a: Interval, b: Interval, f: number): Interval {
  const us = (i: Interval) =>
    BigInt(i.months) * 30n * 86400000000n + BigInt(i.days) * 86400000000n + i.micros;
  const x = us(a);
  const total = x + BigInt(Math.round(Number(us(b) - x) * f));
  return new Interval(a.months, a.days, a.micros + (total - x));
}

/** The implementation of an ordered-set aggregate call, or undefined for other names. */
export function orderedSetImpl(a: AggCall): AggImpl | undefined {
  if (!orderedSetAggregates.has(a.name)) return undefined;
  const valueType = a.argTypes[a.argTypes.length - 1] ?? 0;
  const collect = {
    init: () => ({ v: { fraction: null, values: [] } as Collected, n: 0 }),
    step: (s: { v: unknown; n: number }, args: Datum[]) => {
      const c = s.v as Collected;
      const x = args[args.length - 1] ?? null;
      if (args.length > 1) c.fraction = args[0] ?? null;
      if (x === null) return;
      c.values.push(x);
      s.n++;
    },
  };
  switch (a.name) {
    case "percentile_cont":
      return {
        ...collect,
        final: (s) => {
          const { fraction, values } = s.v as Collected;
          if (values.length === 0 || fraction === null) return null;
          const pos = fractionOf(fraction) * (values.length - 1);
          const lo = Math.floor(pos);
          const hi = Math.ceil(pos);
          const x = values[lo]!;
          const y = values[hi]!;
          if (x instanceof Interval) {
            return lo === hi ? x : lerpInterval(x, y as Interval, pos - lo);
          }
          return lo === hi
            ? (x as number)
            : (x as number) + (pos - lo) * ((y as number) - (x as number));
        },
      };
    case "percentile_disc":
      return {
        ...collect,
        final: (s) => {
          const { fraction, values } = s.v as Collected;
          if (values.length === 0 || fraction === null) return null;
          const p = fractionOf(fraction);
          return values[Math.max(0, Math.ceil(p * values.length) - 1)]!;
        },
      };
    default:
      return {
        ...collect,
        final: (s, ctx) => {
          const { values } = s.v as Collected;
          if (values.length === 0) return null;
          const cmp = comparator(valueType, ctx);
          let best = values[0]!;
          let bestRun = 0;
          let run = 0;
          for (let i = 0; i < values.length; i++) {
            run = i > 0 && cmp(values[i - 1]!, values[i]!) === 0 ? run + 1 : 1;
            if (run > bestRun) {
              bestRun = run;
              best = values[i]!;
            }
          }
          return best;
        },
      };
  }
}
