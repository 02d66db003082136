// The converted integer model, run by the runtime's executor, against the QAT fake-quant model it
// came from (and the FP32 path against the float model): DESIGN §3.2 / issue 6's equivalence bar.
import { noGrad, Rng, Tensor, tidy, WasmBackend } from '@edgeseg/autograd';
import { archFor, SegFormer } from '@edgeseg/models';
import { decodeEdgeseg, encodeEdgeseg, SegFormerExecutor } from '@edgeseg/runtime';
import { describe, expect, it } from 'vitest';
import { convertFloat, convertInt8 } from './convert.js';
import { foldDecoderBn } from './foldBn.js';
import { QatSegFormer } from './qatModel.js';

const be = new WasmBackend(undefined, { isa: 'simd128' });
const H = 64;
const W = 128;
const meta = {
  classes: Array.from({ length: 19 }, (_, i) => `c${i}`),
  palette: Array.from({ length: 19 }, (_, i) => [i, i, i] as [number, number, number]),
  input: {
    height: H,
    width: W,
    mean: [0, 0, 0] as [number, number, number],
    std: [1, 1, 1] as [number, number, number],
  },
  provenance: {},
};

function model(): SegFormer {
  const m = new SegFormer(be, archFor('segformer-tiny'), new Rng(3));
  const r = new Rng(5);
  for (const [name, t] of m.namedTensors()) {
    const v = be.view(t.storage);
    for (let i = 0; i < t.size; i++) v[i] = name.endsWith('runningVar') ? 0.5 + r.float() : 0.15 * r.normal();
  }
  return foldDecoderBn(m.eval()).eval();
}

const images = (n: number, seed: number) => {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: H * W * 3 }, () => r.normal()));
};

function argmax(v: Float32Array, c: number): Uint8Array {
  const out = new Uint8Array(v.length / c);
  for (let i = 0; i < out.length; i++) {
    let b = 0;
    for (let k = 1; k < c; k++) if (v[i * c + k] > v[i * c + b]) b = k;
    out[i] = b;
  }
  return out;
}

function runExecutor(ex: SegFormerExecutor, img: Float32Array): Float32Array {
  const buf = ex.k.from('f32', img);
  const { logits } = ex.forward(buf, H, W);
  const out = logits.toArray();
  buf.release();
  return out.slice(0, (H / 4) * (W / 4) * 19) as Float32Array;
}

describe('executor vs the model it was converted from', () => {
  it('FP32 path: the same logits as the float model (max |Δ| ≤ 1e-5 of the largest logit)', () => {
    const m = model();
    const ex = new SegFormerExecutor(
      be.kernels,
      decodeEdgeseg(encodeEdgeseg(convertFloat(m, meta)), 'f.edgeseg'),
    );
    for (const img of images(2, 1)) {
      const want = tidy(() => noGrad(() => m.forward(Tensor.from(be, [1, H, W, 3], img)).toArray()));
      const got = runExecutor(ex, img);
      let max = 0;
      let mag = 0;
      for (let i = 0; i < want.length; i++) {
        max = Math.max(max, Math.abs(want[i] - got[i]));
        mag = Math.max(mag, Math.abs(want[i]));
      }
      // The executor runs the decoder's fuse before the upsampling (Σ up(W_i·c_i), exact in real
      // arithmetic): only the f32 rounding order differs from the float model's concat.
      expect(max).toBeLessThan(1e-5 * mag);
    }
    ex.release();
  });

  // An untrained model has logits a hair apart, so a rounding flip upstream can move the argmax; the
  // issue's ≥ 99.5% bar is measured on trained models in the pipeline tests (test/) and reported.
  it('INT8 path: logits within 1% of the QAT fake-quant model, argmax agreeing on ≥ 98% even untrained', () => {
    const m = model();
    const q = new QatSegFormer(m, { observer: 'minmax' });
    q.setMode('observe');
    for (const img of images(3, 2)) tidy(() => noGrad(() => m.forward(Tensor.from(be, [1, H, W, 3], img))));
    q.finishCalibration();
    q.setMode('fake');
    const ex = new SegFormerExecutor(
      be.kernels,
      decodeEdgeseg(encodeEdgeseg(convertInt8(q, meta)), 'q.edgeseg'),
    );
    let agree = 0;
    let total = 0;
    for (const img of images(3, 3)) {
      const want = tidy(() =>
        noGrad(() => m.forward(Tensor.from(be, [1, H, W, 3], img)).toArray()),
      ) as Float32Array;
      const got = runExecutor(ex, img);
      // Differences come only from float rounding order (the integer math is exact): tiny next to the logits.
      let diff = 0;
      let mag = 0;
      for (let i = 0; i < want.length; i++) {
        diff += Math.abs(want[i] - got[i]);
        mag += Math.abs(want[i]);
      }
      expect(diff / mag).toBeLessThan(0.01);
      const a = argmax(want, 19);
      const b = argmax(got, 19);
      for (let i = 0; i < a.length; i++) agree += a[i] === b[i] ? 1 : 0;
      total += a.length;
    }
    expect(agree / total).toBeGreaterThanOrEqual(0.98);
    // Memory is planned: a second pass over the same size allocates nothing.
    const before = be.kernels.arena.stats.reservedBytes;
    runExecutor(ex, images(1, 4)[0]);
    expect(be.kernels.arena.stats.reservedBytes).toBe(before);
    ex.release();
  });
});
