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

// Hashed-context slots also keep a bit history, for indirect prediction:
//   bits 31..14: p, 18-bit   bits 13..8: n (saturates at <= 63)   bits 7..0: history
// The history is the last up-to-7 bits seen in this context behind a leading 1
// (2..255); 0 means the context was never seen. A small adaptive table per model
// maps each history to a probability (what usually follows "0001" here?).

const P18_ONE: i64 = (1 << 18) - 1;

/** 12-bit probability of a history slot (2048 when never seen). */
// @ts-ignore: decorator
@inline export function slotP12(slot: u32): i32 {
  return slot == 0 ? 2048 : <i32>(slot >> 20);
}

// @ts-ignore: decorator
@inline export function slotHistory(slot: u32): i32 {
  return <i32>(slot & 255);
}

/** Updates a history slot with the coded bit; limit <= 63. */
// @ts-ignore: decorator
@inline export function slotUpdate(ptr: usize, bit: i32, limit: u32): void {
  const s = load<u32>(ptr);
  let n = (s >> 8) & 63;
  let p: i64 = s == 0 ? (1 << 17) : <i64>(s >> 14);
  const target: i64 = bit ? P18_ONE : 0;
  p += ((target - p) * <i64>load<u32>(rateTable + (<usize>n << 2))) >> 16;
  if (n < limit) n++;
  let h = s & 255;
  h = h == 0 ? 2 | <u32>bit : (h << 1) | <u32>bit;
  if (h >= 256) h = (h & 127) | 128;
  store<u32>(ptr, (<u32>p << 14) | (n << 8) | h);
}
