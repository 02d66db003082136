// benchStage.ts — latency of every model of the run at the deployment resolution, measured by one
// engine (the runtime's executor, on `threads` threads): the teacher in FP32, the compressed student
// in INT8 and in FP32 (same architecture, so the INT8 speed-up is visible), and — when asked — a
// random-weight SegFormer-B5, the paper's teacher, for speed only. The CNN baseline runs on the
// autograd WASM backend (the runtime executes SegFormer graphs only) and is labelled so. Modelled
// energy per frame comes from the energy profile for every model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { noGrad, Tensor, tidy } from '@edgeseg/autograd';
import { archFor, type SegFormerArch, segformerCost } from '@edgeseg/models';
import {
  type EdgesegModelFile,
  encodeEdgeseg,
  loadModel,
  randomModelFile,
  readEdgeseg,
} from '@edgeseg/runtime';
import { writeFileAtomic } from '@edgeseg/safetensors';
import { modelEnergy } from '../energy/energyModel.js';
import type { Precision } from '../energy/profile.js';
import { convertFloat } from '../qat/convert.js';
import { foldDecoderBn } from '../qat/foldBn.js';
import { loadFloatModel } from '../train/modelFile.js';
import { type Ctx, convertOptions, runStage } from './context.js';
import { cnnEnergy, loadCnn } from './models.js';

export interface BenchEntry {
  model: string;
  precision: Precision;
  params: number;
  macs: number;
  /** Median and 90th-percentile latency (ms); null when not measured. */
  latencyMs: number | null;
  p90Ms: number | null;
  threads: number;
  engine: string;
  energyMj: number;
  modelledLatencyMs: number;
  /**
   * Frames per second with one frame in flight per thread, each thread on whole frames (the
   * runtime's pipelined schedule: throughput, each frame at one thread's latency); INT8 student only.
   */
  pipelinedFps?: number;
  note?: string;
}

export interface BenchResult {
  size: [number, number];
  entries: Record<string, BenchEntry>;
}

function stats(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))] };
}

/** A deterministic RGB frame of the deployment size (speed does not depend on pixel values). */
function benchFrame([h, w]: [number, number]): Uint8Array {
  const rgb = new Uint8Array(h * w * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 2654435761) >>> 24;
  return rgb;
}

/** Median and p90 network time of `frames` frames, one at a time on `threads` threads. */
async function timeEdgeseg(file: EdgesegModelFile, size: [number, number], threads: number, frames: number) {
  const [height, width] = size;
  const m = await loadModel(encodeEdgeseg(file), { threads, inputSize: { height, width } });
  try {
    const rgb = benchFrame(size);
    await m.segment(rgb, width, height); // warm-up: workspace planning, tier-up
    const times: number[] = [];
    for (let i = 0; i < frames; i++) times.push((await m.segment(rgb, width, height)).inferenceMs);
    return { ...stats(times), threads: m.threads };
  } finally {
    await m.dispose();
  }
}

/** Frames per second over the wall clock with `threads` frames in flight (the pipelined schedule). */
export async function pipelinedFps(
  file: EdgesegModelFile,
  size: [number, number],
  threads: number,
  frames: number,
) {
  const [height, width] = size;
  const m = await loadModel(encodeEdgeseg(file), { threads, pipeline: true, inputSize: { height, width } });
  try {
    const rgb = benchFrame(size);
    const lanes = Array.from({ length: threads }, () => 0);
    await Promise.all(lanes.map(() => m.segment(rgb, width, height))); // warm-up of every worker
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      lanes.map(async () => {
        while (next < frames) {
          next++;
          await m.segment(rgb, width, height);
        }
      }),
    );
    return (1000 * frames) / (performance.now() - t0);
  } finally {
    await m.dispose();
  }
}

export async function benchStage(ctx: Ctx): Promise<BenchResult> {
  const { c, be } = ctx;
  const [H, W] = c.deploySize;
  await runStage(ctx, 'bench', async () => {
    const entries: Record<string, BenchEntry> = {};
    const engine = 'edgeseg runtime (WASM SIMD)';
    const energy = (arch: SegFormerArch, prec: Precision) => modelEnergy(arch, H, W, ctx.profile, prec);
    const measure = async (key: string, file: EdgesegModelFile, prec: Precision, note?: string) => {
      const arch = file.meta.arch;
      ctx.io.log(`bench: ${key} (${arch.config.name}, ${prec}) at ${H}×${W} on ${c.threads} thread(s)`);
      const t = await timeEdgeseg(file, c.deploySize, c.threads, c.benchFrames);
      const e = energy(arch, prec);
      const cost = segformerCost(arch, H, W);
      entries[key] = {
        model: arch.config.name,
        precision: prec,
        params: cost.total.params,
        macs: cost.total.macs,
        latencyMs: t.median,
        p90Ms: t.p90,
        threads: t.threads,
        engine,
        energyMj: e.energyMj,
        modelledLatencyMs: e.latencyMs,
        ...(note ? { note } : {}),
      };
    };

    const teacher = loadFloatModel(join(ctx.runDir, 'teacher', 'model.safetensors'), be).model;
    const folded = foldDecoderBn(teacher.eval());
    await measure('teacher', convertFloat(folded, convertOptions(ctx, c.deploySize, {})), 'fp32');
    if (folded !== teacher) folded.dispose();
    teacher.dispose();
    const int8 = readEdgeseg(join(ctx.runDir, 'int8', 'model.edgeseg'));
    await measure('student-int8', int8, 'int8');
    if (c.threads > 1) {
      ctx.io.log(`bench: student-int8 pipelined, ${c.threads} frames in flight`);
      entries['student-int8'].pipelinedFps = await pipelinedFps(
        int8,
        c.deploySize,
        c.threads,
        2 * c.benchFrames,
      );
    }
    await measure('student-fp32', readEdgeseg(join(ctx.runDir, 'qat', 'model-fp32.edgeseg')), 'fp32');
    if (c.b5) {
      await measure(
        'b5',
        randomModelFile(archFor('segformer-b5'), 'fp32', { height: H, width: W }),
        'fp32',
        'random weights: speed and modelled energy only',
      );
    }
    if (c.cnn) {
      ctx.io.log(`bench: cnn (${c.cnn.arch}, fp32, autograd WASM backend, 1 thread)`);
      const cnn = loadCnn(join(ctx.runDir, 'cnn', 'model.safetensors'), be);
      cnn.eval();
      const x = Tensor.zeros(be, [1, H, W, 3]);
      const times: number[] = [];
      for (let i = 0; i <= c.benchFrames; i++) {
        const t0 = performance.now();
        tidy(() => noGrad(() => cnn.forward(x)));
        if (i > 0) times.push(performance.now() - t0);
      }
      x.dispose();
      cnn.dispose();
      const s = stats(times);
      const e = cnnEnergy(c.cnn.arch, H, W, ctx.profile, 'int8');
      entries.cnn = {
        model: c.cnn.arch,
        precision: 'fp32',
        params: e.params,
        macs: e.macs,
        latencyMs: s.median,
        p90Ms: s.p90,
        threads: 1,
        engine: 'autograd WASM backend (fp32)',
        energyMj: e.energyMj,
        modelledLatencyMs: e.latencyMs,
        note: 'latency: fp32 on the autograd WASM backend, 1 thread (the runtime runs SegFormer graphs only); energy modelled at int8, the student’s precision',
      };
    }
    const result: BenchResult = { size: c.deploySize, entries };
    writeFileAtomic(join(ctx.runDir, 'bench', 'bench.json'), `${JSON.stringify(result, null, 2)}\n`);
    const t = entries.teacher.latencyMs ?? 0;
    const s = entries['student-int8'].latencyMs ?? 0;
    return {
      config: { size: c.deploySize, threads: c.threads, frames: c.benchFrames, profile: c.profile },
      metrics: {
        speedup: t / Math.max(s, 1e-9),
        studentFps: 1000 / Math.max(s, 1e-9),
        ...(entries['student-int8'].pipelinedFps
          ? { studentPipelinedFps: entries['student-int8'].pipelinedFps }
          : {}),
      },
      artifacts: ['bench.json'],
    };
  });
  return JSON.parse(readFileSync(join(ctx.runDir, 'bench', 'bench.json'), 'utf8')) as BenchResult;
}
