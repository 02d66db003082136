import { RefBackend, Rng, tidy } from '@edgeseg/autograd';
import { archFor, SegFormer } from '@edgeseg/models';
import { describe, expect, it } from 'vitest';
import { RPI5 } from '../energy/profile.js';
import { HardConcrete } from '../gates/hardConcrete.js';
import { SegFormerGates } from '../gates/segformerGates.js';
import { EnergyComplexityLoss } from './energyLoss.js';
import { objectiveFor } from './objective.js';

const be = new RefBackend({ f64: true });

describe('Hard-Concrete gates', () => {
  it('match the formulas of REFERENCE §3.1', () => {
    const g = new HardConcrete(be, 3, { initOpen: 0.9 });
    be.view(g.logAlpha.storage).set([-2, 0, 3]);
    const beta = 2 / 3;
    const p = tidy(() => g.pOpen().toArray());
    [-2, 0, 3].forEach((la, i) => {
      expect(p[i]).toBeCloseTo(1 / (1 + Math.exp(-(la - beta * Math.log(0.1 / 1.1)))), 12);
    });
    const z = g.deterministic();
    [-2, 0, 3].forEach((la, i) => {
      expect(z[i]).toBeCloseTo(Math.min(1, Math.max(0, (1 / (1 + Math.exp(-la))) * 1.2 - 0.1)), 6);
    });
    // Samples land in [0, 1] and hit both 0 and 1 exactly (the stretch puts mass there).
    const rng = new Rng(1);
    let zeros = 0;
    let ones = 0;
    for (let i = 0; i < 400; i++) {
      const s = tidy(() => g.sample(rng).toArray());
      for (const v of s) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        if (v === 0) zeros++;
        if (v === 1) ones++;
      }
    }
    expect(zeros).toBeGreaterThan(0);
    expect(ones).toBeGreaterThan(0);
  });

  it('start at the requested openness', () => {
    const g = new HardConcrete(be, 2, { initOpen: 0.8 });
    expect(tidy(() => g.pOpen().toArray())[0]).toBeCloseTo(0.8, 6);
  });
});

describe('Energy-Complexity loss', () => {
  const arch = archFor('segformer-tiny');
  const model = new SegFormer(be, arch, new Rng(1));
  const gates = new SegFormerGates(model);

  it('the gradient on each gate is proportional to its unit’s energy', () => {
    const obj = objectiveFor(arch, [64, 128], 'energy', RPI5, 'int8');
    const loss = new EnergyComplexityLoss(obj.total, { target: 0.5, warmupSteps: 0, lambdaE: 1 });
    for (const g of gates.all()) g.logAlpha.zeroGrad();
    tidy(() => loss.term(gates, obj, 0).loss.backward());
    // Decoder projection groups are flat units: dL/dlogα = λ_E·E_u/E_dense·dP/dlogα, the same dP for equal log α.
    const g1 = gates.decC[0]!.logAlpha.grad!.toArray()[0];
    const g4 = gates.decC[3]!.logAlpha.grad!.toArray()[0];
    const e1 = obj.unitCost.get('dec.c1.g0')!;
    const e4 = obj.unitCost.get('dec.c4.g0')!;
    expect(g1 / g4).toBeCloseTo(e1 / e4, 9);
    expect(e1).not.toBeCloseTo(e4, 3);
    // The same under a FLOPs-only objective uses MACs instead, so the ratio changes.
    const flops = objectiveFor(arch, [64, 128], 'flops', RPI5, 'int8');
    expect(flops.unitCost.get('dec.c1.g0')! / flops.unitCost.get('dec.c4.g0')!).not.toBeCloseTo(e1 / e4, 2);
  });

  it('expected cost with every gate fully open is the dense cost; the multiplier grows while r > t and is never negative', () => {
    const obj = objectiveFor(arch, [64, 128], 'energy', RPI5, 'int8');
    for (const g of gates.all()) be.view(g.logAlpha.storage).fill(50);
    const loss = new EnergyComplexityLoss(obj.total, { target: 0.4, warmupSteps: 10 });
    const { ratio, target } = tidy(() => {
      const r = loss.term(gates, obj, 5);
      return { ratio: r.ratio, target: r.target };
    });
    expect(ratio).toBeCloseTo(1, 6);
    expect(target).toBeCloseTo(0.7, 12);
    loss.update(ratio, 5);
    expect(loss.lambda1).toBeGreaterThan(0);
    // Below the budget the multiplier decays to 0, never below.
    for (let i = 0; i < 100; i++) loss.update(0.1, 100);
    expect(loss.lambda1).toBe(0);
    expect(loss.targetAt(100)).toBe(0.4);
  });
});
