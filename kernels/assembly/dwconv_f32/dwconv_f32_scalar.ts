// dwconv_f32_scalar.ts — depthwise 2-D convolution, forward and backward, NHWC f32, scalar (hosts
// without SIMD; also the plain statement of what the SIMD file vectorizes).
//
// Operations, layout and argument meaning: as in dwconv_f32_simd.ts, whose header is the contract of
// both files. Same loop structure (per-pixel tap rectangles, the 4-pixel tile of the 3×3 s1 kernels,
// the flipped-kernel dx of 3×3 s1, per-row-and-tap dw sums) with one channel at a time in place of a
// vector. Reads and writes exactly the elements of the buffers, nothing past them.
// Numerics: each channel goes through the same f32 operations in the same order as one SIMD lane, so
//   scalar and SIMD results are identical bit for bit.
// Twin: kernels/ref/dwconv_f32.ts.
import { ceilDiv, floorDiv, tapHi, tapLo } from '../conv_geom';
import { checkDwconv, checkDwconvGrad } from './check';

// One output pixel over an nY × nX rectangle of taps inside the source (see pixel() in the SIMD file).
// @ts-ignore: decorator
@inline function pixel(
  sp: usize, sRow: i32, sCol: i32, nY: i32, nX: i32,
  wp: usize, wRow: i32, wCol: i32, init: usize, dst: usize, C: i32, accumulate: bool,
): void {
  if (accumulate && (nY <= 0 || nX <= 0)) return;
  for (let c = 0; c < C; c++) {
    const cb = <usize>c << 2;
    let a: f32 = init ? load<f32>(init + cb) : 0;
    let si = sp + cb;
    let wi = wp + cb;
    for (let i = 0; i < nY; i++) {
      let s = si;
      let ww = wi;
      for (let j = 0; j < nX; j++) {
        a += load<f32>(s) * load<f32>(ww);
        s += <usize>sCol;
        ww += <usize>wCol;
      }
      si += <usize>sRow;
      wi += <usize>wRow;
    }
    if (accumulate) a = load<f32>(dst + cb) + a;
    store<f32>(dst + cb, a);
  }
}

// Four adjacent output pixels of a 3×3 stride-1 conv, all 3 tap columns inside (see the SIMD tile4).
// @ts-ignore: decorator
@inline function tile4(
  sp: usize, sRow: i32, nY: i32, wp: usize, wRow: i32, wCol: i32,
  init: usize, dst: usize, C: i32, accumulate: bool,
): void {
  if (accumulate && nY <= 0) return;
  const cB = <usize>C << 2;
  for (let c = 0; c < C; c++) {
    const cb = <usize>c << 2;
    let a0: f32 = init ? load<f32>(init + cb) : 0;
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    let s = sp + cb;
    let ww = wp + cb;
    for (let i = 0; i < nY; i++) {
      const x0 = load<f32>(s);
      const x1 = load<f32>(s + cB);
      const x2 = load<f32>(s + 2 * cB);
      const x3 = load<f32>(s + 3 * cB);
      const x4 = load<f32>(s + 4 * cB);
      const x5 = load<f32>(s + 5 * cB);
      const w0 = load<f32>(ww);
      const w1 = load<f32>(ww + <usize>wCol);
      const w2 = load<f32>(ww + <usize>(2 * wCol));
      a0 += x0 * w0;
      a1 += x1 * w0;
      a2 += x2 * w0;
      a3 += x3 * w0;
      a0 += x1 * w1;
      a1 += x2 * w1;
      a2 += x3 * w1;
      a3 += x4 * w1;
      a0 += x2 * w2;
      a1 += x3 * w2;
      a2 += x4 * w2;
      a3 += x5 * w2;
      s += <usize>sRow;
      ww += <usize>wRow;
    }
    const d = dst + cb;
    if (accumulate) {
      a0 = load<f32>(d) + a0;
      a1 = load<f32>(d + cB) + a1;
      a2 = load<f32>(d + 2 * cB) + a2;
      a3 = load<f32>(d + 3 * cB) + a3;
    }
    store<f32>(d, a0);
    store<f32>(d + cB, a1);
    store<f32>(d + 2 * cB, a2);
    store<f32>(d + 3 * cB, a3);
  }
}

// A 3×3 stride-1 dilation-1 conv of src into dst (see conv3x3s1 in the SIMD file).
// @ts-ignore: decorator
@inline function conv3x3s1(
  src: usize, sH: i32, sW: i32, dst: usize, dH: i32, dW: i32, C: i32, pad: i32, batch: i32,
  wp: usize, wRow: i32, wCol: i32, init: usize, accumulate: bool,
): void {
  const cB = C << 2;
  const sRow = sW * cB;
  const lo = min(dW, max(0, pad));
  const hi = max(lo, min(dW, sW + pad - 2));
  for (let b = 0; b < batch; b++) {
    const sImg = src + <usize>b * <usize>sH * <usize>sRow;
    for (let oy = 0; oy < dH; oy++) {
      const iy0 = oy - pad;
      const ky0 = max(0, -iy0);
      const nY = min(3, sH - iy0) - ky0;
      const sR = sImg + <usize>(iy0 + ky0) * <usize>sRow;
      const wR = wp + <usize>(ky0 * wRow);
      const dR = dst + (<usize>(b * dH + oy) * <usize>dW) * <usize>cB;
      let ox = 0;
      for (; ox < lo; ox++) {
        const kx0 = max(0, pad - ox);
        const nX = min(3, sW + pad - ox) - kx0;
        const sp = sR + <usize>(ox - pad + kx0) * <usize>cB;
        pixel(sp, sRow, cB, nY, nX, wR + <usize>(kx0 * wCol), wRow, wCol, init, dR + <usize>ox * <usize>cB, C, accumulate);
      }
      for (; ox + 4 <= hi; ox += 4) {
        tile4(sR + <usize>(ox - pad) * <usize>cB, sRow, nY, wR, wRow, wCol, init, dR + <usize>ox * <usize>cB, C, accumulate);
      }
      for (; ox < dW; ox++) {
        const kx0 = max(0, pad - ox);
        const nX = min(3, sW + pad - ox) - kx0;
        const sp = sR + <usize>(ox - pad + kx0) * <usize>cB;
        pixel(sp, sRow, cB, nY, nX, wR + <usize>(kx0 * wCol), wRow, wCol, init, dR + <usize>ox * <usize>cB, C, accumulate);
      }
    }
  }
}

// wt[c] += Σ_{o<n} xs[o·xStep][c] · ys[o·yStep][c] for the n channels c < nc.
// @ts-ignore: decorator
@inline function dotColumns(xs: usize, xStep: usize, ys: usize, yStep: usize, n: i32, wt: usize, nc: i32): void {
  for (let c = 0; c < nc; c++) {
    const cb = <usize>c << 2;
    let a: f32 = 0;
    let xp = xs + cb;
    let yp = ys + cb;
    for (let o = 0; o < n; o++) {
      a += load<f32>(xp) * load<f32>(yp);
      xp += xStep;
      yp += yStep;
    }
    store<f32>(wt + cb, load<f32>(wt + cb) + a);
  }
}

// db[c] += Σ_{o<n} ys[o][c].
// @ts-ignore: decorator
@inline function sumColumns(ys: usize, n: i32, C: i32, db: usize): void {
  const cB = <usize>C << 2;
  for (let c = 0; c < C; c++) {
    const cb = <usize>c << 2;
    let a: f32 = 0;
    let yp = ys + cb;
    for (let o = 0; o < n; o++) {
      a += load<f32>(yp);
      yp += cB;
    }
    store<f32>(db + cb, load<f32>(db + cb) + a);
  }
}

// dw of one output row for channels [c, c + nc), nc ≤ 16 (see rowTaps in the SIMD file).
// @ts-ignore: decorator
@inline function rowTaps(
  xImg: usize, yRow: usize, dw: usize, c: i32, nc: i32,
  iy0: i32, ky0: i32, nY: i32, inW: i32, C: i32, kW: i32, s: i32, p: i32, d: i32, outW: i32,
): void {
  const cB = C << 2;
  const cb = <usize>c << 2;
  for (let ky = ky0; ky < ky0 + nY; ky++) {
    const xRow = xImg + (<usize>(iy0 + ky * d) * <usize>inW) * <usize>cB + cb;
    for (let kx = 0; kx < kW; kx++) {
      const lo = s == 1 ? max(0, p - kx * d) : tapLo(kx, s, p, d);
      const hi = s == 1 ? min(outW, inW + p - kx * d) : tapHi(kx, s, p, d, inW, outW);
      if (hi <= lo) continue;
      const xs = xRow + <usize>(lo * s - p + kx * d) * <usize>cB;
      const wt = dw + <usize>(ky * kW + kx) * <usize>cB + cb;
      dotColumns(xs, <usize>(s * cB), yRow + <usize>lo * <usize>cB + cb, <usize>cB, hi - lo, wt, nc);
    }
  }
}

// dw (and db) of any geometry, one output row and 16 channels at a time.
// @ts-ignore: decorator
@inline function weightGrad(
  x: usize, dy: usize, dw: usize, db: usize,
  batch: i32, inH: i32, inW: i32, C: i32, kH: i32, kW: i32,
  s: i32, p: i32, d: i32, outH: i32, outW: i32,
): void {
  const cB = C << 2;
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>inW * <usize>cB;
    for (let oy = 0; oy < outH; oy++) {
      const yRow = dy + (<usize>(b * outH + oy) * <usize>outW) * <usize>cB;
      if (db) sumColumns(yRow, outW, C, db);
      const iy0 = oy * s - p;
      const ky0 = max(0, ceilDiv(-iy0, d));
      const nY = min(kH, floorDiv(inH - 1 - iy0, d) + 1) - ky0;
      if (nY <= 0) continue;
      for (let c = 0; c < C; c += 16) rowTaps(xImg, yRow, dw, c, min(16, C - c), iy0, ky0, nY, inW, C, kW, s, p, d, outW);
    }
  }
}

// dx[tap][c] += w[tap][c] · g[c] over one output pixel's nY × nX rectangle of taps.
// @ts-ignore: decorator
@inline function scatterPixel(
  g: usize, dp: usize, dRow: i32, dCol: i32, nY: i32, nX: i32,
  wp: usize, wRow: i32, wCol: i32, C: i32,
): void {
  if (nY <= 0 || nX <= 0) return;
  for (let c = 0; c < C; c++) {
    const cb = <usize>c << 2;
    const gv = load<f32>(g + cb);
    let di = dp + cb;
    let wi = wp + cb;
    for (let i = 0; i < nY; i++) {
      let t = di;
      let ww = wi;
      for (let j = 0; j < nX; j++) {
        store<f32>(t, load<f32>(t) + load<f32>(ww) * gv);
        t += <usize>dCol;
        ww += <usize>wCol;
      }
      di += <usize>dRow;
      wi += <usize>wRow;
    }
  }
}

export function dwconv_f32__scalar(
  x: usize, w: usize, bias: usize, y: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkDwconv(x, w, bias, y, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  const cB = c << 2;
  const xRow = inW * cB;
  const dRow = dilation * xRow;
  const dCol = dilation * cB;
  const lo = min(outW, tapLo(0, stride, pad, dilation));
  const hi = max(lo, tapHi(kW - 1, stride, pad, dilation, inW, outW));
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>xRow;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * stride - pad;
      const ky0 = max(0, ceilDiv(-iy0, dilation));
      const nY = min(kH, floorDiv(inH - 1 - iy0, dilation) + 1) - ky0;
      const xR = xImg + <usize>(iy0 + ky0 * dilation) * <usize>xRow;
      const wR = w + <usize>(ky0 * kW) * <usize>cB;
      const yR = y + (<usize>(b * outH + oy) * <usize>outW) * <usize>cB;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * stride - pad;
        let kx0 = 0;
        let nX = kW;
        if (ox < lo || ox >= hi) {
          kx0 = max(0, ceilDiv(-ix0, dilation));
          nX = min(kW, floorDiv(inW - 1 - ix0, dilation) + 1) - kx0;
        }
        const sp = xR + <usize>(ix0 + kx0 * dilation) * <usize>cB;
        pixel(sp, dRow, dCol, nY, nX, wR + <usize>kx0 * <usize>cB, kW * cB, cB, bias, yR + <usize>ox * <usize>cB, c, false);
      }
    }
  }
}

export function dwconv_f32_3x3s1__scalar(
  x: usize, w: usize, bias: usize, y: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkDwconv(x, w, bias, y, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  assert(kH == 3 && kW == 3 && stride == 1 && dilation == 1);
  const cB = c << 2;
  conv3x3s1(x, inH, inW, y, outH, outW, c, pad, batch, w, 3 * cB, cB, bias, false);
}

export function dwconv_grad_f32__scalar(
  x: usize, w: usize, dy: usize, dx: usize, dw: usize, db: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkDwconvGrad(x, w, dy, dx, dw, db, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  const cB = c << 2;
  if (dx) {
    const xRow = inW * cB;
    for (let b = 0; b < batch; b++) {
      const dImg = dx + <usize>b * <usize>inH * <usize>xRow;
      for (let oy = 0; oy < outH; oy++) {
        const iy0 = oy * stride - pad;
        const ky0 = max(0, ceilDiv(-iy0, dilation));
        const nY = min(kH, floorDiv(inH - 1 - iy0, dilation) + 1) - ky0;
        const dR = dImg + <usize>(iy0 + ky0 * dilation) * <usize>xRow;
        const wR = w + <usize>(ky0 * kW) * <usize>cB;
        const gR = dy + (<usize>(b * outH + oy) * <usize>outW) * <usize>cB;
        for (let ox = 0; ox < outW; ox++) {
          const ix0 = ox * stride - pad;
          const kx0 = max(0, ceilDiv(-ix0, dilation));
          const nX = min(kW, floorDiv(inW - 1 - ix0, dilation) + 1) - kx0;
          const dp = dR + <usize>(ix0 + kx0 * dilation) * <usize>cB;
          scatterPixel(gR + <usize>ox * <usize>cB, dp, dilation * xRow, dilation * cB, nY, nX,
            wR + <usize>kx0 * <usize>cB, kW * cB, cB, c);
        }
      }
    }
  }
  weightGrad(x, dy, dw, db, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
}

export function dwconv_grad_f32_3x3s1__scalar(
  x: usize, w: usize, dy: usize, dx: usize, dw: usize, db: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkDwconvGrad(x, w, dy, dx, dw, db, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  assert(kH == 3 && kW == 3 && stride == 1 && dilation == 1);
  const cB = c << 2;
  if (dx) conv3x3s1(dy, outH, outW, dx, inH, inW, c, 2 - pad, batch, w + <usize>(8 * cB), -3 * cB, -cB, 0, true);
  weightGrad(x, dy, dw, db, batch, inH, inW, c, 3, 3, 1, pad, 1, outH, outW);
}
