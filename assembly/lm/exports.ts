// The LM's wasm exports: the API of lm.ts plus hooks for the tests (test/lm-*.test.ts).

import { allocPermanent } from "../memory";
import { lmBegin, lmFeed, lmFreqPtr, lmFreqTotal } from "./lm";
import { ln4, lnS } from "./residual";
import { mTree } from "./weights";
import { packColumns, paddedRows, packedBytes, matvecScalar, matvecSimd } from "./kernels";
import { matvecInt8Scalar, matvecInt8Simd, packedInt8Bytes, quantizeRows, quantizeVectorScalar, quantizeVectorSimd } from "./kernels-int8";
import { exp4, expS, sigmoid4, sigmoidS, tanh4, tanhS } from "./activations";
import { softmaxScalar, softmaxSimd, buildTree } from "./distribution";

export { lmLoad, lmLoaded, lmBegin, lmFeed, lmBitP, lmFreqPtr, lmFreqTotal, lmLogitsPtr, lmSetScalar, lmSetFloat } from "./lm";
/** lmLoad's out-of-memory code, read by the engine (src/engine.ts). */
export { LM_ERR_MEMORY } from "./weights";

/** Test hook: zeroed long-lived memory for test inputs/outputs (never freed). */
export function lmTestAlloc(bytes: i32): usize {
  return allocPermanent(<usize>bytes, 64);
}

/**
 * lmBegin, then for each of the n bytes at inPtr: writes freq[byte] and the freq total
 * (two u32) to outPtr + 8·i, then feeds the byte. −log2 p(byte i) = log2(total / freq).
 */
export function lmRunFreqs(inPtr: usize, n: i32, outPtr: usize): void {
  lmBegin();
  if (mTree == 0) return;
  const freq = lmFreqPtr();
  for (let i = 0; i < n; i++) {
    const b = <i32>load<u8>(inPtr + <usize>i);
    store<u32>(outPtr + (<usize>i << 3), load<u32>(freq + (<usize>b << 2)));
    store<u32>(outPtr + (<usize>i << 3), lmFreqTotal(), 4);
    lmFeed(b);
  }
}

/**
 * Throughput probe: lmBegin, then for each of n bytes: 8 lmBitP calls along the byte's
 * bits (as a coder would), then lmFeed. Returns a checksum of the probabilities.
 */
export function lmRunBits(inPtr: usize, n: i32): u32 {
  lmBegin();
  let sum: u32 = 0;
  for (let i = 0; i < n; i++) {
    const b = <i32>load<u8>(inPtr + <usize>i);
    let c0 = 1;
    for (let k = 7; k >= 0; k--) {
      sum += <u32>lmBitPInline(c0);
      c0 = (c0 << 1) | ((b >> k) & 1);
    }
    lmFeed(b);
  }
  return sum;
}

import { treeBitP } from "./distribution";
// @ts-ignore: decorator
@inline function lmBitPInline(c0: i32): i32 {
  return treeBitP(mTree, c0);
}

/** Test hook: applies kind (0 exp, 1 sigmoid, 2 tanh, 3 ln of residual.ts) to n floats (n % 4 == 0). */
export function lmTestActivation(kind: i32, inPtr: usize, n: i32, outPtr: usize, scalar: i32): void {
  for (let i = 0; i < n; i += 4) {
    const p = inPtr + (<usize>i << 2);
    const q = outPtr + (<usize>i << 2);
    if (scalar) {
      for (let j: usize = 0; j < 16; j += 4) {
        const x = load<f32>(p + j);
        store<f32>(q + j, kind == 0 ? expS(x) : kind == 1 ? sigmoidS(x) : kind == 2 ? tanhS(x) : lnS(x));
      }
    } else {
      const x = v128.load(p);
      v128.store(q, kind == 0 ? exp4(x) : kind == 1 ? sigmoid4(x) : kind == 2 ? tanh4(x) : ln4(x));
    }
  }
}

/**
 * Test hook: out = init + W·x with W row-major [rows][K] at wPtr, init and out holding
 * paddedRows(rows) floats, through the packed kernels (SIMD or scalar).
 */
export function lmTestMatvec(wPtr: usize, initPtr: usize, xPtr: usize, K: i32, rows: i32, outPtr: usize, scalar: i32): i32 {
  const packed = allocPermanent(<usize>packedBytes(rows, K), 64);
  if (packed == 0) return -1;
  packColumns(packed, K, wPtr, rows, K, 0, K, 0, rows, rows);
  if (scalar) matvecScalar(packed, initPtr, xPtr, K, rows, outPtr);
  else matvecSimd(packed, initPtr, xPtr, K, rows, outPtr);
  return paddedRows(rows);
}

/** Test hook: softmax of logits[256] (2048 bytes: logits, then exp scratch) into treePtr (u32[512]). */
export function lmTestSoftmax(logitsPtr: usize, treePtr: usize, scalar: i32): void {
  if (scalar) softmaxScalar(logitsPtr, treePtr);
  else softmaxSimd(logitsPtr, treePtr);
  buildTree(treePtr);
}

/**
 * Test hook: quantizes the row-major f32 W [rows][K] (K even) at wPtr to int8-range rows, the n = K
 * floats at xPtr to int16 (written to xqPtr, K·2 bytes), then out = init + (Wq·xq)·scale
 * through the int8 kernels (SIMD or scalar). scalePtr receives the paddedRows(rows) row scales.
 */
export function lmTestMatvecInt8(wPtr: usize, initPtr: usize, xPtr: usize, xqPtr: usize, K: i32, rows: i32, scalePtr: usize, outPtr: usize, scalar: i32): i32 {
  const packed = allocPermanent(<usize>packedBytes(rows, K), 64);
  const q = allocPermanent(<usize>packedInt8Bytes(rows, K), 64);
  if (packed == 0 || q == 0) return -1;
  packColumns(packed, K, wPtr, rows, K, 0, K, 0, rows, rows);
  quantizeRows(q, scalePtr, packed, K, rows);
  if (scalar) {
    quantizeVectorScalar(xPtr, xqPtr, K);
    matvecInt8Scalar(q, scalePtr, initPtr, xqPtr, K, rows, outPtr);
  } else {
    quantizeVectorSimd(xPtr, xqPtr, K);
    matvecInt8Simd(q, scalePtr, initPtr, xqPtr, K, rows, outPtr);
  }
  return paddedRows(rows);
}
