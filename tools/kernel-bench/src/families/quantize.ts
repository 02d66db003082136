// families/quantize.ts — G elements/s of the quantize family (issue #2: "they must not show up in a
// model profile"): per-tensor and per-channel quantize (ties-to-even and the paper's floor), dequantize,
// fake-quant with its STE mask, requantize. n = 2^20 elements (SegFormer-B0's stage-1 activation
// 32768×32 is exactly that); per-channel cases view it as [1024 channels][1024], a weight's rows.
import {
  dequantizeI8F32,
  dequantizeI8F32PerChannel,
  fakeQuantF32,
  type Isa,
  type Kernels,
  quantizeF32I8,
  quantizeF32I8PerChannel,
  requantizeI32I8,
  requantizeI32I8PerChannel,
} from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import type { Row } from '../report.js';
import { timeIt } from '../timing.js';
import type { BenchContext } from './context.js';
import { refTiming } from './spatial.js';

const N = 1 << 20;
const CHANNELS = 1024;

export async function benchQuantize(ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  const shape = (op: string) => `${op} n=${N}`;
  const X = ctx.rng.f32(N, -4, 4);
  const Q = ctx.rng.i8(N);
  const ACC = ctx.rng.i32(N, -(2 ** 20), 2 ** 20);
  const scales = ctx.rng.f32(CHANNELS, 0.01, 0.05);
  const mults = ctx.rng.i32(CHANNELS, 2 ** 29, 2 ** 30);
  const layout = { outer: 1, channels: CHANNELS, inner: N / CHANNELS };
  const qp = { scale: 0.03, zeroPoint: 3, qmin: -128, qmax: 127 };
  const row = (impl: string, op: string, seconds: number): Row => ({
    family: 'quantize',
    impl,
    shape: shape(op),
    median_s: seconds,
    gops: N / seconds / 1e9,
    unit: 'Gelem/s',
    ratio_vs: {},
  });

  for (const { k, isa, impl } of ctx.ours('quantize_f32_i8')) {
    const x = k.from('f32', X);
    const q = k.from('i8', Q);
    const y = k.alloc('f32', N);
    const mask = k.alloc('u8', N);
    const acc = k.from('i32', ACC);
    const sc = k.from('f32', scales);
    const mu = k.from('i32', mults);
    const cases: [string, () => void][] = [
      ['quantize_f32_i8', () => quantizeF32I8(k, x, q, { scale: 0.03, zeroPoint: 3, isa })],
      [
        'quantize_f32_i8 floor',
        () => quantizeF32I8(k, x, q, { scale: 0.03, zeroPoint: 3, rounding: 'floor', isa }),
      ],
      ['quantize_f32_i8_pc', () => quantizeF32I8PerChannel(k, x, q, layout, sc, null, { isa })],
      ['dequantize_i8_f32', () => dequantizeI8F32(k, q, y, { scale: 0.03, zeroPoint: 3, isa })],
      ['dequantize_i8_f32_pc', () => dequantizeI8F32PerChannel(k, q, y, layout, sc, null, { isa })],
      ['fake_quant_f32 +mask', () => fakeQuantF32(k, x, y, mask, { scale: 0.03, zeroPoint: 3, isa })],
      ['requantize_i32_i8', () => requantizeI32I8(k, acc, q, 1 << 30, { shift: 40, isa })],
      [
        'requantize_i32_i8_pc',
        () => requantizeI32I8PerChannel(k, acc, q, N / CHANNELS, CHANNELS, mu, { shift: 40, isa }),
      ],
    ];
    for (const [op, fn] of cases) rows.push(row(impl, op, (await timeIt(fn, ctx.timing)).medianSeconds));
    for (const b of [x, q, y, mask, acc, sc, mu]) b.release();
  }
  if (ctx.includeRef) {
    const t = refTiming(ctx).timing;
    const cases: [string, () => unknown][] = [
      ['quantize_f32_i8', () => ref.quantizeF32I8(X, qp)],
      [
        'quantize_f32_i8_pc',
        () => ref.quantizeF32I8PerChannel(X, 1, CHANNELS, N / CHANNELS, scales, null, -128, 127),
      ],
      ['dequantize_i8_f32', () => ref.dequantizeI8F32(Q, 0.03, 3)],
      ['fake_quant_f32 +mask', () => ref.fakeQuantF32(X, qp)],
      ['requantize_i32_i8', () => ref.requantizeI32I8(ACC, 1 << 30, 40, 0, -128, 127)],
    ];
    for (const [op, fn] of cases) rows.push(row('ts-ref', op, (await timeIt(fn, t)).medianSeconds));
  }
  return rows;
}

export type { Isa, Kernels };
