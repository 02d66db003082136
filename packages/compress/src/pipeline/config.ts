// config.ts — what `edgeseg compress` runs: data, the teacher, the student, the budget of every stage.
// Presets are starting points sized for this 2-core machine (`quick` ≈ a quarter of an hour, `full`
// ≈ under three hours); every field can be overridden. The resolved config is saved as the run's
// config.json, and a rerun on the same directory must agree with it (or say what differs).
import type { DistillConfig } from '../dsp/dspStage.js';
import type { ObjectiveKind } from '../dsp/objective.js';
import type { Observer, Rounding } from '../qat/quantizers.js';

export type DataSpec =
  | { kind: 'synthcity'; train: number; val: number; height: number; width: number; seed: number }
  | { kind: 'cityscapes'; path: string };

export interface TrainBudget {
  steps: number;
  lr: number;
}

export interface PipelineConfig {
  preset: string;
  seed: number;
  data: DataSpec;
  batchSize: number;
  /** Training crops [H, W], cut from frames rescaled around `baseSize`. */
  crop: [number, number];
  baseSize: [number, number];
  /** Network input of evaluation (val frames resized to it), also the `.edgeseg` input size. */
  evalSize: [number, number];
  /** Resolution of the report's MACs, latency and energy (the deployment resolution). */
  deploySize: [number, number];
  /** Energy profile name or file. */
  profile: string;
  /**
   * Energy budget of the compressed student: a fraction of the teacher's modelled energy per frame
   * (both int8 on `profile` at `deploySize`), so it measures pruning alone, not quantization.
   */
  energyTarget: number;
  objective: ObjectiveKind;
  /** Teacher architecture, or a float checkpoint (`.safetensors` from a previous run) to load. */
  teacher: { arch: string; checkpoint?: string } & TrainBudget;
  /**
   * Student architecture. The same arch as the teacher starts from the teacher's weights; another
   * one is first distilled from the teacher for `steps` steps.
   */
  student: { arch: string } & TrainBudget;
  distill: DistillConfig;
  dsp: TrainBudget & { gateLr: number; targetWarmup: number; exciseEvery: number; initOpen: number };
  /** Recovery fine-tune of the excised student, with distillation. */
  recover: TrainBudget;
  qat: TrainBudget & { observer: Observer; rounding: Rounding; calibBatches: number };
  /** The CNN baseline (MobileNetV3 LR-ASPP), trained on the same data; null = skip. */
  cnn: ({ arch: string } & TrainBudget) | null;
  checkpointEvery: number;
  /** Threads of the latency measurements. */
  threads: number;
  /** Timed frames per latency measurement. */
  benchFrames: number;
  /** Validation frames with attention maps in the report. */
  attentionImages: number;
  /** Measure a random-weight SegFormer-B5 (the paper's teacher) for latency. */
  b5: boolean;
  /** Export the INT8 student to ONNX (QDQ). */
  onnx: boolean;
}

const distill: DistillConfig = { alpha: 1, temperature: 2, cwd: 0 };

export const PRESETS: Record<string, PipelineConfig> = {
  // The README's quick start: a real (small) compression in about a quarter of an hour here.
  quick: {
    preset: 'quick',
    seed: 0,
    data: { kind: 'synthcity', train: 240, val: 40, height: 256, width: 512, seed: 0 },
    batchSize: 8,
    crop: [128, 256],
    baseSize: [192, 384],
    evalSize: [128, 256],
    deploySize: [512, 1024],
    profile: 'rpi5',
    energyTarget: 0.5,
    objective: 'energy',
    teacher: { arch: 'segformer-b0', steps: 240, lr: 6e-4 },
    student: { arch: 'segformer-b0', steps: 0, lr: 6e-4 },
    distill,
    dsp: { steps: 100, lr: 3e-4, gateLr: 0.1, targetWarmup: 50, exciseEvery: 10, initOpen: 0.9 },
    recover: { steps: 50, lr: 2e-4 },
    qat: { steps: 30, lr: 5e-5, observer: 'ema', rounding: 'nearest', calibBatches: 4 },
    cnn: { arch: 'mobilenetv3-lraspp-small', steps: 250, lr: 2e-3 },
    checkpointEvery: 25,
    threads: 2,
    benchFrames: 5,
    attentionImages: 2,
    b5: false,
    onnx: true,
  },
  // The serious run whose report lives in docs/results/.
  full: {
    preset: 'full',
    seed: 0,
    data: { kind: 'synthcity', train: 1200, val: 100, height: 256, width: 512, seed: 0 },
    batchSize: 8,
    crop: [128, 256],
    baseSize: [256, 512],
    evalSize: [256, 512],
    deploySize: [512, 1024],
    profile: 'rpi5',
    // 0.045 of the B1's energy lands the B0 student near 1.7 GMAC at 512×1024, what 30 FPS on two
    // threads here needs (0.06 gave 2.11 GMAC and 25.5 FPS); the student trains longer than the
    // teacher because it starts from scratch and everything after it inherits its accuracy.
    energyTarget: 0.045,
    objective: 'energy',
    teacher: { arch: 'segformer-b1', steps: 1000, lr: 6e-4 },
    student: { arch: 'segformer-b0', steps: 1200, lr: 6e-4 },
    distill,
    dsp: { steps: 500, lr: 3e-4, gateLr: 0.1, targetWarmup: 250, exciseEvery: 20, initOpen: 0.9 },
    recover: { steps: 600, lr: 2e-4 },
    qat: { steps: 150, lr: 5e-5, observer: 'ema', rounding: 'nearest', calibBatches: 8 },
    cnn: { arch: 'mobilenetv3-lraspp-large', steps: 1000, lr: 2e-3 },
    checkpointEvery: 50,
    threads: 2,
    benchFrames: 20,
    attentionImages: 3,
    b5: true,
    onnx: true,
  },
  // A minute-long run of every stage, for tests.
  test: {
    preset: 'test',
    seed: 0,
    data: { kind: 'synthcity', train: 8, val: 4, height: 64, width: 128, seed: 0 },
    batchSize: 2,
    crop: [32, 64],
    baseSize: [64, 128],
    evalSize: [64, 128],
    deploySize: [64, 128],
    profile: 'rpi5',
    energyTarget: 0.5,
    objective: 'energy',
    teacher: { arch: 'segformer-tiny', steps: 12, lr: 2e-3 },
    student: { arch: 'segformer-tiny', steps: 0, lr: 2e-3 },
    distill,
    dsp: { steps: 16, lr: 1e-3, gateLr: 0.3, targetWarmup: 6, exciseEvery: 4, initOpen: 0.6 },
    recover: { steps: 6, lr: 1e-3 },
    qat: { steps: 6, lr: 1e-4, observer: 'ema', rounding: 'nearest', calibBatches: 2 },
    cnn: { arch: 'mobilenetv3-lraspp-small', steps: 6, lr: 2e-3 },
    checkpointEvery: 4,
    threads: 1,
    benchFrames: 2,
    attentionImages: 1,
    b5: false,
    onnx: true,
  },
};

export function presetConfig(name: string): PipelineConfig {
  const p = PRESETS[name];
  if (!p) {
    throw new Error(`preset: unknown preset "${name}". Expected one of ${Object.keys(PRESETS).join(', ')}.`);
  }
  return structuredClone(p);
}

/** Fields that differ between two configs, as dotted paths (for the resume check). */
export function configDiff(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [at || '(root)'];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const k of keys) {
    out.push(
      ...configDiff(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        at ? `${at}.${k}` : k,
      ),
    );
  }
  return out;
}

/** Checks a config's numbers before hours of work start. */
export function checkConfig(c: PipelineConfig): void {
  const bad = (field: string, expected: string, got: unknown) => {
    throw new Error(`config: ${field} is out of range. Expected ${expected}, got ${JSON.stringify(got)}.`);
  };
  if (!(c.energyTarget > 0 && c.energyTarget <= 1))
    bad('energyTarget', 'a fraction in (0, 1]', c.energyTarget);
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1) bad('batchSize', 'an integer ≥ 1', c.batchSize);
  if (!Number.isInteger(c.threads) || c.threads < 1) bad('threads', 'an integer ≥ 1', c.threads);
  for (const [name, size] of [
    ['crop', c.crop],
    ['evalSize', c.evalSize],
    ['deploySize', c.deploySize],
  ] as const) {
    if (size[0] % 32 !== 0 || size[1] % 32 !== 0 || size[0] < 32 || size[1] < 32) {
      bad(name, 'sides that are multiples of 32 (the encoder downsamples 32×)', size);
    }
  }
  for (const [name, b] of [
    ['teacher', c.teacher],
    ['student', c.student],
    ['dsp', c.dsp],
    ['recover', c.recover],
    ['qat', c.qat],
  ] as const) {
    if (!Number.isInteger(b.steps) || b.steps < 0) bad(`${name}.steps`, 'an integer ≥ 0', b.steps);
    if (!(b.lr > 0)) bad(`${name}.lr`, 'a positive number', b.lr);
  }
  if (c.dsp.steps < 1) bad('dsp.steps', 'at least 1 step', c.dsp.steps);
}
