// 32-bit hashing of context values (multiply, xor-shift). Pure integer arithmetic.

// @ts-ignore: decorator
@inline export function hash2(a: u32, b: u32): u32 {
  let h = a * 0x9e3779b1 + b * 0x85ebca77;
  h ^= h >>> 15;
  h *= 0xc2b2ae3d;
  h ^= h >>> 13;
  return h;
}

// @ts-ignore: decorator
@inline export function hash3(a: u32, b: u32, c: u32): u32 {
  return hash2(hash2(a, b), c);
}
