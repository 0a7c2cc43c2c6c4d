// The x86 instruction parser (assembly/cm/x86-parse.ts) that gives x86 code its contexts:
// it finds the instruction boundaries objdump finds, and takes any bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { devCodecInstance } from './helpers/dev-wasm.js';

type ParseExports = {
  memory: WebAssembly.Memory;
  setup(maxFrame: number): number;
  inputPtr(): number;
  x86Roles(n: number): void;
};

const ROLE_START = 0;
const ROLE_IMM = 8;

// x86-64 instructions (objdump's encodings), one per string.
const INSTRUCTIONS = [
  '48 89 34 24', // mov %rsi,(%rsp)
  '64 48 8b 04 25 28 00 00 00', // mov %fs:0x28,%rax (SIB, no base: disp32)
  '48 89 84 24 f8 03 00 00', // mov %rax,0x3f8(%rsp)
  'bf 03 00 00 00', // mov $0x3,%edi
  'c7 05 59 8c 01 00 02 00 00 00', // movl $0x2,0x18c59(%rip)
  'e8 27 f9 ff ff', // call
  '48 83 bc 24 d0 02 00 00 01', // cmpq $0x1,0x2d0(%rsp)
  '75 d0', // jne
  '66 0f 6f 2d 78 8c 01 00', // movdqa 0x18c78(%rip),%xmm5
  '0f 11 ac 24 d8 02 00 00', // movups %xmm5,0x2d8(%rsp)
  '48 b8 01 02 03 04 05 06 07 08', // movabs $imm64,%rax
  '66 b8 34 12', // mov $0x1234,%ax
  'f6 c2 01', // test $0x1,%dl
  'f7 d8', // neg %eax
  'f7 c1 00 01 00 00', // test $0x100,%ecx
  'c5 f9 6f 05 10 00 00 00', // vmovdqa 0x10(%rip),%xmm0 (VEX, two bytes)
  'c4 e3 79 0f c1 08', // vpalignr $0x8,%xmm1,%xmm0,%xmm0 (VEX, three bytes, map 0F 3A)
  '66 0f 38 00 c1', // pshufb %xmm1,%xmm0
  '0f 85 10 00 00 00', // jne rel32
  'f3 48 ab', // rep stos %rax,%es:(%rdi)
  'c3', // ret
  '66 0f 1f 44 00 00', // nopw 0x0(%rax,%rax,1)
  '0f 1f 80 00 00 00 00', // nopl 0x0(%rax)
  'c8 10 00 00', // enter $0x10,$0x0
];

function instance(): ParseExports {
  return devCodecInstance() as unknown as ParseExports;
}

function roles(x: ParseExports, bytes: Uint8Array): Uint8Array {
  new Uint8Array(x.memory.buffer, x.inputPtr(), bytes.length).set(bytes);
  x.x86Roles(bytes.length);
  return new Uint8Array(x.memory.buffer, x.inputPtr(), bytes.length).slice();
}

describe('x86 instruction parser', () => {
  it('starts an instruction exactly where each one starts', () => {
    const x = instance();
    const parts = INSTRUCTIONS.map((s) => Uint8Array.from(s.split(' ').map((h) => parseInt(h, 16))));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    const starts: number[] = [];
    let at = 0;
    for (const p of parts) {
      starts.push(at);
      bytes.set(p, at);
      at += p.length;
    }
    const r = roles(x, bytes);
    const found: number[] = [];
    r.forEach((role, i) => role === ROLE_START && found.push(i));
    expect(found).toEqual(starts);
  });

  it('takes any bytes and gives every one a role', () => {
    const x = instance();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        for (const role of roles(x, bytes)) expect(role).toBeLessThanOrEqual(ROLE_IMM);
      }),
      { numRuns: 100 },
    );
  });
});
