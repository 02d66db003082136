// dataBench.ts — `edgeseg data bench`: how fast SynthCity is made and read on this machine. Generation is
// timed rendering-only, PNG-encoding-only and end to end (render + encode + atomic write) on one thread and
// on all threads; the loader is timed with the full training augmentation and in eval mode; the colour-only
// baseline is scored on the frames just written. Medians are not needed here: each figure is one long run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CityscapesDataset,
  encodePng,
  evalBatches,
  evaluateColourBaseline,
  fitColourBaseline,
  renderSynthCity,
  trainBatches,
  writeSynthCity,
} from '@edgeseg/data';
import type { Io } from '../io.js';
import { createProgress } from '../progress.js';

export interface BenchOptions {
  width: number;
  height: number;
  train: number;
  val: number;
  threads: number;
  batch: number;
  seed: number;
  /** zlib level of the RGB PNGs (what the loader then inflates). */
  level: number;
}

export interface BenchResult {
  size: string;
  cores: number;
  pngLevel: number;
  render: { framesPerSecond: number; msPerFrame: number };
  pngEncode: { rgbLevel1Ms: number; rgbLevel0Ms: number; labelMs: number; rgbKiB: number };
  /** cpuMsPerFrame: process CPU time (all threads) per frame — less sensitive than wall time to other jobs. */
  generate1Thread: { imagesPerSecond: number; frames: number; cpuMsPerFrame: number };
  generateThreads: { imagesPerSecond: number; frames: number; threads: number; cpuMsPerFrame: number };
  loaderTrain: {
    imagesPerSecond: number;
    batchesPerSecond: number;
    batch: number;
    crop: string;
    cpuMsPerImage: number;
  };
  loaderEval: { imagesPerSecond: number };
  colourBaseline: {
    nearestMeanMiou: number;
    colourLookupMiou: number;
    trainFrames: number;
    valFrames: number;
  };
}

export async function runDataBench(o: BenchOptions, io: Io): Promise<BenchResult> {
  const log = (s: string) => io.stderr.write(`${s}\n`);
  const { width, height } = o;
  // Rendering alone (warm up first: the JIT needs a few frames).
  for (let i = 0; i < 3; i++) renderSynthCity(width, height, 1000 + i);
  const nRender = Math.min(60, o.train);
  let t = performance.now();
  let frame = renderSynthCity(width, height, 0);
  for (let i = 1; i < nRender; i++) frame = renderSynthCity(width, height, i);
  const renderMs = (performance.now() - t) / nRender;
  log(`render: ${renderMs.toFixed(1)} ms/frame`);
  const enc = (fn: () => Uint8Array) => {
    const t0 = performance.now();
    let bytes = 0;
    for (let i = 0; i < 10; i++) bytes = fn().length;
    return { ms: (performance.now() - t0) / 10, bytes };
  };
  const rgb1 = enc(() => encodePng({ width, height, channels: 3, data: frame.image }, 1));
  const rgb0 = enc(() => encodePng({ width, height, channels: 3, data: frame.image }, 0));
  const lbl = enc(() => encodePng({ width, height, channels: 1, data: frame.labelIds }, 1));
  log(
    `png encode: RGB level 1 ${rgb1.ms.toFixed(1)} ms, level 0 ${rgb0.ms.toFixed(1)} ms, label ${lbl.ms.toFixed(1)} ms`,
  );

  const dir1 = await mkdtemp(join(tmpdir(), 'edgeseg-bench-'));
  const dirN = await mkdtemp(join(tmpdir(), 'edgeseg-bench-'));
  try {
    const frames = o.train + o.val;
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    let c0 = cpu();
    let bar = createProgress(io.stderr, 'generate (1 thread)', frames);
    const g1 = await writeSynthCity({
      out: dir1,
      train: o.train,
      val: o.val,
      width,
      height,
      seed: o.seed,
      threads: 1,
      level: o.level,
      onProgress: (d) => bar.update(d),
    });
    bar.done();
    const cpu1 = (cpu() - c0) / g1.written;
    log(
      `generate, 1 thread: ${(g1.written / g1.seconds).toFixed(1)} images/s, ${cpu1.toFixed(1)} CPU ms/frame`,
    );
    c0 = cpu();
    bar = createProgress(io.stderr, `generate (${o.threads} threads)`, frames);
    const gN = await writeSynthCity({
      out: dirN,
      train: o.train,
      val: o.val,
      width,
      height,
      seed: o.seed,
      threads: o.threads,
      level: o.level,
      onProgress: (d) => bar.update(d),
    });
    bar.done();
    const cpuN = (cpu() - c0) / gN.written;
    log(
      `generate, ${gN.threads} threads: ${(gN.written / gN.seconds).toFixed(1)} images/s, ${cpuN.toFixed(1)} CPU ms/frame`,
    );

    const ds = await CityscapesDataset.open(dir1, 'train');
    const crop: [number, number] = [Math.round(height / 2), Math.round(width / 2)];
    t = performance.now();
    const cLoad = cpu();
    let images = 0;
    let batches = 0;
    for await (const b of trainBatches(ds, { batchSize: o.batch, seed: o.seed, crop }, 0)) {
      images += b.names.length;
      batches++;
    }
    const trainSec = (performance.now() - t) / 1000;
    // The loader is one JS thread: its CPU time per image is the figure a busy machine does not distort.
    const loadCpuMs = (cpu() - cLoad) / images;
    log(
      `loader (train, augmented): ${(images / trainSec).toFixed(1)} images/s, ${(batches / trainSec).toFixed(2)} batches/s, ${loadCpuMs.toFixed(1)} CPU ms/image`,
    );
    t = performance.now();
    let evalImages = 0;
    for await (const b of evalBatches(ds, { batchSize: o.batch })) evalImages += b.names.length;
    const evalSec = (performance.now() - t) / 1000;

    const val = await CityscapesDataset.open(dir1, 'val');
    const model = await fitColourBaseline(ds);
    const s = await evaluateColourBaseline(model, val);
    return {
      size: `${height}x${width}`,
      cores: o.threads,
      pngLevel: o.level,
      render: { framesPerSecond: 1000 / renderMs, msPerFrame: renderMs },
      pngEncode: { rgbLevel1Ms: rgb1.ms, rgbLevel0Ms: rgb0.ms, labelMs: lbl.ms, rgbKiB: rgb1.bytes / 1024 },
      generate1Thread: { imagesPerSecond: g1.written / g1.seconds, frames: g1.written, cpuMsPerFrame: cpu1 },
      generateThreads: {
        imagesPerSecond: gN.written / gN.seconds,
        frames: gN.written,
        threads: gN.threads,
        cpuMsPerFrame: cpuN,
      },
      loaderTrain: {
        imagesPerSecond: images / trainSec,
        batchesPerSecond: batches / trainSec,
        batch: o.batch,
        crop: `${crop[0]}x${crop[1]}`,
        cpuMsPerImage: loadCpuMs,
      },
      loaderEval: { imagesPerSecond: evalImages / evalSec },
      colourBaseline: {
        nearestMeanMiou: s.nearestMean.miou,
        colourLookupMiou: s.colourLookup.miou,
        trainFrames: ds.length,
        valFrames: val.length,
      },
    };
  } finally {
    await rm(dir1, { recursive: true, force: true });
    await rm(dirN, { recursive: true, force: true });
  }
}

export function formatBench(r: BenchResult): string {
  const f = (x: number, d = 1) => x.toFixed(d);
  return [
    `SynthCity and loader benchmark at ${r.size} (H×W), RGB PNGs at zlib level ${r.pngLevel}`,
    `  render only (1 thread)           ${f(r.render.framesPerSecond)} frames/s (${f(r.render.msPerFrame)} ms/frame)`,
    `  PNG encode                       RGB ${f(r.pngEncode.rgbLevel1Ms)} ms at level 1 (${f(r.pngEncode.rgbKiB, 0)} KiB), ${f(r.pngEncode.rgbLevel0Ms)} ms at level 0; label ${f(r.pngEncode.labelMs)} ms`,
    `  generate + write, 1 thread       ${f(r.generate1Thread.imagesPerSecond)} images/s (${r.generate1Thread.frames} frames; ${f(r.generate1Thread.cpuMsPerFrame)} CPU ms/frame)`,
    `  generate + write, ${r.generateThreads.threads} threads      ${f(r.generateThreads.imagesPerSecond)} images/s (${f(r.generateThreads.cpuMsPerFrame)} CPU ms/frame, all threads)`,
    `  loader, train augmentation       ${f(r.loaderTrain.imagesPerSecond)} images/s, ${f(r.loaderTrain.batchesPerSecond, 2)} batches/s (batch ${r.loaderTrain.batch}, crop ${r.loaderTrain.crop}; ${f(r.loaderTrain.cpuMsPerImage)} CPU ms/image = ${f(1000 / r.loaderTrain.cpuMsPerImage)} images/s per core)`,
    `  loader, eval (no augmentation)   ${f(r.loaderEval.imagesPerSecond)} images/s`,
    `  colour-only mIoU (val)           nearest mean ${f(100 * r.colourBaseline.nearestMeanMiou)}%, colour lookup ${f(100 * r.colourBaseline.colourLookupMiou)}% (fit on ${r.colourBaseline.trainFrames} train, ${r.colourBaseline.valFrames} val frames)`,
  ].join('\n');
}
