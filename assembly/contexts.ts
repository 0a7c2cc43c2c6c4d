import { hash2, hash3 } from "./cm/hash";
import { recordsReset, recordsByte, recordLength } from "./cm/records";
import { fieldsReset, fieldsByte, fieldAbove, fieldIndex, fieldOffset, fieldShape } from "./cm/fields";
import { classes, runs, runLength, classesReset, classesByte } from "./cm/byte-classes";
import { xmlReset, xmlByte, xmlContext } from "./cm/xml";
import { matchLength, matchPredicted } from "./cm/match";
import { FILTER_NONE, FILTER_X86, FILTER_PCM16, FILTER_IMAGE, FILTER_ARM64, filterKind } from "./filter/filter";
import { imageStride, imageOffset, imagePixelBytes } from "./filter/image";
import { elfReset, elfByte, elfInCode } from "./cm/elf-code";
import {
  ROLE_PREFIXED, ROLE_DISP, x86Reset, x86Byte, x86Role, x86Op, x86ModRM, x86Prefixes, x86Index, x86Size,
  x86Sig1, x86Sig2, x86History, x86Bytes, x86RelativeOperand, RELATIVE_NONE,
} from "./cm/x86-parse";

// The hashed contexts of the predictor, in order (predictor.ts keeps their mixer inputs):
// order 2, 4, word (every level), order 3, 6, line head, field, word pair, nesting, record
// (in text: the line pair), sparse (in text: the bracket word), shape, expected byte, classes
// (levels 2, 3); a frame's
// filter (filter/filter.ts) replaces some of the first eleven. Also the
// keys of some direct tables, mixer weight sets and an APM (below), and the byte-level state
// they are made of, advanced by contextsByte after every byte.

export let c4: u32 = 0; // the last 4 bytes, the last one lowest
export let c8: u32 = 0; // the 4 bytes before those
export let wordHash: u32 = 0; // the word so far (letters, case-folded; 0: none)
let lastWordHash: u32 = 0; // the word before it (levels 2, 3)
// The line's head: its first bytes after the indentation, up to the first space after them
// or LINE_HEAD_BYTES (a statement's keyword, a log line's date, a list entry's first word).
const LINE_HEAD_BYTES: u32 = 6;
let lineHead: u32 = 0; // hash of the head so far (0: none yet)
let lineHeadBytes: u32 = 0; // bytes in it; LINE_HEAD_BYTES once it is complete
let previousLineHead: u32 = 0; // the line above's head
let lineStart: u32 = 0; // position of the current line's first byte
let previousLineStart: u32 = 0; // and of the line above
let lineEqual = true; // the line so far is the same as the start of the line above
let indent: u32 = 0; // leading spaces and tabs of the current line (tabs count 4; capped at 255)
let indentDone = false; // the current line's first other byte has been seen
// Nesting (levels 2, 3): '(', '[' and '{' open a level, ')', ']' and '}' close the innermost.
const MAX_NEST: u32 = 64; // deeper levels are counted but not remembered
let nestDepth: u32 = 0; // open levels
let nestHash: u32 = 0; // hash of the open brackets' kinds, outermost first (0: none)
const nestStack = memory.data(MAX_NEST * 4, 4); // u32[MAX_NEST]: nestHash outside each open level
// The word before the innermost open bracket, with the bracket (a function's name at its
// arguments, a key at its array): 0 outside brackets.
let nestWord: u32 = 0;
const nestWords = memory.data(MAX_NEST * 4, 4); // u32[MAX_NEST]: nestWord outside each open level
// The frame's filter picks the replacements.
let frameKind: u32 = 0; // FILTER_NONE, FILTER_X86, FILTER_PCM16, FILTER_IMAGE, FILTER_ARM64 or FILTER_BINARY
let sampleStep: u32 = 2; // PCM16: bytes per sample of all channels (2 or 4)
let sampleOffset: u32 = 0; // PCM16: where the first sample starts
let frameBytes: usize = 0; // the frame's bytes (the first pos are known)
let x86Code = false; // x86: the next byte lies in code (cm/elf-code.ts), so the parser reads it

// The keys the predictor selects with, for the next byte: the row of the order-1 counters
// and of the order-1 APM (0..255 each), the weight set of the mixer "by the byte before last"
// (0..255), and the keys the predictor hashes to pick the weight sets of the mixers "by order
// 2", "by word" and "by order 3" (the names say what they first were). Outside x86 code: the
// last byte (order 1, APM); the byte before it, or in text the classes of the last two bytes;
// the byte classes (cm/byte-classes.ts) of the last four bytes, or in text of the last three
// runs; the word with its field's shape; the classes of the last eight bytes. In x86 code they
// come from the instruction parser: the byte's place in its instruction (role and index in its
// operand) alone or with the opcode and prefixes.
export let keyOrder1: u32 = 0;
export let keyApm: u32 = 0;
export let keyPrev2: u32 = 0;
export let keyOrder2: u32 = 0;
export let keyWord: u32 = 0;
export let keyOrder3: u32 = 0;
// The weight set of the mixer by confidence and the row of the APM by confidence: -1 for the
// LM's (n-gram's) confidence, which the predictor buckets into 0..15; in x86 code 0..15 from
// the byte's place (the role; in an operand, which byte of it).
export let keyConfidence: i32 = -1;

/** Forgets every byte (a new frame coded with filter code `filter`, its bytes at historyPtr). */
export function contextsReset(filter: u32, historyPtr: usize): void {
  frameKind = filterKind(filter);
  frameBytes = historyPtr;
  if (frameKind == FILTER_X86) {
    elfReset();
    x86Reset();
    x86Code = elfInCode(0);
  }
  sampleStep = ((filter >> 2) & 1) == 0 ? 2 : 4;
  sampleOffset = (filter >> 4) & 3;
  c4 = 0;
  c8 = 0;
  wordHash = 0;
  lastWordHash = 0;
  lineHead = 0;
  lineHeadBytes = 0;
  previousLineHead = 0;
  lineStart = 0;
  previousLineStart = 0;
  lineEqual = true;
  indent = 0;
  indentDone = false;
  nestDepth = 0;
  nestHash = 0;
  nestWord = 0;
  xmlReset();
  classesReset();
  fieldsReset();
  recordsReset();
}

/** Takes in byte c, now at position pos - 1 (pos = bytes known); all: levels 2, 3's state too. */
export function contextsByte(c: i32, pos: u32, all: bool): void {
  c8 = (c8 << 8) | (c4 >>> 24);
  c4 = (c4 << 8) | <u32>c;
  if (frameKind == FILTER_X86) {
    if (x86Code) x86Byte(<u32>c);
    elfByte(frameBytes, pos);
    const code = elfInCode(pos);
    if (code && !x86Code) x86Reset(); // code starts: so does an instruction
    x86Code = code;
  }
  if (all) linesByte(c, pos); // before the indentation's update below: the line head starts after it
  if (c == 10) {
    indent = 0;
    indentDone = false;
  } else if (!indentDone) {
    if (c == 32 || c == 9) {
      indent += c == 9 ? 4 : 1;
      if (indent > 255) indent = 255;
    } else indentDone = true;
  }
  if (all) {
    fieldsByte(c, pos);
    recordsByte(<u32>c, pos);
    xmlByte(<u32>c);
    classesByte(<u32>c);
    if (c == 40 || c == 91 || c == 123) {
      if (nestDepth < MAX_NEST) {
        store<u32>(nestStack + (<usize>nestDepth << 2), nestHash);
        store<u32>(nestWords + (<usize>nestDepth << 2), nestWord);
      }
      nestWord = hash2(wordHash != 0 ? wordHash : lastWordHash, <u32>c); // the word just before the bracket
      nestDepth++;
      nestHash = hash2(nestHash + <u32>c, 17);
    } else if ((c == 41 || c == 93 || c == 125) && nestDepth > 0) {
      nestDepth--;
      nestHash = nestDepth < MAX_NEST ? load<u32>(nestStack + (<usize>nestDepth << 2)) : hash2(nestDepth, 18);
      nestWord = nestDepth < MAX_NEST ? load<u32>(nestWords + (<usize>nestDepth << 2)) : 0;
    }
  }
  // Word context: letters (case-folded) extend the word, anything else ends it.
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 122) wordHash = (wordHash + <u32>lower) * 0x3d4d51cb;
  else if (wordHash != 0) {
    lastWordHash = wordHash;
    wordHash = 0;
  }
}

/**
 * The line state of levels 2 and 3 (the line head, the line above, whether this line repeats
 * it) after byte c, now at position pos - 1.
 */
function linesByte(c: i32, pos: u32): void {
  if (c == 10) {
    previousLineHead = lineHead;
    previousLineStart = lineStart;
    lineStart = pos;
    lineEqual = true;
    lineHead = 0;
    lineHeadBytes = 0;
    return;
  }
  if (lineEqual) lineEqual = byteAbove(frameBytes, pos - 1) == <u32>c;
  if (indentDone || (c != 32 && c != 9)) { // past the indentation
    if (lineHeadBytes < LINE_HEAD_BYTES && (c != 32 || lineHeadBytes == 0)) {
      lineHead = (lineHead + <u32>c + 1) * 0x2f0b4ad3;
      lineHeadBytes++;
    } else lineHeadBytes = LINE_HEAD_BYTES;
  }
}

/**
 * The byte in the line above at the column of position p (p in the current line): 256 when that
 * line is shorter (its LF: 10) or there is none.
 */
function byteAbove(history: usize, p: u32): u32 {
  const at = previousLineStart + (p - lineStart);
  return at < lineStart ? <u32>load<u8>(history + at) : 256;
}

/** Sets the predictor's keys (above) for the next byte. */
function setKeys(): void {
  if (frameKind == FILTER_X86 && x86Code) {
    const place: u32 = x86Role | (x86Index << 4) | (x86Size << 8);
    const withOp = hash2(place, x86Op);
    keyOrder1 = (x86Role | (x86Index << 4)) & 0xff;
    keyApm = withOp >>> 24;
    keyPrev2 = withOp >>> 24;
    keyOrder2 = hash2(place, 1);
    keyWord = withOp;
    keyOrder3 = hash3(place, x86Prefixes, x86Op);
    if (x86Role < ROLE_DISP) keyConfidence = <i32>x86Role; // 0..6
    else if (x86Role == ROLE_DISP) keyConfidence = 7 + <i32>(x86Index < 3 ? x86Index : 3); // 7..10
    else keyConfidence = 11 + <i32>(x86Index < 4 ? x86Index : 4); // 11..15
  } else {
    keyConfidence = -1;
    keyOrder1 = c4 & 0xff;
    keyApm = c4 & 0xff;
    keyPrev2 = frameKind == FILTER_NONE ? classes & 0xff : (c4 >> 8) & 0xff;
    // In text, the last three runs of byte classes and the current run's length (1, 2, 3+);
    // elsewhere the classes of the last four bytes.
    keyOrder2 = frameKind == FILTER_NONE ? hash2((runs & 0xfff) | ((runLength < 3 ? runLength : 3) << 12), 1) : hash2(classes & 0xffff, 1);
    keyWord = hash2(wordHash, fieldShape());
    keyOrder3 = hash2(classes, 2);
  }
}

/** A relative operand's kind (RELATIVE_*) with its index and bytes so far (x86Index: 0..3). */
function relativeHash(kind: u32): u32 {
  const k = x86Index;
  return hash3(kind | (k << 4), k == 0 ? 0 : c4 & ((<u32>1 << (k << 3)) - 1), 67);
}

/**
 * x86 code: contexts from the instruction parser (cm/x86-parse.ts) in place of the word,
 * order 3, order 6, line-head, field, word-pair, nesting and record contexts (hashes: u32[10];
 * the first three only unless all). The byte's place is its role and, in a displacement or
 * immediate, its index and the operand's size; its shape adds the opcode, ModRM byte and
 * prefixes seen so far (at an instruction's start: the last instruction's opcode); an
 * instruction's signature is its prefixes, opcode and ModRM byte, without operands.
 */
function x86Hashes(hashes: usize, pos: u32, all: bool): void {
  const place: u32 = x86Role | (x86Index << 4) | (x86Size << 8);
  // In a relative operand the filter made absolute (filter/x86.ts): its kind and bytes so
  // far, whatever the instruction, so a call and a jump to one function, a load and a lea
  // of one global share it. At level 1 in the word's slot; else in the prefixes' (below).
  const relative = x86RelativeOperand();
  const operand = relative != RELATIVE_NONE ? relativeHash(relative) : 0;
  if (!all) {
    store<u32>(hashes + 8, relative != RELATIVE_NONE ? operand : hash3(place, x86Op, 40));
    return;
  }
  store<u32>(hashes + 8, hash3(place, x86Op, 40)); // the place with the opcode (the word's slot)
  const shape = hash3(place, x86Op | (x86ModRM << 10), x86Prefixes);
  const placeOp = place | (x86Op << 12);
  // The shape; the place with the prefixes alone (or the relative operand, below); the
  // place and opcode with the last three opcodes; the shape with the last signature.
  store<u32>(hashes + 12, hash2(shape, 41));
  store<u32>(hashes + 16, relative != RELATIVE_NONE ? operand : hash3(place, x86Prefixes, 42));
  store<u32>(hashes + 20, hash3(placeOp, x86History, 43));
  store<u32>(hashes + 24, hash3(shape, x86Sig1, 44));
  // In an operand: the instruction's bytes so far. At its start (or after prefixes): the place,
  // the last signature and the position mod 16 (padding to aligned function starts); else the
  // place alone.
  let h: u32;
  if (x86Role >= ROLE_DISP) h = hash3(x86Bytes, place, 45);
  else if (x86Role <= ROLE_PREFIXED) h = hash3(place, x86Sig1, (pos & 15) + 48);
  else h = hash2(place, 46);
  store<u32>(hashes + 28, h);
  // The place with the last byte; the place and opcode with the signature before last.
  store<u32>(hashes + 32, hash3(place, c4 & 0xff, 64));
  store<u32>(hashes + 36, hash3(placeOp, x86Sig2, 65));
}

/** The byte `back` bytes before pos in history, 0 when that is before `from`. */
// @ts-ignore: decorator
@inline function byteBack(history: usize, pos: u32, back: u32, from: u32): u32 {
  return pos >= from + back ? <u32>load<u8>(history + pos - back) : 0;
}

/** a + b - c, clamped to a byte: the gradient predictor of the pixel between a, b and c. */
// @ts-ignore: decorator
@inline function gradient(a: u32, b: u32, c: u32): u32 {
  const g = <i32>a + <i32>b - <i32>c;
  return g < 0 ? 0 : g > 255 ? 255 : <u32>g;
}

/**
 * An image frame's contexts (filter/image.ts) in slots 2..8 of hashes: neighbours of the
 * byte in the same channel (W left, N above, NW, NE, WW, NN) and, from the second channel
 * of a pixel on, the channels already known in this pixel. Slot 2 is level 1's.
 */
function imageHashes(hashes: usize, history: usize, pos: u32, all: bool): void {
  const from = imageOffset;
  const px = imagePixelBytes;
  const row = imageStride;
  // The byte's channel (255 in the header).
  const k: u32 = pos >= from ? (pos - from) % px : 255;
  const w = byteBack(history, pos, px, from);
  const n = byteBack(history, pos, row, from);
  const nw = byteBack(history, pos, row + px, from);
  if (!all) {
    store<u32>(hashes + 8, hash3(k, (gradient(w, n, nw) << 8) | ((w >> 4) << 4) | (n >> 4), 24));
    return;
  }
  store<u32>(hashes + 8, hash3(k, (w << 8) | n, 24));
  keyWord = hash3(k, ((w >> 4) << 4) | (n >> 4), 38);
  const ne = row > px ? byteBack(history, pos, row - px, from) : 0;
  const ww = byteBack(history, pos, 2 * px, from);
  const nn = byteBack(history, pos, 2 * row, from);
  store<u32>(hashes + 12, hash3(k, gradient(w, n, nw), 25));
  store<u32>(hashes + 16, hash3(k, (n << 8) | ne, 26));
  store<u32>(hashes + 20, hash3(k, (w << 8) | nw, 27));
  if (px > 1 && k > 0 && k != 255) {
    // The channel before this one in the same pixel (c1) and in the pixels left and above:
    // channels of one pixel tend to change together.
    const c1 = c4 & 0xff;
    const w1 = byteBack(history, pos, px + 1, from);
    const n1 = byteBack(history, pos, row + 1, from);
    store<u32>(hashes + 24, hash3(k, (gradient(w, c1, w1) << 8) | (c1 >> 2), 28));
    store<u32>(hashes + 28, hash3(k, gradient(n, c1, n1), 29));
  } else {
    store<u32>(hashes + 24, hash3(k, (w << 8) | ww, 28));
    store<u32>(hashes + 28, hash3(k, (n << 8) | nn, 29));
  }
  store<u32>(hashes + 32, hash3(k, ((w >> 3) << 15) | ((n >> 3) << 10) | ((nw >> 3) << 5) | (ne >> 3), 30));
}

/** The aligned 4-byte word that starts `back` bytes before pos (0 before the frame). */
// @ts-ignore: decorator
@inline function wordBack(history: usize, pos: u32, back: u32): u32 {
  return pos >= back ? load<u32>(history + pos - back) : 0;
}

/**
 * An ARM64 frame's contexts (filter/arm64.ts) in slots 2..8 of hashes. Instructions are
 * aligned words, stored big-endian by the filter, so the byte's place in its word (the
 * lane) keys every context; the first byte holds most of the opcode. Slot 2 is level 1's.
 */
function arm64Hashes(hashes: usize, history: usize, pos: u32, all: bool): void {
  const lane = pos & 3;
  const known: u32 = lane == 0 ? 0 : c4 & ((<u32>1 << (lane << 3)) - 1); // this word's bytes so far
  const w1 = bswap<u32>(wordBack(history, pos, lane + 4)); // the instruction before (stored big-endian)
  store<u32>(hashes + 8, hash3(known, (w1 >>> 24) | (lane << 8), 31));
  if (!all) return;
  // The word mixer's weight set: the lane, the last opcode byte and this word's (once known).
  const opcode: u32 = lane == 0 ? 256 : (known >> ((lane - 1) << 3)) & 0xff;
  keyWord = hash3(lane, (w1 >>> 24) | (opcode << 8), 39);
  const w2 = bswap<u32>(wordBack(history, pos, lane + 8));
  const shift = (3 - lane) << 3; // this byte's place in w1 and w2
  store<u32>(hashes + 12, hash3(known, w1 ^ lane, 32));
  store<u32>(hashes + 16, hash3(known, (w1 >>> 24) | ((w2 >>> 24) << 8) | (lane << 16), 33));
  store<u32>(hashes + 20, hash3((w1 >> shift) & 0xff | (((w2 >> shift) & 0xff) << 8) | (lane << 16), c4 & 0xff, 34));
  store<u32>(hashes + 24, hash3(known, w2 ^ lane, 35));
  store<u32>(hashes + 28, hash3(known, (w1 >>> 21) | ((w1 & 0x1f) << 11) | (lane << 16), 36));
  store<u32>(hashes + 32, hash3(known, (w1 >>> 16) | (lane << 16), 37));
}

/**
 * Writes the hash of each hashed context for the next byte to hashes (u32[11]): the first
 * three only unless all (levels 2, 3). history holds the frame's first pos bytes.
 */
export function contextHashes(hashes: usize, history: usize, pos: u32, all: bool): void {
  setKeys();
  store<u32>(hashes, hash2(c4 & 0xffff, 2));
  store<u32>(hashes + 4, hash2(c4, 4));
  if (frameKind == FILTER_X86 && x86Code) x86Hashes(hashes, pos, all);
  else if (frameKind == FILTER_IMAGE) imageHashes(hashes, history, pos, all);
  else if (frameKind == FILTER_ARM64) arm64Hashes(hashes, history, pos, all);
  else if (frameKind == FILTER_X86) {
    // Data in an x86 frame (headers, tables): sparse contexts in place of the word, order 3,
    // order 6 and the line head: bytes 2-3 back, bytes 2 and 4 back, bytes 3-4 back, and order 2
    // with the position mod 4.
    store<u32>(hashes + 8, hash2(c4 & 0xffff00, 10));
    if (all) {
      store<u32>(hashes + 12, hash2(c4 & 0xff00ff00, 3));
      store<u32>(hashes + 16, hash2(c4 & 0xffff0000, 6));
      store<u32>(hashes + 20, hash2((c4 & 0xffff) | ((pos & 3) << 16), 11));
    }
  } else if (frameKind == FILTER_PCM16) {
    // Residual bytes: the byte's place in the sample frame, and the same place one and two
    // samples back (the channel's previous residuals).
    const phase: u32 = pos >= sampleOffset ? (pos - sampleOffset) % sampleStep : 7;
    const back1: u32 = pos >= sampleStep ? <u32>load<u8>(history + pos - sampleStep) : 0;
    const back2: u32 = pos >= 2 * sampleStep ? <u32>load<u8>(history + pos - 2 * sampleStep) : 0;
    store<u32>(hashes + 8, hash2((phase << 16) | (back1 << 8) | (c4 & 0xff), 12));
    if (all) {
      store<u32>(hashes + 12, hash2((phase << 24) | (c4 & 0xffffff), 3));
      store<u32>(hashes + 16, hash3(c4, c8 & 0xffff, 6));
      store<u32>(hashes + 20, hash2((phase << 16) | (back1 << 8) | back2, 13));
    }
  } else {
    store<u32>(hashes + 8, hash2(wordHash, 7));
    if (all) {
      store<u32>(hashes + 12, hash2(c4 & 0xffffff, 3));
      store<u32>(hashes + 16, hash3(c4, c8 & 0xffff, 6));
      // Line head: the line's first bytes (lineHead) with the last two bytes.
      store<u32>(hashes + 20, hash3(lineHead, c4 & 0xffff, 71));
    }
  }
  if (all) {
    if ((frameKind == FILTER_X86 && x86Code) || frameKind == FILTER_IMAGE || frameKind == FILTER_ARM64) {
      // x86Hashes, imageHashes or arm64Hashes wrote them.
    } else if (frameKind == FILTER_X86) {
      // Data in an x86 frame: bytes 5-6 back, the last byte with the fifth back, and the
      // fourth back alone in place of the field, word-pair and nesting contexts.
      store<u32>(hashes + 24, hash2(c8 & 0xffff, 20));
      store<u32>(hashes + 28, hash2((c4 & 0xff) | ((c8 & 0xff) << 8), 21));
      store<u32>(hashes + 32, hash2(c4 & 0xff000000, 22));
    } else {
      // Field: the byte at the same place in the same field of the line above (cm/fields.ts),
      // the byte to the left, the offset in the field (capped at 255) and the field's index.
      const off = fieldOffset(pos);
      store<u32>(hashes + 24, hash3(((fieldAbove(history, pos) << 8) | (c4 & 0xff)) * 1000 + (off < 255 ? off : 255), fieldIndex(), 14));
      // Word pair: the word so far and the one before it.
      store<u32>(hashes + 28, hash3(wordHash, lastWordHash, 15));
      // Nesting: the brackets open around this byte (their kinds, innermost last) and the
      // innermost XML element (cm/xml.ts), the line's indentation (and whether it is still
      // being read) and the last byte.
      store<u32>(hashes + 32, hash3(nestHash ^ xmlContext(), (indent << 9) | (indentDone ? 256 : 0) | (c4 & 0xff), 16));
    }
    // In text: the word before the innermost open bracket, with the word so far. Elsewhere
    // sparse: bytes 2 and 3 back, skipping the last one. (In every frame: the slot must never
    // keep an old hash.)
    if (frameKind == FILTER_NONE) store<u32>(hashes + 40, hash3(nestWord, wordHash, 73));
    else store<u32>(hashes + 40, hash2(c4 & 0xffff00, 24));
    // Shape: the current field's index and shape (cm/fields.ts); in samples and pixels, which
    // have no fields, a constant context (its counters learn the frame's bit statistics).
    const samples = frameKind == FILTER_PCM16 || frameKind == FILTER_IMAGE;
    store<u32>(hashes + 44, samples ? 52 : hash3(fieldIndex(), fieldShape(), 52));
    // Expected byte: the byte the match model predicts, the match's length (capped at 15) and
    // the last byte; without a match, the last byte alone.
    const m = matchLength();
    store<u32>(hashes + 48, m > 0 ? hash3(<u32>matchPredicted() | ((m < 15 ? m : 15) << 8), c4 & 0xff, 50) : frameKind == FILTER_NONE ? hash2(classes & 0xfff, 53) : hash2(c4 & 0xff, 51));
    // Classes (cm/byte-classes.ts): in text, the classes of the last six runs and the current
    // run's length (1, 2, 3-4, 5-8, 9+); elsewhere the classes of the last eight bytes (in
    // samples and pixels a constant context, as the shape's).
    if (frameKind == FILTER_NONE) {
      const length: u32 = runLength < 3 ? runLength : runLength < 5 ? 3 : runLength < 9 ? 4 : 5;
      store<u32>(hashes + 52, hash2((runs & 0xffffff) | (length << 24), 63));
    } else store<u32>(hashes + 52, samples ? 62 : hash2(classes, 62));
    if (frameKind == FILTER_X86 && x86Code) return; // x86Hashes wrote the record slot
    if (frameKind == FILTER_NONE) {
      // Line pair. While the line so far repeats the line above: the byte above the next one
      // and the column (capped at 15), as in sorted lists. Else the line above's head and
      // this line's so far, whether the line is still at its start, and the byte above (logs,
      // code, markup).
      const above = byteAbove(history, pos);
      const column = pos - lineStart;
      store<u32>(hashes + 36, lineEqual && column > 0
        ? hash2(above | ((column < 15 ? column : 15) << 9), 87)
        : hash3(previousLineHead, lineHead ^ (lineEqual ? 0x9e3779b9 : 0) ^ (above << 20), 85));
      return;
    }
    // Record: the bytes one and two records back (the same column), the record length.
    const r = recordLength();
    const up1: u32 = r != 0 && pos >= r ? <u32>load<u8>(history + pos - r) : 256;
    const up2: u32 = r != 0 && pos >= 2 * r ? <u32>load<u8>(history + pos - 2 * r) : 256;
    store<u32>(hashes + 36, hash3((up1 << 9) | up2, r, 19));
  }
}
