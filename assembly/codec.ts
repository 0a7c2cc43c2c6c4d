import { allocPermanent, memoryInUse } from "./memory";
import { encoderStart, encodeBit, encoderFinish, decoderStart, decodeBit, decoderOverrun } from "./coder";
import { predictorInit, predictBit, updateBit, priorLayoutBytes, setRateBoost, filtersAblated, PREDICTOR_VERSION } from "./predictor";
import { priorLoad, priorSave } from "./prior";
import { filterChoose, filterApply, filterValid, filterKind, binaryLikely, FILTER_NONE, FILTER_PCM16, FILTER_IMAGE, FILTER_BINARY } from "./filter/filter";
import { imageStride, imageOffset, imagePixelBytes, imageSetLayout } from "./filter/image";

// Frame loops: one call codes a whole frame, so JS never crosses into WASM per byte.
//
// JS copies a frame into the input buffer, calls encodeFrame / decodeFrame, and
// reads the result from the output buffer. Encoding: input = raw bytes, output =
// payload. Decoding: input = payload, output = raw bytes. A payload is never
// longer than its raw frame (the container stores such frames raw), so both
// buffers hold `capacity` bytes.

export const ERR_OUT_OF_MEMORY = -2;
export const ERR_NOT_SMALLER = -1;
export const ERR_PAYLOAD_EXHAUSTED = -3;
export const ERR_BAD_FILTER = -4;

// A payload starts with the frame's filter (filter/filter.ts): one bit, 1 = filtered, at
// P(1) = 1/4096 (about 0.0004 bits for an unfiltered frame), then, if set, the filter code's
// 8 bits at P(1) = 1/2, high bit first. An image's code is followed by its layout
// (filter/image.ts): the stride, then the offset, 24 bits each, the same way.
const FILTERED_P1: u32 = 16;

function encodeBits(v: u32, bits: i32): void {
  for (let b = bits - 1; b >= 0; b--) encodeBit(<i32>((v >> <u32>b) & 1), 32768);
}

function decodeBits(bits: i32): u32 {
  let v: u32 = 0;
  for (let b = 0; b < bits; b++) v = (v << 1) | <u32>decodeBit(32768);
  return v;
}

function encodeFilter(code: u32): void {
  encodeBit(code != FILTER_NONE ? 1 : 0, FILTERED_P1);
  if (code == FILTER_NONE) return;
  encodeBits(code, 8);
  if (filterKind(code) == FILTER_IMAGE) {
    encodeBits(imageStride, 24);
    encodeBits(imageOffset, 24);
  }
}

/** The filter code, or a code filterValid refuses (an image whose layout is out of range). */
function decodeFilter(): u32 {
  if (decodeBit(FILTERED_P1) == 0) return FILTER_NONE;
  const code = decodeBits(8);
  if (filterValid(code) && filterKind(code) == FILTER_IMAGE) {
    const stride = decodeBits(24);
    const offset = decodeBits(24);
    if (!imageSetLayout(stride, offset, ((code >> 2) & 3) + 1)) return 0xff;
  }
  return code;
}

// A PCM choice (filter.ts estimates it from byte statistics, which other binary data can
// fool, such as an image's runs) stands only if it codes a sample of the frame smaller at
// level 1 than the unfiltered bytes do.
const TRIAL_BYTES: u32 = 1 << 16;

/** Codes the first n bytes of the input buffer, most significant bit first, with the predictor as initialised. */
function encodeBytes(n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const c = <i32>load<u8>(inBuf + i);
    for (let b = 7; b >= 0; b--) {
      const bit = (c >> b) & 1;
      encodeBit(bit, predictBit());
      updateBit(bit);
    }
  }
}

/** Payload bytes of the first m bytes of the input buffer coded at level 1 with `filter` (already applied). */
function trialBytes(filter: u32, m: u32): i32 {
  if (!predictorInit(1, inBuf, m, filter)) return -1;
  encoderStart(outBuf, m);
  encodeBytes(m);
  const len = encoderFinish();
  return len < 0 ? <i32>m : len;
}

let lastFilter: u32 = FILTER_NONE; // the filter code of the last frame encodeFrame coded

/** The filter code of the last frame encodeFrame coded (a development probe: test/filter.test.ts). */
export function frameFilter(): u32 {
  return lastFilter;
}

/** Chooses the frame's filter and applies it to the input buffer. */
function chooseAndApply(n: u32): u32 {
  if (filtersAblated()) return FILTER_NONE;
  const filter = filterChoose(inBuf, n);
  if (filterKind(filter) != FILTER_PCM16) {
    filterApply(filter, inBuf, n, true);
    return filter;
  }
  const m = n < TRIAL_BYTES ? n : TRIAL_BYTES;
  const plain = trialBytes(FILTER_NONE, m);
  filterApply(filter, inBuf, n, true);
  const filtered = trialBytes(filter, m);
  if (plain >= 0 && filtered >= 0 && filtered < plain) return filter;
  filterApply(filter, inBuf, n, false); // exactly undone
  return binaryLikely(inBuf, n) ? FILTER_BINARY : FILTER_NONE;
}

let inBuf: usize = 0;
let outBuf: usize = 0;
let capacity: u32 = 0;
let decoded: u32 = 0;

/** Makes room for frames of up to maxFrame bytes. Returns 0, or -2 when out of memory. */
export function setup(maxFrame: u32): i32 {
  if (maxFrame <= capacity) return 0;
  if (maxFrame > 0x40000000) return ERR_OUT_OF_MEMORY; // beyond the module's 1 GiB (and maxFrame + 8 must not wrap)
  inBuf = allocPermanent(maxFrame + 8);
  outBuf = allocPermanent(maxFrame + 8);
  if (inBuf == 0 || outBuf == 0) {
    capacity = 0;
    return ERR_OUT_OF_MEMORY;
  }
  capacity = maxFrame;
  return 0;
}

/** Bytes each of the two frame buffers holds (0 before setup). */
export function frameCapacity(): u32 {
  return capacity;
}

export function inputPtr(): usize {
  return inBuf;
}

export function outputPtr(): usize {
  return outBuf;
}

export function memoryBytes(): usize {
  return memoryInUse();
}

/**
 * Compresses n bytes from the input buffer into the output buffer.
 * Returns the payload length, -1 when the payload would not be smaller than n
 * (store the frame raw), or -2 when out of memory.
 */
export function encodeFrame(level: i32, n: u32): i32 {
  if (n > capacity) return ERR_OUT_OF_MEMORY;
  const filter = chooseAndApply(n); // the input buffer is the encoder's to change: JS keeps the raw bytes
  lastFilter = filter;
  if (!predictorInit(level, inBuf, n, filter)) return ERR_OUT_OF_MEMORY;
  encoderStart(outBuf, n);
  encodeFilter(filter);
  encodeBytes(n);
  const len = encoderFinish();
  return len < 0 || <u32>len >= n ? ERR_NOT_SMALLER : len;
}

/**
 * Decompresses a payload of payloadLen bytes from the input buffer into n raw
 * bytes in the output buffer. Returns 0, -2 when out of memory, or -3 when the
 * payload ran out before n bytes were decoded (damaged), or -4 when the payload names no
 * known filter (damaged). Other damage yields
 * wrong bytes, caught by the frame CRC; the loop never runs past n bytes.
 */
export function decodeFrame(level: i32, payloadLen: u32, n: u32): i32 {
  if (n > capacity || payloadLen > capacity) return ERR_OUT_OF_MEMORY;
  decoded = 0;
  decoderStart(inBuf, payloadLen);
  const filter = decodeFilter();
  if (!filterValid(filter)) return ERR_BAD_FILTER;
  if (!predictorInit(level, outBuf, n, filter)) return ERR_OUT_OF_MEMORY;
  for (let i: u32 = 0; i < n; i++) {
    // updateBit writes each completed byte to the output buffer (the history).
    for (let b = 0; b < 8; b++) updateBit(decodeBit(predictBit()));
    if (decoderOverrun() > 3) {
      decoded = i + 1;
      return ERR_PAYLOAD_EXHAUSTED;
    }
  }
  filterApply(filter, outBuf, n, false);
  decoded = n;
  return 0;
}

/** Bytes the last decodeFrame produced before it returned: n, or fewer when the payload ran out. */
export function decodedBytes(): u32 {
  return decoded;
}

/** Long-lived buffer for JS to copy data into (the LM's weight file). 0 = out of memory. */
export function allocBytes(n: u32): usize {
  return allocPermanent(n, 64);
}

/** Bytes of a prior blob for this build's model layout at `level`. */
export function priorBytes(level: i32): i32 {
  return priorLayoutBytes(level);
}

/** Loads a prior blob (copied by JS to src) for a level. 0, -1 bad blob, -2 out of memory. */
export function loadPrior(level: i32, src: usize, len: i32): i32 {
  const expected = priorBytes(level);
  if (expected < 0) return expected;
  return priorLoad(level, src, len, expected);
}

/** make-prior.mjs turns the per-set rate boost (levels 2, 3) off (0) while it learns a prior: a fixed rate. */
export function priorMaking(on: i32): void {
  setRateBoost(on == 0);
}

export { priorRegionCount, priorRegionKind, priorRegionBytes } from "./prior";

/** Writes the state left by the last encodeFrame as a prior blob to dst (for scripts/make-prior.mjs). */
export function savePrior(dst: usize): void {
  priorSave(dst);
}

/** Ablation bits for kolmo bench --ablate (predictor.ts ABLATE_*); 0 = the real model. */
export { setAblation } from "./predictor";

/** The predictor's version (predictor.ts PREDICTOR_VERSION), hashed into every stream's model id by scripts/embed.mjs. */
export function predictorVersion(): i32 {
  return PREDICTOR_VERSION;
}
