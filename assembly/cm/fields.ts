// Fields of line-structured text (CSV, TSV, logs, tables): where each field of the current
// and the previous line starts, so a byte can be predicted from the byte at the same place in
// the same field of the line above, even when the fields' widths differ from line to line.
// A field ends at a separator (',', '\t', ';', '|', ' ' or '<': table cells, words, markup
// tags); a line at LF. Lines with more than
// MAX_FIELDS fields put the rest in the last one. Also the current field's shape: its bytes so
// far with every digit alike and every letter alike but for its case ("3.25" and "7.50" have
// one shape, "Mon" and "Tue" another), which tells where a number or word is in its field.

const MAX_FIELDS: u32 = 64;
const starts = memory.data(2 * MAX_FIELDS * 4, 4); // u32[2][MAX_FIELDS]: field starts, two lines
let current: usize = starts; // the current line's field starts
let previous: usize = starts + MAX_FIELDS * 4; // the previous line's
let field: u32 = 0; // the current field's index (0 .. MAX_FIELDS - 1)
let previousFields: u32 = 0; // fields in the previous line (0: no previous line)
let previousEnd: u32 = 0; // position of the previous line's LF
let shape: u32 = 0; // hash of the current field's shape so far (0: empty)

/** Whether byte c ends a field: ',', '\t', ';', '|', ' ' or '<'. */
// @ts-ignore: decorator
@inline function isSeparator(c: u32): bool {
  return c == 44 || c == 9 || c == 59 || c == 124 || c == 32 || c == 60;
}

/** Forgets both lines (a new frame). */
export function fieldsReset(): void {
  field = 0;
  previousFields = 0;
  previousEnd = 0;
  shape = 0;
  store<u32>(current, 0);
}

/** Takes in byte c, now at position pos - 1 (pos = bytes known). */
export function fieldsByte(c: u32, pos: u32): void {
  if (c == 10 || isSeparator(c)) shape = 0;
  else {
    const lower = c | 0x20;
    const k: u32 = c >= 48 && c <= 57 ? 1 : lower >= 97 && lower <= 122 ? (c < 97 ? 3 : 2) : c;
    shape = (shape + k + 1) * 0x6f4f2a45;
  }
  if (c == 10) {
    const t = previous;
    previous = current;
    current = t;
    previousFields = field + 1;
    previousEnd = pos - 1;
    field = 0;
    store<u32>(current, pos);
  } else if (isSeparator(c) && field + 1 < MAX_FIELDS) {
    field++;
    store<u32>(current + (<usize>field << 2), pos);
  }
}

/** The current field's index, capped at MAX_FIELDS - 1. */
export function fieldIndex(): u32 {
  return field;
}

/**
 * The byte at the same offset in the same field of the previous line (the next position
 * is pos): the separator or LF that ends that field when it is shorter, 256 when the
 * previous line has no such field or the offset is past its end.
 */
export function fieldAbove(history: usize, pos: u32): u32 {
  if (field >= previousFields) return 256;
  const offset = pos - load<u32>(current + (<usize>field << 2));
  const at = load<u32>(previous + (<usize>field << 2)) + offset;
  const end = field + 1 < previousFields ? load<u32>(previous + (<usize>(field + 1) << 2)) - 1 : previousEnd;
  return at <= end ? <u32>load<u8>(history + at) : 256;
}

/** The current field's shape so far (a hash; 0 at the field's start). */
export function fieldShape(): u32 {
  return shape;
}

/** Bytes of the current field known so far. */
export function fieldOffset(pos: u32): u32 {
  return pos - load<u32>(current + (<usize>field << 2));
}
