// The ELF unwind table transform (part of the x86 filter, filter code 1): in an x86-64 ELF
// image's .eh_frame, each FDE (frame description entry) holds two 32-bit fields relative to
// their own place: the CIE pointer (its distance back to the CIE) and the start of the
// function it describes (PC-relative). Made absolute, the CIE pointers of one CIE repeat,
// and each function start becomes its distance from the end of the previous FDE's range
// (previous start + its length), which is the padding between functions: a small number.
// The search table of .eh_frame_hdr (function start, FDE address; sorted) is delta-coded.
//
// Where the table is comes from bytes this transform does not change: the ELF header, the
// program headers (PT_GNU_EH_FRAME names .eh_frame_hdr, whose PC-relative eh_frame_ptr
// gives .eh_frame's offset) and each entry's length field. Only the two fields after an
// FDE's length are changed, inside the entry, and the search table is kept clear of the
// headers and .eh_frame, so the decoder walks the same entries and undoes each change in
// the same order.
//
// The exact rule is docs/format.md, "Payloads" (filter code 1). It allocates nothing.

import { elf64Read, elf64Segment, elf64PhOff, elf64PhEnd, elf64SegOffset, PT_GNU_EH_FRAME } from "./elf64";

// @ts-ignore: decorator
@inline function u32At(buf: usize, at: u32): u32 {
  return load<u32>(buf + at);
}

let walkEnd: u32 = 0; // where the walk over .eh_frame stops (findEhFrame)
let tableEnd: u32 = 0; // where the search table of .eh_frame_hdr must end (findEhFrame)
let hdrAt: u32 = 0; // where .eh_frame_hdr starts (findEhFrame)

/** The file offset of .eh_frame in the x86-64 ELF image buf[0, n), or 0 (none found). */
function findEhFrame(buf: usize, n: u32): u32 {
  if (!elf64Read(buf, n) || !elf64Segment(buf, PT_GNU_EH_FRAME)) return 0;
  const phoff = elf64PhOff;
  const phEnd = elf64PhEnd;
  const hdr = elf64SegOffset;
  if (hdr < 64 || <u64>hdr + 8 > <u64>n) return 0;
  // .eh_frame_hdr: version 1, eh_frame_ptr encoded PC-relative signed 32-bit (0x1B).
  if (load<u8>(buf + hdr) != 1 || load<u8>(buf + hdr + 1) != 0x1b) return 0;
  const eh = <i64>hdr + 4 + <i64>load<i32>(buf + hdr + 4);
  if (eh < 64 || eh >= <i64>n) return 0;
  const start = <u32>eh;
  // The walk stays clear of the ELF header, the program headers and .eh_frame_hdr's first 8 bytes.
  let end = n;
  if (hdr >= start) { if (hdr < end) end = hdr; } else if (hdr + 8 > start) return 0;
  if (phoff >= start) { if (phoff < end) end = phoff; } else if (phEnd > start) return 0;
  walkEnd = end;
  // The search table after .eh_frame_hdr's 12 bytes stays clear of .eh_frame and the headers.
  let limit = n;
  if (start > hdr && start < limit) limit = start;
  if (phoff > hdr) { if (phoff < limit) limit = phoff; } else if (phEnd > hdr) limit = 0;
  tableEnd = limit;
  hdrAt = hdr;
  return start;
}

/** Forward (encode = true) or inverse transform of the .eh_frame of buf[0, n), if it has one, in place. */
export function ehFrameTransform(buf: usize, n: u32, encode: bool): void {
  const start = findEhFrame(buf, n);
  if (start == 0) return;
  const end = walkEnd;
  let pos = start;
  let prevEnd: u32 = 0; // the previous FDE's function start + length (absolute), 0 at first
  while (<u64>pos + 8 <= <u64>end) {
    const len = u32At(buf, pos);
    if (len == 0 || len == 0xffffffff) break; // the terminator, or a 64-bit entry
    const next = <u64>pos + 4 + <u64>len;
    if (next > <u64>end) break;
    const id = u32At(buf, pos + 4);
    if (id != 0 && len >= 12) {
      // An FDE. The CIE pointer: x -> here - x, an involution on the nonzero values but for
      // here itself (kept), so a CIE's zero stays the only zero.
      const here = pos + 4;
      if (id != here) store<u32>(buf + here, here - id);
      // The function start, PC-relative x at pos + 8: a = x + pos + 8 is stored as
      // a - prevEnd, big-endian.
      const at = buf + pos + 8;
      let a: u32;
      if (encode) {
        a = load<u32>(at) + pos + 8;
        store<u32>(at, bswap<u32>(a - prevEnd));
      } else {
        a = bswap<u32>(load<u32>(at)) + prevEnd;
        store<u32>(at, a - pos - 8);
      }
      prevEnd = a + u32At(buf, pos + 12);
    }
    pos = <u32>next;
  }
  tableTransform(buf, encode);
}

/**
 * .eh_frame_hdr's search table (fde_count encoded 0x03, udata4; table 0x3B, pairs of
 * datarel sdata4: function start, FDE address, sorted by start): each of the two values
 * becomes its difference from the one in the entry before (the first: from 0), big-endian.
 */
function tableTransform(buf: usize, encode: bool): void {
  const hdr = hdrAt;
  if (<u64>hdr + 12 > <u64>tableEnd) return;
  if (load<u8>(buf + hdr + 2) != 0x03 || load<u8>(buf + hdr + 3) != 0x3b) return;
  const count = u32At(buf, hdr + 8);
  let prevStart: u32 = 0;
  let prevFde: u32 = 0;
  let at = hdr + 12;
  for (let i: u32 = 0; i < count && <u64>at + 8 <= <u64>tableEnd; i++, at += 8) {
    let a = load<u32>(buf + at);
    let b = load<u32>(buf + at + 4);
    if (encode) {
      store<u32>(buf + at, bswap<u32>(a - prevStart));
      store<u32>(buf + at + 4, bswap<u32>(b - prevFde));
    } else {
      a = bswap<u32>(a) + prevStart;
      b = bswap<u32>(b) + prevFde;
      store<u32>(buf + at, a);
      store<u32>(buf + at + 4, b);
    }
    prevStart = a;
    prevFde = b;
  }
}
