// run.ts — the default command, `edgeseg-run MODEL --input <image|dir|glob>…`: flags to RunOptions.
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseProfile } from '@edgeseg/runtime';
import { type Command, Option } from 'commander';
import type { RunnerDeps } from '../deps.js';
import { type Io, parseCount, parseDuration, parseSize, UsageError } from '../io.js';
import { POWER_CHOICES, type PowerChoice } from '../power/select.js';
import { formatSummary } from '../report.js';
import { type RunOptions, runModel } from '../runner.js';

/** An energy profile file (`edgeseg-run calibrate` output): bounded read, validated. */
export async function readProfileFile(path: string) {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new UsageError(
      `--profile: cannot read "${path}" (${(e as Error).message.split(',')[0]}). Expected an energy profile JSON file.`,
    );
  }
  if (size > 1 << 20) {
    throw new UsageError(
      `${path}: too large for an energy profile. Expected at most 1 MiB, got ${size} bytes.`,
    );
  }
  try {
    return { profile: parseProfile(await readFile(path, 'utf8'), path), origin: path };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function parseAlpha(v: string): number {
  const a = Number(v);
  if (!/^\d*\.?\d+$/.test(v) || !(a > 0 && a <= 1)) {
    throw new UsageError(`--alpha: not an opacity. Expected a number in (0, 1], got "${v}".`);
  }
  return a;
}

export function registerRunCommand(
  program: Command,
  io: Io,
  deps: RunnerDeps,
  setExit: (code: number) => void,
): void {
  program
    .command('run', { isDefault: true })
    .description('Segment images with a model: masks or overlays, FPS, latency, energy, temperature.')
    .argument('<model>', 'the .edgeseg model file')
    .requiredOption('-i, --input <path...>', 'image files, folders of *.png/*.jpg, or globs (quote them)')
    .option('-o, --out <dir>', 'write a colour mask per input (<name>_mask.png) into this folder')
    .option('--overlay', 'write the mask blended over the input instead (<name>_overlay.png); needs --out')
    .option('--alpha <a>', 'overlay opacity of the mask colours', '0.5')
    .option('--threads <n>', 'threads the model runs on (default: available cores)')
    .option(
      '--size <HxW>',
      "network input size, e.g. 512x1024 (default: the model file's; frames are resized to it, masks come back at the photo's size)",
    )
    .option('--bench <n>', 'time n frames after warm-up, cycling the inputs (outputs are written before)')
    .option(
      '--pipeline',
      'with --bench: one frame in flight per thread, each thread on whole frames (throughput; latency is per frame)',
    )
    .option('--warmup <n>', 'untimed frames before --bench/--soak', '3')
    .addOption(
      new Option('--power <source>', 'energy source; a missing sensor falls back to the model')
        .choices(POWER_CHOICES as string[])
        .default('auto'),
    )
    .option('--profile <file>', 'energy profile JSON for modelled energy (from edgeseg-run calibrate)')
    .option(
      '--soak <duration>',
      'run for a duration (90s, 10m, 1h) printing FPS/temperature, flag throttling',
    )
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  edgeseg-run model.edgeseg --input frames/ --out masks/
  edgeseg-run model.edgeseg --input 'frames/*.jpg' --out overlays/ --overlay
  edgeseg-run model.edgeseg --input frame.png --bench 100 --json
  edgeseg-run model.edgeseg --input frame.png --bench 100 --threads 2 --size 512x1024
  edgeseg-run model.edgeseg --input frame.png --bench 100 --threads 2 --pipeline
  edgeseg-run model.edgeseg --input frame.png --soak 10m --power vcgencmd

Energy sources (--power auto tries them in this order): ina3221 (Jetson VDD_IN rail), vcgencmd (Pi 5
PMIC rails; under-counts), rapl (x86 CPU package), model (modelled from MACs and a profile), none.
Exit code: 0 all inputs ok, 1 some input failed (reported on stderr, the others still run), 2 usage error.
`,
    )
    .action(async (model: string, f) => {
      if (f.overlay && !f.out)
        throw new UsageError('--overlay: nowhere to write. Expected --out DIR as well, got none.');
      if (f.pipeline && f.bench === undefined) {
        throw new UsageError('--pipeline: only with --bench. Expected --bench N as well, got none.');
      }
      if (f.bench !== undefined && f.soak !== undefined) {
        throw new UsageError('--bench and --soak: both given. Expected one of them.');
      }
      const o: RunOptions = {
        model,
        inputs: f.input,
        out: f.out,
        overlay: Boolean(f.overlay),
        alpha: parseAlpha(f.alpha),
        threads: f.threads !== undefined ? parseCount('--threads', f.threads, 1) : availableParallelism(),
        bench: f.bench !== undefined ? parseCount('--bench', f.bench, 1) : undefined,
        pipeline: Boolean(f.pipeline),
        ...(f.size !== undefined ? { size: parseSize('--size', f.size) } : {}),
        warmup: parseCount('--warmup', f.warmup, 0),
        power: f.power as PowerChoice,
        profile: f.profile !== undefined ? await readProfileFile(f.profile) : undefined,
        soakMs: f.soak !== undefined ? parseDuration('--soak', f.soak) : undefined,
        json: Boolean(f.json),
      };
      const summary = await runModel(o, io, deps);
      io.stdout.write(o.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      setExit(summary.failed > 0 ? 1 : 0);
    });
}
