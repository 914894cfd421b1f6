/**
 * @module Tests of the RLS suite's judge: the comparison must catch every kind of difference
 * (rows, order, counts, tags, columns, SQLSTATE, message) and the oracle check must reject a
 * scenario whose PostgreSQL outcome is not what the scenario claims.
 */
import assert from "node:assert/strict";
import { compareTranscripts, diffOutcome } from "./compare.ts";
import { checkOracle, type Entry, rowCount, type Scenario } from "./scenario.ts";
import type { Outcome } from "./sides.ts";

const rows = (tag: string, ...r: (string | null)[][]): Outcome => ({
  ok: true,
  tag,
  columns: [{ name: "id", typeOid: 23 }],
  rows: r,
});
const err = (code: string, message: string): Outcome => ({ ok: false, code, message });

Deno.test("rls compare finds row, order, tag, column and error differences", () => {
  const a = rows("SELECT 2", ["1"], ["2"]);
  assert.equal(diffOutcome(a, rows("SELECT 2", ["2"], ["1"]), false), null);
  assert.match(diffOutcome(a, rows("SELECT 2", ["2"], ["1"]), true)!, /rows differ/);
  assert.match(diffOutcome(a, rows("SELECT 3", ["1"], ["2"], ["3"]), false)!, /command tag/);
  assert.match(diffOutcome(a, rows("SELECT 2", ["1"], ["3"]), false)!, /rows differ/);
  assert.match(diffOutcome(a, rows("SELECT 2", ["1"], [null]), false)!, /rows differ/);
  const renamed: Outcome = { ...a, columns: [{ name: "x", typeOid: 23 }] } as Outcome;
  assert.match(diffOutcome(a, renamed, false)!, /column names/);
  const retyped: Outcome = { ...a, columns: [{ name: "id", typeOid: 20 }] } as Outcome;
  assert.match(diffOutcome(a, retyped, false)!, /type OID/);
  const e = err("42501", 'permission denied for table "docs"');
  assert.equal(diffOutcome(e, err("42501", 'permission denied for table "docs"'), false), null);
  assert.match(diffOutcome(e, err("42501", "permission denied"), false)!, /message/);
  assert.match(
    diffOutcome(e, err("0A000", 'permission denied for table "docs"'), false)!,
    /SQLSTATE/,
  );
  assert.match(diffOutcome(e, a, false)!, /PostgreSQL raised 42501/);
  assert.match(diffOutcome(a, e, false)!, /BKG raised 42501/);
});

Deno.test("rls compare reports the first differing statement and a grouping cause", () => {
  const entry = (sql: string, outcome: Outcome): Entry => ({
    phase: "step",
    sql,
    actor: "r_alice",
    outcome,
  });
  const pg = [entry("SELECT 1", rows("SELECT 1", ["1"])), entry("DELETE", rows("DELETE 0"))];
  assert.equal(compareTranscripts(pg, pg), null);
  const bkg = [pg[0]!, entry("DELETE", err("0A000", 'feature "x" is not supported'))];
  const m = compareTranscripts(pg, bkg)!;
  assert.match(m.report, /step statement 2 as r_alice: DELETE/);
  assert.match(m.report, /BKG: +ERROR 0A000/);
  assert.equal(m.cause, 'BKG 0A000 feature "…" is not supported');
  assert.equal(compareTranscripts(pg, pg.slice(0, 1))!.cause, "BKG transcript ended early");
});

Deno.test("rls oracle check rejects a scenario PostgreSQL does not honour", () => {
  const sc: Scenario = {
    group: "g",
    name: "n",
    setup: [],
    steps: [{ sql: "SELECT id FROM docs", expect: 2 }, { sql: "INSERT", expect: "42501" }],
  };
  const run = (a: Outcome, b: Outcome): Entry[] => [
    { phase: "setup", sql: "CREATE SCHEMA s", actor: "postgres", outcome: rows("CREATE SCHEMA") },
    { phase: "step", sql: "SELECT id FROM docs", actor: "r_alice", outcome: a, step: sc.steps[0] },
    { phase: "step", sql: "INSERT", actor: "r_alice", outcome: b, step: sc.steps[1] },
  ];
  const two = rows("SELECT 2", ["1"], ["2"]);
  const denied = err("42501", 'new row violates row-level security policy for table "docs"');
  assert.equal(checkOracle(sc, run(two, denied)), null);
  assert.match(checkOracle(sc, run(rows("SELECT 1", ["1"]), denied))!, /expected 2 rows/);
  assert.match(checkOracle(sc, run(two, rows("INSERT 0 1")))!, /expected 42501/);
  assert.match(checkOracle(sc, run(err("42P01", "x"), denied))!, /failed on PostgreSQL/);
  assert.equal(rowCount({ ok: true, tag: "UPDATE 3", columns: null, rows: [] }), 3);
  assert.equal(rowCount({ ok: true, tag: "INSERT 0 4", columns: null, rows: [] }), 4);
});
