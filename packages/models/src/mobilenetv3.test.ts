import { Rng, Tensor } from '@edgeseg/autograd';
import { describe, expect, it } from 'vitest';
import { MOBILENET_CONFIGS } from './configs.js';
import { CountingBackend } from './cost/countingBackend.js';
import { countForward } from './cost/modelCost.js';
import { MobileNetV3LRASPP } from './mobilenetv3.js';

describe('MobileNetV3 LR-ASPP', () => {
  it('Large has torchvision lraspp_mobilenet_v3_large’s parameter count (3.22M at 21 classes)', () => {
    const be = new CountingBackend();
    const m = new MobileNetV3LRASPP(
      be,
      { ...MOBILENET_CONFIGS['mobilenetv3-lraspp-large'], classes: 21 },
      new Rng(0),
    );
    expect(Math.abs(m.numParameters() / 3_221_538 - 1)).toBeLessThan(0.001);
  });

  it('produces 1/8-resolution logits through a dilated (output-stride-16) tail', () => {
    const be = new CountingBackend();
    const m = new MobileNetV3LRASPP(be, MOBILENET_CONFIGS['mobilenetv3-lraspp-small'], new Rng(0));
    m.eval();
    const out = m.forward(Tensor.zeros(be, [1, 64, 128, 3]));
    expect(out.shape).toEqual([1, 8, 16, 19]);
    const sites = countForward(m, be, () => Tensor.zeros(be, [1, 64, 128, 3]));
    expect([...sites.keys()].some((s) => s.startsWith('head'))).toBe(true);
  });
});
