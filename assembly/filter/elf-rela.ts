// The ELF relocation table transform (part of the x86 filter, filter code 1): in an x86-64
// ELF image's RELA tables (the dynamic section's DT_RELA / DT_RELASZ and, when DT_PLTREL
// is DT_RELA, DT_JMPREL / DT_PLTRELSZ), each 24-byte entry starts with r_offset, the
// address it patches; consecutive entries patch consecutive words, so each r_offset
// becomes its difference from the entry before (the first: from 0), stored big-endian:
// mostly 8.
//
// The tables are found from the ELF header, the program headers and the dynamic section,
// and a table is used only if it lies clear of them, so these read the same in the
// decoder. The decoder undoes the tables in the opposite order. The exact rule is
// docs/format.md, "Payloads" (filter code 1). It allocates nothing.

import { elf64Read, elf64Segment, elf64FileOffset, elf64PhOff, elf64PhEnd, elf64SegOffset, elf64SegSize, PT_DYNAMIC } from "./elf64";

const DT_NULL: u32 = 0;
const DT_PLTRELSZ: u32 = 2;
const DT_RELA: u32 = 7;
const DT_RELASZ: u32 = 8;
const DT_RELAENT: u32 = 9;
const DT_PLTREL: u32 = 20;
const DT_JMPREL: u32 = 23;
const ENTRY: u32 = 24; // sizeof(Elf64_Rela)

// The two tables: file offset (0: none) and size in bytes (relaFind).
let relaAt: u32 = 0;
let relaSize: u32 = 0;
let pltAt: u32 = 0;
let pltSize: u32 = 0;

/** Whether [at, at + size) lies within buf[64, n) and clear of the program headers and [a, b). */
function clear(at: u32, size: u32, n: u32, a: u32, b: u32): bool {
  const end = <u64>at + <u64>size;
  if (at < 64 || end > <u64>n) return false;
  if (end > <u64>elf64PhOff && <u64>at < <u64>elf64PhEnd) return false;
  return end <= <u64>a || <u64>at >= <u64>b;
}

/** Finds the image's RELA tables (relaAt, pltAt; 0 where none). */
function relaFind(buf: usize, n: u32): void {
  relaAt = 0;
  pltAt = 0;
  if (!elf64Read(buf, n) || !elf64Segment(buf, PT_DYNAMIC)) return;
  const dyn = elf64SegOffset;
  if (dyn < 64 || <u64>dyn + <u64>elf64SegSize > <u64>n) return;
  const dynEnd = dyn + elf64SegSize;
  let rela: u64 = 0;
  let relaSz: u64 = 0;
  let relaEnt: u64 = ENTRY;
  let jmprel: u64 = 0;
  let pltSz: u64 = 0;
  let pltRel: u64 = 0;
  for (let at = dyn; at + 16 <= dynEnd; at += 16) {
    const tag = load<u64>(buf + at);
    const value = load<u64>(buf + at + 8);
    if (tag == DT_NULL) break;
    if (tag == DT_RELA) rela = value;
    else if (tag == DT_RELASZ) relaSz = value;
    else if (tag == DT_RELAENT) relaEnt = value;
    else if (tag == DT_JMPREL) jmprel = value;
    else if (tag == DT_PLTRELSZ) pltSz = value;
    else if (tag == DT_PLTREL) pltRel = value;
  }
  if (relaEnt != ENTRY) return;
  if (rela != 0 && relaSz != 0 && relaSz < 0xffffffff) {
    const at = elf64FileOffset(buf, <u32>rela, <u32>(rela >> 32), <u32>relaSz);
    if (at != 0xffffffff && clear(at, <u32>relaSz, n, dyn, dynEnd)) {
      relaAt = at;
      relaSize = <u32>relaSz;
    }
  }
  if (pltRel == DT_RELA && jmprel != 0 && pltSz != 0 && pltSz < 0xffffffff) {
    const at = elf64FileOffset(buf, <u32>jmprel, <u32>(jmprel >> 32), <u32>pltSz);
    if (at != 0xffffffff && clear(at, <u32>pltSz, n, dyn, dynEnd)) {
      pltAt = at;
      pltSize = <u32>pltSz;
    }
  }
}

/** The r_offset deltas of the table at buf[at, at + size), whole entries only. */
function tableTransform(buf: usize, at: u32, size: u32, encode: bool): void {
  let prev: u64 = 0;
  for (let q = at; q + ENTRY <= at + size; q += ENTRY) {
    const p = buf + q;
    if (encode) {
      const r = load<u64>(p);
      store<u64>(p, bswap<u64>(r - prev));
      prev = r;
    } else {
      const r = bswap<u64>(load<u64>(p)) + prev;
      store<u64>(p, r);
      prev = r;
    }
  }
}

/** Forward (encode = true) or inverse transform of the RELA tables of buf[0, n), if any, in place. */
export function relaTransform(buf: usize, n: u32, encode: bool): void {
  relaFind(buf, n);
  if (encode) {
    if (relaAt != 0) tableTransform(buf, relaAt, relaSize, true);
    if (pltAt != 0) tableTransform(buf, pltAt, pltSize, true);
  } else {
    if (pltAt != 0) tableTransform(buf, pltAt, pltSize, false);
    if (relaAt != 0) tableTransform(buf, relaAt, relaSize, false);
  }
}
