import { x86Reset, x86Byte, x86Index, x86ImmAfter, x86RelativeOperand, RELATIVE_NONE, RELATIVE_RIP } from "../cm/x86-parse";
import { elfReset, elfByte, elfInCode, elfIs32 } from "../cm/elf-code";
import { ehFrameTransform } from "./eh-frame";
import { relaTransform } from "./elf-rela";

// The x86 filter (filter code 1): relative addresses become absolute, so the references to
// one function or one global, which differ in their relative forms, repeat byte for byte.
//
// The code is read with the predictor's instruction parser (cm/x86-parse.ts) over the bytes
// the predictor parses (cm/elf-code.ts: an ELF image's executable segments after its
// program headers; a frame that is not an ELF image from its fifth byte on). Three kinds
// of 32-bit operand are changed: the rel32 of E8 (call), E9 (jmp) and 0F 80..8F (jcc), and
// the disp32 of a ModRM with mod = 00, rm = 101 ([RIP + disp32] in 64-bit code; not in an
// i386 ELF image, where it is an absolute address already). Each is relative to the end of
// its instruction, e = the operand's position + 4 + the size of any immediate after it.
// A value x in S = [-2^24, 2^24) becomes sext25(x + e), which maps S onto S one to one;
// values outside S stay. Either way the four bytes are then stored big-endian, so the
// high bytes, which say which region is addressed, come first.
//
// The parser's path depends only on prefixes, opcodes, ModRM and SIB bytes, never on
// operand bytes, so the decoder, which parses the changed bytes, finds the same operands
// at the same places. Positions are the frame's, so frames stay independent. Before the
// operands, the filter delta-codes an x86-64 ELF image's relocation tables (elf-rela.ts)
// and makes its unwind tables absolute (eh-frame.ts); the decoder undoes the three steps
// in the opposite order, so each inverse sees the bytes its step produced.
//
// It uses the parser's and the ELF reader's module state, which the predictor resets at
// each frame's start (contexts.ts), and allocates nothing.

// @ts-ignore: decorator
@inline function sext25(x: i32): i32 {
  return (x << 7) >> 7;
}

// @ts-ignore: decorator
@inline function inRange(x: i32): bool {
  const top = x >>> 24;
  return top == 0 || top == 0xff;
}

/** The operands' transform over the parsed code of buf[0, n), in place. */
function operandsTransform(buf: usize, n: u32, encode: bool): void {
  elfReset();
  x86Reset();
  let code = elfInCode(0);
  for (let pos: u32 = 0; pos < n; pos++) {
    if (code) {
      const kind = x86Index == 0 ? x86RelativeOperand() : RELATIVE_NONE;
      if (kind != RELATIVE_NONE && pos + 4 <= n && !(kind == RELATIVE_RIP && elfIs32())) {
        const at = buf + pos;
        const k = <i32>(pos + 4 + (kind == RELATIVE_RIP ? x86ImmAfter() : 0)); // the instruction's end
        if (encode) {
          const x = load<i32>(at); // unaligned little-endian load
          store<i32>(at, bswap<i32>(inRange(x) ? sext25(x + k) : x));
        } else {
          const y = bswap<i32>(load<i32>(at));
          store<i32>(at, inRange(y) ? sext25(y - k) : y);
        }
      }
      x86Byte(<u32>load<u8>(buf + pos));
    }
    elfByte(buf, pos + 1);
    const next = elfInCode(pos + 1);
    if (next && !code) x86Reset(); // code starts: so does an instruction (as in contexts.ts)
    code = next;
  }
}

/** Forward (encode = true) or inverse transform of buf[0, n) in place. */
export function x86Transform(buf: usize, n: u32, encode: bool): void {
  if (encode) {
    relaTransform(buf, n, true);
    ehFrameTransform(buf, n, true);
    operandsTransform(buf, n, true);
  } else {
    operandsTransform(buf, n, false);
    ehFrameTransform(buf, n, false);
    relaTransform(buf, n, false);
  }
}

/**
 * Whether buf[0, n) looks like x86 machine code: E8/E9 opcodes whose displacement is in
 * range at least once per 512 bytes (text has almost none: 0xE8 in UTF-8 is followed by
 * continuation bytes 0x80..0xBF; random bytes give about one per 32 KB), 16 at least.
 */
export function x86Likely(buf: usize, n: u32): bool {
  if (n < 5) return false;
  let count: u32 = 0;
  const last = n - 5;
  for (let i: u32 = 0; i <= last; i++) {
    const op = load<u8>(buf + i);
    if ((op == 0xe8 || op == 0xe9) && inRange(load<i32>(buf + i + 1))) count++;
  }
  return count >= 16 && count >= (n >> 9);
}
