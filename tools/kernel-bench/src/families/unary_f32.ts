// families/unary_f32.ts — the unary_f32 family on 1M elements: G elements/s of every forward op and
// the backward of the ops training uses most (gelu, relu, sigmoid, tanh), against the f64 TS twin.
// Bytes moved per element: 8 forward (x in, y out), 12 backward (x or y, dy in, dx out).
import { type Isa, type Kernels, type UnaryOpF32, unaryF32, unaryGradF32 } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import type { Row } from '../report.js';
import { timeIt } from '../timing.js';
import type { BenchContext } from './context.js';

// The builds to measure: the family has simd128 and scalar variants (no relaxed one).
const OURS_OP = 'relu_f32';

const FORWARD: (UnaryOpF32 | 'erf')[] = [
  'gelu',
  'relu',
  'neg',
  'abs',
  'square',
  'sqrt',
  'rsqrt',
  'exp',
  'log',
  'sigmoid',
  'tanh',
  'hardswish',
  'hardsigmoid',
  'erf',
];
const BACKWARD: UnaryOpF32[] = ['gelu', 'relu', 'sigmoid', 'tanh'];

export async function benchUnaryF32(ctx: BenchContext, quick = false): Promise<Row[]> {
  const rows: Row[] = [];
  const n = quick ? 1 << 18 : 1 << 20;
  const xs = ctx.rng.f32(n, -4, 4);
  const pos = ctx.rng.f32(n, 0.01, 10);
  const dys = ctx.rng.f32(n, -1, 1);
  const row = (impl: string, shape: string, seconds: number): Row => ({
    family: 'unary_f32',
    impl,
    shape,
    median_s: seconds,
    gops: n / seconds / 1e9,
    unit: 'Gelem/s',
    ratio_vs: {},
  });
  for (const { k, isa, impl } of ctx.ours(OURS_OP)) {
    const x = k.from('f32', xs);
    const p = k.from('f32', pos);
    const y = k.alloc('f32', n);
    const dy = k.from('f32', dys);
    const dx = k.alloc('f32', n);
    for (const op of FORWARD) {
      const input = op === 'sqrt' || op === 'rsqrt' || op === 'log' ? p : x;
      const t = await timeIt(() => unaryF32(k, op, input, y, { isa: isa as Isa }), ctx.timing);
      rows.push(row(impl, `${op} n=${n} (8 B/elem)`, t.medianSeconds));
    }
    for (const op of BACKWARD) {
      unaryF32(k, op, x, y);
      const t = await timeIt(() => unaryGradF32(k, op, { x, y, dy, dx }, { isa: isa as Isa }), ctx.timing);
      rows.push(row(impl, `${op}_grad n=${n} (12 B/elem)`, t.medianSeconds));
    }
    for (const b of [x, p, y, dy, dx]) b.release();
  }
  if (ctx.includeRef) {
    for (const op of ['gelu', 'relu', 'exp', 'sigmoid'] as const) {
      const t = await timeIt(() => ref.unaryF32(op, xs), ctx.timing);
      rows.push(row('ts-ref', `${op} n=${n} (8 B/elem)`, t.medianSeconds));
    }
    const ys = ref.unaryF32('gelu', xs);
    const t = await timeIt(() => ref.unaryGradF32('gelu', xs, ys, dys), ctx.timing);
    rows.push(row('ts-ref', `gelu_grad n=${n} (12 B/elem)`, t.medianSeconds));
  }
  return rows;
}

export type { Kernels };
