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
  };
}
