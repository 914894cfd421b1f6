/**
 * @module CAVE, the sandbox kernel: the public face of kernel/. Callers (the HTTP routes and the
 * CLI in src/) use {@link SandboxManager} for the lifecycle, {@link verifyAuditFile} for the
 * audit log, and the spec helpers to parse what users type.
 */
export {
  type AuditEvent,
  AuditLog,
  type AuditVerdict,
  importPublicKey,
  verifyAuditFile,
} from "./audit.ts";
export {
  type CgroupDriver,
  type CgroupHost,
  detectCgroups,
  type SandboxCgroup,
} from "./cgroups.ts";
export { CaveError, type CaveErrorCode, KernelError, kernelError } from "./errors.ts";
export * as limits from "./limits.ts";
export {
  type Caller,
  type CreateRequest,
  defaultNamespace,
  type ManagerOptions,
  SandboxManager,
} from "./manager.ts";
export type { ExecResult, OutputSink, SandboxInfo, SandboxState } from "./sandbox.ts";
export { seccompProfileNames } from "./seccomp/mod.ts";
export {
  type ExecRequest,
  formatSize,
  type LimitMaxima,
  parseSize,
  type SandboxLimits,
  type SandboxRequest,
} from "./spec.ts";
