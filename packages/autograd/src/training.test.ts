import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from './backend/backend.js';
import { RefBackend } from './backend/ref.js';
import { WasmBackend } from './backend/wasm.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { tidy } from './function.js';
import { channelWiseDistill, klDistill, mse } from './losses.js';
import { BatchNorm, Linear } from './nn/layers.js';
import { Module } from './nn/module.js';
import * as ops from './ops/index.js';
import { AdamW, SGD } from './optim/optimizer.js';
import { polyLr } from './optim/schedule.js';
import { Rng } from './rng.js';
import { Tensor } from './tensor.js';

const be = new RefBackend();
const wasm = new WasmBackend();

class Mlp extends Module {
  fc1: Linear;
  fc2: Linear;
  constructor(
    rng: Rng,
    readonly be: Backend = new RefBackend(),
  ) {
    super();
    this.fc1 = new Linear(be, 4, 16, rng);
    this.fc2 = new Linear(be, 16, 3, rng);
  }
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.fc1.forward(x).gelu());
  }
}

function data(rng: Rng) {
  const x = Float32Array.from({ length: 32 * 4 }, () => rng.normal());
  const y = Array.from({ length: 32 }, (_, i) =>
    x[i * 4] + x[i * 4 + 1] > 0 ? 0 : x[i * 4 + 2] > 0 ? 1 : 2,
  );
  return { x, y };
}

function train(steps: number, seed: number, model?: Mlp, opt?: AdamW, backend: Backend = be) {
  const rng = new Rng(seed);
  const m = model ?? new Mlp(rng, backend);
  const o = opt ?? new AdamW(m.parameters(), 0.01, 0.01);
  const { x, y } = data(new Rng(99));
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    losses.push(
      tidy(() => {
        o.zeroGrad();
        const l = ops.crossEntropy(m.forward(Tensor.from(m.be, [32, 4], x)), y);
        l.backward();
        o.update();
        return l.item();
      }),
    );
  }
  return { m, o, losses };
}

describe.each([
  ['ref', be],
  ['wasm', wasm],
] as const)('training on the %s backend', (_name, backend) => {
  it('an MLP overfits a small batch (loss falls by 90%) and the curve is identical for the same seed', () => {
    const a = train(150, 1, undefined, undefined, backend);
    const b = train(150, 1, undefined, undefined, backend);
    expect(a.losses[a.losses.length - 1]).toBeLessThan(0.1 * a.losses[0]);
    expect(b.losses).toEqual(a.losses);
    const c = train(5, 2, undefined, undefined, backend);
    expect(c.losses).not.toEqual(a.losses.slice(0, 5));
  });

  it('memory stays flat: a training step leaves no live tensors (or arena blocks) behind', () => {
    const rng = new Rng(3);
    const m = new Mlp(rng, backend);
    const o = new AdamW(m.parameters(), 0.01);
    const { x, y } = data(rng);
    const live = () => [Tensor.liveCount, backend === wasm ? wasm.kernels.arena.stats.liveBytes : 0];
    const step = () =>
      tidy(() => {
        o.zeroGrad();
        const l = ops.crossEntropy(m.forward(Tensor.from(backend, [32, 4], x)), y);
        l.backward();
        o.update();
      });
    step();
    const after1 = live();
    for (let i = 0; i < 5; i++) step();
    expect(live()).toEqual(after1);
  });

  it('resuming from a checkpoint continues the same loss curve', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const full = train(20, 7, undefined, undefined, backend);
    const half = train(10, 7, undefined, undefined, backend);
    saveCheckpoint(join(dir, 'c.safetensors'), { model: half.m, optimizer: half.o, metadata: { note: 'x' } });
    const m2 = new Mlp(new Rng(123), backend);
    const o2 = new AdamW(m2.parameters(), 0.01, 0.01);
    const meta = loadCheckpoint(join(dir, 'c.safetensors'), { model: m2, optimizer: o2 });
    expect(meta.note).toBe('x');
    expect(o2.step).toBe(10);
    const rest = train(10, 7, m2, o2, backend);
    expect(rest.losses).toEqual(full.losses.slice(10));
  });
});

describe('checkpoints', () => {
  it('a checkpoint of another architecture is refused with the tensor name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const a = new Mlp(new Rng(1));
    saveCheckpoint(join(dir, 'a.safetensors'), { model: a });
    class Other extends Module {
      fc1 = new Linear(be, 4, 8, new Rng(1));
    }
    expect(() => loadCheckpoint(join(dir, 'a.safetensors'), { model: new Other() })).toThrow(
      /tensors the model does not have: model.fc2/,
    );
  });
});

describe('optimizers and schedule', () => {
  it('AdamW takes the textbook first step', () => {
    const p = Tensor.param(be, [2], [1, -2]);
    const o = new AdamW([p], 0.1, 0.5);
    p.grad = Tensor.from(be, [2], [0.5, -3]);
    p.grad.persistent = true;
    o.update();
    // Step 1: m̂ = g, v̂ = g², update = lr·g/(|g|+ε) = ±lr; decay multiplies p by (1 − lr·wd).
    const v = p.toArray();
    expect(v[0]).toBeCloseTo(1 * (1 - 0.05) - 0.1, 6);
    expect(v[1]).toBeCloseTo(-2 * (1 - 0.05) + 0.1, 6);
  });

  it('SGD momentum accumulates like torch.optim.SGD', () => {
    const p = Tensor.param(be, [1], [0]);
    const o = new SGD([p], 1, 0.5);
    for (const g of [1, 1]) {
      p.grad = Tensor.from(be, [1], [g]);
      p.grad.persistent = true;
      o.update();
    }
    expect(p.toArray()[0]).toBeCloseTo(-(1 + 1.5), 6);
  });

  it('parameter groups scale the learning rate (decoder head ×10)', () => {
    const a = Tensor.param(be, [1], [0]);
    const b = Tensor.param(be, [1], [0]);
    const o = new SGD([{ params: [a] }, { params: [b], lrMult: 10 }], 0.1, 0);
    for (const p of [a, b]) {
      p.grad = Tensor.from(be, [1], [1]);
      p.grad.persistent = true;
    }
    o.update();
    expect(a.toArray()[0]).toBeCloseTo(-0.1, 6);
    expect(b.toArray()[0]).toBeCloseTo(-1, 6);
  });

  it('clips the global gradient norm', () => {
    const p = Tensor.param(be, [2], [0, 0]);
    p.grad = Tensor.from(be, [2], [3, 4]);
    p.grad.persistent = true;
    const o = new SGD([p], 1, 0);
    expect(o.clipGradNorm(1)).toBeCloseTo(5, 6);
    expect([...p.grad.toArray()].map((v) => +v.toFixed(6))).toEqual([0.6, 0.8]);
  });

  it('poly schedule with linear warm-up (mmseg)', () => {
    const s = { baseLr: 6e-5, totalSteps: 100, warmupSteps: 10, warmupRatio: 1e-6 };
    expect(polyLr(s, 0)).toBeCloseTo(6e-5 * 1e-6, 12);
    expect(polyLr(s, 10)).toBeCloseTo(6e-5 * 0.9, 12);
    expect(polyLr(s, 100)).toBe(0);
    expect(polyLr(s, 5)).toBeLessThan(polyLr(s, 10));
  });
});

describe('rng', () => {
  it('dropMask draws the numbers a float() loop draws and leaves the same state', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const m = new Float32Array(1000);
    a.dropMask(m, 0.3, Math.fround(1 / 0.7));
    const want = Float32Array.from({ length: 1000 }, () => (b.float() < 0.3 ? 0 : 1 / 0.7));
    expect(m).toEqual(want);
    expect(a.state).toEqual(b.state);
    expect(m.filter((v) => v === 0).length).toBeGreaterThan(250);
  });
});

describe('losses', () => {
  it('KL distillation is 0 for identical logits and positive otherwise; CWD too', () => {
    tidy(() => {
      const rng = new Rng(5);
      const a = Tensor.from(
        be,
        [1, 2, 3, 4],
        Float32Array.from({ length: 24 }, () => rng.normal()),
      );
      const b = Tensor.from(
        be,
        [1, 2, 3, 4],
        Float32Array.from({ length: 24 }, () => rng.normal()),
      );
      expect(Math.abs(klDistill(a, a, 4).item())).toBeLessThan(1e-6);
      expect(klDistill(a, b, 4).item()).toBeGreaterThan(0);
      expect(Math.abs(channelWiseDistill(a, a, 1).item())).toBeLessThan(1e-6);
      expect(channelWiseDistill(a, b, 1).item()).toBeGreaterThan(0);
      expect(mse(a, a).item()).toBe(0);
    });
  });

  it('BatchNorm with momentum null averages every batch since resetRunningStats()', () => {
    tidy(() => {
      const bn = new BatchNorm(be, 1, 1e-5, 0.01);
      bn.forward(Tensor.from(be, [2, 1], [100, 300]));
      bn.resetRunningStats();
      bn.momentum = null;
      bn.forward(Tensor.from(be, [2, 1], [1, 3])); // mean 2, unbiased var 2
      bn.forward(Tensor.from(be, [2, 1], [4, 8])); // mean 6, unbiased var 8
      expect(bn.batchesTracked).toBe(2);
      expect(bn.runningMean.toArray()[0]).toBeCloseTo(4, 5);
      expect(bn.runningVar.toArray()[0]).toBeCloseTo(5, 5);
    });
  });

  it('BatchNorm updates running stats in training and uses them in eval', () => {
    tidy(() => {
      const bn = new BatchNorm(be, 2);
      const x = Tensor.from(be, [4, 2], [1, 10, 3, 10, 5, 10, 7, 10]);
      bn.forward(x);
      expect([...bn.runningMean.toArray()].map((v) => +v.toFixed(5))).toEqual([0.4, 1]);
      bn.eval();
      const y = bn.forward(x).toArray();
      expect(y[0]).toBeCloseTo((1 - 0.4) / Math.sqrt(0.9 * 1 + 0.1 * (20 / 3) + 1e-5), 4);
    });
  });
});
