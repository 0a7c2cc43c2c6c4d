import { frameCapacity, inputPtr } from "../codec";
import { filterChoose, filterApply, filterValid } from "./filter";
import { imageStride, imageOffset, imagePixelBytes } from "./image";

// Development probes of the frame filters (test/filter.test.ts), on the codec's input buffer.
// Only in the development module (assembly/dev.ts).

/** The filter the encoder would choose for the first n bytes of the input buffer (0 if n is over its size). */
export function filterChosen(n: u32): u32 {
  return n <= frameCapacity() ? filterChoose(inputPtr(), n) : 0;
}

/** Applies (encode = 1) or undoes filter `code` on the first n bytes of the input buffer. */
export function filterRun(code: u32, n: u32, encode: i32): void {
  if (n <= frameCapacity() && filterValid(code)) filterApply(code, inputPtr(), n, encode != 0);
}

/** The image layout left by the last filterChosen that found an image: 0 stride, 1 offset, 2 bytes per pixel. */
export function imageLayoutField(which: i32): u32 {
  return which == 0 ? imageStride : which == 1 ? imageOffset : imagePixelBytes;
}
