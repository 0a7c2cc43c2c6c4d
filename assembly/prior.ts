import { allocPermanent } from "./memory";

// Priors: a learned starting state for the small, general parts of the model
// (mixer weights, bit-history maps, the order-0 APM), one per level. They are
// made by running the coder over corpus text (scripts/make-prior.mjs) and
// shipped in models/, so the first kilobytes of every frame are coded with
// trained weights instead of guesses. The prior is part of the format: a
// different prior gives different bytes.

export const PRIOR_MAGIC: u32 = 0x3152504b; // "KPR1" little-endian
const MAX_LEVEL = 3;

// What a region holds (make-prior.mjs averages states element by element).
export const REGION_F32: u32 = 0; // mixer weights
export const REGION_U16: u32 = 1; // APM tables
export const REGION_U32: u32 = 2; // bit-history maps (p in the high bits)

// Regions of the prior, in order: [address, bytes, kind] registered by the predictor.
let regionCount = 0;
// Static memory (below the heap): u32[16] addresses, sizes and kinds, u32[4] blob per level.
const MAX_REGIONS = 16;
const regionAddr: usize = memory.data(MAX_REGIONS * 4);
const regionSize: usize = memory.data(MAX_REGIONS * 4);
const regionKind: usize = memory.data(MAX_REGIONS * 4);
const priorData: usize = memory.data((MAX_LEVEL + 1) * 4); // blob address per level (0 = none)

// @ts-ignore: decorator
@inline function get(table: usize, i: i32): usize {
  return <usize>load<u32>(table + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function set(table: usize, i: i32, v: usize): void {
  store<u32>(table + (<usize>i << 2), <u32>v);
}

/** Called by predictorInit with the state regions of the fresh model, in a fixed order. */
export function priorRegionsReset(): void {
  regionCount = 0;
}

export function priorRegion(addr: usize, bytes: usize, kind: u32): void {
  if (regionCount >= MAX_REGIONS) unreachable(); // a predictor change must raise MAX_REGIONS
  set(regionAddr, regionCount, addr);
  set(regionSize, regionCount, bytes);
  set(regionKind, regionCount, <usize>kind);
  regionCount++;
}

/** The registered regions (of the last frame's level), for make-prior.mjs: count, then each one's kind and bytes. */
export function priorRegionCount(): i32 {
  return regionCount;
}

export function priorRegionKind(i: i32): i32 {
  return i >= 0 && i < regionCount ? <i32>get(regionKind, i) : -1;
}

export function priorRegionBytes(i: i32): i32 {
  return i >= 0 && i < regionCount ? <i32>get(regionSize, i) : -1;
}

/** Bytes of a prior blob for the current model layout (8-byte header + regions). */
export function priorSize(): i32 {
  let n: usize = 8;
  for (let i = 0; i < regionCount; i++) n += get(regionSize, i);
  return <i32>n;
}

/** Overwrites the registered regions with the level's prior, if one is loaded. */
export function priorApply(level: i32): void {
  if (level < 0 || level > MAX_LEVEL) return;
  let src = get(priorData, level);
  if (src == 0) return;
  src += 8;
  for (let i = 0; i < regionCount; i++) {
    memory.copy(get(regionAddr, i), src, get(regionSize, i));
    src += get(regionSize, i);
  }
}

/** Writes the current state of the regions as a prior blob at dst (priorSize() bytes). */
export function priorSave(dst: usize): void {
  store<u32>(dst, PRIOR_MAGIC);
  store<u32>(dst + 4, <u32>priorSize());
  let p = dst + 8;
  for (let i = 0; i < regionCount; i++) {
    memory.copy(p, get(regionAddr, i), get(regionSize, i));
    p += get(regionSize, i);
  }
}

/**
 * Keeps a copy of the prior blob at src for `level`. Returns 0, -1 for a bad
 * blob (magic or size does not match this build's model layout), -2 when out of memory.
 */
export function priorLoad(level: i32, src: usize, len: i32, expectedSize: i32): i32 {
  if (level < 0 || level > MAX_LEVEL) return -1;
  if (len < 8 || load<u32>(src) != PRIOR_MAGIC || <i32>load<u32>(src + 4) != len || len != expectedSize) return -1;
  let dst = get(priorData, level);
  if (dst == 0) dst = allocPermanent(<usize>len); // same layout, same size: reuse
  if (dst == 0) return -2;
  memory.copy(dst, src, <usize>len);
  set(priorData, level, dst);
  return 0;
}
