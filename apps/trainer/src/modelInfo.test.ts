import { describe, expect, it } from 'vitest';
import type { Io } from './io.js';
import { main } from './main.js';

function capture(): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    out: () => out,
    err: () => err,
  };
}

describe('edgeseg model info', () => {
  it('prints B5 at 1024x2048 with 19 classes: 84.6 M params, 1446 GMAC, per stage (--json)', async () => {
    const io = capture();
    expect(
      await main(
        ['model', 'info', '--arch', 'segformer-b5', '--classes', '19', '--size', '1024x2048', '--json'],
        io,
      ),
    ).toBe(0);
    const j = JSON.parse(io.out());
    expect(j.params / 1e6).toBeCloseTo(84.61, 1);
    expect(j.macs / 1e9).toBeCloseTo(1446.4, 0);
    expect(j.stages.map((s: { name: string }) => s.name)).toEqual([
      'stage1',
      'stage2',
      'stage3',
      'stage4',
      'decoder',
    ]);
    expect(j.units.head).toBe(239);
  });

  it('prints a table for B0 and covers the MobileNetV3 baselines', async () => {
    const io = capture();
    expect(await main(['model', 'info', '--arch', 'segformer-b0'], io)).toBe(0);
    expect(io.out()).toMatch(/params 3\.719 M, forward 17\.76 GMAC/);
    const io2 = capture();
    expect(await main(['model', 'info', '--arch', 'mobilenetv3-lraspp-large', '--json'], io2)).toBe(0);
    expect(JSON.parse(io2.out()).params).toBeGreaterThan(3e6);
  });

  it('rejects an unknown architecture with exit 2, naming the choices', async () => {
    const io = capture();
    expect(await main(['model', 'info', '--arch', 'segformer-b9'], io)).toBe(2);
    expect(io.err()).toMatch(/--arch: unknown architecture "segformer-b9". Expected one of segformer-b0/);
  });
});

describe('edgeseg energy', () => {
  it('prints energy per frame with per-layer and per-unit breakdowns as JSON', async () => {
    const io = capture();
    expect(
      await main(
        [
          'energy',
          '--arch',
          'segformer-b0',
          '--size',
          '128x256',
          '--profile',
          'horowitz-45nm',
          '--precision',
          'fp32',
          '--json',
        ],
        io,
      ),
    ).toBe(0);
    const j = JSON.parse(io.out());
    expect(j.energy_mj).toBeGreaterThan(0);
    expect(j.layers).toHaveLength(5);
    const sum = j.fixed_mj + j.units.reduce((s: number, u: { energy_mj: number }) => s + u.energy_mj, 0);
    expect(sum / j.energy_mj).toBeCloseTo(1, 6);
  });

  it('refuses an unknown profile as a usage error', async () => {
    const io = capture();
    expect(await main(['energy', '--arch', 'segformer-b0', '--profile', 'pi9'], io)).toBe(2);
    expect(io.err()).toMatch(/"pi9" is neither a built-in profile nor a readable file/);
  });
});
