// families/adamwF32.ts — manifest entries and typed wrapper for assembly/adamw_f32/: one fused AdamW
// step over a parameter tensor (p, m, v updated in place, g read), the loop of
// packages/autograd/src/optim/optimizer.ts.
import { expectInt, type KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';
import { disjoint, restOf, type Span, sameMemory, span } from './span.js';

export const adamwF32Kernels: KernelInfo[] = (['scalar', 'simd128'] as const).map((isa) => ({
  name: `adamw_f32__${isa === 'simd128' ? 'simd' : 'scalar'}`,
  family: 'adamw_f32',
  op: 'adamw_f32',
  isa,
  summary: 'm,v ← β·(m,v) + (1−β)·(g,g²); p ← p·(1 − lr·wd) − lr·m̂/(√v̂ + ε), in place',
}));

export interface AdamwF32Buffers {
  /** Parameters (updated). */
  p: KBuf;
  /** Gradient (read). */
  g: KBuf;
  /** First and second moments (updated). */
  m: KBuf;
  v: KBuf;
}

export interface AdamwF32Hyper {
  /** Learning rate of this step (the schedule's value times the group's multiplier). */
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Step number t ≥ 1, after the optimizer's increment: the bias corrections are 1 − β^t. */
  step: number;
}

export interface AdamwF32Options {
  /** Elements (default: what p has after pOffset). */
  n?: number;
  pOffset?: number;
  gOffset?: number;
  mOffset?: number;
  vOffset?: number;
  isa?: Isa;
}

function expectIn(
  name: string,
  what: string,
  v: number,
  lo: number,
  hi: number,
  loOpen: boolean,
  hiOpen: boolean,
) {
  const okLo = loOpen ? v > lo : v >= lo;
  const okHi = hiOpen ? v < hi : v <= hi;
  if (!(okLo && okHi) || !Number.isFinite(v)) {
    throw new Error(
      `${name}: ${what} is out of range. Expected a number in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${v}.`,
    );
  }
}

/**
 * One AdamW step: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², p = p·(1 − lr·wd) − lr·(m/bc1)/(√(v/bc2) + ε)
 * with bc = 1 − β^step — the optimizer's loop, in f32. The betas reach the kernel as 1 − β (an f32 of
 * β2 = 0.999 would lose 1.3e−5 of 1 − β2). p, g, m, v must not overlap.
 */
export function adamwF32(k: Kernels, b: AdamwF32Buffers, h: AdamwF32Hyper, o: AdamwF32Options = {}): void {
  const name = 'adamw_f32';
  expectIn(name, 'lr', h.lr, 0, Number.MAX_VALUE, false, false);
  expectIn(name, 'beta1', h.beta1, 0, 1, false, true);
  expectIn(name, 'beta2', h.beta2, 0, 1, false, true);
  expectIn(name, 'eps', h.eps, 0, Number.MAX_VALUE, false, false);
  expectIn(name, 'weightDecay', h.weightDecay, 0, Number.MAX_VALUE, false, false);
  expectInt(name, 'step', h.step, 1, Number.MAX_SAFE_INTEGER);
  const po = o.pOffset ?? 0;
  const n = o.n ?? restOf(name, 'p', b.p, po);
  const s: Span[] = [
    span(name, 'p', b.p, po, n, 'n'),
    span(name, 'g', b.g, o.gOffset ?? 0, n, 'n'),
    span(name, 'm', b.m, o.mOffset ?? 0, n, 'n'),
    span(name, 'v', b.v, o.vOffset ?? 0, n, 'n'),
  ];
  sameMemory(name, s);
  for (let i = 0; i < 4; i++)
    for (let j = i + 1; j < 4; j++) disjoint(name, s[i], s[j], 'each is its own tensor');
  const bc1 = 1 - h.beta1 ** h.step;
  const bc2 = 1 - h.beta2 ** h.step;
  k.fn(k.pick(name, o.isa))(
    s[0].ptr,
    s[1].ptr,
    s[2].ptr,
    s[3].ptr,
    n,
    h.lr,
    1 - h.beta1,
    1 - h.beta2,
    h.eps,
    h.weightDecay,
    bc1,
    bc2,
  );
}
