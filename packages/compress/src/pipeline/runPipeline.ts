// runPipeline.ts — `edgeseg compress`: data → teacher → student → DSP → excision + recovery → QAT →
// INT8 → ONNX export → CNN baseline → bench → report, each stage in RUN/<stage>/ with its stage.json (DESIGN §3.4).
// A rerun on the same directory skips finished stages and resumes the running one from its last
// checkpoint; the config is saved once and a rerun that changes it is refused, naming the fields.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WasmBackend } from '@edgeseg/autograd';
import { CityscapesDataset, writeSynthCity } from '@edgeseg/data';
import type { RenderedReport } from '@edgeseg/report';
import { writeFileAtomic } from '@edgeseg/safetensors';
import { resolveProfile } from '../energy/profile.js';
import { type BenchResult, benchStage } from './benchStage.js';
import { checkConfig, configDiff, type PipelineConfig } from './config.js';
import { type Ctx, type PipelineIo, runStage, Stopped } from './context.js';
import { exportStage, int8Stage, qatStage } from './quantStages.js';
import { buildReport } from './reportStage.js';
import { cnnStage, dspStage, recoverStage, studentStage, teacherStage } from './trainStages.js';

/** The stage folders of a run, in order (the report is rebuilt, not a resumable stage). */
export const STAGES = [
  'data',
  'teacher',
  'student',
  'dsp',
  'excise',
  'qat',
  'int8',
  'export',
  'cnn',
  'bench',
] as const;

export interface PipelineResult {
  /** false when a stop request ended the run early (rerun to resume). */
  finished: boolean;
  stoppedAt?: string;
  runDir: string;
  report?: RenderedReport;
  bench?: BenchResult;
}

/** Saves the config on the first run; on a rerun insists it is the same. */
function pinConfig(runDir: string, c: PipelineConfig): void {
  const path = join(runDir, 'config.json');
  if (existsSync(path)) {
    const old = JSON.parse(readFileSync(path, 'utf8')) as PipelineConfig;
    const diff = configDiff(old, c);
    if (diff.length > 0) {
      throw new Error(
        `${runDir}: the run was started with another configuration (${diff.slice(0, 6).join(', ')}${diff.length > 6 ? ', …' : ''} differ). ` +
          'Expected the same options as the first run to resume it; use a new --out directory for a new run.',
      );
    }
    return;
  }
  writeFileAtomic(path, `${JSON.stringify(c, null, 2)}\n`);
}

export async function dataStage(ctx: Omit<Ctx, 'train' | 'val'>): Promise<string> {
  const d = ctx.c.data;
  if (d.kind === 'cityscapes') {
    for (const split of ['train', 'val'] as const) await CityscapesDataset.open(d.path, split);
    return d.path;
  }
  const root = join(ctx.runDir, 'data');
  await runStage(ctx as Ctx, 'data', async () => {
    const r = await writeSynthCity({
      out: root,
      train: d.train,
      val: d.val,
      width: d.width,
      height: d.height,
      seed: d.seed,
      onProgress: (done, total) => ctx.io.progress?.('data', done, total, ''),
    });
    return {
      config: d,
      metrics: { written: r.written, skipped: r.skipped },
      artifacts: [],
    };
  });
  return root;
}

export async function runPipeline(
  runDir: string,
  c: PipelineConfig,
  io: PipelineIo,
): Promise<PipelineResult> {
  checkConfig(c);
  mkdirSync(runDir, { recursive: true });
  pinConfig(runDir, c);
  const be = new WasmBackend();
  const base = { runDir, c, be, io, profile: resolveProfile(c.profile) };
  try {
    const root = await dataStage(base);
    const train = await CityscapesDataset.open(root, 'train');
    const val = await CityscapesDataset.open(root, 'val');
    if (train.length < c.batchSize) {
      throw new Error(
        `data: ${root} has ${train.length} training frames. Expected at least a batch (${c.batchSize}).`,
      );
    }
    if (val.length === 0) throw new Error(`data: ${root} has no validation frames. Expected at least one.`);
    const ctx: Ctx = { ...base, train, val };
    const teacher = await teacherStage(ctx);
    await studentStage(ctx, teacher);
    await dspStage(ctx, teacher);
    await recoverStage(ctx, teacher);
    await qatStage(ctx, teacher);
    teacher.dispose();
    await int8Stage(ctx);
    await exportStage(ctx);
    await cnnStage(ctx);
    const bench = await benchStage(ctx);
    const report = await buildReport(runDir, { be });
    io.log(`report: ${report.reportMd}`);
    return { finished: true, runDir, report, bench };
  } catch (e) {
    if (e instanceof Stopped) {
      io.log(e.message);
      return { finished: false, stoppedAt: e.stage, runDir };
    }
    throw e;
  }
}
