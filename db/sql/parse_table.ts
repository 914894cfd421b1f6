/**
 * @module CREATE TABLE's parts: column definitions, column and table constraints (with
 * DEFERRABLE/INITIALLY attached to the constraint before them), LIKE, PARTITION BY, storage
 * parameters, and the sequence options shared with identity columns and CREATE SEQUENCE.
 */
import type {
  ColumnDef,
  Constraint,
  DefArg,
  DefElem,
  FkAction,
  PartitionSpec,
  SequenceOption,
  TableElement,
} from "./ast_ddl.ts";
import type { Parser } from "./parser.ts";
import { parseBExpr, parseExpr } from "./parse_expr.ts";
import { parseQualifiedName } from "./parse_from.ts";
import { parseIndexElem } from "./parse_dml.ts";
import { parseTypeName } from "./parse_type.ts";

/** `(name, …)`. */
export function columnList(p: Parser): string[] {
  return p.parenList(() => p.colId());
}

/** A signed number as written (NumericOnly), for sequence options. */
function numericOnly(p: Parser): string {
  let sign = "";
  if (p.isOp("-") || p.isOp("+")) sign = p.advance().value === "-" ? "-" : "";
  const t = p.tok;
  if (t.type !== "integer" && t.type !== "numeric") throw p.error();
  p.advance();
  return sign + t.value;
}

/** A def_arg value: a number, a string, a word (keyword, identifier or type name). */
export function defArg(p: Parser): DefArg {
  const t = p.tok;
  if (t.type === "string") return { kind: "string", value: p.sconst(), location: t.loc };
  if (t.type === "integer" || t.type === "numeric" || p.isOp("-") || p.isOp("+")) {
    const v = numericOnly(p);
    if (/^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2147483647) {
      return { kind: "integer", value: Number(v), location: t.loc };
    }
    return { kind: "numeric", value: v, location: t.loc };
  }
  if (t.type === "keyword" || t.type === "ident") {
    p.advance();
    return { kind: "word", value: t.value, location: t.loc };
  }
  throw p.error();
}

/** `( name [= value], … )`: reloptions and similar definition lists. */
export function parseReloptions(p: Parser): DefElem[] {
  return p.parenList((): DefElem => {
    const t = p.tok;
    let name = p.colLabel();
    if (p.acceptOp(".")) name += "." + p.colLabel();
    const arg = p.acceptOp("=") ? defArg(p) : null;
    return { kind: "def_elem", name, arg, location: t.loc };
  });
}

/** Sequence options until none follows (OptSeqOptList / SeqOptList). */
export function parseSeqOptions(p: Parser): SequenceOption[] {
  const out: SequenceOption[] = [];
  while (true) {
    const t = p.tok;
    const location = t.loc;
    if (p.acceptKw("as")) {
      out.push({ kind: "seq_option", name: "as", type: parseTypeName(p), location });
    } else if (p.acceptKw("increment")) {
      p.acceptKw("by");
      out.push({ kind: "seq_option", name: "increment", value: numericOnly(p), location });
    } else if (p.isKw("minvalue") || p.isKw("maxvalue") || p.isKw("cache")) {
      const name = p.advance().value as "minvalue" | "maxvalue" | "cache";
      out.push({ kind: "seq_option", name, value: numericOnly(p), location });
    } else if (
      p.isKw("no") && (p.peekKw(1, "minvalue") || p.peekKw(1, "maxvalue") || p.peekKw(1, "cycle"))
    ) {
      p.advance();
      const w = p.advance().value;
      if (w === "cycle") out.push({ kind: "seq_option", name: "cycle", value: false, location });
      else {out.push({
          kind: "seq_option",
          name: w as "minvalue" | "maxvalue",
          value: null,
          location,
        });}
    } else if (p.acceptKw("cycle")) {
      out.push({ kind: "seq_option", name: "cycle", value: true, location });
    } else if (p.acceptKw("start")) {
      p.acceptKw("with");
      out.push({ kind: "seq_option", name: "start", value: numericOnly(p), location });
    } else if (p.acceptKw("restart")) {
      const w = p.acceptKw("with");
      const t2 = p.tok;
      const has = w || t2.type === "integer" || t2.type === "numeric" || p.isOp("-") ||
        p.isOp("+");
      out.push({
        kind: "seq_option",
        name: "restart",
        value: has ? numericOnly(p) : null,
        location,
      });
    } else if (p.isKw("owned")) {
      p.advance();
      p.expectKw("by");
      const names = p.anyName();
      const owner = names.length === 1 && names[0] === "none" ? null : names;
      out.push({ kind: "seq_option", name: "owned_by", owner, location });
    } else if (p.isKw("sequence") && p.peekKw(1, "name")) {
      p.advance(), p.advance();
      out.push({ kind: "seq_option", name: "sequence_name", names: p.anyName(), location });
    } else break;
  }
  return out;
}

function fkAction(p: Parser): FkAction {
  if (p.acceptKw("cascade")) return "cascade";
  if (p.acceptKw("restrict")) return "restrict";
  if (p.acceptKw("no")) {
    p.expectKw("action");
    return "no_action";
  }
  p.expectKw("set");
  if (p.acceptKw("null")) return "set_null";
  p.expectKw("default");
  return "set_default";
}

/** REFERENCES t [(cols)] [MATCH …] [ON DELETE …] [ON UPDATE …], after the keyword. */
function references(
  p: Parser,
  name: string | null,
  columns: string[],
  location: number,
): Constraint {
  const refTable = parseQualifiedName(p);
  const refColumns = p.isOp("(") ? columnList(p) : [];
  let match: "simple" | "full" | "partial" = "simple";
  if (p.acceptKw("match")) {
    if (p.acceptKw("full")) match = "full";
    else if (p.acceptKw("partial")) match = "partial";
    else p.expectKw("simple");
  }
  let onDelete: FkAction = "no_action";
  let onUpdate: FkAction = "no_action";
  for (let i = 0; i < 2 && p.isKw("on"); i++) {
    p.advance();
    if (p.acceptKw("delete")) onDelete = fkAction(p);
    else {
      p.expectKw("update");
      onUpdate = fkAction(p);
    }
  }
  return {
    kind: "constraint",
    contype: "foreign_key",
    name,
    columns,
    refTable,
    refColumns,
    match,
    onDelete,
    onUpdate,
    notValid: false,
    deferrable: null,
    initiallyDeferred: null,
    location,
  };
}

function nullsNotDistinct(p: Parser): boolean {
  if (!p.isKw("nulls")) return false;
  p.advance();
  const not = p.acceptKw("not");
  p.expectKw("distinct");
  return not;
}

function uniqueOrPk(p: Parser, name: string | null, location: number, table: boolean): Constraint {
  const pk = p.isKw("primary");
  p.advance();
  if (pk) p.expectKw("key");
  const nnd = pk ? false : nullsNotDistinct(p);
  const columns = table ? columnList(p) : [];
  let include: string[] = [];
  if (table && p.acceptKw("include")) include = columnList(p);
  let options: DefElem[] = [];
  if (p.isKw("with") && p.peekOp(1, "(")) {
    p.advance();
    options = parseReloptions(p);
  }
  return {
    kind: "constraint",
    contype: pk ? "primary_key" : "unique",
    name,
    columns,
    include,
    options,
    nullsNotDistinct: nnd,
    deferrable: null,
    initiallyDeferred: null,
    location,
  };
}

function check(p: Parser, name: string | null, location: number): Constraint {
  p.expectKw("check");
  p.expectOp("(");
  const expr = parseExpr(p);
  p.expectOp(")");
  let noInherit = false;
  if (p.isKw("no") && p.peekKw(1, "inherit")) {
    p.advance(), p.advance();
    noInherit = true;
  }
  return {
    kind: "constraint",
    contype: "check",
    name,
    expr,
    noInherit,
    notValid: false,
    deferrable: null,
    initiallyDeferred: null,
    location,
  };
}

/** DEFERRABLE / NOT DEFERRABLE / INITIALLY …: applies to `c`; returns false when none is next. */
function constraintAttr(p: Parser, c: Constraint | undefined): boolean {
  const t = p.tok;
  let deferrable: boolean | null = null;
  let initially: boolean | null = null;
  if (p.acceptKw("deferrable")) deferrable = true;
  else if (p.isKw("not") && p.peekKw(1, "deferrable")) {
    p.advance(), p.advance();
    deferrable = false;
  } else if (p.acceptKw("initially")) {
    if (p.acceptKw("deferred")) initially = true;
    else {
      p.expectKw("immediate");
      initially = false;
    }
  } else return false;
  if (c === undefined || !["unique", "primary_key", "foreign_key"].includes(c.contype)) {
    const what = deferrable !== null
      ? (deferrable ? "DEFERRABLE" : "NOT DEFERRABLE")
      : (initially ? "INITIALLY DEFERRED" : "INITIALLY IMMEDIATE");
    throw p.errorAt(`misplaced ${what} clause`, t);
  }
  if (deferrable !== null) c.deferrable = deferrable;
  if (initially !== null) c.initiallyDeferred = initially;
  return true;
}

/** A column definition: name type [COLLATE] [constraints]. */
export function parseColumnDef(p: Parser): ColumnDef {
  const t = p.tok;
  const name = p.colId();
  const type = parseTypeName(p);
  const col: ColumnDef = {
    kind: "column_def",
    name,
    type,
    collation: null,
    constraints: [],
    location: t.loc,
  };
  while (true) {
    const c = p.tok;
    if (p.acceptKw("collate")) {
      col.collation = p.anyName();
      continue;
    }
    if (constraintAttr(p, col.constraints.at(-1))) continue;
    let cname: string | null = null;
    if (p.acceptKw("constraint")) cname = p.colId();
    const con = columnConstraint(p, cname, c.loc);
    if (con === null) {
      if (cname !== null) throw p.error();
      break;
    }
    col.constraints.push(con);
  }
  return col;
}

function base(name: string | null, location: number) {
  return { kind: "constraint" as const, name, deferrable: null, initiallyDeferred: null, location };
}

function columnConstraint(p: Parser, name: string | null, location: number): Constraint | null {
  if (p.isKw("not") && !p.peekKw(1, "deferrable")) {
    p.advance();
    p.expectKw("null");
    return { ...base(name, location), contype: "not_null" };
  }
  if (p.acceptKw("null")) return { ...base(name, location), contype: "null" };
  if (p.isKw("unique") || p.isKw("primary")) return uniqueOrPk(p, name, location, false);
  if (p.isKw("check")) return check(p, name, location);
  if (p.acceptKw("default")) {
    return { ...base(name, location), contype: "default", expr: parseBExpr(p) };
  }
  if (p.acceptKw("references")) return references(p, name, [], location);
  if (p.acceptKw("generated")) {
    let generated: "always" | "by_default" = "always";
    if (!p.acceptKw("always")) {
      p.expectKw("by");
      p.expectKw("default");
      generated = "by_default";
    }
    p.expectKw("as");
    if (p.acceptKw("identity")) {
      let options: SequenceOption[] = [];
      if (p.acceptOp("(")) {
        options = parseSeqOptions(p);
        p.expectOp(")");
      }
      return { ...base(name, location), contype: "identity", generated, options };
    }
    if (generated !== "always") throw p.error();
    p.expectOp("(");
    const expr = parseExpr(p);
    p.expectOp(")");
    p.expectKw("stored");
    return { ...base(name, location), contype: "generated", expr };
  }
  return null;
}

/** A table constraint: [CONSTRAINT name] CHECK | UNIQUE | PRIMARY KEY | FOREIGN KEY …. */
export function parseTableConstraint(p: Parser): Constraint {
  const t = p.tok;
  let name: string | null = null;
  if (p.acceptKw("constraint")) name = p.colId();
  let c: Constraint;
  if (p.isKw("check")) c = check(p, name, t.loc);
  else if (p.isKw("unique") || p.isKw("primary")) c = uniqueOrPk(p, name, t.loc, true);
  else {
    p.expectKw("foreign");
    p.expectKw("key");
    const cols = columnList(p);
    p.expectKw("references");
    c = references(p, name, cols, t.loc);
  }
  while (true) {
    if (constraintAttr(p, c)) continue;
    if (p.isKw("not") && p.peekKw(1, "valid")) {
      p.advance(), p.advance();
      if (c.contype === "check" || c.contype === "foreign_key") c.notValid = true;
      continue;
    }
    if (p.isKw("no") && p.peekKw(1, "inherit") && c.contype === "check") {
      p.advance(), p.advance();
      c.noInherit = true;
      continue;
    }
    break;
  }
  return c;
}

/** One element of CREATE TABLE's list. */
export function parseTableElement(p: Parser): TableElement {
  const t = p.tok;
  if (p.acceptKw("like")) {
    const relation = parseQualifiedName(p);
    const options: { including: boolean; option: string }[] = [];
    while (p.isKw("including") || p.isKw("excluding")) {
      const including = p.advance().value === "including";
      options.push({ including, option: p.colLabel() });
    }
    return { kind: "table_like", relation, options, location: t.loc };
  }
  if (
    ["constraint", "check", "unique", "primary", "foreign"].includes(t.value) &&
    t.type === "keyword"
  ) {
    return parseTableConstraint(p);
  }
  return parseColumnDef(p);
}

/** PARTITION BY RANGE | LIST | HASH (…). */
export function parsePartitionSpec(p: Parser): PartitionSpec {
  const loc = p.expectKw("partition").loc;
  p.expectKw("by");
  const t = p.tok;
  const strategy = p.colId();
  if (strategy !== "range" && strategy !== "list" && strategy !== "hash") {
    throw p.errorAt(`unrecognized partitioning strategy "${strategy}"`, t);
  }
  return {
    kind: "partition_spec",
    strategy,
    params: p.parenList(() => parseIndexElem(p)),
    location: loc,
  };
}
