// model.ts — `edgeseg model info|list`: what an architecture costs at an input size, computed by
// running the model's own forward on the counting backend (@edgeseg/models).

import { Rng, Tensor } from '@edgeseg/autograd';
import {
  addCost,
  archFor,
  type Cost,
  CountingBackend,
  countForward,
  isMobileNet,
  MOBILENET_CONFIGS,
  MobileNetV3LRASPP,
  SEGFORMER_CONFIGS,
  segformerCost,
  zeroCost,
} from '@edgeseg/models';
import type { Command } from 'commander';
import { type Io, parseCount, parseSize, UsageError } from '../io.js';

const ARCHS = [...Object.keys(SEGFORMER_CONFIGS), ...Object.keys(MOBILENET_CONFIGS)];

export interface ModelInfo {
  arch: string;
  classes: number;
  size: [number, number];
  params: number;
  macs: number;
  stages: { name: string; params: number; macs: number }[];
  units?: Record<string, number>;
}

export function modelInfo(arch: string, classes: number, height: number, width: number): ModelInfo {
  if (!ARCHS.includes(arch))
    throw new UsageError(`--arch: unknown architecture "${arch}". Expected one of ${ARCHS.join(', ')}.`);
  if (isMobileNet(arch)) {
    const be = new CountingBackend();
    const m = new MobileNetV3LRASPP(be, { ...MOBILENET_CONFIGS[arch], classes }, new Rng(0));
    const sites = countForward(m, be, () => Tensor.zeros(be, [1, height, width, 3]));
    const groups = new Map<string, Cost>();
    for (const [site, c] of sites) {
      const g = site.startsWith('block') ? 'backbone' : site.split('.')[0];
      groups.set(g, addCost(groups.get(g) ?? zeroCost(), c));
    }
    let total = zeroCost();
    for (const c of sites.values()) total = addCost(total, c);
    return {
      arch,
      classes,
      size: [height, width],
      params: total.params,
      macs: total.macs,
      stages: [...groups].map(([name, c]) => ({ name, params: c.params, macs: c.macs })),
    };
  }
  const c = segformerCost(archFor(arch, classes), height, width);
  const units: Record<string, number> = {};
  for (const u of c.units) units[u.kind] = (units[u.kind] ?? 0) + 1;
  return {
    arch,
    classes,
    size: [height, width],
    params: c.total.params,
    macs: c.total.macs,
    stages: c.stages.map((s) => ({ name: s.name, params: s.cost.params, macs: s.cost.macs })),
    units,
  };
}

export function formatModelInfo(i: ModelInfo): string {
  const lines = [
    `${i.arch}, ${i.classes} classes, input ${i.size[0]}x${i.size[1]}`,
    `  params ${(i.params / 1e6).toFixed(3)} M, forward ${(i.macs / 1e9).toFixed(2)} GMAC`,
    '',
    `  ${'part'.padEnd(10)} ${'params (M)'.padStart(11)} ${'GMAC'.padStart(9)} ${'share'.padStart(6)}`,
  ];
  for (const s of i.stages) {
    lines.push(
      `  ${s.name.padEnd(10)} ${(s.params / 1e6).toFixed(3).padStart(11)} ${(s.macs / 1e9).toFixed(2).padStart(9)} ${((100 * s.macs) / i.macs).toFixed(1).padStart(5)}%`,
    );
  }
  if (i.units) {
    lines.push(
      '',
      `  prunable units: ${Object.entries(i.units)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}`,
    );
  }
  return lines.join('\n');
}

export function registerModelCommands(program: Command, io: Io): void {
  const model = program
    .command('model')
    .description('Describe model architectures: parameters, MACs, prunable units.');
  model
    .command('info')
    .description('Parameters and forward MACs of an architecture at an input size, per stage.')
    .requiredOption('--arch <name>', `architecture (${ARCHS.join(', ')})`)
    .option('--classes <n>', 'number of classes', '19')
    .option('--size <HxW>', 'input size, height x width', '512x1024')
    .option('--json', 'print {arch, classes, size, params, macs, stages, units} as JSON on stdout')
    .addHelpText(
      'after',
      '\nExample:\n  edgeseg model info --arch segformer-b5 --classes 19 --size 1024x2048\n',
    )
    .action((o) => {
      const [h, w] = parseSize('--size', o.size, 32);
      const info = modelInfo(o.arch, parseCount('--classes', o.classes, 1), h, w);
      io.stdout.write(o.json ? `${JSON.stringify(info, null, 2)}\n` : `${formatModelInfo(info)}\n`);
    });
  model
    .command('list')
    .description('List the architectures edgeseg builds.')
    .action(() => {
      io.stdout.write(`${ARCHS.join('\n')}\n`);
    });
}
