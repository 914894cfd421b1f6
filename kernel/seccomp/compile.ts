/**
 * @module The seccomp compiler: a named profile becomes a classic BPF program for x86_64. The
 * program kills the process on any other architecture, refuses the x32 ABI, then tests the
 * rules in order (a linear chain of short forward jumps, so no offset can overflow its byte),
 * and ends with the profile's default action.
 */
import { assert } from "../assert.ts";
import { CaveError } from "../errors.ts";
import { maxBpfInstructions } from "../limits.ts";
import {
  auditArchX86_64,
  type BpfInstruction,
  dataOffset,
  jeqK,
  jgeK,
  jsetK,
  ldAbsW,
  ret,
  retK,
  x32SyscallBit,
} from "./bpf.ts";
import { errno, type SeccompAction, type SeccompProfile, seccompProfiles } from "./profiles.ts";
import { x86_64Syscalls } from "./syscalls.ts";

/** The SECCOMP_RET_* value of an action. */
export function actionValue(action: SeccompAction): number {
  switch (action.kind) {
    case "allow":
      return ret.allow;
    case "kill":
      return ret.killProcess;
    case "errno":
      assert(action.errno > 0 && action.errno < 4096, "errno fits SECCOMP_RET_DATA");
      return (ret.errno | action.errno) >>> 0;
  }
}

const ins = (code: number, k: number, jt = 0, jf = 0): BpfInstruction => ({ code, jt, jf, k });

/**
 * Compiles `profile` to BPF.
 *
 * @example
 * const program = compileProfile(seccompProfiles.default!); // encodeProgram(program) for the kernel
 */
export function compileProfile(profile: SeccompProfile): BpfInstruction[] {
  const out: BpfInstruction[] = [
    ins(ldAbsW, dataOffset.arch),
    ins(jeqK, auditArchX86_64, 1, 0),
    ins(retK, ret.killProcess),
    ins(ldAbsW, dataOffset.nr),
    // x32 calls carry bit 30; they would bypass every rule below, so they are refused.
    ins(jgeK, x32SyscallBit, 0, 1),
    ins(retK, actionValue({ kind: "errno", errno: errno.ENOSYS })),
  ];
  for (const rule of profile.rules) {
    const nr = x86_64Syscalls[rule.syscall];
    if (nr === undefined) {
      throw new CaveError(
        "invalid",
        `seccomp profile "${profile.name}" names unknown system call "${rule.syscall}"`,
      );
    }
    const value = actionValue(rule.action);
    if (rule.argMaskAny === undefined) {
      out.push(ins(jeqK, nr, 0, 1), ins(retK, value));
      continue;
    }
    const { arg, mask } = rule.argMaskAny;
    assert(arg >= 0 && arg < 6, "seccomp_data has six arguments");
    // Matched: load the argument, test the mask and answer either way; unmatched skips all four.
    out.push(
      ins(jeqK, nr, 0, 4),
      ins(ldAbsW, dataOffset.argLow(arg)),
      ins(jsetK, mask, 0, 1),
      ins(retK, value),
      ins(retK, ret.allow),
    );
  }
  out.push(ins(retK, actionValue(profile.defaultAction)));
  assert(out.length <= maxBpfInstructions, "seccomp program fits BPF_MAXINSNS");
  return out;
}

/** Looks a profile up by name; an unknown name is a CaveError listing the known ones. */
export function profileByName(name: string): SeccompProfile {
  const profile = seccompProfiles[name];
  if (profile === undefined) {
    throw new CaveError(
      "invalid",
      `unknown seccomp profile "${name}" (known: ${Object.keys(seccompProfiles).join(", ")})`,
    );
  }
  return profile;
}
