// ref/resize_f32.ts — plain-TS twin of assembly/resize_f32/*: bilinear resize of NHWC images with
// align_corners = false (half-pixel centres, PyTorch's area_pixel_compute_source_index), forward and
// its adjoint, in f64. The loops of ArrayBackend.resize / resizeGrad (packages/autograd).

export interface ResizeGeomRef {
  batch: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  c: number;
}

/** Per output index: the two source indices and the weight of the second (src − i0). */
export function bilinearTaps(
  inSize: number,
  outSize: number,
): { i0: Int32Array; i1: Int32Array; w1: Float64Array } {
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const w1 = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const src = Math.max(0, (o + 0.5) * scale - 0.5);
    const f = Math.min(Math.floor(src), inSize - 1);
    i0[o] = f;
    i1[o] = Math.min(f + 1, inSize - 1);
    w1[o] = src - f;
  }
  return { i0, i1, w1 };
}

/** y [batch, outH, outW, c] from x [batch, inH, inW, c]. */
export function resizeBilinearF32(x: ArrayLike<number>, g: ResizeGeomRef): Float64Array {
  const { batch, inH, inW, outH, outW, c } = g;
  const y = new Float64Array(batch * outH * outW * c);
  const ty = bilinearTaps(inH, outH);
  const tx = bilinearTaps(inW, outW);
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const wy = ty.w1[oy];
      const r0 = (b * inH + ty.i0[oy]) * inW;
      const r1 = (b * inH + ty.i1[oy]) * inW;
      for (let ox = 0; ox < outW; ox++) {
        const wx = tx.w1[ox];
        const a = (r0 + tx.i0[ox]) * c;
        const bb = (r0 + tx.i1[ox]) * c;
        const cc = (r1 + tx.i0[ox]) * c;
        const d = (r1 + tx.i1[ox]) * c;
        const o = ((b * outH + oy) * outW + ox) * c;
        for (let k = 0; k < c; k++) {
          const top = x[a + k] + (x[bb + k] - x[a + k]) * wx;
          const bot = x[cc + k] + (x[d + k] - x[cc + k]) * wx;
          y[o + k] = top + (bot - top) * wy;
        }
      }
    }
  }
  return y;
}

/** dx0 + the adjoint of the resize applied to dy [batch, outH, outW, c]. */
export function resizeBilinearGradF32(
  dy: ArrayLike<number>,
  dx0: ArrayLike<number>,
  g: ResizeGeomRef,
): Float64Array {
  const { batch, inH, inW, outH, outW, c } = g;
  const dx = Float64Array.from(dx0);
  const ty = bilinearTaps(inH, outH);
  const tx = bilinearTaps(inW, outW);
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const wy = ty.w1[oy];
      const r0 = (b * inH + ty.i0[oy]) * inW;
      const r1 = (b * inH + ty.i1[oy]) * inW;
      for (let ox = 0; ox < outW; ox++) {
        const wx = tx.w1[ox];
        const o = ((b * outH + oy) * outW + ox) * c;
        const w00 = (1 - wy) * (1 - wx);
        const w01 = (1 - wy) * wx;
        const w10 = wy * (1 - wx);
        const w11 = wy * wx;
        const a = (r0 + tx.i0[ox]) * c;
        const bb = (r0 + tx.i1[ox]) * c;
        const cc = (r1 + tx.i0[ox]) * c;
        const d = (r1 + tx.i1[ox]) * c;
        for (let k = 0; k < c; k++) {
          const gv = dy[o + k];
          dx[a + k] += gv * w00;
          dx[bb + k] += gv * w01;
          dx[cc + k] += gv * w10;
          dx[d + k] += gv * w11;
        }
      }
    }
  }
  return dx;
}

/**
 * resizeBilinearF32's values computed in f32 with the kernels' operations (lerp a + (b − a)·w, weights
 * rounded once to f32): the exact values the SIMD and scalar kernels produce, on output rows
 * [rowLo, rowHi) of every image (other rows 0).
 */
export function resizeBilinearF32Exact(
  x: ArrayLike<number>,
  g: ResizeGeomRef,
  rowLo = 0,
  rowHi = g.outH,
): Float32Array {
  const { batch, inH, inW, outH, outW, c } = g;
  const f = Math.fround;
  const lerp = (a: number, b: number, w: number) => f(a + f(f(b - a) * w));
  const y = new Float32Array(batch * outH * outW * c);
  const ty = bilinearTaps(inH, outH);
  const tx = bilinearTaps(inW, outW);
  for (let b = 0; b < batch; b++) {
    for (let oy = rowLo; oy < rowHi; oy++) {
      const wy = f(ty.w1[oy]);
      const r0 = (b * inH + ty.i0[oy]) * inW;
      const r1 = (b * inH + ty.i1[oy]) * inW;
      for (let ox = 0; ox < outW; ox++) {
        const wx = f(tx.w1[ox]);
        const a = (r0 + tx.i0[ox]) * c;
        const bb = (r0 + tx.i1[ox]) * c;
        const cc = (r1 + tx.i0[ox]) * c;
        const d = (r1 + tx.i1[ox]) * c;
        const out = ((b * outH + oy) * outW + ox) * c;
        for (let k = 0; k < c; k++) {
          y[out + k] = lerp(lerp(x[a + k], x[bb + k], wx), lerp(x[cc + k], x[d + k], wx), wy);
        }
      }
    }
  }
  return y;
}

/**
 * Class ids [batch, outH, outW]: per output pixel, the first channel with the largest resized value,
 * the resized values computed in f32 with the kernels' operations (lerp a + (b − a)·w, weights rounded
 * once to f32) so that ties and near-ties fall the same way; channel 0 seeds the search and a later
 * channel wins only when strictly larger (NaN never does, a NaN channel 0 always does).
 */
export function resizeBilinearArgmaxF32(x: Float32Array, g: ResizeGeomRef): Uint8Array {
  const v = resizeBilinearF32Exact(x, g);
  const { c } = g;
  const y = new Uint8Array(g.batch * g.outH * g.outW);
  for (let p = 0; p < y.length; p++) {
    let best = 0;
    let bi = 0;
    for (let k = 0; k < c; k++) {
      const e = v[p * c + k];
      if (k === 0 || e > best) {
        best = e;
        bi = k;
      }
    }
    y[p] = bi;
  }
  return y;
}

/**
 * y += resizeBilinearF32(x) on output rows [rowLo, rowHi) of every image, in place: the exact f32
 * values (resizeBilinearF32Exact), each added once in f32 — the twin of resize_bilinear_add_f32.
 */
export function resizeBilinearAddF32(
  x: Float32Array,
  y: Float32Array,
  g: ResizeGeomRef,
  rowLo = 0,
  rowHi = g.outH,
): void {
  const v = resizeBilinearF32Exact(x, g, rowLo, rowHi);
  const row = g.outW * g.c;
  for (let b = 0; b < g.batch; b++) {
    for (let i = (b * g.outH + rowLo) * row, end = (b * g.outH + rowHi) * row; i < end; i++) {
      y[i] = Math.fround(y[i] + v[i]);
    }
  }
}
