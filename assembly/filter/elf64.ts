// The headers of an x86-64 ELF image, for the x86 filter's table steps (eh-frame.ts,
// elf-rela.ts): elf64Read checks the ELF header and the program headers' place; then
// elf64Segment finds program headers by type, and elf64FileOffset maps an address to the
// file through the PT_LOAD segments. These read only the headers, which no step changes.

export const PT_LOAD: u32 = 1;
export const PT_DYNAMIC: u32 = 2;
export const PT_GNU_EH_FRAME: u32 = 0x6474e550;

export let elf64PhOff: u32 = 0; // where the program headers start
export let elf64PhEnd: u32 = 0; // where they end
let entSize: u32 = 0;
export let elf64SegOffset: u32 = 0; // elf64Segment's find: its file offset
export let elf64SegSize: u32 = 0; // and its size in the file

// @ts-ignore: decorator
@inline function u32At(buf: usize, at: u32): u32 {
  return load<u32>(buf + at);
}

/**
 * Whether buf[0, n) starts with the ELF header of a little-endian x86-64 image whose
 * program headers (at least 56 bytes each, after the header) lie within it.
 */
export function elf64Read(buf: usize, n: u32): bool {
  if (n < 64 || u32At(buf, 0) != 0x464c457f) return false;
  if (load<u8>(buf + 4) != 2 || load<u8>(buf + 5) != 1 || <u32>load<u16>(buf + 18) != 0x3e) return false;
  if (u32At(buf, 36) != 0) return false;
  const phoff = u32At(buf, 32);
  entSize = <u32>load<u16>(buf + 54);
  const count = <u32>load<u16>(buf + 56);
  if (entSize < 56 || phoff < 64 || <u64>phoff + <u64>entSize * <u64>count > <u64>n) return false;
  elf64PhOff = phoff;
  elf64PhEnd = phoff + entSize * count;
  return true;
}

/** The last program header of the given type whose offset and size fit 32 bits (elf64Seg*): found or not. */
export function elf64Segment(buf: usize, type: u32): bool {
  let found = false;
  for (let at = elf64PhOff; at < elf64PhEnd; at += entSize) {
    if (u32At(buf, at) != type || u32At(buf, at + 12) != 0 || u32At(buf, at + 36) != 0) continue;
    elf64SegOffset = u32At(buf, at + 8);
    elf64SegSize = u32At(buf, at + 32);
    found = true;
  }
  return found;
}

/**
 * The file offset of the `size` bytes at address (lo, hi) (low and high 32 bits): through
 * the first PT_LOAD segment whose file image holds them all; 0xFFFFFFFF where none does.
 */
export function elf64FileOffset(buf: usize, lo: u32, hi: u32, size: u32): u32 {
  const address = (<u64>hi << 32) | <u64>lo;
  for (let at = elf64PhOff; at < elf64PhEnd; at += entSize) {
    if (u32At(buf, at) != PT_LOAD) continue;
    const offset = load<u64>(buf + at + 8);
    const vaddr = load<u64>(buf + at + 16);
    const filesz = load<u64>(buf + at + 32);
    if (address < vaddr || address - vaddr > filesz || filesz - (address - vaddr) < <u64>size) continue;
    const off = offset + (address - vaddr);
    if (off >= 0xffffffff) continue;
    return <u32>off;
  }
  return 0xffffffff;
}
