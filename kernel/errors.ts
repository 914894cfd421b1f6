/**
 * @module CAVE's two kinds of expected failure. A `KernelError { syscall, errno, path }` is a
 * failed system call or host tool, worded like bubblewrap (`mount(overlay) failed: EPERM:
 * /run/bkg/x/merged`); it is built only by {@link kernelError}. A `CaveError` is a refusal of a
 * request (bad spec, wrong state, unknown sandbox, missing host support), with a code the doors
 * map to statuses.
 */

/** errno number → name, for the ones a sandbox setup can meet. */
const errnoNames: Readonly<Record<number, string>> = {
  1: "EPERM",
  2: "ENOENT",
  3: "ESRCH",
  4: "EINTR",
  5: "EIO",
  7: "E2BIG",
  8: "ENOEXEC",
  9: "EBADF",
  10: "ECHILD",
  11: "EAGAIN",
  12: "ENOMEM",
  13: "EACCES",
  14: "EFAULT",
  16: "EBUSY",
  17: "EEXIST",
  18: "EXDEV",
  19: "ENODEV",
  20: "ENOTDIR",
  21: "EISDIR",
  22: "EINVAL",
  24: "EMFILE",
  25: "ENOTTY",
  26: "ETXTBSY",
  28: "ENOSPC",
  30: "EROFS",
  36: "ENAMETOOLONG",
  38: "ENOSYS",
  39: "ENOTEMPTY",
  40: "ELOOP",
  95: "EOPNOTSUPP",
};

/** The symbolic name of an errno (`EPERM`), or `errno N` when unknown. */
export function errnoName(errno: number): string {
  return errnoNames[errno] ?? `errno ${errno}`;
}

/** A failed system call or host tool. */
export class KernelError extends Error {
  constructor(
    readonly syscall: string,
    readonly errno: number,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "KernelError";
  }
}

/**
 * The one place a KernelError is made: `syscall` names the call and its flavour
 * (`mount(overlay)`), `errno` is 0 when a host tool failed without one, `path` what it acted on.
 *
 * @example
 * throw kernelError("mount(overlay)", 1, "/run/bkg/x/merged"); // mount(overlay) failed: EPERM: …
 */
export function kernelError(
  syscall: string,
  errno: number,
  path: string,
  detail?: string,
): KernelError {
  const parts = [`${syscall} failed`];
  if (errno !== 0) parts.push(errnoName(errno));
  if (path !== "") parts.push(path);
  if (detail !== undefined && detail !== "") parts.push(detail);
  return new KernelError(syscall, errno, path, parts.join(": "));
}

/** Why a request was refused; the HTTP door maps each code to a status. */
export type CaveErrorCode =
  | "invalid" // 400: a spec or argument that can never work
  | "not_found" // 404: no such sandbox (or one the caller may not see)
  | "conflict" // 409: the sandbox is in the wrong state for the step
  | "limit" // 429/503: too many sandboxes, no free uid
  | "unsupported"; // 503: the host lacks what CAVE needs (names what)

/** A refused request. Messages follow PostgreSQL's style: lowercase, no trailing period. */
export class CaveError extends Error {
  constructor(readonly code: CaveErrorCode, message: string) {
    super(message);
    this.name = "CaveError";
  }
}
