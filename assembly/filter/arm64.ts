// The ARM64 call transform: in each aligned 4-byte little-endian word that is a BL
// (bits 31..26 = 100101), the 26-bit word offset to the target becomes the target's
// absolute word address (offset + position / 4, modulo 2^26), so that calls to one function,
// which differ in their relative forms, repeat byte for byte. ADRP (bit 31 = 1, bits
// 28..24 = 10000) gets the same treatment for its 21-bit page offset, but only where the
// offset lies in [-2^17, 2^17) pages, and the result stays in that set: x ->
// sext18(x + position / 4096) maps it onto itself one to one. Opcode bits are never
// changed, so the decoder finds the same words at the same positions and subtracts.
// Then every word is stored big-endian, so the model sees the opcode byte first and the
// register fields after it. Positions are the frame's, so frames stay independent; a tail
// shorter than a word is left as it is.

// @ts-ignore: decorator
@inline function sext18(x: i32): i32 {
  return (x << 14) >> 14;
}

/** Forward (encode = true) or inverse transform of buf[0, n) in place. */
export function arm64Transform(buf: usize, n: u32, encode: bool): void {
  for (let i: u32 = 0; i + 4 <= n; i += 4) {
    const w = encode ? load<u32>(buf + i) : bswap<u32>(load<u32>(buf + i));
    let out = w;
    if ((w >>> 26) == 0x25) {
      const here = i >> 2;
      const offset = w & 0x03ffffff;
      const moved = encode ? offset + here : offset - here;
      out = 0x94000000 | (moved & 0x03ffffff);
    } else if ((w & 0x9f000000) == 0x90000000) {
      // ADRP: immlo in bits 29..30, immhi in bits 5..23; a signed 21-bit page count.
      const imm = <i32>(((w >> 3) & 0x1ffffc) | ((w >> 29) & 3));
      const pages = (imm << 11) >> 11;
      if (pages >= -(1 << 17) && pages < 1 << 17) {
        const page = <i32>(i >> 12);
        const moved = <u32>sext18(encode ? pages + page : pages - page) & 0x1fffff;
        out = (w & 0x9f00001f) | ((moved & 3) << 29) | ((moved >> 2) << 5);
      }
    }
    store<u32>(buf + i, encode ? bswap<u32>(out) : out);
  }
}

const RET: u32 = 0xd65f03c0; // RET (x30)

/**
 * Whether buf[0, n) looks like ARM64 code: among its aligned words, at least one BL in 64
 * and at least one RET in 8,192 (and 4 in all). Random or compressed bytes have a BL in
 * 64 words but a RET in 2^32; x86 code and text have far fewer BLs.
 */
export function arm64Likely(buf: usize, n: u32): bool {
  const words = n >> 2;
  if (words < 256) return false;
  let calls: u32 = 0;
  let returns: u32 = 0;
  for (let i: u32 = 0; i < words; i++) {
    const w = load<u32>(buf + (<usize>i << 2));
    if ((w >>> 26) == 0x25) calls++;
    else if (w == RET) returns++;
  }
  return calls >= (words >> 6) && returns >= 4 && returns >= (words >> 13);
}
