// ref/transpose_f32.ts — plain-TS twin of assembly/transpose_f32/*: y[b][j][i] = x[b][i][j], the
// permute of [batch, rows, cols] by [0, 2, 1] (ArrayBackend.permute).

export function transposeF32(x: ArrayLike<number>, batch: number, rows: number, cols: number): Float64Array {
  const y = new Float64Array(batch * rows * cols);
  for (let b = 0; b < batch; b++) {
    const o = b * rows * cols;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) y[o + j * rows + i] = x[o + i * cols + j];
  }
  return y;
}
