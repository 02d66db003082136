// bands.test.ts — the sub-calls that give a thread its band of a whole-image op: every band of the
// shapes SegFormer runs has an exact resize sub-call (so no thread waits on another's whole-image
// resize), odd ratios are either exact or refused, and the bands' results equal the whole call's
// bit for bit on the kernels themselves.
import { im2colF32, loadKernels, resizeBilinearF32 } from '@edgeseg/kernels';
import { describe, expect, it } from 'vitest';
import { convBand, resizeBand } from './bands.js';
import { viewAt } from './linear.js';
import { shareOf } from './run.js';

describe('resizeBand', () => {
  it('has an exact sub-call for every band of power-of-two resizes (decoder ×2/×4/×8, logits ×4, inputs ÷2)', () => {
    for (const [inH, outH] of [
      [64, 128],
      [32, 128],
      [16, 128],
      [128, 512],
      [1024, 512],
      [7, 28],
    ]) {
      for (const size of [2, 3, 4, 5]) {
        for (let t = 0; t < size; t++) {
          const [lo, hi] = shareOf(outH, t, size);
          const b = resizeBand(lo, hi, inH, outH);
          expect(b, `${inH}→${outH}, band ${lo}…${hi}`).not.toBeNull();
          expect(b!.outRow + b!.lead).toBe(lo);
          expect(b!.outRow + b!.outH).toBeGreaterThanOrEqual(hi);
          expect(b!.inRow + b!.inH).toBeLessThanOrEqual(inH);
        }
      }
    }
  });

  it('refuses or agrees on odd ratios, and the bands it gives equal the whole resize bit for bit', async () => {
    const k = await loadKernels();
    for (const [inH, outH, w, c] of [
      [13, 50, 7, 3],
      [100, 64, 5, 3],
      [16, 64, 9, 19],
      [25, 13, 4, 5],
    ]) {
      const x = k.from(
        'f32',
        Float32Array.from({ length: inH * w * c }, (_, i) => Math.sin(i * 0.61) * 3),
      );
      const whole = k.alloc('f32', outH * w * c);
      resizeBilinearF32(k, x, whole, { batch: 1, inH, inW: w, outH, outW: w, c });
      const want = whole.toArray();
      for (const size of [2, 3]) {
        for (let t = 0; t < size; t++) {
          const [lo, hi] = shareOf(outH, t, size);
          const b = resizeBand(lo, hi, inH, outH);
          if (!b) continue; // refused: the caller resizes the whole image on one thread
          const y = k.alloc('f32', b.outH * w * c);
          resizeBilinearF32(k, viewAt(k, x, b.inRow * w * c), y, {
            batch: 1,
            inH: b.inH,
            inW: w,
            outH: b.outH,
            outW: w,
            c,
          });
          const got = y.toArray().subarray(b.lead * w * c, (b.lead + hi - lo) * w * c);
          expect(got, `${inH}→${outH}, band ${lo}…${hi} of ${size}`).toEqual(
            want.subarray(lo * w * c, hi * w * c),
          );
          y.release();
        }
      }
    }
  });
});

describe('convBand', () => {
  it('gives im2col rows equal to the whole call’s, for patch embeds, reductions and odd sizes', async () => {
    const k = await loadKernels();
    for (const [h, w, c, ks, s, p] of [
      [37, 11, 3, 7, 4, 3],
      [20, 9, 5, 3, 2, 1],
      [16, 8, 4, 8, 8, 0],
      [13, 6, 3, 3, 1, 1],
    ]) {
      const outH = Math.floor((h + 2 * p - ks) / s) + 1;
      const outW = Math.floor((w + 2 * p - ks) / s) + 1;
      const kk = ks * ks * c;
      const x = k.from(
        'f32',
        Float32Array.from({ length: h * w * c }, (_, i) => i + 1),
      );
      const geom = { batch: 1, inW: w, inC: c, kH: ks, kW: ks, stride: s, pad: p, dilation: 1, outW };
      const whole = k.alloc('f32', outH * outW * kk);
      im2colF32(k, x, whole, { ...geom, inH: h, outH });
      const want = whole.toArray();
      for (const size of [2, 3, 4]) {
        for (let t = 0; t < size; t++) {
          const [lo, hi] = shareOf(outH, t, size);
          if (lo === hi) continue;
          const b = convBand(lo, hi, h, outH, ks, s, p);
          const cols = k.alloc('f32', b.outH * outW * kk);
          im2colF32(k, viewAt(k, x, b.inRow * w * c), cols, { ...geom, inH: b.inH, outH: b.outH });
          const got = cols.toArray().subarray(b.lead * outW * kk, (b.lead + hi - lo) * outW * kk);
          expect(got, `k${ks} s${s} p${p} ${h}×${w}, band ${lo}…${hi} of ${size}`).toEqual(
            want.subarray(lo * outW * kk, hi * outW * kk),
          );
          cols.release();
        }
      }
    }
  });
});
