/**
 * Message scripts (tests/pgwire/scripts/*.pgtest, after CockroachDB's pgtest) run against
 * PostgreSQL 15 — the oracle — and against the listener over the test backend; both must answer
 * exactly as the script expects. Format, one directive per line (`#` starts a comment):
 *
 *   send <Message> <args…>     queued; every queued message goes out in one write before the
 *                              next expect (so a run of sends is a pipeline)
 *   expect <Message> <summary…> the next backend message and its summary
 *
 * Arguments are bare words or JSON strings; `null` is a NULL parameter. Sends: Query sql;
 * Parse name sql oid…; Bind portal statement value…; Describe S|P name; Execute portal maxRows;
 * Close S|P name; Sync; Flush; CopyData text; CopyDone; CopyFail reason. Summaries:
 * RowDescription names, DataRow values, CommandComplete tag, ErrorResponse SQLSTATE,
 * ReadyForQuery status, ParameterDescription oids, CopyData text, CopyIn/OutResponse formats.
 */
import assert from "node:assert/strict";
import { startPostgres } from "../helpers/pg.ts";
import {
  type BackendMessage,
  dataRow,
  errorFields,
  fe,
  loginAnon,
  startTestServer,
  WireClient,
} from "./wire_client.ts";

const names: Record<string, string> = {
  "1": "ParseComplete",
  "2": "BindComplete",
  "3": "CloseComplete",
  C: "CommandComplete",
  D: "DataRow",
  E: "ErrorResponse",
  I: "EmptyQueryResponse",
  n: "NoData",
  s: "PortalSuspended",
  t: "ParameterDescription",
  T: "RowDescription",
  Z: "ReadyForQuery",
  G: "CopyInResponse",
  H: "CopyOutResponse",
  d: "CopyData",
  c: "CopyDone",
};

function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : m[2]!);
  return out;
}

function build(args: string[]): Uint8Array {
  const [type, ...a] = args;
  const nul = (v: string) => (v === "null" ? null : v);
  switch (type) {
    case "Query":
      return fe.query(a[0]!);
    case "Parse":
      return fe.parse(a[0]!, a[1]!, a.slice(2).map(Number));
    case "Bind":
      return fe.bind(a[0]!, a[1]!, a.slice(2).map(nul));
    case "Describe":
      return fe.describe(a[0] as "S" | "P", a[1]!);
    case "Execute":
      return fe.execute(a[0]!, Number(a[1] ?? 0));
    case "Close":
      return fe.close(a[0] as "S" | "P", a[1]!);
    case "Sync":
      return fe.sync();
    case "Flush":
      return fe.flush();
    case "CopyData":
      return fe.copyData(a[0]!);
    case "CopyDone":
      return fe.copyDone();
    case "CopyFail":
      return fe.copyFail(a[0]!);
  }
  throw new Error(`unknown message ${type}`);
}

function summary(m: BackendMessage): string[] {
  const name = names[m.type] ?? `type ${m.type}`;
  const text = () => new TextDecoder().decode(m.body);
  const v = new DataView(m.body.buffer, m.body.byteOffset, m.body.byteLength);
  switch (m.type) {
    case "T": {
      const out = [name];
      let p = 2;
      for (let i = 0; i < v.getInt16(0); i++) {
        const end = m.body.indexOf(0, p);
        out.push(new TextDecoder().decode(m.body.subarray(p, end)));
        p = end + 1 + 18;
      }
      return out;
    }
    case "D":
      return [name, ...dataRow(m.body).map((x) => x ?? "null")];
    case "C":
      return [name, text().replace(/\0$/, "")];
    case "E":
      return [name, errorFields(m.body).C!];
    case "Z":
      return [name, text()];
    case "d":
      return [name, text()];
    case "G":
    case "H":
      return [
        name,
        ...Array.from(
          { length: v.getInt16(1) + 1 },
          (_, i) => String(i === 0 ? v.getInt8(0) : v.getInt16(1 + 2 * i)),
        ),
      ];
    case "t":
      return [
        name,
        ...Array.from({ length: v.getInt16(0) }, (_, i) => String(v.getInt32(2 + 4 * i))),
      ];
    default:
      return [name];
  }
}

async function runScript(client: WireClient, script: string, where: string): Promise<void> {
  let queued: Uint8Array[] = [];
  for (const [i, raw] of script.split("\n").entries()) {
    const line = raw.replace(/^\s*#.*$/, "").trim();
    if (line === "") continue;
    const [directive, ...rest] = tokens(line);
    if (directive === "send") queued.push(build(rest));
    else if (directive === "expect") {
      if (queued.length > 0) await client.send(...queued);
      queued = [];
      let got = await client.read();
      while (got?.type === "N" || got?.type === "S") got = await client.read(); // notices, settings
      assert.ok(got !== null, `${where}:${i + 1}: connection closed, expected ${line}`);
      assert.deepEqual(summary(got), rest, `${where}:${i + 1}`);
    } else throw new Error(`${where}:${i + 1}: unknown directive ${directive}`);
  }
}

const dir = new URL("./scripts/", import.meta.url);
const scripts = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".pgtest")).map((e) =>
  e.name
).sort();

Deno.test("pgtest scripts hold against PostgreSQL 15 and against the pgwire listener", async (t) => {
  const pg = await startPostgres();
  const server = await startTestServer();
  try {
    for (const name of scripts) {
      const script = await Deno.readTextFile(new URL(name, dir));
      await t.step(`${name} on PostgreSQL 15`, async () => {
        const client = await WireClient.connect(pg.port);
        try {
          await client.send(fe.startup({ user: "postgres", database: "postgres" }));
          await client.until("Z");
          await runScript(client, script, `${name} (PostgreSQL)`);
        } finally {
          client.close();
        }
      });
      await t.step(`${name} on pgwire`, async () => {
        const { client } = await loginAnon(server);
        try {
          await runScript(client, script, `${name} (pgwire)`);
        } finally {
          client.close();
        }
      });
    }
  } finally {
    await server.close();
    await pg.stop();
  }
});
