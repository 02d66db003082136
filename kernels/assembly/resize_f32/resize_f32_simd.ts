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
//   The column taps are computed once per call into `scratch` (16 bytes per output column, 8-byte
//   aligned, caller-owned: kernels never allocate); the per-pixel floor and conversions were most of
//   the time with few channels.
// Vectors run over channels, 16 per step, then 4; the last 1–3 are a full vector whose loads may
//   read up to 12 bytes past the pixel (into the next pixel, or the arena's 16 tail bytes after the
//   buffer) and whose store writes their lanes only. C = 1–3 run element by element (the same f32
//   operations), since 16-byte accesses on 4–12-byte pixels stall on address aliasing with y.
// The backward is four read-modify-writes of dx per dy vector, one after the other: at the image
//   border x0 = x1 (or y0 = y1) and the second must see the first.
// Numerics: forward ≤ 14 roundings of ≤ ε/2·max|corner| (bilinearF32Tolerance); backward one f32
//   multiply-add per contribution. The scalar file does the same operations: same bits.
// resize_bilinear_argmax_f32: y[b,oy,ox] = the first k with the largest resized value (the forward's
//   bits) over the c channels — a segmentation's class ids at the label size without the resized
//   logits ever being stored (c·4 bytes per pixel written and read back). Ties go to the lower
//   channel; NaN never wins, except in channel 0, which then wins outright (what a scalar
//   `if (v > best)` loop seeded with channel 0 returns). Lanes keep their own best (strict >, so the
//   lowest channel of a lane's ties) and are reduced by value, then lowest channel.
// resize_bilinear_add_f32: y[b,oy,ox,c] += the resize_bilinear_f32 value, for rowLo ≤ oy < rowHi of every
//   batch image (y is the whole output): the runtime's decoder adds each stage's upsampled partial sums
//   into stage 1's, each thread over its own rows, without storing the upsampled image and reading it
//   back (y is read, added to and written once). Output rows that share their source rows — 4 per pair
//   at ×4 and ×8, 2 at ×2 — share the horizontal lerps, as in the argmax.
// Twin: kernels/ref/resize_f32.ts (ArrayBackend.resize / resizeGrad; resizeBilinearArgmaxF32). resizeBilinearAddF32 is bit-exact.
import { laneMask, storeUpTo4 } from '../lanes';
import { checkResize, checkResizeAdd, checkResizeArgmax, colTaps, TAP_BYTES, tapI0, tapSrc } from './taps';

// @ts-ignore: decorator
@inline function lerp(a: v128, b: v128, w: v128): v128 {
  return f32x4.add(a, f32x4.mul(f32x4.sub(b, a), w));
}

export function resize_bilinear_f32__simd(
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
      const wy = f32x4.splat(<f32>(fy - <f64>y0));
      const r0 = xImg + <usize>y0 * <usize>inW * cB;
      const r1 = xImg + <usize>y1 * <usize>inW * cB;
      for (let ox = 0; ox < outW; ox++) {
        const t = scratch + <usize>ox * TAP_BYTES;
        const o0 = <usize>load<u32>(t);
        const o1 = <usize>load<u32>(t, 4);
        const wx = f32x4.splat(<f32>load<f64>(t, 8));
        const pa = r0 + o0;
        const pb = r0 + o1;
        const pc = r1 + o0;
        const pd = r1 + o1;
        if (c < 4) {
          // C = 1–3 (images, masks): element by element, the same f32 operations as a vector lane.
          // 16-byte loads and lane stores on 4–12-byte pixels ran 3× slower or faster depending on
          // where y lay relative to x (store/load address aliasing); exact-width accesses do not.
          const wxs = <f32>load<f64>(t, 8);
          const wys = f32x4.extract_lane(wy, 0);
          for (let k = 0; k < c; k++) {
            const o = <usize>k << 2;
            const a = load<f32>(pa + o);
            const top = a + (load<f32>(pb + o) - a) * wxs;
            const e = load<f32>(pc + o);
            const bot = e + (load<f32>(pd + o) - e) * wxs;
            store<f32>(yp + o, top + (bot - top) * wys);
          }
          yp += cB;
          continue;
        }
        let k = 0;
        for (; k + 16 <= c; k += 16) {
          const o = <usize>k << 2;
          const a = pa + o;
          const b = pb + o;
          const c2 = pc + o;
          const d = pd + o;
          const q = yp + o;
          v128.store(q, lerp(lerp(v128.load(a), v128.load(b), wx), lerp(v128.load(c2), v128.load(d), wx), wy));
          v128.store(q, lerp(lerp(v128.load(a, 16), v128.load(b, 16), wx), lerp(v128.load(c2, 16), v128.load(d, 16), wx), wy), 16);
          v128.store(q, lerp(lerp(v128.load(a, 32), v128.load(b, 32), wx), lerp(v128.load(c2, 32), v128.load(d, 32), wx), wy), 32);
          v128.store(q, lerp(lerp(v128.load(a, 48), v128.load(b, 48), wx), lerp(v128.load(c2, 48), v128.load(d, 48), wx), wy), 48);
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
        const w00 = f32x4.splat(<f32>((1 - wy) * (1 - wx)));
        const w01 = f32x4.splat(<f32>((1 - wy) * wx));
        const w10 = f32x4.splat(<f32>(wy * (1 - wx)));
        const w11 = f32x4.splat(<f32>(wy * wx));
        const pa = r0 + o0;
        const pb = r0 + o1;
        const pc = r1 + o0;
        const pd = r1 + o1;
        if (c < 4) {
          // C = 1–3: element by element (as in the forward), the same f32 operations as a lane.
          const s00 = f32x4.extract_lane(w00, 0);
          const s01 = f32x4.extract_lane(w01, 0);
          const s10 = f32x4.extract_lane(w10, 0);
          const s11 = f32x4.extract_lane(w11, 0);
          for (let k = 0; k < c; k++) {
            const o = <usize>k << 2;
            const g = load<f32>(gp + o);
            store<f32>(pa + o, load<f32>(pa + o) + g * s00);
            store<f32>(pb + o, load<f32>(pb + o) + g * s01);
            store<f32>(pc + o, load<f32>(pc + o) + g * s10);
            store<f32>(pd + o, load<f32>(pd + o) + g * s11);
          }
          gp += cB;
          continue;
        }
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

// The class id of one pixel from its lanes' best values and channels: largest value, then lowest
// channel; channel 0's value NaN wins outright (`first`, see the header). Reduced in SIMD, without
// branches: `best` is never NaN (only f32x4.gt ever stores into it, from −∞), so pmax finds the
// largest value, eq marks the lanes holding it (−0 and +0 alike, ties as a scalar loop sees them),
// and the lowest of their channels wins — the same choice as comparing lane after lane.
// @ts-ignore: decorator
@inline function pickClass(best: v128, idx: v128, first: f32): u8 {
  let m = f32x4.pmax(best, i32x4.shuffle(best, best, 2, 3, 0, 1));
  m = f32x4.pmax(m, i32x4.shuffle(m, m, 1, 0, 3, 2));
  let c = v128.bitselect(idx, i32x4.splat(0x7fffffff), f32x4.eq(best, m));
  c = i32x4.min_s(c, i32x4.shuffle(c, c, 2, 3, 0, 1));
  c = i32x4.min_s(c, i32x4.shuffle(c, c, 1, 0, 3, 2));
  return first != first ? 0 : <u8>i32x4.extract_lane(c, 0);
}

// Rows per group: output rows that share their source rows (y0, y1) — 4 of them at the runtime's ×4
// logits upsampling — reuse the horizontal lerps of those rows, so a 4-channel vector costs 2 of them
// per 4 pixels instead of 2 per pixel (15 → 9 vector ops a pixel, before the argmax). Same operations
// on the same values: the same bits as one row at a time.
const GROUP = 4;

export function resize_bilinear_argmax_f32__simd(
  x: usize, y: usize, batch: i32, inH: i32, inW: i32, outH: i32, outW: i32, c: i32, scratch: usize,
): void {
  checkResizeArgmax(x, y, batch, inH, inW, outH, outW, c, scratch);
  const cB = <usize>c << 2;
  const sy = <f64>inH / <f64>outH;
  colTaps(scratch, inW, outW, cB);
  const ninf = f32x4.splat(-Infinity);
  const four = i32x4.splat(4);
  const tail = c & 3;
  const tailMask = laneMask(tail);
  const oW = <usize>outW;
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>inW * cB;
    const yImg = y + <usize>b * <usize>outH * oW;
    for (let oy = 0; oy < outH; ) {
      const fy = tapSrc(oy, sy);
      const y0 = tapI0(fy, inH);
      const y1 = min(y0 + 1, inH - 1);
      const r0 = xImg + <usize>y0 * <usize>inW * cB;
      const r1 = xImg + <usize>y1 * <usize>inW * cB;
      // A full group: GROUP rows from oy on with the same y0 (then the same y1).
      let g = 1;
      while (g < GROUP && oy + g < outH && tapI0(tapSrc(oy + g, sy), inH) == y0) g++;
      if (g == GROUP) {
        const wy0 = f32x4.splat(<f32>(fy - <f64>y0));
        const wy1 = f32x4.splat(<f32>(tapSrc(oy + 1, sy) - <f64>y0));
        const wy2 = f32x4.splat(<f32>(tapSrc(oy + 2, sy) - <f64>y0));
        const wy3 = f32x4.splat(<f32>(tapSrc(oy + 3, sy) - <f64>y0));
        const yp = yImg + <usize>oy * oW;
        for (let ox = 0; ox < outW; ox++) {
          const t = scratch + <usize>ox * TAP_BYTES;
          const o0 = <usize>load<u32>(t);
          const o1 = <usize>load<u32>(t, 4);
          const wx = f32x4.splat(<f32>load<f64>(t, 8));
          const pa = r0 + o0;
          const pb = r0 + o1;
          const pc = r1 + o0;
          const pd = r1 + o1;
          let best0 = ninf;
          let best1 = ninf;
          let best2 = ninf;
          let best3 = ninf;
          let idx0 = i32x4.splat(0);
          let idx1 = idx0;
          let idx2 = idx0;
          let idx3 = idx0;
          let kv = i32x4(0, 1, 2, 3);
          let first0: f32 = 0;
          let first1: f32 = 0;
          let first2: f32 = 0;
          let first3: f32 = 0;
          let k = 0;
          for (; k + 4 <= c; k += 4) {
            const o = <usize>k << 2;
            const top = lerp(v128.load(pa + o), v128.load(pb + o), wx);
            const bot = lerp(v128.load(pc + o), v128.load(pd + o), wx);
            const v0 = lerp(top, bot, wy0);
            const v1 = lerp(top, bot, wy1);
            const v2 = lerp(top, bot, wy2);
            const v3 = lerp(top, bot, wy3);
            if (k == 0) {
              first0 = f32x4.extract_lane(v0, 0);
              first1 = f32x4.extract_lane(v1, 0);
              first2 = f32x4.extract_lane(v2, 0);
              first3 = f32x4.extract_lane(v3, 0);
            }
            const m0 = f32x4.gt(v0, best0);
            best0 = v128.bitselect(v0, best0, m0);
            idx0 = v128.bitselect(kv, idx0, m0);
            const m1 = f32x4.gt(v1, best1);
            best1 = v128.bitselect(v1, best1, m1);
            idx1 = v128.bitselect(kv, idx1, m1);
            const m2 = f32x4.gt(v2, best2);
            best2 = v128.bitselect(v2, best2, m2);
            idx2 = v128.bitselect(kv, idx2, m2);
            const m3 = f32x4.gt(v3, best3);
            best3 = v128.bitselect(v3, best3, m3);
            idx3 = v128.bitselect(kv, idx3, m3);
            kv = i32x4.add(kv, four);
          }
          if (tail) {
            const o = <usize>k << 2;
            const top = lerp(v128.load(pa + o), v128.load(pb + o), wx);
            const bot = lerp(v128.load(pc + o), v128.load(pd + o), wx);
            let v0 = lerp(top, bot, wy0);
            let v1 = lerp(top, bot, wy1);
            let v2 = lerp(top, bot, wy2);
            let v3 = lerp(top, bot, wy3);
            if (k == 0) {
              first0 = f32x4.extract_lane(v0, 0);
              first1 = f32x4.extract_lane(v1, 0);
              first2 = f32x4.extract_lane(v2, 0);
              first3 = f32x4.extract_lane(v3, 0);
            }
            v0 = v128.bitselect(v0, ninf, tailMask);
            v1 = v128.bitselect(v1, ninf, tailMask);
            v2 = v128.bitselect(v2, ninf, tailMask);
            v3 = v128.bitselect(v3, ninf, tailMask);
            const m0 = f32x4.gt(v0, best0);
            best0 = v128.bitselect(v0, best0, m0);
            idx0 = v128.bitselect(kv, idx0, m0);
            const m1 = f32x4.gt(v1, best1);
            best1 = v128.bitselect(v1, best1, m1);
            idx1 = v128.bitselect(kv, idx1, m1);
            const m2 = f32x4.gt(v2, best2);
            best2 = v128.bitselect(v2, best2, m2);
            idx2 = v128.bitselect(kv, idx2, m2);
            const m3 = f32x4.gt(v3, best3);
            best3 = v128.bitselect(v3, best3, m3);
            idx3 = v128.bitselect(kv, idx3, m3);
          }
          const q = yp + <usize>ox;
          store<u8>(q, pickClass(best0, idx0, first0));
          store<u8>(q + oW, pickClass(best1, idx1, first1));
          store<u8>(q + 2 * oW, pickClass(best2, idx2, first2));
          store<u8>(q + 3 * oW, pickClass(best3, idx3, first3));
        }
        oy += GROUP;
        continue;
      }
      // Fewer rows share the taps (borders, smaller factors, downsampling): one row.
      const wy = f32x4.splat(<f32>(fy - <f64>y0));
      let yp = yImg + <usize>oy * oW;
      for (let ox = 0; ox < outW; ox++) {
        const t = scratch + <usize>ox * TAP_BYTES;
        const o0 = <usize>load<u32>(t);
        const o1 = <usize>load<u32>(t, 4);
        const wx = f32x4.splat(<f32>load<f64>(t, 8));
        const pa = r0 + o0;
        const pb = r0 + o1;
        const pc = r1 + o0;
        const pd = r1 + o1;
        let best = ninf;
        let idx = i32x4.splat(0);
        let kv = i32x4(0, 1, 2, 3);
        let first: f32 = 0;
        let k = 0;
        for (; k + 4 <= c; k += 4) {
          const o = <usize>k << 2;
          const v = lerp(lerp(v128.load(pa + o), v128.load(pb + o), wx), lerp(v128.load(pc + o), v128.load(pd + o), wx), wy);
          if (k == 0) first = f32x4.extract_lane(v, 0);
          const m = f32x4.gt(v, best);
          best = v128.bitselect(v, best, m);
          idx = v128.bitselect(kv, idx, m);
          kv = i32x4.add(kv, four);
        }
        if (tail) {
          // The last 1–3 channels: a full vector (reads past the pixel are padded), other lanes −∞.
          const o = <usize>k << 2;
          let v = lerp(lerp(v128.load(pa + o), v128.load(pb + o), wx), lerp(v128.load(pc + o), v128.load(pd + o), wx), wy);
          if (k == 0) first = f32x4.extract_lane(v, 0);
          v = v128.bitselect(v, ninf, tailMask);
          const m = f32x4.gt(v, best);
          best = v128.bitselect(v, best, m);
          idx = v128.bitselect(kv, idx, m);
        }
        store<u8>(yp, pickClass(best, idx, first));
        yp++;
      }
      oy++;
    }
  }
}

// y[p…p+rem) += v's first rem lanes (rem 1–4); the load may read past them, as the x loads do.
// @ts-ignore: decorator
@inline function addUpTo4(p: usize, v: v128, rem: i32): void {
  storeUpTo4(p, f32x4.add(v128.load(p), v), rem);
}

// y rows yRow … yRow + (n−1)·rowB += the resize's rows with vertical weights wy0…wy(n−1) (n = 2 or
// 4, a constant at each call, so the unused lerps fold away), which share source rows r0, r1 and so
// the horizontal lerps of each 4-channel vector.
// @ts-ignore: decorator
@inline function addRowGroup(
  r0: usize, r1: usize, scratch: usize, yRow: usize, rowB: usize, outW: i32, c: i32,
  wy0: v128, wy1: v128, wy2: v128, wy3: v128, n: i32,
): void {
  const cB = <usize>c << 2;
  for (let ox = 0; ox < outW; ox++) {
    const t = scratch + <usize>ox * TAP_BYTES;
    const pa = r0 + <usize>load<u32>(t);
    const pb = r0 + <usize>load<u32>(t, 4);
    const pc = r1 + <usize>load<u32>(t);
    const pd = r1 + <usize>load<u32>(t, 4);
    const wx = f32x4.splat(<f32>load<f64>(t, 8));
    const q = yRow + <usize>ox * cB;
    for (let k = 0; k < c; k += 4) {
      const o = <usize>k << 2;
      const rem = c - k;
      const top = lerp(v128.load(pa + o), v128.load(pb + o), wx);
      const bot = lerp(v128.load(pc + o), v128.load(pd + o), wx);
      addUpTo4(q + o, lerp(top, bot, wy0), rem);
      addUpTo4(q + rowB + o, lerp(top, bot, wy1), rem);
      if (n == 4) {
        addUpTo4(q + 2 * rowB + o, lerp(top, bot, wy2), rem);
        addUpTo4(q + 3 * rowB + o, lerp(top, bot, wy3), rem);
      }
    }
  }
}

export function resize_bilinear_add_f32__simd(
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
    for (let oy = rowLo; oy < rowHi; ) {
      const fy = tapSrc(oy, sy);
      const y0 = tapI0(fy, inH);
      const y1 = min(y0 + 1, inH - 1);
      const r0 = xImg + <usize>y0 * <usize>inW * cB;
      const r1 = xImg + <usize>y1 * <usize>inW * cB;
      // Rows from oy on with the same source rows: taken 4 or 2 at a time (C ≥ 4), else one.
      let g = 1;
      if (c >= 4) while (g < 4 && oy + g < rowHi && tapI0(tapSrc(oy + g, sy), inH) == y0) g++;
      if (g == 3) g = 2;
      const yRow = yImg + <usize>oy * rowB;
      const wys = <f32>(fy - <f64>y0);
      if (g >= 2) {
        const wy0 = f32x4.splat(wys);
        const wy1 = f32x4.splat(<f32>(tapSrc(oy + 1, sy) - <f64>y0));
        if (g == 4) {
          const wy2 = f32x4.splat(<f32>(tapSrc(oy + 2, sy) - <f64>y0));
          const wy3 = f32x4.splat(<f32>(tapSrc(oy + 3, sy) - <f64>y0));
          addRowGroup(r0, r1, scratch, yRow, rowB, outW, c, wy0, wy1, wy2, wy3, 4);
        } else addRowGroup(r0, r1, scratch, yRow, rowB, outW, c, wy0, wy1, wy1, wy1, 2);
      } else {
        const wy = f32x4.splat(wys);
        for (let ox = 0; ox < outW; ox++) {
          const t = scratch + <usize>ox * TAP_BYTES;
          const pa = r0 + <usize>load<u32>(t);
          const pb = r0 + <usize>load<u32>(t, 4);
          const pc = r1 + <usize>load<u32>(t);
          const pd = r1 + <usize>load<u32>(t, 4);
          const q = yRow + <usize>ox * cB;
          if (c < 4) {
            // C = 1–3: element by element (see resize_bilinear_f32), the same f32 operations.
            const wxs = <f32>load<f64>(t, 8);
            for (let k = 0; k < c; k++) {
              const o = <usize>k << 2;
              const a = load<f32>(pa + o);
              const top = a + (load<f32>(pb + o) - a) * wxs;
              const e = load<f32>(pc + o);
              const bot = e + (load<f32>(pd + o) - e) * wxs;
              store<f32>(q + o, load<f32>(q + o) + (top + (bot - top) * wys));
            }
            continue;
          }
          const wx = f32x4.splat(<f32>load<f64>(t, 8));
          for (let k = 0; k < c; k += 4) {
            const o = <usize>k << 2;
            const top = lerp(v128.load(pa + o), v128.load(pb + o), wx);
            const bot = lerp(v128.load(pc + o), v128.load(pd + o), wx);
            addUpTo4(q + o, lerp(top, bot, wy), c - k);
          }
        }
      }
      oy += g;
    }
  }
}
