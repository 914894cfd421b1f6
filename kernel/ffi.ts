/**
 * @module libc through Deno FFI: the one symbols table (each parameter commented with its C
 * type, as denodrivers/sqlite3 does), string and pointer helpers, and {@link check}, the one
 * place where a failed call becomes a KernelError naming the call, its errno and its path.
 * Only the init (inside the sandbox) opens libc; the host side never calls into it.
 */
import { kernelError } from "./errors.ts";

/** x86_64 system call numbers that glibc does not wrap. */
const sysPivotRoot = 155n;
const sysSeccomp = 317n;

const symbols = {
  /** int *__errno_location(void) */
  __errno_location: { parameters: [], result: "pointer" },
  mount: {
    parameters: [
      "buffer", // const char *source
      "buffer", // const char *target
      "buffer", // const char *filesystemtype
      "u64", // unsigned long mountflags
      "buffer", // const void *data
    ],
    result: "i32", // int
  },
  umount2: {
    parameters: [
      "buffer", // const char *target
      "i32", // int flags
    ],
    result: "i32",
  },
  /** long syscall(SYS_pivot_root, const char *new_root, const char *put_old) */
  pivot_root: {
    name: "syscall",
    parameters: [
      "i64", // long number
      "buffer", // const char *new_root
      "buffer", // const char *put_old
    ],
    result: "i64",
  },
  /** long syscall(SYS_seccomp, unsigned int operation, unsigned int flags, void *args) */
  seccomp: {
    name: "syscall",
    parameters: [
      "i64", // long number
      "u32", // unsigned int operation
      "u32", // unsigned int flags
      "buffer", // struct sock_fprog *args
    ],
    result: "i64",
  },
  chdir: { parameters: ["buffer" /* const char *path */], result: "i32" },
  mkdir: {
    parameters: [
      "buffer", // const char *pathname
      "u32", // mode_t mode
    ],
    result: "i32",
  },
  symlink: {
    parameters: [
      "buffer", // const char *target
      "buffer", // const char *linkpath
    ],
    result: "i32",
  },
  sethostname: {
    parameters: [
      "buffer", // const char *name
      "usize", // size_t len
    ],
    result: "i32",
  },
  setrlimit: {
    parameters: [
      "i32", // int resource
      "buffer", // const struct rlimit *rlim
    ],
    result: "i32",
  },
  prctl: {
    parameters: [
      "i32", // int option
      "u64", // unsigned long arg2
      "u64", // unsigned long arg3
      "u64", // unsigned long arg4
      "u64", // unsigned long arg5
    ],
    result: "i32",
  },
  capset: {
    parameters: [
      "buffer", // cap_user_header_t hdrp
      "buffer", // const cap_user_data_t datap
    ],
    result: "i32",
  },
  setsid: { parameters: [], result: "i32" /* pid_t */ },
  waitpid: {
    parameters: [
      "i32", // pid_t pid
      "buffer", // int *wstatus
      "i32", // int options
    ],
    result: "i32", // pid_t
  },
  execve: {
    parameters: [
      "buffer", // const char *pathname
      "buffer", // char *const argv[]
      "buffer", // char *const envp[]
    ],
    result: "i32",
  },
  socket: {
    parameters: [
      "i32", // int domain
      "i32", // int type
      "i32", // int protocol
    ],
    result: "i32",
  },
  ioctl: {
    parameters: [
      "i32", // int fd
      "u64", // unsigned long request
      "buffer", // void *argp
    ],
    result: "i32",
  },
  close: { parameters: ["i32" /* int fd */], result: "i32" },
  umask: { parameters: ["u32" /* mode_t mask */], result: "u32" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The opened libc. */
export type Libc = Deno.DynamicLibrary<typeof symbols>["symbols"];

let opened: Deno.DynamicLibrary<typeof symbols> | undefined;

/** Opens libc once (`libc.so.6`). */
export function libc(): Libc {
  opened ??= Deno.dlopen("libc.so.6", symbols);
  return opened.symbols;
}

/** The calling thread's errno, read right after a failed call (FFI calls run on this thread). */
export function lastErrno(): number {
  const ptr = libc().__errno_location();
  return ptr === null ? 0 : new Deno.UnsafePointerView(ptr).getInt32();
}

/**
 * Checks a libc result: negative means failure, and the KernelError names `syscall`, the errno
 * and `path`. Returns the result otherwise.
 *
 * @example
 * check(libc().chdir(cstr("/")), "chdir", "/");
 */
export function check<T extends number | bigint>(result: T, syscall: string, path = ""): T {
  if (Number(result) < 0) throw kernelError(syscall, lastErrno(), path);
  return result;
}

/** A NUL-terminated C string. */
export function cstr(s: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${s}\0`);
}

/** A NULL-terminated array of C strings (`char *const argv[]`); keep `keep` alive during the call. */
export function cstrArray(items: readonly string[]): {
  array: BigUint64Array<ArrayBuffer>;
  keep: Uint8Array[];
} {
  const keep = items.map(cstr);
  const array = new BigUint64Array(items.length + 1);
  keep.forEach((buf, i) => {
    array[i] = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buf)));
  });
  return { array, keep };
}

/** pivot_root(2): glibc has no wrapper, so it goes through syscall(2). */
export function pivotRoot(newRoot: string, putOld: string): void {
  check(libc().pivot_root(sysPivotRoot, cstr(newRoot), cstr(putOld)), "pivot_root", newRoot);
}

/** seccomp(SECCOMP_SET_MODE_FILTER, flags, prog). */
export function seccompSetFilter(flags: number, fprog: Uint8Array<ArrayBuffer>): void {
  const setModeFilter = 1;
  check(libc().seccomp(sysSeccomp, setModeFilter, flags, fprog), "seccomp", "");
}
