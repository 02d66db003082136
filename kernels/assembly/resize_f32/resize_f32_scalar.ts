// resize_f32_scalar.ts — bilinear resize of NHWC images, align_corners = false, f32, scalar (hosts
// without SIMD). Operations, layout, taps (column taps in the caller's scratch) and argument
// meaning: as in resize_f32_simd.ts, whose header is the contract of both files; one channel at a
// time in place of a vector. Reads and writes exactly the elements of the buffers.
// Numerics: the same f32 operations in the same order as one SIMD lane: the same bits.
// Twin: kernels/ref/resize_f32.ts.
import { checkResize, checkResizeAdd, checkResizeArgmax, colTaps, TAP_BYTES, tapI0, tapSrc } from './taps';

// @ts-ignore: decorator
@inline function lerp(a: f32, b: f32, w: f32): f32 {
  return a + (b - a) * w;
}

export function resize_bilinear_f32__scalar(
  x: usize, y: usize, batch: i32, inH: i32, inW: i32, outH: i32, outW: i32, c: i32, scratch: usize,
): void {
  checkResize(x, y, batch, inH, inW, outH, outW, c, scratch);
  const cB = <usize>c << 2;
  const sy = <f64>inH / <f64>outH;
  colTaps(scratch, inW, outW, cB);
  let yp = y;
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>inW * cB;
    for (let oy = 0; oy < outH; oy++) {
      const fy = tapSrc(oy, sy);
      const y0 = tapI0(fy, inH);
      const y1 = min(y0 + 1, inH - 1);
      const wy = <f32>(fy - <f64>y0);
      const r0 = xImg + <usize>y0 * <usize>inW * cB;
      const r1 = xImg + <usize>y1 * <usize>inW * cB;
      for (let ox = 0; ox < outW; ox++) {
        const t = scratch + <usize>ox * TAP_BYTES;
        const o0 = <usize>load<u32>(t);
        const o1 = <usize>load<u32>(t, 4);
        const wx = <f32>load<f64>(t, 8);
        const pa = r0 + o0;
        const pb = r0 + o1;
        const pc = r1 + o0;
        const pd = r1 + o1;
        for (let k = 0; k < c; k++) {
          const o = <usize>k << 2;
          const top = lerp(load<f32>(pa + o), load<f32>(pb + o), wx);
          const bot = lerp(load<f32>(pc + o), load<f32>(pd + o), wx);
          store<f32>(yp + o, lerp(top, bot, wy));
        }
        yp += cB;
      }
    }
  }
}

export function resize_bilinear_grad_f32__scalar(
  dy: usize, dx: usize, batch: i32, inH: i32, inW: i32, outH: i32, outW: i32, c: i32, scratch: usize,
): void {
  checkResize(dx, dy, batch, inH, inW, outH, outW, c, scratch);
  const cB = <usize>c << 2;
  const sy = <f64>inH / <f64>outH;
  colTaps(scratch, inW, outW, cB);
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
        const t = scratch + <usize>ox * TAP_BYTES;
        const o0 = <usize>load<u32>(t);
        const o1 = <usize>load<u32>(t, 4);
        const wx = load<f64>(t, 8);
        const w00 = <f32>((1 - wy) * (1 - wx));
        const w01 = <f32>((1 - wy) * wx);
        const w10 = <f32>(wy * (1 - wx));
        const w11 = <f32>(wy * wx);
        const pa = r0 + o0;
        const pb = r0 + o1;
        const pc = r1 + o0;
        const pd = r1 + o1;
        for (let k = 0; k < c; k++) {
          const o = <usize>k << 2;
          const g = load<f32>(gp + o);
          store<f32>(pa + o, load<f32>(pa + o) + g * w00);
          store<f32>(pb + o, load<f32>(pb + o) + g * w01);
          store<f32>(pc + o, load<f32>(pc + o) + g * w10);
          store<f32>(pd + o, load<f32>(pd + o) + g * w11);
        }
        gp += cB;
      }
    }
  }
}

export function resize_bilinear_argmax_f32__scalar(
  x: usize, y: usize, batch: i32, inH: i32, inW: i32, outH: i32, outW: i32, c: i32, scratch: usize,
): void {
  checkResizeArgmax(x, y, batch, inH, inW, outH, outW, c, scratch);
  const cB = <usize>c << 2;
  const sy = <f64>inH / <f64>outH;
  colTaps(scratch, inW, outW, cB);
  let yp = y;
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>inW * cB;
    for (let oy = 0; oy < outH; oy++) {
      const fy = tapSrc(oy, sy);
      const y0 = tapI0(fy, inH);
      const y1 = min(y0 + 1, inH - 1);
      const wy = <f32>(fy - <f64>y0);
      const r0 = xImg + <usize>y0 * <usize>inW * cB;
      const r1 = xImg + <usize>y1 * <usize>inW * cB;
      for (let ox = 0; ox < outW; ox++) {
        const t = scratch + <usize>ox * TAP_BYTES;
        const o0 = <usize>load<u32>(t);
        const o1 = <usize>load<u32>(t, 4);
        const wx = <f32>load<f64>(t, 8);
        let best: f32 = 0;
        let bi = 0;
        for (let k = 0; k < c; k++) {
          const o = <usize>k << 2;
          const v = lerp(
            lerp(load<f32>(r0 + o0 + o), load<f32>(r0 + o1 + o), wx),
            lerp(load<f32>(r1 + o0 + o), load<f32>(r1 + o1 + o), wx),
            wy,
          );
          if (k == 0 || v > best) {
            best = v;
            bi = k;
          }
        }
        store<u8>(yp, <u8>bi);
        yp++;
      }
    }
  }
}

export function resize_bilinear_add_f32__scalar(
  x: usize, y: usize, batch: i32, inH: i32, inW: i32, outH: i32, outW: i32, c: i32, scratch: usize,
  rowLo: i32, rowHi: i32,
): void {
  checkResizeAdd(x, y, batch, inH, inW, outH, outW, c, scratch, rowLo, rowHi);
  const cB = <usize>c << 2;
  const rowB = <usize>outW * cB;
  const sy = <f64>inH / <f64>outH;
  colTaps(scratch, inW, outW, cB);
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>inW * cB;
    const yImg = y + <usize>b * <usize>outH * rowB;
    for (let oy = rowLo; oy < rowHi; oy++) {
      const fy = tapSrc(oy, sy);
      const y0 = tapI0(fy, inH);
      const y1 = min(y0 + 1, inH - 1);
      const wy = <f32>(fy - <f64>y0);
      const r0 = xImg + <usize>y0 * <usize>inW * cB;
      const r1 = xImg + <usize>y1 * <usize>inW * cB;
      let yp = yImg + <usize>oy * rowB;
      for (let ox = 0; ox < outW; ox++) {
        const t = scratch + <usize>ox * TAP_BYTES;
        const o0 = <usize>load<u32>(t);
        const o1 = <usize>load<u32>(t, 4);
        const wx = <f32>load<f64>(t, 8);
        for (let k = 0; k < c; k++) {
          const o = <usize>k << 2;
          const v = lerp(
            lerp(load<f32>(r0 + o0 + o), load<f32>(r0 + o1 + o), wx),
            lerp(load<f32>(r1 + o0 + o), load<f32>(r1 + o1 + o), wx),
            wy,
          );
          store<f32>(yp + o, load<f32>(yp + o) + v);
        }
        yp += cB;
      }
    }
  }
}
