// markdown.ts — report.md: the paper's table for this run, the full per-class table, claims vs measured
// and the plots.
import { orderedRows } from './charts.js';
import { type ClaimResult, fmtM, fmtSig, PAPER_TABLE, pct, summarizeClaims } from './claims.js';
import { type ReportData, rowLabel, thinClassesOf } from './reportData.js';

export interface PlotLink {
  title: string;
  /** File names relative to report.md. */
  svg: string;
  png: string;
  /** What the plot shows, one sentence. */
  caption: string;
}

const PAPER_ROLES = new Set(['teacher', 'student', 'cnn']);

/** Escapes text for a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function fmtG(macs: number): string {
  const g = macs / 1e9;
  return g !== 0 && Math.abs(g) < 0.1 ? g.toPrecision(3) : g.toFixed(2);
}

const orDash = (x: number | null, f: (x: number) => string) => (x === null ? '—' : f(x));
const iouCell = (x: number | null | undefined) => (x === undefined || x === null ? '—' : pct(x));

function table(header: string[], rows: string[][], align: ('l' | 'r')[]): string {
  const sep = align.map((a) => (a === 'r' ? '---:' : ':---'));
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function verdict(c: ClaimResult): string {
  if (c.holds === null) return 'not measured';
  return c.holds ? '**holds**' : '**does not hold**';
}

export function renderMarkdown(
  report: ReportData,
  claims: ClaimResult[],
  plots: PlotLink[],
  skipped: { title: string; why: string }[] = [],
): string {
  const rows = orderedRows(report);
  const thin = thinClassesOf(report);
  const [h, w] = report.resolution;
  const out: string[] = [];
  out.push(`# Compression report — ${report.run}`, '');
  const facts = [
    `Created ${report.created}.`,
    report.dataset
      ? `Evaluated on ${report.dataset.name} ${report.dataset.split}${report.dataset.images !== undefined ? ` (${report.dataset.images} images)` : ''}.`
      : null,
    `Input resolution ${h}×${w} (H×W); ${report.threads} thread${report.threads === 1 ? '' : 's'}; engine: ${report.engine}${report.device ? `; device: ${report.device}` : ''}.`,
    `Energy figures: ${report.energy.source} (profile \`${report.energy.profile}\`).`,
  ].filter(Boolean);
  out.push(facts.join(' '), '');

  out.push('## Results', '');
  const header = [
    'Model',
    'Stage',
    'Arch',
    'Precision',
    'Params (M)',
    'MACs (G)',
    'mIoU (%)',
    ...thin.map((c) => `**${c}** IoU (%)`),
    'Latency (ms)',
    'Energy (mJ/frame)',
    'Energy source',
  ];
  const body = rows.map((r) => {
    const label = PAPER_ROLES.has(r.role) ? `**${cell(rowLabel(r))}**` : cell(rowLabel(r));
    return [
      label,
      cell(r.stage),
      cell(r.arch || '—'),
      r.precision,
      fmtM(r.params),
      fmtG(r.macs),
      orDash(r.miou, pct),
      ...thin.map((c) => `**${iouCell(r.classIou[c])}**`),
      orDash(r.latencyMs, fmtSig),
      orDash(r.energyMj, fmtSig),
      cell(r.energySource),
    ];
  });
  out.push(
    table(header, body, ['l', 'l', 'l', 'l', 'r', 'r', 'r', ...thin.map(() => 'r' as const), 'r', 'r', 'l']),
  );
  out.push(
    '',
    `MACs, latency and energy per frame at ${h}×${w}; latency on ${report.threads} thread${report.threads === 1 ? '' : 's'} with ${report.engine}. ` +
      `Bold rows are the paper's three rows; bold columns are the thin classes. — = not measured.`,
  );
  const notes = rows.filter((r) => r.note);
  if (notes.length) {
    out.push('');
    for (const r of notes) out.push(`- ${rowLabel(r)}: ${r.note}`);
  }
  out.push('', "The paper's table (SegFormer-B5 teacher, Cityscapes, Jetson Orin Nano), for comparison:", '');
  out.push(
    table(
      ['Model', 'Params (M)', 'mIoU (%)', 'Latency (ms)', 'Energy (mJ/frame)'],
      PAPER_TABLE.map((p) => [
        p.label,
        p.paramsM.toFixed(1),
        p.miouPct.toFixed(1),
        String(p.latencyMs),
        String(p.energyMj),
      ]),
      ['l', 'r', 'r', 'r', 'r'],
    ),
  );

  out.push('', '## Per-class IoU (%)', '');
  out.push(
    table(
      ['Class', ...rows.map((r) => cell(rowLabel(r)))],
      report.classes.map((c) => {
        const t = thin.includes(c);
        return [
          t ? `**${cell(c)}** (thin)` : cell(c),
          ...rows.map((r) => (t ? `**${iouCell(r.classIou[c])}**` : iouCell(r.classIou[c]))),
        ];
      }),
      ['l', ...rows.map(() => 'r' as const)],
    ),
  );
  out.push(
    '',
    `mIoU over the classes present: ${rows
      .filter((r) => r.miou !== null)
      .map((r) => `${rowLabel(r)} ${pct(r.miou as number)} %`)
      .join(', ')}.`,
  );

  if (report.notes?.length) {
    out.push('', '## Notes', '');
    for (const n of report.notes) out.push(`- ${n}`);
  }

  out.push('', '## Claims vs measured', '');
  out.push(
    "The paper's absolute figures come from another model, data set and device, so each claim is checked as a ratio or a gap " +
      'between rows of this run (student against teacher, student against CNN). Values are compared at the precision shown, ' +
      "against the thresholds in the Claim column (by default edgeseg's acceptance bars: the paper's claims, with its " +
      '92.7 % parameter reduction and 5.57× speed-up rounded to 90 % and 5×, and thin classes held to 2 points, for which the paper gives no number).',
    '',
  );
  out.push(
    table(
      ['Claim', 'Paper', 'Measured', 'Verdict'],
      claims.map((c) => [cell(c.claim), cell(c.paper), cell(c.measured), verdict(c)]),
      ['l', 'l', 'l', 'l'],
    ),
  );
  out.push('', summarizeClaims(claims));
  const student = rows.find((r) => r.role === 'student');
  const teacher = rows.find((r) => r.role === 'teacher');
  if (student && teacher && student.energySource !== teacher.energySource) {
    out.push(
      '',
      `Note: the teacher's energy comes from ${teacher.energySource} and the student's from ${student.energySource}; the saving mixes sources.`,
    );
  }
  if ([teacher, student].some((r) => r?.energySource.startsWith('model'))) {
    out.push(
      '',
      `Energy marked \`model:…\` is modelled (MACs and memory traffic priced by the \`${report.energy.profile}\` profile, plus static power × latency), not measured with a sensor.`,
    );
  }

  out.push('', '## Plots', '');
  for (const p of plots) {
    out.push(
      `### ${p.title}`,
      '',
      p.caption,
      '',
      `![${p.title}](${p.png})`,
      '',
      `[SVG](${p.svg}) · [PNG](${p.png})`,
      '',
    );
  }
  for (const p of skipped) out.push(`- ${p.title}: not drawn — ${p.why}.`);
  return `${out.join('\n').trimEnd()}\n`;
}
