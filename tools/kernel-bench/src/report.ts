// report.ts — one result row per (family, shape, implementation), printed as a table or as JSON
// lines (`{"family","impl","shape","median_s","gops","ratio_vs":{…}}`) for diffs between runs.

export interface Row {
  family: string;
  impl: string;
  shape: string;
  /** Median seconds per call. */
  median_s: number;
  /** Throughput in `unit` (GOPS = 2·M·N·K/s for GEMM; GB/s; G elements/s). */
  gops: number;
  unit: 'GOPS' | 'GFLOPS' | 'GB/s' | 'Gelem/s';
  /** This row's throughput divided by each named reference's (ceiling = fraction of the SIMD ceiling). */
  ratio_vs: Record<string, number>;
  note?: string;
  /** The SIMD ceiling's rate measured in rounds with this row (its `×ceiling` divides by it). */
  ceiling?: number;
  /** Set on a peer row whose result disagreed with the TS twin: what was wrong. No ratio uses it. */
  wrong?: string;
  /** The shape's set (GEMM: square, model, edge; softmax: issue, model, edge): what the verdicts cover. */
  group?: string;
}

/**
 * The ratio key for "our rate over the fastest WASM peer's on this shape": the peers that run where
 * our kernels run (onnxruntime-web, tfjs-backend-wasm). onnxruntime-node is native code (AVX-512,
 * VNNI on a recent x86) and keeps its own column.
 */
export const BEST_WASM = 'best-wasm';
export const WASM_PEERS = ['ort-web', 'tfjs'];

/**
 * Fill ratio_vs of every "ours" row against the peers measured on the same shape, the fastest of
 * `bestOf` among them (`best-wasm`) and the SIMD ceiling (by family, or per row with a function).
 * Peer rows marked `wrong` are left out.
 */
export function addRatios(
  rows: Row[],
  ours: (r: Row) => boolean,
  peers: string[],
  ceilings: Record<string, number> | ((r: Row) => number | undefined),
  bestOf: string[] = WASM_PEERS,
) {
  for (const r of rows) {
    if (!ours(r)) continue;
    let best: Row | undefined;
    for (const p of peers) {
      const peer = rows.find((q) => q.family === r.family && q.shape === r.shape && q.impl === p && !q.wrong);
      if (!peer || !(peer.gops > 0)) continue;
      r.ratio_vs[p] = r.gops / peer.gops;
      if (bestOf.includes(p) && (!best || peer.gops > best.gops)) best = peer;
    }
    if (best) r.ratio_vs[BEST_WASM] = r.gops / best.gops;
    // A family that measured its ceiling alongside the row (row.ceiling) keeps that ratio.
    const c = typeof ceilings === 'function' ? ceilings(r) : ceilings[r.family];
    if (c && r.ratio_vs.ceiling === undefined) r.ratio_vs.ceiling = r.gops / c;
  }
}

/** Ratio columns in this order first, any others after. */
const RATIO_ORDER = ['ceiling', 'ts-ref', 'ort-web', 'tfjs', BEST_WASM, 'ort-node'];

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

export function formatTable(rows: Row[]): string {
  const keys = new Set(rows.flatMap((r) => Object.keys(r.ratio_vs)));
  const ratioKeys = [
    ...RATIO_ORDER.filter((k) => keys.has(k)),
    ...[...keys].filter((k) => !RATIO_ORDER.includes(k)),
  ];
  const notes = rows.some((r) => r.note || r.wrong);
  const head = ['family', 'shape', 'impl', 'ms', 'rate', 'unit', ...ratioKeys.map((k) => `×${k}`)];
  if (notes) head.push('note');
  const body = rows.map((r) => {
    const cells = [
      r.family,
      r.shape,
      r.impl,
      (r.median_s * 1000).toPrecision(4),
      r.gops.toFixed(r.gops < 10 ? 2 : 1),
      r.unit,
      ...ratioKeys.map((k) => (r.ratio_vs[k] === undefined ? '' : r.ratio_vs[k].toFixed(2))),
    ];
    if (notes) cells.push(r.wrong ? `WRONG: ${r.wrong}` : (r.note ?? ''));
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const last = head.length - 1;
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (notes && i === last ? c : pad(c, widths[i], i >= 3)))
      .join('  ')
      .trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  let lastFamily = '';
  for (const b of body) {
    if (lastFamily && b[0] !== lastFamily) out.push('');
    lastFamily = b[0];
    out.push(line(b));
  }
  return out.join('\n');
}

export function geomean(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}
