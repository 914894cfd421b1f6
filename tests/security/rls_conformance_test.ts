/**
 * @module Row-level security conformance: 200-odd named scenarios (tests/security/rls/) run on a
 * real PostgreSQL 15 and on BKG-DB in-process; visible rows, affected counts, RETURNING rows and
 * errors (SQLSTATE and message) must match. PostgreSQL first proves each scenario meaningful (its
 * expected counts and SQLSTATEs). Knobs: BKG_RLS_TARGET=pg runs PostgreSQL alone,
 * BKG_RLS_FILTER=<text> runs the scenarios whose "group / name" contains it, BKG_RLS_REPORT=<file>
 * writes the pass/mismatch summary as JSON.
 */
import assert from "node:assert/strict";
import { compareTranscripts, type Mismatch } from "./rls/compare.ts";
import { oracleSetupSql, sharedRolesSql } from "./rls/prelude.ts";
import { checkOracle, runScenario, type Scenario, show } from "./rls/scenario.ts";
import { allScenarios } from "./rls/scenarios.ts";
import { BkgRlsSide, PgRlsSide, type Side } from "./rls/sides.ts";

const target = Deno.env.get("BKG_RLS_TARGET") ?? "both";
const filter = Deno.env.get("BKG_RLS_FILTER") ?? "";
const reportPath = Deno.env.get("BKG_RLS_REPORT");

/** Scenarios PostgreSQL runs at once. */
const pgParallel = 4;

/** Maps `list` through `f` with at most `width` calls in flight; results in list order. */
async function pool<T, R>(list: T[], width: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      out[i] = await f(list[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, list.length) }, worker));
  return out;
}

const title = (s: Scenario) => `${s.group} / ${s.name}`;

Deno.test("rls scenarios are named once and each group shows a hidden row and an error", () => {
  const all = allScenarios().map((x) => x.scenario);
  assert.ok(all.length >= 150, `only ${all.length} scenarios`);
  const names = new Set<string>();
  const groups = new Map<string, { errors: number; counts: number }>();
  for (const s of all) {
    assert.ok(!names.has(title(s)), `duplicate scenario ${title(s)}`);
    names.add(title(s));
    assert.ok(s.steps.length > 0, `${title(s)} has no steps`);
    const g = groups.get(s.group) ?? { errors: 0, counts: 0 };
    for (const st of s.steps) {
      if (typeof st.expect === "string") g.errors++;
      if (typeof st.expect === "number") g.counts++;
    }
    groups.set(s.group, g);
  }
  for (const [name, g] of groups) {
    assert.ok(g.errors > 0, `group "${name}" has no step that expects an error`);
    assert.ok(g.counts > 0, `group "${name}" has no step that checks a row count`);
  }
});

/** Runs the shared prelude; returns the statements that failed (with their errors). */
async function prelude(side: Side, sql: string[]): Promise<string[]> {
  const s = await side.session();
  const failed: string[] = [];
  try {
    for (const q of sql) {
      const o = await s.run(q);
      if (!o.ok) failed.push(`${q.split("\n")[0]} → ${show(o)}`);
    }
  } finally {
    await s.close();
  }
  return failed;
}

interface Summary {
  scenarios: number;
  passed: string[];
  brokenOnPostgres: string[];
  mismatches: { scenario: string; cause: string; report: string }[];
  bkgPreludeFailures: string[];
}

function printSummary(sum: Summary): void {
  const byCause = new Map<string, string[]>();
  for (const m of sum.mismatches) {
    byCause.set(m.cause, [...(byCause.get(m.cause) ?? []), m.scenario]);
  }
  const lines = [
    `rls conformance: ${sum.passed.length}/${sum.scenarios} scenarios match PostgreSQL` +
    (sum.brokenOnPostgres.length ? `, ${sum.brokenOnPostgres.length} broken on PostgreSQL` : ""),
  ];
  for (const f of sum.bkgPreludeFailures) lines.push(`  BKG prelude failed: ${f}`);
  const causes = [...byCause].sort((a, b) => b[1].length - a[1].length);
  for (const [cause, list] of causes) {
    lines.push(`  ${String(list.length).padStart(3)} × ${cause}`);
    lines.push(`        e.g. ${list.slice(0, 2).join("; ")}`);
  }
  console.log(lines.join("\n"));
}

Deno.test("row-level security matches PostgreSQL 15 scenario by scenario", async (t) => {
  const scenarios = allScenarios().filter((x) => title(x.scenario).includes(filter));
  const pg = await PgRlsSide.start();
  let bkg: BkgRlsSide | null = null;
  const sum: Summary = {
    scenarios: scenarios.length,
    passed: [],
    brokenOnPostgres: [],
    mismatches: [],
    bkgPreludeFailures: [],
  };
  const results: { name: string; schema: string; broken: string | null; m: Mismatch | null }[] = [];
  try {
    const pgFailed = await prelude(pg, [...oracleSetupSql, ...sharedRolesSql]);
    assert.deepEqual(pgFailed, [], "the prelude failed on PostgreSQL");
    if (target !== "pg") {
      bkg = await BkgRlsSide.open();
      sum.bkgPreludeFailures = await prelude(bkg, sharedRolesSql);
    }
    // Scenarios are independent (own schema, own session): PostgreSQL runs a few at once;
    // BKG-DB, one process with one event loop, runs them one after another meanwhile.
    const [pgRuns, bkgRuns] = await Promise.all([
      pool(scenarios, pgParallel, (x) => runScenario(pg, x.scenario, x.schema)),
      bkg === null ? null : pool(scenarios, 1, (x) => runScenario(bkg!, x.scenario, x.schema)),
    ]);
    scenarios.forEach(({ scenario, schema }, i) => {
      const name = title(scenario);
      const broken = checkOracle(scenario, pgRuns[i]!);
      const k = bkgRuns?.[i];
      const m: Mismatch | null = broken !== null || k === undefined
        ? null
        : compareTranscripts(pgRuns[i]!, k);
      if (broken !== null) sum.brokenOnPostgres.push(name);
      else if (m === null) sum.passed.push(name);
      else sum.mismatches.push({ scenario: name, ...m });
      results.push({ name, schema, broken, m });
    });
    for (const { name, schema, broken, m } of results) {
      await t.step(name, () => {
        if (broken !== null) {
          throw new Error(`scenario broken on PostgreSQL (fix the scenario): ${broken}`);
        }
        if (m !== null) {
          throw new Error(`BKG differs from PostgreSQL (schema ${schema}):\n${m.report}`);
        }
      });
    }
  } finally {
    printSummary(sum);
    if (reportPath !== undefined) {
      await Deno.writeTextFile(reportPath, JSON.stringify(sum, null, 2));
    }
    await bkg?.close();
    await pg.close();
  }
});
