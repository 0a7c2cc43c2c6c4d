import { allocPermanent } from "../memory";
import { buildTree, treeBitP } from "../lm/distribution";

// The corpus n-gram model (built by train/ngram.py; file format there): what followed each
// useful context of 1..7 bytes in the training corpus. Level 2 mixes its prediction beside
// the LM's: the LM is too small to remember the corpus's vocabulary, and the adaptive
// context models know nothing at the start of a frame.
//
// After each byte the next byte's distribution d (f32[256], not normalised) is rebuilt:
//   d = p0; for order o = 1, 2, …: if the last o bytes (CRs skipped) are a kept context,
//   d = lambda · d + q (the context's listed bytes), else stop (the builder never keeps a
//   context whose one-shorter context it dropped).
// Then d becomes integer frequencies (every byte ≥ 1, total ≈ 2^28) in a bit tree, as the
// LM's distribution does, and P(bit) is a ratio of two tree nodes. f32 in a fixed order: the
// same bits on every machine. The scaling by lambda and the conversion to frequencies run as
// f32x4 SIMD, lane by lane the same IEEE operations as the scalar reference (ngramSetScalar,
// tested equal), and so does the sum S: four lane sums, then (lane 0 + 1) + (lane 2 + 3).

const NG_MAGIC: u32 = 0x31474e4b; // "KNG1"
const VERSION: u32 = 2; // 2: 6-byte slots (version 1 had 8: a u32 check)
const P0_CODES: usize = 20; // after five u32: magic, version, orders, slots, blob bytes
const SLOT_BYTES: usize = 6; // u16 check (0 = empty), u32 info = blob offset | pair count << 24 (unaligned)
const HEADER: usize = P0_CODES + 256;
export const NG_ERR_TRUNCATED = -101; // shorter than its header or tables imply, or outside memory
export const NG_ERR_MAGIC = -102;
export const NG_ERR_VERSION = -103;
export const NG_ERR_LAYOUT = -104; // orders, table size or a context's bytes out of range
export const NG_ERR_MEMORY = -105;

const FREQ_SCALE: f32 = 268435456.0; // 2^28, as the LM's distribution
// A sum below this (only a hostile file gets near it: the shipped model's sums stay near 1)
// is scaled as if it were this, so that d[i] · scale ≤ sum · 2^92 < 2^28 and nothing overflows.
const MIN_SUM: f32 = 5.421010862427522e-20; // 2^-64

let loaded = false;
let maxOrder: i32 = 0;
let slotCount: u32 = 0;
let tableBase: usize = 0; // slotCount slots of SLOT_BYTES
let blob: usize = 0;
let p0: usize = 0; // f32[256]: the order-0 distribution (the file's codes, dequantised at load)
let useScalar = false; // the scalar reference kernels (tests)
let dequant: usize = 0; // f32[256]: code v -> 2^(-v/16)
let dist: usize = 0; // f32[256]
let tree: usize = 0; // u32[512] (distribution.ts layout)
let history: u64 = 0; // the last 8 bytes that were not CR, newest in the low byte
let historyLength: i32 = 0; // how many of them are real (0..8)
let found: i32 = 0; // the longest order whose context was found for the next byte

/** Parses and checks a KNG1 file at ptr (it stays there: the caller keeps it allocated). 0 or NG_ERR_*. */
export function ngramLoad(ptr: usize, len: i32): i32 {
  loaded = false;
  if (len < <i32>HEADER || <u64>ptr + <u64>len > (<u64>memory.size() << 16)) return NG_ERR_TRUNCATED;
  if (load<u32>(ptr) != NG_MAGIC) return NG_ERR_MAGIC;
  if (load<u32>(ptr, 4) != VERSION) return NG_ERR_VERSION;
  const orders = load<u32>(ptr, 8);
  const slotsInFile = load<u32>(ptr, 12);
  const blobBytes = load<u32>(ptr, 16);
  // orders <= 7: context keys hold 7 bytes, and the predictor's mixer by order has 8 sets
  if (orders < 1 || orders > 7 || slotsInFile < 2 || slotsInFile > (1 << 24)) return NG_ERR_LAYOUT;
  const expected: u64 = <u64>HEADER + <u64>slotsInFile * <u64>SLOT_BYTES + <u64>blobBytes;
  if (<u64>len != expected) return NG_ERR_TRUNCATED;
  const s = ptr + HEADER;
  const b = s + <usize>slotsInFile * SLOT_BYTES;
  // Every listed context lies inside the blob, and one slot at least is empty (probes end).
  let empty = 0;
  for (let i: usize = 0; i < <usize>slotsInFile; i++) {
    const a = s + i * SLOT_BYTES;
    if (load<u16>(a) == 0) {
      empty++;
      continue;
    }
    const info = load<u32>(a, 2);
    if (<u64>(info & 0xffffff) + 1 + 2 * <u64>(info >> 24) > <u64>blobBytes) return NG_ERR_LAYOUT;
  }
  if (empty == 0) return NG_ERR_LAYOUT;
  if (dist == 0) {
    dequant = allocPermanent(256 * 4);
    p0 = allocPermanent(256 * 4);
    dist = allocPermanent(256 * 4);
    tree = allocPermanent(512 * 4);
    if (dequant == 0 || p0 == 0 || dist == 0 || tree == 0) return NG_ERR_MEMORY;
    // 2^(-v/16) by repeated multiplication in f64: exact IEEE steps, no library call.
    let x: f64 = 1.0;
    for (let v = 0; v < 256; v++) {
      store<f32>(dequant + (<usize>v << 2), <f32>x);
      x *= 0.9576032806985737; // 2^(-1/16)
    }
  }
  maxOrder = <i32>orders;
  slotCount = slotsInFile;
  tableBase = s;
  blob = b;
  for (let i: usize = 0; i < 256; i++) store<f32>(p0 + (i << 2), q(load<u8>(ptr + P0_CODES + i)));
  loaded = true;
  ngramBegin();
  return 0;
}

export function ngramLoaded(): bool {
  return loaded;
}

/** Starts a frame: no history, the next byte predicted by order 0. */
export function ngramBegin(): void {
  history = 0;
  historyLength = 0;
  if (loaded) predictNext();
}

/** The byte just coded; the next byte's distribution is ready after it. */
export function ngramFeed(c: i32): void {
  if (!loaded) return;
  if (c != 13) { // contexts skip CR, so CRLF text reads as the corpus's LF text
    history = (history << 8) | <u64>c;
    if (historyLength < 8) historyLength++;
  }
  predictNext();
}

/** P(next bit = 1 | partial byte c0) in [1, 65535] (16-bit). */
export function ngramBitP(c0: i32): i32 {
  return loaded ? treeBitP(tree, c0) : 32768;
}

/** The next byte's integer frequency (≥ 1; 0 when no model is loaded). */
export function ngramFreq(c: i32): u32 {
  return loaded ? load<u32>(tree + 1024 + (<usize>(c & 255) << 2)) : 0;
}

/** Σ of the frequencies (the tree's root; about 2^28). */
export function ngramFreqTotal(): u32 {
  return loaded ? load<u32>(tree, 4) : 0;
}

/** Tests: 1 = the scalar reference kernels, 0 = SIMD (the same bits). */
export function ngramSetScalar(on: i32): void {
  useScalar = on != 0;
}

/** The longest context order found for the next byte (0: order 0 only). */
export function ngramOrder(): i32 {
  return found;
}

/** The hash of a context key (its home slot and check bits). */
// @ts-ignore: decorator
@inline function contextHash(key: u64): u64 {
  let h = key * 0x9e3779b97f4a7c15;
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93;
  h ^= h >> 29;
  return h;
}

// Sum of the bytes read by touchContexts: kept only so that the reads are not optimised away.
let touched: u32 = 0;

/**
 * Reads the home slot of every order's context before any is looked up, so that their cache
 * misses overlap instead of following one another (findContext then finds them in cache).
 * Changes nothing the predictor computes.
 */
function touchContexts(): void {
  let sum: u32 = 0;
  for (let o = 1; o <= maxOrder && o <= historyLength; o++) {
    const mask: u64 = (<u64>1 << (<u64>o << 3)) - 1;
    const h = contextHash((history & mask) | (<u64>o << 56));
    const i = <u32>(((h >> 32) * <u64>slotCount) >> 32);
    sum += <u32>load<u8>(tableBase + <usize>i * SLOT_BYTES);
  }
  touched = sum;
}

/** Address of the slot holding the context key, or 0. */
function findContext(key: u64): usize {
  const h = contextHash(key);
  // 16 bits of check (15 random): a context in the probed run with the same check is read as
  // this one. A missing context's probe passes ~13 slots at 80 % load, each matching with
  // chance 2^-15: a worse prediction now and then, the same in encoder and decoder.
  const check = (<u32>h & 0xffff) | 1;
  let i = <u32>(((h >> 32) * <u64>slotCount) >> 32); // the home slot, in [0, slotCount)
  for (let n: u32 = 0; n < slotCount; n++) {
    const a = tableBase + <usize>i * SLOT_BYTES;
    const c = <u32>load<u16>(a);
    if (c == check) return a;
    if (c == 0) return 0;
    i = i + 1 < slotCount ? i + 1 : 0;
  }
  return 0;
}

// @ts-ignore: decorator
@inline function q(code: u32): f32 {
  return load<f32>(dequant + (<usize>code << 2));
}

/** dist[i] *= lambda for all 256 bytes. */
function scaleSimd(lambda: f32): void {
  const l = f32x4.splat(lambda);
  for (let i: usize = 0; i < 1024; i += 64) {
    const a = dist + i;
    v128.store(a, f32x4.mul(v128.load(a), l));
    v128.store(a, f32x4.mul(v128.load(a, 16), l), 16);
    v128.store(a, f32x4.mul(v128.load(a, 32), l), 32);
    v128.store(a, f32x4.mul(v128.load(a, 48), l), 48);
  }
}

function scaleScalar(lambda: f32): void {
  for (let i: usize = 0; i < 256; i++) store<f32>(dist + (i << 2), load<f32>(dist + (i << 2)) * lambda);
}

/** leaves[i] = max(1, trunc(dist[i] · scale)) (dist[i] · scale ≤ 2^28: no overflow, see MIN_SUM). */
function freqsSimd(scale: f32, leaves: usize): void {
  const sc = f32x4.splat(scale);
  const one = i32x4.splat(1);
  for (let i: usize = 0; i < 1024; i += 16) {
    v128.store(leaves + i, i32x4.max_s(i32x4.trunc_sat_f32x4_s(f32x4.mul(v128.load(dist + i), sc)), one));
  }
}

function freqsScalar(scale: f32, leaves: usize): void {
  for (let i: usize = 0; i < 256; i++) {
    const f = <i32>(load<f32>(dist + (i << 2)) * scale);
    store<u32>(leaves + (i << 2), f < 1 ? 1 : <u32>f);
  }
}

/**
 * Σ dist[i] in a fixed order: four lane sums (lane k adds dist[k], dist[k + 4], … in index
 * order), then (lane 0 + lane 1) + (lane 2 + lane 3); f32 throughout. Four sums, not one
 * running sum, so the additions do not wait on each other one by one.
 */
function sumSimd(): f32 {
  let acc = f32x4.splat(0);
  for (let i: usize = 0; i < 1024; i += 16) acc = f32x4.add(acc, v128.load(dist + i));
  return (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
}

/** sumSimd's operations one by one: the same result, bit for bit. */
function sumScalar(): f32 {
  let l0: f32 = 0, l1: f32 = 0, l2: f32 = 0, l3: f32 = 0;
  for (let i: usize = 0; i < 1024; i += 16) {
    l0 += load<f32>(dist + i);
    l1 += load<f32>(dist + i + 4);
    l2 += load<f32>(dist + i + 8);
    l3 += load<f32>(dist + i + 12);
  }
  return (l0 + l1) + (l2 + l3);
}

function predictNext(): void {
  touchContexts();
  memory.copy(dist, p0, 1024);
  found = 0;
  for (let o = 1; o <= maxOrder && o <= historyLength; o++) {
    const mask: u64 = (<u64>1 << (<u64>o << 3)) - 1; // o <= 7
    const a = findContext((history & mask) | (<u64>o << 56));
    if (a == 0) break;
    const info = load<u32>(a, 2);
    const at = blob + <usize>(info & 0xffffff);
    const pairCount = <usize>(info >> 24);
    const lambda = q(load<u8>(at));
    if (useScalar) scaleScalar(lambda);
    else scaleSimd(lambda);
    for (let j: usize = 0; j < pairCount; j++) {
      const d = dist + (<usize>load<u8>(at + 1 + 2 * j) << 2);
      store<f32>(d, load<f32>(d) + q(load<u8>(at + 2 + 2 * j)));
    }
    found = o;
  }
  // Integer frequencies: freq = max(1, trunc(d · 2^28 / S)), S = Σ d in sumSimd's order.
  const sum = useScalar ? sumScalar() : sumSimd();
  const scale = FREQ_SCALE / (sum >= MIN_SUM ? sum : MIN_SUM);
  if (useScalar) freqsScalar(scale, tree + 1024);
  else freqsSimd(scale, tree + 1024);
  buildTree(tree);
}

/** Address of the next byte's distribution d (f32[256], not normalised; every entry > 0): a residual LM's prior. */
export function ngramDistPtr(): usize {
  return dist;
}
