// The bench's pieces that decide what it prints: argument parsing (errors name the option), the
// ratios against their targets, the report, the B0 architecture it measures. No timings asserted.
import { randomModelFile } from '@edgeseg/runtime';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.js';
import type { BenchResult, Row } from './bench.js';
import { formatProfile, type ProfileResult } from './profile.js';
import { computeRatios } from './ratios.js';
import { formatReport } from './report.js';
import { segformerB0Arch } from './segformerB0.js';
import { quantile, summarize, timeInTurns } from './timing.js';

const lat = (p50: number) => ({ p50, p90: p50 * 1.1, mean: p50, fps: 1000 / p50, runs: 5 });
const row = (
  impl: Row['impl'],
  precision: Row['precision'],
  size: string,
  threads: number,
  p50: number,
): Row => ({
  impl,
  precision,
  size,
  threads,
  ranOn: threads,
  latency: lat(p50),
});

describe('parseArgs', () => {
  it('has defaults, --quick shrinks them, lists parse', () => {
    const d = parseArgs([]);
    expect(d.sizes).toEqual([
      { height: 256, width: 512 },
      { height: 512, width: 1024 },
    ]);
    expect([d.threads, d.iters, d.minTime]).toEqual([[1, 2], 10, 2]);
    const q = parseArgs(['--quick', '--threads', '2,1,2', '--sizes', '64x128']);
    expect([q.threads, q.sizes, q.iters, q.minTime]).toEqual([[1, 2], [{ height: 64, width: 128 }], 3, 0.3]);
    expect(parseArgs(['--model', 'm.edgeseg', '--json', '--no-ort']).model).toBe('m.edgeseg');
  });

  it('names the argument in its errors', () => {
    expect(() => parseArgs(['--sizes', '256by512'])).toThrow(/--sizes: "256by512" is not HxW/);
    expect(() => parseArgs(['--threads', '0'])).toThrow(/--threads/);
    expect(() => parseArgs(['--iters', '1.5'])).toThrow(/--iters/);
    expect(() => parseArgs(['--min-time'])).toThrow(/--min-time: a value is missing/);
    expect(() => parseArgs(['--fast'])).toThrow(UsageError);
  });
});

describe('ratios and report', () => {
  const rows = [
    row('ours', 'int8', '128x256', 1, 10),
    { ...row('ours', 'int8', '256x512', 1, 50), cpu: { totalMs: 100 } },
    row('ours', 'fp32', '256x512', 1, 150),
    row('ort-web', 'int8', '256x512', 1, 40),
    {
      ...row('ours', 'int8', '256x512', 2, 30),
      cpu: { totalMs: 110, maxThreadMs: 60, waitMs: 4, barriers: 30 },
    },
    // The small frame measured in turns with the largest: preferred over the main-table row.
    { ...row('ours', 'int8', '128x256', 2, 6), role: 'scaling' as const },
    row('ours', 'int8', '128x256', 2, 99),
  ];
  const ratios = computeRatios(rows, ['256x512'], '128x256', '256x512');

  it('compares p50s against the targets, honestly', () => {
    const get = (name: string, t = 1) => ratios.find((r) => r.name === name && r.threads === t)!;
    expect(get('int8-vs-fp32')).toMatchObject({ value: 3, met: true });
    expect(get('ours-vs-ort-web')).toMatchObject({ value: 0.8, met: false });
    expect(get('threads', 2).value).toBeCloseTo(50 / 30);
    expect(get('threads', 2)).toMatchObject({ target: '≥ 1.70×', met: false });
    expect(get('threads-cpu', 2).value).toBeCloseTo(100 / 60);
    expect(get('threads-cpu', 2).detail).toMatch(
      /estimate: 1 thread 100.0 CPU ms \/ busiest of 2 60.0 CPU ms/,
    );
    expect(get('resolution')).toMatchObject({ value: 5, size: '128x256→256x512' });
    expect(get('resolution').detail).toMatch(/×4 pixels \(super-linear\)/);
    expect(get('resolution', 2)).toMatchObject({ value: 5 });
  });

  it('prints every row and NOT MET where a target is missed', () => {
    const r: BenchResult = {
      machine: { cpu: 'cpu', cores: 2, loadavg: [0.1], node: '20', kernelsBuild: 'relaxed' },
      model: { name: 'segformer-b0', source: 'random', precision: 'int8' },
      rows,
      ratios,
      notes: ['threads unavailable'],
    };
    const text = formatReport(r);
    const tableRows = text.split('\n').filter((l) => /^(ours|ort-web) +(INT8|FP32) /.test(l));
    expect(tableRows).toHaveLength(rows.length - 1); // not the scaling row
    expect(text).toMatch(/ours-vs-ort-web .* NOT MET/);
    expect(text).toMatch(/note: threads unavailable/);
  });
});

describe('timing', () => {
  it('takes nearest-rank percentiles', () => {
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(summarize([30, 10, 20])).toMatchObject({ p50: 20, p90: 30, mean: 20, fps: 50, runs: 3 });
  });

  it('runs the implementations in turns: warm-up round, then `iters` timed rounds', async () => {
    const order: string[] = [];
    const frame = (k: string) => async () => order.push(k);
    const lat = await timeInTurns({ a: frame('a'), b: frame('b') }, { warmup: 1, iters: 3, minTime: 0 });
    expect(order.join('')).toBe('abababab');
    expect([lat.a.runs, lat.b.runs]).toEqual([3, 3]);
  });
});

describe('segformerB0Arch', () => {
  it('has SegFormer-B0 parameter count with 19 classes (REFERENCE §4.1: 3.72 M)', () => {
    const params = randomModelFile(segformerB0Arch(), 'int8').meta.params;
    expect(params / 1e6).toBeCloseTo(3.72, 2);
  });
});

describe('--profile', () => {
  it('parses, and the table shows each op with INT8, FP32, their ratio and its share', () => {
    expect(parseArgs(['--profile']).profile).toBe(true);
    expect(parseArgs([]).profile).toBe(false);
    const e = (ms: number) => ({ cpuUs: ms * 1000, wallUs: ms * 1000, calls: 1 });
    const prof = (fuse: number, scores: number) => ({
      frames: 1,
      cpuTime: true,
      ops: { 'dec.fuse': e(fuse), 's0.attn.scores': e(scores / 2), 's1.attn.scores': e(scores / 2) },
      kernels: { gemm_f32: e(scores) },
      total: e(fuse + scores),
    });
    const r: ProfileResult = {
      machine: { cpu: 'cpu', cores: 2, loadavg: [1, 1, 1], node: '20', kernelsBuild: 'relaxed' },
      model: { name: 'segformer-b0', source: 'random' },
      runs: [
        { size: '64x128', precision: 'int8', profile: prof(30, 10) },
        { size: '64x128', precision: 'fp32', profile: prof(60, 10) },
      ],
    };
    const text = formatProfile(r);
    expect(text).toMatch(/64x128: frame INT8 40\.0 ms CPU .* FP32 70\.0 ms CPU .* FP32\/INT8 1\.75×/);
    // Stages summed per op: attn.scores = 5 + 5 ms; dec.fuse 30 ms is 75 % of the INT8 frame.
    expect(text).toMatch(/dec\.fuse\s+30\.00\s+60\.00\s+2\.00×\s+75\.0%/);
    expect(text).toMatch(/attn\.scores\s+10\.00\s+10\.00\s+1\.00×\s+25\.0%/);
    expect(text).toMatch(/^s0\s+5\.00/m);
  });
});
