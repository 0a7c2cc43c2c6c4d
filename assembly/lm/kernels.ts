// f32 matrix × vector kernels for the LM, over weights packed for sequential loads.
//
// Packed layout ("blocks of 24 rows, k-major"): the R output rows are padded with zero
// rows to a multiple of 8 (Rp). They form nFull = floor(Rp / 24) full blocks of 24 rows
// and, when Rp % 24 ≠ 0, one tail block of T = Rp % 24 rows (8 or 16). For block b and
// input index k, the block's weights W[row0 .. row0 + rows_b − 1][k] are stored
// contiguously (rows_b · 4 bytes), blocks one after the other, so the SIMD kernel reads
// the weights strictly sequentially.
//
// Reduction order (fixed by the code, identical in both kernels): for every output
// row r,   out[r] = (((init[r] + W[r][0]·x[0]) + W[r][1]·x[1]) + …) + W[r][K−1]·x[K−1]
// i.e. one product and one add per k, k ascending, no FMA. The SIMD kernel keeps 24
// rows in 6 f32x4 accumulators (6 independent dependency chains) and broadcasts x[k];
// the scalar reference walks the same packed weights row by row. Both perform the same
// IEEE operations on the same operands in the same order, so their results are
// bit-identical.
//
// Why 24: 32-row blocks spill an accumulator to the stack in V8 on x64, and 16-row blocks
// are slower than 24 (figures in assembly/lm/README.md).

/** Rows rounded up to a multiple of 8 (the packed row count). */
// @ts-ignore: decorator
@inline export function paddedRows(rows: i32): i32 {
  return (rows + 7) & ~7;
}

/** Bytes needed for a packed [rows][K] matrix. */
export function packedBytes(rows: i32, K: i32): u64 {
  return <u64>paddedRows(rows) * <u64>K * 4;
}

/** Byte offset of W[r][0] in a packed matrix with K columns and Rp padded rows. */
// @ts-ignore: decorator
@inline function packedBase(r: i32, K: i32, Rp: i32): usize {
  const nFull = Rp / 24;
  const b = r / 24;
  if (b < nFull) return (<usize>b * 24 * <usize>K + <usize>(r - b * 24)) << 2;
  return (<usize>nFull * 24 * <usize>K + <usize>(r - nFull * 24)) << 2;
}

/** Bytes between W[r][k] and W[r][k+1] in the packed layout. */
// @ts-ignore: decorator
@inline function packedStride(r: i32, Rp: i32): usize {
  const nFull = Rp / 24;
  return r / 24 < nFull ? 96 : (<usize>(Rp - nFull * 24)) << 2;
}

/** W[r][k] of a packed matrix with K columns and Rp padded rows (load-time use, not the hot path). */
export function packedAt(w: usize, r: i32, k: i32, K: i32, Rp: i32): f32 {
  return load<f32>(w + packedBase(r, K, Rp) + <usize>k * packedStride(r, Rp));
}

/**
 * Writes columns [srcCol0, srcCol0 + cols) of the row-major f32 matrix src [rows][srcStride]
 * into the packed matrix dst (K columns in total) at columns [dstCol0, dstCol0 + cols).
 * Source row r goes to packed row (r / gateRows)·gatePadded + r % gateRows (the LSTM gate
 * layout with a padded hidden size; the identity when gateRows == gatePadded == rows).
 * Padding rows and columns stay zero (dst is zeroed memory). `src` may be unaligned
 * (it points into the model file).
 */
export function packColumns(
  dst: usize, K: i32,
  src: usize, rows: i32, srcStride: i32, srcCol0: i32, cols: i32, dstCol0: i32,
  gateRows: i32, gatePadded: i32,
): void {
  const Rp = paddedRows((rows / gateRows) * gatePadded + (rows % gateRows));
  for (let r = 0; r < rows; r++) {
    const pr = (r / gateRows) * gatePadded + (r % gateRows);
    const stride = packedStride(pr, Rp);
    const base = dst + packedBase(pr, K, Rp) + <usize>dstCol0 * stride;
    const s = src + ((<usize>r * <usize>srcStride + <usize>srcCol0) << 2);
    for (let c = 0; c < cols; c++) {
      store<f32>(base + <usize>c * stride, load<f32>(s + (<usize>c << 2)));
    }
  }
}

/**
 * out[0 .. paddedRows(rows)) = init + W·x, SIMD. `init` and `out` hold paddedRows(rows)
 * floats and are 16-byte aligned; `x` holds K floats. `out` may equal `init`.
 */
export function matvecSimd(w: usize, init: usize, x: usize, K: i32, rows: i32, out: usize): void {
  const Rp = paddedRows(rows);
  const nFull = Rp / 24;
  const xEnd = x + (<usize>K << 2);
  for (let b = 0; b < nFull; b++) {
    const io = <usize>b * 96;
    let a0 = v128.load(init + io, 0);
    let a1 = v128.load(init + io, 16);
    let a2 = v128.load(init + io, 32);
    let a3 = v128.load(init + io, 48);
    let a4 = v128.load(init + io, 64);
    let a5 = v128.load(init + io, 80);
    let xp = x;
    while (xp < xEnd) {
      const xs = v128.load32_splat(xp);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(w, 0), xs));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), xs));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(w, 32), xs));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(w, 48), xs));
      a4 = f32x4.add(a4, f32x4.mul(v128.load(w, 64), xs));
      a5 = f32x4.add(a5, f32x4.mul(v128.load(w, 80), xs));
      w += 96;
      xp += 4;
    }
    v128.store(out + io, a0, 0);
    v128.store(out + io, a1, 16);
    v128.store(out + io, a2, 32);
    v128.store(out + io, a3, 48);
    v128.store(out + io, a4, 64);
    v128.store(out + io, a5, 80);
  }
  const tail = Rp - nFull * 24;
  const io = <usize>nFull * 96;
  if (tail == 16) {
    let a0 = v128.load(init + io, 0);
    let a1 = v128.load(init + io, 16);
    let a2 = v128.load(init + io, 32);
    let a3 = v128.load(init + io, 48);
    let xp = x;
    while (xp < xEnd) {
      const xs = v128.load32_splat(xp);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(w, 0), xs));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), xs));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(w, 32), xs));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(w, 48), xs));
      w += 64;
      xp += 4;
    }
    v128.store(out + io, a0, 0);
    v128.store(out + io, a1, 16);
    v128.store(out + io, a2, 32);
    v128.store(out + io, a3, 48);
  } else if (tail == 8) {
    let a0 = v128.load(init + io, 0);
    let a1 = v128.load(init + io, 16);
    let xp = x;
    while (xp < xEnd) {
      const xs = v128.load32_splat(xp);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(w, 0), xs));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), xs));
      w += 32;
      xp += 4;
    }
    v128.store(out + io, a0, 0);
    v128.store(out + io, a1, 16);
  }
}

/** Scalar reference of matvecSimd: same operations, same order, bit-identical. */
export function matvecScalar(w: usize, init: usize, x: usize, K: i32, rows: i32, out: usize): void {
  const Rp = paddedRows(rows);
  for (let r = 0; r < Rp; r++) {
    const stride = packedStride(r, Rp);
    let wp = w + packedBase(r, K, Rp);
    let s = load<f32>(init + (<usize>r << 2));
    for (let k = 0; k < K; k++) {
      s = s + load<f32>(wp) * load<f32>(x + (<usize>k << 2));
      wp += stride;
    }
    store<f32>(out + (<usize>r << 2), s);
  }
}
