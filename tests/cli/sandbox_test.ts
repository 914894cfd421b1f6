/**
 * `bkg sandbox run` with no server: it drives kernel/ directly, passes the command's output
 * through and exits with its status (124 timeout, 137 OOM, 128+n signal), with usage errors
 * (exit 2) before anything runs; `bkg audit verify` on the log it wrote.
 */
import assert from "node:assert/strict";
import { sandboxTest } from "../kernel/helpers.ts";
import { freePort, runBkg, tempDir } from "../helpers/process.ts";

sandboxTest(
  "bkg sandbox run passes output through and exits with the command's status",
  async () => {
    const dir = await tempDir("bkg-sandbox-cli-");
    // Nothing listens on this port, so run works directly.
    const base = ["--data-dir", dir.path, "--url", `http://127.0.0.1:${freePort()}`];
    const run = (args: string[]) => runBkg(["sandbox", "run", ...base, ...args]);
    try {
      const ok = await run([
        "--memory",
        "256M",
        "--",
        "sh",
        "-c",
        "echo out; echo err >&2; exit 3",
      ]);
      assert.equal(ok.stdout, "out\n");
      assert.equal(ok.stderr, "err\n");
      assert.equal(ok.code, 3);

      const slow = await run(["--memory", "256M", "--timeout", "1", "--", "sleep", "10"]);
      assert.equal(slow.code, 124);
      assert.match(slow.stderr, /^bkg: the command ran past its 1 s timeout and was killed$/m);

      const hungry = await run([
        "--memory",
        "160M",
        "--",
        "perl",
        "-e",
        '$x = "a" x (400 * 1024 * 1024)',
      ]);
      assert.equal(hungry.code, 137);
      assert.match(hungry.stderr, /out of memory \(limit 160 MiB\)/);

      const signaled = await run(["--memory", "256M", "--", "sh", "-c", "kill -USR1 $$"]);
      assert.equal(signaled.code, 138);
      assert.match(signaled.stderr, /killed by SIGUSR1/);

      for (
        const bad of [
          ["--memory", "12Q", "--", "true"],
          ["--cpus", "-1", "--", "true"],
          ["--", ""].slice(0, 1),
          ["--profile", "lax", "--", "true"],
        ]
      ) {
        const r = await run(bad);
        assert.equal(r.code, 2, `${bad.join(" ")}: ${r.stderr}`);
      }
      const low = await run(["--memory", "64M", "--", "true"]);
      assert.equal(low.code, 1);
      assert.match(
        low.stderr,
        /memory limit 64 MiB is below the 128 MiB the sandbox init itself needs/,
      );

      const verify = await runBkg(["audit", "verify", `${dir.path}/audit/audit.jsonl`]);
      assert.equal(verify.code, 0, verify.stderr);
      assert.match(verify.stdout, /intact, \d+ lines/);
      const lines = (await Deno.readTextFile(`${dir.path}/audit/audit.jsonl`)).split("\n");
      lines[1] = lines[1]!.replace('"event":"start"', '"event":"stArt"');
      await Deno.writeTextFile(`${dir.path}/audit/audit.jsonl`, lines.join("\n"));
      const tampered = await runBkg(["audit", "verify", `${dir.path}/audit/audit.jsonl`]);
      assert.equal(tampered.code, 1);
      assert.match(tampered.stderr, /line 2: bad signature/);
      assert.deepEqual(
        [...Deno.readDirSync(`${dir.path}/sandboxes`)],
        [],
        "every sandbox was deleted",
      );
    } finally {
      await dir.remove();
    }
  },
);
