import { noGrad, Rng, Tensor, tidy, WasmBackend } from '@edgeseg/autograd';
import { archFor, SegFormer } from '@edgeseg/models';
import { decodeEdgeseg, encodeEdgeseg } from '@edgeseg/runtime';
import { describe, expect, it } from 'vitest';
import { convertFloat, convertInt8 } from './convert.js';
import { foldDecoderBn } from './foldBn.js';
import { QatSegFormer } from './qatModel.js';
import { asymmetricParams } from './quantizers.js';

const be = new WasmBackend(undefined, { isa: 'simd128' });
const x = Float32Array.from({ length: 2 * 32 * 64 * 3 }, (_, i) => Math.sin(i * 0.37) * 2);
const run = (m: SegFormer) =>
  tidy(() => noGrad(() => m.forward(Tensor.from(be, [2, 32, 64, 3], x)).toArray()));
const meta = {
  classes: Array.from({ length: 19 }, (_, i) => `c${i}`),
  palette: Array.from({ length: 19 }, (_, i) => [i, i, i] as [number, number, number]),
  input: {
    height: 32,
    width: 64,
    mean: [0, 0, 0] as [number, number, number],
    std: [1, 1, 1] as [number, number, number],
  },
  provenance: { test: 'yes' },
};

function trainedLooking(): SegFormer {
  const m = new SegFormer(be, archFor('segformer-tiny'), new Rng(3));
  const r = new Rng(5);
  for (const [name, t] of m.namedTensors()) {
    const v = be.view(t.storage);
    for (let i = 0; i < t.size; i++) v[i] = name.endsWith('runningVar') ? 0.5 + r.float() : 0.2 * r.normal();
  }
  return m.eval();
}

describe('QAT', () => {
  it('folding the decoder BatchNorm into linear_fuse leaves eval-mode logits unchanged', () => {
    const m = trainedLooking();
    const f = foldDecoderBn(m).eval();
    expect(f.arch.decoder.bnFolded).toBe(true);
    expect(f.head.bn).toBeNull();
    const a = run(m);
    const b = run(f);
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    expect(max).toBeLessThan(1e-4);
  });

  it('asymmetric parameters cover the range and represent 0 exactly', () => {
    const { scale, zeroPoint } = asymmetricParams(-1, 3);
    expect(scale).toBeCloseTo(4 / 255, 9);
    expect(zeroPoint).toBe(Math.round(-128 + 1 / scale));
    expect(asymmetricParams(2, 5).zeroPoint).toBe(-128); // the range is extended to include 0
  });

  it("runs the decoder fuse before the upsampling: without quantization the float model's logits", () => {
    const m = foldDecoderBn(trainedLooking()).eval();
    const want = run(m);
    const q = new QatSegFormer(m, { observer: 'minmax' });
    // observe: the QAT decoder (Σ up(W_i·c_i) + b) with every quantizer passing its input through.
    q.setMode('observe');
    const got = run(m);
    let max = 0;
    let mag = 0;
    for (let i = 0; i < want.length; i++) {
      max = Math.max(max, Math.abs(want[i] - got[i]));
      mag = Math.max(mag, Math.abs(want[i]));
    }
    expect(max).toBeGreaterThan(0); // the other order, so not the same roundings
    expect(max).toBeLessThan(1e-5 * mag);
    q.setMode('off');
    expect(run(m)).toEqual(want); // off: the float model's own decoder
  });

  it('calibrates, fake-quantizes close to float, and converts to a valid int8 .edgeseg', () => {
    const m = foldDecoderBn(trainedLooking()).eval();
    const q = new QatSegFormer(m, { observer: 'minmax' });
    q.setMode('observe');
    run(m);
    q.finishCalibration();
    q.setMode('fake');
    const fq = run(m);
    q.setMode('off');
    const fl = run(m);
    // 8-bit fake quantization perturbs but does not destroy the logits.
    let num = 0;
    let den = 0;
    for (let i = 0; i < fl.length; i++) {
      num += (fq[i] - fl[i]) ** 2;
      den += fl[i] ** 2;
    }
    expect(Math.sqrt(num / den)).toBeLessThan(0.2);
    expect(Math.sqrt(num / den)).toBeGreaterThan(0);
    const file = convertInt8(q, meta);
    const back = decodeEdgeseg(encodeEdgeseg(file), 'q.edgeseg');
    expect(back.meta.precision).toBe('int8');
    expect(Object.keys(back.meta.quant)).toContain('stages.0.embed.proj');
    // The stored int8 weights times their scales are exactly the fake-quantized weights.
    const wq = q.weight.get('stages.1.blocks.0.attn.q')!;
    const qv = back.tensors.get('stages.1.blocks.0.attn.q.weight')!.data as Int8Array;
    const sv = back.tensors.get('stages.1.blocks.0.attn.q.wscale')!.data as Float32Array;
    q.setMode('fake');
    const w = tidy(() => wq.apply(wq.weight).toArray());
    const inF = wq.weight.shape[1];
    for (let i = 0; i < qv.length; i++) expect(w[i]).toBe(Math.fround(qv[i] * sv[Math.floor(i / inF)]));
    const f32 = decodeEdgeseg(encodeEdgeseg(convertFloat(m, meta)), 'f.edgeseg');
    expect(f32.meta.precision).toBe('fp32');
  });
});
