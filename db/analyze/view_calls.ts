/**
 * @module Aggregate and window calls of a view's query as ruleutils prints them: `DISTINCT`,
 * `ORDER BY` and `FILTER (WHERE …)` inside aggregates, `OVER name` or `OVER (PARTITION BY …
 * ORDER BY … frame)`, and the sort keys' `DESC` / `NULLS FIRST|LAST`.
 */
import type { AggCall, SortKey, WinCall } from "../plan/mod.ts";
import type { FuncCall, WindowDef } from "../sql/mod.ts";
import { quoteIdent } from "../types/mod.ts";
import type { BindCtx } from "./context.ts";
import { bindSortKey } from "./expr.ts";
import { deparseExpr, type DeparseOptions } from "./deparse.ts";
import type { Printer } from "./view_deparse.ts";

export function aggText(a: AggCall, o: DeparseOptions): string {
  const args = a.star ? "*" : a.args.map((x) => deparseExpr(x, o)).join(", ");
  const order = a.orderBy.length > 0
    ? " ORDER BY " + a.orderBy.map((k) => sortKeyText(k, o)).join(", ")
    : "";
  const filter = a.filter === null ? "" : ` FILTER (WHERE ${deparseExpr(a.filter, o)})`;
  return `${a.name}(${a.distinct ? "DISTINCT " : ""}${args}${order})${filter}`;
}

export function sortKeyText(k: SortKey, o: DeparseOptions): string {
  let s = deparseExpr(k.expr, o);
  if (k.desc) s += " DESC";
  if (k.nullsFirst && !k.desc) s += " NULLS FIRST";
  if (!k.nullsFirst && k.desc) s += " NULLS LAST";
  return s;
}

export function windowText(
  p: Printer,
  w: WinCall,
  ast: FuncCall | undefined,
  c: BindCtx,
  o: DeparseOptions,
): string {
  const args = w.star ? "*" : w.args.map((x) => deparseExpr(x, o)).join(", ");
  const filter = w.filter === null ? "" : ` FILTER (WHERE ${deparseExpr(w.filter, o)})`;
  const head = `${w.name}(${w.distinct ? "DISTINCT " : ""}${args})${filter} OVER `;
  const def = ast?.over;
  if (
    def && (def.name ?? def.refName) !== null && def.partitionBy.length === 0 &&
    def.orderBy.length === 0 && def.frame === null
  ) return head + quoteIdent((def.name ?? def.refName)!);
  return head + `(${windowSpecText(p, def ?? null, c, o, w)})`;
}

export function windowSpecText(
  p: Printer,
  def: WindowDef | null,
  c: BindCtx,
  o: DeparseOptions,
  w?: WinCall,
): string {
  const parts: string[] = [];
  if (def?.refName) parts.push(quoteIdent(def.refName));
  const part = w ? w.partitionBy.map((x) => deparseExpr(x, o)) : (def?.partitionBy ?? []).map((
    x,
  ) => p.expr(c, x));
  if (part.length > 0 && !def?.refName) parts.push("PARTITION BY " + part.join(", "));
  const order = w
    ? w.orderBy.map((k) => sortKeyText(k, o))
    : (def?.orderBy ?? []).map((s) => sortKeyText(bindSortKey(c, s), o));
  if (order.length > 0 && !(def?.refName && def.orderBy.length === 0)) {
    parts.push("ORDER BY " + order.join(", "));
  }
  const f = def?.frame;
  if (f) {
    const bound = (b: typeof f.start) =>
      b.type === "unbounded_preceding"
        ? "UNBOUNDED PRECEDING"
        : b.type === "unbounded_following"
        ? "UNBOUNDED FOLLOWING"
        : b.type === "current_row"
        ? "CURRENT ROW"
        : `${p.expr(c, b.offset!)} ${b.type === "preceding" ? "PRECEDING" : "FOLLOWING"}`;
    let s = f.mode.toUpperCase() + " ";
    s += f.end === null ? bound(f.start) : `BETWEEN ${bound(f.start)} AND ${bound(f.end)}`;
    if (f.exclude === "current_row") s += " EXCLUDE CURRENT ROW";
    if (f.exclude === "group") s += " EXCLUDE GROUP";
    if (f.exclude === "ties") s += " EXCLUDE TIES";
    parts.push(s);
  }
  return parts.join(" ");
}
