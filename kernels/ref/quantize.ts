// ref/quantize.ts — plain-TS twins of assembly/quantize/*. Every f32 step is rounded with
// Math.fround exactly where the kernel rounds, so results are bit-exact, not merely close.
import { clampInt, type RoundingMode, rescaleHalfEven, roundBy } from './round.js';

const f = Math.fround;

export interface QuantParams {
  scale: number;
  zeroPoint: number;
  qmin: number;
  qmax: number;
  rounding?: RoundingMode;
}

function quantizeOne(
  x: number,
  scale: number,
  zp: number,
  qmin: number,
  qmax: number,
  mode: RoundingMode,
): number {
  const r = roundBy(mode, f(x / scale));
  return clampInt(r, qmin - zp, qmax - zp) + zp;
}

export function quantizeF32I8(x: ArrayLike<number>, p: QuantParams): Int8Array {
  const s = f(p.scale);
  const y = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++)
    y[i] = quantizeOne(x[i], s, p.zeroPoint, p.qmin, p.qmax, p.rounding ?? 0);
  return y;
}

/** x viewed as [outer][channels][inner]; channel c uses scales[c], zeroPoints?.[c] ?? 0. */
export function quantizeF32I8PerChannel(
  x: ArrayLike<number>,
  outer: number,
  channels: number,
  inner: number,
  scales: ArrayLike<number>,
  zeroPoints: ArrayLike<number> | null,
  qmin: number,
  qmax: number,
  rounding: RoundingMode = 0,
): Int8Array {
  const y = new Int8Array(outer * channels * inner);
  let idx = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = f(scales[c]);
      const z = zeroPoints ? zeroPoints[c] : 0;
      for (let i = 0; i < inner; i++, idx++) y[idx] = quantizeOne(x[idx], s, z, qmin, qmax, rounding);
    }
  }
  return y;
}

export function dequantizeI8F32(q: ArrayLike<number>, scale: number, zeroPoint: number): Float32Array {
  const s = f(scale);
  const y = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) y[i] = f((q[i] - zeroPoint) * s);
  return y;
}

export function dequantizeI8F32PerChannel(
  q: ArrayLike<number>,
  outer: number,
  channels: number,
  inner: number,
  scales: ArrayLike<number>,
  zeroPoints: ArrayLike<number> | null,
): Float32Array {
  const y = new Float32Array(outer * channels * inner);
  let idx = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = f(scales[c]);
      const z = zeroPoints ? zeroPoints[c] : 0;
      for (let i = 0; i < inner; i++, idx++) y[idx] = f((q[idx] - z) * s);
    }
  }
  return y;
}

/** y = (clamp(round(x/S)+Z) − Z)·S and the STE mask (1 where round(x/S)+Z ∈ [qmin, qmax]). */
export function fakeQuantF32(x: ArrayLike<number>, p: QuantParams): { y: Float32Array; mask: Uint8Array } {
  const s = f(p.scale);
  const lo = p.qmin - p.zeroPoint;
  const hi = p.qmax - p.zeroPoint;
  const y = new Float32Array(x.length);
  const mask = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const r = roundBy(p.rounding ?? 0, f(x[i] / s));
    y[i] = f(clampInt(r, lo, hi) * s);
    mask[i] = r >= lo && r <= hi ? 1 : 0;
  }
  return { y, mask };
}

export function requantizeI32I8(
  acc: ArrayLike<number>,
  mult: number,
  shift: number,
  zeroPoint: number,
  qmin: number,
  qmax: number,
): Int8Array {
  const y = new Int8Array(acc.length);
  for (let i = 0; i < acc.length; i++) {
    y[i] = clampInt(rescaleHalfEven(acc[i], mult, shift), qmin - zeroPoint, qmax - zeroPoint) + zeroPoint;
  }
  return y;
}

/** acc is [rows][channels]; channel c uses mults[c] and the shared shift. */
export function requantizeI32I8PerChannel(
  acc: ArrayLike<number>,
  rows: number,
  channels: number,
  mults: ArrayLike<number>,
  shift: number,
  zeroPoint: number,
  qmin: number,
  qmax: number,
): Int8Array {
  const y = new Int8Array(rows * channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const i = r * channels + c;
      y[i] =
        clampInt(rescaleHalfEven(acc[i], mults[c], shift), qmin - zeroPoint, qmax - zeroPoint) + zeroPoint;
    }
  }
  return y;
}

/**
 * Fixed-point form of positive real multipliers (one per channel) with one shared shift:
 * m_c ≈ mult_c / 2^shift, the largest mult_c in [2^30, 2^31). With a shared shift the relative
 * precision of channel c is 2^−31·(max m / m_c): finer than 2^−20 for a spread of up to 2^10.
 */
export function fixedPointMultipliers(real: ArrayLike<number>): { mults: Int32Array; shift: number } {
  let max = 0;
  for (let i = 0; i < real.length; i++) {
    const m = real[i];
    if (!(m >= 0) || !Number.isFinite(m)) {
      throw new Error(`fixedPointMultipliers: multiplier ${i} is ${m}. Expected a finite number ≥ 0.`);
    }
    if (m > max) max = m;
  }
  const mults = new Int32Array(real.length);
  if (max === 0) return { mults, shift: 31 };
  // Choose shift so that max·2^shift ∈ [2^30, 2^31).
  let shift = 30 - Math.floor(Math.log2(max));
  while (max * 2 ** shift >= 2 ** 31) shift--;
  while (max * 2 ** shift < 2 ** 30) shift++;
  if (shift < 1 || shift > 62) {
    throw new Error(`fixedPointMultipliers: multiplier ${max} is out of range. Expected 2^-31 ≤ m < 2^29.`);
  }
  for (let i = 0; i < real.length; i++) mults[i] = Math.min(2 ** 31 - 1, Math.round(real[i] * 2 ** shift));
  return { mults, shift };
}
