// families/quantize.ts — manifest entries and typed wrappers for assembly/quantize/.
import { expectBuf, expectInt, type KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';

const ops = [
  ['quantize_f32_i8', 'y = clamp(round(x/S)+Z, qmin, qmax), per tensor'],
  ['quantize_f32_i8_pc', 'y = clamp(round(x/S_c)+Z_c, qmin, qmax), per channel of [outer][C][inner]'],
  ['dequantize_i8_f32', 'y = (q−Z)·S, per tensor'],
  ['dequantize_i8_f32_pc', 'y = (q−Z_c)·S_c, per channel of [outer][C][inner]'],
  ['fake_quant_f32', 'y = (clamp(round(x/S)+Z)−Z)·S and the STE pass mask'],
  ['requantize_i32_i8', 'y = clamp(round_half_even(acc·M/2^shift)+Z), per tensor'],
  ['requantize_i32_i8_pc', 'y = clamp(round_half_even(acc·M_c/2^shift)+Z), channels on the last axis'],
] as const;

export const quantizeKernels: KernelInfo[] = ops.flatMap(([op, summary]) =>
  (['scalar', 'simd128'] as const).map((isa) => ({
    name: `${op}__${isa === 'simd128' ? 'simd' : 'scalar'}`,
    family: 'quantize',
    op,
    isa,
    summary,
  })),
);

export type Rounding = 'nearest' | 'floor';

export interface QuantizeOptions {
  /** Real value of one integer step (S > 0). */
  scale: number;
  /** Integer that represents real 0 (Z ∈ [qmin, qmax]). */
  zeroPoint?: number;
  qmin?: number;
  qmax?: number;
  /** `nearest` = ties-to-even (default, as ONNX); `floor` = the paper's ⌊x/S⌋ (biased by −S/2). */
  rounding?: Rounding;
  /** Force one ISA variant (tests, benchmarks); default = the best in the loaded build. */
  isa?: Isa;
}

function range(op: string, o: { zeroPoint?: number; qmin?: number; qmax?: number }) {
  const qmin = o.qmin ?? -128;
  const qmax = o.qmax ?? 127;
  const zp = o.zeroPoint ?? 0;
  expectInt(op, 'qmin', qmin, -128, 127);
  expectInt(op, 'qmax', qmax, qmin, 127);
  expectInt(op, 'zeroPoint', zp, qmin, qmax);
  return { qmin, qmax, zp };
}

function expectScale(op: string, name: string, s: number): void {
  if (!(s > 0) || !Number.isFinite(s)) {
    throw new Error(`${op}: ${name} must be a finite number > 0. Expected S > 0, got ${s}.`);
  }
}

function roundingCode(r: Rounding | undefined): number {
  if (r === undefined || r === 'nearest') return 0;
  if (r === 'floor') return 1;
  throw new Error(`quantize: unknown rounding "${r}". Expected "nearest" or "floor".`);
}

/** y[i] = clamp(round(x[i]/S) + Z, qmin, qmax) over the first `n` elements (default x.length). */
export function quantizeF32I8(k: Kernels, x: KBuf, y: KBuf, o: QuantizeOptions, n = x.length): void {
  const op = 'quantize_f32_i8';
  const { qmin, qmax, zp } = range(op, o);
  expectScale(op, 'scale', o.scale);
  expectBuf(op, 'x', x, 'f32', n, 'n');
  expectBuf(op, 'y', y, 'i8', n, 'n');
  k.fn(k.pick(op, o.isa))(x.ptr, y.ptr, n, o.scale, zp, qmin, qmax, roundingCode(o.rounding));
}

export interface PerChannelLayout {
  /** x viewed as [outer][channels][inner]: channels = rows with inner = row length, or outer = rows, inner = 1. */
  outer: number;
  channels: number;
  inner: number;
}

/** Per-channel quantize; `zeroPoints` null = symmetric (all zero). */
export function quantizeF32I8PerChannel(
  k: Kernels,
  x: KBuf,
  y: KBuf,
  layout: PerChannelLayout,
  scales: KBuf,
  zeroPoints: KBuf | null,
  o: Omit<QuantizeOptions, 'scale' | 'zeroPoint'> = {},
): void {
  const op = 'quantize_f32_i8_pc';
  const { outer, channels, inner } = layout;
  for (const [name, v] of Object.entries(layout)) expectInt(op, name, v, 0);
  const n = outer * channels * inner;
  const { qmin, qmax } = range(op, o);
  expectBuf(op, 'x', x, 'f32', n, 'outer×channels×inner');
  expectBuf(op, 'y', y, 'i8', n, 'outer×channels×inner');
  expectBuf(op, 'scales', scales, 'f32', channels, 'channels');
  const sv = scales.view();
  for (let c = 0; c < channels; c++) expectScale(op, `scales[${c}]`, sv[c]);
  if (zeroPoints) {
    expectBuf(op, 'zeroPoints', zeroPoints, 'i32', channels, 'channels');
    const zv = zeroPoints.view();
    for (let c = 0; c < channels; c++) expectInt(op, `zeroPoints[${c}]`, zv[c], qmin, qmax);
  }
  k.fn(k.pick(op, o.isa))(
    x.ptr,
    y.ptr,
    outer,
    channels,
    inner,
    scales.ptr,
    zeroPoints ? zeroPoints.ptr : 0,
    qmin,
    qmax,
    roundingCode(o.rounding),
  );
}

export function dequantizeI8F32(
  k: Kernels,
  q: KBuf,
  y: KBuf,
  o: { scale: number; zeroPoint?: number; isa?: Isa },
  n = q.length,
): void {
  const op = 'dequantize_i8_f32';
  expectScale(op, 'scale', o.scale);
  const zp = o.zeroPoint ?? 0;
  expectInt(op, 'zeroPoint', zp, -128, 127);
  expectBuf(op, 'q', q, 'i8', n, 'n');
  expectBuf(op, 'y', y, 'f32', n, 'n');
  k.fn(k.pick(op, o.isa))(q.ptr, y.ptr, n, o.scale, zp);
}

export function dequantizeI8F32PerChannel(
  k: Kernels,
  q: KBuf,
  y: KBuf,
  layout: PerChannelLayout,
  scales: KBuf,
  zeroPoints: KBuf | null,
  o: { isa?: Isa } = {},
): void {
  const op = 'dequantize_i8_f32_pc';
  const { outer, channels, inner } = layout;
  for (const [name, v] of Object.entries(layout)) expectInt(op, name, v, 0);
  const n = outer * channels * inner;
  expectBuf(op, 'q', q, 'i8', n, 'outer×channels×inner');
  expectBuf(op, 'y', y, 'f32', n, 'outer×channels×inner');
  expectBuf(op, 'scales', scales, 'f32', channels, 'channels');
  if (zeroPoints) expectBuf(op, 'zeroPoints', zeroPoints, 'i32', channels, 'channels');
  k.fn(k.pick(op, o.isa))(q.ptr, y.ptr, outer, channels, inner, scales.ptr, zeroPoints ? zeroPoints.ptr : 0);
}

/** Fake quantization for QAT; `mask` (u8) receives the straight-through pass mask when given. */
export function fakeQuantF32(
  k: Kernels,
  x: KBuf,
  y: KBuf,
  mask: KBuf | null,
  o: QuantizeOptions,
  n = x.length,
): void {
  const op = 'fake_quant_f32';
  const { qmin, qmax, zp } = range(op, o);
  expectScale(op, 'scale', o.scale);
  expectBuf(op, 'x', x, 'f32', n, 'n');
  expectBuf(op, 'y', y, 'f32', n, 'n');
  if (mask) expectBuf(op, 'mask', mask, 'u8', n, 'n');
  k.fn(k.pick(op, o.isa))(
    x.ptr,
    y.ptr,
    mask ? mask.ptr : 0,
    n,
    o.scale,
    zp,
    qmin,
    qmax,
    roundingCode(o.rounding),
  );
}

export interface RequantizeOptions {
  /** Right shift shared by all channels, 1 ≤ shift ≤ 62. */
  shift: number;
  zeroPoint?: number;
  qmin?: number;
  qmax?: number;
  isa?: Isa;
}

function expectShift(op: string, shift: number): void {
  expectInt(op, 'shift', shift, 1, 62);
}

/** y = clamp(round_half_even(acc·mult / 2^shift) + Z, qmin, qmax), mult ∈ [0, 2^31). */
export function requantizeI32I8(
  k: Kernels,
  acc: KBuf,
  y: KBuf,
  mult: number,
  o: RequantizeOptions,
  n = acc.length,
): void {
  const op = 'requantize_i32_i8';
  const { qmin, qmax, zp } = range(op, o);
  expectShift(op, o.shift);
  expectInt(op, 'mult', mult, 0);
  expectBuf(op, 'acc', acc, 'i32', n, 'n');
  expectBuf(op, 'y', y, 'i8', n, 'n');
  k.fn(k.pick(op, o.isa))(acc.ptr, y.ptr, n, mult, o.shift, zp, qmin, qmax);
}

/** Per channel on the last axis of acc [rows][channels]; mults is i32[channels]. */
export function requantizeI32I8PerChannel(
  k: Kernels,
  acc: KBuf,
  y: KBuf,
  rows: number,
  channels: number,
  mults: KBuf,
  o: RequantizeOptions,
): void {
  const op = 'requantize_i32_i8_pc';
  const { qmin, qmax, zp } = range(op, o);
  expectShift(op, o.shift);
  expectInt(op, 'rows', rows, 0);
  expectInt(op, 'channels', channels, 0);
  expectBuf(op, 'acc', acc, 'i32', rows * channels, 'rows×channels');
  expectBuf(op, 'y', y, 'i8', rows * channels, 'rows×channels');
  expectBuf(op, 'mults', mults, 'i32', channels, 'channels');
  const mv = mults.view();
  for (let c = 0; c < channels; c++) expectInt(op, `mults[${c}]`, mv[c], 0);
  k.fn(k.pick(op, o.isa))(acc.ptr, y.ptr, rows, channels, mults.ptr, o.shift, zp, qmin, qmax);
}
