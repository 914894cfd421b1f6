/**
 * @module Tests of the differential harness itself: the case-file parser, the ORDER BY detector,
 * the comparison rules, the runner against two real PostgreSQL databases that differ in one
 * setting, and the fuzzer finding and shrinking a real difference.
 */
import assert from "node:assert/strict";
import { compareOutcomes } from "./compare.ts";
import { fuzz } from "./fuzz_run.ts";
import type { Outcome, SideConnection, SideDatabase } from "./outcome.ts";
import { PgSide } from "./pg_side.ts";
import { runRecords } from "./runner.ts";
import { hasTopLevelOrderBy, parseSlt, type SltRecord } from "./slt.ts";

Deno.test("slt parser reads directives, sort modes and named connections", () => {
  const recs = parseSlt(
    [
      "# comment",
      "statement ok",
      "CREATE TABLE t (a int)",
      "",
      "statement error 22012 error-message",
      "SELECT 1/0",
      "",
      "connection b",
      "query nosort",
      "SELECT a",
      "FROM t",
      "",
      "query",
      "SELECT a FROM t ORDER BY a",
      "",
      "query plan",
      "EXPLAIN SELECT 1",
    ].join("\n"),
  );
  assert.equal(recs.length, 5);
  assert.deepEqual(
    recs.map((r) => [r.line, r.kind, r.errorCode, r.checkMessage, r.sort, r.connection]),
    [
      [2, "statement", null, false, "rowsort", "default"],
      [5, "statement", "22012", true, "rowsort", "default"],
      [9, "query", null, false, "nosort", "b"],
      [13, "query", null, false, "nosort", "b"],
      [16, "query", null, false, "plan", "b"],
    ],
  );
  assert.equal(recs[2]!.sql, "SELECT a\nFROM t");
});

Deno.test("slt parser refuses skipping and malformed directives", () => {
  assert.throws(
    () => parseSlt("skipif postgres\nstatement ok\nSELECT 1"),
    /unknown directive "skipif"/,
  );
  assert.throws(() => parseSlt("halt"), /unknown directive "halt"/);
  assert.throws(() => parseSlt("statement error 2201\nSELECT 1"), /bad statement directive/);
  assert.throws(() => parseSlt("query sideways\nSELECT 1"), /bad query option/);
  assert.throws(() => parseSlt("statement ok\n"), /record without SQL/);
});

Deno.test("top-level ORDER BY is told apart from windows, subqueries and strings", () => {
  assert.equal(hasTopLevelOrderBy("SELECT a FROM t ORDER BY a"), true);
  assert.equal(hasTopLevelOrderBy("SELECT row_number() OVER (ORDER BY a) FROM t"), false);
  assert.equal(hasTopLevelOrderBy("SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 2) s"), false);
  assert.equal(hasTopLevelOrderBy("SELECT 'order by' AS x"), false);
  assert.equal(hasTopLevelOrderBy('SELECT 1 AS "order by x"'), false);
  assert.equal(hasTopLevelOrderBy("SELECT 1 -- order by\n"), false);
  assert.equal(hasTopLevelOrderBy("SELECT a FROM t UNION SELECT b FROM u ORDER BY 1"), true);
  assert.equal(hasTopLevelOrderBy("SELECT a FROM t ORDER BY a; SELECT b FROM u"), false);
});

const rec = (sort: SltRecord["sort"], kind: SltRecord["kind"] = "query"): SltRecord => ({
  line: 1,
  kind,
  errorCode: null,
  checkMessage: false,
  sort,
  sql: "x",
  connection: "default",
});

const rows = (tag: string, ...r: (string | null)[][]): Outcome => ({
  ok: true,
  results: [{ tag, columns: [{ name: "a", typeOid: 23 }], rows: r }],
});

Deno.test("comparison fails on rows, NULL versus empty text, order, types, tags and SQLSTATEs", () => {
  const base = rows("SELECT 2", ["1"], ["2"]);
  assert.deepEqual(
    compareOutcomes(rec("rowsort"), base, rows("SELECT 2", ["2"], ["1"])).failures,
    [],
  );
  assert.equal(
    compareOutcomes(rec("nosort"), base, rows("SELECT 2", ["2"], ["1"])).failures.length,
    1,
  );
  assert.equal(
    compareOutcomes(rec("rowsort"), base, rows("SELECT 2", ["1"], ["3"])).failures.length,
    1,
  );
  assert.equal(compareOutcomes(rec("rowsort"), base, rows("SELECT 1", ["1"])).failures.length, 2);
  const nul = rows("SELECT 1", [null]);
  assert.equal(compareOutcomes(rec("rowsort"), nul, rows("SELECT 1", [""])).failures.length, 1);
  const int8: Outcome = {
    ok: true,
    results: [{ tag: "SELECT 1", columns: [{ name: "a", typeOid: 20 }], rows: [["1"]] }],
  };
  assert.match(
    compareOutcomes(rec("rowsort"), rows("SELECT 1", ["1"]), int8).failures[0]!,
    /type OID/,
  );
  const renamed: Outcome = {
    ok: true,
    results: [{ tag: "SELECT 1", columns: [{ name: "b", typeOid: 23 }], rows: [["1"]] }],
  };
  assert.match(
    compareOutcomes(rec("rowsort"), rows("SELECT 1", ["1"]), renamed).failures[0]!,
    /column names/,
  );
  // User types (enums) get different OIDs on each side; only the kind is compared.
  const enumA: Outcome = {
    ok: true,
    results: [{ tag: "SELECT 1", columns: [{ name: "a", typeOid: 16390 }], rows: [["x"]] }],
  };
  const enumB: Outcome = {
    ok: true,
    results: [{ tag: "SELECT 1", columns: [{ name: "a", typeOid: 20001 }], rows: [["x"]] }],
  };
  assert.deepEqual(compareOutcomes(rec("rowsort"), enumA, enumB).failures, []);
  const tagged = (tag: string): Outcome => ({
    ok: true,
    results: [{ tag, columns: null, rows: [] }],
  });
  assert.match(
    compareOutcomes(rec("rowsort", "statement"), tagged("INSERT 0 2"), tagged("INSERT 0 1"))
      .failures[0]!,
    /command tag/,
  );
  const err = (code: string, message: string, position?: number): Outcome => ({
    ok: false,
    error: { code, message, ...(position === undefined ? {} : { position }) },
  });
  assert.match(
    compareOutcomes(rec("rowsort"), err("22012", "division by zero"), err("22003", "x"))
      .failures[0]!,
    /SQLSTATE/,
  );
  const worded = compareOutcomes(
    rec("rowsort"),
    err("22012", "division by zero"),
    err("22012", "divide by zero"),
  );
  assert.deepEqual([worded.failures.length, worded.warnings.length], [0, 1]);
  const strict = { ...rec("rowsort"), checkMessage: true };
  assert.equal(
    compareOutcomes(strict, err("22012", "division by zero"), err("22012", "divide by zero"))
      .failures.length,
    1,
  );
  assert.equal(
    compareOutcomes(
      rec("rowsort"),
      err("42601", "syntax error", 8),
      err("42601", "syntax error", 9),
    ).failures.length,
    1,
  );
  assert.equal(
    compareOutcomes(rec("rowsort"), err("42P01", "x", 15), err("42P01", "x", 16)).failures.length,
    0,
  );
  assert.equal(compareOutcomes(rec("rowsort"), err("22012", "x"), base).failures.length, 1);
  assert.equal(compareOutcomes(rec("rowsort"), base, err("22012", "x")).failures.length, 1);
  const plan: Outcome = {
    ok: true,
    results: [{
      tag: "EXPLAIN",
      columns: [{ name: "QUERY PLAN", typeOid: 25 }],
      rows: [["Seq Scan"]],
    }],
  };
  const otherPlan: Outcome = {
    ok: true,
    results: [{
      tag: "EXPLAIN",
      columns: [{ name: "QUERY PLAN", typeOid: 25 }],
      rows: [["Index Scan"], ["x"]],
    }],
  };
  assert.deepEqual(compareOutcomes(rec("plan"), plan, otherPlan).failures, []);
  const emptyPlan: Outcome = {
    ok: true,
    results: [{ tag: "EXPLAIN", columns: [{ name: "QUERY PLAN", typeOid: 25 }], rows: [] }],
  };
  assert.equal(compareOutcomes(rec("plan"), plan, emptyPlan).failures.length, 1);
});

/** Runs steps outside Deno's t.step so expected failures can be inspected. */
function collectSteps() {
  const failures = new Map<string, string>();
  const step = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
      return true;
    } catch (e) {
      failures.set(name, String(e));
      return false;
    }
  };
  return { step, failures };
}

Deno.test({
  name: "runner passes a file on identical databases and fails the cases that really differ",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const pg = await PgSide.start();
    try {
      const a = await pg.freshDatabase();
      const b = await pg.extraDatabase("compat_other");
      const admin = await (await pg.extraDatabase("compat_admin")).connect();
      // A real difference: the second database prints floats with fewer digits.
      const set = await admin.run("ALTER DATABASE compat_other SET extra_float_digits = 0");
      assert.ok(set.ok);
      const records = parseSlt(
        [
          "statement ok",
          "CREATE TABLE f (x float8)",
          "",
          "statement ok",
          "INSERT INTO f VALUES (0.1), (0.2)",
          "",
          "query",
          "SELECT sum(x) FROM f",
          "",
          "query",
          "SELECT count(*) FROM f",
          "",
          "statement error 22012",
          "SELECT 1 / 0",
          "",
          "statement error 22012",
          "SELECT 1",
        ].join("\n"),
        "diff.slt",
      );
      const { step, failures } = collectSteps();
      const stats = await runRecords(step, "diff.slt", records, { pg: a, bkg: b });
      assert.deepEqual([stats.cases, stats.passed, stats.failed], [6, 4, 2]);
      assert.deepEqual([...failures.keys()], [
        "diff.slt:7 SELECT sum(x) FROM f",
        "diff.slt:16 SELECT 1",
      ]);
      assert.match(
        failures.get("diff.slt:7 SELECT sum(x) FROM f")!,
        /0\.30000000000000004.*\n.*0\.3"/s,
      );
      assert.match(failures.get("diff.slt:16 SELECT 1")!, /broken case/);
      await admin.close();
    } finally {
      await pg.stop();
    }
  },
});

/** A real PostgreSQL database that loses the first row of every INSERT into t0: a buggy twin. */
function lossyTwin(db: SideDatabase): SideDatabase {
  return {
    async connect(): Promise<SideConnection> {
      const c = await db.connect();
      return {
        async run(sql: string) {
          const out = await c.run(sql);
          if (out.ok && sql.startsWith("INSERT INTO t0 ")) {
            await c.run("DELETE FROM t0 WHERE ctid = (SELECT min(ctid) FROM t0)");
          }
          return out;
        },
        close: () => c.close(),
      };
    },
    close: () => db.close(),
  };
}

Deno.test({
  name: "fuzzer finds a real difference between two databases and shrinks the query",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const pg = await PgSide.start();
    try {
      let twin = 0;
      const report = await fuzz(pg, {
        seed: 7,
        queries: 300,
        queriesPerSchema: 100,
        withBkg: true,
        openOther: async () => lossyTwin(await pg.extraDatabase(`compat_twin_${twin++}`)),
      });
      assert.deepEqual(report.generatorBugs, []);
      const m = report.mismatch;
      assert.ok(m !== null, "the lossy twin must be caught");
      assert.ok(m.minimal.length <= m.sql.length, "shrinking never grows the query");
      assert.match(m.minimal, /\bt0\b/);
      assert.ok(m.differences.length > 0);
    } finally {
      await pg.stop();
    }
  },
});

Deno.test({
  name: "fuzzer's queries all run on PostgreSQL without being rejected as malformed",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const pg = await PgSide.start();
    try {
      const report = await fuzz(pg, { seed: 11, queries: 300, withBkg: false });
      assert.equal(report.queries, 300);
      assert.deepEqual(report.generatorBugs, []);
      assert.ok((report.pgOutcomes.get("ok") ?? 0) >= 280, JSON.stringify([...report.pgOutcomes]));
    } finally {
      await pg.stop();
    }
  },
});
