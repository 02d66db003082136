// data.ts — `edgeseg data synth|check|baseline|bench`: argument parsing and printing only; the work is in
// @edgeseg/data (and dataBench.ts for the timing loop).
import { availableParallelism } from 'node:os';
import {
  CityscapesDataset,
  CLASS_NAMES,
  checkDataset,
  evaluateColourBaseline,
  fitColourBaseline,
  formatCheckReport,
  writeSynthCity,
} from '@edgeseg/data';
import type { Command } from 'commander';
import { type Io, parseCount, parseSize, UsageError } from '../io.js';
import { createProgress } from '../progress.js';
import { formatBench, runDataBench } from './dataBench.js';

const json = (io: Io, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const pct = (x: number) => (Number.isNaN(x) ? '   n/a' : (100 * x).toFixed(2).padStart(6));

export function registerDataCommands(program: Command, io: Io): void {
  const data = program
    .command('data')
    .description(
      'Make, check and measure data sets in the Cityscapes layout (SynthCity or the real Cityscapes).',
    );

  data
    .command('synth')
    .description(
      'Write a SynthCity data set: forward-camera street scenes with all 19 Cityscapes classes, in the Cityscapes layout.',
    )
    .requiredOption(
      '--out <dir>',
      'output folder (created; a rerun with the same parameters skips existing frames)',
    )
    .requiredOption('--train <n>', 'number of train frames')
    .requiredOption('--val <n>', 'number of val frames')
    .option('--size <HxW>', 'frame size, height x width', '256x512')
    .option('--seed <n>', 'seed: the data set is a pure function of seed and size', '0')
    .option('--threads <n>', 'worker threads (default: all cores)')
    .option(
      '--png-level <n>',
      'zlib level of the RGB PNGs, 0-9 (0 = stored: fastest; 1 saves ~23% disk, 4-6x slower to write)',
      '0',
    )
    .option('--force', 'overwrite a folder made with other parameters')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      '\nExample:\n  edgeseg data synth --out data/synthcity --train 2975 --val 500 --size 256x512 --seed 0\n',
    )
    .action(async (o) => {
      const [height, width] = parseSize('--size', o.size);
      const threads =
        o.threads === undefined ? availableParallelism() : parseCount('--threads', o.threads, 1);
      const level = parseCount('--png-level', o.pngLevel);
      if (level > 9) throw new UsageError(`--png-level: out of range. Expected 0..9, got ${level}.`);
      const bar = createProgress(io.stderr, 'synth', 0);
      const r = await writeSynthCity({
        out: o.out,
        train: parseCount('--train', o.train),
        val: parseCount('--val', o.val),
        width,
        height,
        seed: parseCount('--seed', o.seed),
        threads,
        level,
        force: Boolean(o.force),
        onProgress: (d, t) => bar.update(d, t),
      });
      bar.done();
      const rate = r.written / Math.max(r.seconds, 1e-9);
      if (o.json) json(io, { out: o.out, ...r, imagesPerSecond: rate });
      else {
        io.stdout.write(
          `${o.out}: wrote ${r.written} frames (${r.skipped} already present) in ${r.seconds.toFixed(1)} s — ${rate.toFixed(1)} images/s on ${r.threads} thread(s)\n`,
        );
      }
    });

  data
    .command('check')
    .description(
      'Validate a data set in the Cityscapes layout; print image counts and per-class pixel frequencies.',
    )
    .argument('<dir>', 'data set root (holding leftImg8bit/ and gtFine/)')
    .option('--json', 'print the report as JSON on stdout')
    .action(async (dir: string, o) => {
      let bar = createProgress(io.stderr, 'check', 0);
      let current = '';
      const report = await checkDataset(dir, (split, d, t) => {
        if (split !== current) {
          bar.done();
          bar = createProgress(io.stderr, `check ${split}`, t);
          current = split;
        }
        bar.update(d, t);
      });
      bar.done();
      if (o.json) json(io, report);
      else io.stdout.write(`${formatCheckReport(report)}\n`);
    });

  data
    .command('baseline')
    .description(
      'Score colour-only per-pixel classifiers (nearest class mean in RGB; majority class per colour bin), fit on train, on val.',
    )
    .argument('<dir>', 'data set root')
    .option('--limit <n>', 'use at most n frames of each split')
    .option('--json', 'print the scores as JSON on stdout')
    .action(async (dir: string, o) => {
      const limit = o.limit === undefined ? undefined : parseCount('--limit', o.limit, 1);
      const train = await CityscapesDataset.open(dir, 'train', { limit });
      const val = await CityscapesDataset.open(dir, 'val', { limit });
      const b1 = createProgress(io.stderr, 'fit train', train.length);
      const model = await fitColourBaseline(train, (d) => b1.update(d));
      b1.done();
      const b2 = createProgress(io.stderr, 'eval val', val.length);
      const s = await evaluateColourBaseline(model, val, (d) => b2.update(d));
      b2.done();
      if (o.json) {
        json(io, { root: dir, trainFrames: train.length, valFrames: val.length, classes: CLASS_NAMES, ...s });
        return;
      }
      const lines = [
        `${dir}: colour-only baselines, fit on ${train.length} train frames, scored on ${val.length} val frames`,
      ];
      lines.push(`${'class'.padEnd(14)} nearest-mean  colour-lookup`);
      CLASS_NAMES.forEach((n, c) => {
        lines.push(`${n.padEnd(14)} ${pct(s.nearestMean.iou[c])}%      ${pct(s.colourLookup.iou[c])}%`);
      });
      lines.push(`${'mIoU'.padEnd(14)} ${pct(s.nearestMean.miou)}%      ${pct(s.colourLookup.miou)}%`);
      lines.push(
        `${'pixel acc.'.padEnd(14)} ${pct(s.nearestMean.pixelAccuracy)}%      ${pct(s.colourLookup.pixelAccuracy)}%`,
      );
      io.stdout.write(`${lines.join('\n')}\n`);
    });

  data
    .command('bench')
    .description(
      'Measure SynthCity generation (1 thread and all threads, PNG encoding apart), loader throughput with augmentation, and the colour-only baseline.',
    )
    .option('--size <HxW>', 'frame size', '256x512')
    .option('--train <n>', 'train frames to write and load', '120')
    .option('--val <n>', 'val frames to write (for the baseline)', '60')
    .option('--threads <n>', 'threads for the parallel generation run (default: all cores)')
    .option('--batch <n>', 'loader batch size', '8')
    .option('--seed <n>', 'seed', '0')
    .option('--png-level <n>', 'zlib level of the RGB PNGs written and read, 0-9', '0')
    .option('--json', 'print the figures as JSON on stdout')
    .action(async (o) => {
      const [height, width] = parseSize('--size', o.size);
      const r = await runDataBench(
        {
          width,
          height,
          train: parseCount('--train', o.train, 1),
          val: parseCount('--val', o.val, 1),
          threads: o.threads === undefined ? availableParallelism() : parseCount('--threads', o.threads, 1),
          batch: parseCount('--batch', o.batch, 1),
          seed: parseCount('--seed', o.seed),
          level: Math.min(9, parseCount('--png-level', o.pngLevel)),
        },
        io,
      );
      if (o.json) json(io, r);
      else io.stdout.write(`${formatBench(r)}\n`);
    });
}
