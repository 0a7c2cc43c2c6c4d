import { allocPermanent, resetArena } from "./memory";
import { initSquash } from "./cm/squash";
import { mixerUpdates, mixerCreate, mixerDot, mixerDotScalar, mixerSetBoost, mixerUpdate, mixerUpdateScalar, mixerWeights, MIXER_INPUTS } from "./cm/mixer";

// Checks, callable from tests, that each SIMD kernel gives the same bits as its
// scalar reference. Returns the number of mismatching results (0 = identical).

let rng: u32 = 1;
function next(): u32 {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

/**
 * Runs `rounds` random dot + update steps on two identical mixers, SIMD vs scalar, with the
 * per-set rate boost on when `boost` (its update counts are compared too), the mixers
 * `vectors` (3, 7, 8 or 9) vectors of four inputs wide.
 */
export function mixerSelfTest(seed: u32, rounds: i32, boost: bool, vectors: i32): i32 {
  initSquash();
  const x = allocPermanent(MIXER_INPUTS * 4, 16); // before the arena: allocPermanent drops it
  resetArena();
  rng = seed | 1;
  const sets = 4;
  const a = mixerCreate(sets, 0.2, 4.0 / 1073741824.0, vectors);
  const b = mixerCreate(sets, 0.2, 4.0 / 1073741824.0, vectors);
  mixerSetBoost(a, boost);
  mixerSetBoost(b, boost);
  let mismatches = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < MIXER_INPUTS; i++) store<f32>(x + (<usize>i << 2), <f32>(<i32>(next() % 4095) - 2047));
    const set = <i32>(next() % sets);
    const da = mixerDot(a, x, set);
    const db = mixerDotScalar(b, x, set);
    if (da != db) mismatches++;
    const bit = <i32>(next() & 1);
    mixerUpdate(a, x, bit);
    mixerUpdateScalar(b, x, bit);
  }
  const wa = mixerWeights(a);
  const wb = mixerWeights(b);
  for (let i = 0; i < sets * MIXER_INPUTS; i++) {
    if (load<u32>(wa + (<usize>i << 2)) != load<u32>(wb + (<usize>i << 2))) mismatches++;
  }
  for (let s = 0; s < sets; s++) if (mixerUpdates(a, s) != mixerUpdates(b, s)) mismatches++;
  return mismatches;
}
