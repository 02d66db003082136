// ref/dwconv_f32.ts — plain-TS twin of assembly/dwconv_f32/*: depthwise conv NHWC, forward and
// backward, in f64. The loops are those of ArrayBackend.dwconv / dwconvGrad (packages/autograd), the
// semantics the kernels must have; only the arithmetic is f64 so the f32 kernels are compared
// against something more accurate than themselves (sumF32Tolerance).

/** NHWC geometry, the fields of autograd's ConvGeom. */
export interface ConvGeomRef {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  kH: number;
  kW: number;
  stride: number;
  pad: number;
  dilation: number;
  outH: number;
  outW: number;
}

/** Input row (or column) of output o's tap t, or −1 when it falls outside [0, size). */
function tapAt(o: number, t: number, g: ConvGeomRef, size: number): number {
  const i = o * g.stride - g.pad + t * g.dilation;
  return i >= 0 && i < size ? i : -1;
}

/** y [batch, outH, outW, C] = bias + Σ taps x·w; x [batch, inH, inW, C], w [kH, kW, C], bias [C]. */
export function dwconvF32(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  bias: ArrayLike<number> | null,
  g: ConvGeomRef,
): Float64Array {
  const C = g.inC;
  const y = new Float64Array(g.batch * g.outH * g.outW * C);
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const yo = ((b * g.outH + oy) * g.outW + ox) * C;
        for (let c = 0; c < C; c++) y[yo + c] = bias ? bias[c] : 0;
        for (let ky = 0; ky < g.kH; ky++) {
          const iy = tapAt(oy, ky, g, g.inH);
          if (iy < 0) continue;
          for (let kx = 0; kx < g.kW; kx++) {
            const ix = tapAt(ox, kx, g, g.inW);
            if (ix < 0) continue;
            const xo = ((b * g.inH + iy) * g.inW + ix) * C;
            const wo = (ky * g.kW + kx) * C;
            for (let c = 0; c < C; c++) y[yo + c] += x[xo + c] * w[wo + c];
          }
        }
      }
    }
  }
  return y;
}

export interface DwconvGradRef {
  /** dx0 + Σ w·dy (null when no dx0 was given: dx not wanted). */
  dx: Float64Array | null;
  dw: Float64Array;
  /** db0 + Σ dy (null when no db0 was given). */
  db: Float64Array | null;
}

/**
 * The accumulating backward: dx = dx0 + Σ w·dy, dw = dw0 + Σ x·dy, db = db0 + Σ dy. dx0 / db0 null =
 * that gradient is not wanted (returned null).
 */
export function dwconvGradF32(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  dy: ArrayLike<number>,
  g: ConvGeomRef,
  dx0: ArrayLike<number> | null,
  dw0: ArrayLike<number>,
  db0: ArrayLike<number> | null,
): DwconvGradRef {
  const C = g.inC;
  const dx = dx0 ? Float64Array.from(dx0) : null;
  const dw = Float64Array.from(dw0);
  const db = db0 ? Float64Array.from(db0) : null;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const yo = ((b * g.outH + oy) * g.outW + ox) * C;
        if (db) for (let c = 0; c < C; c++) db[c] += dy[yo + c];
        for (let ky = 0; ky < g.kH; ky++) {
          const iy = tapAt(oy, ky, g, g.inH);
          if (iy < 0) continue;
          for (let kx = 0; kx < g.kW; kx++) {
            const ix = tapAt(ox, kx, g, g.inW);
            if (ix < 0) continue;
            const xo = ((b * g.inH + iy) * g.inW + ix) * C;
            const wo = (ky * g.kW + kx) * C;
            for (let c = 0; c < C; c++) {
              dw[wo + c] += x[xo + c] * dy[yo + c];
              if (dx) dx[xo + c] += w[wo + c] * dy[yo + c];
            }
          }
        }
      }
    }
  }
  return { dx, dw, db };
}

/** Output size of a conv along one axis: ⌊(in + 2p − d(k−1) − 1)/s⌋ + 1 (≥ 0). */
export function convOutSize(
  inSize: number,
  k: number,
  stride: number,
  pad: number,
  dilation: number,
): number {
  return Math.max(0, Math.floor((inSize + 2 * pad - dilation * (k - 1) - 1) / stride) + 1);
}
