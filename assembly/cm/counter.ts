import { allocPermanent } from "../memory";

// Adaptive probability counters, one u32 per context slot:
//   bits 31..10: p, the probability that the next bit is 1, 22-bit
//   bits  9..0 : n, how many times the slot was updated (saturates at a limit)
// A zero slot is "never seen": it predicts 1/2 and reports no confidence.
// The update moves p towards the bit by 1/(n + 1.5), so the first observations
// count fully and later ones average, until n reaches the limit, after which the
// counter keeps adapting at a fixed rate (non-stationary data).

const P_ONE: i64 = (1 << 22) - 1;
let rateTable: usize = 0; // u32[1024]: 65536 / (n + 1.5)

export function initCounters(): void {
  if (rateTable != 0) return;
  rateTable = allocPermanent(1024 * 4);
  for (let n = 0; n < 1024; n++) {
    store<u32>(rateTable + (<usize>n << 2), <u32>(131072 / (2 * n + 3)));
  }
}

/** 12-bit probability of a slot (2048 when never seen). */
// @ts-ignore: decorator
@inline export function counterP12(slot: u32): i32 {
  return slot == 0 ? 2048 : <i32>(slot >> 20);
}

/** Confidence count of a slot. */
// @ts-ignore: decorator
@inline export function counterN(slot: u32): i32 {
  return <i32>(slot & 1023);
}

/** Updates the slot at ptr with the coded bit; limit < 1024. */
// @ts-ignore: decorator
@inline export function counterUpdate(ptr: usize, bit: i32, limit: u32): void {
  const s = load<u32>(ptr);
  let n = s & 1023;
  let p: i64 = s == 0 ? (1 << 21) : <i64>(s >> 10);
  const target: i64 = bit ? P_ONE : 0;
  p += ((target - p) * <i64>load<u32>(rateTable + (<usize>n << 2))) >> 16;
  if (n < limit) n++;
  store<u32>(ptr, (<u32>p << 10) | n);
}
