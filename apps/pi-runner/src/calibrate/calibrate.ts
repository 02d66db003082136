// calibrate.ts — measure this device: idle power, then each kernel case for a window of `seconds` on
// `threads` threads (worker threads, one kernel instance each, when more than one), with the power sensor
// sampled over each window. The result goes to buildProfile.
import { Worker } from 'node:worker_threads';
import { type Kernels, loadKernels } from '@edgeseg/kernels';
import { detectDevice } from '../device.js';
import type { Io } from '../io.js';
import { readSysText, type SensorEnv, sysGlob } from '../power/env.js';
import type { EnergyMeter } from '../power/meter.js';
import { type PowerChoice, selectMeter } from '../power/select.js';
import type { CalibrationResult, CaseResult } from './buildProfile.js';
import { type CaseName, type CaseTiming, KERNEL_CASES, prepareCase, timeCase } from './kernelCases.js';

export interface CalibrateOptions {
  threads: number;
  /** Timing window per kernel case. */
  seconds: number;
  /** Idle window for the static power. */
  idleSeconds: number;
  power: Exclude<PowerChoice, 'model'>;
  /** Cases to run (default: all). */
  cases?: CaseName[];
}

/** Parses sysfs cache sizes such as "32K", "2048K", "8M". */
export function parseCacheSize(text: string): number | undefined {
  const m = /^(\d+)\s*([KMG]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * mult;
}

export async function largestCache(env: SensorEnv): Promise<number | undefined> {
  let best: number | undefined;
  for (const dir of await sysGlob(env, '/sys/devices/system/cpu/cpu0/cache/index*')) {
    try {
      const size = parseCacheSize(await readSysText(env, `${dir}/size`));
      if (size !== undefined && (best === undefined || size > best)) best = size;
    } catch {}
  }
  return best;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Worker threads that each hold a kernel instance and time the case they are told to. */
class WorkerPool {
  private readonly workers: Worker[];
  private readonly failed: Promise<never>;

  constructor(threads: number, seconds: number) {
    const url = new URL('./calibrateWorker.js', import.meta.url);
    this.workers = Array.from({ length: threads }, () => new Worker(url, { workerData: { seconds } }));
    this.failed = new Promise<never>((_, reject) => {
      for (const w of this.workers) {
        w.once('error', reject);
        w.once('exit', (code) =>
          reject(new Error(`calibrateWorker: exited early. Expected it to report, got exit code ${code}.`)),
        );
      }
    });
    this.failed.catch(() => {}); // workers exit when closed: not an error then
  }

  /** The next message of every worker (or the first worker failure). */
  private next<T>(): Promise<T[]> {
    const all = this.workers.map((w) => new Promise<T>((r) => w.once('message', r)));
    return Promise.race([Promise.all(all), this.failed]);
  }

  async ready(): Promise<void> {
    await this.next();
  }

  /** Times `name` on every worker at once; the meter covers exactly the timing window. */
  async time(name: CaseName, meter: EnergyMeter | null): Promise<{ timings: CaseTiming[]; watts?: number }> {
    const prepared = this.next();
    for (const w of this.workers) w.postMessage({ prepare: name });
    await prepared;
    await meter?.start();
    const results = this.next<CaseTiming>();
    for (const w of this.workers) w.postMessage('go');
    const timings = await results;
    const win = meter ? await meter.stop({ frames: 0 }) : undefined;
    return { timings, watts: win?.watts };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export async function runCalibration(
  o: CalibrateOptions,
  io: Io,
  env: SensorEnv,
): Promise<CalibrationResult> {
  const device = await detectDevice(env);
  const choice = await selectMeter(o.power, env);
  const meter = choice.meter;
  const log = (s: string) => {
    if (io.stderr.isTTY) io.stderr.write(`${s}\n`);
  };
  const names = o.cases ?? (Object.keys(KERNEL_CASES) as CaseName[]);
  if (o.threads > 1 && !import.meta.url.endsWith('.js')) {
    throw new Error(
      `calibrate: --threads ${o.threads} runs worker threads from the built runner. Expected dist/ (run \`npm run build\`), got the TypeScript sources.`,
    );
  }
  let idleW: number | undefined;
  if (meter) {
    log(`calibrate: idle power for ${o.idleSeconds} s (${meter.source})…`);
    await meter.start();
    await sleep(o.idleSeconds * 1000);
    idleW = (await meter.stop({ frames: 0 })).watts;
  }
  let k: Kernels | undefined;
  const pool = o.threads > 1 ? new WorkerPool(o.threads, o.seconds) : undefined;
  const cases: CaseResult[] = [];
  try {
    await pool?.ready();
    for (const name of names) {
      const c = KERNEL_CASES[name];
      log(`calibrate: ${c.kernel} — ${c.shape}`);
      let timings: CaseTiming[];
      let watts: number | undefined;
      if (pool) ({ timings, watts } = await pool.time(name, meter));
      else {
        k ??= await loadKernels();
        const call = prepareCase(k, name);
        call();
        call();
        await meter?.start();
        timings = [await timeCase(call, o.seconds, () => meter?.poll())];
        watts = meter ? (await meter.stop({ frames: 0 })).watts : undefined;
      }
      const medians = timings.map((t) => t.medianCallS).sort((a, b) => a - b);
      cases.push({
        case: c,
        medianCallS: medians[medians.length >> 1],
        rate: timings.reduce((a, t) => a + (t.calls * c.work) / t.busySeconds, 0),
        watts,
      });
    }
  } finally {
    await pool?.close();
  }
  return {
    device,
    threads: o.threads,
    energySource: meter ? meter.source : 'estimate',
    idleW,
    cases,
    cacheBytes: await largestCache(env),
    sensorNote: meter ? undefined : choice.note,
    unavailable: choice.unavailable.map(({ source, reason }) => ({ source, reason })),
  };
}
