import { lmLoad, lmStart, lmStep, lmFreqPtr, lmFreqTotal } from "./lm/lm";
import { ngramLoad, ngramBegin, ngramFeed, ngramDistPtr } from "./ngram/ngram";

// The model bundle of levels 2 and 3, as the package ships it (src/assets.ts):
//   u32 LM file length | the LM file (KLM1, lm/weights.ts) | the corpus n-gram (KNG1, ngram/ngram.ts)
// The n-gram part stays where JS copied it (the LM copies its weights into its own buffers).
export const MODEL_ERR_TRUNCATED = -200;

/** Loads a bundle: 0, MODEL_ERR_TRUNCATED, or the failing part's own code (LM: -1..-99, n-gram: -101..). */
export function modelLoad(ptr: usize, len: i32): i32 {
  if (len < 4 || <u64>ptr + <u64>len > (<u64>memory.size() << 16)) return MODEL_ERR_TRUNCATED;
  const lmLength = load<u32>(ptr);
  if (<u64>lmLength > <u64>(len - 4)) return MODEL_ERR_TRUNCATED;
  const r = lmLoad(ptr + 4, <i32>lmLength);
  if (r != 0) return r;
  return ngramLoad(ptr + 4 + <usize>lmLength, len - 4 - <i32>lmLength);
}

/**
 * Probe (test/residual.test.ts): the LM as level 3 runs it, the corpus n-gram's distribution
 * passed to it at every byte (a residual LM multiplies it in). lmStart, then for each of the
 * n bytes at inPtr: writes freq[byte] and the freq total (u32 pairs at outPtr), then feeds
 * the byte to the n-gram and the LM.
 */
export function modelRunFreqs(inPtr: usize, n: i32, outPtr: usize): void {
  ngramBegin();
  lmStart(ngramDistPtr());
  const freqs = lmFreqPtr();
  for (let i = 0; i < n; i++) {
    const b = <i32>load<u8>(inPtr + <usize>i);
    store<u32>(outPtr + (<usize>i << 3), load<u32>(freqs + (<usize>b << 2)));
    store<u32>(outPtr + (<usize>i << 3), lmFreqTotal(), 4);
    ngramFeed(b);
    lmStep(b, ngramDistPtr());
  }
}
