// trainLoop.ts — supervised training of a segmentation model, resumable: cross-entropy on logits
// resized to the label size (mmseg's recipe), optional distillation from a teacher (KL with
// temperature, optional CWD), AdamW with the decode head at 10× the learning rate, poly decay with
// linear warm-up. A checkpoint (weights, moments, RNG, step) is written atomically every
// `checkpointEvery` steps and when asked to stop; a rerun continues from it.
import {
  AdamW,
  type Backend,
  channelWiseDistill,
  Dropout,
  DropPath,
  klDistill,
  type Module,
  noGrad,
  ops,
  polyLr,
  Rng,
  type Tensor,
  tidy,
} from '@edgeseg/autograd';
import type { DistillConfig, StageIo } from '../dsp/dspStage.js';
import { type BatchSource, imagesToTensor } from './batchSource.js';
import { loadTrainingState, saveTrainingState } from './modelFile.js';
import type { StageDir } from './stageDir.js';

export type SegModel = Module & { forward(x: Tensor): Tensor };

export interface TrainConfig {
  steps: number;
  lr: number;
  weightDecay: number;
  warmupSteps: number;
  /** Learning-rate multiplier of the parameters under `headPrefix` (SegFormer: 10). */
  headLrMult: number;
  headPrefix: string;
  checkpointEvery: number;
  seed: number;
  distill: DistillConfig | null;
  /** Extra parameters trained with the model (e.g. LSQ step sizes), at this learning-rate multiplier. */
  extraLrMult?: number;
}

export interface TrainPoint {
  step: number;
  loss: number;
  task: number;
  distill: number;
  lr: number;
}

export interface TrainResult {
  history: TrainPoint[];
  seconds: number;
  /** Steps per second over the run (excluding resumed steps). */
  stepsPerSecond: number;
}

/** Logits of the teacher at the student's logit resolution (SegFormer 1/4 vs LR-ASPP 1/8). */
function alignedTeacher(t: Tensor, s: Tensor): Tensor {
  return t.shape[1] === s.shape[1] && t.shape[2] === s.shape[2] ? t : ops.resize(t, s.shape[1], s.shape[2]);
}

export function bindModelRng(model: Module, rng: Rng): void {
  for (const m of model.modules()) if (m instanceof Dropout || m instanceof DropPath) m.rng = rng;
}

/** Train `model` in place. Returns null when stopped early (a checkpoint was saved). */
export async function trainModel(a: {
  dir: StageDir;
  backend: Backend;
  model: SegModel;
  teacher?: SegModel | null;
  source: BatchSource;
  config: TrainConfig;
  io: StageIo;
  extraParams?: Tensor[];
  /** Called inside each step's tidy() before the forward pass (e.g. to set quantizer modes). */
  beforeStep?: (step: number) => void;
  /** Called after each optimizer update (e.g. to clamp quantizer step sizes). */
  afterStep?: (step: number) => void;
  /** Metadata carried by checkpoints (e.g. calibration results), restored through onResume. */
  checkpointMeta?: () => Record<string, string>;
  onResume?: (meta: Record<string, string>) => void;
}): Promise<TrainResult | null> {
  const { dir, backend: be, model, source, config: c, io } = a;
  const teacher = a.teacher ?? null;
  const rng = new Rng(c.seed);
  bindModelRng(model, rng);
  const named = model.namedParameters();
  const head = named.filter(([n]) => n.startsWith(c.headPrefix)).map(([, p]) => p);
  const body = named.filter(([n]) => !n.startsWith(c.headPrefix)).map(([, p]) => p);
  const groups = [{ params: body }, { params: head, lrMult: c.headLrMult }];
  if (a.extraParams && a.extraParams.length > 0)
    groups.push({ params: a.extraParams, lrMult: c.extraLrMult ?? 1 });
  const opt = new AdamW(groups, c.lr, c.weightDecay);
  let start = 0;
  let history: TrainPoint[] = [];
  if (dir.hasCheckpoint()) {
    const meta = loadTrainingState(dir.checkpointPath, { model, gates: a.extraParams, optimizer: opt, rng });
    start = Number(meta.step);
    history = JSON.parse(meta.history ?? '[]');
    a.onResume?.(meta);
    io.log(`${dir.name}: resuming at step ${start}/${c.steps}`);
  }
  const save = (step: number) =>
    saveTrainingState(dir.checkpointPath, {
      model,
      gates: a.extraParams,
      optimizer: opt,
      rng,
      meta: { step: String(step), history: JSON.stringify(history), ...(a.checkpointMeta?.() ?? {}) },
    });
  model.train();
  teacher?.eval();
  const t0 = performance.now();
  for (let step = start; step < c.steps; step++) {
    if (io.shouldStop?.()) {
      save(step);
      io.log(`${dir.name}: stopped at step ${step}; a rerun resumes here.`);
      return null;
    }
    const batch = await source.get(step);
    opt.lr = polyLr(
      { baseLr: c.lr, totalSteps: c.steps, warmupSteps: c.warmupSteps, warmupRatio: 1e-6 },
      step,
    );
    const [, , H, W] = batch.shape;
    const m = tidy(() => {
      opt.zeroGrad();
      a.beforeStep?.(step);
      const x = imagesToTensor(be, batch);
      const logits = model.forward(x);
      const task = ops.crossEntropy(ops.resize(logits, H, W), batch.labels);
      let total: Tensor = task;
      let distill = 0;
      if (teacher && c.distill) {
        const t = noGrad(() => alignedTeacher(teacher.forward(x), logits));
        let d = klDistill(logits, t, c.distill.temperature);
        if (c.distill.cwd > 0)
          d = d.add(channelWiseDistill(logits, t, c.distill.temperature).mul(c.distill.cwd));
        distill = d.item();
        total = total.add(d.mul(c.distill.alpha));
      }
      total.backward();
      opt.update();
      a.afterStep?.(step);
      return { loss: total.item(), task: task.item(), distill };
    });
    if (!Number.isFinite(m.loss)) {
      throw new Error(
        `${dir.name}: the loss became ${m.loss} at step ${step}. Expected a finite loss; lower the learning rate (now ${c.lr}).`,
      );
    }
    if (step % 5 === 0 || step === c.steps - 1) history.push({ step, ...m, lr: opt.lr });
    io.progress?.(step + 1, c.steps, `loss ${m.loss.toFixed(3)}`);
    if ((step + 1) % c.checkpointEvery === 0 && step + 1 < c.steps) save(step + 1);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { history, seconds, stepsPerSecond: (c.steps - start) / Math.max(seconds, 1e-9) };
}
