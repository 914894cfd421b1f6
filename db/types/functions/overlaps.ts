/**
 * @module overlaps(start1, end1, start2, end2) — the SQL `(a, b) OVERLAPS (c, d)` — for
 * timestamp, timestamptz and time, with an interval as either end (PostgreSQL's
 * `($1, $1 + $2) OVERLAPS ($3, $3 + $4)` SQL-function variants), and its NULL rules.
 */
import type { Datum } from "../../datum.ts";
import type { EvalContext } from "../context.ts";
import { sessionZone } from "../datetime.ts";
import {
  timePlusInterval,
  timestampPlusInterval,
  timestamptzPlusInterval,
} from "../datetime_math.ts";
import type { Interval } from "../interval.ts";
import { Oid } from "../oids.ts";
import { defineFunction } from "./registry.ts";

type Point = bigint | number | null;

/** overlaps_timestamp of PostgreSQL's timestamp.c: an end may be NULL, ends are swapped if reversed. */
export function overlaps(s1: Point, e1: Point, s2: Point, e2: Point): boolean | null {
  if (s1 === null) {
    if (e1 === null) return null;
    s1 = e1;
    e1 = null;
  } else if (e1 !== null && s1 > e1) [s1, e1] = [e1, s1];
  if (s2 === null) {
    if (e2 === null) return null;
    s2 = e2;
    e2 = null;
  } else if (e2 !== null && s2 > e2) [s2, e2] = [e2, s2];
  if (s1 > s2) {
    if (e2 === null) return null;
    if (s1 < e2) return true;
    if (e1 === null) return null;
    return false;
  }
  if (s1 < s2) {
    if (e1 === null) return null;
    if (s2 < e1) return true;
    if (e2 === null) return null;
    return false;
  }
  return e1 === null || e2 === null ? null : true;
}

type Add = (p: Datum, iv: Interval, ctx: EvalContext) => Point;
const kinds: [number, Add][] = [
  [Oid.timestamp, (p, iv) => timestampPlusInterval(p as bigint, iv)],
  [Oid.timestamptz, (p, iv, ctx) => timestamptzPlusInterval(p as bigint, iv, sessionZone(ctx))],
  [Oid.time, (p, iv) => timePlusInterval(p as number, iv)],
];
for (const [t, add] of kinds) {
  const I = Oid.interval;
  const end = (s: Datum, e: Datum, isIv: boolean, ctx: EvalContext): Point =>
    e === null ? null : isIv ? (s === null ? null : add(s, e as Interval, ctx)) : (e as Point);
  for (const [iv1, iv2] of [[false, false], [true, true], [false, true], [true, false]]) {
    defineFunction(
      "overlaps",
      [t, iv1 ? I : t, t, iv2 ? I : t],
      Oid.bool,
      ([a, b, c, d], ctx) =>
        overlaps(a as Point, end(a!, b!, iv1!, ctx), c as Point, end(c!, d!, iv2!, ctx)),
      { strict: false, volatility: t === Oid.timestamptz ? "s" : "i" },
    );
  }
}
