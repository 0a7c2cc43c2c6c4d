import { allocArena, allocPermanent, resetArena } from "./memory";
import { initSquash, squash, stretch } from "./cm/squash";
import { initCounters, counterP12, counterUpdate, slotP12, slotHistory, slotUpdate } from "./cm/counter";
import { contextTableInit, findBucket, peekBucket, touchBucket } from "./cm/context-table";
import { matchInit, matchLengthInput, matchByteUpdate, matchInput, matchBitUpdate, matchBucket, matchSaveLength, matchRestoreLength, matchSetIndexing } from "./cm/match";
import { MIXER_INPUTS, mixerCreate, mixerDot, mixerUpdate, mixerInputs, mixerSetBoost, mixerSetWidth } from "./cm/mixer";
import { apmCreate, apmCreateLazy, apmRefine, apmUpdate } from "./cm/apm";
import { priorApply } from "./prior";
import {
  priorLayout, priorPart, PART_BY_BYTE, PART_BY_MATCH, PART_BY_CONFIDENCE, PART_BY_PREV, PART_BY_PREV2, PART_BY_ORDER2,
  PART_BY_WORD, PART_BY_ORDER3, PART_BY_NGRAM, PART_FINAL, PART_APM_BY_CONFIDENCE, PART_HISTORY_MAPS, PART_APM_ORDER0,
  SETS_BY_BYTE, SETS_BY_MATCH, SETS_BY_CONFIDENCE, SETS_BY_PREV, SETS_BY_PREV2, SETS_BY_ORDER2, SETS_BY_WORD,
  SETS_BY_ORDER3, SETS_BY_NGRAM, SETS_FINAL, ROWS_APM_BY_CONFIDENCE, ROWS_APM_ORDER0,
} from "./prior-layout";
import { lmLoaded, lmStart, lmStep, lmBitP } from "./lm/lm";
import { FILTER_NONE, filterKind } from "./filter/filter";
import { c4, c8, keyOrder1, keyApm, keyPrev2, keyOrder2, keyWord, keyOrder3, keyConfidence, contextsReset, contextsByte, contextHashes } from "./contexts";
import { ngramLoaded, ngramBegin, ngramFeed, ngramBitP, ngramOrder, ngramDistPtr } from "./ngram/ngram";

// The bit predictor: p(next bit = 1) from context models (+ the corpus n-gram from level 2, + the
// LM at level 3), mixed (level 1: two mixers, averaged; levels 2 and 3: nine mixers and a final
// mixer), then refined by APM stages (two; three from level 2).
//
// Mixer inputs (log-odds, 1/256 units):
//   0 bias   1 order-0   2 order-1   3..7 order-2, 4, word, 3 and 6 (direct counters)
//   8 match   9 LM (level 3; with a residual LM (KLM1 flag bit 0), its product with the n-gram)
//   10..14 order-2, 4, word, 3 and 6 (bit history -> probability)
//   15 LM's stretch s as s·|s| / 2^11 (level 3)
//   16 corpus n-gram (ngram/ngram.ts)   17 its stretch s as s·|s| / 2^11 (16, 17: levels 2, 3)
//   18 fixed-confidence match input (cm/match.ts matchLengthInput; every level)
//   from 19, levels 2 and 3, two inputs (direct, bit history) per context: 19, 20 line head
//   21, 22 field   23, 24 word pair   25, 26 nesting   27 record (in text: line pair; direct
//   only)   28, 29 sparse (in text: bracket word)
//   30, 31 shape   32, 33 expected byte   34, 35 classes
// Orders 0 and 1 are direct tables (order 1's row: contexts.ts, keyOrder1); the hashed
// contexts (contexts.ts) share one hashed table
// with a bucket per context per nibble (see cm/context-table.ts). Level 1 uses three hashed
// contexts (orders 2, 4 and the word) and mixes inputs 0..27 alone (cm/mixer.ts, the width);
// levels 2 and 3 use all fourteen (DIRECT_INPUT, HISTORY_INPUT below) and mix all 36 inputs.
// The inputs of the contexts a level does not use stay 0.

/**
 * The predictor's version: part of every stream's model id (scripts/embed.mjs), so a stream
 * names the predictor code that coded it. Bump it with every change to the bytes this code
 * writes for a given model and prior (the golden vectors show such a change).
 */
export const PREDICTOR_VERSION = 5;

export const LEVEL_NGRAM = 2; // level 1: context models only; level 2: + the corpus n-gram, nine mixers
export const LEVEL_LM = 3; // level 3: level 2 + the language model
export const MAX_LEVEL = 3;

// Ablation (tools/ablate.mjs, never in a stream): bits that remove one part of the model,
// to measure what it is worth in bytes and time. A stream coded with any bit set decodes only
// with the same bits set.
export const ABLATE_LM: u32 = 1; // level 3 without the LM's steps (its inputs stay 0)
export const ABLATE_NGRAM: u32 = 2; // without the corpus n-gram (its inputs stay 0; a residual LM gets no prior)
export const ABLATE_PRIOR: u32 = 4; // fresh initial state instead of the learned prior
export const ABLATE_APM: u32 = 8; // the mixer's probability is coded as it is
export const ABLATE_MATCH: u32 = 16; // no match model inputs
export const ABLATE_ORDERS_3_6: u32 = 32; // no hashed orders 3 and 6 (levels 2, 3)
export const ABLATE_WORD: u32 = 64; // no word context
export const ABLATE_LINE_HEAD: u32 = 128; // no line-head context (in filtered frames: what the filter puts in its slot; levels 2, 3)
export const ABLATE_MIXERS: u32 = 256; // only the mixers by partial byte and by match (+ the final one)
export const ABLATE_ORDERS_2_4: u32 = 512; // no hashed orders 2 and 4
export const ABLATE_DIRECT: u32 = 1024; // no direct orders 0 and 1
export const ABLATE_FIELD: u32 = 2048; // no field context (levels 2, 3)
export const ABLATE_WORD_PAIR: u32 = 4096; // no word-pair context (levels 2, 3)
export const ABLATE_NESTING: u32 = 8192; // no nesting context (levels 2, 3)
export const ABLATE_RECORD: u32 = 16384; // no record context (in text: the line pair; levels 2, 3)
export const ABLATE_FILTERS: u32 = 32768; // every frame unfiltered (codec.ts)
export const ABLATE_SPARSE: u32 = 65536; // no sparse context (in text: the bracket word; levels 2, 3)
export const ABLATE_SHAPE: u32 = 131072; // no shape context (levels 2, 3)
export const ABLATE_EXPECTED: u32 = 262144; // no expected-byte context (levels 2, 3)
export const ABLATE_CLASSES: u32 = 524288; // no classes context (levels 2, 3)
let ablation: u32 = 0;
let skipHashed: u32 = 0; // bit i: hashed context i is not used (from the ablation)

/** Whether the ablation bits turn the frame filters off. */
export function filtersAblated(): bool {
  return (ablation & ABLATE_FILTERS) != 0;
}

/** Sets the ablation bits for the frames that start after it (0: the real model). */
export function setAblation(bits: u32): void {
  ablation = bits;
}

// The hashed contexts, in this order (the frame's filter may replace some: computeHashes):
// order 2, 4, word (every level), order 3, 6, line head, field, word pair, nesting, record
// (in text: line pair), sparse (in text: bracket word), shape, expected byte, classes (levels 2, 3).
const MAX_HASHED = 14;
const LEVEL1_HASHED = 3; // the first three: order 2, 4, word
// Each hashed context's mixer inputs (the list above): its direct counter, its bit history.
// 0: none (the record context has no bit-history input).
const DIRECT_INPUT = memory.data<u8>([3, 4, 5, 6, 7, 19, 21, 23, 25, 27, 28, 30, 32, 34]);
const HISTORY_INPUT = memory.data<u8>([10, 11, 12, 13, 14, 20, 22, 24, 26, 0, 29, 31, 33, 35]);
// The other mixer inputs (the list at the top of this file).
const INPUT_BIAS = 0;
const INPUT_ORDER0 = 1;
const INPUT_ORDER1 = 2;
const INPUT_MATCH = 8;
const INPUT_LM = 9;
const INPUT_LM_SQUARE = 15;
const INPUT_NGRAM = 16;
const INPUT_NGRAM_SQUARE = 17;
const INPUT_MATCH_LENGTH = 18;

// The final mixer's inputs (levels 2, 3): the nine input mixers' outputs, the LM's and the
// n-gram's stretch; the rest stay 0.
const FINAL_BY_BYTE = 0;
const FINAL_BY_MATCH = 1;
const FINAL_BY_CONFIDENCE = 2;
const FINAL_BY_PREV = 3;
const FINAL_LM = 4;
const FINAL_BY_PREV2 = 5;
const FINAL_BY_ORDER2 = 6;
const FINAL_BY_WORD = 7;
const FINAL_BY_ORDER3 = 8;
const FINAL_BY_NGRAM = 9;
const FINAL_NGRAM = 10;
const FINAL_VECTORS = 3; // the final mixer reads inputs 0..11

/** Sets mixer input i (a log-odds in 1/256 units). */
// @ts-ignore: decorator
@inline function setInput(i: i32, v: i32): void {
  store<i32>(inputs + (<usize>i << 2), v);
}

/** Sets the final mixer's input i. */
// @ts-ignore: decorator
@inline function setFinalInput(i: i32, v: f32): void {
  store<f32>(finalInputs + (<usize>i << 2), v);
}
/** Hashed contexts a level uses. */
function hashedFor(level: i32): i32 {
  return level >= LEVEL_NGRAM ? MAX_HASHED : LEVEL1_HASHED;
}
let hashed: i32 = MAX_HASHED; // of this frame's level
/** Bit-history maps at a level: one per hashed context (the record context's is unused). */
function historyModelsFor(level: i32): i32 {
  return hashedFor(level);
}
let historyModels: i32 = MAX_HASHED; // of this frame's level
const LIMIT_LOW: u32 = 1023; // counter limit for order 0, 1
const LIMIT_HIGH: u32 = 63; // counter limit for hashed contexts
const LIMIT_HISTORY: u32 = 1023; // limit of the history -> probability maps
// Mixer learning rate: 4 / 2^30 per unit of (12-bit error x 1/256 log-odds input).
const MIXER_RATE: f32 = 4.0 / 1073741824.0;
const MIXER_INIT: f32 = 0.18;
// Levels 2 and 3 have nine mixers (weight sets by partial byte, match, LM confidence (the
// n-gram's at level 2), previous byte, and by the keys of contexts.ts named the byte before it,
// order 2, word and order 3 (byte classes and the word), the n-gram's longest context found)
// whose outputs, with the
// LM's and the n-gram's own stretch
// (eleven inputs), go into a final mixer that learns 8x slower than
// the others (docs/design.md, "Mixers", has what each was worth). In x86 code the sets by the
// byte before last, order 2, word and order 3 are picked by the instruction state instead
// (contexts.ts, the keys).
const FINAL_RATE: f32 = MIXER_RATE * 0.125;
const FINAL_INIT: f32 = 1.0 / 8.0; // roughly an average of its inputs (the prior replaces it)

// Model state (module globals: one predictor per WASM instance).
let rich = false; // level >= 2: fourteen hashed contexts, nine mixers and a final mixer, three APMs
let useNgram = false; // the corpus n-gram's inputs (levels 2, 3)
let useLm = false; // the LM's inputs (level 3)
let c0: i32 = 1; // partial byte with a leading 1
let bitPos: i32 = 0; // bits of the current byte known
let nib: i32 = 1; // bit-tree node within the current nibble (1..15)
let pos: u32 = 0; // bytes of the frame known
let history: usize = 0; // the frame's bytes; each coded byte is written here
// The byte-level context state (c4, c8, the word, lines, fields, records, nesting) and the
// hashes of the hashed contexts live in contexts.ts.

let order0: usize = 0; // u32[256]
let order1: usize = 0; // u32[65536]
let hashes: usize = 0; // u32[MAX_HASHED]: context hash of each hashed model for this byte
let buckets: usize = 0; // u32[MAX_HASHED]: bucket address for this nibble
let slots: usize = 0; // u32[MAX_HASHED + 2]: counter address used for the current bit
let inputs: usize = 0; // i32[MIXER_INPUTS]
let inputsF: usize = 0; // the same as f32, for the mixers
let historyMaps: usize = 0; // u32[historyModels * 256]: bit history -> counter, per hashed model
let historySlots: usize = 0; // u32[MAX_HASHED]: history map entry used for the current bit
let mixerByByte: usize = 0; // weight set by c0
let mixerByMatch: usize = 0; // weight set by match length and bit position
let mixerByConfidence: usize = 0; // levels 2, 3: weight set by the LM's confidence (level 2: the n-gram's) and bit position
let mixerByPrev: usize = 0; // levels 2, 3: weight set by the previous byte
let mixerByPrev2: usize = 0; // levels 2, 3: weight set by keyPrev2 (contexts.ts) and the bit position
let mixerByOrder2: usize = 0; // levels 2, 3: weight set by a 10-bit hash of keyOrder2
let mixerByWord: usize = 0; // levels 2, 3: weight set by a 10-bit hash of keyWord (the word so far with its field shape)
let mixerByOrder3: usize = 0; // levels 2, 3: weight set by a 12-bit hash of keyOrder3
let mixerByNgram: usize = 0; // levels 2, 3: weight set by the n-gram's longest context found and the bit position
// The mixers over the shared inputs (2 at level 1, 9 at levels 2 and 3), for learning and the boost.
const inputMixers = memory.data(9 * 4, 4); // u32[9]
let inputMixerCount = 0;
let mixerFinal: usize = 0; // levels 2, 3: mixes the nine mixers' outputs, the LM and the n-gram, weight set by bit position
let finalInputs: usize = 0; // f32[MIXER_INPUTS]: the nine mixer outputs, the LM's and the n-gram's stretch, then zeros
let apmByConfidence: usize = 0; // levels 2, 3: APM by the LM's prediction (level 2: the n-gram's) and the partial byte
let lmStretch: i32 = 0; // the LM's log-odds for the current bit
let ngramStretch: i32 = 0; // the n-gram's log-odds for the current bit
let apmOrder0: usize = 0;
let apmOrder1: usize = 0;

const SMALL_TABLE_BITS = 16; // small frames get up to 2^16 buckets (4 MB), see predictorInit

function ceilLog2(n: u32): i32 {
  let b = 0;
  while (b < 31 && ((<u32>1) << b) < n) b++;
  return b;
}

/**
 * Prepares a fresh model for a frame of n bytes whose history lives at `history`
 * (the frame's input when encoding, its output buffer when decoding).
 * Table sizes depend only on n and the level, which the decoder also knows.
 */
export function predictorInit(level: i32, historyPtr: usize, n: u32, filter: u32 = FILTER_NONE): bool {
  initSquash();
  initCounters();
  if (inputs == 0) {
    inputs = allocPermanent(MIXER_INPUTS * 4);
    inputsF = allocPermanent(MIXER_INPUTS * 4);
    hashes = allocPermanent(MAX_HASHED * 4);
    buckets = allocPermanent(MAX_HASHED * 4);
    slots = allocPermanent((MAX_HASHED + 2) * 4);
    historySlots = allocPermanent(MAX_HASHED * 4);
    finalInputs = allocPermanent(MIXER_INPUTS * 4);
    if (inputs == 0 || inputsF == 0 || hashes == 0 || buckets == 0 || slots == 0 || historySlots == 0 ||
      finalInputs == 0) return false;
  }
  resetArena();
  history = historyPtr;
  if (level < 1 || level > MAX_LEVEL) return false;
  if (level >= LEVEL_NGRAM && !ngramLoaded()) return false;
  if (level >= LEVEL_LM && !lmLoaded()) return false;
  rich = level >= LEVEL_NGRAM;
  useNgram = rich && (ablation & ABLATE_NGRAM) == 0;
  // The LM knows text only: a frame the encoder found binary or filtered (filter/filter.ts)
  // is coded at level 3 without it, as at level 2 but with level 3's prior.
  useLm = level >= LEVEL_LM && (ablation & ABLATE_LM) == 0 && filterKind(filter) == FILTER_NONE;
  skipHashed = ((ablation & ABLATE_ORDERS_2_4) != 0 ? 0b000011 : 0) | ((ablation & ABLATE_WORD) != 0 ? 0b000100 : 0) |
    ((ablation & ABLATE_ORDERS_3_6) != 0 ? 0b011000 : 0) | ((ablation & ABLATE_LINE_HEAD) != 0 ? 0b100000 : 0) |
    ((ablation & ABLATE_FIELD) != 0 ? 0b1000000 : 0) | ((ablation & ABLATE_WORD_PAIR) != 0 ? 0b10000000 : 0) | ((ablation & ABLATE_NESTING) != 0 ? 0b100000000 : 0) |
    ((ablation & ABLATE_RECORD) != 0 ? 0b1000000000 : 0) | ((ablation & ABLATE_SPARSE) != 0 ? 0b10000000000 : 0) |
    ((ablation & ABLATE_SHAPE) != 0 ? 1 << 11 : 0) | ((ablation & ABLATE_EXPECTED) != 0 ? 1 << 12 : 0) | ((ablation & ABLATE_CLASSES) != 0 ? 1 << 13 : 0);
  hashed = hashedFor(level);
  historyModels = historyModelsFor(level);
  // Level 1's inputs all lie in the first 28 (seven vectors of four).
  mixerSetWidth(rich ? 9 : 7);
  contextsReset(filter, historyPtr);

  // Context table: 2^bits buckets of 64 bytes, two per byte of the frame rounded up to a power
  // of two at level 1 (three hashed contexts), four at levels 2 and 3 (fourteen); frames of
  // 16 KB or less get 16 per byte up to 2^16 buckets (a small frame's contexts would
  // otherwise evict each other); 2^10 .. 2^20 (64 MB) in all.
  let bits = ceilLog2(n) + (rich ? 2 : 1);
  const small = ceilLog2(n) + 4 < SMALL_TABLE_BITS ? ceilLog2(n) + 4 : SMALL_TABLE_BITS;
  if (bits < small) bits = small;
  if (bits < 10) bits = 10;
  if (bits > 20) bits = 20;
  if (!contextTableInit(bits)) return false;
  let mbits = ceilLog2(n);
  if (mbits < 8) mbits = 8;
  if (mbits > 20) mbits = 20;
  if (!matchInit(historyPtr, mbits, rich ? 8 : 6)) return false;
  order0 = allocArena(256 * 4);
  order1 = allocArena(65536 * 4);
  historyMaps = allocArena(historyModels * 256 * 4);
  if (historyMaps != 0) memory.fill(historyMaps, 0x80, historyModels * 256 * 4); // p = 1/2 (about)
  mixerByByte = mixerCreate(SETS_BY_BYTE, MIXER_INIT, MIXER_RATE);
  mixerByMatch = mixerCreate(SETS_BY_MATCH, MIXER_INIT, MIXER_RATE);
  apmOrder0 = apmCreate(ROWS_APM_ORDER0, 6);
  apmOrder1 = apmCreateLazy(65536, 6); // no prior sets it: rows are initialised as contexts appear
  if (order0 == 0 || order1 == 0 || historyMaps == 0 || mixerByByte == 0 || mixerByMatch == 0 ||
    apmOrder0 == 0 || apmOrder1 == 0) return false;
  inputMixerCount = 0;
  addInputMixer(mixerByByte);
  addInputMixer(mixerByMatch);
  if (rich) { // the mixers and APM of levels 2 and 3 (level 1 neither allocates nor initialises them)
    mixerByConfidence = mixerCreate(SETS_BY_CONFIDENCE, MIXER_INIT, MIXER_RATE);
    mixerByPrev = mixerCreate(SETS_BY_PREV, MIXER_INIT, MIXER_RATE);
    mixerByPrev2 = mixerCreate(SETS_BY_PREV2, MIXER_INIT, MIXER_RATE);
    mixerByOrder2 = mixerCreate(SETS_BY_ORDER2, MIXER_INIT, MIXER_RATE);
    mixerByWord = mixerCreate(SETS_BY_WORD, MIXER_INIT, MIXER_RATE);
    mixerByOrder3 = mixerCreate(SETS_BY_ORDER3, MIXER_INIT, MIXER_RATE);
    mixerByNgram = mixerCreate(SETS_BY_NGRAM, MIXER_INIT, MIXER_RATE);
    mixerFinal = mixerCreate(SETS_FINAL, FINAL_INIT, FINAL_RATE, FINAL_VECTORS);
    apmByConfidence = apmCreate(ROWS_APM_BY_CONFIDENCE, 6);
    if (mixerByConfidence == 0 || mixerByPrev == 0 || mixerByPrev2 == 0 || mixerByOrder2 == 0 || mixerByWord == 0 ||
      mixerByOrder3 == 0 || mixerByNgram == 0 || mixerFinal == 0 || apmByConfidence == 0) return false;
    if ((ablation & ABLATE_MIXERS) == 0) {
      addInputMixer(mixerByConfidence);
      addInputMixer(mixerByPrev);
      addInputMixer(mixerByPrev2);
      addInputMixer(mixerByOrder2);
      addInputMixer(mixerByWord);
      addInputMixer(mixerByOrder3);
      addInputMixer(mixerByNgram);
    }
  }
  // The learned prior (if one is loaded for this level) replaces the initial guesses.
  priorPart(PART_BY_BYTE, mixerByByte);
  priorPart(PART_BY_MATCH, mixerByMatch);
  priorPart(PART_BY_CONFIDENCE, mixerByConfidence);
  priorPart(PART_BY_PREV, mixerByPrev);
  priorPart(PART_BY_PREV2, mixerByPrev2);
  priorPart(PART_BY_ORDER2, mixerByOrder2);
  priorPart(PART_BY_WORD, mixerByWord);
  priorPart(PART_BY_ORDER3, mixerByOrder3);
  priorPart(PART_BY_NGRAM, mixerByNgram);
  priorPart(PART_FINAL, mixerFinal);
  priorPart(PART_APM_BY_CONFIDENCE, apmByConfidence);
  priorPart(PART_HISTORY_MAPS, historyMaps);
  priorPart(PART_APM_ORDER0, apmOrder0);
  priorLayout(level, true, historyModels);
  if (rich && rateBoost) {
    for (let i = 0; i < inputMixerCount; i++) mixerSetBoost(<usize>load<u32>(inputMixers + (<usize>i << 2)), true);
  }
  if ((ablation & ABLATE_PRIOR) == 0) priorApply(level);

  setLearning(true);
  c0 = 1;
  bitPos = 0;
  nib = 1;
  pos = 0;
  memory.fill(inputs, 0, MIXER_INPUTS * 4);
  memory.fill(finalInputs, 0, MIXER_INPUTS * 4);
  setInput(INPUT_BIAS, 256);
  computeHashes();
  findBuckets();
  lmStretch = 0;
  ngramStretch = 0;
  if (useNgram) ngramBegin();
  if (useLm) lmStart(useNgram ? ngramDistPtr() : 0);
  return true;
}

function addInputMixer(m: usize): void {
  store<u32>(inputMixers + (<usize>inputMixerCount << 2), <u32>m);
  inputMixerCount++;
}

/** Bytes of a prior blob for `level` (header + regions, prior-layout.ts); needs no model and changes nothing. */
export function priorLayoutBytes(level: i32): i32 {
  return priorLayout(level, false, historyModelsFor(level));
}

/**
 * The nine input mixers of levels 2 and 3 learn fast while a weight set is new and slow down as it is
 * used: each set's n-th update has rate × (1 + 896 / (128 + n)) (cm/mixer.ts, the boost),
 * so a rare set (a rare previous byte, a rare word) is still new late in a frame. Level 1
 * keeps its fixed rate. (docs/design.md, "Mixers": what it replaced and what it is worth.)
 */
let rateBoost = true;

/**
 * Off while making a prior (scripts/make-prior.mjs): a prior learned at the fixed rate is
 * the steadier starting point (docs/design.md, "Priors").
 */
export function setRateBoost(on: bool): void {
  rateBoost = on;
}

function computeHashes(): void {
  contextHashes(hashes, history, pos, hashed > LEVEL1_HASHED);
}

let bucketsTouched: u32 = 0; // what findBuckets' first pass read: kept only so that the reads stay

function findBuckets(insert: bool = true): void {
  // The second nibble's buckets are keyed by the first nibble as well.
  const salt: u32 = bitPos == 0 ? 0 : <u32>c0 * 0x2f0b4ad3;
  // Every bucket first, without branches, so that the cache misses overlap (touchBucket).
  let touchedSum: u32 = 0;
  for (let i = 0; i < hashed; i++) touchedSum += touchBucket(load<u32>(hashes + (<usize>i << 2)) + salt);
  bucketsTouched = touchedSum;
  for (let i = 0; i < hashed; i++) {
    if ((skipHashed >> i) & 1) continue;
    const off = <usize>i << 2;
    const h = load<u32>(hashes + off) + salt;
    store<u32>(buckets + off, <u32>(insert ? findBucket(h) : peekBucket(h)));
  }
}

/** s·|s| / 2^11 for a stretch s (|s| < 2048): a second input that weighs confident predictions more. */
// @ts-ignore: decorator
@inline function signedSquare(s: i32): i32 {
  return (s * (s < 0 ? -s : s)) >> 11;
}

/** P(next bit = 1) as a 16-bit integer in [1, 65535]. */
export function predictBit(): u32 {
  // Direct orders 0 and 1.
  const s0 = order0 + (<usize>c0 << 2);
  const s1 = order1 + (<usize>((keyOrder1 << 8) | c0) << 2);
  store<u32>(slots, <u32>s0);
  store<u32>(slots + 4, <u32>s1);
  if ((ablation & ABLATE_DIRECT) == 0) {
    setInput(INPUT_ORDER0, stretch(counterP12(load<u32>(s0))));
    setInput(INPUT_ORDER1, stretch(counterP12(load<u32>(s1))));
  }
  // Hashed orders: the slot for this bit inside each nibble's bucket.
  for (let i = 0; i < hashed; i++) {
    if ((skipHashed >> i) & 1) continue;
    const off = <usize>i << 2;
    const s = <usize>load<u32>(buckets + off) + (<usize>nib << 2);
    const slot = load<u32>(s);
    store<u32>(slots + 8 + off, <u32>s);
    setInput(<i32>load<u8>(DIRECT_INPUT + i), stretch(slotP12(slot)));
    const hi = <i32>load<u8>(HISTORY_INPUT + i);
    if (hi == 0) continue;
    const h = historyMaps + (<usize>((i << 8) | slotHistory(slot)) << 2);
    store<u32>(historySlots + off, <u32>h);
    setInput(hi, stretch(<i32>(load<u32>(h) >> 20)));
  }
  // Generating (learning off), the match inputs stay 0: the match model would copy the prompt
  // back into the generated text (setLearning).
  const matching = (ablation & ABLATE_MATCH) == 0 && learning;
  if (matching) {
    setInput(INPUT_MATCH, matchInput(c0, bitPos));
    setInput(INPUT_MATCH_LENGTH, matchLengthInput(bitPos)); // after matchInput, which ends a broken match
  } else {
    setInput(INPUT_MATCH, 0);
    setInput(INPUT_MATCH_LENGTH, 0);
  }
  if (useLm) {
    lmStretch = stretch(lmBitP(c0) >> 4);
    setInput(INPUT_LM, lmStretch);
    setInput(INPUT_LM_SQUARE, signedSquare(lmStretch));
  }
  if (useNgram) {
    ngramStretch = stretch(ngramBitP(c0) >> 4);
    setInput(INPUT_NGRAM, ngramStretch);
    setInput(INPUT_NGRAM_SQUARE, signedSquare(ngramStretch));
  }

  mixerInputs(inputs, inputsF);
  const d1 = mixerDot(mixerByByte, inputsF, c0);
  const d2 = mixerDot(mixerByMatch, inputsF, ((matching ? matchBucket() : 0) << 3) | bitPos);
  // The weight set and APM row by confidence: the LM's at level 3, the n-gram's at level 2
  // (in x86 code the byte's place in its instruction: contexts.ts, keyConfidence).
  const confidenceBucket = keyConfidence >= 0 ? keyConfidence : ((useLm ? lmStretch : ngramStretch) + 2048) >> 8; // 0..15
  let p12: i32;
  if (rich && (ablation & ABLATE_MIXERS) != 0) {
    setFinalInput(FINAL_BY_BYTE, <f32>d1);
    setFinalInput(FINAL_BY_MATCH, <f32>d2);
    setFinalInput(FINAL_LM, <f32>lmStretch);
    setFinalInput(FINAL_NGRAM, <f32>ngramStretch);
    p12 = squash(mixerDot(mixerFinal, finalInputs, bitPos));
  } else if (rich) {
    setFinalInput(FINAL_BY_BYTE, <f32>d1);
    setFinalInput(FINAL_BY_MATCH, <f32>d2);
    setFinalInput(FINAL_BY_CONFIDENCE, <f32>mixerDot(mixerByConfidence, inputsF, (confidenceBucket << 3) | bitPos));
    setFinalInput(FINAL_BY_PREV, <f32>mixerDot(mixerByPrev, inputsF, <i32>(c4 & 0xff)));
    setFinalInput(FINAL_LM, <f32>lmStretch);
    setFinalInput(FINAL_BY_PREV2, <f32>mixerDot(mixerByPrev2, inputsF, <i32>(keyPrev2 << 3) | bitPos));
    setFinalInput(FINAL_BY_ORDER2, <f32>mixerDot(mixerByOrder2, inputsF, <i32>((keyOrder2 * 0x9e3779b1) >>> 22)));
    setFinalInput(FINAL_BY_WORD, <f32>mixerDot(mixerByWord, inputsF, <i32>((keyWord * 0x9e3779b1) >>> 22)));
    setFinalInput(FINAL_BY_ORDER3, <f32>mixerDot(mixerByOrder3, inputsF, <i32>((keyOrder3 * 0x9e3779b1) >>> 20)));
    setFinalInput(FINAL_BY_NGRAM, <f32>mixerDot(mixerByNgram, inputsF, ((useNgram ? ngramOrder() : 0) << 3) | bitPos));
    setFinalInput(FINAL_NGRAM, <f32>ngramStretch);
    p12 = squash(mixerDot(mixerFinal, finalInputs, bitPos));
  } else {
    p12 = squash((d1 + d2) >> 1);
  }
  let p16: i32;
  if ((ablation & ABLATE_APM) != 0) p16 = p12 * 16;
  else {
    const a1 = apmRefine(apmOrder0, p12, c0);
    const a2 = apmRefine(apmOrder1, p12, <i32>((keyApm << 8) | c0));
    if (rich) p16 = (p12 * 16 + a1 + a2 * 2 + apmRefine(apmByConfidence, p12, (confidenceBucket << 8) | c0) * 2) / 6;
    else p16 = (p12 * 16 + a1 + a2 * 2) >> 2;
  }
  if (p16 < 1) p16 = 1;
  if (p16 > 65535) p16 = 65535;
  return <u32>p16;
}

/** Learns from the coded bit and advances the context. */
export function updateBit(bit: i32): void {
  if (learning) learn(bit);
  advance(bit);
}

/** Whether coded bits train the model (always when coding; the sampler turns it off for its own output). */
let learning = true;

/**
 * The sampler generates with learning off: the contexts advance through the
 * generated text but nothing is trained on it, the match model does not index
 * it and gives no input, so the model neither reinforces its own output into loops
 * nor copies the prompt back.
 */
export function setLearning(on: bool): void {
  learning = on;
  matchSetIndexing(on);
}

/**
 * Advances the contexts through byte c without predicting or learning: what coding c
 * with learning off amounts to (the sampler's generated bytes). The predictions would
 * be thrown away, and the match model drops a broken match at the byte's end anyway.
 */
export function skipByte(c: i32): void {
  // The second nibble's buckets are not looked up (predicting = false): no bit of it is
  // predicted or learned, and a lookup would insert, evicting a context that learned from the
  // prompt. It saves half of the table lookups per generated byte: the tree walk has
  // already looked up the second nibble's contexts without inserting (tree-walk.ts, treeNodeP).
  for (let b = 7; b >= 0; b--) advance((c >> b) & 1, false);
}

function learn(bit: i32): void {
  counterUpdate(<usize>load<u32>(slots), bit, LIMIT_LOW);
  counterUpdate(<usize>load<u32>(slots + 4), bit, LIMIT_LOW);
  for (let i = 0; i < hashed; i++) {
    if (((skipHashed >> i) & 1) == 0) slotUpdate(<usize>load<u32>(slots + 8 + (<usize>i << 2)), bit, LIMIT_HIGH);
  }
  for (let i = 0; i < historyModels; i++) {
    if (((skipHashed >> i) & 1) != 0 || load<u8>(HISTORY_INPUT + i) == 0) continue;
    const hp = <usize>load<u32>(historySlots + (<usize>i << 2));
    const hv = <i32>(load<u32>(hp) >> 1);
    store<u32>(hp, <u32>(hv + (((bit ? 0x7fffffff : 0) - hv) >> 7)) << 1);
  }
  matchBitUpdate(bit);
  for (let i = 0; i < inputMixerCount; i++) mixerUpdate(<usize>load<u32>(inputMixers + (<usize>i << 2)), inputsF, bit);
  if (rich) mixerUpdate(mixerFinal, finalInputs, bit);
  if ((ablation & ABLATE_APM) == 0) {
    if (rich) apmUpdate(apmByConfidence, bit);
    apmUpdate(apmOrder0, bit);
    apmUpdate(apmOrder1, bit);
  }
}

/** Adds a coded bit to the context; predicting = false: the byte's remaining bits will not be predicted (skipByte). */
function advance(bit: i32, predicting: bool = true): void {
  c0 = (c0 << 1) | bit;
  nib = (nib << 1) | bit;
  bitPos++;
  if (bitPos == 8) {
    const c = c0 & 0xff;
    store<u8>(history + pos, <u8>c); // the decoder's output; a no-op rewrite when encoding
    pos++;
    contextsByte(c, pos, rich);
    matchByteUpdate(pos, c4, c8);
    if (useNgram) ngramFeed(c);
    if (useLm) lmStep(c, useNgram ? ngramDistPtr() : 0);
    c0 = 1;
    bitPos = 0;
    nib = 1;
    computeHashes();
    findBuckets();
  } else if (bitPos == 4) {
    nib = 1;
    if (predicting) findBuckets();
  }
}


// The byte tree out of order (tree-walk.ts, for the sampler): the state at a byte boundary is
// saved, any node of the next byte can then be entered and predicted (predictBit), and the
// state is restored. Entering a node looks up its nibble's buckets without inserting, so
// nothing a walk reads changes the table.
let walkMatch: u32 = 0; // the match model's length at the byte boundary
let walkNibble: i32 = 0; // whose buckets are loaded: 0 the first nibble's, 16..31 that first nibble's second
const walkBuckets = memory.data(MAX_HASHED * 4); // the first nibble's buckets

/** Saves the state at the byte boundary before a walk. */
export function byteStateSave(): void {
  walkMatch = matchSaveLength();
  memory.copy(walkBuckets, buckets, MAX_HASHED * 4);
  walkNibble = 0;
}

/** Makes node (1..255: a leading 1, then the bits known) of the next byte the one predictBit predicts. */
export function byteStateEnter(node: i32): void {
  const bp = 31 - clz(node); // bits known at this node
  const first = bp >= 4 ? node >> (bp - 4) : 0; // 16..31 in the second nibble
  if (first != walkNibble) {
    if (first == 0) memory.copy(buckets, walkBuckets, MAX_HASHED * 4);
    else {
      c0 = first;
      bitPos = 4;
      findBuckets(false);
    }
    walkNibble = first;
  }
  c0 = node;
  bitPos = bp;
  nib = bp >= 4 ? (1 << (bp - 4)) | (node & ((1 << (bp - 4)) - 1)) : node;
  matchRestoreLength(walkMatch);
}

/** Restores the state saved at the byte boundary: the model is ready to code the next byte. */
export function byteStateRestore(): void {
  matchRestoreLength(walkMatch);
  memory.copy(buckets, walkBuckets, MAX_HASHED * 4);
  c0 = 1;
  bitPos = 0;
  nib = 1;
}
