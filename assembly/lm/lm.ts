// The LM's module-level API, called directly by the predictor (import from "./lm/lm")
// and exported to JS through exports.ts.
//
//   lmLoad(ptr, len)  parse + validate a KLM1 file (weights.ts), 0 or LM_ERR_* (< 0)
//   lmLoaded()        whether a model is loaded
//   lmBegin()         zero state, feed byte 0: the first byte's distribution is ready
//   lmFeed(byte)      feed the actual byte; the next byte's distribution is ready
//   lmStart(prior), lmStep(byte, prior): the same for the predictor, where prior is the
//                     address of the corpus n-gram's f32[256] distribution for the same next
//                     byte, which a residual model multiplies in (residual.ts); 0 = none
//   lmBitP(c0)        P(next bit = 1 | partial byte c0) in [1, 65535] (16-bit), O(1)
//   lmFreqPtr()       u32 freq[256] of the current distribution (every freq ≥ 1,
//                     total ≈ 2^28, always < 2^29; see distribution.ts)
//   lmFreqTotal()     Σ freq (= tree root)
//   lmLogitsPtr()     f32 logits[256] of the current distribution (for samplers)
//   lmSetScalar(on)   use the scalar reference kernels (bit-identical, slower; tests)
//   lmSetFloat(on)    run the f32 weights instead of the int8 ones (the reference for
//                     PyTorch parity; the codec always runs int8)
//
// Calling lmBegin/lmFeed/lmBitP before a successful lmLoad is harmless: lmBegin and
// lmFeed do nothing, lmBitP returns 32768 and lmFreqPtr returns 0.

import { loadModel, mLoaded, mLogits, mResidual, mTree } from "./weights";
import { resetState, step } from "./lstm";
import { buildTree, softmaxScalar, softmaxSimd, treeBitP } from "./distribution";
import { addLnScalar, addLnSimd } from "./residual";

let useScalar: bool = false;
let useFloat: bool = false;

export function lmLoad(ptr: usize, len: i32): i32 {
  const r = loadModel(ptr, len);
  if (r == 0) lmBegin();
  return r;
}

export function lmLoaded(): bool {
  return mLoaded;
}

export function lmBegin(): void {
  lmStart(0);
}

export function lmFeed(byte: i32): void {
  lmStep(byte, 0);
}

export function lmStart(prior: usize): void {
  if (!mLoaded) return;
  resetState();
  lmStep(0, prior);
}

export function lmStep(byte: i32, prior: usize): void {
  if (!mLoaded) return;
  step(byte, useScalar, useFloat);
  if (mResidual && prior != 0) {
    if (useScalar) addLnScalar(mLogits, prior);
    else addLnSimd(mLogits, prior);
  }
  if (useScalar) softmaxScalar(mLogits, mTree);
  else softmaxSimd(mLogits, mTree);
  buildTree(mTree);
}

export function lmBitP(c0: i32): i32 {
  if (mTree == 0) return 32768;
  return treeBitP(mTree, c0);
}

export function lmFreqPtr(): usize {
  return mTree == 0 ? 0 : mTree + 1024;
}

/** f32 logits[256] of the current distribution (before softmax; 0 when no model). */
export function lmLogitsPtr(): usize {
  return mLogits;
}

export function lmFreqTotal(): u32 {
  return mTree == 0 ? 0 : load<u32>(mTree, 4);
}

export function lmSetScalar(on: i32): void {
  useScalar = on != 0;
}

export function lmSetFloat(on: i32): void {
  useFloat = on != 0;
}
