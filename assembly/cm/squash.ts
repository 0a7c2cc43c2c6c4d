import { allocPermanent } from "../memory";

// Logistic domain conversions on 12-bit probabilities.
//
// stretch(p) = ln(p / (1 - p)) and squash(x) = 1 / (1 + e^-x), in fixed point:
// p is a 12-bit probability (0..4095 means 0..1), x is a log-odds value in
// 1/256 units clamped to [-2047, 2047] (so |x| <= 8 nats).
// Both are tables built once at start-up from f64 arithmetic that runs inside
// WASM (IEEE, no FMA), so every engine builds the same tables.

const SQUASH_LEN = 4096; // x + 2048 for x in [-2048, 2047]

let squashTable: usize = 0; // i16[4096]
let stretchTable: usize = 0; // i16[4096]

export function initSquash(): void {
  if (squashTable != 0) return;
  squashTable = allocPermanent(SQUASH_LEN * 2);
  stretchTable = allocPermanent(4096 * 2);
  for (let i = 0; i < SQUASH_LEN; i++) {
    const x = <f64>(i - 2048) / 256.0;
    let v = <i32>(4096.0 / (1.0 + Math.exp(-x)));
    if (v > 4095) v = 4095;
    if (v < 1) v = 1;
    store<i16>(squashTable + (<usize>i << 1), <i16>v);
  }
  // stretch = inverse of squash: the smallest x whose squash reaches p.
  let pi = 0;
  for (let x = -2047; x <= 2047; x++) {
    const v = <i32>squash(x);
    for (let j = pi; j <= v; j++) store<i16>(stretchTable + (<usize>j << 1), <i16>x);
    pi = v + 1;
  }
  for (let j = pi; j < 4096; j++) store<i16>(stretchTable + (<usize>j << 1), 2047);
}

/** x: log-odds in 1/256 units (any i32) -> 12-bit probability in [1, 4095]. */
// @ts-ignore: decorator
@inline export function squash(x: i32): i32 {
  if (x > 2047) x = 2047;
  if (x < -2047) x = -2047;
  return <i32>load<i16>(squashTable + (<usize>(x + 2048) << 1));
}

/** p: 12-bit probability in [0, 4095] -> log-odds in 1/256 units, [-2047, 2047]. */
// @ts-ignore: decorator
@inline export function stretch(p: i32): i32 {
  return <i32>load<i16>(stretchTable + (<usize>p << 1));
}
