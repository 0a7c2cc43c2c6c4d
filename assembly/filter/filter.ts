import { x86Likely, x86Transform } from "./x86";
import { arm64Likely, arm64Transform } from "./arm64";
import { pcmCost, pcmTransform } from "./pcm";
import { imageDetect, imagePixelBytes } from "./image";

// A frame's filter: a reversible transform the encoder chooses by content and names at the
// start of the payload (codec.ts), applied to the frame before it is modelled and undone
// after it is decoded. The filter code (u8):
//   0            none
//   1            x86 code: calls, jumps and RIP-relative operands made absolute, an x86-64
//                ELF image's relocation and unwind tables delta-coded (x86.ts)
//   2 | bits     16-bit PCM (pcm.ts): bit 2 = channels - 1, bit 3 = order - 1, bits 4..5 = offset
//   3 | bits     an uncompressed image (image.ts): bits 2..3 = bytes per pixel - 1; the payload
//                names the layout after the code (codec.ts); the bytes are not transformed
//   4            ARM64 calls and page addresses (arm64.ts)
//   8            binary data, not transformed: level 3 codes it without the language model,
//                which knows only text (predictor.ts)
// Codes outside these are refused by the decoder (filterValid).

export const FILTER_NONE: u32 = 0;
export const FILTER_X86: u32 = 1;
export const FILTER_PCM16: u32 = 2;
export const FILTER_IMAGE: u32 = 3;
export const FILTER_ARM64: u32 = 4;
export const FILTER_BINARY: u32 = 8;

/** Whether a decoded filter code names a filter. */
export function filterValid(code: u32): bool {
  if (code == FILTER_NONE || code == FILTER_X86 || code == FILTER_ARM64 || code == FILTER_BINARY) return true;
  if ((code & 3) == FILTER_IMAGE) return code < 16;
  return (code & 3) == FILTER_PCM16 && code < 64;
}

/** The kind of filter a code names (FILTER_*). */
export function filterKind(code: u32): u32 {
  const low = code & 3; // PCM and image codes carry parameters above their low two bits
  return low == 0 || low == 1 ? code : low;
}

/** Applies (encode = true) or undoes the filter `code` on buf[0, n) in place. */
export function filterApply(code: u32, buf: usize, n: u32, encode: bool): void {
  if (code == FILTER_X86) x86Transform(buf, n, encode);
  else if (code == FILTER_ARM64) arm64Transform(buf, n, encode);
  else if ((code & 3) == FILTER_PCM16) {
    pcmTransform(buf, n, ((code >> 2) & 1) + 1, ((code >> 3) & 1) + 1, (code >> 4) & 3, encode);
  }
}

const SAMPLE_BYTES: u32 = 1 << 17; // the PCM estimate and the binary test read the frame's first 128 KB

/**
 * Whether the first bytes of buf[0, n) are binary data rather than text: control bytes
 * (0..8, 14..31, 127) are at least 1/8 of them, or at least 1/32 while control and
 * high (128..255) bytes together are half. Text has few (escape sequences in a terminal
 * session stay under 1/8); UTF-8 text has high bytes but no control bytes.
 */
export function binaryLikely(buf: usize, n: u32): bool {
  const m = n < SAMPLE_BYTES ? n : SAMPLE_BYTES;
  let control: u32 = 0;
  let high: u32 = 0;
  for (let i: u32 = 0; i < m; i++) {
    const c = <u32>load<u8>(buf + i);
    if (c < 9 || (c >= 14 && c < 32) || c == 127) control++;
    else if (c >= 128) high++;
  }
  return control >= (m >> 3) || (control >= (m >> 5) && control + high >= (m >> 1));
}
const PCM_GAIN: f64 = 0.85; // the transform must cut the order-0 estimate by 15 %

/**
 * The filter for a frame of n bytes at buf (the encoder's first choice; codec.ts confirms a
 * PCM choice by coding a sample both ways). An image's layout is left in image.ts.
 */
export function filterChoose(buf: usize, n: u32): u32 {
  if (n < 256) return binaryLikely(buf, n) ? FILTER_BINARY : FILTER_NONE;
  if (arm64Likely(buf, n)) return FILTER_ARM64; // first: its test is the stricter
  if (x86Likely(buf, n)) return FILTER_X86;
  if (imageDetect(buf, n)) return FILTER_IMAGE | ((imagePixelBytes - 1) << 2);
  const m = n < SAMPLE_BYTES ? n : SAMPLE_BYTES;
  let best: u32 = FILTER_NONE;
  let bestCost: f64 = 0;
  for (let channels: u32 = 1; channels <= 2; channels++) {
    for (let offset: u32 = 0; offset < 2 * channels; offset++) {
      const raw = pcmCost(buf, m, channels, 1, offset, true);
      for (let order: u32 = 1; order <= 2; order++) {
        const cost = pcmCost(buf, m, channels, order, offset, false);
        if (cost < raw * PCM_GAIN && (best == FILTER_NONE || cost < bestCost)) {
          best = FILTER_PCM16 | ((channels - 1) << 2) | ((order - 1) << 3) | (offset << 4);
          bestCost = cost;
        }
      }
    }
  }
  return best != FILTER_NONE ? best : binaryLikely(buf, n) ? FILTER_BINARY : FILTER_NONE;
}
