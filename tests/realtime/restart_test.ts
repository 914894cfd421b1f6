/**
 * @module The realtime resume window across `bkg serve` restarts: a client that saw an LSN before
 * a SIGTERM restart, or before a kill -9, resumes after it on the new server and gets exactly the
 * commits it missed, in order, then live ones.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { JwtVerifier } from "../../src/auth/mod.ts";
import { BkgProcess, freePort, tempDir } from "../helpers/process.ts";
import { engineJwtSecret, enginePassword } from "../pgwire/engine_server.ts";
import { RawClient } from "./raw_client.ts";
import { waitFor } from "./server.ts";

const verifier = new JwtVerifier({ secret: engineJwtSecret });
const cfg = { postgres_changes: [{ event: "INSERT", schema: "public", table: "log" }] };

async function start(dataDir: string) {
  const pgPort = freePort();
  const proc = await BkgProcess.start(dataDir, {
    args: ["--pg-port", String(pgPort), "--sandboxes", "off", "--log-level", "warn"],
    env: { BKG_ADMIN_PASSWORD: enginePassword, BKG_JWT_SECRET: engineJwtSecret },
  });
  const sql = postgres({
    host: "127.0.0.1",
    port: pgPort,
    user: "postgres",
    password: enginePassword,
    database: "postgres",
    max: 1,
    onnotice: () => {},
  });
  return { proc, sql, wsUrl: `ws://127.0.0.1:${proc.httpPort}/realtime/v1` };
}

type Server = Awaited<ReturnType<typeof start>>;

async function joined(s: Server, topic: string, resumeLsn?: string) {
  const c = await RawClient.open(
    s.wsUrl,
    await verifier.sign({ role: "authenticated" }, { expiresInS: 600 }),
  );
  const reply = await c.join(
    topic,
    resumeLsn === undefined ? cfg : { ...cfg, resume_lsn: resumeLsn },
  );
  assert.equal(reply.payload.status, "ok", JSON.stringify(reply.payload));
  return c;
}

const ids = (c: RawClient) => c.changes().map((d) => (d.record as Record<string, unknown>).id);

Deno.test("realtime resumes from an LSN seen before a restart and before a kill -9", async () => {
  const dir = await tempDir("bkg-rt-restart-");
  let s = await start(dir.path);
  try {
    await s.sql`create table log (id int primary key)`;
    let c = await joined(s, "realtime:log");
    for (let i = 1; i <= 3; i++) await s.sql`insert into log values (${i})`;
    await waitFor(() => c.changes().length === 3, "three events");
    const seen = c.changes().map((d) => String(d.lsn));
    await c.close();

    // An orderly restart.
    await s.sql.end({ timeout: 2 });
    s.proc.kill("SIGTERM");
    assert.equal((await s.proc.finish()).code, 0);
    s = await start(dir.path);
    await s.sql`insert into log values (4)`;
    c = await joined(s, "realtime:log", seen[0]);
    await s.sql`insert into log values (5)`;
    await waitFor(() => c.changes().length === 4, "replay and live");
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(ids(c), [2, 3, 4, 5]);
    const lsn5 = String(c.changes()[3]!.lsn);
    await c.close();

    // kill -9: what a client saw was written to the ring before it was sent.
    c = await joined(s, "realtime:log");
    await s.sql`insert into log values (6)`;
    await waitFor(() => c.changes().length === 1, "event 6");
    await c.close();
    s.proc.kill("SIGKILL");
    await s.proc.finish();
    await s.sql.end({ timeout: 1 }).catch(() => {});
    s = await start(dir.path);
    c = await joined(s, "realtime:log", lsn5);
    await s.sql`insert into log values (7)`;
    await waitFor(() => c.changes().length === 2, "6 replayed, 7 live");
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(ids(c), [6, 7]);
    await c.close();
  } finally {
    await s.sql.end({ timeout: 1 }).catch(() => {});
    s.proc.kill("SIGTERM");
    await s.proc.finish();
    await dir.remove();
  }
});
