// Where the machine code of an ELF image lies, read from the frame's own bytes as they
// are coded: when a frame starts with an ELF header of an x86 or x86-64 file, its
// program headers (which follow the header) name the file ranges of the loadable
// segments; those marked executable hold the code, the rest is data (symbol and string
// tables, relocations, read-only data, unwind tables). Until the program headers are
// known, bytes count as data (but for the first four of a frame that does not start
// with the ELF magic). A frame that is not such an image counts as code
// throughout. Only bytes already coded are read, so the decoder finds the same ranges.

const UNKNOWN: u32 = 0; // waiting for the ELF header or the program headers
const KNOWN: u32 = 1; // codeStart, codeEnd hold the code's range
const ALL_CODE: u32 = 2; // not an x86 ELF image (or headers out of reach): all code

const MAX_HEADERS_END: u32 = 1 << 16; // program headers must end within the first 64 KB

let state: u32 = UNKNOWN;
let is64 = false;
let headersEnd: u32 = 0; // where the program headers end (0: the ELF header is not read yet)
let codeStart: u32 = 0;
let codeEnd: u32 = 0;

/** Starts a new frame. */
export function elfReset(): void {
  state = UNKNOWN;
  headersEnd = 0;
  codeStart = 0;
  codeEnd = 0;
}

// @ts-ignore: decorator
@inline function u16At(history: usize, at: u32): u32 {
  return <u32>load<u16>(history + at);
}

// @ts-ignore: decorator
@inline function u32At(history: usize, at: u32): u32 {
  return load<u32>(history + at);
}

/** Reads the ELF header (the first 64 bytes are known): where the program headers end, or ALL_CODE. */
function readHeader(history: usize): void {
  state = ALL_CODE;
  if (u32At(history, 0) != 0x464c457f) return; // 7F 'E' 'L' 'F'
  const cls = <u32>load<u8>(history + 4);
  if ((cls != 1 && cls != 2) || load<u8>(history + 5) != 1) return; // 32 or 64 bits, little-endian
  is64 = cls == 2;
  const machine = u16At(history, 18);
  if (machine != 3 && machine != 0x3e) return; // i386, x86-64
  let phoff: u32;
  let entSize: u32;
  let count: u32;
  if (is64) {
    if (u32At(history, 36) != 0) return;
    phoff = u32At(history, 32);
    entSize = u16At(history, 54);
    count = u16At(history, 56);
  } else {
    phoff = u32At(history, 28);
    entSize = u16At(history, 42);
    count = u16At(history, 44);
  }
  const minSize: u32 = is64 ? 56 : 32;
  if (entSize < minSize || count == 0 || phoff < 52 || phoff >= MAX_HEADERS_END) return;
  const end = phoff + entSize * count;
  if (end > MAX_HEADERS_END) return;
  headersEnd = end;
  state = UNKNOWN;
}

/** Reads the program headers (all known): the code is the hull of the executable loadable segments. */
function readProgramHeaders(history: usize): void {
  const entSize = is64 ? <u32>u16At(history, 54) : <u32>u16At(history, 42);
  let at = headersEnd - entSize * (is64 ? u16At(history, 56) : u16At(history, 44));
  let start: u32 = 0xffffffff;
  let end: u32 = 0;
  for (; at < headersEnd; at += entSize) {
    if (u32At(history, at) != 1) continue; // PT_LOAD
    let flags: u32;
    let offset: u32;
    let size: u32;
    if (is64) {
      flags = u32At(history, at + 4);
      if (u32At(history, at + 12) != 0 || u32At(history, at + 36) != 0) continue;
      offset = u32At(history, at + 8);
      size = u32At(history, at + 32);
    } else {
      offset = u32At(history, at + 4);
      size = u32At(history, at + 16);
      flags = u32At(history, at + 24);
    }
    if ((flags & 1) == 0 || size == 0 || offset + size < offset) continue; // PF_X
    if (offset < start) start = offset;
    if (offset + size > end) end = offset + size;
  }
  if (end == 0) state = ALL_CODE;
  else {
    codeStart = start;
    codeEnd = end;
    state = KNOWN;
  }
}

/** Takes in the frame's byte at pos - 1 (history holds the first pos bytes). */
export function elfByte(history: usize, pos: u32): void {
  if (state != UNKNOWN) return;
  if (headersEnd == 0) {
    if (pos == 4 && u32At(history, 0) != 0x464c457f) state = ALL_CODE;
    else if (pos == 64) readHeader(history);
  } else if (pos == headersEnd) readProgramHeaders(history);
}

/** Whether the frame is known to be a 32-bit (i386) ELF image. */
export function elfIs32(): bool {
  return state == KNOWN && !is64;
}

/** Whether the byte at pos (the next one) lies in code. */
export function elfInCode(pos: u32): bool {
  if (state == ALL_CODE) return true;
  return state == KNOWN && pos >= codeStart && pos < codeEnd;
}
