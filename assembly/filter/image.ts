// Uncompressed images: finds the pixel layout of a BMP or binary PNM (P5, P6) file that
// starts a frame, so that the model can take its contexts from the pixels to the left
// and above (contexts.ts). Nothing is transformed: the filter only names the layout.
//
// A layout is three numbers, written into the payload after the filter code (codec.ts):
//   stride      bytes from a pixel to the one above it, 1 .. 2^24 - 1
//   offset      where the first row starts in the frame (the header's length), 0 .. 2^24 - 1
//   pixelBytes  bytes per pixel, 1 .. 4 (in the filter code)
// BMP stores its rows bottom up; "above" is then the row below in the picture, which is
// as good a context.

export const IMAGE_FIELD_MAX: u32 = (1 << 24) - 1;

// The layout found by imageDetect, or decoded from a payload (imageSetLayout).
export let imageStride: u32 = 0;
export let imageOffset: u32 = 0;
export let imagePixelBytes: u32 = 1;

/** Sets the layout (a decoded payload's); false when a field is out of range. */
export function imageSetLayout(stride: u32, offset: u32, pixelBytes: u32): bool {
  if (stride == 0 || stride > IMAGE_FIELD_MAX || offset > IMAGE_FIELD_MAX || pixelBytes == 0 || pixelBytes > 4) return false;
  if (pixelBytes > stride) return false;
  imageStride = stride;
  imageOffset = offset;
  imagePixelBytes = pixelBytes;
  return true;
}

// @ts-ignore: decorator
@inline function u16le(buf: usize, at: u32): u32 {
  return <u32>load<u16>(buf + at);
}

// @ts-ignore: decorator
@inline function u32le(buf: usize, at: u32): u32 {
  return load<u32>(buf + at);
}

/** A BMP with 8, 24 or 32 bits per pixel, uncompressed (BI_RGB or BI_BITFIELDS), or false. */
function detectBmp(buf: usize, n: u32): bool {
  if (n < 54 || load<u8>(buf) != 0x42 || load<u8>(buf + 1) != 0x4d) return false;
  const offset = u32le(buf, 10);
  const infoSize = u32le(buf, 14);
  if (infoSize < 40 || infoSize > 256) return false;
  const width = <i32>u32le(buf, 18);
  const bpp = u16le(buf, 28);
  const compression = u32le(buf, 30);
  if (u16le(buf, 26) != 1 || (bpp != 8 && bpp != 24 && bpp != 32)) return false;
  if (compression != 0 && compression != 3) return false;
  if (width <= 0 || width > 0x100000) return false;
  const stride = ((<u32>width * bpp + 31) >> 5) << 2;
  // At least two rows in the frame, or the contexts from above have nothing to give.
  if (offset < 14 + infoSize || offset > IMAGE_FIELD_MAX || stride > IMAGE_FIELD_MAX || <u64>offset + 2 * <u64>stride > <u64>n) return false;
  return imageSetLayout(stride, offset, bpp >> 3);
}

let pnmAt: u32 = 0; // where pnmNumber reads next

/** Reads a PNM header number at pnmAt (after whitespace and comments); -1 when there is none. */
function pnmNumber(buf: usize, n: u32): i32 {
  // Whitespace and comment lines.
  while (pnmAt < n) {
    const c = load<u8>(buf + pnmAt);
    if (c == 0x23) { // '#': to the end of the line
      while (pnmAt < n && load<u8>(buf + pnmAt) != 10) pnmAt++;
    } else if (c == 32 || c == 9 || c == 10 || c == 13) pnmAt++;
    else break;
  }
  let v: i32 = 0;
  let digits = 0;
  while (pnmAt < n && digits < 8) {
    const c = <i32>load<u8>(buf + pnmAt);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    digits++;
    pnmAt++;
  }
  return digits == 0 || digits == 8 ? -1 : v;
}

/** A binary PGM (P5) or PPM (P6) with samples of one byte, or false. */
function detectPnm(buf: usize, n: u32): bool {
  if (n < 16 || load<u8>(buf) != 0x50) return false;
  const kind = load<u8>(buf + 1);
  if (kind != 0x35 && kind != 0x36) return false;
  pnmAt = 2;
  const width = pnmNumber(buf, n);
  const height = pnmNumber(buf, n);
  const maxval = pnmNumber(buf, n);
  if (width <= 0 || height <= 0 || maxval <= 0 || maxval > 255) return false;
  if (pnmAt >= n) return false;
  const c = load<u8>(buf + pnmAt); // one whitespace byte ends the header
  if (c != 32 && c != 9 && c != 10 && c != 13) return false;
  const offset = pnmAt + 1;
  const pixelBytes: u32 = kind == 0x36 ? 3 : 1;
  const stride = <u64>width * pixelBytes;
  if (stride > IMAGE_FIELD_MAX || <u64>offset + 2 * stride > <u64>n) return false;
  return imageSetLayout(<u32>stride, offset, pixelBytes);
}

/** Whether buf[0, n) starts with an image header this filter knows; sets the layout if so. */
export function imageDetect(buf: usize, n: u32): bool {
  return detectBmp(buf, n) || detectPnm(buf, n);
}
