// synthWriter.ts — writes a SynthCity data set in the Cityscapes layout: RGB frames under leftImg8bit/,
// labelIds under gtFine/, a few "cities" per split, and `synthcity.json` recording what determines the
// content (generator version, seed, size). Frame i of a split is rendered from mixSeed(seed, split, i), so
// the bytes do not depend on thread count or order; a rerun with the same parameters skips frames whose
// files exist, and a folder made with other parameters is refused rather than silently mixed.

import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { encodePng } from '@edgeseg/image';
import { writeFileAtomic } from './atomicWrite.js';
import { type FramePaths, framePaths, type Split } from './cityscapesLayout.js';
import { mixSeed } from './rng.js';
import { renderSynthCity, SYNTHCITY_VERSION } from './synthCity.js';

/** Fictional city names (Cityscapes-style lowercase); train and val never share a city, as in Cityscapes. */
export const SYNTH_CITIES: Readonly<Record<'train' | 'val', readonly string[]>> = {
  train: ['ashford', 'brightwater', 'carrow', 'dunmere'],
  val: ['eastvale', 'fenwick'],
};
const SPLIT_CODE: Record<'train' | 'val', number> = { train: 1, val: 2 };
/** Cityscapes annotates the 20th frame of each 30-frame snippet; we keep that number for realism. */
const FRAME_NUMBER = 19;
export const SYNTH_MANIFEST = 'synthcity.json';

export interface SynthJob {
  seed: number;
  width: number;
  height: number;
  image: string;
  label: string;
  level: number;
}

export interface SynthOptions {
  out: string;
  train: number;
  val: number;
  /** Frame size in pixels (default 512×256, W×H). */
  width?: number;
  height?: number;
  seed?: number;
  /** Worker threads (default 1). More than 1 needs the built package (workers run dist/synthWorker.js). */
  threads?: number;
  /**
   * zlib level for the RGB frames (default 0, stored). Measured at 256×512: level 1 saves ~23% of disk on these
   * noisy frames but costs 4–6× the encode time and ~2× the decode time, so speed wins by default.
   */
  level?: number;
  /** Rewrite a folder made with other parameters instead of refusing. */
  force?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface SynthResult {
  written: number;
  skipped: number;
  seconds: number;
  threads: number;
}

interface Manifest {
  generator: 'SynthCity';
  version: number;
  seed: number;
  width: number;
  height: number;
  train: number;
  val: number;
}

/** The path of frame `index` of a SynthCity split, and the seed it is rendered from. */
export function synthFrame(
  root: string,
  split: 'train' | 'val',
  index: number,
  seed: number,
): FramePaths & { seed: number } {
  const cities = SYNTH_CITIES[split];
  const city = cities[index % cities.length];
  const seq = Math.floor(index / cities.length);
  return {
    ...framePaths(root, split as Split, city, seq, FRAME_NUMBER),
    seed: mixSeed(seed, SPLIT_CODE[split], index),
  };
}

/** Renders, encodes and atomically writes one frame (also what each worker thread runs). */
export async function runSynthJob(job: SynthJob): Promise<void> {
  const f = renderSynthCity(job.width, job.height, job.seed);
  const label = encodePng({ width: f.width, height: f.height, channels: 1, data: f.labelIds }, 1);
  const image = encodePng({ width: f.width, height: f.height, channels: 3, data: f.image }, job.level as 1);
  // Label first, image last: a frame counts as present only when its image exists.
  await writeFileAtomic(job.label, label);
  await writeFileAtomic(job.image, image);
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function writeSynthCity(opts: SynthOptions): Promise<SynthResult> {
  const width = opts.width ?? 512;
  const height = opts.height ?? 256;
  const seed = (opts.seed ?? 0) >>> 0;
  const level = opts.level ?? 0;
  for (const [k, v] of [
    ['train', opts.train],
    ['val', opts.val],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`writeSynthCity: bad ${k} count. Expected an integer ≥ 0, got ${v}.`);
  }
  const t0 = performance.now();
  const manifestPath = join(opts.out, SYNTH_MANIFEST);
  const wanted: Manifest = {
    generator: 'SynthCity',
    version: SYNTHCITY_VERSION,
    seed,
    width,
    height,
    train: opts.train,
    val: opts.val,
  };
  let reuse = false;
  if (await exists(manifestPath)) {
    const old = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    const same =
      old.version === wanted.version && old.seed === seed && old.width === width && old.height === height;
    if (!same && !opts.force) {
      throw new Error(
        `${manifestPath}: folder holds SynthCity made with other parameters. Expected version ${wanted.version}, seed ${seed}, ${width}×${height}, got version ${old.version}, seed ${old.seed}, ${old.width}×${old.height}. Use an empty folder or --force.`,
      );
    }
    reuse = same;
  }
  await writeFileAtomic(manifestPath, `${JSON.stringify(wanted, null, 2)}\n`);
  const jobs: SynthJob[] = [];
  let skipped = 0;
  for (const split of ['train', 'val'] as const) {
    const n = split === 'train' ? opts.train : opts.val;
    for (let i = 0; i < n; i++) {
      const f = synthFrame(opts.out, split, i, seed);
      if (reuse && (await exists(f.image)) && (await exists(f.label))) {
        skipped++;
        continue;
      }
      jobs.push({ seed: f.seed, width, height, image: f.image, label: f.label, level });
    }
  }
  const total = jobs.length + skipped;
  let done = skipped;
  opts.onProgress?.(done, total);
  const tick = () => opts.onProgress?.(++done, total);
  const workerUrl = new URL('./synthWorker.js', import.meta.url);
  // Running from TypeScript sources (tests) there is no compiled worker: stay on this thread.
  const canThread = import.meta.url.endsWith('.js');
  const threads = canThread
    ? Math.max(1, Math.min(opts.threads ?? 1, jobs.length, availableParallelism()))
    : 1;
  if (threads <= 1) {
    for (const job of jobs) {
      await runSynthJob(job);
      tick();
    }
  } else {
    await Promise.all(
      Array.from({ length: threads }, (_, k) =>
        runWorker(
          workerUrl,
          jobs.filter((_, j) => j % threads === k),
          tick,
        ),
      ),
    );
  }
  return { written: jobs.length, skipped, seconds: (performance.now() - t0) / 1000, threads };
}

function runWorker(url: URL, jobs: SynthJob[], tick: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: jobs });
    worker.on('message', (m: { done?: true; error?: string }) => {
      if (m.error) reject(new Error(m.error));
      else tick();
    });
    worker.on('error', reject);
    worker.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`synthWorker: exited early. Expected exit code 0, got ${code}.`)),
    );
  });
}
