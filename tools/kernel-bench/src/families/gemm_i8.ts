// families/gemm_i8.ts — INT8 GEMM at the benchmark's GEMM shapes. Weights are packed once (as the
// executor does); activations live in kernel memory. Each shape is timed with the requantizing
// epilogue (int8 out: `ours-<isa>`) and the dequantizing one (gemm_i8_f32, f32 out:
// `ours-<isa>/f32out`), and every result is checked bit for bit against the TS twins. Peers: ORT's
// MatMulInteger with uint8 activations and int8 weights (U8S8, its fast path; S8S8 is ~10× slower),
// which writes the int32 accumulators (no epilogue), fed as a user would (input copied in, output out).
// Rates are 2·M·N·K per second.
import { gemmI8, gemmI8F32, gemmI8ScratchBytes, packGemmI8Weights } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import { type Band, expectExact, peerVerdict, sampleRowBands } from '../check.js';
import { matMulIntegerModel } from '../peers/onnxModel.js';
import { ortSession } from '../peers/ort.js';
import type { Row } from '../report.js';
import type { GemmShape } from '../segformerShapes.js';
import type { BenchContext } from './context.js';
import { type Contestant, gemmLabel, kernelNote, peerAvailable, runCase } from './measure.js';
import { refTiming } from './spatial.js';

const FAMILY = 'gemm_i8';

export async function benchGemmI8(ctx: BenchContext, shapes: GemmShape[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const s of shapes) rows.push(...(await benchShape(ctx, s)));
  return rows;
}

async function benchShape(ctx: BenchContext, s: GemmShape): Promise<Row[]> {
  const { m, n, k } = s;
  const label = gemmLabel(s);
  const problem = `m×n×k=${m}×${n}×${k}`;
  const A = ctx.rng.i8(m * k);
  const B = ctx.rng.i8(k * n, -127, 127); // [K][N], symmetric weights
  const bias = ctx.rng.i32(n, -(2 ** 16), 2 ** 16);
  const za = -7;
  const zo = 5;
  // acc has a standard deviation of about 74·73·√k (uniform int8 operands): scale ±3σ onto most of the
  // int8 range, each channel within ±25 % of that, so the requantization rounds and sometimes clamps.
  const real = Array.from(ctx.rng.f32(n, 0.75, 1.25), (u) => (u * 40) / (74 * 73 * Math.sqrt(k)));
  const { mults, shift } = ref.fixedPointMultipliers(real);
  const scales = Float32Array.from(real);
  const q = { mults, shift, zo, qmin: -128, qmax: 127 };

  // The twins on the checked rows.
  const bands = sampleRowBands(m, n * k);
  const problemOf = (r0: number, r1: number): ref.GemmI8Problem => ({
    m: r1 - r0,
    n,
    k,
    a: A.subarray(r0 * k, r1 * k),
    b: B,
    layout: 'kn',
    bias,
    za,
  });
  const refI8: Band[] = bands.map(([r0, r1]) => ({ r0, r1, ref: ref.gemmI8(problemOf(r0, r1), q) }));
  const refF32: Band[] = bands.map(([r0, r1]) => ({ r0, r1, ref: ref.gemmI8F32(problemOf(r0, r1), scales) }));

  const contestants: Contestant[] = [];
  const cleanup: (() => unknown)[] = [];
  try {
    for (const { k: kern, isa, impl } of ctx.ours('gemm_i8')) {
      const a = kern.from('i8', A);
      const w = packGemmI8Weights(kern, B, { n, k, layout: 'kn', bias });
      const c8 = kern.alloc('i8', m * n).fill(0);
      const cf = kern.alloc('f32', m * n).fill(Number.NaN);
      const mb = kern.from('i32', mults);
      const sb = kern.from('f32', scales);
      const scratch = kern.alloc('u8', gemmI8ScratchBytes(n, k));
      cleanup.push(() => {
        for (const b of [a, c8, cf, mb, sb, scratch]) b.release();
        w.release();
      });
      const alone = isa === 'scalar'; // slow, and not what the peers are compared with
      contestants.push({
        impl,
        alone,
        fn: () => gemmI8(kern, a, w, c8, { m, za, zo, mults: mb, shift, scratch, isa }),
        verify: () => {
          expectExact(
            { family: FAMILY, impl, kernel: kernelNote(kern, 'gemm_i8', isa), problem },
            n,
            refI8,
            c8.view(),
          );
          return undefined;
        },
      });
      contestants.push({
        impl: `${impl}/f32out`,
        alone,
        fn: () => gemmI8F32(kern, a, w, cf, sb, { m, za, scratch, isa }),
        verify: () => {
          const kernel = kernelNote(kern, 'gemm_i8_f32', isa);
          expectExact({ family: FAMILY, impl: `${impl}/f32out`, kernel, problem }, n, refF32, cf.view());
          return undefined;
        },
      });
    }

    if (ctx.includeRef) {
      const sampled = bands.reduce((acc, [r0, r1]) => acc + r1 - r0, 0);
      contestants.push({
        impl: 'ts-ref',
        alone: refTiming(ctx).timing,
        work: 2 * sampled * n * k,
        note: sampled < m ? `timed on ${sampled} of ${m} rows` : undefined,
        fn: () => {
          for (const [r0, r1] of bands) ref.gemmI8(problemOf(r0, r1), q);
        },
      });
    }

    for (const peer of ['ort-web', 'ort-node'] as const) {
      if (!(await peerAvailable(ctx, peer))) continue;
      // U8S8: a + 128 as uint8 with zero point za + 128 is the same (a − za).
      const au8 = new Uint8Array(m * k);
      for (let i = 0; i < au8.length; i++) au8[i] = A[i] + 128;
      let session: Awaited<ReturnType<typeof ortSession>>;
      try {
        session = await ortSession(peer, matMulIntegerModel(m, n, k, B, za + 128, 'uint8'), [
          { name: 'A', type: 'uint8', data: au8, dims: [m, k] },
        ]);
      } catch (e) {
        ctx.log(`${peer}: cannot run MatMulInteger at ${problem} (${(e as Error).message}); no row.`);
        continue;
      }
      if (!session) continue;
      const sess = session;
      cleanup.push(() => sess.release());
      let last: ArrayLike<number> = [];
      contestants.push({
        impl: peer,
        note: 'MatMulInteger U8S8, int32 out',
        fn: async () => {
          last = (await sess.run()) as Int32Array;
        },
        // The peer has no bias: its result is the twin's accumulators without it.
        verify: () => {
          const refAcc: Band[] = bands.map(([r0, r1]) => ({
            r0,
            r1,
            ref: ref.gemmI8I32({ ...problemOf(r0, r1), bias: null }),
          }));
          return peerVerdict(() => expectExact({ family: FAMILY, impl: peer, problem }, n, refAcc, last));
        },
      });
    }

    return await runCase(ctx, {
      family: FAMILY,
      shape: label,
      unit: 'GOPS',
      work: 2 * m * n * k,
      contestants,
      group: s.group,
      ceilingOf: (impl) => (impl.startsWith('ours') ? 'i8dot' : undefined),
    });
  } finally {
    for (const f of cleanup.reverse()) await f();
  }
}
