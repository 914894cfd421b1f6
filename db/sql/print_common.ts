/**
 * @module Small pieces shared by the statement printers: lists, identifier lists, option lists,
 * role names, sequence options, function signatures.
 */
import type {
  DefArg,
  DefElem,
  FunctionParameter,
  FunctionRef,
  ObjectType,
  SequenceOption,
} from "./ast_ddl.ts";
import type { RoleSpec } from "./ast_utility.ts";
import { printExpr, printTypeName, quoteIdent, quoteName, quoteString } from "./print_expr.ts";

export function list<T>(items: T[], f: (x: T) => string): string {
  return items.map(f).join(", ");
}

export function idents(names: string[]): string {
  return `(${list(names, quoteIdent)})`;
}

export function defArg(a: DefArg): string {
  switch (a.kind) {
    case "integer":
      return String(a.value);
    case "numeric":
      return a.value;
    case "string":
      return quoteString(a.value);
    case "word":
      return a.value === "*" ? "*" : quoteIdent(a.value);
    case "names":
      return idents(a.names);
  }
}

export function defElems(items: DefElem[], sep = " = "): string {
  return `(${
    list(items, (d) => quoteIdent(d.name) + (d.arg === null ? "" : sep + defArg(d.arg)))
  })`;
}

export function withOptions(items: DefElem[]): string {
  return items.length ? " WITH " + defElems(items) : "";
}

export const objectWords: Record<ObjectType | "language", string> = {
  language: "LANGUAGE",
  table: "TABLE",
  index: "INDEX",
  view: "VIEW",
  materialized_view: "MATERIALIZED VIEW",
  sequence: "SEQUENCE",
  schema: "SCHEMA",
  type: "TYPE",
  domain: "DOMAIN",
  database: "DATABASE",
  role: "ROLE",
  function: "FUNCTION",
  procedure: "PROCEDURE",
  routine: "ROUTINE",
  policy: "POLICY",
  extension: "EXTENSION",
  column: "COLUMN",
  constraint: "CONSTRAINT",
  trigger: "TRIGGER",
};

export function roleSpec(r: RoleSpec): string {
  return r.type === "name" ? quoteIdent(r.name!) : r.type.toUpperCase();
}

export function seqOption(o: SequenceOption): string {
  switch (o.name) {
    case "as":
      return `AS ${printTypeName(o.type)}`;
    case "cycle":
      return o.value ? "CYCLE" : "NO CYCLE";
    case "owned_by":
      return `OWNED BY ${o.owner === null ? "NONE" : quoteName(o.owner)}`;
    case "sequence_name":
      return `SEQUENCE NAME ${quoteName(o.names)}`;
    case "restart":
      return o.value === null ? "RESTART" : `RESTART WITH ${o.value}`;
    case "minvalue":
    case "maxvalue":
      return o.value === null ? `NO ${o.name.toUpperCase()}` : `${o.name.toUpperCase()} ${o.value}`;
    case "increment":
      return `INCREMENT BY ${o.value}`;
    case "start":
      return `START WITH ${o.value}`;
    case "cache":
      return `CACHE ${o.value}`;
  }
}

export function persistence(p: "permanent" | "temp" | "unlogged"): string {
  return p === "temp" ? "TEMPORARY " : p === "unlogged" ? "UNLOGGED " : "";
}

export function funcParam(f: FunctionParameter): string {
  const mode = f.mode === "default" || f.mode === "table" ? "" : f.mode.toUpperCase() + " ";
  const name = f.name === null ? "" : quoteIdent(f.name) + " ";
  const dflt = f.default === null ? "" : ` DEFAULT ${printExpr(f.default)}`;
  return mode + name + printTypeName(f.type) + dflt;
}

export function funcRef(f: FunctionRef): string {
  return quoteName(f.name) + (f.args === null ? "" : `(${list(f.args, funcParam)})`);
}

export function cascade(b: "restrict" | "cascade"): string {
  return b === "cascade" ? " CASCADE" : "";
}
