// report.ts — the plain-text report: machine line, one table of latencies, the ratios against
// their targets (met / not met), notes. --json prints the BenchResult object instead.
import type { BenchResult, Row } from './bench.js';

function table(head: string[], body: string[][], rightFrom: number): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= rightFrom ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function rowCells(r: Row): string[] {
  const l = r.latency;
  const threads = r.ranOn === r.threads ? String(r.threads) : `${r.threads}→${r.ranOn}`;
  return [
    r.impl,
    r.precision.toUpperCase(),
    r.size,
    threads,
    l.p50.toFixed(1),
    l.p90.toFixed(1),
    l.fps.toFixed(2),
    String(l.runs),
    r.cpu ? r.cpu.totalMs.toFixed(1) : '—',
    r.cpu?.maxThreadMs !== undefined ? r.cpu.maxThreadMs.toFixed(1) : '—',
  ];
}

export function formatReport(r: BenchResult): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(
    `${r.model.name} (${r.model.source === 'random' ? 'random weights' : r.model.source}, ${r.model.precision}) — ` +
      `${m.cpu}, ${m.cores} cores, load ${m.loadavg.join(' ')}; Node ${m.node}, kernels ${m.kernelsBuild}` +
      `${m.ortWeb ? `, onnxruntime-web ${m.ortWeb}` : ''}`,
    '',
  );
  const rows = r.rows
    .filter((x) => x.role !== 'scaling')
    .sort(
      (a, b) =>
        a.threads - b.threads ||
        a.size.localeCompare(b.size, 'en', { numeric: true }) ||
        a.impl.localeCompare(b.impl) ||
        a.precision.localeCompare(b.precision),
    );
  out.push(
    table(
      [
        'impl',
        'precision',
        'size',
        'threads',
        'p50 ms',
        'p90 ms',
        'FPS',
        'runs',
        'CPU ms',
        'busiest thread CPU ms',
      ],
      rows.map(rowCells),
      4,
    ),
    '',
  );
  out.push(
    table(
      ['ratio', 'size', 'threads', 'value', 'target', 'result', 'from'],
      r.ratios.map((q) => [
        q.name,
        q.size,
        String(q.threads),
        `${q.value.toFixed(2)}×`,
        q.target ?? '—',
        q.met === undefined ? 'info' : q.met ? 'met' : 'NOT MET',
        q.detail,
      ]),
      99,
    ),
  );
  out.push(
    '',
    'ours = loadModel().segment(): normalize, network, logits upsampled to the frame, argmax. ' +
      'ort-web = session.run() on the normalized NCHW tensor to 1/4-resolution logits (network only). ' +
      'CPU ms = CPU time per frame summed over its threads (means of the timed frames; worker clocks tick in 10 ms); ' +
      'threads-cpu = what the split would give with a free core per thread, from CPU time (an estimate, not a measurement).',
  );
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}
