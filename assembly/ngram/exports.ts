// The n-gram's wasm exports: load, and a probe for the parity test (test/ngram.test.ts).

import { ngramBegin, ngramFeed, ngramFreq, ngramFreqTotal } from "./ngram";

export { ngramLoad, ngramLoaded, ngramSetScalar } from "./ngram";
/** ngramLoad's out-of-memory code, read by the engine (src/engine.ts). */
export { NG_ERR_MEMORY } from "./ngram";

/**
 * ngramBegin, then for each of the n bytes at inPtr: writes freq[byte] and the freq total
 * (two u32) to outPtr + 8·i, then feeds the byte. −log2 p(byte i) = log2(total / freq).
 */
export function ngramRunFreqs(inPtr: usize, n: i32, outPtr: usize): void {
  ngramBegin();
  for (let i = 0; i < n; i++) {
    const b = <i32>load<u8>(inPtr + <usize>i);
    store<u32>(outPtr + (<usize>i << 3), ngramFreq(b));
    store<u32>(outPtr + (<usize>i << 3), ngramFreqTotal(), 4);
    ngramFeed(b);
  }
}
