import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseProfile } from '@edgeseg/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { ESTIMATES } from '../estimates.js';
import type { Io } from '../io.js';
import { main } from '../main.js';
import { type FakeHost, fakeHost, orinNano } from '../sensors.fixture.js';
import { buildProfile, type CalibrationResult } from './buildProfile.js';
import { parseCacheSize } from './calibrate.js';
import { KERNEL_CASES } from './kernelCases.js';

function capture(): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    out: () => out,
    err: () => err,
  };
}

let host: FakeHost;
afterEach(() => host?.cleanup());

const pi5 = { name: 'Raspberry Pi 5 Model B Rev 1.0', board: 'rpi5' as const };

describe('buildProfile', () => {
  const C = KERNEL_CASES;
  const measured: CalibrationResult = {
    device: pi5,
    threads: 4,
    energySource: 'vcgencmd',
    idleW: 3,
    cacheBytes: 2 << 20,
    cases: [
      { case: C.gemm_i8_ffn2, medianCallS: 0.001, rate: 10e9, watts: 5 }, // 2 W / 10 GMAC/s = 200 pJ
      { case: C.gemm_i8_ffn4, medianCallS: 0.01, rate: 40e9, watts: 7 }, // 4 W / 40 GMAC/s = 100 pJ
      { case: C.gemm_f32_ffn2, medianCallS: 0.002, rate: 5e9, watts: 5.5 },
      { case: C.gemm_f32_ffn4, medianCallS: 0.02, rate: 20e9, watts: 6 },
      { case: C.softmax_attn1, medianCallS: 0.001, rate: 1e9, watts: 4 }, // 1 W / 5e9 op/s = 200 pJ
      { case: C.quantize_dram, medianCallS: 0.005, rate: 8e9, watts: 4.6 }, // 1.6 W / 8 GB/s = 200 pJ/B
      { case: C.quantize_cache, medianCallS: 0.0001, rate: 32e9, watts: 4.6 }, // 50 pJ/B
    ],
  };

  it('derives rates and energies from the measurements, and round-trips through parseProfile', () => {
    const p = buildProfile(measured, 'my-pi', '2025-06-01T00:00:00.000Z');
    expect(p.macsPerSecond.int8).toBeCloseTo(2 / (1 / 10e9 + 1 / 40e9), 0); // harmonic mean
    expect(p.macPj.int8).toBeCloseTo(150, 9);
    expect(p.macPj.fp32).toBeCloseTo((2.5 / 5e9 + 3 / 20e9) * 1e12 * 0.5, 9);
    expect(p.macPj.fp16).toBe(p.macPj.fp32);
    expect(p.opPj).toBeCloseTo(200, 9);
    expect(p.bytePj).toEqual({ dram: expect.closeTo(200, 9), onChip: expect.closeTo(50, 9) });
    expect(p.dramBytesPerSecond).toBe(8e9);
    expect(p.staticW).toBe(3);
    expect(p.cacheBytes).toBe(2 << 20);
    expect(p.calibrated).toMatchObject({ device: pi5.name, threads: 4, energySource: 'vcgencmd' });
    expect(p.calibrated?.measurements).toHaveLength(7);
    expect(p.sources).toContain('staticW: measured, idle power with vcgencmd');
    expect(parseProfile(JSON.stringify(p), 'p.json')).toEqual(p);
  });

  it('falls back to the board estimate, field by field, for what was not measured', () => {
    const noSensor = {
      ...measured,
      idleW: undefined,
      energySource: 'estimate',
      sensorNote: 'no power sensor found (…)',
    };
    const p = buildProfile(
      { ...noSensor, cases: noSensor.cases.map((c) => ({ ...c, watts: undefined })), cacheBytes: undefined },
      'x',
      'd',
    );
    expect(p.macPj).toEqual({
      int8: ESTIMATES.rpi5.macPj.int8,
      fp16: ESTIMATES.rpi5.macPj.fp32,
      fp32: ESTIMATES.rpi5.macPj.fp32,
    });
    expect(p.staticW).toBe(ESTIMATES.rpi5.staticW);
    expect(p.cacheBytes).toBe(ESTIMATES.rpi5.cacheBytes);
    expect(p.macsPerSecond.int8).toBeGreaterThan(0); // still measured
    expect(p.sources).toContain('staticW: estimate from rpi5');
    // A load that did not rise above idle cannot give an energy: estimate, not a negative number.
    const flat = buildProfile({ ...measured, idleW: 10 }, 'x', 'd');
    expect(flat.macPj.int8).toBe(ESTIMATES.rpi5.macPj.int8);
    expect(flat.staticW).toBe(10);
    // Nor can a flat rail whose integral lands a rounding error above idle (it priced a MAC at ~0).
    const rounding = buildProfile(
      { ...measured, cases: measured.cases.map((c) => ({ ...c, watts: 3 + 1e-12 })) },
      'x',
      'd',
    );
    expect(rounding.macPj.int8).toBe(ESTIMATES.rpi5.macPj.int8);
    expect(rounding.sources).toContain('macPj.int8: estimate from rpi5');
    expect(parseProfile(JSON.stringify(flat), 'p.json').name).toBe('x');
  });

  it('reads sysfs cache sizes', () => {
    expect(parseCacheSize('2048K')).toBe(2 << 20);
    expect(parseCacheSize('8M')).toBe(8 << 20);
    expect(parseCacheSize('big')).toBeUndefined();
  });
});

describe('edgeseg-run calibrate', () => {
  const quick = ['--threads', '1', '--seconds', '0.01', '--idle', '0.05'];

  it('times every kernel family on this machine and writes a profile parseProfile accepts', async () => {
    host = await fakeHost({
      '/proc/device-tree/model': 'Raspberry Pi 5 Model B Rev 1.0\0',
      '/sys/devices/system/cpu/cpu0/cache/index0/size': '64K',
      '/sys/devices/system/cpu/cpu0/cache/index3/size': '2048K',
    });
    const out = join(host.root, 'profile.json');
    const io = capture();
    const code = await main(['calibrate', ...quick, '--out', out], io, {
      sensors: { ...host.env, now: () => performance.now() },
    });
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toMatch(
      /^device {5}Raspberry Pi 5 Model B Rev 1\.0 · 1 thread\(s\) · energy: estimate$/m,
    );
    expect(io.out()).toMatch(/^ {11}vcgencmd: vcgencmd not found/m);
    expect(io.out()).toMatch(/^gemm_i8 +[\d.]+ [GM]MAC\/s {2}[\d.]+ ms\/call {2}— stage-2 Mix-FFN/m);
    expect(io.out()).toMatch(/^profile {4}calibrated-rpi5 written to .*profile\.json$/m);
    const p = parseProfile(await readFile(out, 'utf8'), out);
    expect(p.name).toBe('calibrated-rpi5');
    expect(p.calibrated).toMatchObject({ threads: 1, energySource: 'estimate' });
    expect(p.calibrated?.measurements?.map((m) => m.kernel)).toEqual([
      'gemm_i8',
      'gemm_i8',
      'gemm_f32',
      'gemm_f32',
      'softmax_f32',
      'quantize_f32_i8',
      'quantize_f32_i8',
    ]);
    expect(p.cacheBytes).toBe(2 << 20);
    expect(p.staticW).toBe(ESTIMATES.rpi5.staticW);
    expect(p.macsPerSecond.int8).toBeGreaterThan(0);
  });

  it('measures idle power with a sensor and prints the profile JSON without --out', async () => {
    host = await fakeHost(orinNano(5000, 1000)); // 5 W, idle or loaded: no rise, energies from the estimate
    const io = capture();
    const code = await main(['calibrate', ...quick, '--name', 'orin'], io, {
      sensors: { ...host.env, now: () => performance.now() },
    });
    expect(code).toBe(0);
    const p = parseProfile(io.out(), 'stdout');
    expect(p).toMatchObject({
      name: 'orin',
      staticW: expect.closeTo(5, 9),
      calibrated: { energySource: 'ina3221' },
    });
    for (const m of p.calibrated?.measurements ?? []) expect(m.watts).toBeCloseTo(5, 9); // ∫P dt / t of 5 W
    expect(p.sources).toContain('macPj.int8: estimate from horowitz-45nm (unknown board)');
  });

  it('refuses --power model and more threads than the sources can run', async () => {
    host = await fakeHost();
    const io = capture();
    expect(await main(['calibrate', '--power', 'model'], io, { sensors: host.env })).toBe(2);
    const t = capture();
    expect(await main(['calibrate', '--threads', '2', '--seconds', '0.01'], t, { sensors: host.env })).toBe(
      1,
    );
    expect(t.err()).toMatch(/--threads 2 runs worker threads from the built runner/);
  });
});
