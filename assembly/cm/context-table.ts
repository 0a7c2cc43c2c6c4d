import { allocArena } from "../memory";

// Hashed context table shared by the order-2+ and word contexts.
//
// A bucket is one 64-byte cache line of 16 u32: slot 0 holds a tag that
// identifies the context, slots 1..15 are the counters of one nibble's bit tree
// (node 1 = no bit of the nibble known yet, then 2|b, 4|bb, 8|bbb). One lookup
// per context per nibble, so the per-bit work stays inside a cached line.
// Two-way: a context may live in bucket i or i^1; on a miss the bucket whose
// root counter has seen fewer updates is reset and taken.

let table: usize = 0;
let bucketBits: i32 = 0;

/** Allocates 2^bits buckets in the frame arena. Returns false when out of memory. */
export function contextTableInit(bits: i32): bool {
  bucketBits = bits;
  table = allocArena((<usize>1 << bits) << 6);
  return table != 0;
}

/** The bucket that holds context hash h (one of its two places), or 0. */
// @ts-ignore: decorator
@inline function heldBucket(h: u32): usize {
  const tag: u32 = (h & 0xffff) + 1; // never 0, so an empty bucket never matches
  const i = <usize>(h >>> (32 - bucketBits));
  const a = table + (i << 6);
  if (load<u32>(a) == tag) return a;
  const b = table + ((i ^ 1) << 6);
  if (load<u32>(b) == tag) return b;
  return 0;
}

/**
 * Reads the first of the two buckets context hash h may live in, and returns the word read:
 * a caller that touches every context's bucket before looking any up (predictor.ts) lets
 * their cache misses overlap. Changes nothing.
 */
// @ts-ignore: decorator
@inline export function touchBucket(h: u32): u32 {
  return load<u32>(table + (<usize>(h >>> (32 - bucketBits)) << 6));
}

/** Returns the address of the bucket for context hash h (slot 0 = tag), taking one on a miss. */
export function findBucket(h: u32): usize {
  const held = heldBucket(h);
  if (held != 0) return held;
  const tag: u32 = (h & 0xffff) + 1;
  const i = <usize>(h >>> (32 - bucketBits));
  const a = table + (i << 6);
  const b = table + ((i ^ 1) << 6);
  // Miss: replace the less used of the two.
  const victim = (load<u32>(a + 4) & 1023) <= (load<u32>(b + 4) & 1023) ? a : b;
  // Four vector stores, not memory.fill: a bulk-memory call costs more than the 64 bytes.
  const zero = i32x4.splat(0);
  v128.store(victim, zero, 16);
  v128.store(victim, zero, 32);
  v128.store(victim, zero, 48);
  v128.store(victim, i32x4.replace_lane(zero, 0, <i32>tag));
  return victim;
}

// What a fresh bucket holds, shared by every lookup that must not insert. Never written:
// nothing learns while it is in use.
const emptyBucket: usize = memory.data(64, 64);

/**
 * The bucket for context hash h if the table holds it, else a shared empty bucket: a
 * lookup without insertion, so it evicts nothing (the sampler's tree walk, which must
 * leave the table as it found it so that every node it reads twice reads the same).
 */
export function peekBucket(h: u32): usize {
  const held = heldBucket(h);
  return held != 0 ? held : emptyBucket;
}
