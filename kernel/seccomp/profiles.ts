/**
 * @module The named seccomp profiles. `default` follows the spirit of Docker's default profile:
 * everything an ordinary program needs is allowed, while the calls that reach the host kernel's
 * global state (mounts, modules, kexec, bpf, perf, keyrings, reboot, clocks, swap, namespaces,
 * ptrace) fail with EPERM and io_uring and clone3 fail with ENOSYS (as Docker does since 25, so
 * that libraries fall back). `strict` is an allowlist of plain POSIX work: files, memory,
 * processes, signals, time, pipes and sockets; everything else is EPERM.
 */

/** What a filter does with a call. */
export type SeccompAction =
  | { kind: "allow" }
  | { kind: "errno"; errno: number }
  | { kind: "kill" };

/** One rule: `syscall` gets `action`, or only when `argMaskAny` bits are set in an argument. */
export interface SeccompRule {
  syscall: string;
  action: SeccompAction;
  /** When present, the rule applies only if `(args[arg] & mask) != 0`; otherwise the call is allowed. */
  argMaskAny?: { arg: number; mask: number };
}

/** A named profile: rules first, then the default action. */
export interface SeccompProfile {
  name: string;
  defaultAction: SeccompAction;
  rules: readonly SeccompRule[];
}

/** errno values the profiles return. */
export const errno = { EPERM: 1, ENOSYS: 38 } as const;

const eperm: SeccompAction = { kind: "errno", errno: errno.EPERM };
const enosys: SeccompAction = { kind: "errno", errno: errno.ENOSYS };
const allow: SeccompAction = { kind: "allow" };

/**
 * CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
 * CLONE_NEWNET: a clone that asks for any new namespace is refused.
 */
export const cloneNamespaceFlags = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 |
  0x10000000 | 0x20000000 | 0x40000000;

/** Calls no sandboxed workload may make (EPERM). */
export const deniedSyscalls: readonly string[] = [
  // Mounting, in both the old and the new mount API.
  "mount",
  "umount2",
  "pivot_root",
  "fsopen",
  "fsconfig",
  "fsmount",
  "fspick",
  "move_mount",
  "open_tree",
  "open_tree_attr",
  "mount_setattr",
  "swapon",
  "swapoff",
  // Namespaces: nested user namespaces and joining others.
  "unshare",
  "setns",
  // The kernel itself.
  "kexec_load",
  "kexec_file_load",
  "init_module",
  "finit_module",
  "delete_module",
  "create_module",
  "get_kernel_syms",
  "query_module",
  "reboot",
  "bpf",
  "perf_event_open",
  "lookup_dcookie",
  "syslog",
  "acct",
  "quotactl",
  "quotactl_fd",
  "nfsservctl",
  "uselib",
  "ustat",
  "sysfs",
  "_sysctl",
  "iopl",
  "ioperm",
  "vhangup",
  // Keyrings are not namespaced.
  "keyctl",
  "add_key",
  "request_key",
  // Other processes' memory and handles.
  "ptrace",
  "process_vm_readv",
  "process_vm_writev",
  "kcmp",
  "open_by_handle_at",
  "name_to_handle_at",
  "userfaultfd",
  "fanotify_init",
  // The host's clocks.
  "settimeofday",
  "clock_settime",
  "clock_adjtime",
  "adjtimex",
  // NUMA policy of the host's memory.
  "mbind",
  "set_mempolicy",
  "migrate_pages",
  "move_pages",
];

/** Calls that answer ENOSYS so that callers fall back (Docker 25+). */
export const enosysSyscalls: readonly string[] = [
  "io_uring_setup",
  "io_uring_enter",
  "io_uring_register",
  "clone3",
];

/** The namespace check on clone, shared by both profiles. */
const cloneRule: SeccompRule = {
  syscall: "clone",
  action: eperm,
  argMaskAny: { arg: 0, mask: cloneNamespaceFlags },
};

const defaultProfile: SeccompProfile = {
  name: "default",
  defaultAction: allow,
  rules: [
    ...deniedSyscalls.map((syscall) => ({ syscall, action: eperm })),
    ...enosysSyscalls.map((syscall) => ({ syscall, action: enosys })),
    cloneRule,
  ],
};

/** The allowlist of `strict`. */
export const strictAllowed: readonly string[] = [
  // Files and directories.
  ..."read write open close stat fstat lstat newfstatat statx poll ppoll lseek pread64 pwrite64"
    .split(" "),
  ..."readv writev preadv pwritev preadv2 pwritev2 access faccessat faccessat2 pipe pipe2 select"
    .split(" "),
  ..."pselect6 dup dup2 dup3 fcntl flock fsync fdatasync truncate ftruncate getdents getdents64"
    .split(" "),
  ..."getcwd chdir fchdir rename renameat renameat2 mkdir mkdirat rmdir creat link linkat unlink"
    .split(" "),
  ..."unlinkat symlink symlinkat readlink readlinkat chmod fchmod fchmodat chown fchown lchown"
    .split(" "),
  ..."fchownat umask openat openat2 close_range statfs fstatfs utime utimes utimensat futimesat"
    .split(" "),
  ..."sendfile copy_file_range splice tee ioctl fadvise64 fallocate getxattr lgetxattr fgetxattr"
    .split(" "),
  ..."listxattr llistxattr flistxattr setxattr fsetxattr lsetxattr removexattr fremovexattr"
    .split(" "),
  ..."inotify_init inotify_init1 inotify_add_watch inotify_rm_watch sync syncfs".split(" "),
  // Memory.
  ..."mmap mprotect munmap brk mremap msync mincore madvise mlock munlock memfd_create".split(" "),
  // Processes, threads and signals.
  ..."clone fork vfork execve execveat exit exit_group wait4 waitid kill tgkill tkill getpid"
    .split(" "),
  ..."getppid gettid getuid geteuid getgid getegid getresuid getresgid getgroups getpgrp getpgid"
    .split(" "),
  ..."setpgid setsid getsid rt_sigaction rt_sigprocmask rt_sigreturn rt_sigsuspend rt_sigpending"
    .split(" "),
  ..."rt_sigtimedwait rt_sigqueueinfo sigaltstack pause arch_prctl set_tid_address set_robust_list"
    .split(" "),
  ..."get_robust_list futex futex_waitv rseq prctl prlimit64 getrlimit setrlimit getrusage times"
    .split(" "),
  ..."sched_yield sched_getaffinity sched_setaffinity sched_getparam sched_getscheduler uname"
    .split(" "),
  ..."getpriority setpriority capget getrandom sysinfo pidfd_open pidfd_send_signal pidfd_getfd"
    .split(" "),
  ..."eventfd eventfd2 signalfd signalfd4 timerfd_create timerfd_settime timerfd_gettime"
    .split(" "),
  ..."epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait epoll_pwait2".split(" "),
  // Time.
  ..."clock_gettime clock_getres clock_nanosleep nanosleep gettimeofday time alarm getitimer"
    .split(" "),
  "setitimer",
  // Sockets (the sandbox's network namespace has only loopback).
  ..."socket socketpair connect accept accept4 bind listen shutdown getsockname getpeername"
    .split(" "),
  ..."sendto recvfrom sendmsg recvmsg sendmmsg recvmmsg setsockopt getsockopt".split(" "),
];

const strictProfile: SeccompProfile = {
  name: "strict",
  defaultAction: eperm,
  rules: [
    ...enosysSyscalls.map((syscall) => ({ syscall, action: enosys })),
    cloneRule,
    ...strictAllowed.filter((s) => s !== "clone").map((syscall) => ({ syscall, action: allow })),
  ],
};

/** Every profile by name. */
export const seccompProfiles: Readonly<Record<string, SeccompProfile>> = {
  default: defaultProfile,
  strict: strictProfile,
};

/** The profile names, for validation and help texts. */
export const seccompProfileNames: readonly string[] = Object.keys(seccompProfiles);
