import assert from "node:assert/strict";
import { keptCapabilities, ms, planExec, planInit } from "../../kernel/plan.ts";

const seccomp = { profile: "default", programBase64: "AAAA" };

Deno.test("planInit mounts the overlay first, pivots after every mount, and locks down last", () => {
  const steps = planInit({
    rootDir: "/run/bkg-cave/sb/i/sb1/root",
    diskDir: "/run/bkg-cave/sb/i/sb1/disk",
    lower: { kind: "host", skeleton: "/run/bkg-cave/rt/lower", binds: ["/usr"] },
    runtimeDir: "/run/bkg-cave/rt",
    hostname: "sb1",
    seccomp,
  });
  const names = steps.map((s) => s.op === "mount" ? `mount(${s.what})` : s.op);
  assert.equal(names[0], "setsid", "first leave the host's session and terminal");
  assert.equal(names[1], "mount(make-rprivate)");
  assert.equal(names[2], "mount(overlay)");
  const overlay = steps[2]!;
  assert.ok(overlay.op === "mount");
  assert.equal(
    overlay.data,
    "lowerdir=/run/bkg-cave/rt/lower,upperdir=/run/bkg-cave/sb/i/sb1/disk/upper,workdir=/run/bkg-cave/sb/i/sb1/disk/work",
  );
  const pivot = names.indexOf("pivot_root");
  assert.ok(names.slice(0, pivot).includes("mount(bind(/usr)(remount ro))"));
  assert.ok(names.slice(0, pivot).includes("mount(proc)"));
  assert.ok(names.slice(0, pivot).includes("mount(bind(runtime)(remount ro))"));
  assert.ok(!names.slice(pivot).some((n) => n.startsWith("mount")), "no mount after pivot_root");
  assert.deepEqual(names.slice(pivot), [
    "pivot_root",
    "sethostname",
    "loopback_up",
    "not_dumpable",
    "no_new_privs",
    "seccomp",
    "ready",
  ]);
  for (const s of steps) {
    if (s.op === "mount" && s.what.endsWith("(remount ro)")) {
      assert.equal(s.flags & (ms.rdonly | ms.nosuid | ms.nodev), ms.rdonly | ms.nosuid | ms.nodev);
    }
  }
});

Deno.test("planInit with an image uses it as the only lower layer and binds no host directory", () => {
  const steps = planInit({
    rootDir: "/r",
    diskDir: "/d",
    lower: { kind: "image", dir: "/images/alpine" },
    runtimeDir: "/rt",
    hostname: "h",
    seccomp,
  });
  const overlay = steps.find((s) => s.op === "mount" && s.what === "overlay");
  assert.ok(overlay?.op === "mount" && overlay.data.startsWith("lowerdir=/images/alpine,"));
  assert.ok(!steps.some((s) => s.op === "mount" && s.what === "bind(/usr)"));
});

Deno.test("planExec drops privileges before seccomp and ends with execve", () => {
  const steps = planExec({
    argv: ["ls", "-l"],
    env: ["PATH=/bin:/usr/bin", "HOME=/tmp"],
    cwd: "/tmp",
    openFiles: 256,
    seccomp,
  });
  assert.deepEqual(steps.map((s) => s.op), [
    "setrlimit",
    "setrlimit",
    "setsid",
    "chdir",
    "drop_capabilities",
    "no_new_privs",
    "seccomp",
    "execve",
  ]);
  const last = steps.at(-1)!;
  assert.ok(last.op === "execve");
  assert.deepEqual(last.path, ["/bin", "/usr/bin"]);
  const caps = steps.find((s) => s.op === "drop_capabilities");
  assert.ok(caps?.op === "drop_capabilities");
  assert.ok(!caps.keep.includes(21), "CAP_SYS_ADMIN is dropped");
  assert.ok(!caps.keep.includes(19), "CAP_SYS_PTRACE is dropped");
  assert.equal(keptCapabilities.length, 14);
});
