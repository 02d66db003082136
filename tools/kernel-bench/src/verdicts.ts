// verdicts.ts — issue #2's speed targets checked against one run's rows: each target, the figure it
// is judged on, and met / NOT MET, so the whole check is reproducible by one command. Only ratios and
// fractions measured within a case (our kernel, the peer and the ceiling loop timed in the same rounds)
// enter a verdict; absolute rates of two different runs are never compared.
import { geomean, type Row } from './report.js';

export interface Verdict {
  /** What the issue asks, e.g. `gemm_i8 ≥ 1.0× ort-web MatMulInteger, every shape`. */
  target: string;
  /** Our implementation judged (ours-simd128, ours-relaxed). */
  impl: string;
  /** The figure judged: the worst ratio over the shapes, a geometric mean, a fraction of the ceiling. */
  value: number;
  threshold: number;
  /** value ≥ threshold; undefined when the run had no rows for it (family or peer not run). */
  met?: boolean;
  /** Where the figure comes from: the worst shape, the number of shapes, what is missing. */
  detail: string;
  /** How many shapes miss the threshold (for "every shape" targets). */
  failing?: number;
}

type RowFilter = (r: Row) => boolean;

/** Our rows of a family (not the scalar build, not a wrong one) matching `f`, impl by impl. */
function oursBy(rows: Row[], family: string, f: RowFilter): Map<string, Row[]> {
  const by = new Map<string, Row[]>();
  for (const r of rows) {
    if (r.family !== family || !r.impl.startsWith('ours-') || r.impl.startsWith('ours-scalar') || !f(r))
      continue;
    by.set(r.impl, [...(by.get(r.impl) ?? []), r]);
  }
  return by;
}

/** Every shape ≥ threshold against `peer`: the worst ratio, and how many shapes fall short. */
function everyShape(
  rows: Row[],
  family: string,
  f: RowFilter,
  peer: string,
  threshold: number,
  target: string,
): Verdict[] {
  const out: Verdict[] = [];
  for (const [impl, list] of oursBy(rows, family, f)) {
    const rated = list.filter((r) => r.ratio_vs[peer] !== undefined);
    if (rated.length === 0) continue;
    const worst = rated.reduce((a, b) => (b.ratio_vs[peer] < a.ratio_vs[peer] ? b : a));
    const failing = rated.filter((r) => r.ratio_vs[peer] < threshold);
    out.push({
      target,
      impl,
      value: worst.ratio_vs[peer],
      threshold,
      met: failing.length === 0,
      failing: failing.length,
      detail:
        `worst of ${rated.length} shapes: ${worst.shape}` +
        (failing.length ? `; below on ${failing.length}: ${failing.map((r) => r.shape).join(', ')}` : ''),
    });
  }
  return out;
}

function geomeanOf(
  rows: Row[],
  family: string,
  f: RowFilter,
  peer: string,
  threshold: number,
  target: string,
): Verdict[] {
  const out: Verdict[] = [];
  for (const [impl, list] of oursBy(rows, family, f)) {
    const ratios = list.map((r) => r.ratio_vs[peer]).filter((x): x is number => x !== undefined);
    if (ratios.length === 0) continue;
    const g = geomean(ratios);
    out.push({
      target,
      impl,
      value: g,
      threshold,
      met: g >= threshold,
      detail: `geometric mean over ${ratios.length} shapes (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`,
    });
  }
  return out;
}

function ceilingAt(rows: Row[], family: string, f: RowFilter, threshold: number, target: string): Verdict[] {
  const out: Verdict[] = [];
  for (const [impl, list] of oursBy(rows, family, f)) {
    for (const r of list) {
      const v = r.ratio_vs.ceiling;
      if (v === undefined) continue;
      out.push({
        target,
        impl,
        value: v,
        threshold,
        met: v >= threshold,
        detail: `${r.shape}: ${r.gops.toFixed(1)} of ${(r.gops / v).toFixed(1)} ${r.unit}`,
      });
    }
  }
  return out;
}

const isSquare512 = (r: Row) => r.shape.startsWith('512×512×512 square');
const inTargets = (r: Row) => r.group === 'square' || r.group === 'model';
// gemm_i8's target is on the requantizing kernel (int8 out), not on the f32-out epilogue.
const requantizing = (r: Row) => !r.impl.includes('/');
// gemm_f32: B prepacked (inference weights) is the kernel the peers' B-as-initializer compares with.
const nnPacked = (r: Row) => !r.impl.includes('/');

/** Issue #2 §5's targets, judged on the rows of one run (families not run give no verdict). */
export function verdicts(rows: Row[]): Verdict[] {
  const v: Verdict[] = [];
  const i8 = (r: Row) => inTargets(r) && requantizing(r);
  v.push(
    ...everyShape(rows, 'gemm_i8', i8, 'ort-web', 1.0, 'gemm_i8 ≥ 1.0× ort-web MatMulInteger, every shape'),
  );
  v.push(
    ...geomeanOf(
      rows,
      'gemm_i8',
      (r) => r.group === 'model' && requantizing(r),
      'ort-web',
      1.2,
      'gemm_i8 ≥ 1.2× ort-web, geomean of the model shapes',
    ),
  );
  v.push(
    ...ceilingAt(
      rows,
      'gemm_i8',
      (r) => isSquare512(r) && requantizing(r),
      0.85,
      'gemm_i8 ≥ 85% of ceiling at 512³',
    ),
  );
  const f32 = (r: Row) => inTargets(r) && nnPacked(r) && r.group !== undefined;
  v.push(...everyShape(rows, 'gemm_f32', f32, 'ort-web', 1.5, 'gemm_f32 ≥ 1.5× ort-web MatMul, every shape'));
  v.push(...everyShape(rows, 'gemm_f32', f32, 'tfjs', 1.3, 'gemm_f32 ≥ 1.3× tfjs-wasm, every shape'));
  v.push(
    ...ceilingAt(
      rows,
      'gemm_f32',
      (r) => isSquare512(r) && (nnPacked(r) || r.impl.endsWith('/TN') || r.impl.endsWith('/NT')),
      0.85,
      'gemm_f32 ≥ 85% of ceiling at 512³ (NN, TN, NT)',
    ),
  );
  const sm = (r: Row) => r.group === 'issue' && r.shape.startsWith('softmax ');
  v.push(...everyShape(rows, 'softmax', sm, 'ort-web', 2.0, 'softmax ≥ 2× ort-web Softmax, every row shape'));
  v.push(...everyShape(rows, 'softmax', sm, 'tfjs', 1.5, 'softmax ≥ 1.5× tfjs-wasm, every row shape'));
  return v;
}

export function formatVerdicts(list: Verdict[]): string {
  if (list.length === 0)
    return 'No target could be judged (run gemm_i8, gemm_f32 or softmax with their peers).';
  const head = ['target', 'impl', 'value', 'need', 'verdict', 'detail'];
  const body = list.map((x) => [
    x.target,
    x.impl,
    x.value.toFixed(2),
    x.threshold.toFixed(2),
    x.met === undefined ? '-' : x.met ? 'met' : 'NOT MET',
    x.detail,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? c : i === 2 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd();
  return [
    line(head),
    widths.map((w, i) => '-'.repeat(i === head.length - 1 ? 6 : w)).join('  '),
    ...body.map(line),
  ].join('\n');
}
