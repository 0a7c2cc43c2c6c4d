import { allocArena, allocArenaUninitialised } from "../memory";
import { stretch, squash } from "./squash";

// APM / SSE stage: refines a probability given a small context.
//
// For each context there are 33 points on the stretched axis (-2048..2048 in
// steps of 128); the output interpolates between the two points around
// stretch(p), and the update moves the nearer point towards the coded bit.
// Table entries are 16-bit probabilities, so the output has 16-bit resolution.
//
// An APM is a 16-byte record in linear memory (no managed objects in this module):
//   +0 table pointer (u16[contexts * 33])   +4 entry to update   +8 rate (shift)
//   +12 lazy APMs: bitmap of the rows initialised so far (0: every row initialised at creation)
//
// A lazy APM (apmCreateLazy) initialises a context's row the first time it is read. The
// values are the same as eager initialisation, so the coded bytes are too; it only saves
// filling the whole table (the order-1 APM: 65,536 rows, 4.3 MB) for every frame, which
// dominates the time of a tiny input.

const A_TABLE = 0;
const A_INDEX = 4;
const A_RATE = 8;
const A_LAZY = 12;

// One context's initial row (identity: output = input), for lazy rows.
const identityRow = memory.data(33 * 2, 16);

function writeIdentityRow(row: usize): void {
  for (let j = 0; j < 33; j++) {
    store<u16>(row + (<usize>j << 1), <u16>(squash((j - 16) * 128) * 16));
  }
}

/** An APM whose rows are initialised on first use (for APMs that no prior sets); 0 when out of memory. */
export function apmCreateLazy(contexts: i32, rate: i32): usize {
  writeIdentityRow(identityRow); // squash's table exists by now (predictorInit runs initSquash first)
  const bitmap = allocArena((<usize>(contexts + 31) >> 5) << 2);
  const table = allocArenaUninitialised(<usize>contexts * 33 * 2);
  return bitmap == 0 || table == 0 ? 0 : apmRecord(table, rate, bitmap);
}

/** The APM's 16-byte record (see the layout above); 0 when out of memory. */
function apmRecord(table: usize, rate: i32, lazyBitmap: usize): usize {
  const rec = allocArena(16, 16);
  if (rec == 0) return 0;
  store<u32>(rec + A_TABLE, <u32>table);
  store<u32>(rec + A_INDEX, 0);
  store<u32>(rec + A_RATE, <u32>rate);
  store<u32>(rec + A_LAZY, <u32>lazyBitmap);
  return rec;
}

/** Allocates and initialises an APM in the frame arena; 0 when out of memory. */
export function apmCreate(contexts: i32, rate: i32): usize {
  const table = allocArena(<usize>contexts * 33 * 2);
  if (table == 0) return 0;
  // One context's initial row (identity: output = input), copied to all rows.
  writeIdentityRow(table);
  // Doubling copies (rows 0..k-1 are all the same row, so they fill rows k..2k-1): a few
  // bulk copies instead of one call per row (65,536 rows for the order-1 APM, every frame).
  let rows = 1;
  while (rows < contexts) {
    const k = rows < contexts - rows ? rows : contexts - rows;
    memory.copy(table + <usize>rows * 66, table, <usize>k * 66);
    rows += k;
  }
  return apmRecord(table, rate, 0);
}

/** p12: input probability (12-bit). Returns the refined probability, 16-bit. */
// @ts-ignore: decorator
@inline export function apmRefine(apm: usize, p12: i32, context: i32): i32 {
  const s = stretch(p12) + 2048; // 1..4095
  const lo = s >> 7;
  const w = s & 127;
  const lazy = <usize>load<u32>(apm + A_LAZY);
  if (lazy != 0) {
    const word = lazy + (<usize>(context >> 5) << 2);
    const mask: u32 = (<u32>1) << (<u32>context & 31);
    const seen = load<u32>(word);
    if ((seen & mask) == 0) {
      memory.copy(<usize>load<u32>(apm + A_TABLE) + <usize>context * 66, identityRow, 66);
      store<u32>(word, seen | mask);
    }
  }
  const entry = <usize>(context * 33 + lo);
  const t = <usize>load<u32>(apm + A_TABLE) + (entry << 1);
  const a = <i32>load<u16>(t);
  const b = <i32>load<u16>(t + 2);
  store<u32>(apm + A_INDEX, <u32>(entry + <usize>(w >> 6)));
  return (a * (128 - w) + b * w) >> 7;
}

// @ts-ignore: decorator
@inline export function apmUpdate(apm: usize, bit: i32): void {
  const ptr = <usize>load<u32>(apm + A_TABLE) + (<usize>load<u32>(apm + A_INDEX) << 1);
  const v = <i32>load<u16>(ptr);
  const target = bit ? 65535 : 0;
  store<u16>(ptr, <u16>(v + ((target - v) >> <i32>load<u32>(apm + A_RATE))));
}

/** Table address of an APM (for saving and loading a learned prior). */
export function apmTable(apm: usize): usize {
  return <usize>load<u32>(apm + A_TABLE);
}
