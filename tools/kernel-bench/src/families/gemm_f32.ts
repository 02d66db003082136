// families/gemm_f32.ts — f32 GEMM at the benchmark's GEMM shapes, A and C in kernel memory, no bias.
// `ours-<isa>` multiplies by B packed once into 8-column panels (inference weights); `ours-<isa>/rowB`
// passes B row-major as it is (training's operands: the kernel copies it into panels per K×N block
// when m ≥ 64, else reads it in place). Every result is checked against the f64 TS twin within
// @edgeseg/testing's gemmF32Tolerance. Peers, called as a user would: ORT `MatMul` with B as an
// initializer (input copied in, output out), tfjs-backend-wasm `tf.matMul` with `dataSync()`.
// Rates are 2·M·N·K per second.
import { GEMM_F32_SCRATCH_BYTES, gemmF32, packGemmF32B } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import { type Band, expectGemmF32, peerVerdict, sampleRowBands } from '../check.js';
import { matMulModel } from '../peers/onnxModel.js';
import { ortSession } from '../peers/ort.js';
import { loadTfjsWasm } from '../peers/tfjs.js';
import type { Row } from '../report.js';
import type { GemmShape } from '../segformerShapes.js';
import type { BenchContext } from './context.js';
import { type Contestant, gemmLabel, kernelNote, peerAvailable, runCase } from './measure.js';
import { refTiming } from './spatial.js';

const FAMILY = 'gemm_f32';

export async function benchGemmF32(ctx: BenchContext, shapes: GemmShape[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const s of shapes) rows.push(...(await benchShape(ctx, s)));
  return rows;
}

async function benchShape(ctx: BenchContext, s: GemmShape): Promise<Row[]> {
  const { m, n, k } = s;
  const label = gemmLabel(s);
  const problem = `m×n×k=${m}×${n}×${k}`;
  const A = ctx.rng.f32(m * k, -1, 1);
  const B = ctx.rng.f32(k * n, -1, 1); // [K][N]

  const bands = sampleRowBands(m, n * k);
  const twin = (r0: number, r1: number) =>
    ref.gemmF32({ m: r1 - r0, n, k, a: A.subarray(r0 * k, r1 * k), lda: k, b: B, ldb: n });
  const refs: Band[] = bands.map(([r0, r1]) => ({ r0, r1, ref: twin(r0, r1) }));
  const check = (impl: string, kernel: string | undefined, got: ArrayLike<number>) =>
    expectGemmF32({ family: FAMILY, impl, kernel, problem }, n, k, refs, got);

  const contestants: Contestant[] = [];
  const cleanup: (() => unknown)[] = [];
  try {
    for (const { k: kern, isa, impl } of ctx.ours('gemm_f32')) {
      const a = kern.from('f32', A);
      const b = kern.from('f32', B);
      const scratch = kern.alloc('u8', GEMM_F32_SCRATCH_BYTES);
      const packed = packGemmF32B(kern, b, { k, n }); // the build's best packer: one layout for all
      const cp = kern.alloc('f32', m * n).fill(Number.NaN);
      const cb = isa === 'scalar' ? null : kern.alloc('f32', m * n).fill(Number.NaN);
      cleanup.push(() => {
        for (const x of [a, b, scratch, cp, cb]) x?.release();
        packed.release();
      });
      const kernel = kernelNote(kern, 'gemm_f32', isa);
      const alone = isa === 'scalar'; // slow, and not what the peers are compared with
      contestants.push({
        impl,
        alone,
        fn: () => gemmF32(kern, { m, n, k, a, packed, c: cp, scratch, isa }),
        verify: () => {
          check(impl, kernel, cp.view());
          return undefined;
        },
      });
      if (cb) {
        contestants.push({
          impl: `${impl}/rowB`,
          fn: () => gemmF32(kern, { m, n, k, a, b, c: cb, scratch, isa }),
          verify: () => {
            check(`${impl}/rowB`, kernel, cb.view());
            return undefined;
          },
        });
      }
    }

    if (ctx.includeRef) {
      const sampled = bands.reduce((acc, [r0, r1]) => acc + r1 - r0, 0);
      contestants.push({
        impl: 'ts-ref',
        alone: refTiming(ctx).timing,
        work: 2 * sampled * n * k,
        note: sampled < m ? `timed on ${sampled} of ${m} rows` : undefined,
        fn: () => {
          for (const [r0, r1] of bands) twin(r0, r1);
        },
      });
    }

    for (const peer of ['ort-web', 'ort-node'] as const) {
      if (!(await peerAvailable(ctx, peer))) continue;
      let session: Awaited<ReturnType<typeof ortSession>>;
      try {
        session = await ortSession(peer, matMulModel(m, n, k, B), [
          { name: 'A', type: 'float32', data: A, dims: [m, k] },
        ]);
      } catch (e) {
        ctx.log(`${peer}: cannot run MatMul at ${problem} (${(e as Error).message}); no row.`);
        continue;
      }
      if (!session) continue;
      const sess = session;
      cleanup.push(() => sess.release());
      let last: ArrayLike<number> = [];
      contestants.push({
        impl: peer,
        note: 'MatMul, B an initializer',
        fn: async () => {
          last = (await sess.run()) as Float32Array;
        },
        verify: () => peerVerdict(() => check(peer, undefined, last)),
      });
    }
    if (await peerAvailable(ctx, 'tfjs')) {
      const tf = await loadTfjsWasm();
      const ta = tf.tensor2d(A, [m, k]);
      const tb = tf.tensor2d(B, [k, n]);
      cleanup.push(() => {
        ta.dispose();
        tb.dispose();
      });
      let last: ArrayLike<number> = [];
      contestants.push({
        impl: 'tfjs',
        note: 'tf.matMul + dataSync',
        fn: () => {
          const y = tf.matMul(ta, tb);
          last = y.dataSync() as Float32Array;
          y.dispose();
        },
        verify: () => peerVerdict(() => check('tfjs', undefined, last)),
      });
    }

    // The relaxed kernel fuses multiply and add: it is held to the relaxed madd ceiling.
    const ceilingOf = (impl: string) =>
      !impl.startsWith('ours')
        ? undefined
        : impl.includes('relaxed')
          ? ('f32madd' as const)
          : ('f32muladd' as const);
    return await runCase(ctx, {
      family: FAMILY,
      shape: label,
      unit: 'GFLOPS',
      work: 2 * m * n * k,
      contestants,
      ceilingOf,
    });
  } finally {
    for (const f of cleanup.reverse()) await f();
  }
}
