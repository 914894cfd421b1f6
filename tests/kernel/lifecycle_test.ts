import assert from "node:assert/strict";
import { CaveError } from "../../kernel/mod.ts";
import { admin, sandboxTest, sh, started, withManager } from "./helpers.ts";

const dec = new TextDecoder();

sandboxTest(
  "sandbox lifecycle goes create, start, exec, stop, delete and refuses steps out of order",
  async () => {
    await withManager(async (m, dataDir) => {
      const created = await m.create(admin, {
        limits: { memoryBytes: 256 << 20 },
        hostname: "box1",
      });
      assert.equal(created.state, "created");
      assert.ok(created.uid >= 200_000, "a sandbox never runs as host root");
      await assert.rejects(
        m.exec(admin, created.id, { argv: ["true"] }),
        (e: CaveError) =>
          e.code === "conflict" && /is not running \(state: created\)/.test(e.message),
      );
      assert.equal((await m.start(admin, created.id)).state, "running");
      assert.equal((await m.start(admin, created.id)).state, "running", "start is idempotent");

      const r = await m.exec(admin, created.id, {
        argv: [
          "/bin/sh",
          "-c",
          'read line; echo "$line $GREETING $(pwd) $(hostname)"; echo oops >&2; exit 3',
        ],
        env: { GREETING: "hello" },
        cwd: "/var/tmp",
        stdin: new TextEncoder().encode("from-stdin\n"),
      });
      assert.equal(dec.decode(r.stdout), "from-stdin hello /var/tmp box1\n");
      assert.equal(dec.decode(r.stderr), "oops\n");
      assert.equal(r.exitCode, 3);
      assert.equal(r.reason, "exited");

      assert.equal((await sh(m, created.id, "echo kept > /tmp/kept")).exitCode, 0);
      assert.equal((await m.stop(admin, created.id)).state, "stopped");
      assert.equal((await m.stop(admin, created.id)).state, "stopped", "stop is idempotent");
      await assert.rejects(
        m.exec(admin, created.id, { argv: ["true"] }),
        /is not running \(state: stopped\)/,
      );
      await m.start(admin, created.id);
      assert.equal(
        (await sh(m, created.id, "cat /tmp/kept")).out,
        "kept\n",
        "the disk survives a restart",
      );

      await m.delete(admin, created.id);
      assert.throws(() => m.get(admin, created.id), (e: CaveError) => e.code === "not_found");
      await assert.rejects(m.start(admin, created.id), /does not exist/);
      await assert.rejects(m.delete(admin, created.id), /does not exist/);

      const audit = (await Deno.readTextFile(`${dataDir}/audit/audit.jsonl`)).trim().split("\n")
        .map((l) => JSON.parse(l));
      const mine = audit.filter((e) => e.sandbox === created.id).map((e) => `${e.event}:${e.ok}`);
      assert.deepEqual(mine, [
        "create:true",
        "exec:false",
        "start:true",
        "start:true",
        "exec:true",
        "exec:true",
        "stop:true",
        "stop:true",
        "exec:false",
        "start:true",
        "exec:true",
        "delete:true",
        "start:false",
        "delete:false",
      ]);
      const exec = audit.find((e) => e.sandbox === created.id && e.event === "exec" && e.ok);
      assert.equal(exec.actor, "test");
      assert.equal(exec.exit_code, 3);
      assert.equal(exec.limits.memoryBytes, 256 << 20, "an exec line carries the limits");
      assert.deepEqual(exec.command.slice(0, 2), ["/bin/sh", "-c"]);
      assert.equal(typeof exec.duration_ms, "number");
    });
  },
);

sandboxTest(
  "exec reports signals, missing commands, truncated output, and streams as it runs",
  async () => {
    await withManager(async (m) => {
      const id = await started(m, { limits: { memoryBytes: 256 << 20 } });
      const killed = await sh(m, id, "kill -TERM $$");
      assert.equal(killed.reason, "signaled");
      assert.equal(killed.signal, "SIGTERM");
      assert.equal(killed.exitCode, 143);

      const missing = await m.exec(admin, id, { argv: ["no-such-command"] });
      assert.equal(missing.exitCode, 127);
      assert.match(dec.decode(missing.stderr), /no-such-command: command not found/);
      const badDir = await m.exec(admin, id, { argv: ["true"], cwd: "/nope" });
      assert.equal(badDir.exitCode, 125);
      assert.match(dec.decode(badDir.stderr), /chdir failed: ENOENT: \/nope/);

      const big = await m.exec(admin, id, {
        argv: ["/bin/sh", "-c", "head -c 300000 /dev/zero"],
        outputBytesMax: 100_000,
      });
      assert.equal(big.stdout.length, 100_000);
      assert.equal(big.stdoutBytes, 300_000);
      assert.ok(big.stdoutTruncated);
      assert.ok(!big.stderrTruncated);

      const seen: { at: number; text: string }[] = [];
      const t0 = performance.now();
      const streamed = await m.exec(
        admin,
        id,
        { argv: ["/bin/sh", "-c", "echo first; sleep 1; echo second"] },
        (stream, chunk) =>
          seen.push({ at: performance.now() - t0, text: `${stream}:${dec.decode(chunk)}` }),
      );
      assert.equal(dec.decode(streamed.stdout), "first\nsecond\n");
      assert.equal(seen[0]?.text, "stdout:first\n");
      assert.ok(seen[0]!.at < streamed.durationMs - 700, "the first line arrives before the end");
    });
  },
);

sandboxTest("a namespace never sees or touches another namespace's sandboxes", async () => {
  await withManager(async (m) => {
    const alice = { actor: "alice", namespace: "team-a" };
    const bob = { actor: "bob", namespace: "team-b" };
    const a = await m.create(alice, { namespace: "team-b" });
    assert.equal(a.namespace, "team-a", "a bound caller cannot choose another namespace");
    assert.deepEqual(m.list(bob), []);
    assert.equal(m.list(alice).length, 1);
    assert.equal(m.list(admin).length, 1);
    assert.throws(() => m.get(bob, a.id), /does not exist/);
    await assert.rejects(m.start(bob, a.id), /does not exist/);
    await assert.rejects(m.exec(bob, a.id, { argv: ["true"] }), /does not exist/);
    await assert.rejects(m.delete(bob, a.id), /does not exist/);
    assert.equal(m.get(alice, a.id).state, "created");
    const other = await m.create(admin, { namespace: "team-b" });
    assert.equal(other.namespace, "team-b");
    assert.deepEqual(m.list(bob).map((s) => s.id), [other.id]);
  });
});

sandboxTest(
  "limits are refused below what the init needs and above the configured maxima",
  async () => {
    await withManager(async (m) => {
      await assert.rejects(
        m.create(admin, { limits: { memoryBytes: 64 << 20 } }),
        /memory limit 64 MiB is below the 128 MiB the sandbox init itself needs/,
      );
      await assert.rejects(
        m.create(admin, { limits: { pids: 8 } }),
        /pids limit 8 is below the 32/,
      );
      await assert.rejects(
        m.create(admin, { limits: { cpus: 1000 } }),
        /cpus limit 1000 is above the configured maximum 64/,
      );
      await assert.rejects(
        m.create(admin, { limits: { pids: 1.5 } }),
        /pids limit must be an integer/,
      );
      await assert.rejects(m.create(admin, { profile: "lax" }), /unknown seccomp profile "lax"/);
      const ok = await m.create(admin, { limits: { cpus: 0.5 } });
      assert.equal(ok.limits.cpus, 0.5);
      assert.equal(ok.limits.memoryBytes, 1 << 30, "the default is 1 GiB");
      assert.equal(ok.limits.timeoutS, 120);
    });
  },
);

sandboxTest(
  "what a sandbox writes disappears with delete, with its mounts and loop device",
  async () => {
    await withManager(async (m) => {
      const id = await started(m, { limits: { memoryBytes: 256 << 20, diskBytes: 32 << 20 } });
      assert.equal(
        (await sh(m, id, "echo secret > /tmp/file && echo x > /made-here && cat /tmp/file")).out,
        "secret\n",
      );
      const mounts = async () =>
        (await Deno.readTextFile("/proc/self/mountinfo")).split("\n").filter((l) => l.includes(id));
      assert.ok((await mounts()).length > 0, "the disk is mounted while the sandbox lives");
      const loops = async () =>
        dec.decode((await new Deno.Command("losetup", { args: ["-a"] }).output()).stdout)
          .split("\n").filter((l) => l.includes(id));
      assert.equal((await loops()).length, 1);
      await m.delete(admin, id);
      assert.deepEqual(await mounts(), []);
      for (let i = 0; i < 50 && (await loops()).length > 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual(await loops(), [], "the loop device is freed");
      const next = await started(m, { limits: { memoryBytes: 256 << 20 } });
      assert.equal((await sh(m, next, "cat /tmp/file /made-here")).exitCode, 1);
    });
  },
);

sandboxTest("a sandbox whose init dies is reported stopped, and starts again", async () => {
  await withManager(async (m) => {
    const id = await started(m, { limits: { memoryBytes: 256 << 20 } });
    const uid = m.get(admin, id).uid;
    let init = 0;
    for await (const e of Deno.readDir("/proc")) {
      if (!/^\d+$/.test(e.name)) continue;
      const status = await Deno.readTextFile(`/proc/${e.name}/status`).catch(() => "");
      const cmd = await Deno.readTextFile(`/proc/${e.name}/cmdline`).catch(() => "");
      if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) === uid && cmd.includes("resident")) {
        init = Number(e.name);
      }
    }
    assert.ok(init > 0, "the init runs on the host as the sandbox's uid");
    Deno.kill(init, "SIGKILL");
    for (let i = 0; i < 100 && m.get(admin, id).state === "running"; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const info = m.get(admin, id);
    assert.equal(info.state, "stopped");
    assert.match(info.stopReason ?? "", /init (killed by SIGKILL|exited with)/);
    await assert.rejects(m.exec(admin, id, { argv: ["true"] }), /is not running/);
    await m.start(admin, id);
    assert.equal((await sh(m, id, "echo back")).out, "back\n");
  });
});
