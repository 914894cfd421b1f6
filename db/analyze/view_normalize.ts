/**
 * @module The parsed query in the shape PostgreSQL's parse analysis leaves for ruleutils (IN
 * lists as arrays, NOT BETWEEN as comparisons), and the sublinks and window calls of an
 * expression in the order the binder meets them (deparsing pairs them with the bound nodes).
 */
import type { Expr, FuncCall, SubLink } from "../sql/mod.ts";

/** The sublinks and window calls of an expression, in the order the binder meets them. */
export function collect(e: unknown, subs: SubLink[], wins: FuncCall[]): void {
  if (e === null || typeof e !== "object") return;
  if (Array.isArray(e)) {
    for (const x of e) collect(x, subs, wins);
    return;
  }
  const n = e as { kind?: string };
  if (n.kind === "sublink") {
    const s = e as SubLink;
    collect(s.test, subs, wins);
    subs.push(s);
    return;
  }
  if (n.kind === "func_call" && (e as FuncCall).over !== null) wins.push(e as FuncCall);
  for (const [k, v] of Object.entries(e)) if (k !== "location") collect(v, subs, wins);
}

/**
 * The AST as PostgreSQL's parse analysis shapes it for display: `x IN (a, b)` with constant
 * items becomes `x = ANY (ARRAY[a, b])` (NOT IN: `<> ALL`), as transformAExprIn does, and
 * `NOT BETWEEN` becomes `x < a OR x > b`, as transformAExprBetween does.
 */
export function displayForm<T>(e: T): T {
  if (e === null || typeof e !== "object") return e;
  if (Array.isArray(e)) return e.map(displayForm) as T;
  const n = e as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n)) out[k] = k === "location" ? v : displayForm(v);
  if (n.kind === "in_list" && Array.isArray(n.list) && n.list.length > 1 && !hasColumnRef(n.list)) {
    const x = out as unknown as Extract<Expr, { kind: "in_list" }>;
    return {
      kind: "op_any_all",
      op: x.not ? "<>" : "=",
      schema: null,
      quantifier: x.not ? "all" : "any",
      left: x.arg,
      right: { kind: "array", elements: x.list, location: x.location },
      location: x.location,
    } as unknown as T;
  }
  if (n.kind === "between" && n.not === true) {
    // transformAExprBetween: NOT BETWEEN is `x < a OR x > b` (SYMMETRIC: both orders ANDed).
    const x = out as unknown as Extract<Expr, { kind: "between" }>;
    const op = (o: string, l: Expr, r: Expr): Expr => ({
      kind: "op",
      op: o,
      schema: null,
      left: l,
      right: r,
      location: x.location,
    });
    const or = (a: Expr, b: Expr): Expr => ({
      kind: "bool",
      op: "or",
      args: [op("<", x.arg, a), op(">", x.arg, b)],
      location: x.location,
    });
    if (!x.symmetric) return or(x.low, x.high) as unknown as T;
    return {
      kind: "bool",
      op: "and",
      args: [or(x.low, x.high), or(x.high, x.low)],
      location: x.location,
    } as unknown as T;
  }
  return out as unknown as T;
}

function hasColumnRef(e: unknown): boolean {
  if (e === null || typeof e !== "object") return false;
  const o = e as Record<string, unknown>;
  if (o.kind === "column_ref") return true;
  if (o.kind === "sublink") return false;
  return Object.values(o).some((v) =>
    Array.isArray(v) ? v.some(hasColumnRef) : v !== null && typeof v === "object" && hasColumnRef(v)
  );
}
