/**
 * @module Per-column statistics that ANALYZE gathers and the cost model reads, computed as
 * PostgreSQL's compute_scalar_stats does for a sample that is the whole table (BKG-DB's tables
 * are in memory, so up to `statsRowsMax` rows are read; beyond that a uniform sample): null
 * fraction, average width, n_distinct (negative when it scales with the table), the most common
 * values (every value seen more than once, most frequent first, at most 100), a 101-bound
 * histogram of the rest, and the correlation of physical and sorted order. Shown in pg_stats.
 */
import type { Datum } from "../datum.ts";
import { Numeric } from "../types/mod.ts";

/** A column's statistics. */
export interface ColumnStats {
  nullFrac: number;
  avgWidth: number;
  /** > 0: a count of distinct values; < 0: minus the fraction of rows (scales with the table). */
  nDistinct: number;
  mcv: Datum[];
  mcvFreqs: number[];
  histogram: Datum[];
  correlation: number | null;
}

/** One table's statistics: its row count at ANALYZE and its columns' statistics by attnum. */
export interface TableStats {
  rows: number;
  columns: Map<number, ColumnStats>;
}

/** PostgreSQL's default_statistics_target: MCV entries and histogram buckets. */
const statisticsTarget = 100;

/**
 * Statistics of one column from all its values (in scan order; null for SQL NULL).
 *
 * @example
 * columnStats([1, 1, 2, null], (a, b) => (a as number) - (b as number), () => 4).nullFrac; // 0.25
 */
export function columnStats(
  values: Datum[],
  cmp: ((a: Datum, b: Datum) => number) | null,
  width: (d: Datum) => number,
): ColumnStats {
  const total = values.length;
  const present: { v: Datum; at: number }[] = [];
  let widthSum = 0;
  values.forEach((v) => {
    if (v === null) return;
    widthSum += width(v);
    present.push({ v, at: present.length });
  });
  const n = present.length;
  const nullFrac = total === 0 ? 0 : (total - n) / total;
  const avgWidth = n === 0 ? 0 : Math.trunc(widthSum / n);
  if (cmp === null || n === 0) {
    return {
      nullFrac,
      avgWidth,
      nDistinct: 0,
      mcv: [],
      mcvFreqs: [],
      histogram: [],
      correlation: null,
    };
  }
  present.sort((a, b) => cmp(a.v, b.v) || a.at - b.at);
  // Runs of equal values: each run's first index and length.
  const runs: { start: number; count: number }[] = [];
  for (let i = 0; i < n; i++) {
    const last = runs[runs.length - 1];
    if (last !== undefined && cmp(present[last.start]!.v, present[i]!.v) === 0) last.count++;
    else runs.push({ start: i, count: 1 });
  }
  const ndistinct = runs.length;
  const multiple = runs.filter((r) => r.count > 1);
  let nDistinct: number;
  if (multiple.length === 0) nDistinct = -1 * (1 - nullFrac);
  else if (multiple.length === ndistinct) nDistinct = ndistinct;
  else nDistinct = ndistinct; // Haas-Stokes with the whole table sampled gives d itself.
  if (nDistinct > 0.1 * total) nDistinct = -(nDistinct / total);
  // Candidates: values seen more than once, most frequent first (ties: smaller value first).
  const track = [...multiple].sort((a, b) => b.count - a.count || a.start - b.start)
    .slice(0, statisticsTarget);
  const mcv = track.map((r) => present[r.start]!.v);
  const mcvFreqs = track.map((r) => Math.fround(r.count / total));
  const inMcv = new Set(track.map((r) => r.start));
  const rest: Datum[] = [];
  for (const r of runs) {
    if (inMcv.has(r.start)) continue;
    for (let k = 0; k < r.count; k++) rest.push(present[r.start + k]!.v);
  }
  const numHist = Math.min(ndistinct - track.length, statisticsTarget + 1);
  const histogram: Datum[] = [];
  if (numHist >= 2) {
    const nvals = rest.length;
    const delta = Math.floor((nvals - 1) / (numHist - 1));
    const deltaFrac = (nvals - 1) % (numHist - 1);
    let pos = 0;
    let posFrac = 0;
    for (let i = 0; i < numHist; i++) {
      histogram.push(rest[pos]!);
      pos += delta;
      posFrac += deltaFrac;
      if (posFrac >= numHist - 1) {
        pos++;
        posFrac -= numHist - 1;
      }
    }
  }
  return {
    nullFrac,
    avgWidth,
    nDistinct,
    mcv,
    mcvFreqs,
    histogram,
    correlation: correlation(present),
  };
}

function correlation(sorted: { at: number }[]): number | null {
  const n = sorted.length;
  if (n < 2) return null;
  const xsum = (n - 1) * n / 2;
  const x2sum = (n - 1) * n * (2 * n - 1) / 6;
  let xysum = 0;
  sorted.forEach((s, i) => (xysum += i * s.at));
  return Math.fround((n * xysum - xsum * xsum) / (n * x2sum - xsum * xsum));
}

/**
 * The fraction of a column's rows equal to `value` (eqsel): its MCV frequency, else the rows
 * outside the MCVs spread over the other distinct values.
 */
export function equalSelectivity(
  s: ColumnStats,
  rows: number,
  value: Datum,
  cmp: (a: Datum, b: Datum) => number,
): number {
  if (value === null) return 0;
  const i = s.mcv.findIndex((m) => cmp(m, value) === 0);
  if (i >= 0) return s.mcvFreqs[i]!;
  const distinct = s.nDistinct < 0 ? -s.nDistinct * rows : s.nDistinct;
  const others = distinct - s.mcv.length;
  const rest = 1 - s.nullFrac - s.mcvFreqs.reduce((a, b) => a + b, 0);
  if (others <= 0) return 0;
  return Math.max(0, Math.min(rest / others, rest));
}

/**
 * The fraction of rows with column < value (or <= value): MCVs counted exactly, the histogram
 * interpolated bucket by bucket (scalarineqsel without the type-specific interpolation).
 */
export function lessSelectivity(
  s: ColumnStats,
  value: Datum,
  inclusive: boolean,
  cmp: (a: Datum, b: Datum) => number,
): number {
  let mcvPart = 0;
  let mcvTotal = 0;
  s.mcv.forEach((m, i) => {
    mcvTotal += s.mcvFreqs[i]!;
    const c = cmp(m, value);
    if (c < 0 || (inclusive && c === 0)) mcvPart += s.mcvFreqs[i]!;
  });
  const rest = Math.max(0, 1 - s.nullFrac - mcvTotal);
  const h = s.histogram;
  let histFrac = 0.5;
  if (h.length >= 2) {
    let below = 0;
    while (below < h.length && cmp(h[below]!, value) < 0) below++;
    if (below === 0) histFrac = 0;
    else if (below === h.length) histFrac = 1;
    else histFrac = (below - 1 + within(h[below - 1]!, h[below]!, value)) / (h.length - 1);
  }
  return mcvPart + rest * histFrac;
}

/** Where `v` lies between bucket bounds `lo` and `hi` (convert_to_scalar for numbers; else ½). */
function within(lo: Datum, hi: Datum, v: Datum): number {
  const num = (d: Datum) =>
    typeof d === "number"
      ? d
      : typeof d === "bigint"
      ? Number(d)
      : d instanceof Numeric
      ? d.toNumber()
      : NaN;
  const [a, b, x] = [num(lo), num(hi), num(v)];
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(x) || b <= a) return 0.5;
  return Math.min(1, Math.max(0, (x - a) / (b - a)));
}

const stores = new WeakMap<object, Map<number, TableStats>>();

/** The statistics of one database, keyed by an object that identifies it. */
export function statsFor(database: object): Map<number, TableStats> {
  let m = stores.get(database);
  if (m === undefined) {
    m = new Map();
    stores.set(database, m);
  }
  return m;
}
