// One LSTM time step over the loaded model (PyTorch nn.LSTM semantics, gates i, f, g, o):
//   gates_l = b_l + W_ih_l · x_l + W_hh_l · h_l      (x_0 = embedding[byte], x_l = h_{l−1} new)
//   c_l' = f·c_l + i·g,  h_l' = o·tanh(c_l')         (i, f, o = sigmoid; g = tanh)
//   logits = b_out + W_out · h_{L−1}
// then the logits (lm.ts makes them a distribution: softmax → frequencies → bit tree).
//
// Layer 0 starts from the precomputed row emb0[byte] (= b_0 + W_ih_0·embedding[byte]) and
// adds W_hh_0·h_0; layer l ≥ 1 runs one fused matvec over the contiguous [h_{l−1}; h_l]
// (the h states of all layers are stored one after the other, and layer l−1 has
// already written its new h when layer l reads it).
//
// Two precisions: int8 weights × int16 h (kernels-int8.ts; what the codec runs, ~2.5×
// faster) and the f32 weights as exported (the reference that PyTorch parity is checked
// against). The cell and everything after the logits are f32 in both. `scalar` selects the
// scalar reference kernels everywhere; results are bit-identical to SIMD in each precision.

import {
  mL, mHp, mG, mEmb0, mW, mBias, mWOut, mBOut, mH0, mC0, mGates, mLogits, mTree,
  mWq, mScale, mWOutQ, mScaleOut, mHq,
} from "./weights";
import { matvecScalar, matvecSimd } from "./kernels";
import { matvecInt8Scalar, matvecInt8Simd, quantizeVectorScalar, quantizeVectorSimd } from "./kernels-int8";
import { sigmoid4, sigmoidS, tanh4, tanhS } from "./activations";

/** LSTM cell update for one layer, SIMD (Hp is a multiple of 4). */
export function cellSimd(gates: usize, c: usize, h: usize, Hp: i32): void {
  const gs = <usize>Hp << 2;
  for (let j: usize = 0; j < gs; j += 16) {
    const g = gates + j;
    const i = sigmoid4(v128.load(g));
    const f = sigmoid4(v128.load(g + gs));
    const t = tanh4(v128.load(g + 2 * gs));
    const o = sigmoid4(v128.load(g + 3 * gs));
    const cn = f32x4.add(f32x4.mul(f, v128.load(c + j)), f32x4.mul(i, t));
    v128.store(c + j, cn);
    v128.store(h + j, f32x4.mul(o, tanh4(cn)));
  }
}

/** Scalar reference of cellSimd (bit-identical). */
export function cellScalar(gates: usize, c: usize, h: usize, Hp: i32): void {
  const gs = <usize>Hp << 2;
  for (let j: usize = 0; j < gs; j += 4) {
    const g = gates + j;
    const i = sigmoidS(load<f32>(g));
    const f = sigmoidS(load<f32>(g + gs));
    const t = tanhS(load<f32>(g + 2 * gs));
    const o = sigmoidS(load<f32>(g + 3 * gs));
    const cn = f * load<f32>(c + j) + i * t;
    store<f32>(c + j, cn);
    store<f32>(h + j, o * tanhS(cn));
  }
}

/** Zeroes the recurrent state. */
export function resetState(): void {
  const bytes = <usize>mL * <usize>mHp * 4;
  memory.fill(mH0, 0, bytes);
  memory.fill(mC0, 0, bytes);
  memory.fill(mHq, 0, bytes >> 1);
}

/** One step with int8 weights: the same data flow as the f32 step, over hq instead of h. */
function stepInt8(init0: usize, scalar: bool): void {
  const Hp = mHp;
  const G = mG;
  const hb = <usize>Hp << 2;
  const qb = <usize>Hp << 1;
  for (let l = 0; l < mL; l++) {
    const lo = <usize>l << 2;
    const w = load<usize>(mWq + lo);
    const sc = load<usize>(mScale + lo);
    const init = l == 0 ? init0 : load<usize>(mBias + lo);
    const xq = l == 0 ? mHq : mHq + <usize>(l - 1) * qb; // [hq_{l−1}; hq_l] for l ≥ 1
    const K = l == 0 ? Hp : 2 * Hp;
    const hl = mH0 + <usize>l * hb;
    if (scalar) {
      matvecInt8Scalar(w, sc, init, xq, K, G, mGates);
      cellScalar(mGates, mC0 + <usize>l * hb, hl, Hp);
      quantizeVectorScalar(hl, mHq + <usize>l * qb, Hp);
    } else {
      matvecInt8Simd(w, sc, init, xq, K, G, mGates);
      cellSimd(mGates, mC0 + <usize>l * hb, hl, Hp);
      quantizeVectorSimd(hl, mHq + <usize>l * qb, Hp);
    }
  }
  const hqLast = mHq + <usize>(mL - 1) * qb;
  if (scalar) {
    matvecInt8Scalar(mWOutQ, mScaleOut, mBOut, hqLast, Hp, 256, mLogits);
  } else {
    matvecInt8Simd(mWOutQ, mScaleOut, mBOut, hqLast, Hp, 256, mLogits);
  }
}

/** Feeds one byte: updates the state and leaves the next byte's logits in mLogits (lm.ts turns them into the tree). */
export function step(byte: i32, scalar: bool, float: bool): void {
  const Hp = mHp;
  const G = mG;
  const hb = <usize>Hp << 2;
  const init0 = mEmb0 + ((<usize>(byte & 255) * <usize>G) << 2);
  if (!float) {
    stepInt8(init0, scalar);
  } else if (scalar) {
    matvecScalar(load<usize>(mW), init0, mH0, Hp, G, mGates);
    cellScalar(mGates, mC0, mH0, Hp);
    for (let l = 1; l < mL; l++) {
      const hl = mH0 + <usize>l * hb;
      matvecScalar(load<usize>(mW + (<usize>l << 2)), load<usize>(mBias + (<usize>l << 2)), hl - hb, 2 * Hp, G, mGates);
      cellScalar(mGates, mC0 + <usize>l * hb, hl, Hp);
    }
    matvecScalar(mWOut, mBOut, mH0 + <usize>(mL - 1) * hb, Hp, 256, mLogits);
  } else {
    matvecSimd(load<usize>(mW), init0, mH0, Hp, G, mGates);
    cellSimd(mGates, mC0, mH0, Hp);
    for (let l = 1; l < mL; l++) {
      const hl = mH0 + <usize>l * hb;
      matvecSimd(load<usize>(mW + (<usize>l << 2)), load<usize>(mBias + (<usize>l << 2)), hl - hb, 2 * Hp, G, mGates);
      cellSimd(mGates, mC0 + <usize>l * hb, hl, Hp);
    }
    matvecSimd(mWOut, mBOut, mH0 + <usize>(mL - 1) * hb, Hp, 256, mLogits);
  }
}
