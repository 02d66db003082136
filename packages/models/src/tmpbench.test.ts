import { AdamW, ops, Rng, Tensor, tidy } from '@edgeseg/autograd';
import { it } from 'vitest';
import { WasmBackend } from '../../autograd/src/backend/wasm.js';
import { archFor } from './arch.js';
import { SegFormer } from './segformer.js';

it('bench', () => {
  const be = new WasmBackend(undefined, { isa: 'simd128' });
  const prof = new Map<string, number>();
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(be));
  for (const name of [
    'gemm',
    'unary',
    'unaryGrad',
    'binary',
    'affine',
    'reduce',
    'softmax',
    'softmaxGrad',
    'layerNorm',
    'layerNormGrad',
    'im2col',
    'col2im',
    'dwconv',
    'dwconvGrad',
    'resize',
    'resizeGrad',
    'permute',
    'copy',
    'fill',
  ]) {
    const orig = (be as any)[name].bind(be);
    (be as any)[name] = (...a: any[]) => {
      const t = performance.now();
      const r = orig(...a);
      prof.set(name, (prof.get(name) ?? 0) + performance.now() - t);
      return r;
    };
  }
  const m = new SegFormer(be, archFor('segformer-b0'), new Rng(1));
  const opt = new AdamW(m.parameters(), 1e-4);
  const B = 8,
    H = 128,
    W = 256;
  const x = Float32Array.from({ length: B * H * W * 3 }, (_, i) => Math.sin(i * 0.01));
  const labels = Uint8Array.from({ length: B * H * W }, (_, i) => i % 19);
  const step = () =>
    tidy(() => {
      opt.zeroGrad();
      const logits = m.forward(Tensor.from(be, [B, H, W, 3], x));
      const loss = ops.crossEntropy(ops.resize(logits, H, W), labels);
      loss.backward();
      opt.update();
    });
  step();
  step();
  prof.clear();
  const t0 = performance.now();
  step();
  const total = performance.now() - t0;
  console.log('total', total.toFixed(0));
  for (const [k, v] of [...prof].sort((a, b) => b[1] - a[1])) console.log(k, v.toFixed(0));
}, 600000);
