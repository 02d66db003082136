// threadRun.ts — every measurement at one thread count, in its own process: onnxruntime-web sizes
// its WASM thread pool once per process (ortPeer.ts), so the bench starts this script once per count.
// Per frame size, ours INT8 and ours FP32 (and, with the largest size, ours INT8 on the small frame
// of the resolution ratio) are loaded together and take turns frame by frame (timing.ts), so the
// ratios between them hold while the machine's load moves; ort-web INT8 is timed right after them
// (not in the turns: see below). Reads a job
// (JSON file named by argv[2]); prints one JSON line of results on stdout, progress on stderr.
import { readFileSync } from 'node:fs';
import {
  type EdgesegModelFile,
  encodeEdgeseg,
  loadModel,
  readEdgeseg,
  type SegmentationModel,
} from '@edgeseg/runtime';
import { syntheticRgb } from './images.js';
import { loadOrtWeb, type OrtRunner, ortRunner } from './ortPeer.js';
import type { FrameCpu, Row } from './row.js';
import { type Latency, type TimingOptions, timeInTurns } from './timing.js';

export interface ThreadJob {
  threads: number;
  timing: TimingOptions;
  /** .edgeseg files of the two precisions (their input size is set per frame size). */
  models: { int8: string; fp32: string };
  /**
   * Frame sizes; onnx = the export at that size; scalingBase = a smaller frame for ours INT8 measured
   * in turns with this size (the resolution ratio).
   */
  sizes: { height: number; width: number; onnx?: string; scalingBase?: { height: number; width: number } }[];
}

export type ThreadRunResult =
  | { ok: true; rows: Row[]; ortWeb?: string; notes: string[] }
  | { ok: false; error: string };

const progress = (s: string) => process.stderr.write(`progress: ${s}\n`);

/**
 * CPU of one frame: with worker threads, their own CPU clocks (the model's lastStats; the process
 * clock would count this idle thread and miss nothing else); on one thread, the process clock.
 */
function frameCpu(m: SegmentationModel, processMs: number): FrameCpu {
  const stats = (m as { lastStats?: { cpuMs?: number; waitMs: number; barriers: number }[] }).lastStats;
  if (m.threads > 1 && stats?.length && stats.every((s) => s.cpuMs !== undefined)) {
    const busiest = stats.reduce((a, b) => (b.cpuMs! > a.cpuMs! ? b : a));
    return {
      totalMs: stats.reduce((a, s) => a + s.cpuMs!, 0),
      maxThreadMs: busiest.cpuMs!,
      waitMs: busiest.waitMs,
      barriers: busiest.barriers,
    };
  }
  return { totalMs: processMs };
}

function meanCpu(frames: FrameCpu[]): FrameCpu {
  const mean = (f: (c: FrameCpu) => number | undefined) => {
    const v = frames.map(f).filter((x): x is number => x !== undefined);
    return v.length === frames.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
  };
  const out: FrameCpu = { totalMs: mean((c) => c.totalMs)! };
  const max = mean((c) => c.maxThreadMs);
  if (max !== undefined) {
    out.maxThreadMs = max;
    out.waitMs = mean((c) => c.waitMs);
    out.barriers = mean((c) => c.barriers);
  }
  return out;
}

function atSize(f: EdgesegModelFile, height: number, width: number): Uint8Array {
  return encodeEdgeseg({
    meta: { ...f.meta, input: { ...f.meta.input, height, width } },
    tensors: f.tensors,
  });
}

async function main(): Promise<ThreadRunResult> {
  const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as ThreadJob;
  const t = job.threads;
  const files = { int8: readEdgeseg(job.models.int8), fp32: readEdgeseg(job.models.fp32) };
  const wantOrt = job.sizes.some((s) => s.onnx);
  const ort = wantOrt ? await loadOrtWeb(t) : null;
  const notes: string[] = [];
  if (wantOrt && !ort) notes.push('onnxruntime-web is not installed; its rows are missing.');
  const rows: Row[] = [];
  for (const s of job.sizes) {
    const size = `${s.height}x${s.width}`;
    progress(`threads=${t} ${size}`);
    // ORT's session first: our kernel loader turns V8's baseline compiler off for the process (a
    // Node 20 workaround), after which ORT's large WASM module would take long to compile.
    let runner: OrtRunner | undefined;
    if (ort && s.onnx) runner = await ortRunner(ort, new Uint8Array(readFileSync(s.onnx)), s.height, s.width);
    const ours: Record<
      string,
      { m: SegmentationModel; row: Omit<Row, 'ranOn' | 'latency'>; rgb: Uint8Array }
    > = {};
    const add = async (key: string, precision: 'int8' | 'fp32', h: number, w: number, role?: 'scaling') => {
      ours[key] = {
        m: await loadModel(atSize(files[precision], h, w), { threads: t }),
        row: { impl: 'ours', precision, size: `${h}x${w}`, threads: t, ...(role ? { role } : {}) },
        rgb: syntheticRgb(w, h, 1),
      };
    };
    await add('ours int8', 'int8', s.height, s.width);
    await add('ours fp32', 'fp32', s.height, s.width);
    if (s.scalingBase)
      await add('ours int8 base', 'int8', s.scalingBase.height, s.scalingBase.width, 'scaling');
    // Any normalized image: the network's cost does not depend on pixel values.
    const input = Float32Array.from({ length: 3 * s.height * s.width }, (_, i) => Math.sin(i * 0.01));
    const frames: Record<string, () => Promise<unknown>> = {};
    const cpu: Record<string, FrameCpu[]> = {};
    for (const [key, o] of Object.entries(ours)) {
      const [h, w] = o.row.size.split('x').map(Number);
      cpu[key] = [];
      frames[key] = async () => {
        const c0 = process.cpuUsage();
        const r = await o.m.segment(o.rgb, w, h);
        const c1 = process.cpuUsage(c0);
        cpu[key].push(frameCpu(o.m, (c1.user + c1.system) / 1000));
        return r;
      };
    }
    // Ours take turns with each other; ORT runs after them, on its own: its thread pool keeps
    // spinning after a run and took the cores from whatever came next (measured: our 2-thread INT8
    // frame 48.7 ms alone, 86.4 ms right after an ORT run, still 2× slower after a 100 ms pause).
    const lat: Record<string, Latency> = await timeInTurns(frames, job.timing);
    if (runner)
      Object.assign(lat, await timeInTurns({ 'ort-web int8': () => runner.run(input) }, job.timing));
    for (const [key, o] of Object.entries(ours)) {
      const timed = cpu[key].slice(job.timing.warmup);
      rows.push({
        ...o.row,
        ranOn: o.m.threads,
        latency: lat[key],
        ...(timed.length ? { cpu: meanCpu(timed) } : {}),
      });
      if (o.m.threads !== t) {
        notes.push(
          `threads unavailable: loadModel({ threads: ${t} }) ran on ${o.m.threads}; those rows show ${t}→${o.m.threads}.`,
        );
      }
      await o.m.dispose();
    }
    if (runner) {
      rows.push({
        impl: 'ort-web',
        precision: 'int8',
        size,
        threads: t,
        ranOn: t,
        latency: lat['ort-web int8'],
      });
      await runner.release();
    }
  }
  const ortWeb = ort ? String(ort.env.versions?.web ?? ort.env.versions?.common ?? '?') : undefined;
  return { ok: true, rows, notes, ...(ortWeb ? { ortWeb } : {}) };
}

main().then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (e) => {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String((e as Error).stack ?? e) })}\n`);
    process.exit(1);
  },
);
