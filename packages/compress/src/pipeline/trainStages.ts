// trainStages.ts — the float stages of `edgeseg compress`: teacher (train or load), student init
// (the teacher's weights, or distilled from it when the architecture differs), DSP under the
// Energy-Complexity loss, recovery fine-tune of the excised student, and the CNN baseline. Each
// writes its model into its folder, evaluates it on the validation split and records the figures.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@edgeseg/autograd';
import { archFor, SegFormer, type SegFormerArch, segformerCost } from '@edgeseg/models';
import { writeFileAtomic } from '@edgeseg/safetensors';
import { runDsp } from '../dsp/dspStage.js';
import { objectiveFor } from '../dsp/objective.js';
import { loadFloatModel, saveFloatModel } from '../train/modelFile.js';
import { StageDir } from '../train/stageDir.js';
import { trainModel } from '../train/trainLoop.js';
import type { PipelineConfig } from './config.js';
import {
  type Ctx,
  evalFloat,
  recalibrateBn,
  runStage,
  stageIo,
  trainConfig,
  trainSource,
} from './context.js';
import { cnnCost, newCnn, saveCnn } from './models.js';

const MODEL = 'model.safetensors';

function archSummary(arch: SegFormerArch, size: [number, number]) {
  const cost = segformerCost(arch, size[0], size[1]);
  return { params: cost.total.params, macs: cost.total.macs };
}

export async function teacherStage(ctx: Ctx): Promise<SegFormer> {
  const { c, be } = ctx;
  const rec = await runStage(ctx, 'teacher', async (dir) => {
    let model: SegFormer;
    let history: unknown = [];
    if (c.teacher.checkpoint) {
      model = loadFloatModel(c.teacher.checkpoint, be).model;
      ctx.io.log(`teacher: loaded ${c.teacher.checkpoint} (${model.arch.config.name})`);
    } else {
      model = new SegFormer(be, archFor(c.teacher.arch), new Rng(c.seed));
      const r = await trainModel({
        dir,
        backend: be,
        model,
        source: trainSource(ctx, 1),
        config: trainConfig(ctx, c.teacher, false, 1),
        io: stageIo(ctx, 'teacher'),
      });
      if (!r) return null;
      history = r.history;
    }
    saveFloatModel(dir.path(MODEL), model, { stage: 'teacher' });
    const metrics = { ...(await evalFloat(ctx, model, 'teacher')), ...archSummary(model.arch, c.deploySize) };
    model.dispose();
    return { config: c.teacher, metrics, artifacts: [MODEL], extra: { arch: c.teacher.arch, history } };
  });
  return loadStageModel(ctx, rec.stage);
}

/** The float model a finished stage wrote. */
export function loadStageModel(ctx: Ctx, name: string): SegFormer {
  return loadFloatModel(join(ctx.runDir, name, MODEL), ctx.be).model;
}

export async function studentStage(ctx: Ctx, teacher: SegFormer): Promise<void> {
  const { c, be } = ctx;
  await runStage(ctx, 'student', async (dir) => {
    const sameArch = c.student.arch === teacher.arch.config.name;
    if (sameArch && c.student.steps === 0) {
      copyFileSync(join(ctx.runDir, 'teacher', MODEL), dir.path(MODEL));
      const teacherRec = new StageDir(ctx.runDir, 'teacher').record();
      return {
        config: { ...c.student, init: 'teacher weights' },
        metrics: teacherRec?.metrics ?? {},
        artifacts: [MODEL],
      };
    }
    const model = new SegFormer(be, archFor(c.student.arch), new Rng(c.seed + 1));
    const r = await trainModel({
      dir,
      backend: be,
      model,
      teacher,
      source: trainSource(ctx, 2),
      config: trainConfig(ctx, c.student, true, 2),
      io: stageIo(ctx, 'student'),
    });
    if (!r) return null;
    saveFloatModel(dir.path(MODEL), model, { stage: 'student' });
    const metrics = { ...(await evalFloat(ctx, model, 'student')), ...archSummary(model.arch, c.deploySize) };
    model.dispose();
    return {
      config: { ...c.student, init: 'distilled from the teacher' },
      metrics,
      artifacts: [MODEL],
      extra: { history: r.history },
    };
  });
}

/** The DSP target relative to the student's dense cost that meets `energyTarget` of the teacher's. */
export function dspTarget(
  c: PipelineConfig,
  ctx: Ctx,
  teacher: SegFormerArch,
  student: SegFormerArch,
): number {
  const cost = (a: SegFormerArch) => objectiveFor(a, c.deploySize, c.objective, ctx.profile, 'int8').total;
  return Math.min(1, (c.energyTarget * cost(teacher)) / cost(student));
}

export async function dspStage(ctx: Ctx, teacher: SegFormer): Promise<void> {
  const { c, be } = ctx;
  await runStage(ctx, 'dsp', async (dir) => {
    const student = loadStageModel(ctx, 'student');
    const target = dspTarget(c, ctx, teacher.arch, student.arch);
    ctx.io.log(
      `dsp: budget ${(100 * c.energyTarget).toFixed(1)} % of the teacher's modelled ${c.objective} = ${(100 * target).toFixed(1)} % of the dense student's`,
    );
    const r = await runDsp({
      dir,
      backend: be,
      student,
      teacher,
      source: trainSource(ctx, 3),
      config: {
        steps: c.dsp.steps,
        lr: c.dsp.lr,
        gateLr: c.dsp.gateLr,
        weightDecay: 0.01,
        warmupSteps: Math.min(50, Math.floor(c.dsp.steps / 10)),
        objective: c.objective,
        profile: ctx.profile,
        precision: 'int8',
        costSize: c.deploySize,
        target,
        lambdaE: 0,
        targetWarmup: c.dsp.targetWarmup,
        lagrangeLr: 5,
        mu: 10,
        distill: c.distill,
        exciseEvery: c.dsp.exciseEvery,
        exciseAfter: 2,
        checkpointEvery: c.checkpointEvery,
        seed: c.seed * 1000 + 3,
        gates: { initOpen: c.dsp.initOpen },
      },
      io: stageIo(ctx, 'dsp'),
    });
    if (!r) return null;
    writeFileAtomic(dir.path('gates.json'), `${JSON.stringify(r.gateTrace)}\n`);
    const metrics = {
      ...(await evalFloat(ctx, r.model, 'dsp')),
      ...archSummary(r.arch, c.deploySize),
      costRatio: r.costRatio,
      target,
      cut: r.cut.length,
    };
    r.model.dispose();
    return {
      config: { ...c.dsp, target, energyTarget: c.energyTarget },
      metrics,
      artifacts: [MODEL, 'gates.json'],
      extra: { history: r.history, excisions: r.excisions, arch: r.arch },
    };
  });
}

export async function recoverStage(ctx: Ctx, teacher: SegFormer): Promise<void> {
  const { c, be } = ctx;
  await runStage(ctx, 'excise', async (dir) => {
    const model = loadStageModel(ctx, 'dsp');
    const r = await trainModel({
      dir,
      backend: be,
      model,
      teacher,
      source: trainSource(ctx, 4),
      config: trainConfig(ctx, c.recover, true, 4),
      io: stageIo(ctx, 'excise'),
    });
    if (!r) return null;
    saveFloatModel(dir.path(MODEL), model, { stage: 'excise' });
    const metrics = { ...(await evalFloat(ctx, model, 'excise')), ...archSummary(model.arch, c.deploySize) };
    model.dispose();
    return { config: c.recover, metrics, artifacts: [MODEL], extra: { history: r.history } };
  });
}

export async function cnnStage(ctx: Ctx): Promise<void> {
  const { c, be } = ctx;
  const cnn = c.cnn;
  if (!cnn) return;
  await runStage(ctx, 'cnn', async (dir) => {
    const model = newCnn(be, cnn.arch, c.seed + 5);
    const r = await trainModel({
      dir,
      backend: be,
      model,
      source: trainSource(ctx, 5),
      config: trainConfig(ctx, cnn, false, 5),
      io: stageIo(ctx, 'cnn'),
    });
    if (!r) return null;
    // Re-estimate BatchNorm statistics on the final weights (batches past the schedule's end).
    await recalibrateBn(ctx, model, 5, cnn.steps, 'cnn');
    saveCnn(dir.path(MODEL), model, { stage: 'cnn' });
    const cost = cnnCost(cnn.arch, c.deploySize[0], c.deploySize[1]);
    const metrics = { ...(await evalFloat(ctx, model, 'cnn')), params: cost.params, macs: cost.macs };
    model.dispose();
    return { config: cnn, metrics, artifacts: [MODEL], extra: { history: r.history } };
  });
}
