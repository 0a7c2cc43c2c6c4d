import { hash2 } from "./hash";

// An x86 / x86-64 instruction parser for context modelling: a state machine that takes the
// frame's bytes one at a time and says what the next byte is in its instruction (its role),
// with the opcode, ModRM byte and prefixes seen so far. It decodes 64-bit mode (40..4F are
// REX, C4/C5 open a VEX prefix); 32-bit code parses the same but for inc/dec and les/lds.
//
// Every byte is accepted in every state and no instruction is longer than 15 + 8 bytes (the
// 16th prefix or REX in a row is read as an opcode), so data between functions only
// misparses until the parser falls back into step, which it does on its own within a few
// instructions. It reads nothing but the bytes it is given, and allocates nothing.
//
// Roles of the next byte (x86Role):
export const ROLE_START: u32 = 0; // an instruction's first byte: prefix, REX or opcode
export const ROLE_PREFIXED: u32 = 1; // after prefixes or REX: another one or the opcode
export const ROLE_ESCAPE: u32 = 2; // after 0F: the opcode, or 38 / 3A (three-byte maps)
export const ROLE_OPCODE: u32 = 3; // the opcode of a known map (after 0F 38, 0F 3A or VEX)
export const ROLE_VEX: u32 = 4; // a VEX prefix's payload byte
export const ROLE_MODRM: u32 = 5;
export const ROLE_SIB: u32 = 6;
export const ROLE_DISP: u32 = 7; // a byte of the displacement (x86Index: which)
export const ROLE_IMM: u32 = 8; // a byte of the immediate or relative target (x86Index: which)

// Operand kinds of an opcode (the low 4 bits of its table entry; bit 4: has a ModRM byte).
const IMM_NONE: u8 = 0;
const IMM_8: u8 = 1;
const IMM_Z: u8 = 2; // 4 bytes, 2 with the 66 prefix
const IMM_16: u8 = 3;
const IMM_ENTER: u8 = 4; // 3 bytes (imm16, imm8)
const IMM_MOFFS: u8 = 5; // 8 bytes, 4 with the 67 prefix
const IMM_V: u8 = 6; // mov r, imm: 8 bytes with REX.W, else as IMM_Z
const IMM_32: u8 = 7; // rel32 (call, jmp, jcc): 4 bytes
const IMM_GROUP_8: u8 = 8; // F6: imm8 when ModRM.reg is 0 or 1 (test)
const IMM_GROUP_Z: u8 = 9; // F7: as IMM_Z when ModRM.reg is 0 or 1
const MODRM: u8 = 16;

// u8[4 * 256]: the entry of each opcode of the maps 0 (one byte), 1 (0F), 2 (0F 38), 3 (0F 3A).
const table = memory.data(4 * 256);
let tableReady = false;

function set(map: u32, from: u32, to: u32, entry: u8): void {
  for (let i = from; i <= to; i++) store<u8>(table + (map << 8) + i, entry);
}

function tableInit(): void {
  // Map 0.
  for (let r: u32 = 0; r < 64; r += 8) {
    set(0, r, r + 3, MODRM);
    set(0, r + 4, r + 4, IMM_8);
    set(0, r + 5, r + 5, IMM_Z);
  }
  set(0, 0x62, 0x63, MODRM);
  set(0, 0x68, 0x68, IMM_Z);
  set(0, 0x69, 0x69, MODRM | IMM_Z);
  set(0, 0x6a, 0x6a, IMM_8);
  set(0, 0x6b, 0x6b, MODRM | IMM_8);
  set(0, 0x70, 0x7f, IMM_8);
  set(0, 0x80, 0x80, MODRM | IMM_8);
  set(0, 0x81, 0x81, MODRM | IMM_Z);
  set(0, 0x82, 0x83, MODRM | IMM_8);
  set(0, 0x84, 0x8f, MODRM);
  set(0, 0xa0, 0xa3, IMM_MOFFS);
  set(0, 0xa8, 0xa8, IMM_8);
  set(0, 0xa9, 0xa9, IMM_Z);
  set(0, 0xb0, 0xb7, IMM_8);
  set(0, 0xb8, 0xbf, IMM_V);
  set(0, 0xc0, 0xc1, MODRM | IMM_8);
  set(0, 0xc2, 0xc2, IMM_16);
  set(0, 0xc6, 0xc6, MODRM | IMM_8);
  set(0, 0xc7, 0xc7, MODRM | IMM_Z);
  set(0, 0xc8, 0xc8, IMM_ENTER);
  set(0, 0xca, 0xca, IMM_16);
  set(0, 0xcd, 0xcd, IMM_8);
  set(0, 0xd0, 0xd3, MODRM);
  set(0, 0xd4, 0xd5, IMM_8);
  set(0, 0xd8, 0xdf, MODRM);
  set(0, 0xe0, 0xe7, IMM_8);
  set(0, 0xe8, 0xe9, IMM_32);
  set(0, 0xeb, 0xeb, IMM_8);
  set(0, 0xf6, 0xf6, MODRM | IMM_GROUP_8);
  set(0, 0xf7, 0xf7, MODRM | IMM_GROUP_Z);
  set(0, 0xfe, 0xff, MODRM);
  // Map 1 (0F xx): a ModRM byte but for the listed ones.
  set(1, 0x00, 0xff, MODRM);
  set(1, 0x05, 0x09, IMM_NONE);
  set(1, 0x0b, 0x0b, IMM_NONE);
  set(1, 0x0e, 0x0e, IMM_NONE);
  set(1, 0x30, 0x37, IMM_NONE);
  set(1, 0x77, 0x77, IMM_NONE);
  set(1, 0x80, 0x8f, IMM_32);
  set(1, 0xa0, 0xa2, IMM_NONE);
  set(1, 0xa8, 0xaa, IMM_NONE);
  set(1, 0xc8, 0xcf, IMM_NONE);
  set(1, 0x70, 0x73, MODRM | IMM_8);
  set(1, 0xa4, 0xa4, MODRM | IMM_8);
  set(1, 0xac, 0xac, MODRM | IMM_8);
  set(1, 0xba, 0xba, MODRM | IMM_8);
  set(1, 0xc2, 0xc2, MODRM | IMM_8);
  set(1, 0xc4, 0xc6, MODRM | IMM_8);
  // Maps 2 and 3 (0F 38 xx, 0F 3A xx): a ModRM byte; map 3 an imm8 too.
  set(2, 0x00, 0xff, MODRM);
  set(3, 0x00, 0xff, MODRM | IMM_8);
  tableReady = true;
}

// Prefix bits (x86Prefixes).
const P_OPSIZE: u32 = 1; // 66
const P_ADDRSIZE: u32 = 2; // 67
const P_REP: u32 = 4; // F2, F3
const P_SEGMENT: u32 = 8; // 2E 36 3E 26 64 65
const P_LOCK: u32 = 16; // F0
const P_REXW: u32 = 32; // REX with W set
const P_VEX: u32 = 64; // C4 or C5

export let x86Role: u32 = ROLE_START; // the next byte's role (ROLE_*)
export let x86Op: u32 = 0; // the opcode (map << 8 | byte) of this instruction, once known; else the last one's
export let x86ModRM: u32 = 0; // this instruction's ModRM byte + 1 (0: none yet)
export let x86Prefixes: u32 = 0; // this instruction's prefixes (P_* bits) and REX (bits 8..11: REX & 15, bit 12: any REX)
export let x86Index: u32 = 0; // in DISP and IMM: the next byte's index in its operand; else 0
export let x86Size: u32 = 0; // in DISP and IMM: the operand's size in bytes; else 0
export let x86Sig1: u32 = 0; // the previous instruction without its operands: hash of prefixes, opcode, ModRM
export let x86Sig2: u32 = 0; // the one before it
export let x86History: u32 = 0; // the opcodes of the last three instructions, 10 bits each, the last lowest
export let x86Bytes: u32 = 0; // hash of this instruction's bytes so far (at ROLE_START: the previous instruction's)
let map: u32 = 0; // the opcode map of the instruction being read (0..3)
let vexLeft: u32 = 0; // VEX payload bytes still to come
let imm: u32 = 0; // the immediate's size, once the opcode is known
let disp: u32 = 0; // the displacement's size, once the ModRM (and SIB) byte is known
let bytesSoFar: u32 = 0; // hash of this instruction's bytes
let length: u32 = 0; // this instruction's bytes so far

/** In ROLE_DISP: the size of the immediate (or relative target) after the displacement. */
export function x86ImmAfter(): u32 {
  return imm;
}

// Kinds of relative 32-bit operand (x86RelativeOperand).
export const RELATIVE_NONE: u32 = 0;
export const RELATIVE_CALL: u32 = 1; // the rel32 of E8 (call) or E9 (jmp)
export const RELATIVE_JCC: u32 = 2; // the rel32 of 0F 80..8F (jcc)
export const RELATIVE_RIP: u32 = 3; // the disp32 of ModRM mod = 00, rm = 101 ([RIP + disp32] in 64-bit code)

/** In a 4-byte operand (at any of its bytes): which relative operand it is (RELATIVE_*); else RELATIVE_NONE. */
export function x86RelativeOperand(): u32 {
  if (x86Size != 4) return RELATIVE_NONE;
  if (x86Role == ROLE_DISP) return ((x86ModRM - 1) & 0xc7) == 5 ? RELATIVE_RIP : RELATIVE_NONE;
  if (x86Role != ROLE_IMM) return RELATIVE_NONE;
  if (x86Op == 0xe8 || x86Op == 0xe9) return RELATIVE_CALL;
  return x86Op >= 0x180 && x86Op <= 0x18f ? RELATIVE_JCC : RELATIVE_NONE;
}

/** Starts a new frame: the next byte begins an instruction. */
export function x86Reset(): void {
  if (!tableReady) tableInit();
  x86Role = ROLE_START;
  x86Op = 0;
  x86ModRM = 0;
  x86Prefixes = 0;
  x86Index = 0;
  x86Size = 0;
  x86Sig1 = 0;
  x86Sig2 = 0;
  x86History = 0;
  x86Bytes = 0;
  map = 0;
  vexLeft = 0;
  imm = 0;
  disp = 0;
  bytesSoFar = 0;
  length = 0;
}

function endInstruction(): void {
  x86Sig2 = x86Sig1;
  x86Sig1 = hash2(x86Prefixes | (x86ModRM << 16), x86Op);
  x86History = ((x86History << 10) | x86Op) & 0x3fffffff;
  x86Bytes = bytesSoFar;
  bytesSoFar = 0;
  length = 0;
  x86Role = ROLE_START;
  x86ModRM = 0;
  x86Prefixes = 0;
  x86Index = 0;
  x86Size = 0;
  map = 0;
}

/** The operand after the ModRM / SIB byte (or the opcode): displacement, immediate or the end. */
function afterAddress(): void {
  if (disp != 0) {
    x86Role = ROLE_DISP;
    x86Size = disp;
    x86Index = 0;
  } else afterDisp();
}

function afterDisp(): void {
  if (imm != 0) {
    x86Role = ROLE_IMM;
    x86Size = imm;
    x86Index = 0;
  } else endInstruction();
}

function opcode(c: u32): void {
  x86Op = (map << 8) | c;
  const e = <u32>load<u8>(table + x86Op);
  const kind = e & 15;
  const z: u32 = (x86Prefixes & P_OPSIZE) != 0 ? 2 : 4;
  imm = 0;
  if (kind == <u32>IMM_8 || kind == <u32>IMM_GROUP_8) imm = 1;
  else if (kind == <u32>IMM_Z || kind == <u32>IMM_GROUP_Z) imm = z;
  else if (kind == <u32>IMM_16) imm = 2;
  else if (kind == <u32>IMM_ENTER) imm = 3;
  else if (kind == <u32>IMM_MOFFS) imm = (x86Prefixes & P_ADDRSIZE) != 0 ? 4 : 8;
  else if (kind == <u32>IMM_V) imm = (x86Prefixes & P_REXW) != 0 ? 8 : z;
  else if (kind == <u32>IMM_32) imm = 4;
  disp = 0;
  if ((e & <u32>MODRM) != 0) x86Role = ROLE_MODRM;
  else afterDisp();
}

/** Takes in the next byte c (0..255). */
export function x86Byte(c: u32): void {
  bytesSoFar = hash2(bytesSoFar + c, length);
  length++;
  x86Bytes = bytesSoFar;
  const role = x86Role;
  if (role == ROLE_START || role == ROLE_PREFIXED) {
    if (length > 15) { // a run of prefixes: take this one as the opcode
      map = 0;
      opcode(c);
    } else if (c == 0x66) x86Prefixes |= P_OPSIZE;
    else if (c == 0x67) x86Prefixes |= P_ADDRSIZE;
    else if (c == 0xf2 || c == 0xf3) x86Prefixes |= P_REP;
    else if (c == 0xf0) x86Prefixes |= P_LOCK;
    else if (c == 0x2e || c == 0x36 || c == 0x3e || c == 0x26 || c == 0x64 || c == 0x65) x86Prefixes |= P_SEGMENT;
    else if ((c & 0xf0) == 0x40) {
      x86Prefixes = (x86Prefixes & ~(P_REXW | 0x1f00)) | 0x1000 | ((c & 15) << 8) | ((c & 8) != 0 ? P_REXW : 0);
    } else if (c == 0x0f) {
      x86Role = ROLE_ESCAPE;
      map = 1;
      return;
    } else if (c == 0xc4 || c == 0xc5) {
      x86Role = ROLE_VEX;
      vexLeft = c == 0xc4 ? 2 : 1;
      x86Prefixes |= P_VEX;
      map = 1;
      return;
    } else {
      map = 0;
      opcode(c);
      return;
    }
    if (x86Role == ROLE_START) x86Role = ROLE_PREFIXED;
  } else if (role == ROLE_ESCAPE) {
    if (c == 0x38 || c == 0x3a) {
      map = c == 0x38 ? 2 : 3;
      x86Role = ROLE_OPCODE;
    } else opcode(c);
  } else if (role == ROLE_OPCODE) opcode(c);
  else if (role == ROLE_VEX) {
    if (vexLeft == 2) {
      const m = c & 31;
      map = m >= 1 && m <= 3 ? m : 1;
    }
    vexLeft--;
    if (vexLeft == 0) x86Role = ROLE_OPCODE;
  } else if (role == ROLE_MODRM) {
    x86ModRM = c + 1;
    const mod = c >> 6;
    const rm = c & 7;
    const reg = (c >> 3) & 7;
    const kind = <u32>load<u8>(table + x86Op) & 15;
    if ((kind == <u32>IMM_GROUP_8 || kind == <u32>IMM_GROUP_Z) && reg >= 2) imm = 0;
    disp = mod == 1 ? 1 : mod == 2 ? 4 : mod == 0 && rm == 5 ? 4 : 0;
    if (mod != 3 && rm == 4) x86Role = ROLE_SIB;
    else afterAddress();
  } else if (role == ROLE_SIB) {
    if ((x86ModRM - 1) >> 6 == 0 && (c & 7) == 5) disp = 4;
    afterAddress();
  } else if (role == ROLE_DISP) {
    x86Index++;
    if (x86Index == x86Size) afterDisp();
  } else { // ROLE_IMM
    x86Index++;
    if (x86Index == x86Size) endInstruction();
  }
}
