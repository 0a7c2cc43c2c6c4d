// Binary arithmetic coder: 32-bit range [x1, x2], carry-less, 16-bit probabilities.
//
// The encoder shifts out the top byte whenever x1 and x2 agree on it. At the end
// it writes one byte (the top of x1); the decoder reads 0xFF past the end of its
// input, which keeps the final value inside [x1, x2]. Reading past the end is
// never an error here: a damaged stream decodes to wrong bytes, which the frame's
// CRC32 then rejects.

let x1: u32 = 0;
let x2: u32 = 0;
let x: u32 = 0; // decoder: the coded value read so far

let outPtr: usize = 0;
let outPos: usize = 0;
let outEnd: usize = 0;
let outOverflow: bool = false;

let inPos: usize = 0;
let inEnd: usize = 0;
let overrun: u32 = 0; // bytes read past the end of the payload

export function encoderStart(dst: usize, capacity: usize): void {
  x1 = 0;
  x2 = 0xffffffff;
  outPtr = dst;
  outPos = dst;
  outEnd = dst + capacity;
  outOverflow = false;
}

// @ts-ignore: decorator
@inline function putByte(b: u32): void {
  if (outPos < outEnd) {
    store<u8>(outPos, <u8>b);
    outPos++;
  } else {
    outOverflow = true;
  }
}

/** Codes one bit; p1 = P(bit = 1) as a 16-bit integer in [1, 65535]. */
// @ts-ignore: decorator
@inline export function encodeBit(bit: i32, p1: u32): void {
  const xmid = x1 + <u32>((<u64>(x2 - x1) * <u64>p1) >> 16);
  if (bit) x2 = xmid;
  else x1 = xmid + 1;
  while (((x1 ^ x2) & 0xff000000) == 0) {
    putByte(x2 >>> 24);
    x1 <<= 8;
    x2 = (x2 << 8) | 255;
  }
}

/** Ends the stream; returns the number of bytes written, or -1 if capacity was exceeded. */
export function encoderFinish(): i32 {
  putByte(x1 >>> 24);
  return outOverflow ? -1 : <i32>(outPos - outPtr);
}

// @ts-ignore: decorator
@inline function getByte(): u32 {
  if (inPos < inEnd) {
    const b = <u32>load<u8>(inPos);
    inPos++;
    return b;
  }
  overrun++;
  return 255;
}

export function decoderStart(src: usize, length: usize): void {
  x1 = 0;
  x2 = 0xffffffff;
  inPos = src;
  inEnd = src + length;
  overrun = 0;
  x = 0;
  for (let i = 0; i < 4; i++) x = (x << 8) | getByte();
}

/** Decodes one bit coded with the same p1 the encoder used. */
// @ts-ignore: decorator
@inline export function decodeBit(p1: u32): i32 {
  const xmid = x1 + <u32>((<u64>(x2 - x1) * <u64>p1) >> 16);
  let bit = 0;
  if (x <= xmid) {
    bit = 1;
    x2 = xmid;
  } else {
    x1 = xmid + 1;
  }
  while (((x1 ^ x2) & 0xff000000) == 0) {
    x1 <<= 8;
    x2 = (x2 << 8) | 255;
    x = (x << 8) | getByte();
  }
  return bit;
}

/**
 * Bytes the decoder has read past the end of its payload. A complete payload
 * leaves it at 3 (4 bytes read ahead, 1 flushed), so more means the payload is
 * damaged or was cut: the frame loop stops instead of decoding garbage to the end.
 */
export function decoderOverrun(): u32 {
  return overrun;
}
