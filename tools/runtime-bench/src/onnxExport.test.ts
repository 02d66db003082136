// The exported ONNX is the executor's network: onnxruntime-web (WASM, in Node, full graph
// optimization) runs it on the same frame and its logits are compared with ours — argmax per pixel
// and the logits themselves — for an excised tiny model and a SegFormer-B0-shaped one, int8 (QDQ)
// and fp32. A second check reads ORT's profile: the QDQ Linear layers must run as integer GEMMs.
import {
  archLayers,
  type EdgesegModelFile,
  exportOnnx,
  type OnnxExportOptions,
  randomModelFile,
} from '@edgeseg/runtime';
import { describe, expect, it } from 'vitest';
// The runtime's excised test architecture (not exported by the package; test-only import).
import { tinyArch } from '../../../packages/runtime/src/testkit/tinyArch.js';
import { compareLogits, nhwcToNchw } from './compare.js';
import { executorLogits } from './executorLogits.js';
import { normalizeRgb, syntheticRgb } from './images.js';
import { loadOrtWeb, ortRunner } from './ortPeer.js';
import { executedOps } from './ortProfile.js';
import { segformerB0Arch } from './segformerB0.js';

// Small frames keep the test fast (ORT's session setup dominates). At larger frames int8 logits
// drift apart by rounding flips (see README, "Agreement"), which this size keeps rare.
const H = 64;
const W = 128;

async function agreement(file: EdgesegModelFile, opts: OnnxExportOptions = {}) {
  const ort = await loadOrtWeb(1);
  if (!ort) throw new Error('onnxruntime-web is not installed; it is a devDependency of this tool.');
  const rgb = syntheticRgb(W, H, 7);
  const image = normalizeRgb(rgb, file.meta.input.mean, file.meta.input.std);
  // ORT's session first: our kernel loader turns V8's baseline compiler off for the process (a
  // Node 20 workaround), after which ORT's large WASM module would take many seconds to compile.
  const runner = await ortRunner(ort, exportOnnx(file, { height: H, width: W, ...opts }), H, W);
  const ours = await executorLogits(file, image, H, W);
  const theirs = await runner.run(nhwcToNchw(image, H * W, 3));
  await runner.release();
  const pixels = ours.height * ours.width;
  expect(theirs.length).toBe(pixels * file.meta.arch.config.classes);
  return compareLogits(ours.logits, theirs, pixels, file.meta.arch.config.classes);
}

describe.each([
  ['tiny (excised)', tinyArch()],
  ['SegFormer-B0', segformerB0Arch()],
])('exported ONNX vs the executor: %s', (_name, arch) => {
  it('int8 (QDQ): argmax agrees on ≥ 99% of pixels, logits within 1% of their spread', async () => {
    const r = await agreement(randomModelFile(arch, 'int8', { height: H, width: W, seed: 5 }));
    expect(r.argmaxAgreement).toBeGreaterThanOrEqual(0.99);
    expect(r.meanAbsDiff).toBeLessThan(0.01 * r.std);
  });

  it('fp32: logits within 1e-3 relative', async () => {
    const r = await agreement(randomModelFile(arch, 'fp32', { height: H, width: W, seed: 5 }));
    expect(r.maxAbsDiff).toBeLessThan(1e-3 * r.maxAbs);
    expect(r.argmaxAgreement).toBeGreaterThanOrEqual(0.99);
  });
});

describe('larger int8 frames: ORT differs from us no more than we differ from ourselves', () => {
  // At 128×256 a few of ORT's f32 results (LayerNorm, Softmax, Erf, conv sums) differ from ours by
  // an ulp, which flips a rounding in the next QuantizeLinear now and then; the flips spread, and
  // random-weight logits are near-ties. The same happens inside our executor when every LayerNorm γ
  // moves by 2 ulps: that is the noise floor an int8 SegFormer has, and ORT must stay within it.
  it('SegFormer-B0 int8 at 128×256', async () => {
    const [h, w] = [128, 256];
    const file = randomModelFile(segformerB0Arch(), 'int8', { height: h, width: w, seed: 5 });
    const ort = await loadOrtWeb(1);
    const runner = await ortRunner(ort, exportOnnx(file), h, w);
    const image = normalizeRgb(syntheticRgb(w, h, 7), file.meta.input.mean, file.meta.input.std);
    const ours = await executorLogits(file, image, h, w);
    const theirs = await runner.run(nhwcToNchw(image, h * w, 3));
    await runner.release();
    for (const [name, t] of file.tensors) {
      if (/norm/.test(name) && name.endsWith('.weight')) {
        const g = t.data as Float32Array;
        for (let i = 0; i < g.length; i++) g[i] = Math.fround(g[i] * (1 + 2 ** -22));
      }
    }
    const nudged = await executorLogits(file, image, h, w);
    const pixels = ours.height * ours.width;
    const vsOrt = compareLogits(ours.logits, theirs, pixels, 19);
    const vsSelf = compareLogits(ours.logits, nhwcToNchw(nudged.logits, pixels, 19), pixels, 19);
    expect(vsSelf.meanAbsDiff).toBeGreaterThan(0); // the nudge did flip roundings
    expect(vsOrt.meanAbsDiff).toBeLessThan(1.5 * vsSelf.meanAbsDiff);
    expect(vsOrt.argmaxAgreement).toBeGreaterThan(vsSelf.argmaxAgreement - 0.05);
  });
});

describe('export variants', () => {
  it('opset 13 (LayerNorm decomposed) with int8 activations (S8S8) still agrees', async () => {
    const file = randomModelFile(tinyArch(), 'int8', { height: H, width: W, seed: 9 });
    const r = await agreement(file, { opset: 13, activationType: 'int8' });
    expect(r.argmaxAgreement).toBeGreaterThanOrEqual(0.99);
    expect(r.meanAbsDiff).toBeLessThan(0.01 * r.std);
  });

  it('an input size that leaves partial reduction windows (sliced before the space-to-depth)', async () => {
    const file = randomModelFile(tinyArch(), 'fp32', { seed: 2 });
    const ort = await loadOrtWeb(1);
    const [h, w] = [72, 100]; // stage 1 is 18×25: not a multiple of its 8×8 reduction
    const image = normalizeRgb(syntheticRgb(w, h, 3), file.meta.input.mean, file.meta.input.std);
    const ours = await executorLogits(file, image, h, w);
    const runner = await ortRunner(ort, exportOnnx(file, { height: h, width: w }), h, w);
    const theirs = await runner.run(nhwcToNchw(image, h * w, 3));
    await runner.release();
    const r = compareLogits(ours.logits, theirs, ours.height * ours.width, 19);
    expect(r.maxAbsDiff).toBeLessThan(1e-3 * r.maxAbs);
  });
});

describe('ONNX Runtime fuses the QDQ pattern into integer kernels', () => {
  it('every quantized Linear runs as QGemm; only attention MatMuls and convs stay float', async () => {
    const arch = tinyArch();
    const file = randomModelFile(arch, 'int8', { height: H, width: W, seed: 5 });
    const ops = await executedOps(await loadOrtWeb(1), exportOnnx(file), H, W);
    const linears = archLayers(arch).filter((l) => l.kind === 'linear').length;
    const srConvs = archLayers(arch).filter((l) => l.name.endsWith('.attn.sr')).length;
    // Linears plus the spatial-reduction convs (written as space-to-depth + MatMul), the decoder's
    // fuse as one GEMM per stage (run before the upsampling, as the executor runs it).
    expect(ops.get('QGemm')).toBe(linears + srConvs + arch.decoder.cDims.length - 1);
    // No float GEMM is left over: MatMul/Gemm/FusedGemm would mean a QDQ layer ran in f32.
    for (const op of ['MatMul', 'Gemm', 'FusedGemm']) expect(ops.get(op) ?? 0).toBe(0);
  });
});
