import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';
import { addRatios, type Row } from './report.js';
import { clockSeconds, timeIt } from './timing.js';
import { formatVerdicts, verdicts } from './verdicts.js';

// Rows as a run would leave them: ours and peers per shape, ratios filled by addRatios.
function row(
  family: string,
  impl: string,
  shape: string,
  gops: number,
  group?: string,
  ceiling?: number,
): Row {
  const r: Row = { family, impl, shape, median_s: 1, gops, unit: 'GOPS', ratio_vs: {}, group };
  if (ceiling) r.ratio_vs.ceiling = gops / ceiling;
  return r;
}

function judged(rows: Row[]) {
  addRatios(rows, (r) => r.impl.startsWith('ours'), ['ort-web', 'tfjs', 'ort-node'], {});
  return verdicts(rows);
}

describe('verdicts', () => {
  it('judges gemm_i8 on every shape, on the geomean of the model shapes and at 512³', () => {
    const v = judged([
      row('gemm_i8', 'ours-simd128', '512×512×512 square', 90, 'square', 100),
      row('gemm_i8', 'ours-simd128/f32out', '512×512×512 square', 10, 'square', 100),
      row('gemm_i8', 'ort-web', '512×512×512 square', 60, 'square'),
      row('gemm_i8', 'ours-simd128', '8192×32×128 a', 50, 'model'),
      row('gemm_i8', 'ort-web', '8192×32×128 a', 40, 'model'),
      row('gemm_i8', 'ours-simd128', '32768×32×32 b', 30, 'model'),
      row('gemm_i8', 'ort-web', '32768×32×32 b', 40, 'model'),
      // an edge shape far below the peer is reported in the table, not judged
      row('gemm_i8', 'ours-simd128', '1×19×256 edge', 1, 'edge'),
      row('gemm_i8', 'ort-web', '1×19×256 edge', 40, 'edge'),
      row('gemm_i8', 'ours-scalar', '8192×32×128 a', 1, 'model'),
    ]);
    const every = v.find((x) => x.target.includes('every shape'));
    expect(every).toMatchObject({ impl: 'ours-simd128', value: 0.75, met: false, failing: 1 });
    expect(every?.detail).toContain('32768×32×32 b');
    const gm = v.find((x) => x.target.includes('geomean'));
    expect(gm?.value).toBeCloseTo(Math.sqrt(1.25 * 0.75), 10);
    expect(gm?.met).toBe(false);
    // the f32-out epilogue (10 GOPS) is not the kernel the ceiling target is on
    expect(v.filter((x) => x.target.includes('ceiling'))).toMatchObject([{ value: 0.9, met: true }]);
    expect(v.every((x) => x.impl === 'ours-simd128')).toBe(true);
    expect(formatVerdicts(v)).toMatch(/NOT MET/);
  });

  it('judges gemm_f32 per build against both peers, and NN, TN, NT at 512³ against the ceiling', () => {
    const v = judged([
      row('gemm_f32', 'ours-simd128', '512×512×512 square', 45, 'square', 50),
      row('gemm_f32', 'ours-relaxed', '512×512×512 square', 48, 'square', 55),
      row('gemm_f32', 'ort-web', '512×512×512 square', 28, 'square'),
      row('gemm_f32', 'tfjs', '512×512×512 square', 36, 'square'),
      row('gemm_f32', 'ours-simd128/TN', '512×512×512 square TN', 40, 'square', 50),
      row('gemm_f32', 'ours-simd128/NT', '512×512×512 square NT', 44, 'square', 50),
      row('gemm_f32', 'tfjs', '512×512×512 square TN', 3, 'square'),
    ]);
    const tfjs = v.filter((x) => x.target.includes('tfjs'));
    expect(tfjs.map((x) => [x.impl, x.met])).toEqual([
      ['ours-simd128', false], // 45 / 36 = 1.25
      ['ours-relaxed', true], // 48 / 36 = 1.33
    ]);
    const ceil = v.filter((x) => x.target.includes('ceiling'));
    expect(ceil.map((x) => [x.impl, x.met])).toEqual([
      ['ours-simd128', true],
      ['ours-relaxed', true],
      ['ours-simd128/TN', false], // 0.80
      ['ours-simd128/NT', true],
    ]);
  });

  it('judges softmax on the issue rows only, and gives no verdict without a peer', () => {
    const v = judged([
      row('softmax', 'ours-simd128', 'softmax rows 8192×128', 1.0, 'issue'),
      row('softmax', 'ort-web', 'softmax rows 8192×128', 0.4, 'issue'),
      row('softmax', 'ours-simd128', 'log_softmax rows 8192×128', 0.1, 'issue'),
      row('softmax', 'ort-web', 'log_softmax rows 8192×128', 0.4, 'issue'),
      row('softmax', 'ours-simd128', 'softmax classifier 32768×19', 0.1, 'model'),
      row('softmax', 'ort-web', 'softmax classifier 32768×19', 0.4, 'model'),
    ]);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ value: 2.5, met: true });
  });
});

describe('timing', () => {
  it('parses --clock and rejects other clocks', () => {
    expect(parseArgs([]).clock).toBe('cpu');
    expect(parseArgs(['--clock', 'wall']).clock).toBe('wall');
    expect(() => parseArgs(['--clock', 'tsc'])).toThrow(/--clock: expected cpu or wall/);
  });

  it('counts process CPU time while computing (not while sleeping) and times short calls in batches', async () => {
    const busy = () => {
      let x = 0;
      for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
      return x;
    };
    const c0 = clockSeconds('cpu');
    busy();
    const c1 = clockSeconds('cpu');
    await new Promise((r) => setTimeout(r, 50));
    const c2 = clockSeconds('cpu');
    expect(c1).toBeGreaterThan(c0);
    expect(c2 - c1).toBeLessThan(0.05); // a 50 ms sleep is not 50 ms of CPU
    let calls = 0;
    const t = await timeIt(() => calls++, { clock: 'cpu', minTime: 0.001, minReps: 3, warmup: 0 });
    expect(t.reps).toBeGreaterThanOrEqual(3);
    expect(calls).toBeGreaterThan(3 * t.reps); // an empty call is far under 2 ms: batched
  });
});
