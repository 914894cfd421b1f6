/**
 * `/api/v1/sandboxes` against a real `bkg serve` (real sandboxes behind it): authentication and
 * namespaces, the lifecycle, JSON and streamed exec, errors as JSON, the OpenAPI document, and
 * `bkg sandbox …` through the server.
 */
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { JwtVerifier } from "../../src/auth/mod.ts";
import { sandboxTest } from "../kernel/helpers.ts";
import { BkgProcess, runBkg, tempDir } from "../helpers/process.ts";

const secret = "sandbox-http-test-secret-0123456789abcdef";
const password = "sandbox-admin-pw";

async function withServer(fn: (s: BkgProcess, data: string) => Promise<void>): Promise<void> {
  const dir = await tempDir("bkg-sandbox-http-");
  const server = await BkgProcess.start(dir.path, {
    env: { BKG_JWT_SECRET: secret, BKG_ADMIN_PASSWORD: password, BKG_SANDBOXES: "on" },
  });
  try {
    await fn(server, dir.path);
  } finally {
    server.kill("SIGTERM");
    const done = await server.finish();
    assert.equal(done.code, 0, done.stderr);
    await dir.remove();
  }
}

sandboxTest("sandbox API: namespaces, lifecycle, exec and errors over HTTP", async () => {
  await withServer(async (server) => {
    const jwt = new JwtVerifier({ secret });
    const tok = async (claims: Record<string, unknown>) =>
      `Bearer ${await jwt.sign({ role: "authenticated", ...claims } as never, {
        expiresInS: 600,
      })}`;
    const alice = await tok({ sub: "alice", namespace: "team-a" });
    const bob = await tok({ sub: "bob", namespace: "team-b" });
    const service = `Bearer ${await jwt.sign({ role: "service_role" } as never, {
      expiresInS: 600,
    })}`;
    const call = async (auth: string | null, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}/api/v1/sandboxes${path}`, {
        method,
        headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return {
        status: res.status,
        body: text ? JSON.parse(text) : null,
        type: res.headers.get("content-type"),
      };
    };

    assert.equal((await call(null, "GET", "")).status, 401);
    const noNs = await call(await tok({ sub: "x" }), "GET", "");
    assert.equal(noNs.status, 403);
    assert.match(noNs.body.error.message, /no namespace claim/);
    const bad = await call(alice, "POST", "", { limits: { memory: "12Q" } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_request");
    const low = await call(alice, "POST", "", { limits: { memory: "64M" } });
    assert.equal(low.status, 400);
    assert.match(low.body.error.message, /below the 128 MiB the sandbox init itself needs/);

    const created = await call(alice, "POST", "", {
      limits: { memory: "256M", cpus: 0.5 },
      namespace: "team-b",
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.namespace, "team-a");
    assert.equal(created.body.state, "created");
    assert.equal(created.body.limits.memory_bytes, 256 << 20);
    const id = created.body.id;

    assert.deepEqual((await call(bob, "GET", "")).body.sandboxes, []);
    assert.equal((await call(bob, "GET", `/${id}`)).status, 404);
    assert.equal((await call(bob, "POST", `/${id}/start`)).status, 404);
    assert.equal((await call(bob, "DELETE", `/${id}`)).status, 404);
    assert.equal(
      (await call(service, "GET", "")).body.sandboxes.length,
      1,
      "service_role sees all",
    );

    const notRunning = await call(alice, "POST", `/${id}/exec`, { command: ["true"] });
    assert.equal(notRunning.status, 409);
    assert.equal(notRunning.body.error.code, "conflict");
    assert.equal((await call(alice, "POST", `/${id}/start`)).body.state, "running");

    const ran = await call(alice, "POST", `/${id}/exec`, {
      command: ["sh", "-c", "cat; echo $X >&2; exit 4"],
      stdin: "piped-in",
      env: { X: "ex" },
    });
    assert.equal(ran.status, 200);
    assert.equal(ran.body.stdout, "piped-in");
    assert.equal(ran.body.stderr, "ex\n");
    assert.equal(ran.body.exit_code, 4);
    assert.equal(ran.body.reason, "exited");

    const res = await fetch(`${server.url}/api/v1/sandboxes/${id}/exec`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: alice },
      body: JSON.stringify({
        command: ["sh", "-c", "echo one; sleep 0.3; echo two >&2"],
        stream: true,
      }),
    });
    assert.match(res.headers.get("content-type") ?? "", /application\/x-ndjson/);
    const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.slice(0, 2), [{ stream: "stdout", data: "one\n" }, {
      stream: "stderr",
      data: "two\n",
    }]);
    assert.equal(lines[2].result.exit_code, 0);

    assert.equal((await call(alice, "POST", `/${id}/stop`)).body.state, "stopped");
    assert.equal((await call(alice, "POST", `/${id}/exec`, { command: ["true"] })).status, 409);
    assert.equal((await call(alice, "DELETE", `/${id}`)).status, 204);
    assert.equal((await call(alice, "GET", `/${id}`)).status, 404);
    assert.equal((await call(alice, "POST", `/${id}/start`)).status, 404);
  });
});

sandboxTest(
  "sandbox API is in a valid /openapi.json, and the CLI drives it through the server",
  async () => {
    await withServer(async (server, data) => {
      const doc = await (await fetch(`${server.url}/openapi.json`)).json();
      const validator = new Validator();
      const result = await validator.validate(doc);
      assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
      for (
        const p of ["/api/v1/sandboxes", "/api/v1/sandboxes/{id}", "/api/v1/sandboxes/{id}/exec"]
      ) {
        assert.ok(doc.paths[p], `${p} is documented`);
      }
      const env = { BKG_ADMIN_PASSWORD: password, BKG_URL: server.url };
      const created = await runBkg(
        ["sandbox", "create", "--memory", "256M", "--namespace", "ops"],
        { env },
      );
      assert.equal(created.code, 0, created.stderr);
      const id = JSON.parse(created.stdout).id;
      assert.equal((await runBkg(["sandbox", "start", id], { env })).stdout, `${id} running\n`);
      const exec = await runBkg([
        "sandbox",
        "exec",
        id,
        "--env",
        "A=1",
        "--cwd",
        "/var/tmp",
        "--",
        "sh",
        "-c",
        "echo $A $(pwd); exit 7",
      ], { env });
      assert.equal(exec.stdout, "1 /var/tmp\n");
      assert.equal(exec.code, 7);
      const list = await runBkg(["sandbox", "list"], { env });
      assert.match(list.stdout, new RegExp(`^${id}\\tops\\trunning\\tdefault$`, "m"));
      assert.equal((await runBkg(["sandbox", "stop", id], { env })).stdout, `${id} stopped\n`);
      assert.equal((await runBkg(["sandbox", "delete", id], { env })).stdout, `${id} deleted\n`);
      const gone = await runBkg(["sandbox", "start", id], { env });
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /404: sandbox ".*" does not exist/);

      const run = await runBkg([
        "sandbox",
        "run",
        "--memory",
        "256M",
        "--timeout",
        "1",
        "--",
        "sleep",
        "5",
      ], { env });
      assert.equal(run.code, 124);
      assert.match(run.stderr, /ran past its 1 s timeout/);
      const audit = (await Deno.readTextFile(`${data}/audit/audit.jsonl`)).trim().split("\n").map((
        l,
      ) => JSON.parse(l));
      assert.ok(
        audit.some((e) => e.event === "exec" && e.reason === "timeout" && e.actor === "postgres"),
        "run went through the server",
      );
      const verify = await runBkg(["audit", "verify", `${data}/audit/audit.jsonl`]);
      assert.equal(verify.code, 0, verify.stderr);
    });
  },
);
