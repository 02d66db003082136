import { describe, expect, it } from 'vitest';
import { parseProfile } from './energyProfile.js';

const base = {
  name: 'my-pi',
  macPj: { int8: 0.09, fp32: 1.4 },
  opPj: 0.27,
  bytePj: { dram: 32, onChip: 1.2 },
  cacheBytes: 2097152,
  staticW: 2.7,
  macsPerSecond: { int8: 4e10, fp32: 2.4e10 },
  dramBytesPerSecond: 1.2e10,
};

describe('parseProfile', () => {
  it('fills defaults (fp16 from fp32, empty sources) and keeps a calibration record', () => {
    const calibrated = {
      device: 'Raspberry Pi 5 Model B Rev 1.0',
      date: '2025-01-01T00:00:00.000Z',
      threads: 4,
      energySource: 'vcgencmd',
      measurements: [{ kernel: 'gemm_i8', shape: '4096×256×64', seconds: 0.01, rate: 6.7e9, unit: 'MAC/s' }],
    };
    const p = parseProfile(JSON.stringify({ ...base, calibrated }), 'p.json');
    expect(p.macPj.fp16).toBe(1.4);
    expect(p.sources).toEqual([]);
    expect(p.calibrated).toEqual(calibrated);
  });

  it('rejects a bad calibration record naming the field', () => {
    const bad = (calibrated: unknown) => () =>
      parseProfile(JSON.stringify({ ...base, calibrated }), 'p.json');
    expect(bad('yes')).toThrow('p.json: calibrated must be an object. Got "yes".');
    expect(bad({ device: 'x', date: 'd', threads: 1.5, energySource: 'rapl' })).toThrow(
      'p.json: calibrated.threads must be an integer ≥ 1. Got 1.5.',
    );
    expect(bad({ device: 3, date: 'd', threads: 1, energySource: 'rapl' })).toThrow(
      'p.json: calibrated.device must be a string. Got 3.',
    );
    expect(
      bad({ device: 'x', date: 'd', threads: 1, energySource: 'rapl', measurements: [{ kernel: 'k' }] }),
    ).toThrow('p.json: calibrated.measurements[0].shape must be a string. Got undefined.');
  });

  it('rejects missing and negative numbers naming the field', () => {
    expect(() => parseProfile(JSON.stringify({ ...base, staticW: -1 }), 'p.json')).toThrow(
      'p.json: staticW must be a finite number ≥ 0. Got -1.',
    );
    expect(() => parseProfile(JSON.stringify({ ...base, macsPerSecond: { int8: 1 } }), 'p.json')).toThrow(
      'p.json: macsPerSecond.fp32 must be a finite number > 0. Got undefined.',
    );
    expect(() => parseProfile('[1]', 'p.json')).toThrow(/^p\.json: expected an energy profile object/);
  });
});
