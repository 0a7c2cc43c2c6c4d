// The x86 call/jump transform (BCJ): the 32-bit relative target of each E8 (call) and
// E9 (jmp) opcode becomes an absolute one (target + position), so the calls to one
// function, which differ in their relative forms, repeat byte for byte.
//
// Only displacements in S = [-2^24, 2^24) (top byte 0x00 or 0xFF) are changed, and the
// change x -> sext25(x + position) maps S onto S one to one, so the decoder, which sees the
// same opcodes at the same positions (the four bytes after an opcode are skipped whether
// they changed or not), finds the same displacements and subtracts. Positions are the
// frame's, so frames stay independent.

// @ts-ignore: decorator
@inline function sext25(x: i32): i32 {
  return (x << 7) >> 7;
}

// @ts-ignore: decorator
@inline function inRange(x: i32): bool {
  const top = x >>> 24;
  return top == 0 || top == 0xff;
}

/** Forward (encode = true) or inverse transform of buf[0, n) in place. */
export function x86Transform(buf: usize, n: u32, encode: bool): void {
  if (n < 5) return;
  const last = n - 5; // the last position whose four displacement bytes are in the frame
  let i: u32 = 0;
  while (i <= last) {
    const op = load<u8>(buf + i);
    if (op == 0xe8 || op == 0xe9) {
      const at = buf + i + 1;
      const x = load<i32>(at); // unaligned little-endian load
      if (inRange(x)) {
        const k = <i32>(i + 5); // the address the displacement is relative to
        store<i32>(at, encode ? sext25(x + k) : sext25(x - k));
      }
      i += 5;
    } else i++;
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
