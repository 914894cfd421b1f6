/**
 * @module What a scenario is and how one runs on a side: its own schema (usable by PUBLIC, first
 * on the search_path), its setup as the superuser, then one transaction in which each step runs
 * as its actor (claims set with set_config(…, true), then SET LOCAL ROLE, as PostgREST does),
 * inside a savepoint so that an expected error does not end the scenario; the transaction is
 * rolled back at the end. Every statement's outcome lands in a transcript.
 */
import { type Actor, superuser } from "./prelude.ts";
import type { Outcome, Side } from "./sides.ts";

/** One statement of a scenario. */
export interface Step {
  sql: string;
  /** Who runs it; default the scenario's actor, else the superuser. */
  as?: Actor;
  /**
   * What PostgreSQL must do, so a scenario cannot silently test nothing: a number is the row
   * count (rows returned, or rows affected by a write without RETURNING, or COPY's count), a
   * string is the SQLSTATE of the expected error. A step without it must succeed on PostgreSQL.
   */
  expect?: number | string;
  /** Compare rows in order (default: when the text has ORDER BY). */
  ordered?: boolean;
}

/** A named, self-contained scenario. */
export interface Scenario {
  group: string;
  name: string;
  /** Statements run as the superuser in the scenario's schema before the transaction. */
  setup: string[];
  /** The default actor of the steps. */
  as?: Actor;
  steps: Step[];
}

/** One statement and what it did. */
export interface Entry {
  phase: "setup" | "harness" | "step";
  sql: string;
  actor: string;
  outcome: Outcome;
  step?: Step;
}

function literal(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function actorKey(a: Actor): string {
  return `${a.role} ${JSON.stringify(a.claims ?? null)}`;
}

/** How an actor is shown in messages. */
export function actorName(a: Actor): string {
  return a.claims === undefined ? a.role : `${a.role} ${JSON.stringify(a.claims)}`;
}

/** The statements that make `a` the current actor inside the open transaction. */
function becomeSql(a: Actor): string[] {
  const claims = a.claims === undefined ? "" : JSON.stringify(a.claims);
  const out = ["RESET ROLE", `SELECT set_config('request.jwt.claims', ${literal(claims)}, true)`];
  if (a.role !== superuser.role) out.push(`SET LOCAL ROLE ${a.role}`);
  return out;
}

/** Runs a scenario on one side in schema `schema`; returns its transcript. */
export async function runScenario(side: Side, sc: Scenario, schema: string): Promise<Entry[]> {
  const s = await side.session();
  const entries: Entry[] = [];
  const exec = async (phase: Entry["phase"], sql: string, actor: Actor, step?: Step) => {
    const outcome = await s.run(sql);
    entries.push({ phase, sql, actor: actorName(actor), outcome, ...(step ? { step } : {}) });
    return outcome;
  };
  try {
    const head = [
      `CREATE SCHEMA ${schema}`,
      `GRANT USAGE ON SCHEMA ${schema} TO PUBLIC`,
      `SET search_path = ${schema}, public`,
      ...sc.setup.map((q) => q.replaceAll("{schema}", schema)),
    ];
    for (const sql of head) {
      if (!(await exec("setup", sql, superuser)).ok) return entries;
    }
    await exec("harness", "BEGIN", superuser);
    let current = superuser;
    for (const step of sc.steps) {
      const actor = step.as ?? sc.as ?? superuser;
      if (actorKey(actor) !== actorKey(current)) {
        for (const sql of becomeSql(actor)) await exec("harness", sql, actor);
        current = actor;
      }
      await exec("harness", "SAVEPOINT step", actor);
      const o = await exec("step", step.sql.replaceAll("{schema}", schema), actor, step);
      await exec("harness", o.ok ? "RELEASE SAVEPOINT step" : "ROLLBACK TO SAVEPOINT step", actor);
    }
    await exec("harness", "ROLLBACK", superuser);
  } finally {
    await s.close();
  }
  return entries;
}

/** The row count of an outcome: rows returned, else the tag's count; null for errors. */
export function rowCount(o: Outcome): number | null {
  if (!o.ok) return null;
  if (o.columns !== null) return o.rows.length;
  const m = /(\d+)$/.exec(o.tag);
  return m === null ? null : Number(m[1]);
}

/** Why PostgreSQL's transcript does not honour the scenario, or null when it does. */
export function checkOracle(sc: Scenario, pg: Entry[]): string | null {
  const steps = pg.filter((e) => e.phase === "step");
  for (const e of pg) {
    if (e.phase !== "step" && !e.outcome.ok) {
      return `${e.phase} statement failed on PostgreSQL: ${e.sql}\n  ${show(e.outcome)}`;
    }
  }
  if (steps.length !== sc.steps.length) return "PostgreSQL did not run every step";
  for (const e of steps) {
    const want = e.step!.expect;
    const o = e.outcome;
    if (typeof want === "string") {
      if (o.ok || o.code !== want) return `step "${e.sql}": expected ${want}, got ${show(o)}`;
    } else if (!o.ok) {
      return `step "${e.sql}" failed on PostgreSQL: ${show(o)}`;
    } else if (want !== undefined && rowCount(o) !== want) {
      return `step "${e.sql}": expected ${want} rows, got ${rowCount(o)}\n  ${show(o)}`;
    }
  }
  return null;
}

/** Renders an outcome for a message (rows capped). */
export function show(o: Outcome, maxRows = 12): string {
  if (!o.ok) return `ERROR ${o.code}: ${o.message}`;
  const lines = [`[${o.tag}]`];
  if (o.columns !== null) lines.push(o.columns.map((c) => `${c.name}:${c.typeOid}`).join(" | "));
  for (const row of o.rows.slice(0, maxRows)) {
    lines.push(row.map((v) => (v === null ? "NULL" : JSON.stringify(v))).join(" | "));
  }
  if (o.rows.length > maxRows) lines.push(`… ${o.rows.length - maxRows} more rows`);
  return lines.join("\n      ");
}
