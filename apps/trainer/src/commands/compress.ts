// compress.ts — `edgeseg compress` (every stage of the paper's pipeline into one run directory),
// `edgeseg train` (one model, e.g. the CNN baseline, on the same data) and `edgeseg report RUN`.
// Parsing, progress and signals only; the work is in @edgeseg/compress.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildReport,
  type ObjectiveKind,
  type PipelineConfig,
  type PipelineIo,
  PRESETS,
  presetConfig,
  resolveProfile,
  runPipeline,
  runTrain,
} from '@edgeseg/compress';
import { MOBILENET_CONFIGS, SEGFORMER_CONFIGS } from '@edgeseg/models';
import type { Command } from 'commander';
import { type Io, parseCount, parseSize, UsageError } from '../io.js';
import { createProgress, type Progress } from '../progress.js';

const json = (io: Io, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const LOG_EVERY_MS = 30_000;
const ARCHS = [...Object.keys(SEGFORMER_CONFIGS), ...Object.keys(MOBILENET_CONFIGS)];

/** Ctrl-C asks the running stage to checkpoint and stop; a second Ctrl-C exits at once. */
function stopOnSignal(io: Io): { shouldStop: () => boolean; dispose: () => void } {
  let stop = false;
  const onSignal = () => {
    if (stop) {
      io.stderr.write('\nsecond interrupt: exiting without waiting for the checkpoint.\n');
      process.exit(130);
    }
    stop = true;
    io.stderr.write('\ninterrupt: saving a checkpoint at the end of this step (Ctrl-C again to quit now)…\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    shouldStop: () => stop,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Log lines and one progress bar per stage on stderr. */
function pipelineIo(io: Io, shouldStop: () => boolean): PipelineIo & { close(): void } {
  let bar: Progress | null = null;
  let label = '';
  const t0 = performance.now();
  let lastLine = t0;
  const close = () => {
    bar?.done();
    bar = null;
    label = '';
  };
  return {
    log(msg) {
      close();
      const t = ((performance.now() - t0) / 1000).toFixed(0).padStart(5);
      io.stderr.write(`[${t} s] ${msg}\n`);
    },
    progress(stage, done, total, info) {
      if (!io.stderr.isTTY) {
        // No bar in a log file; a line every half minute says the run is alive and where it is.
        const now = performance.now();
        if (now - lastLine >= LOG_EVERY_MS || (stage !== label && done === total)) {
          lastLine = now;
          label = stage;
          const t = ((now - t0) / 1000).toFixed(0).padStart(5);
          io.stderr.write(`[${t} s] ${stage}: ${done}/${total}${info ? ` ${info}` : ''}\n`);
        }
        return;
      }
      if (stage !== label) {
        close();
        label = stage;
        bar = createProgress(io.stderr, stage.padEnd(12), total);
      }
      bar?.update(done, total);
    },
    shouldStop,
    close,
  };
}

const OBJECTIVES: readonly ObjectiveKind[] = ['energy', 'flops', 'params'];

function parseLr(v: string): number {
  const x = Number(v);
  if (!(x > 0 && x < 1))
    throw new UsageError(`--lr: not a learning rate. Expected a number in (0, 1), got "${v}".`);
  return x;
}

function parseFraction(flag: string, v: string): number {
  const x = Number(v);
  if (!(x > 0 && x <= 1))
    throw new UsageError(`${flag}: not a fraction. Expected a number in (0, 1], got "${v}".`);
  return x;
}

/** Applies the command-line overrides to a preset. */
export function configFromOptions(o: Record<string, string | boolean | undefined>): PipelineConfig {
  const preset = String(o.preset ?? 'quick');
  if (!PRESETS[preset]) {
    throw new UsageError(
      `--preset: unknown preset "${preset}". Expected one of ${Object.keys(PRESETS).join(', ')}.`,
    );
  }
  const c = presetConfig(preset);
  if (typeof o.data === 'string') {
    if (o.data === 'synthcity') {
      if (c.data.kind !== 'synthcity') throw new UsageError('--data: the preset has no SynthCity settings.');
    } else if (o.data.startsWith('cityscapes:') && o.data.length > 'cityscapes:'.length) {
      c.data = { kind: 'cityscapes', path: o.data.slice('cityscapes:'.length) };
    } else {
      throw new UsageError(
        `--data: not a data source. Expected synthcity or cityscapes:PATH, got "${o.data}".`,
      );
    }
  }
  if (typeof o.teacher === 'string') {
    if (o.teacher.endsWith('.safetensors')) {
      if (!existsSync(o.teacher))
        throw new UsageError(`--teacher: ${o.teacher} does not exist. Expected a float checkpoint.`);
      c.teacher.checkpoint = o.teacher;
    } else if (SEGFORMER_CONFIGS[o.teacher]) c.teacher.arch = o.teacher;
    else {
      throw new UsageError(
        `--teacher: unknown teacher "${o.teacher}". Expected a SegFormer (${Object.keys(SEGFORMER_CONFIGS).join(', ')}) or a .safetensors checkpoint.`,
      );
    }
  }
  if (typeof o.student === 'string') {
    if (!SEGFORMER_CONFIGS[o.student]) {
      throw new UsageError(
        `--student: unknown student "${o.student}". Expected one of ${Object.keys(SEGFORMER_CONFIGS).join(', ')}.`,
      );
    }
    c.student.arch = o.student;
    if (c.student.arch !== c.teacher.arch && c.student.steps === 0)
      c.student.steps = Math.max(1, c.teacher.steps >> 1);
  }
  if (typeof o.energyTarget === 'string') c.energyTarget = parseFraction('--energy-target', o.energyTarget);
  if (typeof o.objective === 'string') {
    if (!OBJECTIVES.includes(o.objective as ObjectiveKind)) {
      throw new UsageError(
        `--objective: unknown objective "${o.objective}". Expected one of ${OBJECTIVES.join(', ')}.`,
      );
    }
    c.objective = o.objective as ObjectiveKind;
  }
  if (typeof o.profile === 'string') {
    try {
      resolveProfile(o.profile);
    } catch (e) {
      throw new UsageError(`--profile: ${(e as Error).message}`);
    }
    c.profile = o.profile;
  }
  if (typeof o.size === 'string') c.deploySize = parseSize('--size', o.size, 32);
  if (typeof o.seed === 'string') c.seed = parseCount('--seed', o.seed);
  if (typeof o.threads === 'string') c.threads = parseCount('--threads', o.threads, 1);
  return c;
}

function summary(runDir: string) {
  const path = join(runDir, 'report', 'report.json');
  if (!existsSync(path)) return null;
  const r = JSON.parse(readFileSync(path, 'utf8'));
  return {
    report: join(runDir, 'report', 'report.md'),
    resolution: r.resolution,
    threads: r.threads,
    rows: r.rows.map((x: Record<string, unknown>) => ({
      label: x.label,
      model: x.model,
      params: x.params,
      macs: x.macs,
      miou: x.miou,
      latency_ms: x.latencyMs,
      energy_mj: x.energyMj,
    })),
    claims: r.derived?.claims,
  };
}

export function registerCompressCommands(program: Command, io: Io): void {
  program
    .command('compress')
    .description(
      'Run the whole compression pipeline into a run directory: data, teacher, student, DSP with the Energy-Complexity loss and distillation, excision + recovery, QAT, INT8 conversion, evaluation, benchmark and report.',
    )
    .requiredOption('--out <run>', 'run directory (a rerun on it resumes where it stopped)')
    .option('--preset <name>', `starting configuration: ${Object.keys(PRESETS).join(' | ')}`, 'quick')
    .option('--data <source>', 'synthcity (generated into RUN/data) or cityscapes:PATH')
    .option('--teacher <arch|ckpt>', 'teacher architecture, or a float .safetensors checkpoint to load')
    .option('--student <arch>', 'student architecture (default: the preset’s)')
    .option(
      '--energy-target <f>',
      'energy budget of the student as a fraction of the teacher’s (modelled, int8)',
    )
    .option(
      '--objective <kind>',
      'what DSP charges each unit and --energy-target budgets: energy (the paper), flops or params (for comparison)',
    )
    .option(
      '--profile <name|file>',
      'energy profile: rpi5, jetson-orin-nano, horowitz-45nm or a calibrated JSON',
    )
    .option('--size <HxW>', 'deployment resolution of MACs, latency and energy (default 512x1024)')
    .option('--threads <n>', 'threads of the latency measurements')
    .option('--seed <n>', 'seed of everything (data, init, batches)')
    .option(
      '--resume',
      'continue the run in --out with its saved configuration (options other than --out ignored)',
    )
    .option('--json', 'print a summary as JSON on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  edgeseg compress --out runs/quick                    # the quick preset on SynthCity (~15 min)\n  edgeseg compress --out runs/full --preset full\n  edgeseg compress --out runs/quick --resume           # after Ctrl-C or a crash\n',
    )
    .action(async (o) => {
      const configPath = join(o.out, 'config.json');
      let c: PipelineConfig;
      if (o.resume) {
        if (!existsSync(configPath)) {
          throw new UsageError(
            `--resume: ${o.out} holds no run (no config.json). Expected a directory written by edgeseg compress.`,
          );
        }
        c = JSON.parse(readFileSync(configPath, 'utf8'));
      } else c = configFromOptions(o);
      const signals = stopOnSignal(io);
      const pio = pipelineIo(io, signals.shouldStop);
      try {
        pio.log(
          `compress: preset ${c.preset}, teacher ${c.teacher.checkpoint ?? c.teacher.arch}, student ${c.student.arch}, energy target ${c.energyTarget}, run ${o.out}`,
        );
        const r = await runPipeline(o.out, c, pio);
        pio.close();
        if (!r.finished) {
          io.stderr.write(
            `stopped in stage ${r.stoppedAt}; resume with: edgeseg compress --out ${o.out} --resume\n`,
          );
          process.exitCode = 1;
          return;
        }
        if (o.json) json(io, { run: o.out, finished: true, ...summary(o.out) });
        else io.stdout.write(`${o.out}: done. Report: ${join(o.out, 'report', 'report.md')}\n`);
      } finally {
        signals.dispose();
      }
    });

  program
    .command('train')
    .description(
      'Train one model on the pipeline’s data, e.g. the MobileNetV3 LR-ASPP baseline, into a directory.',
    )
    .requiredOption('--arch <arch>', `architecture: ${ARCHS.join(', ')}`)
    .requiredOption('--out <dir>', 'output directory (a rerun resumes)')
    .option('--preset <name>', 'data and budget of this preset', 'quick')
    .option('--data <source>', 'synthcity or cityscapes:PATH')
    .option('--steps <n>', 'training steps (default: the preset’s teacher budget)')
    .option('--lr <x>', 'peak learning rate (default: the preset’s, teacher or CNN)')
    .option('--seed <n>', 'seed')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (o) => {
      if (!ARCHS.includes(o.arch)) {
        throw new UsageError(
          `--arch: unknown architecture "${o.arch}". Expected one of ${ARCHS.join(', ')}.`,
        );
      }
      const c = configFromOptions(o);
      const steps = o.steps === undefined ? undefined : parseCount('--steps', o.steps, 1);
      const lr = o.lr === undefined ? undefined : parseLr(o.lr);
      const signals = stopOnSignal(io);
      const pio = pipelineIo(io, signals.shouldStop);
      try {
        const r = await runTrain(o.out, c, { arch: o.arch, steps, lr }, pio);
        pio.close();
        if (!r) {
          io.stderr.write(`stopped; resume with the same command.\n`);
          process.exitCode = 1;
          return;
        }
        if (o.json) json(io, r);
        else
          io.stdout.write(
            `${o.out}: ${o.arch} trained, mIoU ${(100 * r.miou).toFixed(2)} % on ${r.frames} val frames. Model: ${r.model}\n`,
          );
      } finally {
        signals.dispose();
      }
    });

  program
    .command('report')
    .description('(Re)build RUN/report/ (report.md, report.json, plots) from a finished run.')
    .argument('<run>', 'run directory written by edgeseg compress')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (run: string, o) => {
      const r = await buildReport(run);
      if (o.json) json(io, { run, ...summary(run) });
      else {
        io.stdout.write(`${r.reportMd}\n`);
        for (const p of r.plots) io.stdout.write(`  ${p.svg}\n  ${p.png}\n`);
        for (const s of r.skipped) io.stderr.write(`  skipped ${s.title}: ${s.why}\n`);
      }
    });
}
