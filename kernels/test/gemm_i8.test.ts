import { Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import {
  GEMM_I8_MAX_K,
  gemmI8,
  gemmI8F32,
  gemmI8I32,
  gemmI8PackedBytes,
  gemmI8ScratchBytes,
  KBuf,
  type KernelInfo,
  type Kernels,
  kernelsOf,
  packGemmI8Weights,
} from '../src/index.js';
import { buildFor, debugKernels, firstMismatch, guarded, kernelLabel, scalarKernels } from './harness.js';

/** One test problem; everything not given is drawn from the seeded Rng. */
interface Case {
  name: string;
  m: number;
  n: number;
  k: number;
  lda?: number;
  ldc?: number;
  layout?: 'kn' | 'nk';
  ldb?: number;
  za?: number;
  zo?: number;
  qmin?: number;
  qmax?: number;
  /** Explicit shift (mults then drawn in [2^30, 2^31) unless `mults` says otherwise). */
  shift?: number;
  mults?: 'auto' | 'zero' | 'max' | 'half';
  bias?: 'small' | 'tiny' | 'none' | 'wide' | 'wrap';
  /** 'extreme': A and B at the ends of their ranges (saturation, overflow bound). */
  values?: 'random' | 'extreme' | 'a=za' | 'small';
}

const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33, 63, 64, 65];

function edgeCases(): Case[] {
  const c: Case[] = [
    { name: 'k_eq_2', m: 4, n: 8, k: 2 },
    { name: 'k_lt_2', m: 3, n: 5, k: 1 },
    { name: 'k_lt_2 full tile', m: 4, n: 8, k: 1 },
    ...[3, 5, 7, 9, 11].map((k) => ({ name: 'k_gt_2 odd', m: 4, n: 8, k })),
    ...[4, 10, 16, 20].map((k) => ({ name: 'k_div_2', m: 4, n: 8, k })),
    ...[9, 10, 11, 12, 13, 14, 15].map((n) => ({ name: 'n_gt_8', m: 4, n, k: 5 })),
    ...[16, 24].map((n) => ({ name: 'n_div_8', m: 4, n, k: 5 })),
    ...[1, 2, 3, 4, 5, 6, 7].map((n) => ({ name: 'n_lt_8', m: 4, n, k: 5 })),
    ...[1, 2, 3].map((m) => ({ name: 'm_lt_4', m, n: 8, k: 5 })),
    ...[5, 6, 7, 8, 9].map((m) => ({ name: 'm_gt_4', m, n: 8, k: 5 })),
    { name: 'strided_a', m: 5, n: 9, k: 7, lda: 14 },
    { name: 'strided_c', m: 5, n: 9, k: 7, ldc: 14 },
    { name: 'strided_a_c', m: 7, n: 13, k: 17, lda: 37, ldc: 23 },
    { name: 'layout=nk', m: 5, n: 13, k: 11, layout: 'nk' },
    { name: 'layout=nk strided_b', m: 5, n: 13, k: 11, layout: 'nk', ldb: 14 },
    { name: 'layout=kn strided_b', m: 5, n: 13, k: 11, layout: 'kn', ldb: 17 },
    { name: 'za=-128', m: 5, n: 9, k: 17, za: -128 },
    { name: 'za=127', m: 5, n: 9, k: 17, za: 127 },
    { name: 'za=0', m: 5, n: 9, k: 17, za: 0 },
    { name: 'a=za', m: 5, n: 9, k: 17, za: 77, values: 'a=za' },
    { name: 'zo=-128', m: 5, n: 9, k: 17, zo: -128 },
    { name: 'zo=127', m: 5, n: 9, k: 17, zo: 127 },
    { name: 'qmin=0 (relu)', m: 5, n: 17, k: 17, zo: 0, qmin: 0 },
    { name: 'qmax=0', m: 5, n: 17, k: 17, zo: -3, qmax: 0 },
    { name: 'qmin=-20 qmax=20', m: 5, n: 17, k: 17, zo: 4, qmin: -20, qmax: 20 },
    { name: 'qmax=qmin', m: 5, n: 17, k: 17, zo: 5, qmin: 5, qmax: 5 },
    { name: 'qmax=qmin=-128', m: 5, n: 17, k: 17, zo: -128, qmin: -128, qmax: -128 },
    { name: 'qmax=qmin=127', m: 5, n: 17, k: 17, zo: 127, qmin: 127, qmax: 127 },
    { name: 'saturation', m: 6, n: 11, k: 33, values: 'extreme' },
    { name: 'saturation za=-128', m: 6, n: 11, k: 33, values: 'extreme', za: -128 },
    { name: 'bias=none', m: 5, n: 9, k: 9, bias: 'none' },
    { name: 'bias wraps i32', m: 5, n: 9, k: 33, bias: 'wrap' },
    { name: 'mults=0', m: 5, n: 9, k: 9, mults: 'zero', zo: 3 },
    { name: 'mults=2^31-1', m: 5, n: 9, k: 9, mults: 'max' },
    {
      name: 'ties shift=31 mult=2^30',
      m: 7,
      n: 17,
      k: 3,
      shift: 31,
      mults: 'half',
      values: 'small',
      bias: 'tiny',
    },
    {
      name: 'ties shift=31 mult=2^30 zo=-3',
      m: 7,
      n: 17,
      k: 5,
      shift: 31,
      mults: 'half',
      zo: -3,
      values: 'small',
      bias: 'tiny',
    },
    { name: 'deep', m: 3, n: 5, k: 1000 },
    { name: 'deep k=2^17-1 extreme', m: 2, n: 9, k: GEMM_I8_MAX_K, values: 'extreme', za: 127 },
    { name: 'shallow', m: 100, n: 100, k: 1 },
    { name: 'shallow k=2', m: 64, n: 64, k: 2 },
  ];
  for (const shift of [1, 2, 15, 30, 31, 32, 33, 40, 44, 45, 46, 47, 50, 61, 62]) {
    c.push({ name: `shift=${shift}`, m: 5, n: 13, k: 9, shift, bias: shift > 40 ? 'wide' : 'small' });
  }
  return c;
}

function ruyCases(): Case[] {
  const c: Case[] = SIZES.map((s) => ({ name: 'cube', m: s, n: s, k: s }));
  for (const [m, n, k] of [
    [7, 13, 29],
    [11, 5, 63],
    [33, 17, 9],
    [65, 31, 3],
    [3, 65, 127],
    [17, 33, 65],
  ]) {
    c.push({ name: 'odd triple', m, n, k });
  }
  const rng = new Rng(1234);
  for (let i = 0; i < 40; i++) {
    c.push({ name: 'random triple', m: rng.pick(SIZES), n: rng.pick(SIZES), k: rng.pick(SIZES) });
  }
  return c;
}

/** SegFormer-B0 GEMMs (tools/kernel-bench/shapes) with M cut to 13 rows. */
const SEGFORMER_NK: [number, number, string][] = [
  [32, 147, 's1.patch_embed'],
  [32, 32, 's1.attn.q'],
  [32, 2048, 's1.attn.sr'],
  [64, 32, 's1.attn.kv'],
  [512, 32, 's1.attn.qk^T'],
  [32, 512, 's1.attn.av'],
  [128, 32, 's1.ffn.fc1'],
  [32, 128, 's1.ffn.fc2'],
  [256, 32, 'decoder.linear_c1'],
  [64, 288, 's2.patch_embed'],
  [64, 64, 's2.attn.q'],
  [64, 1024, 's2.attn.sr'],
  [128, 64, 's2.attn.kv'],
  [256, 64, 's2.ffn.fc1'],
  [64, 256, 's2.ffn.fc2'],
  [160, 576, 's3.patch_embed'],
  [160, 160, 's3.attn.q'],
  [160, 640, 's3.attn.sr'],
  [320, 160, 's3.attn.kv'],
  [640, 160, 's3.ffn.fc1'],
  [160, 640, 's3.ffn.fc2'],
  [256, 160, 'decoder.linear_c3'],
  [256, 1440, 's4.patch_embed'],
  [256, 256, 's4.attn.q'],
  [512, 256, 's4.attn.kv'],
  [1024, 256, 's4.ffn.fc1'],
  [256, 1024, 's4.ffn.fc2'],
  [19, 256, 'decoder.classifier'],
];

function segformerCases(): Case[] {
  return SEGFORMER_NK.map(([n, k, name]) => ({ name: `segformer-b0 ${name}`, m: 13, n, k, layout: 'nk' }));
}

interface Data {
  a: Int8Array;
  b: Int8Array;
  bias: Int32Array | null;
  mults: Int32Array;
  shift: number;
  za: number;
  zo: number;
  qmin: number;
  qmax: number;
  lda: number;
  ldc: number;
  ldb: number;
  layout: 'kn' | 'nk';
}

function makeData(c: Case, rng: Rng): Data {
  const layout = c.layout ?? 'kn';
  const lda = c.lda ?? c.k;
  const ldc = c.ldc ?? c.n;
  const ldb = c.ldb ?? (layout === 'kn' ? c.n : c.k);
  const za = c.za ?? rng.int(-128, 127);
  const qmin = c.qmin ?? -128;
  const qmax = c.qmax ?? 127;
  const zo = c.zo ?? Math.max(qmin, Math.min(qmax, rng.int(-20, 20)));
  const aLen = (c.m - 1) * lda + c.k;
  const bLen = ((layout === 'kn' ? c.k : c.n) - 1) * ldb + (layout === 'kn' ? c.n : c.k);
  let a: Int8Array;
  let b: Int8Array;
  if (c.values === 'extreme') {
    a = Int8Array.from({ length: aLen }, () => (rng.float() < 0.5 ? -128 : 127));
    b = Int8Array.from({ length: bLen }, () => (rng.float() < 0.5 ? -127 : 127));
  } else if (c.values === 'small') {
    // |acc| stays small, so shift=31 with mult=2^30 (x = acc/2) makes every odd acc a visible tie.
    a = Int8Array.from({ length: aLen }, () => Math.max(-128, Math.min(127, za + rng.int(-3, 3))));
    b = rng.i8Array(bLen, -3, 3);
  } else if (c.values === 'a=za') {
    a = new Int8Array(aLen).fill(za);
    b = rng.i8Array(bLen, -127, 127);
  } else {
    a = rng.i8Array(aLen);
    b = rng.i8Array(bLen, -127, 127);
  }
  let bias: Int32Array | null;
  switch (c.bias ?? 'small') {
    case 'none':
      bias = null;
      break;
    case 'tiny':
      bias = rng.i32Array(c.n, -40, 40);
      break;
    case 'wide':
      bias = rng.i32Array(c.n, -(2 ** 27), 2 ** 27);
      break;
    case 'wrap':
      bias = Int32Array.from({ length: c.n }, () =>
        rng.float() < 0.5 ? 2 ** 31 - 1 - rng.int(0, 9) : -(2 ** 31),
      );
      break;
    default:
      bias = rng.i32Array(c.n, -(2 ** 16), 2 ** 16);
  }
  // Spread the outputs over the int8 range: |acc| is about √k·128·73 (random a − za, b) + bias.
  const typical = Math.sqrt(c.k) * 128 * 73 + (c.bias === 'wide' ? 2 ** 26 : 2 ** 15);
  const real = Float64Array.from(
    { length: c.n },
    () => (rng.uniform(10, 60) / typical) * (rng.float() < 0.05 ? 0 : 1),
  );
  let mults: Int32Array;
  let shift: number;
  if (c.shift !== undefined) {
    shift = c.shift;
    mults = Int32Array.from(real, (r) => Math.max(1, Math.min(2 ** 31 - 1, Math.round(r * 2 ** c.shift!))));
  } else {
    ({ mults, shift } = ref.fixedPointMultipliers(real));
  }
  if (c.mults === 'zero') mults.fill(0);
  if (c.mults === 'max') mults.fill(2 ** 31 - 1);
  if (c.mults === 'half') mults.fill(2 ** 30);
  return { a, b, bias, mults, shift, za, zo, qmin, qmax, lda, ldc, ldb, layout };
}

function runCase(k: Kernels, info: KernelInfo, c: Case, seed: number): void {
  const requant = info.op === 'gemm_i8';
  const rng = new Rng(seed);
  const d = makeData(c, rng);
  const problem: ref.GemmI8Problem = {
    m: c.m,
    n: c.n,
    k: c.k,
    a: d.a,
    lda: d.lda,
    b: d.b,
    layout: d.layout,
    ldb: d.ldb,
    bias: d.bias,
    za: d.za,
  };
  const dequant = info.op === 'gemm_i8_f32';
  // Dequantization scales s_a·s_w[j] spanning a realistic range (and 1.0, which must be exact).
  const scales = Float32Array.from({ length: c.n }, (_, j) => (j === 0 ? 1 : 10 ** rng.uniform(-5, -1)));
  const acc = ref.gemmI8I32(problem);
  const want = requant
    ? ref.gemmI8(problem, { mults: d.mults, shift: d.shift, zo: d.zo, qmin: d.qmin, qmax: d.qmax })
    : dequant
      ? ref.gemmI8F32(problem, scales)
      : acc;
  const cLen = (c.m - 1) * d.ldc + c.n;
  const ga = guarded(k, 'i8', d.a.length, d.a);
  const gc = requant ? guarded(k, 'i8', cLen) : dequant ? guarded(k, 'f32', cLen) : guarded(k, 'i32', cLen);
  const gsc = guarded(k, 'f32', c.n, scales);
  const gs = guarded(k, 'u8', gemmI8ScratchBytes(c.n, c.k));
  const gm = guarded(k, 'i32', c.n, d.mults);
  const poison = gc.buf.toArray()[0];
  const w = packGemmI8Weights(k, d.b, { n: c.n, k: c.k, layout: d.layout, ldb: d.ldb, bias: d.bias });
  const common = { m: c.m, za: d.za, lda: d.lda, ldc: d.ldc, scratch: gs.buf, isa: info.isa };
  if (requant) {
    gemmI8(k, ga.buf, w, gc.buf as KBuf<'i8'>, {
      ...common,
      mults: gm.buf,
      shift: d.shift,
      zo: d.zo,
      qmin: d.qmin,
      qmax: d.qmax,
    });
  } else if (dequant) {
    gemmI8F32(k, ga.buf, w, gc.buf as KBuf<'f32'>, gsc.buf, common);
  } else {
    gemmI8I32(k, ga.buf, w, gc.buf as KBuf<'i32'>, common);
  }
  for (const [g, what] of [
    [gc, 'c'],
    [gs, 'scratch'],
  ] as const) {
    g.checkCanary(`${info.name} ${c.name}: ${what}`);
  }
  const got = gc.buf.toArray();
  const sizes = `m×n×k=${c.m}×${c.n}×${c.k}`;
  const params = requant ? `za=${d.za} zo=${d.zo} q=[${d.qmin},${d.qmax}] shift=${d.shift}` : `za=${d.za}`;
  for (let i = 0; i < c.m; i++) {
    const row = got.subarray(i * d.ldc, i * d.ldc + c.n);
    const j = firstMismatch(want.subarray(i * c.n, (i + 1) * c.n), row);
    if (j >= 0) {
      throw new Error(
        `${info.op} ${c.name} at (${i}, ${j}): reference=${want[i * c.n + j]}, optimized=${row[j]}, ` +
          `accumulator=${acc[i * c.n + j]}, mult=${d.mults[j]}, ${kernelLabel(info)}, ${sizes}, ${params}, seed=${seed}`,
      );
    }
    // The stride gap between rows must stay untouched.
    const gapEnd = i + 1 < c.m ? (i + 1) * d.ldc : i * d.ldc + c.n;
    for (let g = i * d.ldc + c.n; g < gapEnd; g++) {
      if (got[g] !== poison && !(Number.isNaN(got[g]) && Number.isNaN(poison))) {
        throw new Error(
          `${info.op} ${c.name}: wrote into the stride gap at element ${g}, ${kernelLabel(info)}, ${sizes}`,
        );
      }
    }
  }
  w.release();
  for (const g of [ga, gc, gs, gm, gsc]) g.free();
}

function forEachKernel(op: string, groups: [string, Case[]][]) {
  describe.each(kernelsOf(op).map((info) => [info.name, info] as const))('%s', (_name, info) => {
    const k = buildFor(info);
    for (const [group, cases] of groups) {
      it.skipIf(k === null)(`${group}: matches the reference twin bit for bit`, () => {
        cases.forEach((c, i) => {
          runCase(k!, info, c, 1000 + i);
        });
      });
    }
  });
}

const GROUPS: [string, Case[]][] = [
  ['edge cases', edgeCases()],
  ['ruy sizes', ruyCases()],
  ['SegFormer-B0 shapes (M cut to 13)', segformerCases()],
];

forEachKernel('gemm_i8', GROUPS);
forEachKernel('gemm_i8_i32', GROUPS);
forEachKernel('gemm_i8_f32', GROUPS);

/**
 * Near-ties of the f64 path: acc·mult = 2^(shift−1)·o + d (o odd, d small) with |acc·mult| ≥ 2^53,
 * so the f64 product rounds onto the tie o/2 exactly and ties-to-even then picks the wrong side.
 * This is why the SIMD kernel uses i64 for shift > 45 (found by factoring 2^(shift−1)·o + d).
 */
const F64_TRAPS: [shift: number, acc: number, mult: number, o: number, d: number][] = [
  [46, 30190757, 593189677, 509, 1],
  [47, 27421651, 1295918171, 505, 1],
  [48, 377095801, 72776759, 195, -1],
  [49, 29502683, 1898590727, 199, -3],
  [50, 385284143, 293686991, 201, 1],
  [51, 385284143, 587373982, 201, 2],
  [52, 335156903, 1350447383, 201, 1],
  [53, 670313806, 1350447383, 201, 2],
  [54, 1340627612, 1350447383, 201, 4],
  [55, 2126659543, 1702620484, 201, 28],
  [56, 2104364171, 2140123696, 125, 16],
  [57, 2134583543, 2126704499, 63, -11],
  [58, 2143044000, 2084684603, 31, -32],
  [59, 2053678972, 2105224673, 15, -4],
  [60, 1903241942, 2120185131, 7, -14],
  [61, 1689863175, 2046771931, 3, -3],
  [62, 1263665316, 1824726041, 1, 4],
];

/** Exact ties acc·mult = o·2^(shift−1) (x = o/2, o odd), for the shifts where acc fits in i32. */
function tiesFor(shift: number): [acc: number, mult: number][] {
  const out: [number, number][] = [];
  for (const o of [1, 3, 5, 7, 9, 11, 13, 15, -1, -3, -5, -7, -9, -11, -13, -15]) {
    for (const [m0, mBits] of [
      [1, 30],
      [3, 28],
    ]) {
      if (m0 === 3 && o % 3 !== 0) continue;
      const mb = Math.min(mBits, shift - 1);
      // acc·m0·2^mb = o·2^(shift−1)  ⇒  acc = (o/m0)·2^(shift−1−mb)
      const acc = (o / m0) * 2 ** (shift - 1 - mb);
      if (acc >= -(2 ** 31) && acc < 2 ** 31) out.push([acc, m0 * 2 ** mb]);
    }
  }
  if (shift === 62) out.push([-(2 ** 31), 2 ** 30]); // the one tie at shift 62: x = −1/2
  return out;
}

/** acc = bias (K = 1, B = 0) walks the requantization over chosen accumulators. */
function epilogueCall(
  k: Kernels,
  info: KernelInfo,
  what: string,
  rows: {
    accs: ArrayLike<number>;
    mults: ArrayLike<number>;
    shift: number;
    zo: number;
    qmin: number;
    qmax: number;
  },
  rng: Rng,
): void {
  const { shift, zo, qmin, qmax } = rows;
  const n = rows.accs.length;
  const m = 3;
  const bias = Int32Array.from(rows.accs);
  const mults = Int32Array.from(rows.mults);
  const za = rng.int(-128, 127);
  const a = rng.i8Array(m);
  const b = new Int8Array(n);
  const want = ref.gemmI8({ m, n, k: 1, a, b, layout: 'kn', bias, za }, { mults, shift, zo, qmin, qmax });
  const ga = guarded(k, 'i8', m, a);
  const gc = guarded(k, 'i8', m * n);
  const gm = guarded(k, 'i32', n, mults);
  const w = packGemmI8Weights(k, b, { n, k: 1, layout: 'kn', bias });
  gemmI8(k, ga.buf, w, gc.buf, { m, za, zo, qmin, qmax, mults: gm.buf, shift, isa: info.isa });
  gc.checkCanary(info.name);
  const got = gc.buf.toArray();
  const i = firstMismatch(want, got);
  if (i >= 0) {
    const j = i % n;
    throw new Error(
      `gemm_i8 epilogue (${what}) at (${Math.floor(i / n)}, ${j}): reference=${want[i]}, optimized=${got[i]}, ` +
        `accumulator=${bias[j]}, mult=${mults[j]}, shift=${shift}, zo=${zo}, q=[${qmin},${qmax}], ${kernelLabel(info)}`,
    );
  }
  w.release();
  for (const g of [ga, gc, gm]) g.free();
}

describe.each(kernelsOf('gemm_i8').map((info) => [info.name, info] as const))(
  '%s epilogue',
  (_name, info) => {
    const k = buildFor(info)!;

    it('rounds every shift 1..62 exactly like rescaleHalfEven, saturation included', () => {
      const rng = new Rng(77);
      for (let shift = 1; shift <= 62; shift++) {
        const n = 37;
        const mults = Int32Array.from({ length: n }, (_, j) =>
          j < 5 ? [0, 1, 2 ** 31 - 1, 2 ** 30, 2 ** 30 + 1][j] : rng.int(0, 2 ** 31 - 1),
        );
        const accs = Int32Array.from({ length: n }, () => {
          const r = rng.float();
          if (r < 0.15) return rng.pick([0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 30, -(2 ** 30)]);
          if (r < 0.45) return rng.int(-(2 ** 31), 2 ** 31 - 1);
          // Outputs of a few hundred at most, around the f64 path's |acc·mult| < 2^53 limit.
          return Math.round(rng.uniform(-1, 1) * 2 ** Math.min(31, Math.max(0, shift - 22))) | 0;
        });
        const zo = rng.int(-128, 127);
        const [qmin, qmax] = rng.float() < 0.5 ? [-128, 127] : [Math.min(zo, -3), Math.max(zo, 9)];
        epilogueCall(k, info, 'random', { accs, mults, shift, zo, qmin, qmax }, rng);
      }
    });

    it('rounds exact ties to even at every shift 1..62', () => {
      const rng = new Rng(78);
      for (let shift = 1; shift <= 62; shift++) {
        const ties = tiesFor(shift);
        expect(ties.length).toBeGreaterThan(0);
        for (const [acc, mult] of ties) expect(ref.rescaleHalfEven(acc, mult, shift) & 1).toBe(0);
        const zo = rng.int(-100, 100);
        epilogueCall(
          k,
          info,
          'ties',
          { accs: ties.map((t) => t[0]), mults: ties.map((t) => t[1]), shift, zo, qmin: -128, qmax: 127 },
          rng,
        );
      }
    });

    it('is exact where an f64 product would round onto a tie (shift 46..62)', () => {
      const rng = new Rng(79);
      for (const [shift, acc, mult, o, d] of F64_TRAPS) {
        // The trap is real: exact product off the tie, f64 product on it.
        expect(BigInt(acc) * BigInt(mult)).toBe(2n ** BigInt(shift - 1) * BigInt(o) + BigInt(d));
        expect(acc * mult).toBe(2 ** (shift - 1) * o);
        for (const sign of [1, -1]) {
          const zo = sign > 0 ? -128 : 127; // keeps outputs up to ±255 inside [−128, 127]
          epilogueCall(
            k,
            info,
            'f64 trap',
            { accs: [sign * acc], mults: [mult], shift, zo, qmin: -128, qmax: 127 },
            rng,
          );
        }
      }
    });
  },
);

describe('gemm_i8_pack', () => {
  const info = kernelsOf('gemm_i8_pack')[0];
  const k = buildFor(info)!;
  it('writes the documented layout byte for byte and nothing past it', () => {
    const rng = new Rng(5);
    for (const [n, kk] of [
      [1, 1],
      [8, 2],
      [9, 3],
      [13, 11],
      [16, 16],
      [37, 65],
    ]) {
      for (const layout of ['kn', 'nk'] as const) {
        for (const withBias of [true, false]) {
          const ldb = (layout === 'kn' ? n : kk) + rng.int(0, 3);
          const rows = layout === 'kn' ? kk : n;
          const b = rng.i8Array((rows - 1) * ldb + (layout === 'kn' ? n : kk), -127, 127);
          const bias = withBias ? rng.i32Array(n, -(2 ** 31), 2 ** 31 - 1) : null;
          const want = ref.gemmI8Pack({ n, k: kk, b, layout, ldb, bias });
          expect(want.length).toBe(gemmI8PackedBytes(n, kk));
          const gb = guarded(k, 'i8', b.length, b);
          const gbias = bias ? guarded(k, 'i32', n, bias) : null;
          const gp = guarded(k, 'u8', want.length);
          k.fn(info)(n, kk, gb.buf.ptr, ldb, layout === 'kn' ? 0 : 1, gbias ? gbias.buf.ptr : 0, gp.buf.ptr);
          gp.checkCanary(info.name);
          const i = firstMismatch(want, gp.buf.view());
          if (i >= 0) {
            throw new Error(
              `gemm_i8_pack at byte ${i}: reference=${want[i]}, optimized=${gp.buf.view()[i]}, ${kernelLabel(info)}, n=${n} k=${kk} layout=${layout} ldb=${ldb} bias=${withBias}`,
            );
          }
          for (const g of [gb, gbias, gp]) g?.free();
        }
      }
    }
  });
});

describe('gemm_i8 row subsets (the multi-threading contract)', () => {
  it.each(kernelsOf('gemm_i8').map((info) => [info.name, info] as const))('%s', (_name, info) => {
    const k = buildFor(info)!;
    const rng = new Rng(9);
    const [m, n, kk, lda, ldc] = [23, 19, 37, 40, 21];
    const a = rng.i8Array((m - 1) * lda + kk);
    const b = rng.i8Array(n * kk, -127, 127);
    const mults = rng.i32Array(n, 2 ** 30, 2 ** 31 - 1);
    const problem = { m, n, k: kk, a, lda, b, layout: 'nk' as const, za: -7 };
    const rq = { mults, shift: 38, zo: 1, qmin: -128, qmax: 127 };
    const want = ref.gemmI8(problem, rq);
    const ga = k.from('i8', a);
    const gc = k.alloc('i8', (m - 1) * ldc + n);
    const gm = k.from('i32', mults);
    const w = packGemmI8Weights(k, b, { n, k: kk, layout: 'nk' });
    // Three uneven row chunks, as three workers would run them.
    for (const [r0, r1] of [
      [0, 5],
      [5, 18],
      [18, 23],
    ]) {
      const aPart = KBuf.at(k.arena, 'i8', ga.ptr + r0 * lda, (r1 - r0 - 1) * lda + kk);
      const cPart = KBuf.at(k.arena, 'i8', gc.ptr + r0 * ldc, (r1 - r0 - 1) * ldc + n);
      gemmI8(k, aPart, w, cPart, {
        m: r1 - r0,
        za: -7,
        lda,
        ldc,
        mults: gm,
        shift: 38,
        zo: 1,
        isa: info.isa,
      });
    }
    const got = gc.view();
    for (let i = 0; i < m; i++) {
      expect(firstMismatch(want.subarray(i * n, (i + 1) * n), got.subarray(i * ldc, i * ldc + n))).toBe(-1);
    }
    for (const x of [ga, gc, gm, w]) x.release();
  });
});

describe('the scalar build', () => {
  it('exports gemm_i8 and matches the reference', () => {
    const k = scalarKernels();
    const rng = new Rng(11);
    const [m, n, kk] = [6, 11, 13];
    const a = rng.i8Array(m * kk);
    const b = rng.i8Array(kk * n, -127, 127);
    const bias = rng.i32Array(n, -1000, 1000);
    const mults = rng.i32Array(n, 2 ** 30, 2 ** 31 - 1);
    const problem = { m, n, k: kk, a, b, layout: 'kn' as const, bias, za: 3 };
    const w = packGemmI8Weights(k, b, { n, k: kk, layout: 'kn', bias });
    const ga = k.from('i8', a);
    const gc = k.alloc('i8', m * n);
    const gm = k.from('i32', mults);
    gemmI8(k, ga, w, gc, { m, za: 3, zo: -2, mults: gm, shift: 36 });
    expect(
      firstMismatch(ref.gemmI8(problem, { mults, shift: 36, zo: -2, qmin: -128, qmax: 127 }), gc.view()),
    ).toBe(-1);
    const gi = k.alloc('i32', m * n);
    gemmI8I32(k, ga, w, gi, { m, za: 3 });
    expect(firstMismatch(ref.gemmI8I32(problem), gi.view())).toBe(-1);
    for (const x of [w, ga, gc, gm, gi]) x.release();
  });
});

describe('gemm_i8 debug build preconditions', () => {
  const k = debugKernels();
  const scratch = k.alloc('u8', 1 << 16);
  const buf = k.alloc('u8', 1 << 16);
  const call =
    (name: string, ...args: number[]) =>
    () =>
      k.exports[name](...args);
  it('traps on k ≥ 2^17, bad strides, shift and layout', () => {
    const p = buf.ptr;
    const s = scratch.ptr;
    // m n k a lda packed c ldc za mults shift zo qmin qmax scratch
    expect(call('gemm_i8_4x8c2__simd', 1, 8, 4, p, 4, p, p, 8, 0, p, 31, 0, -128, 127, s)).not.toThrow();
    expect(
      call('gemm_i8_4x8c2__simd', 1, 8, 2 ** 17, p, 2 ** 17, p, p, 8, 0, p, 31, 0, -128, 127, s),
    ).toThrow();
    expect(call('gemm_i8_4x8c2__simd', 1, 8, 4, p, 3, p, p, 8, 0, p, 31, 0, -128, 127, s)).toThrow();
    expect(call('gemm_i8_4x8c2__simd', 1, 8, 4, p, 4, p, p, 7, 0, p, 31, 0, -128, 127, s)).toThrow();
    expect(call('gemm_i8_4x8c2__simd', 1, 8, 4, p, 4, p, p, 8, 0, p, 63, 0, -128, 127, s)).toThrow();
    expect(call('gemm_i8_4x8c2__simd', 1, 8, 4, p, 4, p, p, 8, 0, p, 31, 0, 5, 4, s)).toThrow();
    expect(call('gemm_i8_2x4c2__scalar', 1, 8, 4, p, 4, p, p, 8, 200, p, 31, 0, -128, 127, s)).toThrow();
    expect(call('gemm_i8_i32_4x8c2__simd', 1, 8, 0, p, 4, p, p, 8, 0, s)).toThrow();
    expect(call('gemm_i8_pack_8c2__scalar', 8, 4, p, 8, 2, 0, p)).toThrow();
    expect(call('gemm_i8_pack_8c2__scalar', 8, 4, p, 7, 0, 0, p)).toThrow();
  });
});

describe('gemm_i8 wrapper validation', () => {
  const k = scalarKernels();
  it('names the argument and what was expected', () => {
    const b = new Int8Array(4 * 3).fill(1);
    expect(() => packGemmI8Weights(k, b, { n: 3, k: 4, layout: 'kn' as 'kn' | 'nk', ldb: 2 })).toThrow(
      /gemm_i8_pack: ldb is out of range. Expected an integer in \[3,/,
    );
    expect(() => packGemmI8Weights(k, b, { n: 3, k: 5, layout: 'kn' })).toThrow(
      /gemm_i8_pack: b is too small. Expected ≥ 15 elements, got 12/,
    );
    expect(() => packGemmI8Weights(k, b, { n: 3, k: 2 ** 17, layout: 'kn' })).toThrow(/k is out of range/);
    expect(() => packGemmI8Weights(k, b, { n: 3, k: 4, layout: 'xy' as 'kn' })).toThrow(
      /unknown layout "xy"/,
    );
    const bad = b.slice();
    bad[7] = -128;
    expect(() => packGemmI8Weights(k, bad, { n: 3, k: 4, layout: 'kn' })).toThrow(
      /weight B\[k=2\]\[n=1\] is -128. Expected symmetric int8 weights in \[-127, 127\]/,
    );
    expect(() => packGemmI8Weights(k, b, { n: 3, k: 4, layout: 'kn', bias: new Int32Array(2) })).toThrow(
      /bias is too small. Expected ≥ 3 elements \(n\), got 2/,
    );
    const w = packGemmI8Weights(k, b, { n: 3, k: 4, layout: 'kn' });
    const a = k.alloc('i8', 8);
    const c = k.alloc('i8', 6);
    const ci = k.alloc('i32', 6);
    const mults = k.from('i32', [1 << 30, 1 << 30, 1 << 30]);
    const ok = { m: 2, za: 0, zo: 0, mults, shift: 31 };
    expect(() => gemmI8(k, a, w, c, ok)).not.toThrow();
    expect(() => gemmI8(k, a, w, c, { ...ok, m: 3 })).toThrow(
      /gemm_i8: a is too small. Expected ≥ 12 elements/,
    );
    expect(() => gemmI8(k, a, w, c, { ...ok, ldc: 2 })).toThrow(
      /gemm_i8: ldc is out of range. Expected an integer in \[3,/,
    );
    expect(() => gemmI8(k, a, w, c, { ...ok, shift: 0 })).toThrow(
      /shift is out of range. Expected an integer in \[1, 62\]/,
    );
    expect(() => gemmI8(k, a, w, c, { ...ok, za: 128 })).toThrow(/za is out of range/);
    expect(() => gemmI8(k, a, w, c, { ...ok, zo: 10, qmax: 5 })).toThrow(
      /zo is out of range. Expected an integer in \[-128, 5\]/,
    );
    expect(() => gemmI8(k, a, w, ci as unknown as KBuf<'i8'>, ok)).toThrow(
      /c has the wrong dtype. Expected i8, got i32/,
    );
    expect(() => gemmI8(k, a, w, c, { ...ok, mults: k.from('i32', [1, -1, 1]) })).toThrow(
      /mults\[1\] is out of range/,
    );
    expect(() => gemmI8(k, a, w, c, { ...ok, scratch: k.alloc('u8', 10) })).toThrow(/scratch is too small/);
    const ac = KBuf.at(k.arena, 'i8', a.ptr, 8);
    expect(() => gemmI8(k, ac, w, KBuf.at(k.arena, 'i8', a.ptr + 2, 6), ok)).toThrow(/gemm_i8: c overlaps a/);
    expect(() => gemmI8(k, a, w, KBuf.at(k.arena, 'i8', mults.ptr, 6), ok)).toThrow(
      /gemm_i8: c overlaps mults/,
    );
    expect(() => gemmI8(k, a, w, KBuf.at(k.arena, 'i8', w.packed.ptr + 8, 6), ok)).toThrow(
      /gemm_i8: c overlaps the packed weights/,
    );
    const bigScratch = k.alloc('u8', 4096);
    expect(() =>
      gemmI8I32(k, a, w, KBuf.at(k.arena, 'i32', bigScratch.ptr + 64, 6), {
        m: 2,
        za: 0,
        scratch: bigScratch,
      }),
    ).toThrow(/gemm_i8_i32: c overlaps scratch/);
    bigScratch.release();
    expect(() => gemmI8I32(k, a, w, ci, { m: 2, za: 0, lda: 3 })).toThrow(/gemm_i8_i32: lda is out of range/);
    w.release();
    expect(() => gemmI8(k, a, w, c, ok)).toThrow(/packed weights were already released/);
    for (const x of [a, c, ci, mults]) x.release();
  });
});
