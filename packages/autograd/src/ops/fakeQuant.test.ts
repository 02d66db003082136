import { describe, expect, it } from 'vitest';
import { RefBackend } from '../backend/ref.js';
import { tidy } from '../function.js';
import { Tensor } from '../tensor.js';
import { fakeQuant } from './fakeQuant.js';

const be = new RefBackend({ f64: true });

describe('fake quant (STE + LSQ)', () => {
  it('forward rounds ties to even, clamps, and the gradients follow the LSQ formula', () => {
    tidy(() => {
      const s = 0.5;
      const z = 3;
      const xs = [0.25, 0.75, -0.3, 10, -10, 1.1];
      const x = Tensor.from(be, [6], xs);
      x.requiresGrad = true;
      const sc = Tensor.from(be, [1], [s]);
      sc.requiresGrad = true;
      const y = fakeQuant(x, sc, { zeroPoint: z, qmin: -8, qmax: 7, gradScale: 0.1 });
      // x/s = 0.5 → 0 (tie to even), 1.5 → 2, −0.6 → −1, 20 → clamp to qmax − z = 4, −20 → qmin − z = −11, 2.2 → 2
      expect([...y.toArray()]).toEqual([0, 1, -0.5, 2, -5.5, 1]);
      const w = [1, 2, 3, 4, 5, 6];
      y.mul(Tensor.from(be, [6], w))
        .sum()
        .backward();
      // STE: gradient passes inside the range only.
      expect([...x.grad!.toArray()]).toEqual([1, 2, 3, 0, 0, 6]);
      // LSQ: Σ g·((round(v) − v) inside | qmin−z below | qmax−z above) × gradScale.
      const inside = (v: number, r: number) => r - v;
      const want =
        0.1 *
        (1 * inside(0.5, 0) +
          2 * inside(1.5, 2) +
          3 * inside(-0.6, -1) +
          4 * 4 +
          5 * -11 +
          6 * inside(2.2, 2));
      expect(sc.grad!.toArray()[0]).toBeCloseTo(want, 10);
    });
  });

  it('per-channel scales apply along axis 0, and floor rounding is available', () => {
    tidy(() => {
      const x = Tensor.from(be, [2, 2], [0.3, 0.7, 0.3, 0.7]);
      const s = Tensor.from(be, [2], [0.2, 0.4]);
      expect(
        [...fakeQuant(x, s, { zeroPoint: 0, qmin: -127, qmax: 127, gradScale: 1 }).toArray()].map(
          (v) => +v.toFixed(6),
        ),
      ).toEqual([0.4, 0.8, 0.4, 0.8]);
      expect(
        [
          ...fakeQuant(x, s, {
            zeroPoint: 0,
            qmin: -127,
            qmax: 127,
            gradScale: 1,
            rounding: 'floor',
          }).toArray(),
        ].map((v) => +v.toFixed(6)),
      ).toEqual([0.2, 0.6, 0, 0.4]);
    });
  });
});
