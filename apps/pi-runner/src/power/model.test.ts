import { describe, expect, it } from 'vitest';
import { ESTIMATES } from '../estimates.js';
import { ModelMeter, modelledFrameJoules } from './model.js';

describe('modelled energy', () => {
  const p = {
    ...ESTIMATES.rpi5,
    macPj: { int8: 0.1, fp16: 0.5, fp32: 1 },
    bytePj: { dram: 20, onChip: 1 },
    staticW: 3,
  };

  it('charges MACs at the precision and every weight byte once from DRAM', () => {
    const int8 = modelledFrameJoules({ macs: 1e9, params: 1e6, precision: 'int8' }, p);
    expect(int8.computeJ).toBeCloseTo(1e9 * 0.1e-12, 15);
    expect(int8.weightsJ).toBeCloseTo(1e6 * 1 * 20e-12, 15);
    const fp32 = modelledFrameJoules({ macs: 1e9, params: 1e6, precision: 'fp32' }, p);
    expect(fp32.computeJ).toBeCloseTo(1e-3, 15);
    expect(fp32.weightsJ).toBeCloseTo(1e6 * 4 * 20e-12, 15);
  });

  it('adds static power over the wall time of the window', async () => {
    let t = 0;
    const m = new ModelMeter({ macs: 1e9, params: 1e6, precision: 'int8' }, p, () => t, 'test');
    expect(m.measured).toBe(false);
    await m.start();
    t = 2000;
    const w = await m.stop({ frames: 10 });
    expect(w.joules).toBeCloseTo(10 * (1e-4 + 2e-5) + 3 * 2, 12);
    expect(w.watts).toBeCloseTo(w.joules / 2, 12);
  });

  it('says when the model file records no MAC count', () => {
    const m = new ModelMeter({ macs: 0, params: 10, precision: 'int8' }, p, () => 0, 'test');
    expect(m.caveat).toMatch(/the model file records no MAC count, so compute energy is missing$/);
    expect(new ModelMeter({ macs: 1, params: 10, precision: 'int8' }, p, () => 0, 'test').caveat).not.toMatch(
      /MAC count/,
    );
  });
});
