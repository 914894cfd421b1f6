/**
 * The extended protocol, COPY and asynchronous messages over the real engine, compared message
 * by message with PostgreSQL 15: the same frontend messages go to both servers and the replies
 * must match (message types, SQLSTATEs and texts, command tags, row descriptions, and DataRow
 * bytes in text and binary formats). Covers the implicit transaction of a pipeline (an error
 * rolls back the Executes before it), portal row limits, parameter type inference, binary
 * parameters and results, the empty query, several statements in one Query, ParameterStatus on
 * SET, notices, the failed-transaction state, and COPY in (with CopyFail) and out.
 */
import assert from "node:assert/strict";
import { startPostgres } from "../helpers/pg.ts";
import { runClient, startEngineServer } from "./engine_server.ts";
import {
  type BackendMessage,
  errorFields,
  fe,
  i16,
  i32,
  message,
  WireClient,
} from "./wire_client.ts";

const dec = new TextDecoder();
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** A Bind with per-parameter formats and raw values, and result formats. */
function bindRaw(
  portal: string,
  stmt: string,
  params: { format: 0 | 1; value: Uint8Array | null }[],
  resultFormats: number[],
): Uint8Array {
  return message(
    "B",
    portal,
    stmt,
    i16(params.length),
    ...params.map((p) => i16(p.format)),
    i16(params.length),
    ...params.map((p) => p.value === null ? i32(-1) : [...i32(p.value.length), ...p.value]),
    i16(resultFormats.length),
    ...resultFormats.map(i16),
  );
}

function int8Bytes(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, v);
  return b;
}

/** The comparable content of a backend message (OIDs of user tables differ, so they are left out). */
function normalize(m: BackendMessage): string {
  const v = new DataView(m.body.buffer, m.body.byteOffset, m.body.byteLength);
  switch (m.type) {
    case "E":
    case "N": {
      const f = errorFields(m.body);
      return `${m.type} ${f.S} ${f.C} ${f.M}${f.D ? ` / ${f.D}` : ""}`;
    }
    case "D":
      return `D ${hex(m.body)}`;
    case "C":
      return `C ${dec.decode(m.body.subarray(0, -1))}`;
    case "S": {
      const [name, value] = dec.decode(m.body).split("\0");
      return `S ${name}=${value}`;
    }
    case "Z":
      return `Z ${String.fromCharCode(m.body[0]!)}`;
    case "t": {
      const n = v.getInt16(0);
      return `t ${Array.from({ length: n }, (_, i) => v.getUint32(2 + 4 * i)).join(",")}`;
    }
    case "T": {
      const cols: string[] = [];
      let p = 2;
      for (let i = 0; i < v.getInt16(0); i++) {
        const end = m.body.indexOf(0, p);
        const name = dec.decode(m.body.subarray(p, end));
        p = end + 1;
        const attnum = v.getInt16(p + 4);
        const type = v.getUint32(p + 6);
        const len = v.getInt16(p + 10);
        const typmod = v.getInt32(p + 12);
        const format = v.getInt16(p + 16);
        cols.push(`${name}:${attnum}:${type}:${len}:${typmod}:${format}`);
        p += 18;
      }
      return `T ${cols.join(" ")}`;
    }
    case "G":
    case "H":
      return `${m.type} ${hex(m.body)}`;
    case "d":
      return `d ${dec.decode(m.body)}`;
    default:
      return m.type;
  }
}

interface Step {
  name: string;
  send: Uint8Array[];
  /** For COPY FROM STDIN: after CopyInResponse ('G'), these are sent. */
  copyIn?: Uint8Array[];
  /** ReadyForQuery messages that end the step. */
  readies?: number;
}

const longText = "x".repeat(300);
const steps: Step[] = [
  { name: "create", send: [fe.query("create table pipe (id int primary key, v text)")] },
  {
    name: "an error in a pipeline rolls back the Executes before it",
    send: [
      fe.parse("", "insert into pipe values ($1, $2)"),
      fe.bind("", "", ["1", "a"]),
      fe.execute(""),
      fe.parse("", "insert into pipe values ($1, $2)"),
      fe.bind("", "", ["1", "b"]),
      fe.execute(""),
      fe.sync(),
      fe.query("select count(*) from pipe"),
    ],
    readies: 2,
  },
  {
    name: "a pipeline without errors commits at Sync",
    send: [
      fe.parse("ins", "insert into pipe values ($1, $2) returning id, v"),
      fe.bind("", "ins", ["1", "a"]),
      fe.execute(""),
      fe.bind("", "ins", ["2", longText]),
      fe.execute(""),
      fe.sync(),
      fe.query("select id, length(v) from pipe order by id"),
    ],
    readies: 2,
  },
  {
    name: "portal row limits suspend and resume",
    send: [
      fe.parse("s1", "select g, g::text || 'x' as s from generate_series(1, 5) g"),
      fe.bind("p1", "s1"),
      fe.describe("P", "p1"),
      fe.execute("p1", 2),
      fe.execute("p1", 2),
      fe.execute("p1", 2),
      fe.sync(),
    ],
  },
  {
    name: "binary results of the common types",
    send: [
      fe.parse(
        "",
        "select 42::int4 as i4, (-7)::int2 as i2, 9000000000::int8 as i8, 'hé'::text as t, true as b, 12.340::numeric as n1, -0.5::numeric as n2, 0::numeric as n0, '2024-02-29 12:34:56.789+00'::timestamptz as tz, '2024-02-29 12:34:56'::timestamp as ts, '\\x00ff10'::bytea as by, '{1,NULL,3}'::int4[] as arr, '{\"a\": [1, 2]}'::jsonb as j, 1.5::float8 as f8, 2.25::float4 as f4, '2024-01-02'::date as d, '1 day 02:03:04.5'::interval as iv, 'abc'::varchar(5) as vc, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid as u, '{a,\"b c\"}'::text[] as ta",
      ),
      fe.bind("", "", [], [1]),
      fe.describe("P", ""),
      fe.execute(""),
      fe.sync(),
    ],
  },
  {
    name: "the same values in text",
    send: [
      fe.parse(
        "",
        "select 12.340::numeric as n1, '2024-02-29 12:34:56.789+00'::timestamptz as tz, '\\x00ff10'::bytea as by, '{1,NULL,3}'::int4[] as arr, '{\"a\": [1, 2]}'::jsonb as j, 1.5::float8 as f8, '1 day 02:03:04.5'::interval as iv, '{a,\"b c\"}'::text[] as ta",
      ),
      fe.bind("", ""),
      fe.execute(""),
      fe.sync(),
    ],
  },
  {
    name: "parameter types are inferred; binary parameters decode",
    send: [
      fe.parse("infer", "select $1::int8 + $2 as sum, $3 || 'x' as cat, $4::int4[] as arr"),
      fe.describe("S", "infer"),
      bindRaw("", "infer", [
        { format: 1, value: int8Bytes(40n) },
        { format: 0, value: new TextEncoder().encode("2") },
        { format: 0, value: new TextEncoder().encode("ab") },
        { format: 0, value: new TextEncoder().encode("{4,5}") },
      ], [0]),
      fe.execute(""),
      bindRaw("", "infer", [
        { format: 0, value: new TextEncoder().encode("1") },
        { format: 0, value: null },
        { format: 0, value: null },
        { format: 0, value: null },
      ], [1]),
      fe.execute(""),
      fe.sync(),
    ],
  },
  {
    name: "bad parameters fail at Bind",
    send: [
      fe.parse("", "select $1::int4 as v"),
      fe.bind("", "", ["twelve"]),
      fe.execute(""),
      fe.sync(),
      bindRaw("", "infer", [
        { format: 1, value: Uint8Array.of(1, 2, 3) },
        { format: 0, value: null },
        { format: 0, value: null },
        { format: 0, value: null },
      ], []),
      fe.sync(),
      bindRaw("", "infer", [
        { format: 1, value: new Uint8Array(9) },
        { format: 0, value: null },
        { format: 0, value: null },
        { format: 0, value: null },
      ], []),
      fe.sync(),
    ],
    readies: 3,
  },
  {
    name: "an INSERT describes as NoData; the empty query answers EmptyQueryResponse",
    send: [
      fe.parse("ins2", "insert into pipe values ($1, 'z')"),
      fe.describe("S", "ins2"),
      fe.parse("", ""),
      fe.bind("", ""),
      fe.describe("P", ""),
      fe.execute(""),
      fe.sync(),
      fe.query(""),
    ],
    readies: 2,
  },
  {
    name: "several statements in one Query stop at the first error",
    send: [fe.query("select 1 as a; select 1/0; select 2 as b")],
  },
  {
    name: "SET of a reported setting sends ParameterStatus",
    send: [
      fe.query("set timezone = 'Europe/Berlin'"),
      fe.query("select '2024-07-01 12:00:00+00'::timestamptz::text as t"),
      fe.query("set application_name = 'engine test'; reset timezone"),
    ],
    readies: 3,
  },
  { name: "COMMIT outside a transaction is a warning", send: [fe.query("commit")] },
  {
    name: "an error in a transaction block fails it until ROLLBACK",
    send: [
      fe.query("begin"),
      fe.query("insert into pipe values (10, 'ten')"),
      fe.query("select 1/0"),
      fe.query("select 1"),
      fe.query("rollback"),
      fe.query("select count(*) from pipe where id = 10"),
    ],
    readies: 6,
  },
  {
    name: "COPY FROM STDIN loads text rows",
    send: [fe.query("copy pipe from stdin")],
    copyIn: [fe.copyData("20\ttwenty\n21\t\\N\n"), fe.copyData("22\ttab\\there\n"), fe.copyDone()],
  },
  {
    name: "CopyFail in a transaction block fails the block",
    send: [fe.query("begin"), fe.query("copy pipe (id, v) from stdin with (format csv)")],
    copyIn: [fe.copyData("30,thirty\n"), fe.copyFail("client gave up")],
    readies: 2,
  },
  { name: "rollback after CopyFail", send: [fe.query("rollback")] },
  {
    name: "COPY TO STDOUT in text and csv",
    send: [
      fe.query("copy (select id, v from pipe where id >= 20 order by id) to stdout"),
      fe.query("copy (select 1 as a, 'x,y' as b, null as c) to stdout with (format csv, header)"),
    ],
    readies: 2,
  },
];

/** Runs every step on one connection; returns the normalized replies per step. */
async function run(port: number, login: (c: WireClient) => Promise<void>): Promise<string[][]> {
  const c = await WireClient.connect(port);
  try {
    await login(c);
    const out: string[][] = [];
    for (const step of steps) {
      await c.send(...step.send);
      const got: string[] = [];
      let readies = step.readies ?? step.send.filter((m) => m[0] === 0x51 || m[0] === 0x53).length;
      while (readies > 0) {
        const m = await c.read();
        if (m === null) throw new Error(`closed in step ${step.name}: ${got.join(" | ")}`);
        got.push(normalize(m));
        if (m.type === "G" && step.copyIn) await c.send(...step.copyIn);
        if (m.type === "Z") readies--;
      }
      out.push(got);
    }
    return out;
  } finally {
    c.close();
  }
}

Deno.test("the extended protocol, COPY and async messages match PostgreSQL 15 over the engine", async () => {
  const oracle = await startPostgres();
  const bkg = await startEngineServer();
  try {
    const expected = await run(oracle.port, async (c) => {
      await c.send(fe.startup({ user: "postgres", database: "postgres" }));
      await c.until("Z");
    });
    // service_role, as in Supabase, has only USAGE on schema public (PostgreSQL 15 rules); the
    // steps create tables, so the admin lets it.
    const grant = await runClient(
      "psql",
      ["-X", "-c", "GRANT CREATE ON SCHEMA public TO service_role"],
      bkg.libpqEnv,
    );
    assert.equal(grant.code, 0, grant.stderr);
    const token = await bkg.token("service_role");
    const got = await run(bkg.pgPort, async (c) => {
      await c.send(fe.startup({ user: "service_role", database: "postgres" }));
      await c.read();
      await c.send(fe.password(token));
      await c.until("Z");
    });
    for (const [i, step] of steps.entries()) {
      assert.deepEqual(got[i], expected[i], `step "${step.name}"`);
    }
  } finally {
    await bkg.stop();
    await oracle.stop();
  }
});
