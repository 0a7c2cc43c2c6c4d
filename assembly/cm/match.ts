import { allocArena } from "../memory";
import { hash2 } from "./hash";
import { counterP12, counterUpdate } from "./counter";
import { stretch } from "./squash";

// Match model: finds the last occurrence of the current context (the previous
// minLen bytes) in the frame so far and predicts the byte that followed it.
// Its input to the mixer comes from a counter indexed by (match length bucket,
// predicted bit), so the mixer learns how far to trust matches of each length.

let minLen: u32 = 8; // bytes of context a match needs (6 or 8: matchInit)
const MAX_LEN: u32 = 65535;
const VERIFY_LEN: u32 = 64; // backwards check of a candidate is capped: keeps search O(1)

let history: usize = 0; // the frame's bytes (input when encoding, output when decoding)
let index: usize = 0; // u32[2^indexBits]: context hash -> position after it
let indexBits: i32 = 0;
let counters: usize = 0; // u32[64]: (length bucket << 1 | predicted bit)
let matchPtr: u32 = 0; // position of the predicted byte
let matchLen: u32 = 0; // current match length in bytes (0 = none)
let predictedByte: i32 = 0;
let slot: usize = 0; // counter used for the current bit
let indexing = true; // whether new positions are added to the index
// Recovery: a match of RECOVER_MIN bytes or more that breaks at one byte is taken up again
// after it (a value of the same width that differs), at length 1 unless a new match is found.
// Lengths 1 .. minLen - 1 therefore mean "recovered, confirmed that many bytes since".
const RECOVER_MIN: u32 = 8;
let lostPtr: u32 = 0; // position of the byte the broken match predicted (0: none)

/** Starts a frame; minimum: the bytes of context a match needs, 6 (hashed as 6) or 8. */
export function matchInit(historyPtr: usize, bits: i32, minimum: u32): bool {
  history = historyPtr;
  minLen = minimum;
  indexBits = bits;
  index = allocArena((<usize>1) << (bits + 2));
  counters = allocArena(64 * 4);
  matchPtr = 0;
  matchLen = 0;
  lostPtr = 0;
  slot = 0;
  return index != 0 && counters != 0;
}

/** The byte the match predicts (valid when matchLength() > 0). */
export function matchPredicted(): i32 { return predictedByte; }
export function matchLength(): u32 { return matchLen; }

/** Length bucket 0..31 (0 = no match). */
export function matchBucket(): i32 {
  if (matchLen < 16) return <i32>matchLen;
  const b = 16 + <i32>((matchLen - 16) >> 4);
  return b > 31 ? 31 : b;
}

/** Called after each whole byte; pos = number of bytes of the frame known. */
export function matchByteUpdate(pos: u32, c4: u32, c8: u32): void {
  const last = <i32>load<u8>(history + pos - 1);
  if (matchLen > 0 && predictedByte == last) {
    if (matchLen < MAX_LEN) matchLen++;
    matchPtr++;
  } else {
    matchLen = 0;
  }
  if (pos < minLen) return;
  const h = hash2(c4, minLen == 8 ? c8 : c8 & 0xffff) >>> (32 - indexBits);
  const entry = index + (<usize>h << 2);
  if (matchLen == 0) {
    const cand = load<u32>(entry);
    if (cand > 0) {
      let len: u32 = 0;
      while (len < VERIFY_LEN && len < cand &&
        load<u8>(history + cand - 1 - len) == load<u8>(history + pos - 1 - len)) len++;
      if (len >= minLen) {
        matchLen = len;
        matchPtr = cand;
      }
    }
    if (matchLen == 0 && lostPtr != 0) {
      matchPtr = lostPtr + 1;
      matchLen = 1;
    }
  }
  lostPtr = 0;
  if (indexing) store<u32>(entry, pos);
  if (matchLen > 0) predictedByte = <i32>load<u8>(history + matchPtr);
}

/**
 * Mixer input for the next bit (log-odds, 1/256 units). c0 = partial byte with
 * leading 1, bitPos = bits of it known (0..7).
 */
// @ts-ignore: decorator
@inline export function matchInput(c0: i32, bitPos: i32): i32 {
  if (matchLen > 0 && ((predictedByte | 256) >> (8 - bitPos)) == c0) {
    const bit = (predictedByte >> (7 - bitPos)) & 1;
    slot = counters + (<usize>((matchBucket() << 1) | bit) << 2);
    return stretch(counterP12(load<u32>(slot)));
  }
  if (matchLen > 0) { // the byte went another way: match is over (a long one may recover)
    lostPtr = matchLen >= RECOVER_MIN ? matchPtr : 0;
    matchLen = 0;
  }
  slot = 0;
  return 0;
}


/**
 * A fixed-confidence match input: ±min(length, 32)·64 toward the predicted bit, in 1/256
 * log-odds units (32·64 = 2048: the full stretch range), 0 without a match. Call after
 * matchInput, which ends a broken match.
 */
// @ts-ignore: decorator
@inline export function matchLengthInput(bitPos: i32): i32 {
  if (matchLen == 0) return 0;
  const bit = (predictedByte >> (7 - bitPos)) & 1;
  const l = <i32>(matchLen < 32 ? matchLen : 32) << 6;
  return bit ? l : -l;
}

// @ts-ignore: decorator
@inline export function matchBitUpdate(bit: i32): void {
  if (slot != 0) counterUpdate(slot, bit, 1023);
}

/** Match state saved around a side-trip through the bit tree (the sampler's byte distribution). */
export function matchSaveLength(): u32 {
  return matchLen;
}

export function matchRestoreLength(len: u32): void {
  matchLen = len;
  lostPtr = 0;
}

/** Stops or resumes adding positions to the index (the sampler's own output is not indexed). */
export function matchSetIndexing(on: bool): void {
  indexing = on;
}
