import assert from "node:assert/strict";
import { decodeProgram, encodeProgram } from "../../kernel/seccomp/bpf.ts";
import { actionValue, compileProfile, profileByName } from "../../kernel/seccomp/compile.ts";
import {
  cloneNamespaceFlags,
  deniedSyscalls,
  enosysSyscalls,
  type SeccompProfile,
  seccompProfiles,
  strictAllowed,
} from "../../kernel/seccomp/profiles.ts";
import { x86_64Syscalls } from "../../kernel/seccomp/syscalls.ts";
import { runBpf, type SeccompData } from "./bpf_interpreter.ts";

const x86_64 = 0xc000003e;
const allow = 0x7fff0000;
const eperm = 0x00050001;
const enosys = 0x00050026;
const kill = 0x80000000;

const call = (name: string, arg0 = 0n): SeccompData => ({
  nr: x86_64Syscalls[name]!,
  arch: x86_64,
  args: [arg0, 0n, 0n, 0n, 0n, 0n],
});

/** What a profile means, written independently of the compiler: the oracle of the property test. */
function expected(profile: SeccompProfile, data: SeccompData): number {
  if (data.arch !== x86_64) return kill;
  if (data.nr >= 0x40000000) return enosys;
  for (const rule of profile.rules) {
    if (x86_64Syscalls[rule.syscall] !== data.nr) continue;
    if (rule.argMaskAny) {
      const low = Number((data.args[rule.argMaskAny.arg] ?? 0n) & 0xffffffffn);
      if ((low & rule.argMaskAny.mask) === 0) return allow;
    }
    return actionValue(rule.action);
  }
  return actionValue(profile.defaultAction);
}

Deno.test("seccomp default profile blocks the escape calls and allows ordinary ones", () => {
  const prog = compileProfile(profileByName("default"));
  for (const name of ["mount", "kexec_load", "bpf", "perf_event_open", "keyctl", "add_key"]) {
    assert.equal(runBpf(prog, call(name)), eperm, name);
  }
  for (const name of ["init_module", "finit_module", "reboot", "unshare", "setns", "ptrace"]) {
    assert.equal(runBpf(prog, call(name)), eperm, name);
  }
  for (const name of ["io_uring_setup", "io_uring_enter", "io_uring_register", "clone3"]) {
    assert.equal(runBpf(prog, call(name)), enosys, name);
  }
  for (const name of ["read", "write", "openat", "execve", "mmap", "chroot", "socket"]) {
    assert.equal(runBpf(prog, call(name)), allow, name);
  }
  // A thread (CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD) is fine; a new user or
  // pid namespace is not.
  assert.equal(runBpf(prog, call("clone", 0x10f00n)), allow);
  assert.equal(runBpf(prog, call("clone", 0x10000000n | 0x11n)), eperm);
  assert.equal(runBpf(prog, call("clone", 0x20000000n)), eperm);
});

Deno.test("seccomp programs kill other architectures and refuse the x32 ABI", () => {
  for (const profile of Object.values(seccompProfiles)) {
    const prog = compileProfile(profile);
    assert.equal(runBpf(prog, { nr: 0, arch: 0x40000003, /* i386 */ args: [] }), kill);
    assert.equal(runBpf(prog, { nr: 0x40000000 + 1, arch: x86_64, args: [] }), enosys);
  }
});

Deno.test("seccomp strict profile allows its list and refuses the rest with EPERM", () => {
  const prog = compileProfile(profileByName("strict"));
  for (const name of strictAllowed.filter((n) => n !== "clone")) {
    assert.equal(runBpf(prog, call(name)), allow, name);
  }
  for (const name of ["chroot", "sethostname", "mount", "bpf", "ptrace", "personality"]) {
    assert.equal(runBpf(prog, call(name)), eperm, name);
  }
  assert.equal(runBpf(prog, call("io_uring_setup")), enosys);
  assert.equal(runBpf(prog, call("clone", BigInt(cloneNamespaceFlags))), eperm);
});

Deno.test("seccomp compiler agrees with the profile's meaning on random calls", () => {
  let seed = 0x2545f491;
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  for (const profile of Object.values(seccompProfiles)) {
    const prog = decodeProgram(encodeProgram(compileProfile(profile)));
    for (let i = 0; i < 20_000; i++) {
      const r = rand();
      const data: SeccompData = {
        nr: r % 16 === 0 ? rand() : r % 470,
        arch: r % 97 === 0 ? rand() : x86_64,
        args: [BigInt(rand()) | (BigInt(rand()) << 32n), BigInt(rand()), 0n, 0n, 0n, 0n],
      };
      assert.equal(
        runBpf(prog, data),
        expected(profile, data),
        JSON.stringify({ ...data, args: [] }),
      );
    }
  }
});

Deno.test("seccomp profiles name only known calls and every denied call is in the table", () => {
  for (const name of [...deniedSyscalls, ...enosysSyscalls, ...strictAllowed]) {
    assert.ok(x86_64Syscalls[name] !== undefined, name);
  }
  assert.throws(() => profileByName("nope"), /unknown seccomp profile "nope"/);
  assert.throws(
    () =>
      compileProfile({
        name: "bad",
        defaultAction: { kind: "allow" },
        rules: [{ syscall: "frobnicate", action: { kind: "kill" } }],
      }),
    /unknown system call "frobnicate"/,
  );
});

Deno.test("seccomp programs encode to 8 bytes per instruction and decode back", () => {
  const prog = compileProfile(profileByName("default"));
  const bytes = encodeProgram(prog);
  assert.equal(bytes.length, prog.length * 8);
  assert.deepEqual(decodeProgram(bytes), prog);
});
