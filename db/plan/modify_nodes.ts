/**
 * @module Plans of data-modifying statements: the rows to write come from an ordinary plan; the
 * modify step applies defaults, constraints (NOT NULL, CHECK, foreign keys; unique keys in
 * storage), ON CONFLICT and RETURNING.
 */
import type { BExpr, OutCol, PlanNode } from "./nodes.ts";

/** What a modify step knows about its table. */
export interface ModifyTable {
  oid: number;
  name: string;
  schema: string;
  /** Storage slots (dropped columns included). */
  width: number;
  columnNames: string[];
  notNull: boolean[];
  /** CHECK constraints over the new row. */
  checks: { name: string; expr: BExpr }[];
  /** Foreign keys of this table (child side). */
  fks: FkCheck[];
  /** Foreign keys that reference this table (parent side). */
  referencedBy: FkRef[];
  /** Columns GENERATED ALWAYS AS IDENTITY (by slot). */
  identityAlways: boolean[];
  /** Row-level security WITH CHECK options, in PostgreSQL's order; absent when RLS is off. */
  rlsChecks?: RlsCheck[];
}

/**
 * A row-level security check over a row of the table (PostgreSQL's WithCheckOption): `insert`
 * and `update` apply to the new row, `conflict` to the existing row an INSERT … ON CONFLICT DO
 * UPDATE would update. `policy` names a restrictive policy (for the error message).
 */
export interface RlsCheck {
  kind: "insert" | "update" | "conflict";
  policy: string | null;
  expr: BExpr;
}

/** A foreign key from this table to a parent. */
export interface FkCheck {
  name: string;
  slots: number[];
  parentOid: number;
  parentName: string;
  parentIndexOid: number;
  parentColumnNames: string[];
  columnNames: string[];
}

/** A foreign key of another table referencing this one. */
export interface FkRef {
  name: string;
  childOid: number;
  childName: string;
  childSlots: number[];
  childWidth: number;
  /** Referenced slots in this table. */
  slots: number[];
  columnNames: string[];
  onDelete: string;
  onUpdate: string;
  /** For ON … SET DEFAULT: the child's default of each of childSlots (null: NULL). */
  childDefaults?: (BExpr | null)[];
}

/** INSERT. */
export interface InsertPlan {
  kind: "insert";
  table: ModifyTable;
  source: PlanNode;
  /** For each table slot: index into the source row, or -1 (default). */
  slotSource: number[];
  /** Default expression per slot (null: NULL). */
  defaults: (BExpr | null)[];
  onConflict: {
    action: "nothing" | "update";
    indexOid: number | null;
    /** SET expressions per slot over [existing row, excluded row]; null keeps the value. */
    sets: (BExpr | null)[];
    where: BExpr | null;
  } | null;
  returning: BExpr[];
  returningCols: OutCol[];
}

/** UPDATE: source rows are [target row…, row id, other FROM items…]. */
export interface UpdatePlan {
  kind: "update";
  table: ModifyTable;
  source: PlanNode;
  /** New value per slot over the source row; null keeps the value. */
  sets: (BExpr | null)[];
  returning: BExpr[];
  returningCols: OutCol[];
}

/** DELETE: source rows are [target row…, row id, other FROM items…]. */
export interface DeletePlan {
  kind: "delete";
  table: ModifyTable;
  source: PlanNode;
  returning: BExpr[];
  returningCols: OutCol[];
}

/** Any modify plan. */
export type ModifyPlan = InsertPlan | UpdatePlan | DeletePlan;
