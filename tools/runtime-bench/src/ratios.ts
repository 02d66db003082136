// ratios.ts — the comparisons the benchmark exists for, each against its target where the issue
// sets one (INT8 ≥ 2.5× FP32; ours faster than onnxruntime-web), from p50 latencies.
import type { Row } from './row.js';

export interface Ratio {
  name: 'int8-vs-fp32' | 'ours-vs-ort-web' | 'threads' | 'resolution';
  size: string;
  threads: number;
  /** The measured ratio (higher = better for speed-ups; latency growth for 'resolution'). */
  value: number;
  /** Human-readable target, e.g. "≥ 2.5×"; absent where the issue sets none. */
  target?: string;
  met?: boolean;
  detail: string;
}

export const INT8_SPEEDUP_TARGET = 2.5;

const p50 = (
  rows: Row[],
  impl: Row['impl'],
  precision: Row['precision'],
  size: string,
  threads: number,
  role?: Row['role'],
) =>
  rows.find(
    (r) =>
      r.impl === impl &&
      r.precision === precision &&
      r.size === size &&
      r.threads === threads &&
      r.role === role,
  )?.latency.p50;

const pixels = (label: string) => label.split('x').reduce((a, b) => a * Number(b), 1);

export function computeRatios(rows: Row[], sizes: string[], scalingBase: string, largest: string): Ratio[] {
  const out: Ratio[] = [];
  const threads = [...new Set(rows.map((r) => r.threads))].sort((a, b) => a - b);
  for (const t of threads) {
    for (const size of sizes) {
      const i8 = p50(rows, 'ours', 'int8', size, t);
      const f32 = p50(rows, 'ours', 'fp32', size, t);
      if (i8 && f32) {
        const v = f32 / i8;
        out.push({
          name: 'int8-vs-fp32',
          size,
          threads: t,
          value: v,
          target: `≥ ${INT8_SPEEDUP_TARGET}×`,
          met: v >= INT8_SPEEDUP_TARGET,
          detail: `FP32 ${f32.toFixed(1)} ms / INT8 ${i8.toFixed(1)} ms`,
        });
      }
      const ort = p50(rows, 'ort-web', 'int8', size, t);
      if (i8 && ort) {
        const v = ort / i8;
        out.push({
          name: 'ours-vs-ort-web',
          size,
          threads: t,
          value: v,
          target: '> 1× (ours faster)',
          met: v > 1,
          detail: `ort-web ${ort.toFixed(1)} ms / ours ${i8.toFixed(1)} ms`,
        });
      }
      const one = p50(rows, 'ours', 'int8', size, threads[0]);
      if (t !== threads[0] && i8 && one) {
        const ran = rows.find((r) => r.impl === 'ours' && r.size === size && r.threads === t)?.ranOn ?? t;
        out.push({
          name: 'threads',
          size,
          threads: t,
          value: one / i8,
          detail: `${threads[0]} thread(s) ${one.toFixed(1)} ms / ${t} threads ${i8.toFixed(1)} ms (ideal ${t / threads[0]}×${ran !== t ? `; ran on ${ran}` : ''})`,
        });
      }
    }
    // The small frame measured in turns with the largest one; else a main-table row of that size.
    const small =
      p50(rows, 'ours', 'int8', scalingBase, t, 'scaling') ?? p50(rows, 'ours', 'int8', scalingBase, t);
    const big = p50(rows, 'ours', 'int8', largest, t);
    if (small && big && scalingBase !== largest) {
      const px = pixels(largest) / pixels(scalingBase);
      const v = big / small;
      out.push({
        name: 'resolution',
        size: `${scalingBase}→${largest}`,
        threads: t,
        value: v,
        detail: `${small.toFixed(1)} ms → ${big.toFixed(1)} ms: ×${v.toFixed(1)} for ×${px} pixels (${v > px * 1.05 ? 'super-linear' : v < px * 0.95 ? 'sub-linear' : 'linear'})`,
      });
    }
  }
  return out;
}
