/**
 * @module The public face of kernel/seccomp: named profiles compiled to classic BPF for
 * x86_64, and the encoding the kernel reads.
 */
export { decodeProgram, encodeProgram } from "./bpf.ts";
export { actionValue, compileProfile, profileByName } from "./compile.ts";
export {
  type SeccompAction,
  type SeccompProfile,
  seccompProfileNames,
  seccompProfiles,
  type SeccompRule,
} from "./profiles.ts";
