import { gemmF32MeanTolerance, gemmF32Tolerance, maxAbs, Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import {
  GEMM_F32_SCRATCH_BYTES,
  gemmF32,
  gemmF32PackedLength,
  type KernelInfo,
  type Kernels,
  kernelsOf,
  packGemmF32B,
} from '../src/index.js';
import {
  buildFor,
  debugKernels,
  firstMismatch,
  guarded,
  kernelLabel,
  releaseKernels,
  scalarKernels,
} from './harness.js';

/** One problem; strides default to the dense row length, offsets to 0. */
interface Case {
  name: string;
  m: number;
  n: number;
  k: number;
  lda?: number;
  ldb?: number;
  ldc?: number;
  aOffset?: number;
  bOffset?: number;
  cOffset?: number;
  accumulate?: boolean;
  bias?: boolean;
  /** Layouts to run (default all three). */
  layouts?: Layout[];
}

type Layout = 'NN' | 'TN' | 'NT';
/** How B reaches the kernel: as stored (NN/TN only), packed by the wrapper per call, or packed once. */
type BMode = 'direct' | 'packed';

const LAYOUTS: Layout[] = ['NN', 'TN', 'NT'];
const RUY_SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33, 63, 64, 65];

/** SegFormer-B0 GEMMs at 512×1024 (tools/kernel-bench/shapes), M cut down to run fast. */
const SEGFORMER_B0: [string, number, number, number][] = [
  ['s1.patch_embed (im2col k7)', 32768, 32, 147],
  ['s1.attn.q / proj', 32768, 32, 32],
  ['s1.attn.sr (im2col k8)', 512, 32, 2048],
  ['s1.attn.kv', 512, 64, 32],
  ['s1.attn.qk^T (per head)', 32768, 512, 32],
  ['s1.attn.av (per head)', 32768, 32, 512],
  ['s1.ffn.fc1', 32768, 128, 32],
  ['s1.ffn.fc2', 32768, 32, 128],
  ['s2.patch_embed (im2col k3)', 8192, 64, 288],
  ['s3.attn.q / proj', 2048, 160, 160],
  ['s3.attn.kv', 512, 320, 160],
  ['s3.ffn.fc1', 2048, 640, 160],
  ['s4.patch_embed (im2col k3)', 512, 256, 1440],
  ['s4.ffn.fc2', 512, 256, 1024],
  ['decoder.linear_fuse', 32768, 256, 1024],
  ['decoder.classifier', 32768, 19, 256],
];

function cases(): Case[] {
  const c: Case[] = [
    { name: 'k_eq_1', m: 5, n: 8, k: 1 },
    ...[1, 2, 3].map((k) => ({ name: 'k_lt_4', m: 3, n: 5, k })),
    ...[4, 8, 12].map((k) => ({ name: 'k_div_4', m: 5, n: 8, k })),
    ...[255, 256, 257, 511, 512, 513].map((k) => ({ name: 'k_near_kc', m: 7, n: 9, k })),
    { name: 'k_gt_kc (2 blocks, uneven split)', m: 6, n: 10, k: 700 },
    { name: 'k_gt_kc (3 blocks, uneven split)', m: 6, n: 10, k: 1100 },
    ...[1, 2, 3, 4, 5, 6, 7].map((n) => ({ name: 'n_lt_8', m: 5, n, k: 9 })),
    { name: 'n_eq_8', m: 5, n: 8, k: 9 },
    ...[9, 12, 15].map((n) => ({ name: 'n_gt_8', m: 5, n, k: 9 })),
    ...[16, 24, 40].map((n) => ({ name: 'n_div_8', m: 5, n, k: 9 })),
    ...[1, 2, 3, 4].map((m) => ({ name: 'm_lt_mr', m, n: 8, k: 9 })),
    ...[5, 6, 7, 11, 12, 13].map((m) => ({ name: 'm_gt_mr', m, n: 8, k: 9 })),
    ...[59, 60, 61, 119, 120, 121, 241].map((m) => ({ name: 'm_near_mc', m, n: 9, k: 5 })),
    { name: 'm_gt_mc k_gt_kc', m: 130, n: 17, k: 600 },
    { name: 'strided_a lda=k+7', m: 7, n: 9, k: 11, lda: 18, layouts: ['NN', 'NT'] },
    { name: 'strided_a lda=m+7', m: 7, n: 9, k: 11, lda: 14, layouts: ['TN'] },
    { name: 'strided_b ldb=n+3', m: 7, n: 13, k: 11, ldb: 16, layouts: ['NN', 'TN'] },
    { name: 'strided_b ldb=k+3', m: 7, n: 13, k: 11, ldb: 14, layouts: ['NT'] },
    { name: 'strided_c ldc=n+5', m: 7, n: 13, k: 11, ldc: 18 },
    // a row-major B whose rows are 4 KiB apart is copied into panels even for a small m
    { name: 'strided_b ldb=1024 (copied)', m: 7, n: 13, k: 11, ldb: 1024, layouts: ['NN', 'TN'] },
    // the largest blocks: a full A block (60×512) and a full copied B block (512×256) in scratch
    { name: 'scratch_full', m: 65, n: 256, k: 512, layouts: ['NN', 'TN'], bias: true },
    { name: 'offsets (sub-matrix views)', m: 6, n: 11, k: 10, aOffset: 3, bOffset: 5, cOffset: 7 },
    { name: 'accumulate', m: 7, n: 13, k: 17, accumulate: true },
    { name: 'accumulate k_gt_kc', m: 7, n: 13, k: 600, accumulate: true },
    { name: 'bias', m: 7, n: 13, k: 17, bias: true },
    { name: 'bias n_lt_8', m: 6, n: 3, k: 17, bias: true },
    { name: 'accumulate bias k_gt_kc', m: 11, n: 21, k: 520, accumulate: true, bias: true },
    { name: 'k_eq_0 (C = bias)', m: 5, n: 9, k: 0, bias: true },
    { name: 'k_eq_0 accumulate (C += bias)', m: 5, n: 9, k: 0, bias: true, accumulate: true },
    { name: 'k_eq_0 (C = 0)', m: 3, n: 4, k: 0 },
    { name: 'deep', m: 3, n: 5, k: 1000 },
    { name: 'shallow', m: 65, n: 63, k: 1 },
  ];
  for (const s of RUY_SIZES) c.push({ name: 'square', m: s, n: s, k: s });
  // odd triples: every size once in each position
  for (let i = 0; i < RUY_SIZES.length; i++) {
    const m = RUY_SIZES[i];
    const n = RUY_SIZES[(i + 7) % RUY_SIZES.length];
    const k = RUY_SIZES[(i + 13) % RUY_SIZES.length];
    c.push({ name: 'odd triple', m, n, k, accumulate: i % 3 === 0, bias: i % 2 === 0 });
  }
  for (const [name, m, n, k] of SEGFORMER_B0) {
    c.push({
      name: `segformer-b0 ${name} (M ${m} cut)`,
      m: Math.min(m, 23),
      n,
      k: Math.min(k, 1100),
      bias: true,
    });
  }
  // real sizes, whole: a forward projection and a weight gradient (dW = dYᵀ·X, K = tokens cut to 2048)
  c.push({ name: 'segformer-b0 s4.attn.q full', m: 512, n: 256, k: 256, layouts: ['NT'], bias: true });
  c.push({ name: 'segformer-b0 s1 dW = dYᵀ·X', m: 32, n: 32, k: 2048, layouts: ['TN'], accumulate: true });
  return c;
}

interface Problem {
  c: Case;
  layout: Layout;
  seed: number;
  a: Float32Array;
  b: Float32Array;
  c0: Float32Array;
  bias: Float32Array | null;
  lda: number;
  ldb: number;
  ldc: number;
  /** f64 oracle, dense [m][n]. */
  want: Float64Array;
  /** The same sum in f32, init first then kk in order: what the mul+add variants must equal bit for bit. */
  seq: Float32Array;
}

const f = Math.fround;

function makeProblem(c: Case, layout: Layout, seed: number): Problem {
  const rng = new Rng(seed);
  const transA = layout === 'TN';
  const transB = layout === 'NT';
  const lda = c.lda ?? Math.max(1, transA ? c.m : c.k);
  const ldb = c.ldb ?? Math.max(1, transB ? c.k : c.n);
  const ldc = c.ldc ?? Math.max(1, c.n);
  const ao = c.aOffset ?? 0;
  const bo = c.bOffset ?? 0;
  const co = c.cOffset ?? 0;
  const aRows = transA ? c.k : c.m;
  const bRows = transB ? c.n : c.k;
  const a = rng.f32Array(ao + aRows * lda, -1, 1);
  const b = rng.f32Array(bo + bRows * ldb, -1, 1);
  const c0 = rng.f32Array(co + c.m * ldc, -2, 2);
  const bias = c.bias ? rng.f32Array(c.n, -1, 1) : null;
  const p = {
    m: c.m,
    n: c.n,
    k: c.k,
    a,
    lda,
    transA,
    aOffset: ao,
    b,
    ldb,
    transB,
    bOffset: bo,
    bias,
    c: c0,
    ldc,
    cOffset: co,
    accumulate: c.accumulate,
  };
  const want = ref.gemmF32(p);
  const seq = new Float32Array(c.m * c.n);
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      let s = c.accumulate ? c0[co + i * ldc + j] : 0;
      if (bias) s = f(s + bias[j]);
      for (let kk = 0; kk < c.k; kk++) {
        const av = transA ? a[ao + kk * lda + i] : a[ao + i * lda + kk];
        const bv = transB ? b[bo + j * ldb + kk] : b[bo + kk * ldb + j];
        s = f(s + f(av * bv));
      }
      seq[i * c.n + j] = s;
    }
  }
  return { c, layout, seed, a, b, c0, bias, lda, ldb, ldc, want, seq };
}

const problems = new Map<string, Problem>();
function problemFor(c: Case, index: number, layout: Layout): Problem {
  const key = `${index}/${layout}`;
  let p = problems.get(key);
  if (!p) {
    p = makeProblem(c, layout, 1000 + index * 3 + LAYOUTS.indexOf(layout));
    problems.set(key, p);
  }
  return p;
}

function describeProblem(p: Problem, mode: BMode): string {
  const c = p.c;
  const extra = [
    c.lda ? `lda=${p.lda}` : '',
    c.ldb ? `ldb=${p.ldb}` : '',
    c.ldc ? `ldc=${p.ldc}` : '',
    c.accumulate ? 'accumulate' : '',
    c.bias ? 'bias' : '',
  ].filter(Boolean);
  return `${c.name} m×n×k=${c.m}×${c.n}×${c.k} ${p.layout} B=${mode}${extra.length ? ` ${extra.join(' ')}` : ''}, seed=${p.seed}`;
}

/** Run one problem through the wrapper with guarded buffers; returns C's dense [m][n] result. */
function runProblem(k: Kernels, info: KernelInfo, p: Problem, mode: BMode, prepacked: boolean): Float32Array {
  const c = p.c;
  const label = `${kernelLabel(info)}, ${describeProblem(p, mode)}`;
  const ga = guarded(k, 'f32', p.a.length, p.a);
  const gb = guarded(k, 'f32', p.b.length, p.b);
  const gc = guarded(k, 'f32', p.c0.length, c.accumulate ? p.c0 : undefined);
  const gbias = p.bias ? guarded(k, 'f32', p.bias.length, p.bias) : null;
  const gs = guarded(k, 'u8', GEMM_F32_SCRATCH_BYTES);
  const cBefore = gc.buf.toArray();
  let packed = null;
  try {
    if (prepacked) {
      packed = packGemmF32B(k, gb.buf, {
        k: c.k,
        n: c.n,
        transB: p.layout === 'NT',
        ldb: p.ldb,
        bOffset: c.bOffset,
      });
    }
    gemmF32(k, {
      m: c.m,
      n: c.n,
      k: c.k,
      a: ga.buf,
      transA: p.layout === 'TN',
      lda: p.lda,
      aOffset: c.aOffset,
      ...(packed ? { packed } : { b: gb.buf, transB: p.layout === 'NT', ldb: p.ldb, bOffset: c.bOffset }),
      c: gc.buf,
      ldc: p.ldc,
      cOffset: c.cOffset,
      accumulate: c.accumulate,
      bias: gbias?.buf ?? null,
      scratch: gs.buf,
      isa: info.isa,
    });
    for (const [g, what] of [
      [gc, 'c'],
      [ga, 'a'],
      [gb, 'b'],
      [gs, 'scratch'],
    ] as const) {
      g.checkCanary(`${what}: ${label}`);
    }
    gbias?.checkCanary(`bias: ${label}`);
    // inputs unchanged, and C untouched outside the m×n view (offset prefix, ldc gaps)
    expect(firstMismatch(p.a, ga.buf.view()), `a was modified: ${label}`).toBe(-1);
    expect(firstMismatch(p.b, gb.buf.view()), `b was modified: ${label}`).toBe(-1);
    const cv = gc.buf.view();
    const co = c.cOffset ?? 0;
    const out = new Float32Array(c.m * c.n);
    for (let idx = 0; idx < cv.length; idx++) {
      const r = Math.floor((idx - co) / p.ldc);
      const col = idx - co - r * p.ldc;
      const inside = idx >= co && r < c.m && col < c.n;
      if (inside) out[r * c.n + col] = cv[idx];
      else if (firstMismatch([cBefore[idx]], [cv[idx]]) >= 0) {
        throw new Error(
          `c[${idx}] outside the m×n view was written (${cBefore[idx]} → ${cv[idx]}): ${label}`,
        );
      }
    }
    return out;
  } finally {
    packed?.release();
    for (const g of [ga, gb, gc, gbias, gs]) g?.free();
  }
}

function checkClose(info: KernelInfo, p: Problem, mode: BMode, got: Float32Array): void {
  const c = p.c;
  const tol = gemmF32Tolerance(maxAbs(p.want), c.k);
  let sum = 0;
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      const r = p.want[i * c.n + j];
      const o = got[i * c.n + j];
      const d = Math.abs(r - o);
      sum += d;
      if (!(d <= tol)) {
        throw new Error(
          `at (${i}, ${j}): reference=${r}, optimized=${o}, |diff|=${d} > tolerance ${tol}, ` +
            `f32 sequential=${p.seq[i * c.n + j]}, ${kernelLabel(info)}, ${describeProblem(p, mode)}`,
        );
      }
    }
  }
  const mean = c.m * c.n > 0 ? sum / (c.m * c.n) : 0;
  const meanTol = gemmF32MeanTolerance(maxAbs(p.want), c.k);
  if (!(mean <= meanTol)) {
    throw new Error(
      `mean |diff| ${mean} > ${meanTol} (systematic bias), ${kernelLabel(info)}, ${describeProblem(p, mode)}`,
    );
  }
}

function checkBitExact(info: KernelInfo, p: Problem, mode: BMode, got: Float32Array): void {
  const i = firstMismatch(p.seq, got);
  if (i >= 0) {
    const r = Math.floor(i / p.c.n);
    throw new Error(
      `at (${r}, ${i - r * p.c.n}): f32 sequential=${p.seq[i]}, optimized=${got[i]}, reference(f64)=${p.want[i]} ` +
        `(mul+add variants must match the f32 sequential sum bit for bit), ${kernelLabel(info)}, ${describeProblem(p, mode)}`,
    );
  }
}

const CASES = cases();

describe.each(kernelsOf('gemm_f32').map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const k = buildFor(info);
  // relaxed_madd may fuse, so only the mul+add variants are held to the f32 sequential sum.
  const bitExact = info.isa !== 'relaxed';
  for (const layout of LAYOUTS) {
    const modes: BMode[] = layout === 'NT' ? ['packed'] : ['direct', 'packed'];
    for (const mode of modes) {
      it.skipIf(k === null)(`${layout} B=${mode}: all cases within tolerance of the f64 twin`, () => {
        CASES.forEach((c, index) => {
          if (c.layouts && !c.layouts.includes(layout)) return;
          const p = problemFor(c, index, layout);
          // 'packed' on NN/TN packs once beforehand (the inference path); NT alternates between that
          // and the wrapper packing into a temporary per call
          const prepacked = mode === 'packed' && (layout !== 'NT' || index % 2 === 0);
          const got = runProblem(k!, info, p, mode, prepacked);
          checkClose(info, p, mode, got);
          if (bitExact) checkBitExact(info, p, mode, got);
        });
      });
    }
  }
});

describe.each(kernelsOf('gemm_f32_pack_b').map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const k = buildFor(info)!;
  it('writes the documented panel layout, zero-padded, bit for bit', () => {
    const rng = new Rng(77);
    for (const [kk, n, transB, ldbExtra, off] of [
      [1, 1, false, 0, 0],
      [3, 5, false, 2, 1],
      [7, 8, true, 0, 0],
      [9, 17, true, 3, 2],
      [16, 24, true, 0, 0],
      [33, 9, false, 5, 3],
      [0, 5, false, 0, 0],
      [4, 0, true, 0, 0],
    ] as const) {
      const ldb = (transB ? kk : n) + ldbExtra;
      const rows = transB ? n : kk;
      const b = rng.f32Array(off + Math.max(0, rows * ldb), -1, 1);
      const gb = guarded(k, 'f32', b.length, b);
      const len = gemmF32PackedLength(kk, n);
      const gp = guarded(k, 'f32', len);
      const p = packGemmF32B(k, gb.buf, { k: kk, n, transB, ldb, bOffset: off, into: gp.buf, isa: info.isa });
      gp.checkCanary(`${kernelLabel(info)} k=${kk} n=${n}`);
      gb.checkCanary(`${kernelLabel(info)} k=${kk} n=${n}`);
      const want = ref.packGemmF32B(kk, n, b, ldb, transB, off);
      const i = firstMismatch(want, gp.buf.view());
      if (i >= 0) {
        throw new Error(
          `packed[${i}]: reference=${want[i]}, optimized=${gp.buf.view()[i]}, ${kernelLabel(info)}, ` +
            `k=${kk} n=${n} transB=${transB} ldb=${ldb} offset=${off}`,
        );
      }
      p.release(); // not owned: must not free `into`
      gb.free();
      gp.free();
    }
  });
});

describe('gemm_f32 across ISAs', () => {
  it('scalar and simd128 agree bit for bit, and a packed B works with every variant', () => {
    const rel = releaseKernels();
    const sca = scalarKernels();
    const rng = new Rng(5);
    const [m, n, kk] = [37, 29, 300];
    const a = rng.f32Array(m * kk);
    const b = rng.f32Array(n * kk);
    // the packer of one ISA feeds the GEMM of another: the packed layout is shared
    const out = (k: Kernels, isa: 'scalar' | 'simd128', packIsa: 'scalar' | 'simd128') => {
      const ga = k.from('f32', a);
      const gb = k.from('f32', b);
      const gc = k.alloc('f32', m * n);
      const packed = packGemmF32B(k, gb, { k: kk, n, transB: true, isa: packIsa });
      gemmF32(k, { m, n, k: kk, a: ga, packed, c: gc, isa });
      const r = gc.toArray();
      for (const x of [ga, gb, gc]) x.release();
      packed.release();
      return r;
    };
    expect(firstMismatch(out(rel, 'scalar', 'simd128'), out(rel, 'simd128', 'scalar'))).toBe(-1);
    expect(firstMismatch(out(rel, 'simd128', 'simd128'), out(sca, 'scalar', 'scalar'))).toBe(-1);
  });

  it('a call can cover a subset of rows and of packed columns (thread split)', () => {
    const k = releaseKernels();
    const rng = new Rng(6);
    const [m, n, kk] = [23, 40, 19];
    const a = k.from('f32', rng.f32Array(m * kk));
    const b = k.from('f32', rng.f32Array(n * kk));
    const whole = k.alloc('f32', m * n);
    const split = k.alloc('f32', m * n);
    const packed = packGemmF32B(k, b, { k: kk, n, transB: true });
    gemmF32(k, { m, n, k: kk, a, packed, c: whole });
    // rows [0, 10) × all columns, then rows [10, 23) in two column halves [0, 16) and [16, 40)
    gemmF32(k, { m: 10, n, k: kk, a, packed, c: split });
    gemmF32(k, { m: 13, n: 16, k: kk, a, aOffset: 10 * kk, packed, c: split, cOffset: 10 * n, ldc: n });
    gemmF32(k, {
      m: 13,
      n: 24,
      k: kk,
      a,
      aOffset: 10 * kk,
      packed,
      packedColumn: 16,
      c: split,
      cOffset: 10 * n + 16,
      ldc: n,
    });
    expect(firstMismatch(whole.view(), split.view())).toBe(-1);
    for (const x of [a, b, whole, split]) x.release();
    packed.release();
  });

  it('borrows and returns its scratch when none is given', () => {
    const k = releaseKernels();
    const a = k.from('f32', [1, 2, 3, 4]);
    const b = k.from('f32', [5, 6, 7, 8]);
    const c = k.alloc('f32', 4);
    const live = k.arena.stats.liveBlocks;
    gemmF32(k, { m: 2, n: 2, k: 2, a, b, c, transB: true });
    expect(k.arena.stats.liveBlocks).toBe(live);
    expect([...c.view()]).toEqual([1 * 5 + 2 * 6, 1 * 7 + 2 * 8, 3 * 5 + 4 * 6, 3 * 7 + 4 * 8]);
    for (const x of [a, b, c]) x.release();
  });
});

describe('gemm_f32 wrapper validation', () => {
  const k = scalarKernels();
  it('names the argument and what was expected', () => {
    const a = k.alloc('f32', 12);
    const b = k.alloc('f32', 12);
    const c = k.alloc('f32', 9);
    const base = { m: 3, n: 3, k: 4, a, b, c };
    expect(() => gemmF32(k, { ...base, k: 5 })).toThrow(/gemm_f32: a is too small. Expected ≥ 15 elements/);
    expect(() => gemmF32(k, { ...base, lda: 3 })).toThrow(
      /gemm_f32: lda is out of range. Expected an integer in \[4,/,
    );
    expect(() => gemmF32(k, { ...base, ldc: 4 })).toThrow(/gemm_f32: c is too small. Expected ≥ 11 elements/);
    expect(() => gemmF32(k, { ...base, m: -1 })).toThrow(/gemm_f32: m is out of range/);
    expect(() => gemmF32(k, { ...base, b: undefined })).toThrow(/gemm_f32: no B operand/);
    expect(() => gemmF32(k, { ...base, c: a })).toThrow(/gemm_f32: c overlaps a/);
    const short = k.alloc('f32', 2);
    expect(() => gemmF32(k, { ...base, bias: short })).toThrow(/bias is too small. Expected ≥ 3/);
    short.release();
    const small = k.alloc('u8', 100);
    expect(() => gemmF32(k, { ...base, scratch: small })).toThrow(
      /scratch is too small. Expected ≥ 647168 bytes, got 100/,
    );
    small.release();
    const packed = packGemmF32B(k, b, { k: 4, n: 3 });
    expect(() => gemmF32(k, { ...base, b: undefined, packed, k: 3 })).toThrow(
      /packed B has the wrong k. Expected 3 \(this call's k\), got 4/,
    );
    expect(() => gemmF32(k, { ...base, b: undefined, packed, packedColumn: 4 })).toThrow(
      /packedColumn must start a panel. Expected a multiple of 8, got 4/,
    );
    expect(() => gemmF32(k, { ...base, packed })).toThrow(/both b and packed were given/);
    packed.release();
    expect(() => gemmF32(k, { ...base, b: undefined, packed })).toThrow(/packed B was already released/);
    expect(() => packGemmF32B(k, b, { k: 4, n: 4, transB: true })).toThrow(
      /gemm_f32_pack_b: b is too small. Expected ≥ 16 elements/,
    );
    for (const x of [a, b, c]) x.release();
  });
});

describe('gemm_f32 preconditions (debug build)', () => {
  it('traps on a bad stride or a missing scratch', () => {
    const k = debugKernels();
    const fn = k.fn(k.pick('gemm_f32', 'simd128'));
    const a = k.alloc('f32', 64);
    const s = k.alloc('u8', GEMM_F32_SCRATCH_BYTES);
    // m, n, k, a, lda, trans_a, b, ldb, b_packed, c, ldc, bias, accumulate, scratch
    expect(() => fn(2, 2, 4, a.ptr, 3, 0, a.ptr, 2, 0, a.ptr, 2, 0, 0, s.ptr)).toThrow(
      WebAssembly.RuntimeError,
    );
    expect(() => fn(2, 2, 4, a.ptr, 4, 0, a.ptr, 2, 1, a.ptr, 2, 0, 0, s.ptr)).toThrow(
      WebAssembly.RuntimeError,
    );
    expect(() => fn(2, 2, 4, a.ptr, 4, 0, a.ptr, 2, 0, a.ptr, 2, 0, 0, 0)).toThrow(WebAssembly.RuntimeError);
    a.release();
    s.release();
  });
});
