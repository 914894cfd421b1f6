/**
 * @module View expansion: a view is stored as its query text and re-parsed here, then bound as
 * a subquery in place of the view (security invoker semantics: the querying role's rights
 * apply). Row-level security will add its quals and WITH CHECKs at this layer.
 */
import type { RelationDef } from "../catalog/mod.ts";
import { assert } from "../assert.ts";
import { parse, type Query } from "../sql/mod.ts";

const cache = new Map<string, Query>();

/** The query of a view. */
export function expandView(rel: RelationDef): Query {
  assert(rel.kind === "v" && rel.viewSql !== undefined, "expandView of a view");
  let q = cache.get(rel.viewSql);
  if (q === undefined) {
    const [stmt] = parse(rel.viewSql);
    assert(
      stmt !== undefined &&
        (stmt.kind === "select" || stmt.kind === "values" || stmt.kind === "set_operation"),
      "a view's text is a query",
    );
    q = stmt as Query;
    cache.set(rel.viewSql, q);
  }
  return q;
}
