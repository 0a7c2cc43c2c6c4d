// Fixed-length records (binary tables, fixed-width text, image rows): the record length is
// found from the distances between occurrences of the same byte value. When one distance r
// (2 .. MAX_RECORD) repeats for many byte values in a row, r is taken as the record length,
// and the bytes r and 2r back (the same column in the two records above) become context.

const MAX_RECORD: u32 = 4096;
const CONFIRMATIONS: u32 = 8; // repeats of a candidate before it becomes the record length
const lastPosition = memory.data(256 * 4, 4); // u32[256]: where each byte value last occurred, + 1
const lastDistance = memory.data(256 * 4, 4); // u32[256]: the distance before that
let candidate: u32 = 0;
let confirmations: u32 = 0;
let length: u32 = 0; // the record length (0: none found)

/** Forgets everything (a new frame). */
export function recordsReset(): void {
  memory.fill(lastPosition, 0, 256 * 4);
  memory.fill(lastDistance, 0, 256 * 4);
  candidate = 0;
  confirmations = 0;
  length = 0;
}

/** Takes in byte c, now at position pos - 1 (pos = bytes known). */
export function recordsByte(c: u32, pos: u32): void {
  const at = <usize>c << 2;
  const last = load<u32>(lastPosition + at);
  store<u32>(lastPosition + at, pos);
  if (last == 0) return;
  const d = pos - last;
  if (d == load<u32>(lastDistance + at) && d >= 2 && d <= MAX_RECORD) {
    if (d == candidate) {
      if (confirmations < CONFIRMATIONS) confirmations++;
      else length = d;
    } else if (confirmations == 0 || --confirmations == 0) {
      candidate = d;
      confirmations = 1;
    }
  }
  store<u32>(lastDistance + at, d);
}

/** The record length (0: none found yet). */
export function recordLength(): u32 {
  return length;
}
