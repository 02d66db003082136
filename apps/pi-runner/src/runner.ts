// runner.ts — what `edgeseg-run MODEL --input …` does, apart from flag parsing:
//   run   (default) every input once: decode, segment (timed), write the mask/overlay; energy over the run;
//   bench N: decode the inputs, write outputs once, warm up, then N timed frames cycling the images, the
//         energy window covering exactly those frames;
//   soak D:  like bench, for a duration, sampling FPS and temperature every few seconds.
// Bad inputs are reported on stderr and skipped; the caller turns `failed > 0` into exit code 1.
import type { EnergyProfile, RasterImage, SegmentationModel } from '@edgeseg/runtime';
import type { RunnerDeps } from './deps.js';
import { detectDevice } from './device.js';
import { ESTIMATES } from './estimates.js';
import { expandInputs, type InputProblem, readImage } from './inputs.js';
import type { Io } from './io.js';
import { OutputWriter } from './outputs.js';
import type { EnergyMeter, EnergySource, EnergyWindow } from './power/meter.js';
import { ModelMeter } from './power/model.js';
import { type PowerChoice, selectMeter } from './power/select.js';
import { ThermalMonitor, type ThermalReading } from './power/thermal.js';
import { createProgress } from './progress.js';
import { type SoakReport, type SoakSample, soakLoop } from './soak.js';
import { type LatencyStats, latencyStats } from './stats.js';

export type { SoakReport, SoakSample };

/** Images held in memory for bench and soak (each input decoded once). */
export const MAX_BENCH_IMAGES = 64;

export interface RunOptions {
  model: string;
  inputs: string[];
  out?: string;
  overlay: boolean;
  alpha: number;
  threads: number;
  bench?: number;
  /** Run the network at this input size instead of the model file's. */
  size?: { height: number; width: number };
  /**
   * Bench with `threads` frames in flight, each worker on whole frames (throughput, as a camera
   * queue would run it), instead of every frame split over all threads (latency).
   */
  pipeline?: boolean;
  warmup: number;
  power: PowerChoice;
  /** Energy profile for modelled energy (default: the estimate for this board). */
  profile?: { profile: EnergyProfile; origin: string };
  soakMs?: number;
  json: boolean;
}

export interface EnergyReport {
  source: EnergySource | null;
  measured: boolean;
  what?: string;
  caveat?: string;
  /** Why the source is not the one asked for, or why there is no figure. */
  note?: string;
  /** The sensors tried and not available, each with the reason. */
  unavailable?: { source: string; reason: string }[];
  /** Which part of the run the window covers. */
  window?: string;
  joules?: number;
  seconds?: number;
  watts?: number;
  joulesPerFrame?: number;
  samples?: number;
}

export interface RunSummary {
  model: {
    path: string;
    arch: string;
    precision: string;
    classes: number;
    threads: number;
    /** The network's input size (the file's, or --size). */
    input: { height: number; width: number };
  };
  mode: 'run' | 'bench' | 'soak';
  inputs: number;
  ok: number;
  failed: number;
  failures: InputProblem[];
  timing: {
    frames: number;
    seconds: number;
    /** Frames per second of wall clock over the timed frames. */
    fps: number;
    /** `latency`: one frame at a time on all threads; `pipeline`: `inFlight` frames at once. */
    schedule: 'latency' | 'pipeline';
    inFlight: number;
    latencyMs: LatencyStats;
    inferenceMsMean: number;
    warmup: number;
    imagesCycled?: number;
  } | null;
  energy: EnergyReport | null;
  thermal: { start: ThermalReading; end: ThermalReading } | null;
  soak?: {
    seconds: number;
    samples: SoakSample[];
    throttled: boolean;
    events: { atS: number; reason: string }[];
  };
  out?: { dir: string; kind: 'mask' | 'overlay'; written: string[] };
}

interface Frame {
  file: string;
  img: RasterImage;
}

function reportFailure(io: Io, failures: InputProblem[], input: string, e: unknown): void {
  const error = (e as Error).message ?? String(e);
  failures.push({ input, error });
  io.stderr.write(`error: ${error}\n`);
}

async function stopMeter(meter: EnergyMeter, frames: number): Promise<EnergyWindow | Error> {
  try {
    return await meter.stop({ frames });
  } catch (e) {
    return e as Error;
  }
}

export async function runModel(o: RunOptions, io: Io, deps: RunnerDeps): Promise<RunSummary> {
  const env = deps.sensors;
  const { files, problems } = await expandInputs(o.inputs);
  const failures: InputProblem[] = [];
  for (const p of problems) reportFailure(io, failures, p.input, new Error(p.error));
  if (files.length === 0) {
    throw new Error(
      `--input: no images to run. Expected PNG or JPEG files, got none from ${o.inputs.join(' ')}.`,
    );
  }

  const pipelined = Boolean(o.pipeline) && o.threads > 1;
  const model: SegmentationModel = await deps.loadModel(o.model, {
    threads: o.threads,
    pipeline: pipelined,
    ...(o.size ? { inputSize: o.size } : {}),
  });
  try {
    const info = model.info;
    const writer = o.out
      ? new OutputWriter(o.out, o.overlay ? 'overlay' : 'mask', o.alpha, info.palette)
      : undefined;
    const profile = o.profile ?? (await boardEstimate(deps));
    const choice = await selectMeter(
      o.power,
      env,
      () => new ModelMeter(info, profile.profile, env.now, profile.origin),
    );
    const meter = choice.meter;
    const thermal = await ThermalMonitor.open(env);
    const thermalStart = await thermal.read();

    const latencies: number[] = [];
    const inferMs: number[] = [];
    const timed = async (f: Frame) => {
      const t0 = performance.now();
      const r = await model.segment(f.img.data, f.img.width, f.img.height);
      latencies.push(performance.now() - t0);
      inferMs.push(r.inferenceMs);
      return r;
    };
    const mode: RunSummary['mode'] =
      o.soakMs !== undefined ? 'soak' : o.bench !== undefined ? 'bench' : 'run';
    let ok = 0;
    let window: EnergyWindow | Error | undefined;
    let windowName = '';
    let timedSeconds = 0;
    let soak: RunSummary['soak'];
    let cycled: number | undefined;

    if (mode === 'run') {
      const progress = createProgress(io.stderr, 'segment', files.length);
      windowName = 'the whole run: decoding, inference and PNG writes';
      await meter?.start();
      const t0 = performance.now();
      for (const [i, file] of files.entries()) {
        try {
          const img = await readImage(file);
          const r = await timed({ file, img });
          await meter?.poll();
          await writer?.write(file, img, r.classes, r.width, r.height);
          ok++;
        } catch (e) {
          reportFailure(io, failures, file, e);
        }
        progress.update(i + 1);
      }
      timedSeconds = (performance.now() - t0) / 1000;
      if (meter) window = await stopMeter(meter, latencies.length);
      progress.done();
    } else {
      const frames: Frame[] = [];
      for (const file of files) {
        if (frames.length >= MAX_BENCH_IMAGES) break;
        try {
          frames.push({ file, img: await readImage(file) });
        } catch (e) {
          reportFailure(io, failures, file, e);
        }
      }
      if (frames.length === 0)
        throw new Error(`--input: none of the ${files.length} input(s) could be decoded.`);
      cycled = frames.length;
      // Outputs first, untimed: PNG encoding stays out of the measured window (and warms the model up).
      ok = frames.length;
      if (writer) {
        for (const f of frames) {
          try {
            const r = await model.segment(f.img.data, f.img.width, f.img.height);
            await writer.write(f.file, f.img, r.classes, r.width, r.height);
          } catch (e) {
            reportFailure(io, failures, f.file, e);
            ok--;
          }
        }
      }
      for (let i = 0; i < o.warmup; i++) {
        const f = frames[i % frames.length];
        await model.segment(f.img.data, f.img.width, f.img.height);
      }
      windowName = 'the timed frames only (after warm-up)';
      await meter?.start();
      const t0 = performance.now();
      if (mode === 'bench') {
        const n = o.bench ?? 0;
        const progress = createProgress(io.stderr, 'bench', n);
        // Pipelined: one loop per worker, each taking the next frame as soon as its last is done.
        let next = 0;
        let done = 0;
        const loop = async () => {
          while (next < n) {
            const i = next++;
            await timed(frames[i % frames.length]);
            await meter?.poll();
            progress.update(++done);
          }
        };
        await Promise.all(Array.from({ length: pipelined ? o.threads : 1 }, loop));
        progress.done();
      } else {
        soak = await soakLoop(o.soakMs ?? 0, frames, timed, meter, thermal, io, deps.soakReportMs);
      }
      timedSeconds = (performance.now() - t0) / 1000;
      if (meter) window = await stopMeter(meter, latencies.length);
    }

    const thermalEnd = await thermal.read();
    const frames = latencies.length;
    let energy: EnergyReport | null = null;
    if (o.power === 'none') energy = null;
    else {
      const unavailable = choice.unavailable.map(({ source, reason }) => ({ source, reason }));
      energy = meter
        ? {
            source: meter.source,
            measured: meter.measured,
            what: meter.what,
            caveat: meter.caveat,
            note: choice.note,
            unavailable,
            window: windowName,
          }
        : { source: null, measured: false, note: choice.note, unavailable };
      // `window` is undefined without a meter.
      if (window instanceof Error) energy.note = [energy.note, window.message].filter(Boolean).join('; ');
      else if (window) {
        Object.assign(energy, {
          joules: window.joules,
          seconds: window.seconds,
          watts: window.watts,
          joulesPerFrame: frames > 0 ? window.joules / frames : undefined,
          samples: window.samples,
        });
      }
    }
    return {
      model: {
        path: o.model,
        arch: info.arch,
        precision: info.precision,
        classes: info.classes.length,
        threads: model.threads,
        input: { height: info.input.height, width: info.input.width },
      },
      mode,
      inputs: files.length + problems.length,
      ok,
      failed: failures.length,
      failures,
      timing:
        frames > 0
          ? {
              frames,
              seconds: timedSeconds,
              // One frame at a time, FPS is 1000 / mean latency; pipelined, frames overlap and
              // only the wall clock over all of them counts.
              fps: pipelined
                ? frames / Math.max(1e-9, timedSeconds)
                : frames / Math.max(1e-9, latencies.reduce((a, b) => a + b, 0) / 1000),
              schedule: pipelined ? 'pipeline' : 'latency',
              inFlight: pipelined ? o.threads : 1,
              latencyMs: latencyStats(latencies),
              inferenceMsMean: inferMs.reduce((a, b) => a + b, 0) / frames,
              warmup: mode === 'run' ? 0 : o.warmup,
              imagesCycled: cycled,
            }
          : null,
      energy,
      thermal: thermal.available ? { start: thermalStart, end: thermalEnd } : null,
      soak,
      out: writer ? { dir: writer.dir, kind: writer.kind, written: writer.written } : undefined,
    };
  } finally {
    await model.dispose();
  }
}

async function boardEstimate(deps: RunnerDeps): Promise<{ profile: EnergyProfile; origin: string }> {
  const device = await detectDevice(deps.sensors);
  const profile = ESTIMATES[device.board];
  return {
    profile,
    origin: `the built-in estimate for ${device.board === 'other' ? 'an unknown board' : device.name}`,
  };
}
