/**
 * @module Classic BPF as seccomp uses it: the instruction encoding (`struct sock_filter`), the
 * opcodes the compiler emits, the `seccomp_data` offsets and the SECCOMP_RET_* actions.
 */

/** One `struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; }`. */
export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** BPF_LD | BPF_W | BPF_ABS: A = 32-bit word at offset k of seccomp_data. */
export const ldAbsW = 0x20;
/** BPF_JMP | BPF_JEQ | BPF_K. */
export const jeqK = 0x15;
/** BPF_JMP | BPF_JGE | BPF_K. */
export const jgeK = 0x35;
/** BPF_JMP | BPF_JSET | BPF_K: jump if A & k. */
export const jsetK = 0x45;
/** BPF_JMP | BPF_JA: jump always by k. */
export const ja = 0x05;
/** BPF_RET | BPF_K. */
export const retK = 0x06;

/** Offsets in `struct seccomp_data { int nr; __u32 arch; __u64 ip; __u64 args[6]; }`. */
export const dataOffset = {
  nr: 0,
  arch: 4,
  /** The low 32 bits of args[i] (little-endian) are at 16 + 8 * i. */
  argLow: (i: number) => 16 + 8 * i,
} as const;

/** AUDIT_ARCH_X86_64 = EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
export const auditArchX86_64 = 0xc000003e;
/** Numbers at or above this are the x32 ABI on x86_64. */
export const x32SyscallBit = 0x40000000;

/** SECCOMP_RET_* values. */
export const ret = {
  killProcess: 0x80000000,
  errno: 0x00050000,
  allow: 0x7fff0000,
} as const;

/** Serializes a program as the kernel reads it: 8 bytes per instruction, native endian. */
export function encodeProgram(program: readonly BpfInstruction[]): Uint8Array {
  const bytes = new Uint8Array(program.length * 8);
  const view = new DataView(bytes.buffer);
  program.forEach((ins, i) => {
    view.setUint16(i * 8, ins.code, true);
    view.setUint8(i * 8 + 2, ins.jt);
    view.setUint8(i * 8 + 3, ins.jf);
    view.setUint32(i * 8 + 4, ins.k >>> 0, true);
  });
  return bytes;
}

/** Reads back what {@link encodeProgram} wrote. */
export function decodeProgram(bytes: Uint8Array): BpfInstruction[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: BpfInstruction[] = [];
  for (let i = 0; i + 8 <= bytes.length; i += 8) {
    out.push({
      code: view.getUint16(i, true),
      jt: view.getUint8(i + 2),
      jf: view.getUint8(i + 3),
      k: view.getUint32(i + 4, true),
    });
  }
  return out;
}
