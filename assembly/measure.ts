import { predictorInit, predictBit, updateBit } from "./predictor";
import { frameCapacity } from "./codec";

// Surprisal: what each byte costs under the coding model, -log2 p(bit) summed
// over its 8 bits, without producing a payload. The total matches the coded size
// up to the coder's few bytes of overhead.

/**
 * Writes f32 bits-per-byte for each of the n bytes at src to dst (the codec's frame
 * buffers, which setup sized for 4n bytes). Returns 0, or -2 out of memory (or buffers too small).
 */
export function measureFrame(level: i32, src: usize, n: u32, dst: usize): i32 {
  if (<u64>n * 4 > <u64>frameCapacity()) return -2;
  if (!predictorInit(level, src, n)) return -2;
  for (let i: u32 = 0; i < n; i++) {
    const c = <i32>load<u8>(src + i);
    let bits: f64 = 0;
    for (let b = 7; b >= 0; b--) {
      const bit = (c >> b) & 1;
      const p1 = <f64>predictBit() / 65536.0;
      bits -= Math.log2(bit ? p1 : 1.0 - p1);
      updateBit(bit);
    }
    store<f32>(dst + (<usize>i << 2), <f32>bits);
  }
  return 0;
}
