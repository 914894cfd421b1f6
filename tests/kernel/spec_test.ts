import assert from "node:assert/strict";
import { defaultMaxima } from "../../kernel/limits.ts";
import { formatSize, parseSize, resolveExec, resolveLimits } from "../../kernel/spec.ts";

Deno.test("parseSize reads binary units as the CLI documents", () => {
  assert.equal(parseSize("64M"), 64 * 1024 * 1024);
  assert.equal(parseSize("1G"), 1024 ** 3);
  assert.equal(parseSize("1.5G"), 1.5 * 1024 ** 3);
  assert.equal(parseSize("512"), 512);
  assert.equal(parseSize("64MiB"), 64 * 1024 * 1024);
  assert.equal(parseSize("10k"), 10240);
  for (const bad of ["", "M", "-1G", "1X", "1 G B", "abc"]) {
    assert.equal(parseSize(bad), undefined, bad);
  }
  assert.equal(formatSize(128 * 1024 * 1024), "128 MiB");
  assert.equal(formatSize(1000), "1000 bytes");
});

Deno.test("resolveLimits fills the issue's defaults and names the bound a value breaks", () => {
  const l = resolveLimits(undefined, defaultMaxima);
  assert.deepEqual(l, {
    cpus: 2,
    memoryBytes: 1024 ** 3,
    timeoutS: 120,
    diskBytes: 1024 ** 3,
    pids: 512,
    openFiles: 1024,
  });
  assert.equal(resolveLimits({ cpus: 0.25 }, defaultMaxima).cpus, 0.25);
  assert.throws(
    () => resolveLimits({ diskBytes: 1 << 20 }, defaultMaxima),
    /disk limit 1 MiB is below the 16 MiB/,
  );
  assert.throws(
    () =>
      resolveLimits({ memoryBytes: 2 * 1024 ** 3 }, { ...defaultMaxima, memoryBytes: 1024 ** 3 }),
    /memory limit 2 GiB is above the configured maximum 1 GiB/,
  );
  assert.throws(
    () => resolveLimits({ cpus: Number.NaN }, defaultMaxima),
    /cpus limit must be a number/,
  );
  // A maximum below the default lowers the default instead of refusing every create.
  assert.equal(resolveLimits({}, { ...defaultMaxima, timeoutS: 30 }).timeoutS, 30);
});

Deno.test("resolveExec checks the command, environment, directory and timeout", () => {
  const limits = resolveLimits({ timeoutS: 10 }, defaultMaxima);
  const r = resolveExec({ argv: ["echo", "hi"], env: { A: "1" } }, limits, "h");
  assert.equal(r.cwd, "/tmp");
  assert.equal(r.timeoutS, 10);
  assert.ok(r.env.includes("A=1") && r.env.includes("HOSTNAME=h"));
  assert.throws(() => resolveExec({ argv: [] }, limits, "h"), /command must not be empty/);
  assert.throws(
    () => resolveExec({ argv: ["x"], timeoutS: 11 }, limits, "h"),
    /at most the sandbox's 10 s/,
  );
  assert.throws(() => resolveExec({ argv: ["x"], cwd: "tmp" }, limits, "h"), /absolute path/);
  assert.throws(
    () => resolveExec({ argv: ["x"], env: { "A=B": "1" } }, limits, "h"),
    /invalid environment variable/,
  );
  assert.throws(() => resolveExec({ argv: ["a\0b"] }, limits, "h"), /NUL/);
  assert.throws(() => resolveExec({ argv: Array(5000).fill("x") }, limits, "h"), /too long/);
});
