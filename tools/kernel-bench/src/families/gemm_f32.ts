// families/gemm_f32.ts — f32 GEMM at the benchmark's GEMM shapes, A and C in kernel memory, no bias.
// `ours-<isa>` multiplies by B packed once into 8-column panels (inference weights); `ours-<isa>/rowB`
// passes B row-major as it is (training's operands: the kernel copies it into panels per K×N block
// when m ≥ 64, else reads it in place). Every result is checked against the f64 TS twin within
// @edgeseg/testing's gemmF32Tolerance. Peers, called as a user would: ORT `MatMul` with B as an
// initializer (input copied in, output out), tfjs-backend-wasm `tf.matMul` with `dataSync()`.
// Rates are 2·M·N·K per second.
//
// The transposed products training runs (`Aᵀ·B`: weight gradients, `A·Bᵀ`: a Linear with [out][in]
// weights, Q·Kᵀ) are timed as cases of their own at the square shapes (`… TN`, `… NT`): A stored
// [k][m] and passed with transA; B stored [n][k] and passed with transB, which the wrapper packs
// per call (that copy is part of the time, as it is in training). Their peers: ORT `Gemm` with
// transA / transB, tfjs `tf.matMul(a, b, transposeA, transposeB)`.
import { GEMM_F32_SCRATCH_BYTES, gemmF32, packGemmF32B } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import { type Band, expectGemmF32, peerVerdict, sampleRowBands } from '../check.js';
import { gemmModel, matMulModel } from '../peers/onnxModel.js';
import { ortSession } from '../peers/ort.js';
import { loadTfjsWasm } from '../peers/tfjs.js';
import type { Row } from '../report.js';
import type { GemmShape } from '../segformerShapes.js';
import type { BenchContext } from './context.js';
import { type Contestant, gemmLabel, kernelNote, peerAvailable, runCase } from './measure.js';
import { refTiming } from './spatial.js';

const FAMILY = 'gemm_f32';

/** Which operands are transposed: N = as stored, T = transposed (BLAS naming, A then B). */
export type GemmF32Variant = 'NN' | 'TN' | 'NT';

export async function benchGemmF32(ctx: BenchContext, shapes: GemmShape[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const s of shapes) {
    rows.push(...(await benchShape(ctx, s, 'NN')));
    // The transposed variants at the squares (the issue's "≥ 85 % of the ceiling at 512³, including
    // the transposed variants").
    if (s.group === 'square') {
      rows.push(...(await benchShape(ctx, s, 'TN')));
      rows.push(...(await benchShape(ctx, s, 'NT')));
    }
  }
  return rows;
}

async function benchShape(ctx: BenchContext, s: GemmShape, variant: GemmF32Variant): Promise<Row[]> {
  const { m, n, k } = s;
  const transA = variant === 'TN';
  const transB = variant === 'NT';
  const label = variant === 'NN' ? gemmLabel(s) : `${gemmLabel(s)} ${variant}`;
  const problem = `m×n×k=${m}×${n}×${k}${variant === 'NN' ? '' : ` ${variant}`}`;
  // A is [m][k], or [k][m] when transA; B is [k][n], or [n][k] when transB.
  const A = ctx.rng.f32(m * k, -1, 1);
  const B = ctx.rng.f32(k * n, -1, 1);
  const lda = transA ? m : k;
  const ldb = transB ? k : n;

  const bands = sampleRowBands(m, n * k);
  const twin = (r0: number, r1: number) =>
    transA
      ? ref.gemmF32({ m: r1 - r0, n, k, a: A, lda, transA, aOffset: r0, b: B, ldb, transB })
      : ref.gemmF32({ m: r1 - r0, n, k, a: A.subarray(r0 * k, r1 * k), lda, b: B, ldb, transB });
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
      const kernel = kernelNote(kern, 'gemm_f32', isa);
      const alone = isa === 'scalar'; // slow, and not what the peers are compared with
      if (variant !== 'NN') {
        const c = kern.alloc('f32', m * n).fill(Number.NaN);
        cleanup.push(() => {
          for (const x of [a, b, scratch, c]) x.release();
        });
        const name = `${impl}/${variant}`;
        contestants.push({
          impl: name,
          alone,
          fn: () => gemmF32(kern, { m, n, k, a, transA, lda, b, transB, ldb, c, scratch, isa }),
          verify: () => {
            check(name, kernel, c.view());
            return undefined;
          },
        });
        continue;
      }
      const packed = packGemmF32B(kern, b, { k, n }); // the build's best packer: one layout for all
      const cp = kern.alloc('f32', m * n).fill(Number.NaN);
      const cb = isa === 'scalar' ? null : kern.alloc('f32', m * n).fill(Number.NaN);
      cleanup.push(() => {
        for (const x of [a, b, scratch, cp, cb]) x?.release();
        packed.release();
      });
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
        const model = variant === 'NN' ? matMulModel(m, n, k, B) : gemmModel(m, n, k, B, transA, transB);
        session = await ortSession(peer, model, [
          { name: 'A', type: 'float32', data: A, dims: transA ? [k, m] : [m, k] },
        ]);
      } catch (e) {
        ctx.log(
          `${peer}: cannot run ${variant === 'NN' ? 'MatMul' : 'Gemm'} at ${problem} (${(e as Error).message}); no row.`,
        );
        continue;
      }
      if (!session) continue;
      const sess = session;
      cleanup.push(() => sess.release());
      let last: ArrayLike<number> = [];
      contestants.push({
        impl: peer,
        note:
          variant === 'NN'
            ? 'MatMul, B an initializer'
            : `Gemm trans${transA ? 'A' : 'B'}=1, B an initializer`,
        fn: async () => {
          last = (await sess.run()) as Float32Array;
        },
        verify: () => peerVerdict(() => check(peer, undefined, last)),
      });
    }
    if (await peerAvailable(ctx, 'tfjs')) {
      const tf = await loadTfjsWasm();
      const ta = tf.tensor2d(A, transA ? [k, m] : [m, k]);
      const tb = tf.tensor2d(B, transB ? [n, k] : [k, n]);
      cleanup.push(() => {
        ta.dispose();
        tb.dispose();
      });
      let last: ArrayLike<number> = [];
      contestants.push({
        impl: 'tfjs',
        note: variant === 'NN' ? 'tf.matMul + dataSync' : `tf.matMul(…, ${transA}, ${transB}) + dataSync`,
        fn: () => {
          const y = tf.matMul(ta, tb, transA, transB);
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
      group: s.group,
      ceilingOf,
    });
  } finally {
    for (const f of cleanup.reverse()) await f();
  }
}
