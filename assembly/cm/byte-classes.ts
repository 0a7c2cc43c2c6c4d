// Byte classes: what kind of byte each is, in 4 bits, the classes of the last eight bytes, and
// the runs of one class (a number, a word, spaces): their classes and the current run's length. A context of classes instead of bytes is the text's layout (a number, then a comma,
// then a word in capitals...) without its contents: it predicts where the next separator,
// digit or capital comes in tables, logs, code and prose.
//
// Class 0: no byte (before the frame's start); 1 digit, 2 lowercase letter, 3 capital, 4 space,
// 5 LF, 6 ',' tab ';', 7 '.', 8 '-', 9 ':', 10 '/', 11 '"' "'", 12 '<' '>', 13 '(' ')', 14 '_',
// 15 anything else.

const CLASS_OF = memory.data<u8>([
  15, 15, 15, 15, 15, 15, 15, 15, 15, 6, 5, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
  4, 15, 11, 15, 15, 15, 15, 11, 13, 13, 15, 15, 6, 8, 7, 10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 6, 12, 15, 12, 15,
  15, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 15, 15, 15, 15, 14,
  15, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 15, 15, 15, 15, 15,
  15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
  15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
  15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
  15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
]);

/** The class (1..15) of byte c. */
// @ts-ignore: decorator
@inline export function byteClass(c: u32): u32 {
  return <u32>load<u8>(CLASS_OF + <usize>(c & 0xff));
}

/** The classes of the last eight bytes, 4 bits each, the last one lowest (0: before the frame). */
export let classes: u32 = 0;

/** The classes of the last eight runs, 4 bits each, the current run lowest (0: none). */
export let runs: u32 = 0;
/** Bytes in the current run (capped at 255; 0 before the frame's first byte). */
export let runLength: u32 = 0;

/** Forgets the bytes (a new frame). */
export function classesReset(): void {
  classes = 0;
  runs = 0;
  runLength = 0;
}

/** Takes in byte c. */
// @ts-ignore: decorator
@inline export function classesByte(c: u32): void {
  const k = byteClass(c);
  if (runLength > 0 && k == (classes & 15)) {
    if (runLength < 255) runLength++;
  } else {
    runs = (runs << 4) | k;
    runLength = 1;
  }
  classes = (classes << 4) | k;
}
