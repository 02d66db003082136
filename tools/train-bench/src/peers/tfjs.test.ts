// The tfjs-backend-wasm training peer: tfjs loads (a devDependency: failing to load fails the test), the
// gradient workarounds agree with a direct computation, a tiny SegFormer trains, the XNNPACK routing
// changes no gradient, and the resize-gradient finding holds.
import { segformerConfig } from '@edgeseg/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTfjsWasm, type Tf, type TfTensor } from './tfjs.js';
import {
  benchOursBlock,
  benchTfjsBlock,
  benchTfjsTraining,
  checkResizeGrad,
  synthBatch,
} from './tfjsBench.js';
import {
  installGradWorkarounds,
  missingBackpropKernels,
  probeMissingGradients,
  routeMatmulsToXnnpack,
} from './tfjsGrads.js';
import { oneHotLabels, segLoss, TfSegFormer } from './tfjsSegformer.js';

// biome-ignore lint/suspicious/noExplicitAny: tfjs's rank-typed op signatures.
type Any = any;

let tf: Tf;
beforeAll(async () => {
  tf = await loadTfjsWasm();
});

/** Direct NHWC conv (or depthwise conv) and the gradients of Σ y·r w.r.t. x and the filter. */
function refConv(
  x: Float32Array,
  [b, h, w, ci]: number[],
  f: Float32Array,
  k: number,
  co: number,
  s: number,
  p: number,
  depthwise: boolean,
  r: Float32Array,
) {
  const ho = Math.floor((h + 2 * p - k) / s) + 1;
  const wo = Math.floor((w + 2 * p - k) / s) + 1;
  const y = new Float64Array(b * ho * wo * co);
  const dx = new Float64Array(x.length);
  const df = new Float64Array(f.length);
  for (let n = 0; n < b; n++)
    for (let oy = 0; oy < ho; oy++)
      for (let ox = 0; ox < wo; ox++)
        for (let o = 0; o < co; o++) {
          const yi = ((n * ho + oy) * wo + ox) * co + o;
          for (let i = 0; i < k; i++)
            for (let j = 0; j < k; j++) {
              const iy = oy * s - p + i;
              const ix = ox * s - p + j;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              for (let c = depthwise ? o : 0; c < (depthwise ? o + 1 : ci); c++) {
                const xi = ((n * h + iy) * w + ix) * ci + c;
                const fi = depthwise ? (i * k + j) * ci + c : ((i * k + j) * ci + c) * co + o;
                y[yi] += x[xi] * f[fi];
                dx[xi] += r[yi] * f[fi];
                df[fi] += r[yi] * x[xi];
              }
            }
        }
  return { y, dx, df, outShape: [b, ho, wo, co] };
}

const rand = (n: number, seed: number) => {
  let k = seed;
  return Float32Array.from({ length: n }, () => {
    k = (Math.imul(k, 1103515245) + 12345) | 0;
    return ((k >>> 8) / 2 ** 24) * 2 - 1;
  });
};

function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  let scale = 1e-6;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m / scale;
}

describe('tfjs-backend-wasm training peer', () => {
  it('loads tfjs on the wasm backend and finds exactly the conv gradients missing', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(missingBackpropKernels(tf)).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'DepthwiseConv2dNativeBackpropFilter',
    ]);
    const failing = probeMissingGradients(tf)
      .filter((p) => p.error)
      .map((p) => p.op);
    expect(failing).toEqual([
      'conv2d k7/s4/p3',
      'conv2d k3/s2/p1',
      'conv2d k=s=2 (sr)',
      'depthwiseConv2d 3×3',
    ]);
  });

  it.each([
    ['patch embed k7/s4/p3', [2, 16, 12, 3], 7, 4, 4, 3, false],
    ['patch embed k3/s2/p1', [2, 8, 6, 5], 3, 6, 2, 1, false],
    ['sr conv k=s=4', [2, 8, 8, 4], 4, 4, 4, 0, false],
    ['dwconv 3×3', [2, 5, 6, 4], 3, 4, 1, 1, true],
  ] as const)('the %s gradient workaround matches a direct computation', (_, xs, k, co, s, p, dw) => {
    installGradWorkarounds(tf);
    const ci = xs[3];
    const x = rand(
      xs.reduce((a, b) => a * b, 1),
      3,
    );
    const f = rand(k * k * ci * (dw ? 1 : co), 5);
    const ref0 = refConv(x, [...xs], f, k, co, s, p, dw, new Float32Array(0));
    const r = rand(ref0.y.length, 7);
    const ref = refConv(x, [...xs], f, k, co, s, p, dw, r);
    const [y, dx, df] = tf.tidy(() => {
      const xt = tf.tensor(x, [...xs]);
      const ft = tf.tensor(f, dw ? [k, k, ci, 1] : [k, k, ci, co]);
      const rt = tf.tensor(r, ref.outShape);
      const conv = (a: TfTensor, b: TfTensor) =>
        dw
          ? tf.depthwiseConv2d(a as Any, b as Any, 1, 'same')
          : tf.conv2d(a as Any, b as Any, s, p === 0 ? 'valid' : p);
      const g = tf.grads((a: TfTensor, b: TfTensor) => tf.sum(tf.mul(conv(a, b), rt)))([xt, ft]);
      return [conv(xt, ft).dataSync(), g[0].dataSync(), g[1].dataSync()];
    });
    expect(maxRelErr(y, ref.y)).toBeLessThan(1e-5);
    expect(maxRelErr(dx, ref.dx)).toBeLessThan(1e-5);
    expect(maxRelErr(df, ref.df)).toBeLessThan(1e-5);
  });

  const tiny = {
    ...segformerConfig('segformer-tiny'),
    dims: [8, 8],
    depths: [1, 1],
    heads: [1, 1],
    srRatios: [2, 1],
    patchSizes: [7, 3],
    strides: [4, 2],
    decoderDim: 8,
    dropPath: 0,
  };

  it('trains a tiny 2-stage SegFormer (width 8, 16×32): finite loss that decreases', async () => {
    const r = await benchTfjsTraining({
      arch: 'tiny',
      config: tiny,
      height: 16,
      width: 32,
      batch: 2,
      steps: 6,
      warmup: 0,
      seed: 1,
      xnnpack: false,
      lr: 1e-3,
    });
    expect(Number.isFinite(r.loss.first)).toBe(true);
    expect(Number.isFinite(r.loss.last)).toBe(true);
    expect(r.loss.last).toBeLessThan(r.loss.first - 0.05);
    expect(r.imagesPerSec).toBeGreaterThan(0);
    expect(r.wasmHeapMiB).toBeGreaterThan(0);
  });

  it('routing matmuls through XNNPACK changes no gradient', async () => {
    installGradWorkarounds(tf);
    const { x, y } = synthBatch(2, 16, 32, 1);
    const grads = (xnn: boolean) => {
      routeMatmulsToXnnpack(tf, xnn);
      const model = new TfSegFormer(tf, tiny, 2);
      try {
        return tf.tidy(() => {
          const xs = tf.tensor(x, [2, 16, 32, 3]);
          const { oneHot, valid } = oneHotLabels(tf, y, [2, 16, 32], tiny.classes);
          // Eval mode: no dropout mask, BN on running statistics — the same function both times.
          const { grads } = tf.variableGrads(
            () => segLoss(tf, model.forward(xs, false), oneHot, valid) as Any,
            model.params,
          );
          return model.params.map((p) => grads[p.name].dataSync());
        });
      } finally {
        model.dispose();
        routeMatmulsToXnnpack(tf, false);
      }
    };
    const plain = grads(false);
    const xnn = grads(true);
    expect(plain.length).toBe(xnn.length);
    for (let i = 0; i < plain.length; i++) expect(maxRelErr(xnn[i], plain[i])).toBeLessThan(1e-4);
  });

  it('its bilinear-resize gradient ignores half-pixel centres (the forward honours them)', async () => {
    const f = await checkResizeGrad();
    expect(f.forwardErr).toBeLessThan(1e-5);
    expect(f.gradErrLegacy).toBeLessThan(1e-5);
    expect(f.gradErrHalfPixel).toBeGreaterThan(0.1);
    expect(f.honoursHalfPixel).toBe(false);
  });

  it('times a small MiT block forward+backward in tfjs and in ours', async () => {
    const s = { batch: 1, h: 8, w: 8, dim: 8, heads: 1, sr: 2, mlpRatio: 4 };
    const t = await benchTfjsBlock(s, 1, false);
    const o = benchOursBlock(s, 1);
    expect(t.totalMs).toBeGreaterThan(0);
    expect(o.totalMs).toBeGreaterThan(0);
    expect(t.shape).toBe(o.shape);
  });
});
