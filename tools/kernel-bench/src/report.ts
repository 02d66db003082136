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
}

/** Fill ratio_vs of every "ours" row against the peers measured on the same shape. */
export function addRatios(
  rows: Row[],
  ours: (r: Row) => boolean,
  peers: string[],
  ceilings: Record<string, number>,
) {
  for (const r of rows) {
    if (!ours(r)) continue;
    for (const p of peers) {
      const peer = rows.find((q) => q.family === r.family && q.shape === r.shape && q.impl === p);
      if (peer && peer.gops > 0) r.ratio_vs[p] = r.gops / peer.gops;
    }
    const c = ceilings[r.family];
    if (c) r.ratio_vs.ceiling = r.gops / c;
  }
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

export function formatTable(rows: Row[]): string {
  const ratioKeys = [...new Set(rows.flatMap((r) => Object.keys(r.ratio_vs)))];
  const head = ['family', 'shape', 'impl', 'ms', 'rate', 'unit', ...ratioKeys.map((k) => `×${k}`)];
  const body = rows.map((r) => [
    r.family,
    r.shape,
    r.impl,
    (r.median_s * 1000).toPrecision(4),
    r.gops.toFixed(r.gops < 10 ? 2 : 1),
    r.unit,
    ...ratioKeys.map((k) => (r.ratio_vs[k] === undefined ? '' : r.ratio_vs[k].toFixed(2))),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], i >= 3)).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  let last = '';
  for (const b of body) {
    const group = `${b[0]}|${b[1]}`;
    if (last && group.split('|')[0] !== last.split('|')[0]) out.push('');
    last = group;
    out.push(line(b));
  }
  return out.join('\n');
}

export function geomean(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}
