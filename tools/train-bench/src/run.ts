// run.ts — time training steps of a model on the WASM backend: images/s, forward/backward/update
// split, the share of the step spent inside WASM kernels, WASM memory and the process RSS over many
// steps (flat = no leak).
import { AdamW, type Backend, type Module, ops, Rng, Tensor, tidy, WasmBackend } from '@edgeseg/autograd';
import { IMAGENET_MEAN, IMAGENET_STD, labelIdsToTrainIds, renderSynthCity } from '@edgeseg/data';
import {
  archFor,
  CountingBackend,
  countForward,
  isMobileNet,
  MOBILENET_CONFIGS,
  MobileNetV3LRASPP,
  SegFormer,
  segformerCost,
} from '@edgeseg/models';
import { profileBackend } from './profile.js';

export interface TrainBenchOptions {
  arch: string;
  height: number;
  width: number;
  batch: number;
  /** Timed steps (after warm-up). */
  steps: number;
  warmup: number;
  /** Steps over which RSS is sampled (0 = only the timed steps). */
  rssSteps: number;
  seed: number;
  log?: (msg: string) => void;
}

export interface TrainBenchRow {
  arch: string;
  size: string;
  batch: number;
  threads: number;
  params: number;
  /** Forward MACs of one image. */
  macsPerImage: number;
  imagesPerSec: number;
  /** images/s on the process's CPU time (user + system), which other jobs on a shared machine inflate less than wall time. */
  imagesPerSecCpu: number;
  stepMs: number;
  /** Median CPU time of a step (single thread: ≈ stepMs on an idle machine). */
  stepCpuMs: number;
  forwardMs: number;
  backwardMs: number;
  updateMs: number;
  backwardOverForward: number;
  /** Model FLOP rate: 3 × 2 × forward MACs × batch per step time (backward ≈ 2× forward). */
  gflops: number;
  /** Fraction of the step spent inside WASM kernels. */
  kernelShare: number;
  llopMs: Record<string, number>;
  wasmMemoryMiB: number;
  arenaPeakMiB: number;
  rssMiB: { first: number; last: number; max: number; samples: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function synthBatch(batch: number, h: number, w: number, seed: number) {
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

type Net = Module & { head: Module; forward(x: Tensor): Tensor };

/** A SegFormer (any MiT config) or a MobileNetV3-LR-ASPP baseline, and its forward MACs per image. */
function buildModel(
  be: Backend,
  name: string,
  seed: number,
  h: number,
  w: number,
): { model: Net; macs: number } {
  if (isMobileNet(name)) {
    const cfg = MOBILENET_CONFIGS[name];
    const counting = new CountingBackend();
    const sites = countForward(new MobileNetV3LRASPP(counting, cfg, new Rng(0)), counting, () =>
      Tensor.zeros(counting, [1, h, w, 3]),
    );
    let macs = 0;
    for (const c of sites.values()) macs += c.macs;
    return { model: new MobileNetV3LRASPP(be, cfg, new Rng(seed)), macs };
  }
  const arch = archFor(name);
  return { model: new SegFormer(be, arch, new Rng(seed)), macs: segformerCost(arch, h, w).total.macs };
}

export function benchTraining(o: TrainBenchOptions): TrainBenchRow {
  const log = o.log ?? (() => {});
  const be = new WasmBackend();
  const prof = profileBackend(be);
  const { model, macs } = buildModel(be, o.arch, o.seed, o.height, o.width);
  // SegFormer's recipe (the baseline trains the same way): AdamW, decode head at 10× the encoder's
  // learning rate.
  const headParams = new Set(model.head.parameters());
  const opt = new AdamW(
    [
      { params: model.parameters().filter((p) => !headParams.has(p)) },
      { params: [...headParams], lrMult: 10 },
    ],
    6e-5,
    0.01,
  );
  const { x, y } = synthBatch(o.batch, o.height, o.width, o.seed);
  const step = () =>
    tidy(() => {
      opt.zeroGrad();
      const t0 = performance.now();
      const logits = model.forward(Tensor.from(be, [o.batch, o.height, o.width, 3], x));
      const loss = ops.crossEntropy(ops.resize(logits, o.height, o.width), y);
      const t1 = performance.now();
      loss.backward();
      const t2 = performance.now();
      opt.update();
      const t3 = performance.now();
      return [t1 - t0, t2 - t1, t3 - t2];
    });
  const cpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  for (let i = 0; i < o.warmup; i++) step();
  prof.reset();
  const t: number[][] = [];
  const rss: number[] = [];
  const total = Math.max(o.steps, o.rssSteps);
  const wall0 = performance.now();
  const cpu: number[] = [];
  for (let i = 0; i < total; i++) {
    const c0 = cpuMs();
    const r = step();
    if (i < o.steps) {
      t.push(r);
      cpu.push(cpuMs() - c0);
    }
    if (i % 10 === 0 || i === total - 1) rss.push(process.memoryUsage().rss / 2 ** 20);
    if (i % 10 === 9) log(`${o.arch}: step ${i + 1}/${total}`);
  }
  const wall = performance.now() - wall0;
  const fwd = median(t.map((r) => r[0]));
  const bwd = median(t.map((r) => r[1]));
  const upd = median(t.map((r) => r[2]));
  const stepMs = median(t.map((r) => r[0] + r[1] + r[2]));
  const stepCpuMs = median(cpu);
  const llop = prof.times();
  let kernelMs = 0;
  for (const [k, v] of llop) if (prof.kernelLlops.has(k)) kernelMs += v;
  const row: TrainBenchRow = {
    arch: o.arch,
    size: `${o.height}x${o.width}`,
    batch: o.batch,
    threads: 1,
    params: model.numParameters(),
    macsPerImage: macs,
    imagesPerSec: (o.batch * 1000) / stepMs,
    imagesPerSecCpu: (o.batch * 1000) / stepCpuMs,
    stepMs,
    stepCpuMs,
    forwardMs: fwd,
    backwardMs: bwd,
    updateMs: upd,
    backwardOverForward: bwd / fwd,
    gflops: (6 * macs * o.batch) / (stepMs * 1e6),
    kernelShare: kernelMs / wall,
    llopMs: Object.fromEntries([...llop].map(([k, v]) => [k, v / total])),
    wasmMemoryMiB: be.kernels.memory.buffer.byteLength / 2 ** 20,
    arenaPeakMiB: be.kernels.arena.stats.peakBytes / 2 ** 20,
    rssMiB: { first: rss[0], last: rss[rss.length - 1], max: Math.max(...rss), samples: rss.length },
  };
  model.dispose();
  return row;
}
