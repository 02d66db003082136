// Cross-package: the runner's energy profiles and the compress energy model agree.
// - The runner's fallback estimates (apps/pi-runner/src/estimates.ts) are the compress built-ins (both
//   come from @edgeseg/runtime, the one package a board installs).
// - A profile written by `edgeseg-run calibrate` is taken by the trainer's `edgeseg energy --profile FILE`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_PROFILES, type EnergyProfile } from '@edgeseg/compress';
import { buildProfile, ESTIMATES, KERNEL_CASES } from '@edgeseg/pi-runner';
import { main as trainer } from '@edgeseg/trainer';
import { describe, expect, it } from 'vitest';

const numbers = (p: EnergyProfile) => ({
  macPj: p.macPj,
  opPj: p.opPj,
  bytePj: p.bytePj,
  cacheBytes: p.cacheBytes,
  staticW: p.staticW,
  macsPerSecond: p.macsPerSecond,
  dramBytesPerSecond: p.dramBytesPerSecond,
});

describe('runner energy profiles', () => {
  it('estimates equal the compress built-in profiles', () => {
    expect(numbers(ESTIMATES.rpi5)).toEqual(numbers(BUILTIN_PROFILES.rpi5));
    expect(numbers(ESTIMATES['jetson-orin-nano'])).toEqual(numbers(BUILTIN_PROFILES['jetson-orin-nano']));
    expect(numbers(ESTIMATES.other)).toEqual(numbers(BUILTIN_PROFILES['horowitz-45nm']));
  });

  it('a calibrated profile is taken by `edgeseg energy --profile FILE`', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgeseg-profile-'));
    try {
      const p = buildProfile(
        {
          device: { name: 'Raspberry Pi 5 Model B Rev 1.0', board: 'rpi5' },
          threads: 4,
          energySource: 'vcgencmd',
          idleW: 2.8,
          cases: Object.values(KERNEL_CASES).map((c) => ({
            case: c,
            medianCallS: 1e-3,
            rate: 1e10,
            watts: 6,
          })),
        },
        'my-pi',
        '2025-06-01T00:00:00.000Z',
      );
      const file = join(dir, 'my-pi.json');
      await writeFile(file, JSON.stringify(p));
      let out = '';
      const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } };
      const code = await trainer(
        ['energy', '--arch', 'segformer-b0', '--size', '256x512', '--profile', file, '--json'],
        io,
      );
      expect(code).toBe(0);
      const e = JSON.parse(out);
      expect(e.profile).toBe('my-pi');
      expect(e.energy_mj).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
