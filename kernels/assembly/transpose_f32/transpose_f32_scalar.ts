// transpose_f32_scalar.ts — batched 2-D transpose, f32, scalar (hosts without SIMD).
// y[b][j][i] = x[b][i][j], x [batch, rows, cols] → y [batch, cols, rows]: the same 32×32 tiles as
// transpose_f32_simd.ts (whose header is the contract of both files), element by element inside.
// Reads and writes exactly the elements of x and y. A copy: the same bits as the SIMD file.
// Twin: kernels/ref/transpose_f32.ts.
import { checkTranspose } from './check';

// @ts-ignore: decorator
@inline const TILE: i32 = 32;

export function transpose_f32__scalar(x: usize, y: usize, batch: i32, rows: i32, cols: i32): void {
  checkTranspose(x, y, batch, rows, cols);
  const xRow = <usize>cols << 2;
  const yRow = <usize>rows << 2;
  const plane = <usize>rows * xRow;
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>b * plane;
    const yb = y + <usize>b * plane;
    for (let i0 = 0; i0 < rows; i0 += TILE) {
      const i1 = min(rows, i0 + TILE);
      for (let j0 = 0; j0 < cols; j0 += TILE) {
        const j1 = min(cols, j0 + TILE);
        for (let i = i0; i < i1; i++) {
          const s = xb + <usize>i * xRow;
          for (let j = j0; j < j1; j++) store<f32>(yb + <usize>j * yRow + (<usize>i << 2), load<f32>(s + (<usize>j << 2)));
        }
      }
    }
  }
}
