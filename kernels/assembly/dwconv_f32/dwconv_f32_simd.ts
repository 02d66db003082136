// dwconv_f32_simd.ts — depthwise 2-D convolution, forward and backward, NHWC f32, WASM SIMD128.
//
// dwconv_f32:             y[b,oy,ox,c] = bias[c] + Σ_{ky,kx} x[b, oy·s−p+ky·d, ox·s−p+kx·d, c] · w[ky,kx,c]
// dwconv_grad_f32:        dx[b,iy,ix,c] += Σ w[ky,kx,c]·dy[b,oy,ox,c] over the (oy,ox,ky,kx) reading (iy,ix),
//                         dw[ky,kx,c] += Σ_{b,oy,ox} x[…]·dy[b,oy,ox,c],  db[c] += Σ_{b,oy,ox} dy[b,oy,ox,c]
// dwconv_f32_3x3s1, dwconv_grad_f32_3x3s1: the same for kH = kW = 3, stride = dilation = 1 (any pad),
//                         SegFormer's Mix-FFN conv, with a 4-pixel register tile.
// Layout: x [batch, inH, inW, c], y and dy [batch, outH, outW, c], w [kH, kW, c], bias [c] (0 = none);
//   dx (0 = not wanted) and db (0 = not wanted) and dw accumulate. Taps outside the input are skipped
//   (zero padding); outH, outW are taken as given.
// Vectors run over channels (4 per f32x4, 16 per step in the general kernels). The last 1–3 channels
//   of a pixel are computed as a full vector whose extra lanes read the next pixel (or, at the end of
//   a buffer, up to 12 bytes past it: the arena's 16 tail bytes) and are stored with lane stores:
//   nothing is ever written outside an output element.
// Forward, general: per output pixel, the rectangle of taps inside the input is found once; 16
//   channels accumulate in 4 registers over it (2 loads per vector multiply-add).
// Forward, 3×3 s1: 4 adjacent output pixels share their input columns: per input row 6 column
//   vectors and 3 weight vectors give 12 multiply-adds (13 registers: 4 sums, 6 inputs, 3 weights).
//   Border pixels (taps outside the input) go through the general per-pixel code.
// Backward dx: 3×3 s1 is a forward 3×3 s1 convolution of dy with the kernel flipped (pad' = 2 − pad),
//   accumulated into dx, the same tile code walking w backwards, row by row interleaved with the dw
//   rows so that dy streams from memory once for both; the general case scatters
//   w·dy into the taps of each output pixel (one read-modify-write of dx per tap).
// Backward dw: per (output row, tap), the outputs whose tap lies inside the input form one range;
//   (3×3 s1: per output row and tap row, a sliding window of 3 input columns over one channel
//   vector, 2 loads for 3 multiply-adds; the sums keep the general path's order, hence its bits)
//   Σ x·dy over it runs in 4 registers (16 channels), then is added to dw; the 16-channel block is
//   the outer loop (its slice of the rows stays in L1 across the taps). db sums dy rows likewise.
// Numerics: plain f32 multiply then add (no FMA), sums in the order: init (bias, or 0), taps in
//   (ky, kx) order; dw, db: per output row a register sum over ox, added to the running total. The
//   scalar file performs the same operations in the same order per lane: both give the same bits.
//   Error vs exact: ≤ γ_{n+1}·Σ|terms| (n = terms summed), `sumF32Tolerance` in @edgeseg/testing.
// Twin: kernels/ref/dwconv_f32.ts (f64), the semantics of ArrayBackend.dwconv / dwconvGrad.
import { ceilDiv, floorDiv, tapHi, tapLo } from '../conv_geom';
import { storeUpTo4 } from '../lanes';
import { checkDwconv, checkDwconvGrad } from './check';

// ---------------------------------------------------------------------------------------------------
// One output pixel over an nY × nX rectangle of taps, all inside the source:
//   dst[c] = init[c] + Σ_{i<nY, j<nX} src[sp + i·sRow + j·sCol][c] · w[wp + i·wRow + j·wCol][c]
// (byte addresses; wRow, wCol < 0 walk the kernel flipped). init = 0: start from zeros. accumulate:
// dst += that sum instead (and an empty rectangle leaves dst untouched).
// @ts-ignore: decorator
@inline function pixel(
  sp: usize, sRow: i32, sCol: i32, nY: i32, nX: i32,
  wp: usize, wRow: i32, wCol: i32, init: usize, dst: usize, C: i32, accumulate: bool,
): void {
  if (accumulate && (nY <= 0 || nX <= 0)) return;
  const zero = f32x4.splat(0);
  let c = 0;
  for (; c + 16 <= C; c += 16) {
    const cb = <usize>c << 2;
    let a0 = zero;
    let a1 = zero;
    let a2 = zero;
    let a3 = zero;
    if (init) {
      a0 = v128.load(init + cb);
      a1 = v128.load(init + cb, 16);
      a2 = v128.load(init + cb, 32);
      a3 = v128.load(init + cb, 48);
    }
    let si = sp + cb;
    let wi = wp + cb;
    for (let i = 0; i < nY; i++) {
      let s = si;
      let ww = wi;
      for (let j = 0; j < nX; j++) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load(s), v128.load(ww)));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(s, 16), v128.load(ww, 16)));
        a2 = f32x4.add(a2, f32x4.mul(v128.load(s, 32), v128.load(ww, 32)));
        a3 = f32x4.add(a3, f32x4.mul(v128.load(s, 48), v128.load(ww, 48)));
        s += <usize>sCol;
        ww += <usize>wCol;
      }
      si += <usize>sRow;
      wi += <usize>wRow;
    }
    const d = dst + cb;
    if (accumulate) {
      a0 = f32x4.add(v128.load(d), a0);
      a1 = f32x4.add(v128.load(d, 16), a1);
      a2 = f32x4.add(v128.load(d, 32), a2);
      a3 = f32x4.add(v128.load(d, 48), a3);
    }
    v128.store(d, a0);
    v128.store(d, a1, 16);
    v128.store(d, a2, 32);
    v128.store(d, a3, 48);
  }
  for (; c < C; c += 4) {
    const cb = <usize>c << 2;
    let a = init ? v128.load(init + cb) : zero;
    let si = sp + cb;
    let wi = wp + cb;
    for (let i = 0; i < nY; i++) {
      let s = si;
      let ww = wi;
      for (let j = 0; j < nX; j++) {
        a = f32x4.add(a, f32x4.mul(v128.load(s), v128.load(ww)));
        s += <usize>sCol;
        ww += <usize>wCol;
      }
      si += <usize>sRow;
      wi += <usize>wRow;
    }
    const d = dst + cb;
    if (accumulate) a = f32x4.add(v128.load(d), a);
    storeUpTo4(d, a, C - c);
  }
}

// Four adjacent output pixels of a 3×3 stride-1 conv whose 3 tap columns are all inside the source,
// over nY tap rows. sp: source row of the first tap row, at the column of the first pixel's first
// tap; wp: w(first tap row, 0). Same init / accumulate meaning as pixel().
// @ts-ignore: decorator
@inline function tile4(
  sp: usize, sRow: i32, nY: i32, wp: usize, wRow: i32, wCol: i32,
  init: usize, dst: usize, C: i32, accumulate: bool,
): void {
  if (accumulate && nY <= 0) return;
  const cB = <usize>C << 2;
  const zero = f32x4.splat(0);
  for (let c = 0; c < C; c += 4) {
    const cb = <usize>c << 2;
    let a0 = zero;
    if (init) a0 = v128.load(init + cb);
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    let s = sp + cb;
    let ww = wp + cb;
    for (let i = 0; i < nY; i++) {
      const x0 = v128.load(s);
      const x1 = v128.load(s + cB);
      const x2 = v128.load(s + 2 * cB);
      const x3 = v128.load(s + 3 * cB);
      const x4 = v128.load(s + 4 * cB);
      const x5 = v128.load(s + 5 * cB);
      const w0 = v128.load(ww);
      const w1 = v128.load(ww + <usize>wCol);
      const w2 = v128.load(ww + <usize>(2 * wCol));
      a0 = f32x4.add(a0, f32x4.mul(x0, w0));
      a1 = f32x4.add(a1, f32x4.mul(x1, w0));
      a2 = f32x4.add(a2, f32x4.mul(x2, w0));
      a3 = f32x4.add(a3, f32x4.mul(x3, w0));
      a0 = f32x4.add(a0, f32x4.mul(x1, w1));
      a1 = f32x4.add(a1, f32x4.mul(x2, w1));
      a2 = f32x4.add(a2, f32x4.mul(x3, w1));
      a3 = f32x4.add(a3, f32x4.mul(x4, w1));
      a0 = f32x4.add(a0, f32x4.mul(x2, w2));
      a1 = f32x4.add(a1, f32x4.mul(x3, w2));
      a2 = f32x4.add(a2, f32x4.mul(x4, w2));
      a3 = f32x4.add(a3, f32x4.mul(x5, w2));
      s += <usize>sRow;
      ww += <usize>wRow;
    }
    const d = dst + cb;
    if (accumulate) {
      a0 = f32x4.add(v128.load(d), a0);
      a1 = f32x4.add(v128.load(d + cB), a1);
      a2 = f32x4.add(v128.load(d + 2 * cB), a2);
      a3 = f32x4.add(v128.load(d + 3 * cB), a3);
    }
    const rem = C - c;
    storeUpTo4(d, a0, rem);
    storeUpTo4(d + cB, a1, rem);
    storeUpTo4(d + 2 * cB, a2, rem);
    storeUpTo4(d + 3 * cB, a3, rem);
  }
}

// Row oy of a 3×3 stride-1 dilation-1 depthwise conv of one image sImg [sH, sW, C] into dRow (that
// row of dst, dW pixels) with padding `pad` (may be negative: the flipped backward uses 2 − pad).
// Tap (ky, kx) weights at wp + ky·wRow + kx·wCol. Columns [lo, hi) have all 3 taps inside.
// @ts-ignore: decorator
@inline function conv3x3s1Row(
  sImg: usize, sH: i32, sW: i32, dRow: usize, dW: i32, C: i32, pad: i32, oy: i32, lo: i32, hi: i32,
  wp: usize, wRow: i32, wCol: i32, init: usize, accumulate: bool,
): void {
  const cB = C << 2;
  const sRow = sW * cB;
  const iy0 = oy - pad;
  const ky0 = max(0, -iy0);
  const nY = min(3, sH - iy0) - ky0;
  const sR = sImg + <usize>(iy0 + ky0) * <usize>sRow;
  const wR = wp + <usize>(ky0 * wRow);
  let ox = 0;
  for (; ox < lo; ox++) {
    const kx0 = max(0, pad - ox);
    const nX = min(3, sW + pad - ox) - kx0;
    const sp = sR + <usize>(ox - pad + kx0) * <usize>cB;
    pixel(sp, sRow, cB, nY, nX, wR + <usize>(kx0 * wCol), wRow, wCol, init, dRow + <usize>ox * <usize>cB, C, accumulate);
  }
  for (; ox + 4 <= hi; ox += 4) {
    tile4(sR + <usize>(ox - pad) * <usize>cB, sRow, nY, wR, wRow, wCol, init, dRow + <usize>ox * <usize>cB, C, accumulate);
  }
  for (; ox < dW; ox++) {
    const kx0 = max(0, pad - ox);
    const nX = min(3, sW + pad - ox) - kx0;
    const sp = sR + <usize>(ox - pad + kx0) * <usize>cB;
    pixel(sp, sRow, cB, nY, nX, wR + <usize>(kx0 * wCol), wRow, wCol, init, dRow + <usize>ox * <usize>cB, C, accumulate);
  }
}

// The interior columns [lo, hi) of conv3x3s1Row: all 3 taps inside the source row.
// @ts-ignore: decorator
@inline function interiorLo(dW: i32, pad: i32): i32 {
  return min(dW, max(0, pad));
}
// @ts-ignore: decorator
@inline function interiorHi(dW: i32, sW: i32, pad: i32): i32 {
  return max(interiorLo(dW, pad), min(dW, sW + pad - 2));
}

// A 3×3 stride-1 dilation-1 depthwise conv of src [batch, sH, sW, C] into dst [batch, dH, dW, C].
// @ts-ignore: decorator
@inline function conv3x3s1(
  src: usize, sH: i32, sW: i32, dst: usize, dH: i32, dW: i32, C: i32, pad: i32, batch: i32,
  wp: usize, wRow: i32, wCol: i32, init: usize, accumulate: bool,
): void {
  const cB = C << 2;
  const lo = interiorLo(dW, pad);
  const hi = interiorHi(dW, sW, pad);
  for (let b = 0; b < batch; b++) {
    const sImg = src + <usize>b * <usize>sH * <usize>sW * <usize>cB;
    for (let oy = 0; oy < dH; oy++) {
      const dRow = dst + (<usize>(b * dH + oy) * <usize>dW) * <usize>cB;
      conv3x3s1Row(sImg, sH, sW, dRow, dW, C, pad, oy, lo, hi, wp, wRow, wCol, init, accumulate);
    }
  }
}

// wt[c] += Σ_{o<n} xs[o·xStep][c] · ys[o·yStep][c] (byte steps) for 16 channels in 4 registers
// (wide) or for the `rem` (1–4) channels of one vector.
// @ts-ignore: decorator
@inline function dotColumns(xs: usize, xStep: usize, ys: usize, yStep: usize, n: i32, wt: usize, wide: bool, rem: i32): void {
  const zero = f32x4.splat(0);
  if (wide) {
    let a0 = zero;
    let a1 = zero;
    let a2 = zero;
    let a3 = zero;
    for (let o = 0; o < n; o++) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load(xs), v128.load(ys)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(xs, 16), v128.load(ys, 16)));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(xs, 32), v128.load(ys, 32)));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(xs, 48), v128.load(ys, 48)));
      xs += xStep;
      ys += yStep;
    }
    v128.store(wt, f32x4.add(v128.load(wt), a0));
    v128.store(wt, f32x4.add(v128.load(wt, 16), a1), 16);
    v128.store(wt, f32x4.add(v128.load(wt, 32), a2), 32);
    v128.store(wt, f32x4.add(v128.load(wt, 48), a3), 48);
  } else {
    let a = zero;
    for (let o = 0; o < n; o++) {
      a = f32x4.add(a, f32x4.mul(v128.load(xs), v128.load(ys)));
      xs += xStep;
      ys += yStep;
    }
    storeUpTo4(wt, f32x4.add(v128.load(wt), a), rem);
  }
}

// db[c] += Σ_{o<n} ys[o][c] (one dy row of n pixels).
// @ts-ignore: decorator
@inline function sumColumns(ys: usize, n: i32, C: i32, db: usize): void {
  const cB = <usize>C << 2;
  const zero = f32x4.splat(0);
  let c = 0;
  for (; c + 16 <= C; c += 16) {
    const cb = <usize>c << 2;
    let a0 = zero;
    let a1 = zero;
    let a2 = zero;
    let a3 = zero;
    let yp = ys + cb;
    for (let o = 0; o < n; o++) {
      a0 = f32x4.add(a0, v128.load(yp));
      a1 = f32x4.add(a1, v128.load(yp, 16));
      a2 = f32x4.add(a2, v128.load(yp, 32));
      a3 = f32x4.add(a3, v128.load(yp, 48));
      yp += cB;
    }
    const d = db + cb;
    v128.store(d, f32x4.add(v128.load(d), a0));
    v128.store(d, f32x4.add(v128.load(d, 16), a1), 16);
    v128.store(d, f32x4.add(v128.load(d, 32), a2), 32);
    v128.store(d, f32x4.add(v128.load(d, 48), a3), 48);
  }
  for (; c < C; c += 4) {
    const cb = <usize>c << 2;
    let a = zero;
    let yp = ys + cb;
    for (let o = 0; o < n; o++) {
      a = f32x4.add(a, v128.load(yp));
      yp += cB;
    }
    const d = db + cb;
    storeUpTo4(d, f32x4.add(v128.load(d), a), C - c);
  }
}

// dw of one output row for channels [c, c + 16) (wide) or [c, c + rem): every tap's range of outputs
// inside the input, one dotColumns each. The channel block is the outer loop so that its slice of
// the kH input rows and the dy row (64 bytes a pixel) stays in L1 while all kH·kW taps read it.
// @ts-ignore: decorator
@inline function rowTaps(
  xImg: usize, yRow: usize, dw: usize, c: i32, wide: bool, rem: i32,
  iy0: i32, ky0: i32, nY: i32, inW: i32, C: i32, kW: i32, s: i32, p: i32, d: i32, outW: i32,
): void {
  const cB = C << 2;
  const cb = <usize>c << 2;
  for (let ky = ky0; ky < ky0 + nY; ky++) {
    const xRow = xImg + (<usize>(iy0 + ky * d) * <usize>inW) * <usize>cB + cb;
    for (let kx = 0; kx < kW; kx++) {
      // Outputs whose tap kx is inside the row (no division in the common stride-1 case).
      const lo = s == 1 ? max(0, p - kx * d) : tapLo(kx, s, p, d);
      const hi = s == 1 ? min(outW, inW + p - kx * d) : tapHi(kx, s, p, d, inW, outW);
      if (hi <= lo) continue;
      const xs = xRow + <usize>(lo * s - p + kx * d) * <usize>cB;
      const wt = dw + <usize>(ky * kW + kx) * <usize>cB + cb;
      dotColumns(xs, <usize>(s * cB), yRow + <usize>lo * <usize>cB + cb, <usize>cB, hi - lo, wt, wide, rem);
    }
  }
}

// dw (and db) of any geometry, one output row at a time.
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
      let c = 0;
      for (; c + 16 <= C; c += 16) rowTaps(xImg, yRow, dw, c, true, 16, iy0, ky0, nY, inW, C, kW, s, p, d, outW);
      for (; c < C; c += 4) rowTaps(xImg, yRow, dw, c, false, C - c, iy0, ky0, nY, inW, C, kW, s, p, d, outW);
    }
  }
}

// dw(ky, 0..2) for one vector of channels (rem = 1–4 of them) of a 3×3 stride-1 conv, over one
// output row: a sliding window of 3 input columns meets each dy once (1 + 1 loads for 3 multiply-
// adds). Each tap's sum still runs over ox in increasing order from zero, as dotColumns does, so
// the result has the same bits as the general path (and the scalar file).
// xRow, yRow: input row iy and dy row at this vector's channel; wt: dw(ky, 0) at this channel.
// @ts-ignore: decorator
@inline function dwRow3(xRow: usize, yRow: usize, cB: i32, inW: i32, outW: i32, p: i32, wt: usize, rem: i32): void {
  const zero = f32x4.splat(0);
  const step = <usize>cB;
  let a0 = zero;
  let a1 = zero;
  let a2 = zero;
  const lo = min(outW, max(0, p));
  const hi = max(lo, min(outW, inW + p - 2));
  let ox = 0;
  for (; ox < lo; ox++) {
    const g = v128.load(yRow + <usize>ox * step);
    const ix = ox - p;
    if (ix >= 0 && ix < inW) a0 = f32x4.add(a0, f32x4.mul(v128.load(xRow + <usize>ix * step), g));
    if (ix + 1 >= 0 && ix + 1 < inW) a1 = f32x4.add(a1, f32x4.mul(v128.load(xRow + <usize>(ix + 1) * step), g));
    if (ix + 2 >= 0 && ix + 2 < inW) a2 = f32x4.add(a2, f32x4.mul(v128.load(xRow + <usize>(ix + 2) * step), g));
  }
  if (ox < hi) {
    let xp = xRow + <usize>(ox - p) * step;
    let yp = yRow + <usize>ox * step;
    let x0 = v128.load(xp);
    let x1 = v128.load(xp + step);
    xp += 2 * step;
    for (; ox < hi; ox++) {
      const x2 = v128.load(xp);
      const g = v128.load(yp);
      a0 = f32x4.add(a0, f32x4.mul(x0, g));
      a1 = f32x4.add(a1, f32x4.mul(x1, g));
      a2 = f32x4.add(a2, f32x4.mul(x2, g));
      x0 = x1;
      x1 = x2;
      xp += step;
      yp += step;
    }
  }
  for (; ox < outW; ox++) {
    const g = v128.load(yRow + <usize>ox * step);
    const ix = ox - p;
    if (ix >= 0 && ix < inW) a0 = f32x4.add(a0, f32x4.mul(v128.load(xRow + <usize>ix * step), g));
    if (ix + 1 >= 0 && ix + 1 < inW) a1 = f32x4.add(a1, f32x4.mul(v128.load(xRow + <usize>(ix + 1) * step), g));
    if (ix + 2 >= 0 && ix + 2 < inW) a2 = f32x4.add(a2, f32x4.mul(v128.load(xRow + <usize>(ix + 2) * step), g));
  }
  // A tap no output of this row reaches adds an exact +0 to dw there, as dotColumns skips it: x + 0
  // equals x except for x = −0, so skip those taps likewise.
  if (min(outW, inW + p) > max(0, p)) storeUpTo4(wt, f32x4.add(v128.load(wt), a0), rem);
  if (min(outW, inW + p - 1) > max(0, p - 1)) storeUpTo4(wt + step, f32x4.add(v128.load(wt + step), a1), rem);
  if (min(outW, inW + p - 2) > max(0, p - 2)) storeUpTo4(wt + 2 * step, f32x4.add(v128.load(wt + 2 * step), a2), rem);
}

// dwRow3 for two full channel vectors at once (xRow, yRow, wt at the first; the second 16 bytes
// on): 6 independent sums hide the latency of the adds that one vector's 3 would expose.
// @ts-ignore: decorator
@inline function dwRow3x2(xRow: usize, yRow: usize, cB: i32, inW: i32, outW: i32, p: i32, wt: usize): void {
  const zero = f32x4.splat(0);
  const step = <usize>cB;
  let a0 = zero;
  let a1 = zero;
  let a2 = zero;
  let b0 = zero;
  let b1 = zero;
  let b2 = zero;
  const lo = min(outW, max(0, p));
  const hi = max(lo, min(outW, inW + p - 2));
  let ox = 0;
  for (; ox < lo; ox++) {
    const yp = yRow + <usize>ox * step;
    const g = v128.load(yp);
    const h = v128.load(yp, 16);
    const ix = ox - p;
    if (ix >= 0 && ix < inW) {
      const xp = xRow + <usize>ix * step;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(xp), g));
      b0 = f32x4.add(b0, f32x4.mul(v128.load(xp, 16), h));
    }
    if (ix + 1 >= 0 && ix + 1 < inW) {
      const xp = xRow + <usize>(ix + 1) * step;
      a1 = f32x4.add(a1, f32x4.mul(v128.load(xp), g));
      b1 = f32x4.add(b1, f32x4.mul(v128.load(xp, 16), h));
    }
    if (ix + 2 >= 0 && ix + 2 < inW) {
      const xp = xRow + <usize>(ix + 2) * step;
      a2 = f32x4.add(a2, f32x4.mul(v128.load(xp), g));
      b2 = f32x4.add(b2, f32x4.mul(v128.load(xp, 16), h));
    }
  }
  if (ox < hi) {
    let xp = xRow + <usize>(ox - p) * step;
    let yp = yRow + <usize>ox * step;
    let x0 = v128.load(xp);
    let z0 = v128.load(xp, 16);
    let x1 = v128.load(xp + step);
    let z1 = v128.load(xp + step, 16);
    xp += 2 * step;
    for (; ox < hi; ox++) {
      const x2 = v128.load(xp);
      const z2 = v128.load(xp, 16);
      const g = v128.load(yp);
      const h = v128.load(yp, 16);
      a0 = f32x4.add(a0, f32x4.mul(x0, g));
      b0 = f32x4.add(b0, f32x4.mul(z0, h));
      a1 = f32x4.add(a1, f32x4.mul(x1, g));
      b1 = f32x4.add(b1, f32x4.mul(z1, h));
      a2 = f32x4.add(a2, f32x4.mul(x2, g));
      b2 = f32x4.add(b2, f32x4.mul(z2, h));
      x0 = x1;
      z0 = z1;
      x1 = x2;
      z1 = z2;
      xp += step;
      yp += step;
    }
  }
  for (; ox < outW; ox++) {
    const yp = yRow + <usize>ox * step;
    const g = v128.load(yp);
    const h = v128.load(yp, 16);
    const ix = ox - p;
    if (ix >= 0 && ix < inW) {
      const xp = xRow + <usize>ix * step;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(xp), g));
      b0 = f32x4.add(b0, f32x4.mul(v128.load(xp, 16), h));
    }
    if (ix + 1 >= 0 && ix + 1 < inW) {
      const xp = xRow + <usize>(ix + 1) * step;
      a1 = f32x4.add(a1, f32x4.mul(v128.load(xp), g));
      b1 = f32x4.add(b1, f32x4.mul(v128.load(xp, 16), h));
    }
    if (ix + 2 >= 0 && ix + 2 < inW) {
      const xp = xRow + <usize>(ix + 2) * step;
      a2 = f32x4.add(a2, f32x4.mul(v128.load(xp), g));
      b2 = f32x4.add(b2, f32x4.mul(v128.load(xp, 16), h));
    }
  }
  if (min(outW, inW + p) > max(0, p)) {
    v128.store(wt, f32x4.add(v128.load(wt), a0));
    v128.store(wt, f32x4.add(v128.load(wt, 16), b0), 16);
  }
  if (min(outW, inW + p - 1) > max(0, p - 1)) {
    v128.store(wt + step, f32x4.add(v128.load(wt + step), a1));
    v128.store(wt + step, f32x4.add(v128.load(wt + step, 16), b1), 16);
  }
  if (min(outW, inW + p - 2) > max(0, p - 2)) {
    v128.store(wt + 2 * step, f32x4.add(v128.load(wt + 2 * step), a2));
    v128.store(wt + 2 * step, f32x4.add(v128.load(wt + 2 * step, 16), b2), 16);
  }
}

// dw (and db) contributions of output row oy of image xImg of a 3×3 stride-1 dilation-1 conv: per
// 16-channel block, each valid tap row through dwRow3x2 / dwRow3, vector pair by vector pair.
// @ts-ignore: decorator
@inline function weightGrad3x3s1Row(
  xImg: usize, yRow: usize, dw: usize, db: usize, inH: i32, inW: i32, C: i32, p: i32, oy: i32, outW: i32,
): void {
  const cB = C << 2;
  if (db) sumColumns(yRow, outW, C, db);
  const iy0 = oy - p;
  const ky0 = max(0, -iy0);
  const ky1 = min(3, inH - iy0);
  for (let c0 = 0; c0 < C; c0 += 16) {
    const cEnd = min(C, c0 + 16);
    for (let ky = ky0; ky < ky1; ky++) {
      const xRow = xImg + (<usize>(iy0 + ky) * <usize>inW) * <usize>cB;
      const wt = dw + <usize>(ky * 3) * <usize>cB;
      let c = c0;
      for (; c + 8 <= cEnd; c += 8) {
        const cb = <usize>c << 2;
        dwRow3x2(xRow + cb, yRow + cb, cB, inW, outW, p, wt + cb);
      }
      for (; c < cEnd; c += 4) {
        const cb = <usize>c << 2;
        dwRow3(xRow + cb, yRow + cb, cB, inW, outW, p, wt + cb, cEnd - c);
      }
    }
  }
}

// dx += the adjoint of the forward taps of one output pixel: for each tap of the nY × nX rectangle,
// dx[tap][c] += w[tap][c] · g[c] (g = this pixel's dy).
// @ts-ignore: decorator
@inline function scatterPixel(
  g: usize, dp: usize, dRow: i32, dCol: i32, nY: i32, nX: i32,
  wp: usize, wRow: i32, wCol: i32, C: i32,
): void {
  if (nY <= 0 || nX <= 0) return;
  let c = 0;
  for (; c + 16 <= C; c += 16) {
    const cb = <usize>c << 2;
    const g0 = v128.load(g + cb);
    const g1 = v128.load(g + cb, 16);
    const g2 = v128.load(g + cb, 32);
    const g3 = v128.load(g + cb, 48);
    let di = dp + cb;
    let wi = wp + cb;
    for (let i = 0; i < nY; i++) {
      let t = di;
      let ww = wi;
      for (let j = 0; j < nX; j++) {
        v128.store(t, f32x4.add(v128.load(t), f32x4.mul(v128.load(ww), g0)));
        v128.store(t, f32x4.add(v128.load(t, 16), f32x4.mul(v128.load(ww, 16), g1)), 16);
        v128.store(t, f32x4.add(v128.load(t, 32), f32x4.mul(v128.load(ww, 32), g2)), 32);
        v128.store(t, f32x4.add(v128.load(t, 48), f32x4.mul(v128.load(ww, 48), g3)), 48);
        t += <usize>dCol;
        ww += <usize>wCol;
      }
      di += <usize>dRow;
      wi += <usize>wRow;
    }
  }
  for (; c < C; c += 4) {
    const cb = <usize>c << 2;
    const gv = v128.load(g + cb);
    const rem = C - c;
    let di = dp + cb;
    let wi = wp + cb;
    for (let i = 0; i < nY; i++) {
      let t = di;
      let ww = wi;
      for (let j = 0; j < nX; j++) {
        storeUpTo4(t, f32x4.add(v128.load(t), f32x4.mul(v128.load(ww), gv)), rem);
        t += <usize>dCol;
        ww += <usize>wCol;
      }
      di += <usize>dRow;
      wi += <usize>wRow;
    }
  }
}

// ---------------------------------------------------------------------------------------------------

export function dwconv_f32__simd(
  x: usize, w: usize, bias: usize, y: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkDwconv(x, w, bias, y, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  const cB = c << 2;
  const xRow = inW * cB;
  const dRow = dilation * xRow;
  const dCol = dilation * cB;
  // Columns whose kW taps are all inside: no per-pixel divisions there.
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

export function dwconv_f32_3x3s1__simd(
  x: usize, w: usize, bias: usize, y: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkDwconv(x, w, bias, y, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  assert(kH == 3 && kW == 3 && stride == 1 && dilation == 1);
  const cB = c << 2;
  conv3x3s1(x, inH, inW, y, outH, outW, c, pad, batch, w, 3 * cB, cB, bias, false);
}

export function dwconv_grad_f32__simd(
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

export function dwconv_grad_f32_3x3s1__simd(
  x: usize, w: usize, dy: usize, dx: usize, dw: usize, db: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkDwconvGrad(x, w, dy, dx, dw, db, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  assert(kH == 3 && kW == 3 && stride == 1 && dilation == 1);
  const cB = c << 2;
  // dx[iy, ix] += Σ w[ky, kx]·dy[iy + pad − ky, ix + pad − kx]: a 3×3 s1 conv of dy with the kernel
  // flipped (tap (ky', kx') = w[2 − ky', 2 − kx']) and padding 2 − pad. Row iy of it reads dy rows
  // iy + pad − 2 … iy + pad, so it runs right after the dw of dy row oy = iy + pad, while those rows
  // are still in cache: dy streams from memory once for both gradients.
  const fp = 2 - pad;
  const wf = w + <usize>(8 * cB);
  const lo = interiorLo(inW, fp);
  const hi = interiorHi(inW, outW, fp);
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>inW * <usize>cB;
    const yImg = dy + <usize>b * <usize>outH * <usize>outW * <usize>cB;
    const dImg = dx + <usize>b * <usize>inH * <usize>inW * <usize>cB;
    for (let oy = 0; oy < outH; oy++) {
      weightGrad3x3s1Row(xImg, yImg + <usize>oy * <usize>outW * <usize>cB, dw, db, inH, inW, c, pad, oy, outW);
      const iy = oy - pad;
      if (dx && iy >= 0 && iy < inH) {
        conv3x3s1Row(yImg, outH, outW, dImg + <usize>iy * <usize>inW * <usize>cB, inW, c, fp, iy, lo, hi, wf, -3 * cB, -cB, 0, true);
      }
    }
    // The dx rows whose dy rows run past the last one.
    if (dx) {
      for (let iy = max(0, outH - pad); iy < inH; iy++) {
        conv3x3s1Row(yImg, outH, outW, dImg + <usize>iy * <usize>inW * <usize>cB, inW, c, fp, iy, lo, hi, wf, -3 * cB, -cB, 0, true);
      }
    }
  }
}
