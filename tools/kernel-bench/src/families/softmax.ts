// families/softmax.ts — row-wise softmax and log-softmax at SegFormer-B0's attention shapes (512×1024
// input: every head's queries × the reduced keys, 512 wide) and its classifier (per-pixel log-softmax
// over 19 classes at 1/4 resolution, the cross-entropy's), plus awkward widths. x and y in kernel
// memory, not in place. Checked element by element against the f64 twins (abs or rel 1e-6). Peers, as
// a user would call them: ORT `Softmax` / `LogSoftmax` (axis −1), tfjs `tf.softmax` / `tf.logSoftmax`
// with `dataSync()`. Rates are elements (rows·cols) per second.
import { logSoftmaxF32, softmaxF32 } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import { type Band, expectSoftmax, peerVerdict, sampleRowBands } from '../check.js';
import { softmaxModel } from '../peers/onnxModel.js';
import { ortSession } from '../peers/ort.js';
import { loadTfjsWasm } from '../peers/tfjs.js';
import type { Row } from '../report.js';
import type { BenchContext } from './context.js';
import { type Contestant, kernelNote, peerAvailable, runCase } from './measure.js';
import { refTiming } from './spatial.js';

const FAMILY = 'softmax';

export interface SoftmaxCase {
  name: string;
  rows: number;
  cols: number;
  /** `issue`: the row shapes issue #2's targets name; `model`: B0's; `edge`: awkward widths. */
  group?: 'issue' | 'model' | 'edge';
}

export const SOFTMAX_CASES: SoftmaxCase[] = [
  // The row shapes the softmax targets are stated on: short, medium and long rows, 1M each.
  { name: 'rows', rows: 8192, cols: 128, group: 'issue' },
  { name: 'rows', rows: 2048, cols: 512, group: 'issue' },
  { name: 'rows', rows: 128, cols: 8192, group: 'issue' },
  { name: 's1.attn (1 head)', rows: 32768, cols: 512, group: 'model' },
  { name: 's2.attn (2 heads)', rows: 16384, cols: 512, group: 'model' },
  { name: 's3.attn (5 heads)', rows: 10240, cols: 512, group: 'model' },
  { name: 's4.attn (8 heads)', rows: 4096, cols: 512, group: 'model' },
  { name: 'classifier', rows: 32768, cols: 19, group: 'model' },
  { name: 'cols=17', rows: 4096, cols: 17, group: 'edge' },
  { name: 'square', rows: 1000, cols: 1000, group: 'edge' },
  { name: 'one row', rows: 1, cols: 65536, group: 'edge' },
];

/** Elements of the twin checked (and timed) per case. */
const SOFTMAX_CHECK_BUDGET = 2 ** 22;

const OPS = [
  { op: 'softmax_f32', label: 'softmax', ours: softmaxF32, twin: ref.softmaxF32, onnx: 'Softmax' },
  {
    op: 'log_softmax_f32',
    label: 'log_softmax',
    ours: logSoftmaxF32,
    twin: ref.logSoftmaxF32,
    onnx: 'LogSoftmax',
  },
] as const;

export async function benchSoftmax(ctx: BenchContext, quick: boolean, cases = SOFTMAX_CASES): Promise<Row[]> {
  const rows: Row[] = [];
  const list = quick
    ? cases.filter((c) => (c.group === 'issue' && c.cols === 512) || c.name === 'classifier')
    : cases;
  for (const c of list) rows.push(...(await benchCase(ctx, c)));
  return rows;
}

async function benchCase(ctx: BenchContext, c: SoftmaxCase): Promise<Row[]> {
  const { rows: R, cols: C } = c;
  const out: Row[] = [];
  const work = R * C;
  const problem = `rows×cols=${R}×${C}`;
  // Attention logits and class scores span a few units; ±8 exercises the exp's range reduction.
  const X = ctx.rng.f32(R * C, -8, 8);
  const bands = sampleRowBands(R, C, SOFTMAX_CHECK_BUDGET);
  const sampled = bands.reduce((acc, [r0, r1]) => acc + r1 - r0, 0);

  for (const o of OPS) {
    const label = `${o.label} ${c.name} ${R}×${C}`;
    const twin = (r0: number, r1: number) => o.twin(X.subarray(r0 * C, r1 * C), { rows: r1 - r0, cols: C });
    const refs: Band[] = bands.map(([r0, r1]) => ({ r0, r1, ref: twin(r0, r1) }));
    const check = (impl: string, kernel: string | undefined, got: ArrayLike<number>) =>
      expectSoftmax({ family: FAMILY, impl, kernel, problem }, C, refs, got);

    const contestants: Contestant[] = [];
    const cleanup: (() => unknown)[] = [];
    try {
      for (const { k: kern, isa, impl } of ctx.ours(o.op)) {
        const x = kern.from('f32', X);
        const y = kern.alloc('f32', R * C).fill(Number.NaN);
        cleanup.push(() => {
          x.release();
          y.release();
        });
        contestants.push({
          impl,
          alone: isa === 'scalar',
          fn: () => o.ours(kern, x, y, { rows: R, cols: C, isa }),
          verify: () => {
            check(impl, kernelNote(kern, o.op, isa), y.view());
            return undefined;
          },
        });
      }
      if (ctx.includeRef) {
        contestants.push({
          impl: 'ts-ref',
          alone: refTiming(ctx).timing,
          work: sampled * C,
          note: sampled < R ? `timed on ${sampled} of ${R} rows` : undefined,
          fn: () => {
            for (const [r0, r1] of bands) twin(r0, r1);
          },
        });
      }
      for (const peer of ['ort-web', 'ort-node'] as const) {
        if (!(await peerAvailable(ctx, peer))) continue;
        let session: Awaited<ReturnType<typeof ortSession>>;
        try {
          session = await ortSession(peer, softmaxModel(R, C, o.onnx), [
            { name: 'X', type: 'float32', data: X, dims: [R, C] },
          ]);
        } catch (e) {
          ctx.log(`${peer}: cannot run ${o.onnx} at ${problem} (${(e as Error).message}); no row.`);
          continue;
        }
        if (!session) continue;
        const sess = session;
        cleanup.push(() => sess.release());
        let last: ArrayLike<number> = [];
        contestants.push({
          impl: peer,
          note: `${o.onnx}, axis −1`,
          fn: async () => {
            last = (await sess.run()) as Float32Array;
          },
          verify: () => peerVerdict(() => check(peer, undefined, last)),
        });
      }
      if (await peerAvailable(ctx, 'tfjs')) {
        const tf = await loadTfjsWasm();
        const tx = tf.tensor2d(X, [R, C]);
        cleanup.push(() => tx.dispose());
        let last: ArrayLike<number> = [];
        contestants.push({
          impl: 'tfjs',
          note: `tf.${o.onnx === 'Softmax' ? 'softmax' : 'logSoftmax'} + dataSync`,
          fn: () => {
            const y = o.onnx === 'Softmax' ? tf.softmax(tx) : tf.logSoftmax(tx);
            last = y.dataSync() as Float32Array;
            y.dispose();
          },
          verify: () => peerVerdict(() => check('tfjs', undefined, last)),
        });
      }
      out.push(
        ...(await runCase(ctx, {
          family: FAMILY,
          shape: label,
          unit: 'Gelem/s',
          work,
          contestants,
          group: c.group,
        })),
      );
    } finally {
      for (const f of cleanup.reverse()) await f();
    }
  }
  return out;
}
