// families/quantize.ts — G elements/s of the quantize family (they must not show up in a model profile).
import { dequantizeI8F32, type Isa, type Kernels, quantizeF32I8, requantizeI32I8 } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import type { Row } from '../report.js';
import { timeIt } from '../timing.js';
import type { BenchContext } from './context.js';

export async function benchQuantize(ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  const n = 1 << 20;
  const shape = `n=${n}`;
  for (const { k, isa, impl } of ctx.ours('quantize_f32_i8')) {
    const x = k.from('f32', ctx.rng.f32(n, -4, 4));
    const q = k.alloc('i8', n);
    const y = k.alloc('f32', n);
    const acc = k.from('i32', ctx.rng.i32(n, -(2 ** 20), 2 ** 20));
    const cases: [string, () => void][] = [
      ['quantize_f32_i8', () => quantizeF32I8(k, x, q, { scale: 0.03, zeroPoint: 3, isa })],
      ['dequantize_i8_f32', () => dequantizeI8F32(k, q, y, { scale: 0.03, zeroPoint: 3, isa })],
      ['requantize_i32_i8', () => requantizeI32I8(k, acc, q, 1 << 30, { shift: 40, isa })],
    ];
    for (const [op, fn] of cases) {
      const t = await timeIt(fn, ctx.timing);
      rows.push({
        family: 'quantize',
        impl,
        shape: `${op} ${shape}`,
        median_s: t.medianSeconds,
        gops: n / t.medianSeconds / 1e9,
        unit: 'Gelem/s',
        ratio_vs: {},
      });
    }
    for (const b of [x, q, y, acc]) b.release();
  }
  if (ctx.includeRef) {
    const x = ctx.rng.f32(n, -4, 4);
    const t = await timeIt(
      () => ref.quantizeF32I8(x, { scale: 0.03, zeroPoint: 3, qmin: -128, qmax: 127 }),
      ctx.timing,
    );
    rows.push({
      family: 'quantize',
      impl: 'ts-ref',
      shape: `quantize_f32_i8 ${shape}`,
      median_s: t.medianSeconds,
      gops: n / t.medianSeconds / 1e9,
      unit: 'Gelem/s',
      ratio_vs: {},
    });
  }
  return rows;
}

export type { Isa, Kernels };
