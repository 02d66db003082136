// transpose_f32_simd.ts — batched 2-D transpose, f32, WASM SIMD128.
//
// transpose_f32: y[b][j][i] = x[b][i][j] for x [batch, rows, cols] → y [batch, cols, rows]; covers
//   permute [B, N, C] ↔ [B, C, N] (perm [0, 2, 1]), and with batch = 1 any 2-D transpose.
// Cache blocking: 32×32 tiles (4 KiB of x, 4 KiB of y), so the 32 rows of x a tile reads and the 32
//   rows of y it writes stay in L1 while the tile is done; inside a tile, 4×4 blocks are loaded as 4
//   row vectors and transposed in registers with 8 shuffles (unpack low/high, then 64-bit moves).
//   The blocks of a tile are walked so that the side with the longer row stride (the one whose rows
//   collide in the same L1 sets) completes each 64-byte line in consecutive blocks.
//   Edges (rows or cols not a multiple of 4) are copied element by element.
// Reads and writes exactly the elements of x and y (vectors only where all 4 lanes are elements).
// Numerics: a copy, bit for bit. The scalar file gives the same bits.
// Twin: kernels/ref/transpose_f32.ts (ArrayBackend.permute with perm [0, 2, 1]).
import { checkTranspose } from './check';

// @ts-ignore: decorator
@inline const TILE: i32 = 32;

// One 4×4 block: rows s, s + sStride, … of x to rows d, d + dStride, … of y (byte strides).
// @ts-ignore: decorator
@inline function block4(s: usize, sStride: usize, d: usize, dStride: usize): void {
  const r0 = v128.load(s);
  const r1 = v128.load(s + sStride);
  const r2 = v128.load(s + 2 * sStride);
  const r3 = v128.load(s + 3 * sStride);
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); // a0 b0 a1 b1
  const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7); // a2 b2 a3 b3
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5); // c0 d0 c1 d1
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7); // c2 d2 c3 d3
  v128.store(d, i64x2.shuffle(t0, t2, 0, 2)); // a0 b0 c0 d0
  v128.store(d + dStride, i64x2.shuffle(t0, t2, 1, 3));
  v128.store(d + 2 * dStride, i64x2.shuffle(t1, t3, 0, 2));
  v128.store(d + 3 * dStride, i64x2.shuffle(t1, t3, 1, 3));
}

export function transpose_f32__simd(x: usize, y: usize, batch: i32, rows: i32, cols: i32): void {
  checkTranspose(x, y, batch, rows, cols);
  const xRow = <usize>cols << 2; // bytes between rows of x
  const yRow = <usize>rows << 2; // bytes between rows of y
  const plane = <usize>rows * xRow;
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>b * plane;
    const yb = y + <usize>b * plane;
    for (let i0 = 0; i0 < rows; i0 += TILE) {
      const i1 = min(rows, i0 + TILE);
      const i4 = i0 + ((i1 - i0) & ~3);
      for (let j0 = 0; j0 < cols; j0 += TILE) {
        const j1 = min(cols, j0 + TILE);
        const j4 = j0 + ((j1 - j0) & ~3);
        if (rows > cols) {
          // y rows are the longer stride (rows·4 bytes, often a multiple of 4 KiB: all in the same
          // L1 sets). Column blocks outer: the 4 rows of y a block column writes are filled left to
          // right, so each 64-byte line of y is completed by 4 consecutive blocks before it can be
          // evicted (3× faster at [8, 2048, 32] than the other order).
          for (let j = j0; j < j4; j += 4) {
            const d = yb + <usize>j * yRow;
            for (let i = i0; i < i4; i += 4) block4(xb + <usize>i * xRow + (<usize>j << 2), xRow, d + (<usize>i << 2), yRow);
          }
        } else {
          // x rows are the longer stride: row blocks outer, so each line of x is consumed by
          // consecutive blocks instead (2× faster at [8, 32, 2048]).
          for (let i = i0; i < i4; i += 4) {
            const s = xb + <usize>i * xRow;
            for (let j = j0; j < j4; j += 4) block4(s + (<usize>j << 2), xRow, yb + <usize>j * yRow + (<usize>i << 2), yRow);
          }
        }
        // Columns past the last multiple of 4 in this tile.
        for (let j = j4; j < j1; j++) {
          const d = yb + <usize>j * yRow;
          for (let i = i0; i < i4; i++) store<f32>(d + (<usize>i << 2), load<f32>(xb + <usize>i * xRow + (<usize>j << 2)));
        }
        // Rows past the last multiple of 4 in this tile.
        for (let i = i4; i < i1; i++) {
          const s = xb + <usize>i * xRow;
          for (let j = j0; j < j1; j++) store<f32>(yb + <usize>j * yRow + (<usize>i << 2), load<f32>(s + (<usize>j << 2)));
        }
      }
    }
  }
}
