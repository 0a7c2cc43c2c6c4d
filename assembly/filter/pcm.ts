// The 16-bit PCM transform: each sample (signed, little-endian, channels interleaved)
// becomes its prediction residual, r = s - s1 (order 1) or s - (2·s1 - s2) (order 2), where
// s1, s2 are the channel's previous samples, all modulo 2^16; r is stored zigzagged
// (0, -1, 1, -2 ... -> 0, 1, 2, 3 ...) with its high byte first, so the bytes the model sees
// are small and the high byte, coded first, is the context of the low one.
// The `offset` bytes before the first sample and a tail shorter than one sample of every
// channel are left as they are (a WAV header, a frame cut inside a sample).

/** The channel's prediction from its previous two samples (order 1 or 2). */
// @ts-ignore: decorator
@inline function predict(s1: i32, s2: i32, order: u32): i32 {
  return order == 1 ? s1 : 2 * s1 - s2;
}

/** The residual v - p modulo 2^16, zigzagged: 0, -1, 1, -2 ... -> 0, 1, 2, 3 ... (16 bits). */
// @ts-ignore: decorator
@inline function zigzagResidual(v: i32, p: i32): i32 {
  const r = <i32><i16>(v - p);
  return ((r << 1) ^ (r >> 31)) & 0xffff;
}

/** Forward (encode = true) or inverse transform of buf[0, n) in place; channels 1 or 2, order 1 or 2. */
export function pcmTransform(buf: usize, n: u32, channels: u32, order: u32, offset: u32, encode: bool): void {
  const step: u32 = channels << 1;
  let p1a: i32 = 0, p2a: i32 = 0; // channel 0: previous sample, the one before
  let p1b: i32 = 0, p2b: i32 = 0; // channel 1
  for (let p = offset; p + step <= n; p += step) {
    for (let c: u32 = 0; c < channels; c++) {
      const at = buf + p + (c << 1);
      const s1 = c == 0 ? p1a : p1b;
      const s2 = c == 0 ? p2a : p2b;
      const pred = predict(s1, s2, order);
      let s: i32;
      if (encode) {
        s = <i32>load<i16>(at);
        const z = zigzagResidual(s, pred);
        store<u8>(at, <u8>(z >> 8));
        store<u8>(at + 1, <u8>z);
      } else {
        const z = (<i32>load<u8>(at) << 8) | <i32>load<u8>(at + 1);
        const r = (z >>> 1) ^ -(z & 1);
        s = <i32><i16>(pred + r);
        store<i16>(at, <i16>s);
      }
      if (c == 0) { p2a = p1a; p1a = s; } else { p2b = p1b; p1b = s; }
    }
  }
}

const histHigh = memory.data(256 * 4, 4); // u32[256]
const histLow = memory.data(256 * 4, 4);

function entropyBits(hist: usize, total: u32): f64 {
  if (total == 0) return 0;
  let bits: f64 = 0;
  for (let i = 0; i < 256; i++) {
    const k = load<u32>(hist + (<usize>i << 2));
    if (k != 0) bits -= <f64>k * Math.log2(<f64>k / <f64>total);
  }
  return bits;
}

/**
 * Order-0 cost in bits of the first `n` bytes coded as they are (raw = true) or after the
 * transform with these parameters, with one byte histogram per byte of a sample (high, low).
 */
export function pcmCost(buf: usize, n: u32, channels: u32, order: u32, offset: u32, raw: bool): f64 {
  memory.fill(histHigh, 0, 256 * 4);
  memory.fill(histLow, 0, 256 * 4);
  const step: u32 = channels << 1;
  let p1a: i32 = 0, p2a: i32 = 0, p1b: i32 = 0, p2b: i32 = 0;
  let count: u32 = 0;
  for (let p = offset; p + step <= n; p += step) {
    for (let c: u32 = 0; c < channels; c++) {
      const at = buf + p + (c << 1);
      const s = <i32>load<i16>(at);
      let hi: u32, lo: u32;
      if (raw) {
        hi = load<u8>(at + 1);
        lo = load<u8>(at);
      } else {
        const s1 = c == 0 ? p1a : p1b;
        const s2 = c == 0 ? p2a : p2b;
        const z = <u32>zigzagResidual(s, predict(s1, s2, order));
        hi = z >> 8;
        lo = z & 0xff;
        if (c == 0) { p2a = p1a; p1a = s; } else { p2b = p1b; p1b = s; }
      }
      const ah = histHigh + (<usize>hi << 2);
      const al = histLow + (<usize>lo << 2);
      store<u32>(ah, load<u32>(ah) + 1);
      store<u32>(al, load<u32>(al) + 1);
      count++;
    }
  }
  return entropyBits(histHigh, count) + entropyBits(histLow, count);
}
