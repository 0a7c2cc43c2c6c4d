// LM throughput (printed, not asserted): lmFeed + 8 lmBitP per byte, one thread,
// random weights, L=2, E=64, H=128 / 192.
import { describe, expect, it } from "vitest";
import { compileLm, instantiateLm } from "./helpers/lm-wasm.js";

function klm1Random(L: number, E: number, H: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  const r = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  let n = 256 * E + 256 * H + 256;
  for (let l = 0; l < L; l++) n += 4 * H * ((l == 0 ? E : H) + H + 1);
  const buf = new Uint8Array(32 + 4 * n);
  const dv = new DataView(buf.buffer);
  [0x314d4c4b, 1, 1, L, E, H, 256, 0].forEach((v, i) => dv.setUint32(4 * i, v, true));
  const f = new Float32Array(buf.buffer, 32, n);
  const k = 2 / Math.sqrt(H);
  for (let i = 0; i < n; i++) f[i] = (r() * 2 - 1) * k;
  return buf;
}

describe("LM throughput", () => {
  it("prints KB/s for H=128 and H=192", async () => {
    const bin = await compileLm();
    const text = new TextEncoder().encode(
      "The quick brown fox jumps over the lazy dog. function f(x) { return x * 2; } // 0123456789\n".repeat(800),
    ).subarray(0, 64 * 1024);
    for (const H of [128, 192]) {
      const ex = await instantiateLm(bin);
      const file = klm1Random(2, 64, H, H);
      const p = ex.lmTestAlloc(file.length);
      new Uint8Array(ex.memory.buffer, p, file.length).set(file);
      expect(ex.lmLoad(p, file.length)).toBe(0);
      const inp = ex.lmTestAlloc(text.length);
      new Uint8Array(ex.memory.buffer, inp, text.length).set(text);
      ex.lmRunBits(inp, 4096); // warm-up (tier-up)
      const rates: number[] = [];
      for (let rep = 0; rep < 5; rep++) {
        const t0 = performance.now();
        ex.lmRunBits(inp, text.length / 4);
        rates.push(text.length / 4 / 1024 / ((performance.now() - t0) / 1000));
      }
      ex.lmSetScalar(1);
      const t1 = performance.now();
      ex.lmRunBits(inp, 2048);
      const scalarRate = 2 / ((performance.now() - t1) / 1000);
      rates.sort((a, b) => a - b);
      console.log(`LM L=2 E=64 H=${H}: SIMD ${rates[2].toFixed(1)} KB/s median, ${rates[4].toFixed(1)} best of 5 (16 KiB each); scalar reference ${scalarRate.toFixed(1)} KB/s`);
    }
  }, 120000);
});
