// Deterministic inputs shared by test/golden.test.ts and scripts/golden.mjs.
// Plain JavaScript (no TypeScript) so the regeneration script can import it from Node directly.
// Changing any generator here changes the golden vectors: regenerate with
// `npm run build && node scripts/golden.mjs --update`.

/** n bytes from a 32-bit LCG (Numerical Recipes constants), taking the high byte of each state. */
export function lcgBytes(seed, n) {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

export const PARAGRAPH =
  'It is a truth universally acknowledged, that a single man in possession of a good fortune, ' +
  'must be in want of a wife. However little known the feelings or views of such a man may be on ' +
  'his first entering a neighbourhood, this truth is so well fixed in the minds of the surrounding ' +
  'families, that he is considered the rightful property of some one or other of their daughters.\n';

/** A JSON document built by a fixed recipe (no Date, no randomness). */
export function jsonDocument() {
  const items = [];
  for (let i = 0; i < 40; i++) {
    items.push({
      id: i,
      name: `item-${(i * 7919) % 1000}`,
      tags: ['alpha', 'beta', 'gamma', 'delta'].slice(0, (i % 4) + 1),
      price: Math.round(((i * 37) % 1000) * 1.25) / 100,
      inStock: i % 3 !== 0,
    });
  }
  return JSON.stringify({ version: 3, generated: 'fixed', items }, null, 2);
}

/**
 * 16-bit little-endian PCM: two tones from integer resonators (about 440 and 660 Hz at
 * 22,050 Hz) fading out, plus 4 bits of LCG noise; channel c is the signal 7·c samples later;
 * `header` bytes of 'R' before the samples. Integer arithmetic only: every engine makes the
 * same bytes.
 */
export function pcmSamples(samples, channels, header) {
  const n = samples + 7 * channels;
  const mono = new Int32Array(n);
  const tones = [[32511, 0, 750], [32190, 0, 561]]; // [2cos(w) in Q14, y(n-2), y(n-1)]: amplitudes 6000, 3000
  let s = 12345;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const t of tones) {
      const y = ((t[0] * t[2] + 8192) >> 14) - t[1];
      t[1] = t[2];
      t[2] = y;
      v += y;
    }
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const fade = 32768 - Math.floor((i * 16384) / n); // 1 down to 1/2, Q15
    mono[i] = ((v * fade) >> 15) + ((s >>> 16) % 16) - 8;
  }
  const out = new Uint8Array(header + samples * channels * 2);
  out.fill(0x52, 0, header);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples; i++) {
    for (let c = 0; c < channels; c++) {
      view.setInt16(header + (i * channels + c) * 2, Math.max(-32768, Math.min(32767, mono[i + 7 * c])), true);
    }
  }
  return out;
}

/**
 * n bytes of x86-64-like code that parses in step: one-byte pushes and pops, register moves
 * (89 with mod = 11), E8 calls to four functions, jcc rel32 (0F 84) to two labels, and
 * RIP-relative loads and leas (48 8B 05 / 48 8D 3D disp32) and stores of an immediate
 * (C7 05 disp32 imm32, relative to the end after the immediate) of three globals; the
 * absolute targets are returned with the bytes.
 */
export function x86Code64(n) {
  const out = new Uint8Array(n);
  const view = new DataView(out.buffer);
  const calls = [0x1000, 0x2400, 0x8800, 0x10200];
  const labels = [0x3000, 0x3100];
  const globals = [0x40000, 0x40010, 0x52008];
  let s = 5;
  let i = 0;
  while (i + 10 <= n) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const pick = (s >>> 8) % 16;
    const which = s >>> 16;
    if (pick === 0) {
      out[i] = 0xe8;
      view.setInt32(i + 1, calls[which % 4] - (i + 5), true);
      i += 5;
    } else if (pick === 1) {
      out.set([0x0f, 0x84], i);
      view.setInt32(i + 2, labels[which % 2] - (i + 6), true);
      i += 6;
    } else if (pick === 2 || pick === 3) {
      out.set([0x48, pick === 2 ? 0x8b : 0x8d, pick === 2 ? 0x05 : 0x3d], i);
      view.setInt32(i + 3, globals[which % 3] - (i + 7), true);
      i += 7;
    } else if (pick === 4) {
      out.set([0xc7, 0x05], i);
      view.setInt32(i + 2, globals[which % 3] - (i + 10), true);
      view.setInt32(i + 6, which, true);
      i += 10;
    } else if (pick < 10) {
      out[i++] = 0x50 + (which & 15);
    } else {
      out.set([0x89, 0xc0 | (which & 63)], i);
      i += 2;
    }
  }
  while (i < n) out[i++] = 0x90;
  return { bytes: out, targets: [...calls, ...labels, ...globals] };
}

/** x86-like code: E8 calls to four targets among bytes below 0x40 (no other opcode E8/E9). */
export function x86Code(n) {
  const out = new Uint8Array(n);
  const view = new DataView(out.buffer);
  const targets = [0x1000, 0x2400, 0x8800, 0x10200];
  let s = 7;
  for (let i = 0; i + 5 <= n; ) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    if (s % 8 === 0) {
      out[i] = 0xe8;
      view.setInt32(i + 1, targets[(s >>> 8) % targets.length] - (i + 5), true);
      i += 5;
    } else out[i++] = (s >>> 16) & 0x3f;
  }
  return out;
}

/**
 * n bytes (a multiple of 4) of ARM64-like code: little-endian words, among them BLs to
 * four functions, ADRPs to two pages, a RET every 32 words, and random ALU-like words.
 */
export function arm64Code(n) {
  const out = new Uint8Array(n);
  const view = new DataView(out.buffer);
  const targets = [0x400, 0x1200, 0x5000, 0x9000]; // word addresses
  let s = 11;
  for (let i = 0; i + 4 <= n; i += 4) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const here = i >> 2;
    let w;
    if (here % 32 === 31) w = 0xd65f03c0; // RET
    else if (s % 8 === 0) w = 0x94000000 | ((targets[(s >>> 8) % 4] - here) & 0x03ffffff); // BL
    else if (s % 8 === 1) {
      const pages = [0x40, 0x80][(s >>> 8) % 2] - (i >> 12); // ADRP x(s%32), page
      w = 0x90000000 | (((pages & 3) << 29) >>> 0) | (((pages >> 2) & 0x7ffff) << 5) | ((s >>> 12) % 32);
    } else w = 0x8b000000 | ((s >>> 10) & 0x1fffff); // ADD (shifted register) with random fields
    view.setUint32(i, w >>> 0, true);
  }
  return out;
}

/**
 * An uncompressed image: a smooth picture (two gradients and a disc) with a little noise,
 * `bytesPerPixel` channels of a byte each. kind 'bmp': a BMP file (rows padded to 4 bytes,
 * 8 bits per pixel with a grey palette); 'pnm': a binary PGM (1 channel) or PPM (3).
 */
export function image(kind, width, height, bytesPerPixel) {
  let s = 99;
  const pixel = (x, y, c) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const inDisc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (width * height) / 12;
    const v = inDisc ? 200 - c * 40 : (x * 3 + y * 2 + c * 50) % 256;
    return (v + ((s >>> 16) % 3)) & 255;
  };
  let header;
  let stride = width * bytesPerPixel;
  if (kind === 'bmp') {
    stride = (stride + 3) & ~3;
    const palette = bytesPerPixel === 1 ? 1024 : 0;
    const offset = 54 + palette;
    header = new Uint8Array(offset);
    const v = new DataView(header.buffer);
    header[0] = 0x42;
    header[1] = 0x4d;
    v.setUint32(2, offset + stride * height, true);
    v.setUint32(10, offset, true);
    v.setUint32(14, 40, true);
    v.setInt32(18, width, true);
    v.setInt32(22, height, true);
    v.setUint16(26, 1, true);
    v.setUint16(28, bytesPerPixel * 8, true);
    for (let i = 0; i < palette / 4; i++) header.fill(i, 54 + 4 * i, 54 + 4 * i + 3);
  } else header = new TextEncoder().encode(`P${bytesPerPixel === 1 ? 5 : 6}\n# kolmo test\n${width} ${height}\n255\n`);
  const out = new Uint8Array(header.length + stride * height);
  out.set(header);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < bytesPerPixel; c++) out[header.length + y * stride + x * bytesPerPixel + c] = pixel(x, y, c);
    }
  }
  return out;
}

const enc = new TextEncoder();

/**
 * The golden inputs: name -> { bytes, frameSize? }. frameSize (when set) makes a
 * multi-frame stream so the frame index and end record are pinned too.
 */
export function goldenInputs() {
  return {
    empty: { bytes: new Uint8Array(0) },
    'one-byte': { bytes: Uint8Array.of(0x41) },
    'english-x8': { bytes: enc.encode(PARAGRAPH.repeat(8)) },
    json: { bytes: enc.encode(jsonDocument()) },
    'lcg-4k': { bytes: lcgBytes(12345, 4096) },
    'utf8-mixed': { bytes: enc.encode('naïve café — 日本語のテキスト — Ελληνικά — 🙂🚀\n'.repeat(5)) },
    'english-x4-frames-256': { bytes: enc.encode(PARAGRAPH.repeat(4)), frameSize: 256 },
    'pcm16-stereo': { bytes: pcmSamples(3000, 2, 44) }, // coded with the PCM filter
    'x86-calls': { bytes: x86Code(8000) }, // coded with the x86 filter
    'bmp-24bit': { bytes: image('bmp', 45, 40, 3) }, // coded with the image filter (rows padded)
    'arm64-calls': { bytes: arm64Code(8000) }, // coded with the ARM64 filter
  };
}
