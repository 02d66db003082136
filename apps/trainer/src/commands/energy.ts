// energy.ts — `edgeseg energy`: modelled energy per frame of an architecture on a device profile,
// per layer and per prunable unit (@edgeseg/compress energy model).
import { type ModelEnergy, modelEnergy, type Precision, resolveProfile } from '@edgeseg/compress';
import { archFor, SEGFORMER_CONFIGS } from '@edgeseg/models';
import type { Command } from 'commander';
import { type Io, parseCount, parseSize, UsageError } from '../io.js';

export function energyJson(e: ModelEnergy) {
  return {
    profile: e.profile,
    precision: e.precision,
    size: [e.height, e.width],
    energy_mj: e.energyMj,
    latency_ms: e.latencyMs,
    breakdown_mj: {
      compute: e.total.computePj * 1e-9,
      weights: e.total.weightPj * 1e-9,
      activations: e.total.activationPj * 1e-9,
      attention_maps: e.total.attentionPj * 1e-9,
      static: e.total.staticPj * 1e-9,
    },
    params: e.cost.total.params,
    macs: e.cost.total.macs,
    layers: e.stages.map((s) => ({ name: s.name, energy_mj: s.energyMj, macs: s.macs, params: s.params })),
    fixed_mj: e.fixedPj * 1e-9,
    units: e.units.map((u) => ({
      id: u.id,
      kind: u.kind,
      energy_mj: u.energyPj * 1e-9,
      macs: u.macs,
      params: u.params,
    })),
  };
}

function format(e: ModelEnergy, arch: string): string {
  const b = energyJson(e).breakdown_mj;
  const lines = [
    `${arch} at ${e.height}x${e.width}, ${e.precision} on ${e.profile}: ${e.energyMj.toFixed(2)} mJ/frame, modelled latency ${e.latencyMs.toFixed(1)} ms`,
    `  compute ${b.compute.toFixed(2)}, weights ${b.weights.toFixed(2)}, activations ${b.activations.toFixed(2)}, attention maps ${b.attention_maps.toFixed(2)}, static ${b.static.toFixed(2)} (mJ)`,
    '',
    ...e.stages.map(
      (s) =>
        `  ${s.name.padEnd(8)} ${s.energyMj.toFixed(3).padStart(9)} mJ  ${((100 * s.energyMj) / e.energyMj).toFixed(1).padStart(5)}%`,
    ),
  ];
  const byKind = new Map<string, { n: number; mj: number; max: number }>();
  for (const u of e.units) {
    const k = byKind.get(u.kind) ?? { n: 0, mj: 0, max: 0 };
    k.n++;
    k.mj += u.energyPj * 1e-9;
    k.max = Math.max(k.max, u.energyPj * 1e-9);
    byKind.set(u.kind, k);
  }
  lines.push('', '  prunable units:');
  for (const [kind, k] of byKind) {
    lines.push(
      `    ${kind.padEnd(15)} ${String(k.n).padStart(4)} units, ${k.mj.toFixed(3)} mJ in all, the costliest ${(k.max * 1e3).toFixed(1)} µJ`,
    );
  }
  lines.push(`    fixed part ${(e.fixedPj * 1e-9).toFixed(3)} mJ`);
  return lines.join('\n');
}

export function registerEnergyCommand(program: Command, io: Io): void {
  program
    .command('energy')
    .description(
      'Modelled energy per frame of an architecture on a device profile, per layer and per prunable unit.',
    )
    .requiredOption('--arch <name>', `architecture (${Object.keys(SEGFORMER_CONFIGS).join(', ')})`)
    .option('--size <HxW>', 'input size, height x width', '512x1024')
    .option(
      '--profile <name|file>',
      'horowitz-45nm, rpi5, jetson-orin-nano, or a calibrated profile JSON',
      'rpi5',
    )
    .option('--precision <p>', 'fp32 or int8', 'int8')
    .option('--classes <n>', 'number of classes', '19')
    .option('--json', 'print {energy_mj, layers, units, …} as JSON on stdout')
    .addHelpText(
      'after',
      '\nExample:\n  edgeseg energy --arch segformer-b0 --size 512x1024 --profile rpi5 --precision int8\n',
    )
    .action((o) => {
      if (!(o.arch in SEGFORMER_CONFIGS)) {
        throw new UsageError(
          `--arch: unknown architecture "${o.arch}". Expected one of ${Object.keys(SEGFORMER_CONFIGS).join(', ')}.`,
        );
      }
      if (o.precision !== 'fp32' && o.precision !== 'int8') {
        throw new UsageError(`--precision: expected fp32 or int8, got "${o.precision}".`);
      }
      const [h, w] = parseSize('--size', o.size, 32);
      let profile: ReturnType<typeof resolveProfile>;
      try {
        profile = resolveProfile(o.profile);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const e = modelEnergy(
        archFor(o.arch, parseCount('--classes', o.classes, 1)),
        h,
        w,
        profile,
        o.precision as Precision,
      );
      io.stdout.write(o.json ? `${JSON.stringify(energyJson(e), null, 2)}\n` : `${format(e, o.arch)}\n`);
    });
}
