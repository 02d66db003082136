// info.ts — `edgeseg-run info MODEL`: what a model file holds (architecture, size, cost, classes, provenance).
import type { ModelInfo } from '@edgeseg/runtime';
import type { Command } from 'commander';
import type { RunnerDeps } from '../deps.js';
import type { Io } from '../io.js';

function si(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [v, u] of units) if (Math.abs(n) >= v) return `${(n / v).toFixed(2)} ${u}`;
  return String(n);
}

export function formatInfo(path: string, info: ModelInfo): string {
  const i = info.input;
  const prov = Object.entries(info.provenance);
  const lines = [
    path,
    `  format      ${info.format}`,
    `  arch        ${info.arch}`,
    `  precision   ${info.precision}`,
    `  params      ${si(info.params)} (${info.params})`,
    info.macs > 0
      ? `  MACs        ${si(info.macs)} per frame at ${i.height}×${i.width}`
      : '  MACs        not recorded in the file',
    `  input       ${i.height}×${i.width} (H×W), mean [${i.mean.join(', ')}], std [${i.std.join(', ')}]`,
    `  classes     ${info.classes.length}: ${info.classes.join(', ')}`,
    `  provenance  ${prov.length === 0 ? '(none)' : ''}`,
  ];
  if (prov.length > 0) lines[lines.length - 1] += prov.map(([k, v]) => `${k}=${v}`)[0];
  for (const [k, v] of prov.slice(1)) lines.push(`              ${k}=${v}`);
  return `${lines.join('\n')}\n`;
}

export function registerInfoCommand(program: Command, io: Io, deps: RunnerDeps): void {
  program
    .command('info')
    .description('Show what a model file holds: architecture, params, MACs, precision, classes, provenance.')
    .argument('<model>', 'the .edgeseg model file')
    .option('--json', 'print the model info as JSON on stdout')
    .addHelpText('after', '\nExample:\n  edgeseg-run info model.edgeseg --json\n')
    .action(async (path: string, f) => {
      const model = await deps.loadModel(path, { threads: 1 });
      try {
        io.stdout.write(
          f.json ? `${JSON.stringify({ path, ...model.info }, null, 2)}\n` : formatInfo(path, model.info),
        );
      } finally {
        await model.dispose();
      }
    });
}
