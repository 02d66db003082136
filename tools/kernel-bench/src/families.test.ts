import { type Kernels, loadKernels } from '@edgeseg/kernels';
import {
  gemmF32MeanTolerance as testingMeanTolerance,
  softmaxClose as testingSoftmaxClose,
  gemmF32Tolerance as testingTolerance,
} from '@edgeseg/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ceilingProbe } from './ceiling.js';
import {
  expectExact,
  gemmF32MeanTolerance,
  gemmF32Tolerance,
  MismatchError,
  peerVerdict,
  sampleRowBands,
  softmaxClose,
} from './check.js';
import type { BenchContext, OursBuild } from './families/context.js';
import { benchGemmF32 } from './families/gemm_f32.js';
import { benchGemmI8 } from './families/gemm_i8.js';
import { benchSoftmax } from './families/softmax.js';
import { makeRng } from './rng.js';

// Quick runs of the GEMM and softmax families on tiny shapes (no timing assertions: only that the
// rows are there and that a wrong kernel result stops the run).

let simd: Kernels;
let scalar: Kernels;
beforeAll(async () => {
  simd = await loadKernels({ isa: 'simd128' });
  scalar = await loadKernels({ isa: 'scalar' });
});

function context(builds: OursBuild[], peers: string[] = [], withProbe = false): BenchContext {
  return {
    ours: () => builds,
    rng: makeRng(7),
    timing: { minTime: 0.001, minReps: 1, warmup: 0 },
    includeRef: true,
    peers: new Set(peers),
    peerStatus: new Map(),
    probe: withProbe ? (kind) => ceilingProbe(kind, undefined, 0.0005) : undefined,
    log: () => {},
  };
}

const ours = (): OursBuild[] => [
  { k: simd, isa: 'simd128', impl: 'ours-simd128' },
  { k: scalar, isa: 'scalar', impl: 'ours-scalar' },
];

/** The same kernels, but every call of `op` gets `corrupt` applied to memory after it returns. */
function tampered(k: Kernels, op: string, corrupt: (buffer: ArrayBuffer, args: number[]) => void): Kernels {
  const bad = Object.create(k) as Kernels;
  bad.fn = (info) => {
    const f = k.fn(info);
    if (info.op !== op) return f;
    return (...args: number[]) => {
      const r = f(...args);
      corrupt(k.memory.buffer, args);
      return r;
    };
  };
  return bad;
}

const TINY = [{ m: 5, n: 9, k: 7, name: 'tiny' }];

describe('gemm_i8 family', () => {
  it('runs a tiny shape: both epilogues per ISA, the TS twin, ×ceiling from a probe timed alongside', async () => {
    const rows = await benchGemmI8(context(ours(), [], true), TINY);
    expect(rows.map((r) => r.impl)).toEqual([
      'ours-simd128',
      'ours-simd128/f32out',
      'ours-scalar',
      'ours-scalar/f32out',
      'ts-ref',
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({ family: 'gemm_i8', shape: '5×9×7 tiny', unit: 'GOPS' });
      expect(r.gops).toBeGreaterThan(0);
    }
    expect(rows[0].ratio_vs.ceiling).toBeGreaterThan(0);
    expect(rows[0].ceiling).toBeGreaterThan(0);
  });

  it('runs onnxruntime-web U8S8 as a peer and finds its result right', async () => {
    const rows = await benchGemmI8(context(ours().slice(0, 1), ['ort-web']), [
      { m: 6, n: 10, k: 33, name: 'p' },
    ]);
    const peer = rows.find((r) => r.impl === 'ort-web');
    expect(peer).toBeDefined();
    expect(peer?.wrong).toBeUndefined();
  });

  it('stops on a result that is off by one in one byte, naming where', async () => {
    // gemm_i8(m, n, k, a, lda, packed, c, …): flip the low bit of C[0][5].
    const bad = tampered(simd, 'gemm_i8', (buf, args) => {
      new Int8Array(buf)[args[6] + 5] ^= 1;
    });
    const run = benchGemmI8(context([{ k: bad, isa: 'simd128', impl: 'ours-simd128' }]), TINY);
    await expect(run).rejects.toThrow(MismatchError);
    await expect(run).rejects.toThrow(
      /gemm_i8: ours-simd128 disagrees with the TS twin at \(0, 5\).*kernel=gemm_i8_4x8c2__simd/,
    );
  });

  it('holds the f32-out epilogue to the same bits', async () => {
    // gemm_i8_f32(m, n, k, a, lda, packed, c, ldc, za, scales, scratch): nudge C[1][2] by one ulp.
    const bad = tampered(simd, 'gemm_i8_f32', (buf, args) => {
      new Uint32Array(buf)[args[6] / 4 + 9 + 2] += 1;
    });
    await expect(
      benchGemmI8(context([{ k: bad, isa: 'simd128', impl: 'ours-simd128' }]), TINY),
    ).rejects.toThrow(/ours-simd128\/f32out disagrees with the TS twin at \(1, 2\)/);
  });
});

describe('gemm_f32 family', () => {
  it('runs a tiny shape: packed and row-major B per SIMD ISA, scalar, the twin', async () => {
    const rows = await benchGemmF32(context(ours()), TINY);
    expect(rows.map((r) => r.impl)).toEqual(['ours-simd128', 'ours-simd128/rowB', 'ours-scalar', 'ts-ref']);
    expect(rows.every((r) => r.unit === 'GFLOPS' && r.gops > 0)).toBe(true);
  });

  it('adds the transposed products (TN, NT) at a square shape, each checked against the twin', async () => {
    const rows = (
      await benchGemmF32(context(ours(), ['ort-web']), [
        { m: 9, n: 9, k: 9, name: 'square', group: 'square' },
      ])
    ).filter((r) => r.impl !== 'ort-web');
    expect(rows.map((r) => `${r.shape} ${r.impl}`)).toEqual([
      '9×9×9 square ours-simd128',
      '9×9×9 square ours-simd128/rowB',
      '9×9×9 square ours-scalar',
      '9×9×9 square ts-ref',
      '9×9×9 square TN ours-simd128/TN',
      '9×9×9 square TN ours-scalar/TN',
      '9×9×9 square TN ts-ref',
      '9×9×9 square NT ours-simd128/NT',
      '9×9×9 square NT ours-scalar/NT',
      '9×9×9 square NT ts-ref',
    ]);
    expect(rows.every((r) => r.group === 'square')).toBe(true);
  });

  it('runs ORT Gemm with transA / transB as the transposed products’ peer, and finds it right', async () => {
    const rows = await benchGemmF32(context(ours().slice(0, 1), ['ort-web']), [
      { m: 7, n: 10, k: 13, name: 'square', group: 'square' },
    ]);
    const peers = rows.filter((r) => r.impl === 'ort-web');
    expect(peers.map((r) => r.shape)).toEqual(['7×10×13 square', '7×10×13 square TN', '7×10×13 square NT']);
    expect(peers.map((r) => r.note)).toEqual([
      'MatMul, B an initializer',
      'Gemm transA=1, B an initializer',
      'Gemm transB=1, B an initializer',
    ]);
    expect(peers.filter((r) => r.wrong)).toEqual([]);
  });

  it('holds the TN product to the twin (a wrong transposed result stops the run)', async () => {
    // gemm_f32(m, n, k, a, lda, transA, …, c at args[9]): only when transA, C[0][0] += 1.
    const bad = tampered(simd, 'gemm_f32', (buf, args) => {
      if (args[5]) new Float32Array(buf)[args[9] / 4] += 1;
    });
    await expect(
      benchGemmF32(context([{ k: bad, isa: 'simd128', impl: 'ours-simd128' }]), [
        { m: 6, n: 6, k: 6, name: 'square', group: 'square' },
      ]),
    ).rejects.toThrow(/ours-simd128\/TN disagrees with the TS twin at \(0, 0\)/);
  });

  it('stops on a result outside the f32 GEMM tolerance', async () => {
    // gemm_f32(m, n, k, a, lda, transA, b, ldb, packed, c, …): C[0][3] += 1e-3.
    const bad = tampered(simd, 'gemm_f32', (buf, args) => {
      new Float32Array(buf)[args[9] / 4 + 3] += 1e-3;
    });
    await expect(
      benchGemmF32(context([{ k: bad, isa: 'simd128', impl: 'ours-simd128' }]), TINY),
    ).rejects.toThrow(/gemm_f32: ours-simd128 disagrees with the TS twin at \(0, 3\).*max\|ref\|·ε·64·√k/);
  });
});

describe('softmax family', () => {
  const CASES = [{ name: 'tiny', rows: 3, cols: 17 }];

  it('runs softmax and log-softmax on a tiny case, onnxruntime-web (Softmax, LogSoftmax) agreeing', async () => {
    const rows = await benchSoftmax(context(ours(), ['ort-web']), false, CASES);
    expect(rows.map((r) => `${r.shape.split(' ')[0]} ${r.impl}`)).toEqual([
      'softmax ours-simd128',
      'softmax ours-scalar',
      'softmax ts-ref',
      'softmax ort-web',
      'log_softmax ours-simd128',
      'log_softmax ours-scalar',
      'log_softmax ts-ref',
      'log_softmax ort-web',
    ]);
    expect(rows.filter((r) => r.wrong)).toEqual([]);
  });

  it('stops on an output 1e-5 off', async () => {
    // softmax_f32(x, y, rows, cols, ldx, ldy): y[1][0] += 1e-5.
    const bad = tampered(simd, 'softmax_f32', (buf, args) => {
      new Float32Array(buf)[args[1] / 4 + 17] += 1e-5;
    });
    await expect(
      benchSoftmax(context([{ k: bad, isa: 'simd128', impl: 'ours-simd128' }]), false, CASES),
    ).rejects.toThrow(/softmax: ours-simd128 disagrees with the TS twin at \(1, 0\)/);
  });
});

describe('checks', () => {
  it('samples row bands that include the first and last rows, never overlap and stay in budget', () => {
    expect(sampleRowBands(100, 10, 1000)).toEqual([[0, 100]]);
    for (const [m, cost, budget] of [
      [32768, 32 * 147, 2 ** 25],
      [1000, 1000, 20_000],
      [7, 100, 250],
    ]) {
      const bands = sampleRowBands(m, cost, budget);
      expect(bands[0][0]).toBe(0);
      expect(bands.at(-1)?.[1]).toBe(m);
      for (let i = 1; i < bands.length; i++) expect(bands[i][0]).toBeGreaterThanOrEqual(bands[i - 1][1]);
      const rows = bands.reduce((s, [a, b]) => s + b - a, 0);
      expect(rows * cost).toBeLessThanOrEqual(Math.max(budget, 2 * cost));
    }
  });

  it('uses the test suite’s tolerance formulas (@edgeseg/testing)', () => {
    for (const maxAbs of [0, 1e-3, 1, 37.5, 1e6]) {
      for (const k of [1, 17, 512, 32768]) {
        expect(gemmF32Tolerance(maxAbs, k)).toBe(testingTolerance(maxAbs, k));
        expect(gemmF32MeanTolerance(maxAbs, k)).toBe(testingMeanTolerance(maxAbs, k));
      }
    }
    for (const [r, o] of [
      [0.5, 0.5 + 4e-7],
      [0.5, 0.5 + 2e-6],
      [1e-9, 5e-7],
      [1000, 1000.0005],
      [1000, 1000.01],
    ]) {
      expect(softmaxClose(r, o)).toBe(testingSoftmaxClose(r, o));
    }
  });

  it('turns a peer mismatch into the row’s note instead of an error', () => {
    const where = { family: 'gemm_i8', impl: 'ort-web', problem: 'm×n×k=1×2×3' };
    const bands = [{ r0: 0, r1: 1, ref: [1, 2] }];
    expect(peerVerdict(() => expectExact(where, 2, bands, [1, 2]))).toBeUndefined();
    expect(peerVerdict(() => expectExact(where, 2, bands, [1, 3]))).toMatch(
      /at \(0, 1\): reference=2, optimized=3/,
    );
  });
});
