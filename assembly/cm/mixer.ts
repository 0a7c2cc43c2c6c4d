import { allocArena } from "../memory";
import { squash } from "./squash";

// Online logistic mixer (a one-layer network trained on every coded bit).
//
// Inputs x[i] are log-odds in 1/256 units (|x| <= 2047). Weights are 16.16
// fixed point (65536 = 1.0). Output p = squash(sum w[i]*x[i] >> 16), 12-bit.
// After the bit y is known: w[i] += x[i] * (y - p) * rate, the gradient of
// coding cost in the logistic domain. A small context selects which weight set
// is used, so different situations (bit position, match state) learn their own
// trust in each input. All arithmetic is integer, so it is exact everywhere.
//
// A mixer is a 16-byte record: +0 weights (i32[sets * MIXER_INPUTS])
// +4 selected set's weights  +8 last output p12  +12 learning rate

export const MIXER_INPUTS = 16;

const M_WEIGHTS = 0;
const M_SELECTED = 4;
const M_P = 8;
const M_RATE = 12;

export function mixerCreate(sets: i32, initialWeight: i32, rate: i32): usize {
  const rec = allocArena(16, 16);
  const w = allocArena(<usize>sets * MIXER_INPUTS * 4);
  if (rec == 0 || w == 0) return 0;
  const n = sets * MIXER_INPUTS;
  for (let i = 0; i < n; i++) store<i32>(w + (<usize>i << 2), initialWeight);
  store<u32>(rec + M_WEIGHTS, <u32>w);
  store<u32>(rec + M_SELECTED, <u32>w);
  store<i32>(rec + M_P, 2048);
  store<i32>(rec + M_RATE, rate);
  return rec;
}

/** Weight set pointer of a mixer, for loading pretrained weights. */
export function mixerWeights(m: usize): usize {
  return <usize>load<u32>(m + M_WEIGHTS);
}

/** Returns the stretched (log-odds) output for inputs x under weight set `set`. */
// @ts-ignore: decorator
@inline export function mixerDot(m: usize, x: usize, set: i32): i32 {
  const w = <usize>load<u32>(m + M_WEIGHTS) + <usize>(set * MIXER_INPUTS * 4);
  store<u32>(m + M_SELECTED, <u32>w);
  let sum: i64 = 0;
  for (let i = 0; i < MIXER_INPUTS; i++) {
    sum += <i64>load<i32>(w + (<usize>i << 2)) * <i64>load<i32>(x + (<usize>i << 2));
  }
  let dot = <i32>(sum >> 16);
  if (dot > 2047) dot = 2047;
  if (dot < -2047) dot = -2047;
  store<i32>(m + M_P, squash(dot));
  return dot;
}

// @ts-ignore: decorator
@inline export function mixerUpdate(m: usize, x: usize, bit: i32): void {
  const w = <usize>load<u32>(m + M_SELECTED);
  const err = ((bit << 12) - load<i32>(m + M_P)) * load<i32>(m + M_RATE);
  for (let i = 0; i < MIXER_INPUTS; i++) {
    const wp = w + (<usize>i << 2);
    store<i32>(wp, load<i32>(wp) + ((load<i32>(x + (<usize>i << 2)) * err + 8192) >> 14));
  }
}
