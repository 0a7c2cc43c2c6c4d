import { frameCapacity, inputPtr } from "../codec";
import { filterChoose, filterApply, filterValid } from "./filter";
import { x86Reset, x86Byte, x86Role } from "../cm/x86-parse";
import { imageStride, imageOffset, imagePixelBytes } from "./image";

// Development probes of the frame filters and the x86 parser (test/filter.test.ts,
// test/x86-parse.test.ts), on the codec's input buffer.
// Only in the development module (assembly/dev.ts).

/** The filter the encoder would choose for the first n bytes of the input buffer (0 if n is over its size). */
export function filterChosen(n: u32): u32 {
  return n <= frameCapacity() ? filterChoose(inputPtr(), n) : 0;
}

/** Applies (encode = 1) or undoes filter `code` on the first n bytes of the input buffer. */
export function filterRun(code: u32, n: u32, encode: i32): void {
  if (n <= frameCapacity() && filterValid(code)) filterApply(code, inputPtr(), n, encode != 0);
}

/** Replaces each of the first n bytes of the input buffer by its role in its instruction (cm/x86-parse.ts). */
export function x86Roles(n: u32): void {
  if (n > frameCapacity()) return;
  const buf = inputPtr();
  x86Reset();
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(buf + i);
    store<u8>(buf + i, <u8>x86Role);
    x86Byte(c);
  }
}

/** The image layout left by the last filterChosen that found an image: 0 stride, 1 offset, 2 bytes per pixel. */
export function imageLayoutField(which: i32): u32 {
  return which == 0 ? imageStride : which == 1 ? imageOffset : imagePixelBytes;
}
