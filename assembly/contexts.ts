import { hash2, hash3 } from "./cm/hash";
import { recordsReset, recordsByte, recordLength } from "./cm/records";
import { fieldsReset, fieldsByte, fieldAbove, fieldIndex, fieldOffset } from "./cm/fields";
import { FILTER_X86, FILTER_PCM16, filterKind } from "./filter/filter";

// The hashed contexts of the predictor, in order (predictor.ts keeps their mixer inputs):
// order 2, 4, word (every level), order 3, 6, column, field, word pair, nesting, record,
// sparse (levels 2, 3); a frame's filter (filter/filter.ts) replaces some of them. Also the
// byte-level state they are made of, advanced by contextsByte after every byte.

export let c4: u32 = 0; // the last 4 bytes, the last one lowest
export let c8: u32 = 0; // the 4 bytes before those
export let wordHash: u32 = 0; // the word so far (letters, case-folded; 0: none)
let lastWordHash: u32 = 0; // the word before it (levels 2, 3)
let lineStart: u32 = 0; // position of the current line's first byte
let prevLineStart: u32 = 0; // and of the line before it
let indent: u32 = 0; // leading spaces and tabs of the current line (tabs count 4; capped at 255)
let indentDone = false; // the current line's first other byte has been seen
// Nesting (levels 2, 3): '(', '[' and '{' open a level, ')', ']' and '}' close the innermost.
const MAX_NEST: u32 = 64; // deeper levels are counted but not remembered
let nestDepth: u32 = 0; // open levels
let nestHash: u32 = 0; // hash of the open brackets' kinds, outermost first (0: none)
const nestStack = memory.data(MAX_NEST * 4, 4); // u32[MAX_NEST]: nestHash outside each open level
// The frame's filter picks the replacements.
let frameKind: u32 = 0; // FILTER_NONE, FILTER_X86 or FILTER_PCM16
let sampleStep: u32 = 2; // PCM16: bytes per sample of all channels (2 or 4)
let sampleOffset: u32 = 0; // PCM16: where the first sample starts

/** Forgets every byte (a new frame coded with filter code `filter`). */
export function contextsReset(filter: u32): void {
  frameKind = filterKind(filter);
  sampleStep = ((filter >> 2) & 1) == 0 ? 2 : 4;
  sampleOffset = (filter >> 4) & 3;
  c4 = 0;
  c8 = 0;
  wordHash = 0;
  lastWordHash = 0;
  lineStart = 0;
  prevLineStart = 0;
  indent = 0;
  indentDone = false;
  nestDepth = 0;
  nestHash = 0;
  fieldsReset();
  recordsReset();
}

/** Takes in byte c, now at position pos - 1 (pos = bytes known); all: levels 2, 3's state too. */
export function contextsByte(c: i32, pos: u32, all: bool): void {
  c8 = (c8 << 8) | (c4 >>> 24);
  c4 = (c4 << 8) | <u32>c;
  if (c == 10) {
    prevLineStart = lineStart;
    lineStart = pos;
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
    if (c == 40 || c == 91 || c == 123) {
      if (nestDepth < MAX_NEST) store<u32>(nestStack + (<usize>nestDepth << 2), nestHash);
      nestDepth++;
      nestHash = hash2(nestHash + <u32>c, 17);
    } else if ((c == 41 || c == 93 || c == 125) && nestDepth > 0) {
      nestDepth--;
      nestHash = nestDepth < MAX_NEST ? load<u32>(nestStack + (<usize>nestDepth << 2)) : hash2(nestDepth, 18);
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
 * Writes the hash of each hashed context for the next byte to hashes (u32[11]): the first
 * three only unless all (levels 2, 3). history holds the frame's first pos bytes.
 */
export function contextHashes(hashes: usize, history: usize, pos: u32, all: bool): void {
  store<u32>(hashes, hash2(c4 & 0xffff, 2));
  store<u32>(hashes + 4, hash2(c4, 4));
  if (frameKind == FILTER_X86) {
    // Machine code: sparse contexts in place of the word, order 3, order 6 and the column:
    // bytes 2-3 back, bytes 2 and 4 back, bytes 3-4 back, and order 2 with the position mod 4.
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
      // Column: the byte above (its LF at the previous line's end, 256 past it or on the first
      // line), the byte to the left, the column (capped at 255).
      const col = pos - lineStart;
      const above: u32 = prevLineStart + col < lineStart ? <u32>load<u8>(history + prevLineStart + col) : 256;
      store<u32>(hashes + 20, hash2(((above << 8) | (c4 & 0xff)) * 1000 + (col < 255 ? col : 255), 9));
    }
  }
  if (all) {
    if (frameKind == FILTER_X86) {
      // Machine code: bytes 5-6 back, the last byte with the fifth back, and the fourth back
      // alone in place of the field, word-pair and nesting contexts.
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
      // Nesting: the brackets open around this byte (their kinds, innermost last), the line's
      // indentation (and whether it is still being read) and the last byte.
      store<u32>(hashes + 32, hash3(nestHash, (indent << 9) | (indentDone ? 256 : 0) | (c4 & 0xff), 16));
    }
    // Record: the bytes one and two records back (the same column), the record length.
    const r = recordLength();
    const up1: u32 = r != 0 && pos >= r ? <u32>load<u8>(history + pos - r) : 256;
    const up2: u32 = r != 0 && pos >= 2 * r ? <u32>load<u8>(history + pos - 2 * r) : 256;
    store<u32>(hashes + 36, hash3((up1 << 9) | up2, r, 19));
    // Sparse: bytes 2 and 3 back, skipping the last one.
    store<u32>(hashes + 40, hash2(c4 & 0xffff00, 24));
  }
}
