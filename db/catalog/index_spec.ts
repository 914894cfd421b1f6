/**
 * @module The index-spec resolver the storage engine calls (at CREATE INDEX and at recovery):
 * descriptors `{ kind: "sql", columns, types, desc }` become key extractors and type-aware
 * comparators from db/types (numeric 1.0 = 1.00, bpchar padding, …), NULLs last ascending and
 * first descending, as PostgreSQL's btree orders them. Plain `{ kind: "columns" }` descriptors
 * fall back to storage's default.
 */
import type { Datum } from "../datum.ts";
import {
  type IndexDescriptor,
  type IndexSpec,
  resolveColumnsSpec,
  type TableDef,
} from "../storage/mod.ts";
import { type Comparator, comparator } from "../types/mod.ts";

/**
 * Resolves an index descriptor.
 *
 * @example
 * const spec = resolveIndexSpec({ kind: "sql", columns: [0], types: [23], desc: [false] }, def);
 */
export function resolveIndexSpec(descriptor: IndexDescriptor, table: TableDef): IndexSpec {
  if (descriptor.kind !== "sql") return resolveColumnsSpec(descriptor, table);
  const columns = (descriptor.columns as number[]).map(Number);
  const types = (descriptor.types as number[]).map(Number);
  const desc = (descriptor.desc as boolean[] | undefined) ?? columns.map(() => false);
  const cmps: Comparator[] = types.map((t) => comparator(t));
  const n = columns.length;
  const compare = (a: readonly Datum[], b: readonly Datum[]): number => {
    const m = Math.min(a.length, b.length, n);
    for (let i = 0; i < m; i++) {
      const x = a[i]!;
      const y = b[i]!;
      let c: number;
      if (x === null || y === null) {
        c = x === null ? (y === null ? 0 : 1) : -1;
      } else c = cmps[i]!(x, y);
      if (c !== 0) return desc[i] ? -c : c;
    }
    return 0;
  };
  if (n === 1) {
    const c0 = columns[0]!;
    return { key: (row) => [row[c0] ?? null], compare };
  }
  return { key: (row) => columns.map((c) => row[c] ?? null), compare };
}
