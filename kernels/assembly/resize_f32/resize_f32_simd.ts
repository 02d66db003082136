// resize_f32_simd.ts — bilinear resize of NHWC images, align_corners = false, f32, WASM SIMD128.
//
// resize_bilinear_f32:      y[b,oy,ox,c] = lerp(lerp(x[b,y0,x0,c], x[b,y0,x1,c], wx),
//                                              lerp(x[b,y1,x0,c], x[b,y1,x1,c], wx), wy)
//                           with lerp(a, b, w) = a + (b − a)·w (the reference's operation order).
// resize_bilinear_grad_f32: dx[b,·,·,c] += dy[b,oy,ox,c]·w for the 4 (pixel, weight) pairs of every
//                           output: (y0,x0,(1−wy)(1−wx)), (y0,x1,(1−wy)wx), (y1,x0,wy(1−wx)), (y1,x1,wy·wx),
//                           in that order (accumulates; it is the adjoint of the forward).
// Layout: x / dx [batch, inH, inW, c], y / dy [batch, outH, outW, c]; up- and down-sampling alike.
// Taps (y0, y1, wy per output row, x0, x1, wx per output column): taps.ts, in f64 exactly as the
//   reference, the weights rounded once to f32 (the 4 products of the backward in f64, then rounded).
// Vectors run over channels, 16 per step, then 4; the last 1–3 are a full vector whose loads may
//   read up to 12 bytes past the pixel (into the next pixel, or the arena's 16 tail bytes after the
//   buffer) and whose store writes their lanes only. C = 1–3 run the same code as one short vector.
// The backward is four read-modify-writes of dx per dy vector, one after the other: at the image
//   border x0 = x1 (or y0 = y1) and the second must see the first.
// Numerics: forward ≤ 14 roundings of ≤ ε/2·max|corner| (bilinearF32Tolerance); backward one f32
//   multiply-add per contribution. The scalar file does the same operations: same bits.
// Twin: kernels/ref/resize_f32.ts (ArrayBackend.resize / resizeGrad).
import { storeUpTo4 } from '../lanes';
import { checkResize, tapI0, tapSrc } from './taps';

// @ts-ignore: decorator
@inline function lerp(a: v128, b: v128, w: v128): v128 {
  return f32x4.add(a, f32x4.mul(f32x4.sub(b, a), w));
}

export function resize_bilinear_f32__simd(
  x: usize, y: usize, batch: i32, inH: i32, inW: i32, outH: i32, outW: i32, c: i32,
): void {
  checkResize(x, y, batch, inH, inW, outH, outW, c);
  const cB = <usize>c << 2;
  const sy = <f64>inH / <f64>outH;
  const sx = <f64>inW / <f64>outW;
  let yp = y;
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>inW * cB;
    for (let oy = 0; oy < outH; oy++) {
      const fy = tapSrc(oy, sy);
      const y0 = tapI0(fy, inH);
      const y1 = min(y0 + 1, inH - 1);
      const wy = f32x4.splat(<f32>(fy - <f64>y0));
      const r0 = xImg + <usize>y0 * <usize>inW * cB;
      const r1 = xImg + <usize>y1 * <usize>inW * cB;
      for (let ox = 0; ox < outW; ox++) {
        const fx = tapSrc(ox, sx);
        const x0 = tapI0(fx, inW);
        const x1 = min(x0 + 1, inW - 1);
        const wx = f32x4.splat(<f32>(fx - <f64>x0));
        const pa = r0 + <usize>x0 * cB;
        const pb = r0 + <usize>x1 * cB;
        const pc = r1 + <usize>x0 * cB;
        const pd = r1 + <usize>x1 * cB;
        let k = 0;
        for (; k + 16 <= c; k += 16) {
          const o = <usize>k << 2;
          for (let v: usize = 0; v < 64; v += 16) {
            const top = lerp(v128.load(pa + o + v), v128.load(pb + o + v), wx);
            const bot = lerp(v128.load(pc + o + v), v128.load(pd + o + v), wx);
            v128.store(yp + o + v, lerp(top, bot, wy));
          }
        }
        for (; k < c; k += 4) {
          const o = <usize>k << 2;
          const top = lerp(v128.load(pa + o), v128.load(pb + o), wx);
          const bot = lerp(v128.load(pc + o), v128.load(pd + o), wx);
          storeUpTo4(yp + o, lerp(top, bot, wy), c - k);
        }
        yp += cB;
      }
    }
  }
}

export function resize_bilinear_grad_f32__simd(
  dy: usize, dx: usize, batch: i32, inH: i32, inW: i32, outH: i32, outW: i32, c: i32,
): void {
  checkResize(dx, dy, batch, inH, inW, outH, outW, c);
  const cB = <usize>c << 2;
  const sy = <f64>inH / <f64>outH;
  const sx = <f64>inW / <f64>outW;
  let gp = dy;
  for (let b = 0; b < batch; b++) {
    const dImg = dx + <usize>b * <usize>inH * <usize>inW * cB;
    for (let oy = 0; oy < outH; oy++) {
      const fy = tapSrc(oy, sy);
      const y0 = tapI0(fy, inH);
      const y1 = min(y0 + 1, inH - 1);
      const wy: f64 = fy - <f64>y0;
      const r0 = dImg + <usize>y0 * <usize>inW * cB;
      const r1 = dImg + <usize>y1 * <usize>inW * cB;
      for (let ox = 0; ox < outW; ox++) {
        const fx = tapSrc(ox, sx);
        const x0 = tapI0(fx, inW);
        const x1 = min(x0 + 1, inW - 1);
        const wx: f64 = fx - <f64>x0;
        const w00 = f32x4.splat(<f32>((1 - wy) * (1 - wx)));
        const w01 = f32x4.splat(<f32>((1 - wy) * wx));
        const w10 = f32x4.splat(<f32>(wy * (1 - wx)));
        const w11 = f32x4.splat(<f32>(wy * wx));
        const pa = r0 + <usize>x0 * cB;
        const pb = r0 + <usize>x1 * cB;
        const pc = r1 + <usize>x0 * cB;
        const pd = r1 + <usize>x1 * cB;
        let k = 0;
        for (; k + 4 <= c; k += 4) {
          const o = <usize>k << 2;
          const g = v128.load(gp + o);
          v128.store(pa + o, f32x4.add(v128.load(pa + o), f32x4.mul(g, w00)));
          v128.store(pb + o, f32x4.add(v128.load(pb + o), f32x4.mul(g, w01)));
          v128.store(pc + o, f32x4.add(v128.load(pc + o), f32x4.mul(g, w10)));
          v128.store(pd + o, f32x4.add(v128.load(pd + o), f32x4.mul(g, w11)));
        }
        if (k < c) {
          const o = <usize>k << 2;
          const rem = c - k;
          const g = v128.load(gp + o);
          storeUpTo4(pa + o, f32x4.add(v128.load(pa + o), f32x4.mul(g, w00)), rem);
          storeUpTo4(pb + o, f32x4.add(v128.load(pb + o), f32x4.mul(g, w01)), rem);
          storeUpTo4(pc + o, f32x4.add(v128.load(pc + o), f32x4.mul(g, w10)), rem);
          storeUpTo4(pd + o, f32x4.add(v128.load(pd + o), f32x4.mul(g, w11)), rem);
        }
        gp += cB;
      }
    }
  }
}
