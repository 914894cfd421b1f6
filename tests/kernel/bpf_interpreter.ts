/**
 * @module A tiny classic-BPF interpreter for seccomp programs, to check the compiler without a
 * kernel: it runs a program over a `seccomp_data` (nr, arch, args) and returns the SECCOMP_RET_*
 * value, rejecting what the kernel's checker would (unknown opcodes, jumps out of the program,
 * falling off the end).
 */

/** `struct seccomp_data` as the interpreter reads it. */
export interface SeccompData {
  nr: number;
  arch: number;
  args: readonly bigint[];
}

interface Ins {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

function word(data: SeccompData, offset: number): number {
  if (offset === 0) return data.nr >>> 0;
  if (offset === 4) return data.arch >>> 0;
  if (offset === 8 || offset === 12) return 0; // instruction pointer: not used by the compiler
  const i = Math.floor((offset - 16) / 8);
  if (offset < 16 || offset % 4 !== 0 || i > 5) throw new Error(`bad load offset ${offset}`);
  const arg = data.args[i] ?? 0n;
  return Number(offset % 8 === 0 ? arg & 0xffffffffn : (arg >> 32n) & 0xffffffffn);
}

/** Runs `program` on `data`; returns the 32-bit return value. */
export function runBpf(program: readonly Ins[], data: SeccompData): number {
  let a = 0;
  let pc = 0;
  for (let steps = 0; steps < 100_000; steps++) {
    const ins = program[pc];
    if (ins === undefined) throw new Error(`pc ${pc} fell off the program`);
    const jump = (cond: boolean) => {
      pc += 1 + (cond ? ins.jt : ins.jf);
    };
    switch (ins.code) {
      case 0x20: // ld w abs
        a = word(data, ins.k);
        pc++;
        break;
      case 0x15: // jeq k
        jump(a === ins.k >>> 0);
        break;
      case 0x25: // jgt k
        jump(a > ins.k >>> 0);
        break;
      case 0x35: // jge k
        jump(a >= ins.k >>> 0);
        break;
      case 0x45: // jset k
        jump(((a & ins.k) >>> 0) !== 0);
        break;
      case 0x05: // ja
        pc += 1 + ins.k;
        break;
      case 0x06: // ret k
        return ins.k >>> 0;
      default:
        throw new Error(`opcode 0x${ins.code.toString(16)} not supported`);
    }
  }
  throw new Error("program did not return");
}
