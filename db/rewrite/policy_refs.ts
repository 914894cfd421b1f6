/**
 * @module What a policy expression refers to, resolved against the catalog as the binder would:
 * the tables its subqueries read and the column each column reference names (the policy's own
 * table at the top, the subquery's FROM tables inside). Policies are stored as SQL text, so this
 * is how they follow renames (tables and columns keep their meaning, as PostgreSQL's stored
 * expression trees do) and how dependencies are found (a column or table a policy uses cannot
 * be dropped without CASCADE).
 */
import type { Catalog, RelationDef } from "../catalog/mod.ts";
import type { Expr, RangeVar } from "../sql/mod.ts";

/** One FROM entry of a query level: its alias and the relation it reads, if a relation. */
interface Entry {
  alias: string;
  rel: RelationDef | undefined;
  /** The FROM item, or null for the policy's own table. */
  rv: RangeVar | null;
}

/** What a walk reports. */
export interface RefVisitor {
  /** A table read in a subquery, with the relation it resolves to (if any). */
  relation?(rv: RangeVar, rel: RelationDef | undefined): void;
  /** A column reference (its AST node) naming `column` of `entry.rel` (a relation, if known). */
  column?(ref: { names: string[] }, entry: Entry, column: string): void;
}

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Resolves a range var to a relation: by schema, or along the search path. */
export function resolveRangeVar(
  cat: Catalog,
  searchPath: string[],
  rv: { schema: string | null; name: string },
): RelationDef | undefined {
  if (rv.schema !== null) {
    const ns = cat.namespaces.get(rv.schema);
    return ns === undefined ? undefined : cat.relation(ns.oid, rv.name);
  }
  for (const s of searchPath) {
    const ns = cat.namespaces.get(s);
    const r = ns === undefined ? undefined : cat.relation(ns.oid, rv.name);
    if (r !== undefined) return r;
  }
  return undefined;
}

/**
 * Walks a policy expression of `table`, resolving relations and column references, and reports
 * them to `visit` (which may change the AST nodes it is given).
 */
export function walkPolicyRefs(
  cat: Catalog,
  searchPath: string[],
  table: RelationDef,
  e: Expr,
  visit: RefVisitor,
): void {
  const top: Entry[] = [{ alias: table.name, rel: table, rv: null }];
  walk(e as unknown as Node, [top], new Set());

  function walk(n: unknown, scopes: Entry[][], ctes: Set<string>): void {
    if (Array.isArray(n)) {
      for (const x of n) walk(x, scopes, ctes);
      return;
    }
    if (!isNode(n)) return;
    if (n.kind === "column_ref") {
      column(n as unknown as { names: string[]; star?: boolean }, scopes);
      return;
    }
    if (n.kind === "select") {
      query(n, scopes, ctes);
      return;
    }
    for (const v of Object.values(n)) walk(v, scopes, ctes);
  }

  function query(q: Node, scopes: Entry[][], outerCtes: Set<string>): void {
    const ctes = new Set(outerCtes);
    const w = q.with as { ctes?: { name: string; query: unknown }[] } | null;
    for (const c of w?.ctes ?? []) {
      walk(c.query, scopes, ctes);
      ctes.add(c.name);
    }
    const entries: Entry[] = [];
    const from = (q.from as unknown[] | undefined) ?? [];
    const collect = (f: unknown): void => {
      if (!isNode(f)) return;
      if (f.kind === "range_var") {
        const rv = f as unknown as RangeVar;
        const isCte = rv.schema === null && ctes.has(rv.name);
        const rel = isCte ? undefined : resolveRangeVar(cat, searchPath, rv);
        if (!isCte) visit.relation?.(rv, rel);
        entries.push({ alias: rv.alias?.name ?? rv.name, rel, rv });
      } else if (f.kind === "join") {
        collect(f.left);
        collect(f.right);
      } else if (f.kind === "range_subselect") {
        walk(f.query, scopes, ctes);
        const alias = (f.alias as { name?: string } | null)?.name;
        if (alias) entries.push({ alias, rel: undefined, rv: null });
      }
    };
    from.forEach(collect);
    const inner = [entries, ...scopes];
    for (const [k, v] of Object.entries(q)) {
      if (k === "from" || k === "with") continue;
      walk(v, inner, ctes);
    }
    // Join conditions and function arguments in FROM see this level.
    const quals = (f: unknown): void => {
      if (!isNode(f)) return;
      if (f.kind === "join") {
        quals(f.left);
        quals(f.right);
        walk(f.on, inner, ctes);
      } else if (f.kind === "range_function") walk(f.functions, inner, ctes);
    };
    from.forEach(quals);
  }

  function column(ref: { names: string[]; star?: boolean }, scopes: Entry[][]): void {
    if (ref.star) return;
    const names = ref.names;
    if (names.length === 1) {
      const c = names[0]!;
      for (const scope of scopes) {
        const hit = scope.find((en) => en.rel?.columns.some((x) => x.name === c && !x.dropped));
        if (hit !== undefined) {
          visit.column?.(ref, hit, c);
          return;
        }
      }
      return;
    }
    if (names.length === 2) {
      const [q, c] = names as [string, string];
      for (const scope of scopes) {
        const hit = scope.find((en) => en.alias === q);
        if (hit !== undefined) {
          visit.column?.(ref, hit, c);
          return;
        }
      }
    }
  }
}
