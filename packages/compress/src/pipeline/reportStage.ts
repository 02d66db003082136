// reportStage.ts — the run as the paper's table: reads every stage's stage.json, the bench figures,
// the DSP gate trace and attention maps of the teacher and the compressed student on a few
// validation frames, and renders RUN/report/ (report.md, report.json, SVG + PNG plots). It only
// reads finished artifacts, so `edgeseg report RUN` can rebuild it at any time.
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { type Backend, Tensor, WasmBackend } from '@edgeseg/autograd';
import { CityscapesDataset, CLASS_NAMES, evalBatches, IMAGENET_MEAN, IMAGENET_STD } from '@edgeseg/data';
import { type SegFormer, type SegFormerArch, segformerCost } from '@edgeseg/models';
import {
  type AttentionSample,
  type GateHistory,
  type RenderedReport,
  type ReportData,
  type ReportRow,
  renderReport,
} from '@edgeseg/report';
import type { GateTrace } from '../dsp/dspStage.js';
import { modelEnergy } from '../energy/energyModel.js';
import { resolveProfile } from '../energy/profile.js';
import { attentionMaps } from '../report/attentionMaps.js';
import { checkpointArch, loadFloatModel } from '../train/modelFile.js';
import type { StageRecord } from '../train/stageDir.js';
import type { BenchResult } from './benchStage.js';
import type { PipelineConfig } from './config.js';
import type { EvalMetrics } from './context.js';

const THIN = ['pole', 'traffic light', 'traffic sign'];
const TEACHER_LABEL = 'Baseline (teacher)';
const STUDENT_LABEL = 'Ours (DSP + QAT)';

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function record(run: string, stage: string): StageRecord | null {
  const p = join(run, stage, 'stage.json');
  if (!existsSync(p)) return null;
  const r = readJson<StageRecord>(p);
  return r.status === 'done' ? r : null;
}

export function describeArch(arch: SegFormerArch, dense?: SegFormerArch): string {
  const heads = arch.blocks.map((bs) => bs.reduce((a, b) => a + b.heads, 0));
  const ffn = arch.blocks.map((bs) => bs.reduce((a, b) => a + b.ffn, 0));
  const base = arch.config.name;
  if (!dense) return `${base}, decoder ${arch.decoder.fuseDim}`;
  const dh = dense.blocks.map((bs) => bs.reduce((a, b) => a + b.heads, 0));
  const df = dense.blocks.map((bs) => bs.reduce((a, b) => a + b.ffn, 0));
  return `${base} pruned: heads [${dh}] → [${heads}], FFN width [${df}] → [${ffn}], decoder ${dense.decoder.fuseDim} → ${arch.decoder.fuseDim}`;
}

function metricsOf(r: StageRecord): EvalMetrics {
  return r.metrics as unknown as EvalMetrics;
}

function floatArch(run: string, stage: string): SegFormerArch {
  const path = join(run, stage, 'model.safetensors');
  const arch = checkpointArch(path);
  if (!arch)
    throw new Error(`report: ${path} carries no architecture. Expected a model written by edgeseg compress.`);
  return arch;
}

/** RGB bytes of a normalized NCHW image (batch 1). */
function toRgb(images: Float32Array, h: number, w: number): Uint8Array {
  const out = new Uint8Array(h * w * 3);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < h * w; i++) {
      const v = images[c * h * w + i] * IMAGENET_STD[c] + IMAGENET_MEAN[c];
      out[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return out;
}

/** A thin-class pixel if the frame has one (what the paper's figure looks at), else the centre. */
function queryPixel(labels: Uint8Array, h: number, w: number): { x: number; y: number } {
  const thinIds = THIN.map((n) => CLASS_NAMES.indexOf(n));
  for (const id of thinIds) {
    const idx: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === id) idx.push(i);
    if (idx.length > 20) {
      const i = idx[Math.floor(idx.length / 2)];
      return { x: i % w, y: Math.floor(i / w) };
    }
  }
  return { x: Math.floor(w / 2), y: Math.floor(h / 2) };
}

async function attentionSamples(
  be: Backend,
  val: CityscapesDataset,
  c: PipelineConfig,
  teacher: SegFormer,
  student: SegFormer,
): Promise<AttentionSample[]> {
  const out: AttentionSample[] = [];
  const [h, w] = c.evalSize;
  for await (const b of evalBatches(val, { batchSize: 1, size: c.evalSize })) {
    if (out.length >= c.attentionImages) break;
    const x = Tensor.from(be, [1, h, w, 3], nhwc(b.images, h, w));
    const query = queryPixel(b.labels, h, w);
    const maps = [
      ...attentionMaps(teacher, x, [1, 2], query).map((a) => ({ a, model: TEACHER_LABEL })),
      ...attentionMaps(student, x, [1, 2], query).map((a) => ({ a, model: STUDENT_LABEL })),
    ].map(({ a, model }) => ({
      model,
      stage: a.stage,
      kind: 'query' as const,
      height: a.height,
      width: a.width,
      values: Array.from(a.query),
    }));
    x.dispose();
    out.push({ name: b.names[0], image: { width: w, height: h, rgb: toRgb(b.images, h, w) }, query, maps });
  }
  return out;
}

function nhwc(images: Float32Array, h: number, w: number): Float32Array {
  const out = new Float32Array(h * w * 3);
  for (let c = 0; c < 3; c++) for (let i = 0; i < h * w; i++) out[i * 3 + c] = images[c * h * w + i];
  return out;
}

export async function buildReport(run: string, o: { be?: Backend } = {}): Promise<RenderedReport> {
  const configPath = join(run, 'config.json');
  if (!existsSync(configPath)) {
    throw new Error(
      `report: ${run} is not a run directory. Expected ${configPath} (written by edgeseg compress).`,
    );
  }
  const c = readJson<PipelineConfig>(configPath);
  const need = (stage: string) => {
    const r = record(run, stage);
    if (!r)
      throw new Error(
        `report: stage "${stage}" of ${run} has not finished. Run edgeseg compress --out ${run} first.`,
      );
    return r;
  };
  const teacherRec = need('teacher');
  const dspRec = need('dsp');
  const exciseRec = need('excise');
  const qatRec = need('qat');
  const int8Rec = need('int8');
  need('bench');
  const studentRec = record(run, 'student');
  const cnnRec = record(run, 'cnn');
  const bench = readJson<BenchResult>(join(run, 'bench', 'bench.json'));
  const profile = resolveProfile(c.profile);
  const [H, W] = c.deploySize;
  const teacherArch = floatArch(run, 'teacher');
  const studentArch = floatArch(run, 'student');
  const finalArch = floatArch(run, 'excise');
  const cost = (a: SegFormerArch) => segformerCost(a, H, W).total;
  const energy = (a: SegFormerArch, p: 'fp32' | 'int8') => modelEnergy(a, H, W, profile, p).energyMj;
  const source = `model:${profile.name}`;
  const classIou = (m: EvalMetrics) => m.classIou;
  const row = (
    r: Omit<ReportRow, 'params' | 'macs' | 'energyMj' | 'energySource' | 'miou' | 'classIou'>,
    arch: SegFormerArch,
    m: EvalMetrics,
  ): ReportRow => ({
    ...r,
    params: cost(arch).params,
    macs: cost(arch).macs,
    miou: m.miou,
    classIou: classIou(m),
    energyMj: energy(arch, r.precision),
    energySource: source,
  });
  const e = bench.entries;
  const rows: ReportRow[] = [];
  rows.push(
    row(
      {
        role: 'teacher',
        label: TEACHER_LABEL,
        model: teacherArch.config.name,
        stage: 'teacher',
        arch: describeArch(teacherArch),
        latencyMs: e.teacher?.latencyMs ?? null,
        precision: 'fp32',
      },
      teacherArch,
      metricsOf(teacherRec),
    ),
  );
  if (studentRec && studentArch.config.name !== teacherArch.config.name) {
    rows.push(
      row(
        {
          role: 'stage',
          label: `Student init (${studentArch.config.name}, distilled)`,
          model: studentArch.config.name,
          stage: 'student',
          arch: describeArch(studentArch),
          latencyMs: null,
          precision: 'fp32',
        },
        studentArch,
        metricsOf(studentRec),
      ),
    );
  }
  const fp32Latency = e['student-fp32']?.latencyMs ?? null;
  rows.push(
    row(
      {
        role: 'stage',
        label: 'DSP (pruned, before recovery)',
        model: finalArch.config.name,
        stage: 'dsp',
        arch: describeArch(finalArch, studentArch),
        latencyMs: fp32Latency,
        precision: 'fp32',
      },
      finalArch,
      metricsOf(dspRec),
    ),
    row(
      {
        role: 'stage',
        label: 'DSP + recovery (FP32)',
        model: finalArch.config.name,
        stage: 'excise',
        arch: describeArch(finalArch, studentArch),
        latencyMs: fp32Latency,
        precision: 'fp32',
      },
      finalArch,
      metricsOf(exciseRec),
    ),
  );
  const ptq = (qatRec.metrics as { ptq?: EvalMetrics }).ptq;
  const int8Latency = e['student-int8']?.latencyMs ?? null;
  if (ptq) {
    rows.push(
      row(
        {
          role: 'stage',
          label: 'PTQ (INT8, calibration only)',
          model: finalArch.config.name,
          stage: 'ptq',
          arch: describeArch(finalArch, studentArch),
          latencyMs: int8Latency,
          precision: 'int8',
          note: 'mIoU of the fake-quantized model; latency of the INT8 model (same graph)',
        },
        finalArch,
        ptq,
      ),
    );
  }
  rows.push(
    row(
      {
        role: 'stage',
        label: 'QAT (fake-quant)',
        model: finalArch.config.name,
        stage: 'qat',
        arch: describeArch(finalArch, studentArch),
        latencyMs: int8Latency,
        precision: 'int8',
      },
      finalArch,
      metricsOf(qatRec),
    ),
    row(
      {
        role: 'student',
        label: STUDENT_LABEL,
        model: finalArch.config.name,
        stage: 'int8',
        arch: describeArch(finalArch, studentArch),
        latencyMs: int8Latency,
        precision: 'int8',
        note: 'mIoU measured through the runtime (the runner’s code path)',
      },
      finalArch,
      metricsOf(int8Rec),
    ),
  );
  if (cnnRec && e.cnn && c.cnn) {
    const m = metricsOf(cnnRec);
    rows.push({
      role: 'cnn',
      label: 'MobileNetV3-Seg',
      model: c.cnn.arch,
      stage: 'cnn',
      arch: `${c.cnn.arch} (LR-ASPP)`,
      params: e.cnn.params,
      macs: e.cnn.macs,
      miou: m.miou,
      classIou: m.classIou,
      latencyMs: e.cnn.latencyMs,
      energyMj: e.cnn.energyMj,
      energySource: source,
      precision: 'fp32',
      note: e.cnn.note,
    });
  }
  if (e.b5) {
    rows.push({
      role: 'stage',
      label: 'SegFormer-B5 (random weights)',
      model: 'segformer-b5',
      stage: 'b5',
      arch: 'MiT-B5, the paper’s teacher',
      params: e.b5.params,
      macs: e.b5.macs,
      miou: null,
      classIou: {},
      latencyMs: e.b5.latencyMs,
      energyMj: e.b5.energyMj,
      energySource: source,
      precision: 'fp32',
      note: 'random weights: latency and modelled energy only, no accuracy',
    });
  }

  const trace = readJson<GateTrace>(join(run, 'dsp', 'gates.json'));
  const gates: GateHistory = {
    steps: trace.steps,
    layers: Object.entries(trace.layers).map(([name, values]) => ({ name, values })),
  };

  const be = o.be ?? new WasmBackend();
  const root = c.data.kind === 'synthcity' ? join(run, 'data') : c.data.path;
  const val = await CityscapesDataset.open(root, 'val');
  const teacher = loadFloatModel(join(run, 'teacher', 'model.safetensors'), be).model;
  const student = loadFloatModel(join(run, 'excise', 'model.safetensors'), be).model;
  const attention = await attentionSamples(be, val, c, teacher, student);
  teacher.dispose();
  student.dispose();

  const notes: string[] = [];
  const int8Bench = e['student-int8'];
  if (int8Bench) {
    const pi = resolveProfile('rpi5');
    const gmac = int8Bench.macs / 1e9;
    const piFps = pi.macsPerSecond.int8 / int8Bench.macs;
    const piModel = modelEnergy(finalArch, H, W, pi, 'int8');
    notes.push(
      `Raspberry Pi 5, on paper: the INT8 student needs ${gmac.toFixed(2)} GMAC per ${H}×${W} frame; at the rpi5 profile's ${(pi.macsPerSecond.int8 / 1e9).toFixed(0)} GMAC/s (int8, 4 cores — a documented estimate, not a measurement on a Pi) that is ${piFps.toFixed(1)} FPS compute-bound, ${(1000 / piModel.latencyMs).toFixed(1)} FPS with the profile's DRAM traffic. ` +
        'To replace the estimate with a measurement, run `npm run bench:kernels` or `edgeseg-run calibrate --out pi5.json` on the board and pass `--profile pi5.json`.',
    );
    if (int8Bench.latencyMs !== null) {
      notes.push(
        `Here: the INT8 student runs at ${(1000 / int8Bench.latencyMs).toFixed(1)} FPS (median ${int8Bench.latencyMs.toFixed(1)} ms, p90 ${int8Bench.p90Ms?.toFixed(1)} ms) at ${H}×${W} on ${int8Bench.threads} thread(s) of this machine, each frame split over the threads` +
          (int8Bench.pipelinedFps
            ? `; ${int8Bench.pipelinedFps.toFixed(1)} FPS pipelined (one frame in flight per thread, each at one thread's latency: throughput)`
            : '') +
          `; the paper's real-time bar is 30 FPS.`,
      );
    }
  }
  const dspMetrics = dspRec.metrics as { target?: number; costRatio?: number };
  if (typeof dspMetrics.target === 'number' && typeof dspMetrics.costRatio === 'number') {
    notes.push(
      `DSP budget: ${(100 * c.energyTarget).toFixed(1)} % of the teacher's modelled ${c.objective} (int8, ${c.profile}, ${H}×${W}) = ${(100 * dspMetrics.target).toFixed(1)} % of the dense student's; the pruned architecture costs ${(100 * dspMetrics.costRatio).toFixed(1)} % of the dense student's.`,
    );
  }
  notes.push(
    `Energy per frame is modelled (profile ${profile.name}: MACs × pJ/MAC + bytes × pJ/byte + static power × modelled latency), not measured; the teacher at fp32, the INT8 rows at int8.`,
  );

  const threads = Math.max(
    ...Object.values(e)
      .filter((x) => x.engine.startsWith('edgeseg'))
      .map((x) => x.threads),
    1,
  );
  const data: ReportData = {
    created: new Date().toISOString(),
    run,
    resolution: c.deploySize,
    threads,
    engine: `${e.teacher?.engine ?? 'edgeseg runtime'}, Node ${process.versions.node}`,
    device: `this machine (${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores)`,
    dataset: {
      name: c.data.kind === 'synthcity' ? 'SynthCity' : 'Cityscapes',
      split: 'val',
      images: metricsOf(int8Rec).frames,
    },
    energy: { profile: profile.name, source: `model (${profile.name} profile)` },
    classes: [...CLASS_NAMES],
    thinClasses: THIN,
    rows,
    gates,
    attention,
    notes,
  };
  return renderReport(data, join(run, 'report'));
}
