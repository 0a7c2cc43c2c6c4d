import { lmLoad } from "./lm/lm";
import { ngramLoad } from "./ngram/ngram";

// Level 2's model bundle, as the package ships it (src/assets.ts):
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
