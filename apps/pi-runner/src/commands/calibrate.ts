// calibrate.ts — `edgeseg-run calibrate`: time the kernel families at SegFormer shapes on this device,
// measure power where a sensor exists, and write an energy profile (`edgeseg energy --profile FILE` and
// `edgeseg-run --profile FILE` read it).
import { availableParallelism } from 'node:os';
import { parseProfile } from '@edgeseg/runtime';
import { type Command, Option } from 'commander';
import { writeFileAtomic } from '../atomicWrite.js';
import { buildProfile, type CalibrationResult } from '../calibrate/buildProfile.js';
import { runCalibration } from '../calibrate/calibrate.js';
import type { RunnerDeps } from '../deps.js';
import { type Io, parseCount, parseSeconds } from '../io.js';
import { POWER_CHOICES } from '../power/select.js';

const RATE_UNITS: Record<string, [number, string][]> = {
  MAC: [
    [1e9, 'GMAC/s'],
    [1e6, 'MMAC/s'],
  ],
  element: [
    [1e9, 'Gelem/s'],
    [1e6, 'Melem/s'],
  ],
  byte: [
    [1e9, 'GB/s'],
    [1e6, 'MB/s'],
  ],
};

function rate(v: number, unit: string): string {
  for (const [d, u] of RATE_UNITS[unit] ?? []) if (v >= d) return `${(v / d).toFixed(2)} ${u}`;
  return `${v.toFixed(0)} ${unit}/s`;
}

export function formatCalibration(r: CalibrationResult, out: string | undefined, name: string): string {
  const lines = [`device     ${r.device.name} · ${r.threads} thread(s) · energy: ${r.energySource}`];
  if (r.idleW === undefined) {
    lines.push('           no power sensor: energies and static power are estimates');
    for (const u of r.unavailable ?? []) lines.push(`           ${u.source}: ${u.reason}`);
  }
  if (r.idleW !== undefined) lines.push(`idle       ${r.idleW.toFixed(2)} W`);
  for (const c of r.cases) {
    const w = c.watts !== undefined ? `, ${c.watts.toFixed(2)} W` : '';
    lines.push(
      `${c.case.kernel.padEnd(16)} ${rate(c.rate, c.case.unit).padStart(13)}  ${(c.medianCallS * 1e3).toFixed(3)} ms/call${w}  — ${c.case.shape}`,
    );
  }
  lines.push(out ? `profile    ${name} written to ${out}` : `profile    ${name}`);
  return `${lines.join('\n')}\n`;
}

export function registerCalibrateCommand(program: Command, io: Io, deps: RunnerDeps): void {
  program
    .command('calibrate')
    .description(
      'Time the kernels (int8/f32 GEMM, softmax, quantize) at SegFormer shapes on this device, measure power where a sensor exists, and write an energy profile.',
    )
    .option(
      '-o, --out <file>',
      'write the profile JSON here (atomically); without it the JSON goes to stdout',
    )
    .option('--threads <n>', 'threads to load (default: available cores)')
    .option('--name <name>', 'profile name (default: calibrated-<board>)')
    .addOption(
      new Option('--power <source>', 'power sensor for energy figures (none: estimates only)')
        .choices(POWER_CHOICES.filter((c) => c !== 'model') as string[])
        .default('auto'),
    )
    .option('--seconds <s>', 'timing window per kernel case', '2')
    .option('--idle <s>', 'idle window for the static power (with a sensor)', '3')
    .option('--json', 'print the profile JSON on stdout (also with --out)')
    .addHelpText(
      'after',
      `
Examples:
  edgeseg-run calibrate --out pi5.json
  edgeseg energy --arch segformer-b0 --profile pi5.json     # the trainer's modelled energy on this board
  edgeseg-run model.edgeseg --input frame.png --bench 50 --power model --profile pi5.json
`,
    )
    .action(async (f) => {
      const threads =
        f.threads !== undefined ? parseCount('--threads', f.threads, 1) : availableParallelism();
      const result = await runCalibration(
        {
          threads,
          seconds: parseSeconds('--seconds', f.seconds),
          idleSeconds: parseSeconds('--idle', f.idle),
          power: f.power,
        },
        io,
        deps.sensors,
      );
      const name = f.name ?? `calibrated-${result.device.board === 'other' ? 'host' : result.device.board}`;
      const profile = buildProfile(result, name, new Date().toISOString());
      const json = `${JSON.stringify(profile, null, 2)}\n`;
      parseProfile(json, f.out ?? 'calibrate'); // what we write must read back
      if (f.out) await writeFileAtomic(f.out, json);
      io.stdout.write(f.json || !f.out ? json : formatCalibration(result, f.out, name));
    });
}
