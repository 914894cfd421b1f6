/**
 * @module End-to-end SQL through `db.connect().execute()`: DDL, DML, constraints, transactions,
 * savepoints, the failed state, prepared statements and their plan cache, timeouts and cancel.
 */
import { deepStrictEqual as assertEquals, rejects } from "node:assert/strict";
import { DbError } from "../../../db/sqlstate.ts";
import { engine, errorCode, rows, run } from "./helpers.ts";

Deno.test("session runs DDL and DML with PostgreSQL's command tags", async () => {
  const { s, cleanup } = await engine();
  try {
    assertEquals(
      (await run(s, "CREATE TABLE t (id serial PRIMARY KEY, name text NOT NULL, v int DEFAULT 7)"))
        .command,
      "CREATE TABLE",
    );
    const ins = await run(s, "INSERT INTO t (name) VALUES ('a'), ('b') RETURNING id, v");
    assertEquals(ins.command, "INSERT 0 2");
    assertEquals(ins.rows, [[1, 7], [2, 7]]);
    assertEquals((await run(s, "UPDATE t SET v = v + 1 WHERE name = 'a'")).command, "UPDATE 1");
    assertEquals((await run(s, "DELETE FROM t WHERE id = 2")).command, "DELETE 1");
    assertEquals(await rows(s, "SELECT id, name, v FROM t ORDER BY id"), [["1", "a", "8"]]);
    const sel = await run(s, "SELECT count(*) AS n FROM t");
    assertEquals(sel.command, "SELECT 1");
    assertEquals(sel.columns?.[0]?.name, "n");
    assertEquals(sel.columns?.[0]?.typeOid, 20);
  } finally {
    await cleanup();
  }
});

Deno.test("constraints raise PostgreSQL's SQLSTATEs", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute(
      `CREATE TABLE p (id int PRIMARY KEY, v int CHECK (v > 0), w text NOT NULL DEFAULT 'x');
      CREATE TABLE c (id int PRIMARY KEY, pid int REFERENCES p (id) ON DELETE CASCADE)`,
    );
    await s.execute("INSERT INTO p VALUES (1, 1), (2, 2)");
    assertEquals(await errorCode(s, "INSERT INTO p VALUES (1, 5)"), "23505");
    assertEquals(await errorCode(s, "INSERT INTO p VALUES (3, -1)"), "23514");
    assertEquals(await errorCode(s, "INSERT INTO p (id, v, w) VALUES (4, 1, NULL)"), "23502");
    assertEquals(await errorCode(s, "INSERT INTO c VALUES (1, 99)"), "23503");
    await s.execute("INSERT INTO c VALUES (1, 1), (2, 2)");
    await s.execute("DELETE FROM p WHERE id = 1");
    assertEquals(await rows(s, "SELECT id FROM c ORDER BY id"), [["2"]]);
    assertEquals(await errorCode(s, "SELECT nosuch FROM p"), "42703");
    assertEquals(await errorCode(s, "SELECT * FROM nosuch"), "42P01");
    assertEquals(await errorCode(s, "SELEC 1"), "42601");
  } finally {
    await cleanup();
  }
});

Deno.test("a failed transaction block refuses statements until ROLLBACK", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE TABLE t (id int PRIMARY KEY)");
    await s.execute("BEGIN");
    await s.execute("INSERT INTO t VALUES (1)");
    assertEquals(s.transactionStatus, "T");
    assertEquals(await errorCode(s, "INSERT INTO t VALUES (1)"), "23505");
    assertEquals(s.transactionStatus, "E");
    assertEquals(await errorCode(s, "SELECT 1"), "25P02");
    assertEquals((await run(s, "COMMIT")).command, "ROLLBACK");
    assertEquals(s.transactionStatus, "I");
    assertEquals(await rows(s, "SELECT count(*) FROM t"), [["0"]]);
  } finally {
    await cleanup();
  }
});

Deno.test("savepoints roll back part of a transaction", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE TABLE t (id int PRIMARY KEY)");
    await s.execute("BEGIN; INSERT INTO t VALUES (1); SAVEPOINT a; INSERT INTO t VALUES (2)");
    await errorCode(s, "INSERT INTO t VALUES (2)");
    await s.execute("ROLLBACK TO SAVEPOINT a");
    await s.execute("INSERT INTO t VALUES (3); COMMIT");
    assertEquals(await rows(s, "SELECT id FROM t ORDER BY id"), [["1"], ["3"]]);
  } finally {
    await cleanup();
  }
});

Deno.test("DDL is transactional: a rolled-back CREATE TABLE leaves nothing", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("BEGIN; CREATE TABLE gone (a int); INSERT INTO gone VALUES (1); ROLLBACK");
    assertEquals(await errorCode(s, "SELECT * FROM gone"), "42P01");
    await s.execute("BEGIN; CREATE TABLE kept (a int); COMMIT");
    assertEquals(await rows(s, "SELECT count(*) FROM kept"), [["0"]]);
  } finally {
    await cleanup();
  }
});

Deno.test("prepared statements infer parameter types and re-plan after DDL", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE TABLE acc (id int PRIMARY KEY, bal int)");
    await s.execute("INSERT INTO acc SELECT g, g * 10 FROM generate_series(1, 100) g");
    const info = s.prepare("get", "SELECT bal FROM acc WHERE id = $1", []);
    assertEquals(info.paramTypes, [23]);
    assertEquals(info.columns?.map((c) => c.name), ["bal"]);
    assertEquals((await s.executePrepared("get", [42])).rows, [[420]]);
    await s.execute("ALTER TABLE acc ADD COLUMN note text DEFAULT 'n'");
    await s.execute("UPDATE acc SET bal = 1 WHERE id = 42");
    assertEquals((await s.executePrepared("get", ["42"])).rows, [[1]]);
    await s.execute("PREPARE two (int) AS SELECT note FROM acc WHERE id = $1");
    assertEquals(await rows(s, "EXECUTE two(7)"), [["n"]]);
  } finally {
    await cleanup();
  }
});

Deno.test("statement_timeout cancels a long statement with 57014", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("SET statement_timeout = 50");
    const err = await s.execute(
      "SELECT count(*) FROM generate_series(1, 20000) a, generate_series(1, 20000) b",
    )
      .then(() => null, (e) => e as DbError);
    assertEquals(err?.code, "57014");
    assertEquals(err?.message, "canceling statement due to statement timeout");
    void rejects;
    await s.execute("RESET statement_timeout");
    assertEquals(await rows(s, "SELECT 1"), [["1"]]);
  } finally {
    await cleanup();
  }
});

Deno.test("cancel makes the running statement fail with 57014", async () => {
  const { s, cleanup } = await engine();
  try {
    const running = s.execute(
      "SELECT count(*) FROM generate_series(1, 20000) a, generate_series(1, 20000) b",
    );
    setTimeout(() => s.cancel(), 20);
    const err = await running.then(() => null, (e) => e as DbError);
    assertEquals(err?.code, "57014");
    assertEquals(err?.message, "canceling statement due to user request");
  } finally {
    await cleanup();
  }
});

Deno.test("settings: SET, SET LOCAL, SHOW, current_setting and set_config", async () => {
  const { s, cleanup } = await engine();
  try {
    assertEquals(await rows(s, "SHOW server_version_num"), [["150008"]]);
    await s.execute("SET application_name = 'bkg'");
    assertEquals(await rows(s, "SELECT current_setting('application_name')"), [["bkg"]]);
    await s.execute("BEGIN; SET LOCAL TimeZone = 'Europe/Paris'");
    assertEquals(await rows(s, "SHOW TimeZone"), [["Europe/Paris"]]);
    await s.execute("COMMIT");
    assertEquals(await rows(s, "SHOW TimeZone"), [["UTC"]]);
    assertEquals(await rows(s, "SELECT set_config('my.x', '5', false), current_setting('my.x')"), [[
      "5",
      "5",
    ]]);
    assertEquals(await errorCode(s, "SET extra_float_digits = 10"), "22023");
  } finally {
    await cleanup();
  }
});

Deno.test("NOTIFY is delivered at commit to listening sessions, not after rollback", async () => {
  const { db, s, cleanup } = await engine();
  const other = await db.connect({ user: "postgres", database: "postgres" });
  try {
    const heard: string[] = [];
    other.onNotification = (channel, payload) => heard.push(`${channel}:${payload}`);
    await other.execute("LISTEN jobs");
    await s.execute("BEGIN; NOTIFY jobs, 'one'; SELECT pg_notify('jobs', 'two')");
    assertEquals(heard, []);
    await s.execute("COMMIT");
    assertEquals(heard, ["jobs:one", "jobs:two"]);
    await s.execute("BEGIN; NOTIFY jobs, 'lost'; ROLLBACK");
    await s.execute("NOTIFY other_channel");
    assertEquals(heard, ["jobs:one", "jobs:two"]);
  } finally {
    await other.close();
    await cleanup();
  }
});

Deno.test("COPY FROM STDIN and TO STDOUT in text and CSV", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE TABLE c (a int, b text, n numeric)");
    const r = await s.copyIn("COPY c FROM STDIN", [
      "1\thello\t1.5\n2\t\\N\t\\N\n",
      "3\tx\\ty\t7\n\\.\n",
    ]);
    assertEquals(r.command, "COPY 3");
    await s.copyIn("COPY c (a, b) FROM STDIN WITH (FORMAT csv, HEADER true)", [
      'a,b\n4,"q,""z"""\n',
    ]);
    assertEquals(await rows(s, "SELECT b FROM c WHERE a IN (3, 4) ORDER BY a"), [["x\ty"], [
      'q,"z"',
    ]]);
    const out = await s.copyOut("COPY (SELECT a, b FROM c ORDER BY a) TO STDOUT WITH (FORMAT csv)");
    assertEquals(out.command, "COPY 4");
    assertEquals(out.columns, 2);
    assertEquals(out.data, ["1,hello\n", "2,\n", "3,x\ty\n", '4,"q,""z"""\n']);
    const bad = await s.copyIn("COPY c FROM STDIN", ["1\t2\n"]).then(() => "", (e) => e.code);
    assertEquals(bad, "22P04");
  } finally {
    await cleanup();
  }
});

Deno.test("data-modifying CTEs and automatically updatable views", async () => {
  const { s, cleanup } = await engine();
  try {
    await s.execute("CREATE TABLE emp (id int PRIMARY KEY, dept text, pay int)");
    await s.execute("INSERT INTO emp VALUES (1, 'eng', 10), (2, 'ops', 20), (3, 'eng', 30)");
    await s.execute("CREATE VIEW eng AS SELECT id, pay FROM emp WHERE dept = 'eng'");
    assertEquals((await run(s, "UPDATE eng SET pay = pay + 1")).command, "UPDATE 2");
    assertEquals(await rows(s, "SELECT id, pay FROM emp ORDER BY id"), [["1", "11"], ["2", "20"], [
      "3",
      "31",
    ]]);
    const moved = await rows(
      s,
      "WITH gone AS (DELETE FROM emp WHERE dept = 'ops' RETURNING id) SELECT count(*) FROM gone",
    );
    assertEquals(moved, [["1"]]);
    assertEquals(await rows(s, "SELECT count(*) FROM emp"), [["2"]]);
  } finally {
    await cleanup();
  }
});
