// tfjsBench.ts — the tfjs-backend-wasm peer of `npm run bench:train`, single thread: the SegFormer training
// step (images/s, forward/backward/update split, WASM heap), inference, and one MiT stage-1 block
// forward+backward in tfjs and in our autograd (WasmBackend) for a like-for-like ratio.
//
// tfjs-backend-wasm runs every kernel synchronously when the op is called, so wall-clock marks between
// calls time exactly the kernels issued in between (no queue to drain, unlike WebGL).
import { Rng, Tensor, tidy, WasmBackend } from '@edgeseg/autograd';
import { IMAGENET_MEAN, IMAGENET_STD, labelIdsToTrainIds, renderSynthCity } from '@edgeseg/data';
import { archFor, Block, type SegFormerConfig, segformerConfig, segformerCost } from '@edgeseg/models';
import { loadTfjsWasm, type Tf, type TfTensor, wasmHeapBytes } from './tfjs.js';
import {
  type GradProbe,
  installGradWorkarounds,
  missingBackpropKernels,
  probeMissingGradients,
  routeMatmulsToXnnpack,
} from './tfjsGrads.js';
import { oneHotLabels, segLoss, TfAdamW, TfBlock, TfParams, TfSegFormer } from './tfjsSegformer.js';

// biome-ignore lint/suspicious/noExplicitAny: tfjs's rank-typed op signatures.
type Any = any;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MiB = 2 ** 20;
/** CPU time of this process in ms (user + system). The work is single-threaded, so on a machine shared
 * with other jobs CPU ms ≈ the wall ms it would take alone, where wall ms also counts time spent waiting
 * for a core. */
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The same synthetic batch as run.ts: rendered street scenes, ImageNet-normalized, train ids. */
export function synthBatch(batch: number, h: number, w: number, seed: number) {
  const x = new Float32Array(batch * h * w * 3);
  const y = new Uint8Array(batch * h * w);
  for (let i = 0; i < batch; i++) {
    const f = renderSynthCity(w, h, seed + i);
    for (let p = 0; p < h * w; p++) {
      for (let c = 0; c < 3; c++)
        x[(i * h * w + p) * 3 + c] = (f.image[p * 3 + c] - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
    }
    y.set(labelIdsToTrainIds(f.labelIds, w), i * h * w);
  }
  return { x, y };
}

export interface TfjsTrainRow {
  arch: string;
  size: string;
  batch: number;
  threads: 1;
  /** 'plain' = tfjs-core's own matmul gradients; 'xnnpack' = every matmul routed through XNNPACK. */
  matmuls: 'plain' | 'xnnpack';
  params: number;
  imagesPerSec: number;
  stepMs: number;
  forwardMs: number;
  backwardMs: number;
  updateMs: number;
  backwardOverForward: number;
  /** Median CPU ms of a step (≈ its wall ms on an idle machine; see cpuNow). */
  stepCpuMs: number;
  /** images/s on CPU time (as run.ts's imagesPerSecCpu). */
  imagesPerSecCpu: number;
  /** Losses of the timed steps, first and last (finite = the step trains). */
  loss: { first: number; last: number };
  /** WASM linear memory after the steps (tfjs's heap only grows: its high-water mark). */
  wasmHeapMiB: number;
  /** Bytes tfjs tracks in live tensors between steps (parameters + Adam moments). */
  liveTensorMiB: number;
  steps: number;
}

export interface TrainOptions {
  arch: string;
  /** Overrides segformerConfig(arch) (tests build a tiny model). */
  config?: SegFormerConfig;
  height: number;
  width: number;
  batch: number;
  steps: number;
  warmup: number;
  seed: number;
  xnnpack: boolean;
  /** Checked against the model's count when given (the peer must match ours). */
  expectParams?: number;
  /** Encoder learning rate (head ×10), default SegFormer's 6e-5. */
  lr?: number;
  log?: (m: string) => void;
}

/** Time tfjs training steps: forward + loss under tf.variableGrads, backward, AdamW update. */
export async function benchTfjsTraining(o: TrainOptions): Promise<TfjsTrainRow> {
  const tf = await loadTfjsWasm();
  installGradWorkarounds(tf);
  routeMatmulsToXnnpack(tf, o.xnnpack);
  const cfg = o.config ?? segformerConfig(o.arch);
  const model = new TfSegFormer(tf, cfg, o.seed);
  const params = model.numParameters();
  if (o.expectParams !== undefined && params !== o.expectParams) {
    model.dispose();
    throw new Error(`tfjs peer: ${o.arch} has ${params} parameters in tfjs and ${o.expectParams} in ours.`);
  }
  const opt = new TfAdamW(tf, model.P.vars, o.lr ?? 6e-5, 0.01);
  const { x, y } = synthBatch(o.batch, o.height, o.width, o.seed);
  const xs = tf.tensor(x, [o.batch, o.height, o.width, 3]);
  const { oneHot, valid } = oneHotLabels(tf, y, [o.batch, o.height, o.width], cfg.classes);
  const step = () => {
    let tF = 0;
    const c0 = cpuNow();
    const t0 = performance.now();
    const { value, grads } = tf.variableGrads(() => {
      const l = segLoss(tf, model.forward(xs, true), oneHot, valid);
      tF = performance.now();
      return l as Any;
    }, model.params);
    const t1 = performance.now();
    opt.update(grads);
    const t2 = performance.now();
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return { r: [tF - t0, t1 - tF, t2 - t1, cpuNow() - c0], loss };
  };
  const log = o.log ?? (() => {});
  try {
    for (let i = 0; i < o.warmup; i++) step();
    const t: number[][] = [];
    const losses: number[] = [];
    for (let i = 0; i < o.steps; i++) {
      const s = step();
      t.push(s.r);
      losses.push(s.loss);
      log(
        `tfjs ${o.arch} (${o.xnnpack ? 'xnnpack' : 'plain'} matmuls): step ${i + 1}/${o.steps} ${(s.r[0] + s.r[1] + s.r[2]).toFixed(0)} ms`,
      );
    }
    const fwd = median(t.map((r) => r[0]));
    const bwd = median(t.map((r) => r[1]));
    const upd = median(t.map((r) => r[2]));
    const stepMs = median(t.map((r) => r[0] + r[1] + r[2]));
    return {
      arch: o.arch,
      size: `${o.height}x${o.width}`,
      batch: o.batch,
      threads: 1,
      matmuls: o.xnnpack ? 'xnnpack' : 'plain',
      params,
      imagesPerSec: (o.batch * 1000) / stepMs,
      stepMs,
      forwardMs: fwd,
      backwardMs: bwd,
      updateMs: upd,
      backwardOverForward: bwd / fwd,
      stepCpuMs: median(t.map((r) => r[3])),
      imagesPerSecCpu: (o.batch * 1000) / median(t.map((r) => r[3])),
      loss: { first: losses[0], last: losses[losses.length - 1] },
      wasmHeapMiB: wasmHeapBytes(tf) / MiB,
      liveTensorMiB: tf.memory().numBytes / MiB,
      steps: o.steps,
    };
  } finally {
    opt.dispose();
    model.dispose();
    tf.dispose([xs, oneHot]);
    routeMatmulsToXnnpack(tf, false);
  }
}

export interface InferenceRow {
  size: string;
  ms: number;
  cpuMs: number;
  runs: number;
}

/** Median ms of one forward pass (eval mode, batch 1) in tfjs. */
export async function benchTfjsInference(
  arch: string,
  h: number,
  w: number,
  runs: number,
): Promise<InferenceRow> {
  const tf = await loadTfjsWasm();
  const model = new TfSegFormer(tf, segformerConfig(arch), 1);
  const x = tf.randomNormal([1, h, w, 3], 0, 1, 'float32', 3);
  try {
    const once = () => {
      const c0 = cpuNow();
      const t0 = performance.now();
      tf.tidy(() => {
        model.forward(x, false).dataSync();
      });
      return [performance.now() - t0, cpuNow() - c0];
    };
    once();
    const ts = Array.from({ length: runs }, once);
    return {
      size: `${h}x${w}`,
      ms: median(ts.map((t) => t[0])),
      cpuMs: median(ts.map((t) => t[1])),
      runs,
    };
  } finally {
    model.dispose();
    x.dispose();
  }
}

export interface BlockRow {
  /** e.g. "stage-1 block: C 32, 1 head, sr 8, 32x64 tokens, batch 8". */
  shape: string;
  forwardMs: number;
  backwardMs: number;
  totalMs: number;
  /** Median CPU ms of forward + backward (see cpuNow). */
  cpuMs: number;
  runs: number;
}

export interface BlockShape {
  batch: number;
  h: number;
  w: number;
  dim: number;
  heads: number;
  sr: number;
  mlpRatio: number;
}

const blockLabel = (s: BlockShape) =>
  `C ${s.dim}, ${s.heads} head${s.heads > 1 ? 's' : ''}, sr ${s.sr}, ${s.h}x${s.w} tokens, batch ${s.batch}`;

function blockData(s: BlockShape) {
  const n = s.batch * s.h * s.w * s.dim;
  let k = 12345;
  const rnd = () => {
    k = (Math.imul(k, 1103515245) + 12345) | 0;
    return ((k >>> 8) / 2 ** 24) * 2 - 1;
  };
  return { x: Float32Array.from({ length: n }, rnd), r: Float32Array.from({ length: n }, rnd) };
}

/** One MiT block forward + backward (grads of its parameters and of x) in tfjs; loss = Σ y·r. */
export async function benchTfjsBlock(s: BlockShape, runs: number, xnnpack: boolean): Promise<BlockRow> {
  const tf = await loadTfjsWasm();
  installGradWorkarounds(tf);
  routeMatmulsToXnnpack(tf, xnnpack);
  const P = new TfParams(tf, 1);
  const block = new TfBlock(tf, P, 'b', s.dim, s.heads, s.sr, s.dim * s.mlpRatio, 1e-6, 0);
  const d = blockData(s);
  const shape = [s.batch, s.h, s.w, s.dim];
  const xv = tf.variable(tf.tensor(d.x, shape), true, 'block_x');
  const r = tf.tensor(d.r, shape);
  const vars = [...P.vars.map((p) => p.v), xv];
  try {
    const once = () => {
      let tF = 0;
      const c0 = cpuNow();
      const t0 = performance.now();
      const { value, grads } = tf.variableGrads(() => {
        const l = tf.sum(tf.mul(block.forward(xv, true, undefined as Any), r));
        tF = performance.now();
        return l as Any;
      }, vars);
      const t1 = performance.now();
      tf.dispose([value, ...Object.values(grads)]);
      return [tF - t0, t1 - tF, cpuNow() - c0];
    };
    once();
    const ts = Array.from({ length: runs }, once);
    const f = median(ts.map((t) => t[0]));
    const b = median(ts.map((t) => t[1]));
    return {
      shape: blockLabel(s),
      forwardMs: f,
      backwardMs: b,
      totalMs: median(ts.map((t) => t[0] + t[1])),
      cpuMs: median(ts.map((t) => t[2])),
      runs,
    };
  } finally {
    P.dispose();
    tf.dispose([xv, r]);
    routeMatmulsToXnnpack(tf, false);
  }
}

/** The same block forward + backward in @edgeseg/autograd on the WASM backend (@edgeseg/models Block). */
export function benchOursBlock(s: BlockShape, runs: number): BlockRow {
  const be = new WasmBackend();
  const rng = new Rng(1);
  const block = new Block(
    be,
    s.dim,
    { heads: s.heads, headDim: s.dim / s.heads, ffn: s.dim * s.mlpRatio },
    s.sr,
    1e-6,
    0,
    rng,
  );
  const d = blockData(s);
  const shape = [s.batch, s.h, s.w, s.dim];
  const x = Tensor.param(be, shape, d.x);
  const r = Tensor.param(be, shape, d.r);
  r.requiresGrad = false;
  try {
    const once = () =>
      tidy(() => {
        block.zeroGrad();
        x.zeroGrad();
        const c0 = cpuNow();
        const t0 = performance.now();
        const loss = block.forward(x).mul(r).sum();
        const t1 = performance.now();
        loss.backward();
        const t2 = performance.now();
        return [t1 - t0, t2 - t1, cpuNow() - c0];
      });
    once();
    const ts = Array.from({ length: runs }, once);
    return {
      shape: blockLabel(s),
      forwardMs: median(ts.map((t) => t[0])),
      backwardMs: median(ts.map((t) => t[1])),
      totalMs: median(ts.map((t) => t[0] + t[1])),
      cpuMs: median(ts.map((t) => t[2])),
      runs,
    };
  } finally {
    block.dispose();
    x.dispose();
    r.dispose();
  }
}

/** 1-D bilinear interpolation matrix [out, in], align_corners = false, half-pixel or legacy (src = dst·in/out). */
export function interpMatrix(inN: number, outN: number, halfPixel: boolean): Float64Array {
  const m = new Float64Array(outN * inN);
  const scale = inN / outN;
  for (let o = 0; o < outN; o++) {
    const src = halfPixel ? Math.max(0, (o + 0.5) * scale - 0.5) : o * scale;
    const lo = Math.min(Math.floor(src), inN - 1);
    const hi = Math.min(lo + 1, inN - 1);
    const f = src - lo;
    m[o * inN + lo] += 1 - f;
    m[o * inN + hi] += f;
  }
  return m;
}

export interface ResizeGradFinding {
  /** max |tfjs forward − half-pixel forward| (the forward does honour half-pixel centres). */
  forwardErr: number;
  /** max |tfjs gradient − exact half-pixel gradient (Aᵀ·dy)|. */
  gradErrHalfPixel: number;
  /** max |tfjs gradient − the legacy (asymmetric, src = dst·in/out) gradient|. */
  gradErrLegacy: number;
  honoursHalfPixel: boolean;
}

/**
 * Does tfjs-backend-wasm's ResizeBilinearGrad honour halfPixelCenters? Resize x [1, 3, 4, 1] to 6×8 with
 * alignCorners = false, halfPixelCenters = true, take d(Σ y·r)/dx from tf.grads and compare it with the
 * direct gradient Aₕᵀ·r·A_w of the half-pixel interpolation (and of the legacy one).
 */
export async function checkResizeGrad(): Promise<ResizeGradFinding> {
  const tf = await loadTfjsWasm();
  const [hi, wi, ho, wo] = [3, 4, 6, 8];
  const xv = Float32Array.from({ length: hi * wi }, (_, i) => Math.sin(i + 1));
  const rv = Float32Array.from({ length: ho * wo }, (_, i) => Math.cos(0.7 * i));
  const [yT, gT] = tf.tidy(() => {
    const x = tf.tensor(xv, [1, hi, wi, 1]);
    const r = tf.tensor(rv, [1, ho, wo, 1]);
    const f = (t: TfTensor) => tf.image.resizeBilinear(t as Any, [ho, wo], false, true);
    const g = tf.grad((t: TfTensor) => tf.sum(tf.mul(f(t), r)))(x);
    return [f(x).dataSync(), g.dataSync()];
  });
  const forward = (A: Float64Array, B: Float64Array) => {
    const y = new Float64Array(ho * wo);
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++) {
        let s = 0;
        for (let p = 0; p < hi; p++)
          for (let q = 0; q < wi; q++) s += A[i * hi + p] * xv[p * wi + q] * B[j * wi + q];
        y[i * wo + j] = s;
      }
    return y;
  };
  const grad = (A: Float64Array, B: Float64Array) => {
    const g = new Float64Array(hi * wi);
    for (let p = 0; p < hi; p++)
      for (let q = 0; q < wi; q++) {
        let s = 0;
        for (let i = 0; i < ho; i++)
          for (let j = 0; j < wo; j++) s += A[i * hi + p] * rv[i * wo + j] * B[j * wi + q];
        g[p * wi + q] = s;
      }
    return g;
  };
  const maxErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  };
  const Ah = interpMatrix(hi, ho, true);
  const Aw = interpMatrix(wi, wo, true);
  const Lh = interpMatrix(hi, ho, false);
  const Lw = interpMatrix(wi, wo, false);
  const forwardErr = maxErr(yT, forward(Ah, Aw));
  const gradErrHalfPixel = maxErr(gT, grad(Ah, Aw));
  const gradErrLegacy = maxErr(gT, grad(Lh, Lw));
  return { forwardErr, gradErrHalfPixel, gradErrLegacy, honoursHalfPixel: gradErrHalfPixel < 1e-4 };
}

export interface TfjsPeerReport {
  peer: 'tfjs-backend-wasm';
  version: string;
  threads: 1;
  /** tfjs-core's own gradients that fail on the wasm backend before the workarounds (op → error). */
  missingGradients: GradProbe[];
  /** Backward kernels tfjs-core's gradients call that the wasm backend does not register. */
  missingKernels: string[];
  workarounds: string[];
  resizeGrad: ResizeGradFinding;
  training: TfjsTrainRow[];
  inference: InferenceRow[];
  block: { tfjs: BlockRow; tfjsXnnpack: BlockRow; ours: BlockRow };
}

export interface PeerOptions {
  arch: string;
  height: number;
  width: number;
  batch: number;
  steps: number;
  /** Inference sizes [h, w] (default 256×512 and 512×1024). */
  inferSizes?: [number, number][];
  inferRuns?: number;
  blockRuns?: number;
  /** Matmul variants of the training step to time (default both). */
  variants?: ('plain' | 'xnnpack')[];
  log?: (m: string) => void;
}

export const WORKAROUNDS = [
  "gradients at all: tfjs-core's Node bundle registers none; @tensorflow/tfjs-layers is loaded for the tfjs-core 4.22 gradient configs it registers",
  'Conv2D: dx by the wasm Conv2DBackpropInput (present); dW (Conv2DBackpropFilter missing) by im2col + one XNNPACK matmul colsᵀ·dy — a pure reshape/transpose for the k = s sr conv, pad + kh·kw strided slices concatenated for the overlapping patch embeds',
  'DepthwiseConv2dNative: dx (DepthwiseConv2dNativeBackpropInput missing) as the depthwise conv of the padded dy with the 180°-rotated filter (the wasm forward kernel); dW (DepthwiseConv2dNativeBackpropFilter missing) as 9 shifted multiplies, each shift a one-hot depthwise conv and each sum over batch and space a ones·(shift⊙dy) matmul',
  "xnnpack variant only: the BatchMatMul gradient re-registered with materialized transposes, so both backward products of every 2-D matmul (the Linear layers) run XNNPACK instead of the scalar loop; batched attention matmuls stay on tfjs's path",
];

/** Everything the tfjs peer measures, in order: probe, resize check, training, inference, block. */
export async function runTfjsPeer(o: PeerOptions): Promise<TfjsPeerReport> {
  const log = o.log ?? (() => {});
  const tf: Tf = await loadTfjsWasm();
  const missingGradients = probeMissingGradients(tf).filter((p) => p.error);
  const missingKernels = missingBackpropKernels(tf);
  installGradWorkarounds(tf);
  const resizeGrad = await checkResizeGrad();
  const expectParams = segformerCost(archFor(o.arch), o.height, o.width).total.params;
  const training: TfjsTrainRow[] = [];
  for (const v of o.variants ?? ['plain', 'xnnpack']) {
    log(`tfjs peer: ${o.arch} training step, ${v} matmuls…`);
    training.push(
      await benchTfjsTraining({
        arch: o.arch,
        height: o.height,
        width: o.width,
        batch: o.batch,
        steps: o.steps,
        warmup: 1,
        seed: 1,
        xnnpack: v === 'xnnpack',
        expectParams,
        log,
      }),
    );
  }
  const inference: InferenceRow[] = [];
  for (const [h, w] of o.inferSizes ?? [
    [256, 512],
    [512, 1024],
  ]) {
    log(`tfjs peer: ${o.arch} inference ${h}x${w}…`);
    inference.push(await benchTfjsInference(o.arch, h, w, o.inferRuns ?? 5));
  }
  // Stage-1 block of the arch at its stage-1 resolution for this input size.
  const cfg = segformerConfig(o.arch);
  const s: BlockShape = {
    batch: o.batch,
    h: o.height / cfg.strides[0],
    w: o.width / cfg.strides[0],
    dim: cfg.dims[0],
    heads: cfg.heads[0],
    sr: cfg.srRatios[0],
    mlpRatio: cfg.mlpRatio,
  };
  log('tfjs peer: stage-1 block forward+backward, tfjs and ours…');
  const runs = o.blockRuns ?? 7;
  const block = {
    tfjs: await benchTfjsBlock(s, runs, false),
    tfjsXnnpack: await benchTfjsBlock(s, runs, true),
    ours: benchOursBlock(s, runs),
  };
  return {
    peer: 'tfjs-backend-wasm',
    version: tf.version_core,
    threads: 1,
    missingGradients,
    missingKernels,
    workarounds: WORKAROUNDS,
    resizeGrad,
    training,
    inference,
    block,
  };
}
