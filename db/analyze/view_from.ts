/**
 * @module The FROM clause of a view's query as ruleutils' get_from_clause prints it: relations
 * (schema shown when not on the search path, renamed entries with their new alias), subqueries,
 * functions, and joins with their parenthesization, ON / USING and CROSS JOIN.
 */
import type { FromItem } from "../sql/mod.ts";
import { quoteIdent } from "../types/mod.ts";
import type { BindCtx } from "./context.ts";
import type { ScopeItem } from "./scope.ts";
import { type Printer, STD, Unprintable } from "./view_deparse.ts";

export function fromClause(p: Printer, items: FromItem[], c: BindCtx): void {
  items.forEach((f, i) => {
    const scope = c.scope.items[i];
    if (i === 0) {
      p.kw(" FROM ", -STD, STD, 2);
      p.buf += fromItem(p, f, c, scope);
      return;
    }
    p.buf += ", ";
    const text = fromItem(p, f, c, scope);
    if (p.wrap >= 0) {
      if (text.startsWith("\n")) p.buf = p.buf.replace(/ +$/, "");
      else {
        const line = p.buf.slice(p.buf.lastIndexOf("\n") + 1);
        if (line.length + text.length > p.wrap) p.kw("", -STD, STD, 4);
      }
    }
    p.buf += text;
  });
}

export function fromItem(
  p: Printer,
  f: FromItem,
  c: BindCtx,
  scope: ScopeItem | undefined,
): string {
  const q = p.sub();
  q.buf = "";
  fromItemInto(q, f, c, scope);
  p.indent = q.indent;
  return q.buf;
}

export function fromItemInto(
  p: Printer,
  f: FromItem,
  c: BindCtx,
  scope: ScopeItem | undefined,
): void {
  const aliasText = (a: { name: string; columns: string[] } | null) =>
    a === null
      ? ""
      : ` ${quoteIdent(a.name)}${
        a.columns.length > 0 ? `(${a.columns.map(quoteIdent).join(", ")})` : ""
      }`;
  // The entry's assigned name: printed when given, or when it differs from the relation's.
  const renamed = (a: { name: string; columns: string[] } | null, rel: string) => {
    const name = scope === undefined || scope.children ? undefined : p.refName(c, scope);
    if (name === undefined || (a === null && name === rel)) return a;
    // Given column aliases, PostgreSQL lists every column's name (get_column_alias_list).
    const all = scope?.cols.filter((x) => !x.hidden).map((x) => x.name) ?? [];
    return { name, columns: a !== null && a.columns.length > 0 ? all : [] };
  };
  switch (f.kind) {
    case "range_var": {
      const rel = c.findRelation(f.schema, f.name);
      const schema = rel === undefined ? f.schema : schemaName(p, rel.schema);
      const visible = schema === null || schema === "public" || schema === "pg_catalog";
      p.buf += (f.only ? "ONLY " : "") + (visible ? "" : quoteIdent(schema!) + ".") +
        quoteIdent(f.name) + aliasText(renamed(f.alias, f.name));
      return;
    }
    case "range_subselect": {
      p.buf += (f.lateral ? "LATERAL " : "") + "(";
      p.query(f.query, c, null);
      p.buf += ")" + aliasText(renamed(f.alias, ""));
      return;
    }
    case "range_function": {
      if (f.rowsFrom || f.functions.length !== 1) throw new Unprintable("rows from");
      const fn = f.functions[0]!;
      if (fn.kind !== "func_call") throw new Unprintable("function");
      const args = fn.args.map((a) => p.expr(c, a)).join(", ");
      p.buf += (f.lateral ? "LATERAL " : "") +
        `${fn.name.map(quoteIdent).join(".")}(${args})` +
        (f.ordinality ? " WITH ORDINALITY" : "") +
        aliasText({
          name: scope === undefined ? (f.alias?.name ?? "") : p.refName(c, scope),
          columns: scope?.cols.filter((x) => !x.hidden).map((x) => x.name) ?? [],
        });
      return;
    }
    case "join": {
      const rightParen = p.pretty && f.right.kind === "join" && f.right.alias === null;
      const paren = !p.pretty || f.alias !== null;
      if (paren) p.buf += "(";
      fromItemInto(p, f.left, c, scope?.children?.[0]);
      const natural = f.natural ? [...(scope?.merged?.keys() ?? [])] : null;
      const using = f.using ?? natural;
      const word = f.type === "inner"
        ? (f.on === null && using === null ? " CROSS JOIN " : " JOIN ")
        : ` ${f.type.toUpperCase()} JOIN `;
      p.kw(f.type === "cross" ? " CROSS JOIN " : word, -STD, STD, 4);
      if (rightParen) p.buf += "(";
      fromItemInto(p, f.right, c, scope?.children?.[1]);
      if (rightParen) p.buf += ")";
      if (using !== null && using.length > 0) {
        p.buf += ` USING (${using.map(quoteIdent).join(", ")})`;
        if (f.usingAlias) p.buf += ` AS ${quoteIdent(f.usingAlias.name)}`;
      } else if (f.on !== null) {
        const text = p.expr(c, f.on, true, "JOIN/ON");
        p.buf += p.pretty ? ` ON ${text}` : ` ON (${text})`;
      } else if (f.type !== "inner" && f.type !== "cross") p.buf += " ON TRUE";
      if (paren) p.buf += ")";
      if (f.alias !== null) p.buf += aliasText(f.alias);
      return;
    }
  }
}

export function schemaName(p: Printer, oid: number): string | null {
  for (const [name, ns] of p.env.catalog.namespaces) if (ns.oid === oid) return name;
  return null;
}
