/**
 * @module Name scopes of the binder: the FROM items of one query level (each a run of columns
 * in the level's row), lookup of column references (qualified, unqualified, ambiguous), star
 * expansion, and the chain to enclosing levels for correlated references.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import type { BExpr } from "../plan/mod.ts";
import type { PermEntry } from "./permissions.ts";
import type { RelationDef } from "../catalog/mod.ts";

/** A column of a FROM item. */
export interface ScopeCol {
  name: string;
  type: number;
  typmod: number;
  tableOid: number;
  attnum: number;
  /** Not visible by name or star (dropped columns, row ids). */
  hidden?: boolean;
}

/** One FROM item: its columns occupy row positions [offset, offset + cols.length). */
export interface ScopeItem {
  alias: string;
  offset: number;
  cols: ScopeCol[];
  /** Columns merged by JOIN USING / NATURAL: unqualified names that resolve to one expression. */
  merged?: Map<string, BExpr>;
  /** Hidden from unqualified lookup (the right side's copies of USING columns). */
  usingHidden?: Set<string>;
  /** For joins: the items it contains (qualified lookups go through). */
  children?: ScopeItem[];
  /** A function returning a base type: its whole-row reference is its one column's value. */
  scalarFunction?: boolean;
  /** Called when a column of this item is referenced (RLS: does UPDATE/DELETE read the row). */
  onRef?: () => void;
  /** A relation's privilege entry: columns resolved here are recorded as read. */
  perm?: PermEntry;
  /** The entry's columns are numbered by position (views), not by the columns' attnums. */
  permByPosition?: boolean;
}

/** A table's columns as a FROM item (dropped columns hidden), at row position `offset`. */
export function tableItem(rel: RelationDef, alias = rel.name, offset = 0): ScopeItem {
  return {
    alias,
    offset,
    cols: rel.columns.map((x) => ({
      name: x.name,
      type: x.type,
      typmod: x.typmod,
      tableOid: rel.oid,
      attnum: x.attnum,
      hidden: x.dropped,
    })),
  };
}

/** The FROM scope of one query level. */
export class Scope {
  items: ScopeItem[] = [];
  width = 0;
  /** Set by the binder while binding a LATERAL item or a join's children. */
  constructor(readonly parent: Scope | null) {}

  add(item: ScopeItem): void {
    this.items.push(item);
    this.width = Math.max(this.width, item.offset + item.cols.length);
  }

  /** Every leaf item (join items flattened). */
  leaves(): ScopeItem[] {
    const out: ScopeItem[] = [];
    const walk = (i: ScopeItem) => {
      if (i.children) i.children.forEach(walk);
      else out.push(i);
    };
    this.items.forEach(walk);
    return out;
  }

  /** Whether more than one relation is in scope (EXPLAIN qualifies names then). */
  get qualify(): boolean {
    return this.leaves().length > 1;
  }

  /**
   * Resolves a column name at this level: a BExpr over this level's row, or undefined.
   * Throws 42702 when ambiguous, 42P01 when the qualifier is unknown.
   */
  lookup(names: string[], location: number): BExpr | undefined {
    if (names.length === 1) return this.#unqualified(names[0]!, location);
    const col = names[names.length - 1]!;
    const rel = names[names.length - 2]!;
    const item = this.leaves().find((i) => i.alias === rel);
    if (item === undefined) return undefined;
    const i = item.cols.findIndex((c) => c.name === col && !c.hidden);
    if (i < 0) {
      throw new DbError(
        SqlState.undefinedColumn,
        `column ${rel}.${col} does not exist`,
        { position: location + 1 },
      );
    }
    return this.colExpr(item, i);
  }

  /** True when a qualifier names a FROM item here. */
  hasAlias(alias: string): boolean {
    return this.leaves().some((i) => i.alias === alias);
  }

  /** The leaf item named `alias`, if any. */
  itemByAlias(alias: string): ScopeItem | undefined {
    return this.leaves().find((i) => i.alias === alias);
  }

  colExpr(item: ScopeItem, i: number): BExpr {
    const c = item.cols[i]!;
    if (item.perm !== undefined) {
      const attnum = item.permByPosition ? i + 1 : c.attnum;
      if (attnum > 0) item.perm.selectCols.add(attnum);
    }
    item.onRef?.();
    return {
      k: "col",
      type: c.type,
      typmod: c.typmod,
      index: item.offset + i,
      name: this.qualify ? `${item.alias}.${c.name}` : c.name,
    };
  }

  #unqualified(name: string, location: number): BExpr | undefined {
    let found: BExpr | undefined;
    let count = 0;
    const visit = (item: ScopeItem): void => {
      if (item.merged?.has(name)) {
        found = item.merged.get(name)!;
        count++;
        return;
      }
      if (item.children) {
        for (const ch of item.children) {
          if (item.usingHidden?.has(name) && ch === item.children[1]) {
            // The right copy of a USING column is reachable only qualified.
            const i = ch.cols.findIndex((c) => c.name === name);
            if (i >= 0 && !ch.children) continue;
          }
          visit(ch);
        }
        return;
      }
      for (let i = 0; i < item.cols.length; i++) {
        const c = item.cols[i]!;
        if (c.name === name && !c.hidden) {
          found = this.colExpr(item, i);
          count++;
        }
      }
    };
    this.items.forEach(visit);
    if (count > 1) {
      throw new DbError(SqlState.ambiguousColumn, `column reference "${name}" is ambiguous`, {
        position: location + 1,
      });
    }
    return found;
  }

  /** `*` or `alias.*`: the visible columns, as (name, expr). */
  star(alias: string | null, location: number): { name: string; expr: BExpr; col: ScopeCol }[] {
    const out: { name: string; expr: BExpr; col: ScopeCol }[] = [];
    const emit = (item: ScopeItem, skip: Set<string> | null) => {
      if (item.children) {
        const [l, r] = item.children;
        const using = item.usingHidden ?? new Set<string>();
        if (item.merged && item.merged.size > 0) {
          for (const [name, expr] of item.merged) {
            const src = findCol(l!, name) ?? findCol(r!, name)!;
            out.push({ name, expr, col: { ...src, name } });
          }
          emit(l!, new Set(item.merged.keys()));
          emit(r!, new Set(item.merged.keys()));
        } else {
          emit(l!, skip);
          emit(r!, using.size ? using : skip);
        }
        return;
      }
      for (let i = 0; i < item.cols.length; i++) {
        const c = item.cols[i]!;
        if (c.hidden || skip?.has(c.name)) continue;
        out.push({ name: c.name, expr: this.colExpr(item, i), col: c });
      }
    };
    if (alias === null) {
      if (this.items.length === 0) {
        throw new DbError(SqlState.syntaxError, "SELECT * with no tables specified is not valid", {
          position: location + 1,
        });
      }
      this.items.forEach((i) => emit(i, null));
    } else {
      const item = this.leaves().find((i) => i.alias === alias);
      if (item === undefined) {
        throw new DbError(
          SqlState.undefinedTable,
          `missing FROM-clause entry for table "${alias}"`,
          { position: location + 1 },
        );
      }
      emit(item, null);
    }
    return out;
  }
}

function findCol(item: ScopeItem, name: string): ScopeCol | undefined {
  if (item.children) {
    for (const ch of item.children) {
      const c = findCol(ch, name);
      if (c) return c;
    }
    return undefined;
  }
  return item.cols.find((c) => c.name === name && !c.hidden);
}
