import assert from "node:assert/strict";
import { BkgProcess, freePort, runBkg, tempDir } from "../helpers/process.ts";

Deno.test("bkg checkpoint asks the running server, which writes a checkpoint of its database", async () => {
  const dir = await tempDir();
  const proc = await BkgProcess.start(dir.path, { args: ["--sandboxes", "off"] });
  try {
    const ok = await runBkg(["checkpoint", "--url", proc.url, "--data-dir", dir.path]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^checkpoint at [0-9A-F]+\/[0-9A-F]+: \d+ bytes in [\d.]+ ms\n$/);
    const files = [...Deno.readDirSync(`${dir.path}/db`)].map((e) => e.name);
    assert.ok(files.includes("control"));
    assert.ok(files.some((f) => /^checkpoint\.[0-9A-F]{16}$/.test(f)), files.join(" "));
    // The HTTP route itself: admin only.
    const anon = await fetch(`${proc.url}/admin/checkpoint`, { method: "POST" });
    assert.equal(anon.status, 401);
    await anon.body?.cancel();
    const wrong = await runBkg(["checkpoint", "--url", proc.url], {
      env: { BKG_ADMIN_PASSWORD: "not-the-password" },
    });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /401/);
  } finally {
    proc.kill("SIGTERM");
    const end = await proc.finish();
    assert.equal(end.code, 0, end.stderr);
    await dir.remove();
  }
});

Deno.test("bkg checkpoint without a server says none answers and exits 1", async () => {
  const res = await runBkg(["checkpoint", "--url", "http://127.0.0.1:9"]);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /no bkg server answers at http:\/\/127\.0\.0\.1:9/);
});

Deno.test("bkg serve refuses a database directory of another on-disk format with a clear message", async () => {
  const dir = await tempDir();
  try {
    await Deno.mkdir(`${dir.path}/db/wal`, { recursive: true });
    const body = JSON.stringify({
      format: 99,
      checkpoint: null,
      checkpointLsn: 0,
      systemId: "x",
      segmentBytes: 16777216,
    });
    const { crc32c } = await import("../../db/wal/mod.ts");
    await Deno.writeTextFile(
      `${dir.path}/db/control`,
      JSON.stringify({ body, crc: crc32c(new TextEncoder().encode(body)) }),
    );
    const res = await runBkg([
      "serve",
      "--data-dir",
      dir.path,
      "--http-port",
      String(freePort()),
      "--sandboxes",
      "off",
    ]);
    assert.equal(res.code, 1, res.stderr);
    assert.match(
      res.stderr,
      /cannot open the database in .*: database files are incompatible with server \(The data directory .* was initialized with BKG-DB on-disk format 99/,
    );
  } finally {
    await dir.remove();
  }
});
