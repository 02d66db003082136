// context.ts — what every pipeline stage shares: the run directory, the config, the backend, the data
// and the I/O hooks; `runStage` gives each stage its folder, skips it when its stage.json says done,
// and turns a stop request (Ctrl-C) inside a stage into a `Stopped` the CLI reports as resumable.
import { existsSync, rmSync } from 'node:fs';
import type { Backend, Module, Tensor } from '@edgeseg/autograd';
import { type CityscapesDataset, CLASS_NAMES, IMAGENET_MEAN, IMAGENET_STD, PALETTE } from '@edgeseg/data';
import type { StageIo } from '../dsp/dspStage.js';
import type { EnergyProfile } from '../energy/profile.js';
import type { ConvertOptions } from '../qat/convert.js';
import { BatchSource } from '../train/batchSource.js';
import { type EvalResult, evaluate } from '../train/evaluate.js';
import { recalibrateBatchNorm } from '../train/recalibrateBn.js';
import { StageDir, type StageInput, type StageRecord } from '../train/stageDir.js';
import type { TrainConfig } from '../train/trainLoop.js';
import type { PipelineConfig, TrainBudget } from './config.js';

export interface PipelineIo {
  log(msg: string): void;
  /** Progress inside the running stage. */
  progress?(stage: string, done: number, total: number, info: string): void;
  /** Checked between training steps: true = save a checkpoint and stop. */
  shouldStop?(): boolean;
}

export interface Ctx {
  runDir: string;
  c: PipelineConfig;
  be: Backend;
  io: PipelineIo;
  train: CityscapesDataset;
  val: CityscapesDataset;
  profile: EnergyProfile;
}

/** A stage asked to stop (its checkpoint is saved); the run resumes there. */
export class Stopped extends Error {
  constructor(readonly stage: string) {
    super(`${stage}: stopped; rerun the same command to resume.`);
  }
}

export interface StageOutput extends Omit<StageInput, 'started' | 'seconds'> {
  artifacts: string[];
}

export function stageIo(ctx: Ctx, name: string): StageIo {
  return {
    log: (m) => ctx.io.log(m),
    progress: (d, t, info) => ctx.io.progress?.(name, d, t, info),
    shouldStop: ctx.io.shouldStop,
  };
}

/** Runs a stage unless it is done; returns its record either way. */
export async function runStage(
  ctx: Ctx,
  name: string,
  fn: (dir: StageDir) => Promise<StageOutput | null>,
): Promise<StageRecord> {
  const dir = new StageDir(ctx.runDir, name);
  const done = dir.record();
  if (done) {
    ctx.io.log(`${name}: done earlier, skipped (${dir.dir})`);
    return done;
  }
  ctx.io.log(dir.hasCheckpoint() ? `${name}: resuming from its checkpoint` : `${name}: started`);
  const t0 = performance.now();
  const started = new Date().toISOString();
  const out = await fn(dir);
  if (!out) throw new Stopped(name);
  const { artifacts, ...rest } = out;
  const rec = dir.finish({ ...rest, started, seconds: (performance.now() - t0) / 1000 }, artifacts);
  // The artifact replaces the checkpoint; keeping both would double the run's disk use.
  if (existsSync(dir.checkpointPath)) rmSync(dir.checkpointPath);
  ctx.io.log(`${name}: done in ${rec.seconds.toFixed(0)} s${metricsLine(rec.metrics)}`);
  return rec;
}

function metricsLine(m: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof m.miou === 'number') parts.push(`mIoU ${(100 * m.miou).toFixed(2)} %`);
  if (typeof m.params === 'number') parts.push(`${(m.params / 1e6).toFixed(3)} M params`);
  return parts.length ? ` — ${parts.join(', ')}` : '';
}

export function trainSource(ctx: Ctx, offset: number): BatchSource {
  const c = ctx.c;
  return new BatchSource(ctx.train, {
    batchSize: c.batchSize,
    crop: c.crop,
    baseSize: c.baseSize,
    seed: c.seed * 1000 + offset,
  });
}

export function trainConfig(ctx: Ctx, b: TrainBudget, distill: boolean, seedOffset: number): TrainConfig {
  return {
    steps: b.steps,
    lr: b.lr,
    weightDecay: 0.01,
    warmupSteps: Math.min(100, Math.floor(b.steps / 10)),
    headLrMult: 10,
    headPrefix: 'head.',
    checkpointEvery: ctx.c.checkpointEvery,
    seed: ctx.c.seed * 1000 + seedOffset,
    distill: distill ? ctx.c.distill : null,
  };
}

export interface EvalMetrics {
  miou: number;
  pixelAccuracy: number;
  /** IoU per class name; null where the class is absent from prediction and ground truth. */
  classIou: Record<string, number | null>;
  frames: number;
}

export function evalMetrics(r: Pick<EvalResult, 'miou' | 'iou' | 'pixelAccuracy' | 'frames'>): EvalMetrics {
  return {
    miou: Number.isFinite(r.miou) ? r.miou : 0,
    pixelAccuracy: r.pixelAccuracy,
    classIou: Object.fromEntries(CLASS_NAMES.map((n, i) => [n, Number.isFinite(r.iou[i]) ? r.iou[i] : null])),
    frames: r.frames,
  };
}

export async function evalFloat(
  ctx: Ctx,
  model: Module & { forward(x: Tensor): Tensor },
  name: string,
): Promise<EvalMetrics> {
  const r = await evaluate(model, ctx.be, ctx.val, {
    size: ctx.c.evalSize,
    batchSize: 4,
    onProgress: (d, t) => ctx.io.progress?.(`${name} eval`, d, t, ''),
  });
  return evalMetrics(r);
}

/** Batches averaged to re-estimate a CNN's BatchNorm statistics after training. */
export const BN_RECALIBRATION_BATCHES = 16;

/**
 * Re-estimate the BatchNorm statistics of a freshly trained model on training batches past its
 * schedule (the source at `offset`, from step `firstStep`): see recalibrateBn.ts for why.
 */
export async function recalibrateBn(
  ctx: Ctx,
  model: Module & { forward(x: Tensor): Tensor },
  offset: number,
  firstStep: number,
  name: string,
): Promise<void> {
  await recalibrateBatchNorm(model, ctx.be, trainSource(ctx, offset), {
    batches: BN_RECALIBRATION_BATCHES,
    firstStep,
    onProgress: (d, t) => ctx.io.progress?.(`${name} batchnorm`, d, t, ''),
  });
}

/** Classes, palette and input normalization every `.edgeseg` of the run carries. */
export function convertOptions(
  ctx: Ctx,
  size: [number, number],
  provenance: Record<string, string>,
): ConvertOptions {
  const palette: [number, number, number][] = [];
  for (let i = 0; i < CLASS_NAMES.length; i++)
    palette.push([PALETTE[3 * i], PALETTE[3 * i + 1], PALETTE[3 * i + 2]]);
  return {
    classes: [...CLASS_NAMES],
    palette,
    input: {
      height: size[0],
      width: size[1],
      mean: [...IMAGENET_MEAN] as [number, number, number],
      std: [...IMAGENET_STD] as [number, number, number],
    },
    provenance: {
      run: ctx.runDir,
      preset: ctx.c.preset,
      seed: String(ctx.c.seed),
      data: ctx.c.data.kind === 'synthcity' ? 'SynthCity' : `Cityscapes (${ctx.c.data.path})`,
      profile: ctx.c.profile,
      ...provenance,
    },
  };
}
