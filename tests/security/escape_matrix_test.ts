/**
 * The escape matrix of issue 8: every attempt runs inside a real sandbox (namespaces, cgroups
 * v1, seccomp, overlay on a loop-mounted disk) and must fail. Each step names the attempt.
 */
import assert from "node:assert/strict";
import { admin, perlSyscall, sandboxTest, sh, started, withManager } from "../kernel/helpers.ts";

const EPERM = "1";
const ENOSYS = "38";

sandboxTest("escape matrix: a sandboxed workload cannot reach the host", async () => {
  await withManager(async (m, dataDir) => {
    const id = await started(m, { limits: { memoryBytes: 256 << 20 } });
    const uid = m.get(admin, id).uid;
    const run = (script: string) => sh(m, id, script);
    const steps: [string, () => Promise<void>][] = [
      ["see host processes", async () => {
        const r = await run(
          "for p in /proc/[0-9]*; do echo ${p#/proc/}; done; cat /proc/1/cmdline | tr '\\0' ' '",
        );
        const lines = r.out.trim().split("\n");
        const pids = lines.slice(0, -1).map(Number);
        assert.ok(pids.includes(1));
        assert.ok(pids.length < 10, `only the sandbox's own processes: ${pids}`);
        assert.ok(!pids.includes(Deno.pid) || Deno.pid < 10);
        assert.match(lines.at(-1)!, /init\.ts resident/, "PID 1 is the sandbox's init");
      }],
      ["reach the network (only loopback exists)", async () => {
        const r = await run(
          "cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '; bash -c 'exec 3<>/dev/tcp/1.1.1.1/80' 2>&1 | tr -d '\\n'; echo",
        );
        const [ifaces, connect] = [
          r.out.trim().split("\n").slice(0, -1),
          r.out.trim().split("\n").at(-1)!,
        ];
        assert.deepEqual(ifaces, ["lo"]);
        assert.match(connect, /Network is unreachable/);
      }],
      ["reach a port the host listens on", async () => {
        const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const port = (listener.addr as Deno.NetAddr).port;
        try {
          const r = await run(`bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}' 2>&1; echo $?`);
          assert.match(r.out, /Connection refused/);
        } finally {
          listener.close();
        }
      }],
      ["read /etc/shadow, /work, /root, /home or the data directory", async () => {
        const r = await run(
          `for p in /etc/shadow /work /root /home ${dataDir} /var/lib /run/bkg-cave/sb /run/bkg-cave/uids /sys /boot; do ls -d $p >/dev/null 2>&1 && echo "visible $p"; done; ls /run; ls /run/bkg-cave`,
        );
        // Only the read-only runtime directory (Deno and the init) is bound, at its host path.
        assert.match(r.out, /^bkg-cave\nrt-[0-9a-f]{16}\n$/);
      }],
      ["write outside the upper layer", async () => {
        const name = `cave-escape-${crypto.randomUUID()}`;
        const r = await run(
          `touch /usr/bin/${name} 2>&1; touch /${name} && echo wrote-root; sh -c 'echo x > /etc/passwd' 2>&1; true`,
        );
        assert.match(r.out, /Read-only file system/);
        assert.match(r.out, /wrote-root/);
        assert.match(r.out, /Permission denied/);
        await assert.rejects(Deno.stat(`/usr/bin/${name}`));
        await assert.rejects(
          Deno.stat(`/${name}`),
          "the write stayed in the sandbox's upper layer",
        );
      }],
      ["mount", async () => {
        assert.equal((await run(perlSyscall(165, ["none", "/tmp", "tmpfs", 0, 0]))).out, EPERM);
        assert.notEqual((await run("mount -t tmpfs none /tmp")).exitCode, 0);
      }],
      ["ptrace", async () => {
        assert.equal((await run(perlSyscall(101, [16, /* PTRACE_ATTACH */ 1, 0, 0]))).out, EPERM);
      }],
      ["load a kernel module", async () => {
        assert.equal((await run(perlSyscall(175, [0, 0, "x"]))).out, EPERM, "init_module");
        assert.equal((await run(perlSyscall(313, [0, "x", 0]))).out, EPERM, "finit_module");
      }],
      ["create a user namespace", async () => {
        assert.equal(
          (await run(perlSyscall(272, [0x10000000]))).out,
          EPERM,
          "unshare(CLONE_NEWUSER)",
        );
        const r = await run("unshare --user true 2>&1; echo $?");
        assert.match(r.out, /Operation not permitted/);
      }],
      ["io_uring is ENOSYS", async () => {
        assert.equal((await run(perlSyscall(425, [8, 0]))).out, ENOSYS);
      }],
      ["kexec, bpf, perf_event_open, keyctl, add_key, reboot are blocked", async () => {
        for (
          const [nr, args] of [
            [246, [0, 0, 0, 0]],
            [320, [0, 0, 0, "", 0]],
            [321, [0, 0, 0]],
            [298, [0, 0, -1, -1, 0]],
            [250, [0, 0, 0]],
            [248, ["user", "k", "v", 1, -2]],
            [169, [0, 0, 0, 0]],
          ] as const
        ) {
          assert.equal((await run(perlSyscall(nr, [...args]))).out, EPERM, `syscall ${nr}`);
        }
      }],
      [
        "reach the host's terminal (its own session, no controlling tty)",
        async () => {
          const r = await run(
            "echo $$; cut -d' ' -f6 /proc/self/stat; cat /dev/tty 2>&1 | head -1",
          );
          const [pid, sid, tty] = r.out.trim().split("\n");
          assert.equal(sid, pid, "the command leads a session of its own, not the host's");
          assert.match(tty ?? "", /No such device or address/);
        },
      ],
      [
        "runs as an unprivileged host uid with no_new_privs, seccomp and few capabilities",
        async () => {
          const r = await run(
            "cat /proc/self/uid_map; grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status; echo nofile=$(ulimit -n)",
          );
          assert.match(r.out, new RegExp(`^\\s*0\\s+${uid}\\s+1\\s*$`, "m"));
          assert.match(r.out, /NoNewPrivs:\s+1/);
          assert.match(r.out, /nofile=1024/, "the open files limit applies");
          assert.match(r.out, /Seccomp:\s+2/);
          // Docker's default set: no CAP_SYS_ADMIN (21), no CAP_SYS_PTRACE (19), no CAP_SYS_MODULE (16).
          assert.match(r.out, /CapEff:\s+00000000a80425fb/);
          assert.match(r.out, /CapBnd:\s+00000000a80425fb/);
          const hostView = await hostProcessesOf(uid);
          assert.ok(hostView.length > 0, "the host sees the sandbox's processes under its own uid");
        },
      ],
    ];
    const failures: string[] = [];
    for (const [name, attempt] of steps) {
      try {
        await attempt();
      } catch (err) {
        failures.push(`${name}: ${err instanceof Error ? err.message : err}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});

sandboxTest("escape matrix: the strict profile also refuses what default allows", async () => {
  await withManager(async (m) => {
    const def = await started(m, { limits: { memoryBytes: 256 << 20 } });
    const strict = await started(m, { limits: { memoryBytes: 256 << 20 }, profile: "strict" });
    const personality = perlSyscall(135, [0xffffffff]);
    assert.equal((await sh(m, def, personality)).out, "0", "default allows querying personality");
    assert.equal((await sh(m, strict, personality)).out, EPERM);
    const r = await sh(m, strict, "echo works; ls / | wc -l");
    assert.equal(r.exitCode, 0, r.err);
    assert.match(r.out, /^works\n\d+\n$/);
  });
});

sandboxTest("escape matrix: two sandboxes cannot see each other", async () => {
  await withManager(async (m) => {
    const a = await started(m, { limits: { memoryBytes: 256 << 20 } });
    const b = await started(m, { limits: { memoryBytes: 256 << 20 } });
    await sh(m, a, "echo mine > /tmp/a-file; sleep 30 >/dev/null 2>&1 &");
    const r = await sh(m, b, "ls /tmp; ps -e -o comm | grep -c sleep");
    assert.doesNotMatch(r.out, /a-file/);
    assert.match(r.out, /^0$/m);
  });
});

sandboxTest("escape matrix: a fork bomb stops at the pids limit", async () => {
  await withManager(async (m) => {
    const id = await started(m, { limits: { memoryBytes: 256 << 20, pids: 64 } });
    const r = await sh(
      m,
      id,
      "i=0; while [ $i -lt 200 ]; do sleep 30 & i=$((i+1)); done 2>&1 | head -1",
      { timeoutS: 20 },
    );
    const how = `exit ${r.exitCode} (${r.reason}) after ${r.durationMs} ms`;
    assert.match(r.out + r.err, /Cannot fork|Resource temporarily unavailable/, how);
    const cg = (await Deno.readTextFile("/proc/self/cgroup")).match(/pids:(.*)/)![1]!;
    const procs = await Deno.readTextFile(
      await findCgroupFile(`/sys/fs/cgroup/pids${cg === "/" ? "" : cg}/bkg`, id, "pids.current"),
    );
    assert.ok(Number(procs) <= 64, `pids.current ${procs.trim()} stays within the limit`);
  });
});

sandboxTest(
  "escape matrix: allocating past the memory limit is an OOM kill, reported as such",
  async () => {
    await withManager(async (m) => {
      const id = await started(m, { limits: { memoryBytes: 192 << 20 } });
      const r = await m.exec(admin, id, {
        argv: ["perl", "-e", '$x = "a" x (400 * 1024 * 1024); print length $x'],
      });
      assert.equal(r.reason, "oom");
      assert.equal(r.exitCode, 137);
      assert.equal(r.signal, "SIGKILL");
      assert.equal(
        (await sh(m, id, "echo still-alive")).out,
        "still-alive\n",
        "the sandbox survives",
      );
    });
  },
);

sandboxTest("escape matrix: running past the timeout is killed with status 124", async () => {
  await withManager(async (m) => {
    const id = await started(m, { limits: { memoryBytes: 256 << 20, timeoutS: 2 } });
    const t0 = performance.now();
    const r = await sh(m, id, "sleep 30 & sleep 30");
    assert.equal(r.reason, "timeout");
    assert.equal(r.exitCode, 124);
    assert.ok(performance.now() - t0 < 6000, "killed near the 2 s limit");
    assert.equal(
      (await sh(m, id, "ps -e -o comm | grep -c sleep || true")).out,
      "0\n",
      "and its children with it",
    );
    await assert.rejects(
      m.exec(admin, id, { argv: ["true"], timeoutS: 5 }),
      /at most the sandbox's 2 s/,
    );
  });
});

sandboxTest("escape matrix: filling past the disk limit is ENOSPC", async () => {
  await withManager(async (m) => {
    const id = await started(m, { limits: { memoryBytes: 256 << 20, diskBytes: 32 << 20 } });
    const r = await sh(
      m,
      id,
      "dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>&1; echo status=$?; df -k / | tail -1",
    );
    assert.match(r.out, /No space left on device/);
    assert.match(r.out, /status=1/);
    assert.ok(r.reason === "exited", "a full disk is not an OOM kill");
  });
});

sandboxTest("escape matrix: CPU use is held to the quota (measured)", async () => {
  await withManager(async (m) => {
    const id = await started(m, { limits: { memoryBytes: 256 << 20, cpus: 0.5 } });
    // Two busy loops for 2 s of wall clock could use 4 s of CPU on two cores; the quota of half
    // a CPU allows about 1 s.
    const r = await sh(
      m,
      id,
      "timeout 2 sh -c 'while :; do :; done' & timeout 2 sh -c 'while :; do :; done'; wait",
    );
    console.log(`cpus=0.5: ${r.cpuMs} ms of CPU in ${r.durationMs} ms`);
    assert.ok(r.cpuMs > 200, `the loops ran (${r.cpuMs} ms)`);
    assert.ok(r.cpuMs < 1400, `at most about half a CPU: ${r.cpuMs} ms in ${r.durationMs} ms`);
  });
});

async function findCgroupFile(base: string, id: string, file: string): Promise<string> {
  for await (const inst of Deno.readDir(base)) {
    const p = `${base}/${inst.name}/${id}/${file}`;
    if (await Deno.stat(p).then(() => true, () => false)) return p;
  }
  throw new Error(`no cgroup for ${id} under ${base}`);
}

async function hostProcessesOf(uid: number): Promise<number[]> {
  const out: number[] = [];
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    const status = await Deno.readTextFile(`/proc/${e.name}/status`).catch(() => "");
    const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    if (Number(real) === uid) out.push(Number(e.name));
  }
  return out;
}
