/**
 * Message-script tests of the pgwire listener (send bytes, expect messages, as CockroachDB's
 * pgtest): startup, simple and extended query, errors, COPY, notices, notifications, cancel.
 */
import assert from "node:assert/strict";
import {
  type BackendMessage,
  dataRow,
  errorFields,
  fe,
  loginAnon,
  startTestServer,
  type TestServer,
  WireClient,
} from "./wire_client.ts";

const types = (msgs: BackendMessage[]) => msgs.map((m) => m.type).join(" ");
const status = (msgs: BackendMessage[]) => String.fromCharCode(msgs.at(-1)!.body[0]!);
const errorOf = (msgs: BackendMessage[]) => errorFields(msgs.find((m) => m.type === "E")!.body);

async function withServer(f: (s: TestServer) => Promise<void>, opts = {}): Promise<void> {
  const server = await startTestServer(opts);
  try {
    await f(server);
  } finally {
    await server.close();
  }
}

async function session(server: TestServer, f: (c: WireClient) => Promise<void>): Promise<void> {
  const { client } = await loginAnon(server);
  try {
    await f(client);
  } finally {
    client.close();
  }
}

Deno.test("pgwire startup reports parameters, BackendKeyData and ReadyForQuery idle", async () => {
  await withServer(async (server) => {
    const { client, startup } = await loginAnon(server);
    client.close();
    assert.equal(startup[0]!.type, "R"); // AuthenticationOk
    const params = new Map(
      startup.filter((m) => m.type === "S").map((m) => {
        const [k, v] = new TextDecoder().decode(m.body).split("\0");
        return [k!, v!];
      }),
    );
    assert.match(params.get("server_version")!, /^15\./);
    for (
      const [k, v] of [
        ["server_encoding", "UTF8"],
        ["client_encoding", "UTF8"],
        ["DateStyle", "ISO, MDY"],
        ["integer_datetimes", "on"],
        ["standard_conforming_strings", "on"],
        ["IntervalStyle", "postgres"],
        ["is_superuser", "off"],
        ["session_authorization", "anon"],
        ["default_transaction_read_only", "off"],
        ["in_hot_standby", "off"],
        ["TimeZone", "UTC"],
      ]
    ) assert.equal(params.get(k!), v, k);
    assert.ok(startup.some((m) => m.type === "K" && m.body.length === 8));
    assert.equal(startup.at(-1)!.type, "Z");
    assert.equal(status(startup), "I");
    assert.equal(server.backend.started[0]!.claims?.role, "anon");
  });
});

Deno.test("pgwire answers SSLRequest and GSSENCRequest with N, then starts normally", async () => {
  await withServer(async (server) => {
    const c = await WireClient.connect(server.port);
    await c.send(fe.sslRequest());
    assert.equal(await c.byte(), "N");
    await c.send(fe.gssRequest());
    assert.equal(await c.byte(), "N");
    await c.send(
      fe.startup({ user: "anon", database: "postgres", options: "-c search_path=app", x: "1" }),
    );
    assert.equal((await c.read())!.type, "R");
    await c.send(fe.password(await server.token("anon")));
    assert.equal(types(await c.until("Z")).at(-1), "Z");
    c.close();
    const params = server.backend.started.at(-1)!.parameters;
    assert.equal(params.get("search_path"), "app");
    assert.equal(params.get("x"), "1");
  });
});

Deno.test("pgwire refuses an unsupported protocol version and a startup without a user", async () => {
  await withServer(async (server) => {
    const c = await WireClient.connect(server.port);
    await c.send(new Uint8Array([0, 0, 0, 8, 0, 2, 0, 0]));
    const got = await c.drain();
    assert.equal(errorOf(got).C, "0A000");
    assert.equal(errorOf(got).S, "FATAL");
    const d = await WireClient.connect(server.port);
    await d.send(fe.startup({ database: "postgres" }));
    assert.equal(errorOf(await d.drain()).C, "28000");
  });
});

Deno.test("pgwire simple query runs several statements and an empty query", async () => {
  await withServer((server) =>
    session(server, async (c) => {
      await c.send(fe.query("select 1; select generate_series(1, 3)"));
      const got = await c.until("Z");
      assert.equal(types(got), "T D C T D D D C Z");
      assert.deepEqual(dataRow(got[1]!.body), ["1"]);
      assert.equal(new TextDecoder().decode(got[7]!.body), "SELECT 3\0");
      await c.send(fe.query("  "));
      assert.equal(types(await c.until("Z")), "I Z");
    })
  );
});

Deno.test("pgwire errors carry every field and fail the transaction block until rollback", async () => {
  await withServer((server) =>
    session(server, async (c) => {
      await c.send(fe.query("begin"));
      assert.equal(status(await c.until("Z")), "T");
      await c.send(fe.query("select 1/0"));
      const got = await c.until("Z");
      assert.equal(types(got), "E Z");
      assert.equal(status(got), "E");
      assert.deepEqual(errorOf(got), {
        S: "ERROR",
        V: "ERROR",
        C: "22012",
        M: "division by zero",
        D: "a detail",
        H: "a hint",
        P: "9",
        W: "somewhere",
        s: "public",
        t: "t",
        c: "c",
        d: "int4",
        n: "k",
      });
      await c.send(fe.query("select 1"));
      const aborted = await c.until("Z");
      assert.equal(errorOf(aborted).C, "25P02");
      await c.send(fe.query("rollback"));
      assert.equal(status(await c.until("Z")), "I");
    })
  );
});

Deno.test("pgwire extended query: parse, bind with parameters, describe, execute, sync", async () => {
  await withServer((server) =>
    session(server, async (c) => {
      await c.send(
        fe.parse("s1", "select $1::int4 + 1 as n", [23]),
        fe.describe("S", "s1"),
        fe.bind("", "s1", ["41"]),
        fe.describe("P", ""),
        fe.execute(""),
        fe.sync(),
      );
      const got = await c.until("Z");
      assert.equal(types(got), "1 t T 2 T D C Z");
      assert.deepEqual(dataRow(got[5]!.body), ["42"]);
      // Binary result format: int4 42 + 1 as four bytes.
      await c.send(fe.bind("p", "s1", ["42"], [1]), fe.execute("p"), fe.sync());
      const bin = await c.until("Z");
      assert.equal(types(bin), "2 D C Z");
      assert.deepEqual([...bin[1]!.body], [0, 1, 0, 0, 0, 4, 0, 0, 0, 43]);
      // A NULL parameter and a bad one (22P02) in the same pipeline.
      await c.send(fe.bind("", "s1", [null]), fe.execute(""), fe.sync());
      assert.deepEqual(dataRow((await c.until("Z"))[1]!.body), [null]);
      await c.send(fe.bind("", "s1", ["x"]), fe.execute(""), fe.sync());
      assert.equal(errorOf(await c.until("Z")).C, "22P02");
    })
  );
});

Deno.test("pgwire portal row limits send PortalSuspended and resume", async () => {
  await withServer((server) =>
    session(server, async (c) => {
      await c.send(
        fe.query("begin"),
        fe.parse("", "select generate_series(1, 5)"),
        fe.bind("", ""),
        fe.execute("", 2),
        fe.execute("", 2),
        fe.execute("", 2),
        fe.sync(),
      );
      await c.until("Z");
      const got = await c.until("Z");
      assert.equal(types(got), "1 2 D D s D D s D C Z");
      assert.deepEqual(got.filter((m) => m.type === "D").map((m) => dataRow(m.body)[0]), [
        "1",
        "2",
        "3",
        "4",
        "5",
      ]);
    })
  );
});

Deno.test("pgwire skips every message after an error until Sync", async () => {
  await withServer((server) =>
    session(server, async (c) => {
      await c.send(
        fe.parse("", "no such statement"),
        fe.bind("", ""),
        fe.execute(""),
        fe.query("select 1"),
        fe.sync(),
        fe.query("select 1"),
      );
      const first = await c.until("Z");
      assert.equal(types(first), "E Z");
      assert.equal(errorOf(first).C, "42601");
      assert.equal(types(await c.until("Z")), "T D C Z");
    })
  );
});

Deno.test("pgwire named statements and portals: duplicates, close, unknown names", async () => {
  await withServer((server) =>
    session(server, async (c) => {
      await c.send(fe.parse("a", "select 1"), fe.parse("a", "select 1"), fe.sync());
      const dup = await c.until("Z");
      assert.equal(types(dup), "1 E Z");
      assert.equal(errorOf(dup).C, "42P05");
      await c.send(fe.close("S", "a"), fe.parse("a", "select 2"), fe.sync());
      assert.equal(types(await c.until("Z")), "3 1 Z");
      await c.send(fe.describe("S", "nope"), fe.sync());
      assert.equal(errorOf(await c.until("Z")).C, "26000");
      await c.send(fe.describe("P", "nope"), fe.sync());
      assert.equal(errorOf(await c.until("Z")).C, "34000");
      await c.send(fe.execute("nope"), fe.sync());
      assert.equal(errorOf(await c.until("Z")).C, "34000");
      await c.send(fe.bind("", "a", ["1"]), fe.sync());
      const mismatch = await c.until("Z");
      assert.equal(errorOf(mismatch).C, "08P01");
      assert.equal(errorOf(mismatch).S, "ERROR");
      await c.send(fe.bind("x", "a"), fe.bind("x", "a"), fe.sync());
      assert.equal(errorOf(await c.until("Z")).C, "42P03");
      await c.send(fe.query("select 1"));
      assert.equal(types(await c.until("Z")), "T D C Z");
    })
  );
});

Deno.test("pgwire Flush sends pending replies before Sync", async () => {
  await withServer((server) =>
    session(server, async (c) => {
      await c.send(fe.parse("", "select 1"), fe.flush());
      assert.equal((await c.read())!.type, "1");
      await c.send(fe.sync());
      assert.equal(types(await c.until("Z")), "Z");
    })
  );
});

Deno.test("pgwire COPY FROM STDIN, COPY TO STDOUT and CopyFail", async () => {
  await withServer((server) =>
    session(server, async (c) => {
      await c.send(fe.query("copy t from stdin"));
      const g = await c.read();
      assert.equal(g!.type, "G");
      await c.send(fe.copyData("a\nb"), fe.copyData("\nc\n"), fe.copyDone());
      const done = await c.until("Z");
      assert.equal(types(done), "C Z");
      assert.equal(new TextDecoder().decode(done[0]!.body), "COPY 3\0");
      await c.send(fe.query("copy t to stdout"));
      const out = await c.until("Z");
      assert.equal(types(out), "H d d d c C Z");
      assert.equal(new TextDecoder().decode(out[2]!.body), "b\n");
      await c.send(fe.query("copy t from stdin"));
      assert.equal((await c.read())!.type, "G");
      await c.send(fe.copyData("x\n"), fe.copyFail("client gave up"));
      const failed = await c.until("Z");
      assert.equal(errorOf(failed).C, "57014");
      assert.equal(errorOf(failed).M, "COPY from stdin failed: client gave up");
      assert.deepEqual(server.backend.table, ["a", "b", "c"]);
    })
  );
});

Deno.test("pgwire sends notices, ParameterStatus changes and notifications", async () => {
  await withServer(async (server) => {
    const { client: a } = await loginAnon(server);
    const { client: b } = await loginAnon(server);
    try {
      await a.send(fe.query("do notice"));
      const got = await a.until("Z");
      assert.equal(types(got), "N C Z");
      assert.equal(errorFields(got[0]!.body).S, "NOTICE");
      await a.send(fe.query("set application_name = 'x'"));
      assert.equal(types(await a.until("Z")), "S C Z");
      await a.send(fe.query("listen ch"));
      await a.until("Z");
      // Delivered while a is idle, without a query from a.
      await b.send(fe.query("notify ch, 'hello'"));
      await b.until("Z");
      const note = await a.read();
      assert.equal(note!.type, "A");
      assert.match(new TextDecoder().decode(note!.body), /ch\0hello\0$/);
      // Inside a transaction, delivery waits for commit.
      await b.send(fe.query("begin; notify ch, 'later'"));
      await b.until("Z");
      await b.send(fe.query("commit"));
      await b.until("Z");
      assert.match(new TextDecoder().decode((await a.read())!.body), /later/);
    } finally {
      a.close();
      b.close();
    }
  });
});

Deno.test("pgwire CancelRequest cancels only the session whose key it carries", async () => {
  await withServer(async (server) => {
    const a = await loginAnon(server);
    const b = await loginAnon(server);
    const key = (m: BackendMessage[]) => {
      const k = m.find((x) => x.type === "K")!;
      const v = new DataView(k.body.buffer, k.body.byteOffset);
      return { pid: v.getInt32(0), secret: v.getInt32(4) };
    };
    const ka = key(a.startup);
    const kb = key(b.startup);
    try {
      await a.client.send(fe.query("select pg_sleep(10)"));
      await b.client.send(fe.query("select pg_sleep(10)"));
      await new Promise((r) => setTimeout(r, 50));
      const cancel = async (pid: number, secret: number) => {
        const c = await WireClient.connect(server.port);
        await c.send(fe.cancel(pid, secret));
        assert.deepEqual(await c.drain(), []);
      };
      await cancel(ka.pid, ka.secret ^ 1); // wrong key: ignored
      await cancel(kb.pid, kb.secret);
      const gotB = await b.client.until("Z");
      assert.equal(errorOf(gotB).C, "57014");
      assert.equal(errorOf(gotB).M, "canceling statement due to user request");
      // a is still sleeping: cancel it too, and it ends with 57014 well before its 10 s.
      const t0 = Date.now();
      await cancel(ka.pid, ka.secret);
      assert.equal(errorOf(await a.client.until("Z")).C, "57014");
      assert.ok(Date.now() - t0 < 2000);
    } finally {
      a.client.close();
      b.client.close();
    }
  });
});

Deno.test("pgwire refuses an unknown database with 3D000 and a bad JWT with 28P01", async () => {
  await withServer(async (server) => {
    const c = await WireClient.connect(server.port);
    await c.send(fe.startup({ user: "anon", database: "nope" }));
    await c.read();
    await c.send(fe.password(await server.token("anon")));
    const got = await c.drain();
    assert.equal(types(got), "R E");
    assert.equal(errorOf(got).C, "3D000");
    assert.equal(errorOf(got).M, 'database "nope" does not exist');
    for (
      const password of [
        "not a token",
        await server.token("authenticated"), // a valid token naming another role
        "",
      ]
    ) {
      const d = await WireClient.connect(server.port);
      await d.send(fe.startup({ user: "anon" }));
      await d.read();
      await d.send(fe.password(password));
      const refused = await d.drain();
      assert.equal(errorOf(refused).C, "28P01");
      assert.equal(errorOf(refused).M, 'password authentication failed for user "anon"');
    }
  });
});

Deno.test("pgwire gives the connection past max connections 53300 and still takes cancels", async () => {
  await withServer(async (server) => {
    const held = [await loginAnon(server), await loginAnon(server)];
    const extra = await WireClient.connect(server.port);
    await extra.send(fe.startup({ user: "anon" }));
    const got = await extra.drain();
    assert.equal(errorOf(got).C, "53300");
    assert.equal(errorOf(got).M, "sorry, too many clients already");
    assert.equal(errorOf(got).S, "FATAL");
    // A CancelRequest is not a session: it gets through at the limit.
    const k = held[0]!.startup.find((x) => x.type === "K")!;
    const v = new DataView(k.body.buffer, k.body.byteOffset);
    await held[0]!.client.send(fe.query("select pg_sleep(10)"));
    await new Promise((r) => setTimeout(r, 30));
    const c = await WireClient.connect(server.port);
    await c.send(fe.cancel(v.getInt32(0), v.getInt32(4)));
    await c.drain();
    assert.equal(errorOf(await held[0]!.client.until("Z")).C, "57014");
    // Once one leaves, a new session fits.
    await held[1]!.client.send(fe.terminate());
    await held[1]!.client.drain();
    await new Promise((r) => setTimeout(r, 30));
    const again = await loginAnon(server);
    again.client.close();
    held[0]!.client.close();
  }, { maxConnections: 2 });
});

Deno.test("pgwire answers a pipeline of many Bind/Execute before one Sync with one write", async () => {
  await withServer((server) =>
    session(server, async (c) => {
      await c.send(fe.parse("q", "select $1::int4 + 1", [23]), fe.sync());
      await c.until("Z");
      const msgs: Uint8Array[] = [];
      for (let i = 0; i < 200; i++) msgs.push(fe.bind("", "q", [String(i)]), fe.execute(""));
      msgs.push(fe.sync());
      const before = server.listener.stats.writes;
      // Sent in three parts with pauses: the server reads them separately, and still owes
      // nothing before the Sync.
      for (const part of [msgs.slice(0, 150), msgs.slice(150, 300), msgs.slice(300)]) {
        await c.send(...part);
        await new Promise((r) => setTimeout(r, 20));
      }
      const got = await c.until("Z");
      assert.equal(got.filter((m) => m.type === "D").length, 200);
      assert.deepEqual(dataRow(got.findLast((m) => m.type === "D")!.body), ["200"]);
      assert.equal(server.listener.stats.writes - before, 1);
    })
  );
});

Deno.test("pgwire serves 300 sessions at once (the default maximum); the 301st gets 53300", async () => {
  await withServer(async (server) => {
    const sessions = [];
    for (let i = 0; i < 300; i++) sessions.push(await loginAnon(server));
    try {
      await Promise.all(sessions.map((s) => s.client.send(fe.query("select 1"))));
      const answers = await Promise.all(sessions.map((s) => s.client.until("Z")));
      assert.ok(answers.every((a) => types(a) === "T D C Z"));
      const extra = await WireClient.connect(server.port);
      await extra.send(fe.startup({ user: "anon" }));
      assert.equal(errorOf(await extra.drain()).C, "53300");
    } finally {
      for (const s of sessions) s.client.close();
    }
  }, { maxConnections: 300 });
});
