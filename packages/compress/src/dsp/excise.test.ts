import { AdamW, noGrad, RefBackend, Rng, Tensor, tidy } from '@edgeseg/autograd';
import { archFor, SegFormer, segformerCost } from '@edgeseg/models';
import { describe, expect, it } from 'vitest';
import { SegFormerGates } from '../gates/segformerGates.js';
import { excise, exciseGates, moveOptimizerState, planFromGates } from './excise.js';

const be = new RefBackend();

function setGate(g: { logAlpha: Tensor } | null, values: number[]) {
  if (g) be.view(g.logAlpha.storage).set(values);
}

/** log α for a deterministic gate ẑ: closed (−10 → 0), open (10 → 1), or in between. */
const CLOSED = -10;
const OPEN = 10;
const HALF = 0.2; // σ(0.2)·1.2 − 0.1 ≈ 0.56

function logits(m: SegFormer, gates: SegFormerGates | null, x: Float32Array): Float32Array {
  return tidy(() =>
    noGrad(() => {
      gates?.apply('deterministic');
      const y = m.forward(Tensor.from(be, [2, 32, 64, 3], x)).toArray() as Float32Array;
      gates?.apply('off');
      return y;
    }),
  );
}

describe('excision', () => {
  const x = Float32Array.from({ length: 2 * 32 * 64 * 3 }, (_, i) => Math.sin(i * 0.37));
  const build = () => {
    const m = new SegFormer(be, archFor('segformer-tiny'), new Rng(3)).eval();
    // Weights and biases of a trained-looking size (init biases are 0 and weights tiny, which would
    // let a wrong fold hide below the tolerance).
    const r = new Rng(5);
    for (const [name, t] of m.namedTensors()) {
      const v = be.view(t.storage);
      for (let i = 0; i < t.size; i++)
        v[i] = name.endsWith('runningVar') ? 0.5 + r.float() : 0.3 * r.normal();
    }
    // BN running statistics that are not the identity, so folding through BN is exercised.
    be.view(m.head.bn!.runningMean.storage).set(Float32Array.from({ length: 64 }, (_, i) => 0.01 * i));
    be.view(m.head.bn!.runningVar.storage).set(Float32Array.from({ length: 64 }, (_, i) => 1 + 0.02 * i));
    return { m, g: new SegFormerGates(m) };
  };

  it('an excised model computes the gated model’s logits (max |Δ| ≤ 1e-4) for every unit kind', () => {
    const { m, g } = build();
    // stage 1 (1 head): head closed → attention sub-layer removed; stage 2: one of two heads, fractional
    setGate(g.heads[0][0], [CLOSED]);
    setGate(g.heads[1][0], [HALF, CLOSED]);
    setGate(g.heads[2][0], [CLOSED, CLOSED, CLOSED]); // all heads of a block
    setGate(g.ffnBlocks[1][0], [CLOSED]); // whole FFN
    setGate(g.ffnGroups[0][0], [OPEN, CLOSED, HALF, OPEN]); // 64 hidden = 4 groups
    setGate(
      g.ffnGroups[3][0],
      [...Array(16)].map((_, i) => (i % 3 === 0 ? CLOSED : i % 3 === 1 ? HALF : OPEN)),
    );
    setGate(g.decC[0], [OPEN, CLOSED, HALF, OPEN]);
    setGate(g.decC[2], [CLOSED, CLOSED, CLOSED, CLOSED]); // every group of a projection closed → one kept
    setGate(g.decFuse, [HALF, CLOSED, OPEN, OPEN]);
    const want = logits(m, g, x);
    const plan = planFromGates(g);
    const ex = excise(m, plan);
    expect(ex.arch.blocks[0][0].heads).toBe(0);
    expect(ex.arch.blocks[2][0].heads).toBe(0);
    expect(ex.arch.blocks[1][0]).toMatchObject({ heads: 1, ffn: 0 });
    expect(ex.arch.blocks[0][0].ffn).toBe(48);
    expect(ex.model.stages[0].blocks[0].attn).toBeNull();
    expect(ex.arch.decoder.fuseDim).toBe(48);
    const got = logits(ex.model.eval(), null, x);
    let max = 0;
    for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i] - got[i]));
    expect(max).toBeLessThanOrEqual(1e-4);
    expect(ex.model.numParameters()).toBeLessThan(m.numParameters());
    expect(segformerCost(ex.arch, 64, 128).total.macs).toBeLessThan(
      segformerCost(m.arch, 64, 128).total.macs,
    );
  });

  it('with every gate open the excised model is the same model', () => {
    const { m, g } = build();
    for (const gate of g.all()) setGate(gate, new Array(gate.size).fill(OPEN));
    const ex = excise(m, planFromGates(g));
    expect(ex.model.numParameters()).toBe(m.numParameters());
    const a = logits(m, g, x);
    const b = logits(ex.model.eval(), null, x);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-5);
  });

  it('moves optimizer moments and surviving gates onto the smaller model', () => {
    const { m, g } = build();
    m.train();
    const opt = new AdamW([{ params: m.parameters() }, { params: g.parameters(), lrMult: 100 }], 1e-3);
    // One step so moments exist.
    tidy(() => {
      g.apply('sample', new Rng(1));
      const y = m.forward(Tensor.from(be, [2, 32, 64, 3], x));
      y.mean().backward();
      opt.update();
      g.apply('off');
    });
    setGate(g.ffnGroups[0][0], [OPEN, CLOSED, OPEN, OPEN]);
    const ex = excise(m, planFromGates(g));
    const g2 = exciseGates(g, ex, opt);
    moveOptimizerState(opt, m, ex);
    const live = new Set([...ex.model.parameters(), ...g2.parameters()]);
    for (const group of opt.groups) for (const p of group.params) expect(live.has(p)).toBe(true);
    expect(g2.ffnGroups[0][0]?.size).toBe(3);
    // Training continues on the excised model.
    tidy(() => {
      opt.zeroGrad();
      g2.apply('sample', new Rng(2));
      ex.model
        .forward(Tensor.from(be, [2, 32, 64, 3], x))
        .mean()
        .backward();
      opt.update();
    });
  });
});
