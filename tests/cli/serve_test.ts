import assert from "node:assert/strict";
import { BkgProcess, freePort, runBkg, tempDir } from "../helpers/process.ts";

Deno.test("bkg serve answers /health and stops with exit 0 on SIGTERM", async () => {
  const dir = await tempDir();
  try {
    const bkg = await BkgProcess.start(`${dir.path}/data`);
    const res = await fetch(`${bkg.url}/health`);
    const body = await res.json();
    assert.equal(res.status, 200);
    assert.equal(body.status, "ok");
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.equal(typeof body.uptime_s, "number");
    bkg.kill("SIGTERM");
    const done = await bkg.finish();
    assert.equal(done.code, 0, done.stderr);
    // One structured JSON line per request, with method, path, status and duration.
    const lines = done.stderr.trim().split("\n").map((l) => JSON.parse(l));
    const req = lines.find((l) => l.msg === "http request" && l.path === "/health");
    assert.ok(req, done.stderr);
    assert.equal(req.method, "GET");
    assert.equal(req.status, 200);
    assert.equal(typeof req.duration_ms, "number");
  } finally {
    await dir.remove();
  }
});

Deno.test("bkg serve stops with exit 0 on SIGINT", async () => {
  const dir = await tempDir();
  try {
    const bkg = await BkgProcess.start(`${dir.path}/data`);
    bkg.kill("SIGINT");
    const done = await bkg.finish();
    assert.equal(done.code, 0, done.stderr);
  } finally {
    await dir.remove();
  }
});

Deno.test("bkg serve finishes an in-flight request before it exits", async () => {
  const dir = await tempDir();
  try {
    const bkg = await BkgProcess.start(`${dir.path}/data`);
    // A request whose body is still arriving when the signal comes: the server must wait for it
    // and answer (404 with a JSON error: no route takes a POST here) before exiting.
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode("{"));
        await new Promise((r) => setTimeout(r, 300));
        bkg.kill("SIGTERM");
        await new Promise((r) => setTimeout(r, 300));
        controller.enqueue(new TextEncoder().encode("}"));
        controller.close();
      },
    });
    const res = await fetch(`${bkg.url}/slow`, { method: "POST", body });
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, "not_found");
    const done = await bkg.finish();
    assert.equal(done.code, 0, done.stderr);
    // The listener is closed afterwards.
    await assert.rejects(fetch(`${bkg.url}/health`));
  } finally {
    await dir.remove();
  }
});

Deno.test("bkg serve creates the data directory with its secrets at 0600", async () => {
  const dir = await tempDir();
  try {
    const data = `${dir.path}/nested/data`;
    const bkg = await BkgProcess.start(data);
    for (const name of ["admin-password", "jwt-secret"]) {
      const st = await Deno.stat(`${data}/${name}`);
      assert.equal(st.mode! & 0o777, 0o600, name);
      assert.ok((await Deno.readTextFile(`${data}/${name}`)).trim().length >= 32, name);
    }
    bkg.kill();
    assert.equal((await bkg.finish()).code, 0);
  } finally {
    await dir.remove();
  }
});

Deno.test("BKG_ADMIN_PASSWORD replaces the stored admin password at start", async () => {
  const dir = await tempDir();
  try {
    const data = `${dir.path}/data`;
    const first = await BkgProcess.start(data);
    first.kill();
    await first.finish();
    const generated = (await Deno.readTextFile(`${data}/admin-password`)).trim();
    const second = await BkgProcess.start(data, { env: { BKG_ADMIN_PASSWORD: "s3cret-pw" } });
    second.kill();
    await second.finish();
    assert.notEqual(generated, "s3cret-pw");
    assert.equal((await Deno.readTextFile(`${data}/admin-password`)).trim(), "s3cret-pw");
  } finally {
    await dir.remove();
  }
});

Deno.test("a second bkg serve on the same data directory exits 1 naming the lock", async () => {
  const dir = await tempDir();
  try {
    const data = `${dir.path}/data`;
    const first = await BkgProcess.start(data);
    const second = await runBkg(["serve", "--data-dir", data, "--http-port", String(freePort())]);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /data directory .* is in use by another bkg server/);
    assert.equal(second.stderr.trim().split("\n").length, 1, second.stderr);
    first.kill();
    assert.equal((await first.finish()).code, 0);
  } finally {
    await dir.remove();
  }
});

Deno.test("a restart after kill -9 is not blocked by the lock", async () => {
  const dir = await tempDir();
  try {
    const data = `${dir.path}/data`;
    const first = await BkgProcess.start(data);
    first.kill("SIGKILL");
    const killed = await first.finish();
    assert.equal(killed.signal, "SIGKILL");
    const second = await BkgProcess.start(data);
    second.kill();
    assert.equal((await second.finish()).code, 0);
  } finally {
    await dir.remove();
  }
});

Deno.test("bkg serve exits 1 with one line when the HTTP port is taken", async () => {
  const dir = await tempDir();
  const holder = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (holder.addr as Deno.NetAddr).port;
    const res = await runBkg(["serve", "--data-dir", `${dir.path}/d`, "--http-port", String(port)]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, new RegExp(`127\\.0\\.0\\.1:${port}: the port is already in use`));
    assert.equal(res.stderr.trim().split("\n").length, 1, res.stderr);
  } finally {
    holder.close();
    await dir.remove();
  }
});

Deno.test("bkg serve exits 2 naming the setting for a bad value", async () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [["--http-port", "70000"], {}, /^bkg: --http-port \/ BKG_HTTP_PORT: /],
    [[], { CAVE_OTEL_SAMPLING_RATE: "2" }, /^bkg: CAVE_OTEL_SAMPLING_RATE: /],
    [[], { BKG_PG_PORT: "-1" }, /^bkg: --pg-port \/ BKG_PG_PORT: /],
  ];
  const dir = await tempDir();
  try {
    for (const [args, env, pattern] of cases) {
      const res = await runBkg(["serve", "--data-dir", `${dir.path}/d`, ...args], { env });
      assert.equal(res.code, 2, res.stderr);
      assert.match(res.stderr, pattern);
      assert.equal(res.stderr.trim().split("\n").length, 1, res.stderr);
    }
  } finally {
    await dir.remove();
  }
});

Deno.test("bkg serve exits 2 when the data directory cannot be created", async () => {
  const dir = await tempDir();
  try {
    // Root may write anywhere, so the unwritable place is a path below a regular file.
    await Deno.writeTextFile(`${dir.path}/file`, "x");
    const res = await runBkg([
      "serve",
      "--data-dir",
      `${dir.path}/file/data`,
      "--http-port",
      String(freePort()),
    ]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /^bkg: --data-dir \/ BKG_DATA_DIR: cannot create .*file\/data/);
    assert.equal(res.stderr.trim().split("\n").length, 1, res.stderr);
  } finally {
    await dir.remove();
  }
});

Deno.test("bkg with an unknown command prints the usage and exits 2", async () => {
  const res = await runBkg(["frobnicate"]);
  assert.equal(res.code, 2);
  assert.match(res.stderr, /unknown command 'frobnicate'/);
  assert.match(res.stderr, /Usage: bkg <command>/);
});

Deno.test("bkg with an unknown flag prints the command's usage and exits 2", async () => {
  const res = await runBkg(["serve", "--no-such-flag"]);
  assert.equal(res.code, 2);
  assert.match(res.stderr, /Usage: bkg serve/);
});

Deno.test("bkg --help lists the commands and each command has --help", async () => {
  const { commands } = await import("../../src/cli/mod.ts");
  const top = await runBkg(["--help"]);
  assert.equal(top.code, 0);
  for (const c of commands) {
    assert.match(top.stdout, new RegExp(`^  ${c.name} `, "m"));
    const help = await runBkg([c.name, "--help"]);
    assert.equal(help.code, 0, `${c.name} --help: ${help.stderr}`);
    assert.match(help.stdout, new RegExp(`^Usage: bkg ${c.name}`));
  }
});

Deno.test("bkg version prints the version from deno.json", async () => {
  const denoJson = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const res = await runBkg(["version"]);
  assert.equal(res.code, 0);
  assert.equal(res.stdout.split("\n")[0], `bkg ${denoJson.version}`);
});
