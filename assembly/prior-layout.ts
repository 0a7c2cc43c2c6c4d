import { MIXER_INPUTS, mixerWeights } from "./cm/mixer";
import { apmTable } from "./cm/apm";
import { priorRegionsReset, priorRegion, REGION_F32, REGION_U16, REGION_U32 } from "./prior";

// What a level's prior sets (prior.ts), in this order: the mixers' weights, the APM by
// confidence (levels 2, 3), the bit-history maps and the order-0 APM. The sizes here are the
// ones predictor.ts creates its parts with; the predictor hands over their addresses
// (priorPart) before it registers them (priorLayout). Changing anything here changes the
// prior's layout: the priors must be remade (scripts/refresh-priors.sh).

// Weight sets of each mixer.
export const SETS_BY_BYTE = 256; // by the partial byte
export const SETS_BY_MATCH = 32 * 8; // by match length and bit position
export const SETS_BY_CONFIDENCE = 16 * 8; // levels 2, 3: by the LM's (n-gram's) confidence and bit position
export const SETS_BY_PREV = 256; // by the previous byte
export const SETS_BY_PREV2 = 256 * 8; // by the byte before it and bit position
export const SETS_BY_ORDER2 = 1024; // by a hash of the last two bytes
export const SETS_BY_WORD = 1024; // by a hash of the word
export const SETS_BY_ORDER3 = 4096; // by a hash of the last three bytes
export const SETS_BY_NGRAM = 8 * 8; // by the n-gram's longest context found and bit position
export const SETS_FINAL = 8; // the final mixer, by bit position
// Rows of the APMs a prior sets (33 u16 each).
export const ROWS_APM_BY_CONFIDENCE = 16 * 256;
export const ROWS_APM_ORDER0 = 256;

// The parts' addresses, by index (PART_*), set by the predictor after allocating them.
export const PART_BY_BYTE = 0;
export const PART_BY_MATCH = 1;
export const PART_BY_CONFIDENCE = 2;
export const PART_BY_PREV = 3;
export const PART_BY_PREV2 = 4;
export const PART_BY_ORDER2 = 5;
export const PART_BY_WORD = 6;
export const PART_BY_ORDER3 = 7;
export const PART_BY_NGRAM = 8;
export const PART_FINAL = 9;
export const PART_APM_BY_CONFIDENCE = 10;
export const PART_HISTORY_MAPS = 11;
export const PART_APM_ORDER0 = 12;
const parts = memory.data(16 * 4, 4); // u32 address per part

/** The address of part i (a mixer, an APM or the history maps). */
export function priorPart(i: i32, addr: usize): void {
  store<u32>(parts + (<usize>i << 2), <u32>addr);
}

// @ts-ignore: decorator
@inline function part(i: i32): usize {
  return <usize>load<u32>(parts + (<usize>i << 2));
}

/**
 * The regions of a level's prior, in order: registered with prior.ts (register = true, after
 * the predictor has handed over every part) or only added up (nothing needs to exist).
 * historyModels: the hashed contexts with a bit-history map at this level. Returns the blob
 * size (8-byte header + regions).
 */
export function priorLayout(level: i32, register: bool, historyModels: i32): i32 {
  if (register) priorRegionsReset();
  let n: usize = 8; // blob header
  n += mixerRegion(register, PART_BY_BYTE, SETS_BY_BYTE);
  n += mixerRegion(register, PART_BY_MATCH, SETS_BY_MATCH);
  if (level >= 2) {
    n += mixerRegion(register, PART_BY_CONFIDENCE, SETS_BY_CONFIDENCE);
    n += mixerRegion(register, PART_BY_PREV, SETS_BY_PREV);
    n += mixerRegion(register, PART_BY_PREV2, SETS_BY_PREV2);
    n += mixerRegion(register, PART_BY_ORDER2, SETS_BY_ORDER2);
    n += mixerRegion(register, PART_BY_WORD, SETS_BY_WORD);
    n += mixerRegion(register, PART_BY_ORDER3, SETS_BY_ORDER3);
    n += mixerRegion(register, PART_BY_NGRAM, SETS_BY_NGRAM);
    n += mixerRegion(register, PART_FINAL, SETS_FINAL);
    n += region(register, register ? apmTable(part(PART_APM_BY_CONFIDENCE)) : 0, ROWS_APM_BY_CONFIDENCE * 33 * 2, REGION_U16);
  }
  n += region(register, part(PART_HISTORY_MAPS), <usize>historyModels * 256 * 4, REGION_U32);
  n += region(register, register ? apmTable(part(PART_APM_ORDER0)) : 0, ROWS_APM_ORDER0 * 33 * 2, REGION_U16);
  return <i32>n;
}

function region(register: bool, addr: usize, bytes: usize, kind: u32): usize {
  if (register) priorRegion(addr, bytes, kind);
  return bytes;
}

/** A mixer's weights (`sets` weight sets) as a region; the mixer need not exist unless registering. */
function mixerRegion(register: bool, i: i32, sets: i32): usize {
  return region(register, register ? mixerWeights(part(i)) : 0, <usize>sets * MIXER_INPUTS * 4, REGION_F32);
}
