import { archFor, zeroCost } from '@edgeseg/models';
import { describe, expect, it } from 'vitest';
import { costEnergy, modelEnergy } from './energyModel.js';
import { HOROWITZ_45NM, parseProfile, RPI5 } from './profile.js';

describe('energy model', () => {
  it('charges a hand-computed cost exactly as the formula says', () => {
    const c = {
      ...zeroCost(),
      macs: 1000,
      flops: 100,
      weightElems: 50,
      actElems: 400,
      actDramElems: 300,
      attnElems: 100,
      attnDramElems: 60,
    };
    const e = costEnergy(c, HOROWITZ_45NM, 'fp32');
    // compute: 1000·4.6 + 100·0.9; weights: 50·4 B·243.75; activations (300 non-score, 240 of them DRAM):
    // 4·(60·12.5 + 240·243.75); scores: 4·(40·12.5 + 60·243.75); no static power.
    expect(e.computePj).toBeCloseTo(1000 * 4.6 + 100 * 0.9, 6);
    expect(e.weightPj).toBeCloseTo(50 * 4 * 243.75, 6);
    expect(e.activationPj).toBeCloseTo(4 * (60 * 12.5 + 240 * 243.75), 6);
    expect(e.attentionPj).toBeCloseTo(4 * (40 * 12.5 + 60 * 243.75), 6);
    expect(e.staticPj).toBe(0);
    const i8 = costEnergy(c, HOROWITZ_45NM, 'int8');
    expect(i8.computePj).toBeCloseTo(1000 * 0.3 + 100 * 0.9, 6);
    expect(i8.weightPj).toBeCloseTo(50 * 243.75, 6);
  });

  it('per-unit energies plus the fixed energy sum to the dense energy', () => {
    for (const prec of ['fp32', 'int8'] as const) {
      const m = modelEnergy(archFor('segformer-tiny'), 128, 256, RPI5, prec);
      const sum = m.fixedPj + m.units.reduce((s, u) => s + u.energyPj, 0);
      expect(sum / m.total.totalPj).toBeCloseTo(1, 9);
    }
  });

  it('INT8 costs less than FP32, stage-1 heads cost more than stage-4 heads, and large attention maps go to DRAM', () => {
    const arch = archFor('segformer-b0');
    const f = modelEnergy(arch, 512, 1024, RPI5, 'fp32');
    const q = modelEnergy(arch, 512, 1024, RPI5, 'int8');
    expect(q.energyMj).toBeLessThan(f.energyMj);
    const head = (s: number) => f.units.find((u) => u.kind === 'head' && u.stage === s)!.energyPj;
    expect(head(0)).toBeGreaterThan(head(3));
    expect(f.cost.total.attnDramElems).toBeGreaterThan(0);
  });

  it('reads a calibrated profile and rejects a bad one naming the field', () => {
    const good = JSON.stringify({ ...RPI5, name: 'my-pi' });
    expect(parseProfile(good, 'p.json').name).toBe('my-pi');
    expect(() =>
      parseProfile(JSON.stringify({ ...RPI5, bytePj: { dram: -1, onChip: 1 } }), 'p.json'),
    ).toThrow(/p.json: bytePj.dram must be a finite number > 0/);
    expect(() => parseProfile('{', 'p.json')).toThrow(/p.json: not JSON/);
  });
});
