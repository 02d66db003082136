// runTrain.ts — `edgeseg train`: one model (a SegFormer or the MobileNetV3 LR-ASPP baseline) trained on
// a preset's data and budget into DIR/train/, resumable like every pipeline stage.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, WasmBackend } from '@edgeseg/autograd';
import { CityscapesDataset } from '@edgeseg/data';
import { archFor, isMobileNet, SegFormer } from '@edgeseg/models';
import { resolveProfile } from '../energy/profile.js';
import { saveFloatModel } from '../train/modelFile.js';
import { trainModel } from '../train/trainLoop.js';
import { checkConfig, type PipelineConfig } from './config.js';
import {
  type Ctx,
  evalFloat,
  type PipelineIo,
  recalibrateBn,
  runStage,
  Stopped,
  stageIo,
  trainConfig,
  trainSource,
} from './context.js';
import { newCnn, saveCnn } from './models.js';
import { dataStage } from './runPipeline.js';

export interface TrainRunResult {
  arch: string;
  model: string;
  miou: number;
  frames: number;
  classIou: Record<string, number | null>;
}

export async function runTrain(
  dir: string,
  c: PipelineConfig,
  o: { arch: string; steps?: number; lr?: number },
  io: PipelineIo,
): Promise<TrainRunResult | null> {
  checkConfig(c);
  mkdirSync(dir, { recursive: true });
  const be = new WasmBackend();
  const base = { runDir: dir, c, be, io, profile: resolveProfile(c.profile) };
  const root = await dataStage(base);
  const ctx: Ctx = {
    ...base,
    train: await CityscapesDataset.open(root, 'train'),
    val: await CityscapesDataset.open(root, 'val'),
  };
  const budget = {
    steps: o.steps ?? c.teacher.steps,
    lr: o.lr ?? (isMobileNet(o.arch) ? (c.cnn?.lr ?? 2e-3) : c.teacher.lr),
  };
  try {
    const rec = await runStage(ctx, 'train', async (sd) => {
      const cnn = isMobileNet(o.arch);
      const model = cnn ? newCnn(be, o.arch, c.seed) : new SegFormer(be, archFor(o.arch), new Rng(c.seed));
      const r = await trainModel({
        dir: sd,
        backend: be,
        model,
        source: trainSource(ctx, 1),
        config: trainConfig(ctx, budget, false, 1),
        io: stageIo(ctx, 'train'),
      });
      if (!r) return null;
      if (cnn) await recalibrateBn(ctx, model, 1, budget.steps, 'train');
      if (model instanceof SegFormer) saveFloatModel(sd.path('model.safetensors'), model, { stage: 'train' });
      else saveCnn(sd.path('model.safetensors'), model, { stage: 'train' });
      const metrics = { ...(await evalFloat(ctx, model, 'train')) };
      model.dispose();
      return {
        config: { arch: o.arch, ...budget },
        metrics,
        artifacts: ['model.safetensors'],
        extra: { history: r.history },
      };
    });
    const m = rec.metrics as { miou: number; frames: number; classIou: Record<string, number | null> };
    return {
      arch: o.arch,
      model: join(dir, 'train', 'model.safetensors'),
      miou: m.miou,
      frames: m.frames,
      classIou: m.classIou,
    };
  } catch (e) {
    if (e instanceof Stopped) return null;
    throw e;
  }
}
