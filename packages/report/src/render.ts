// render.ts — renderReport: checks the data, computes the claims, draws the plots (SVG + PNG each) and writes
// report.json and report.md into outDir. Every file is written atomically (temp file + rename), plots first
// and report.md last, so a report.md on disk never links to a plot that is not there.
import { join } from 'node:path';
import { writeFileAtomic } from '@edgeseg/data';
import { attentionSvg } from './attention.js';
import { accuracyEnergySpec, classIouSpec, gatesSpec, vegaLiteToSvg } from './charts.js';
import { type ClaimResult, computeClaims, type PaperClaims } from './claims.js';
import { stringifyReportJson } from './json.js';
import { type PlotLink, renderMarkdown } from './markdown.js';
import { svgToPng } from './raster.js';
import { REPORT_FORMAT, type ReportData, validateReport } from './reportData.js';

export type PlotName = 'accuracy-energy' | 'class-iou' | 'gates' | 'attention';

export interface RenderOptions {
  /** Thresholds of the claims (default: `ACCEPTANCE_CLAIMS`, the paper's claims as the project's acceptance bars). */
  claims?: Partial<PaperClaims>;
  /** PNG pixels per SVG pixel (default 2). */
  pngScale?: number;
}

export interface RenderedPlot {
  name: PlotName;
  title: string;
  /** Absolute paths. */
  svg: string;
  png: string;
  /** PNG size in pixels. */
  width: number;
  height: number;
}

export interface RenderedReport {
  dir: string;
  reportMd: string;
  reportJson: string;
  plots: RenderedPlot[];
  /** Plots not drawn and why (no energy figures, no gate history, no attention maps). */
  skipped: { name: PlotName; title: string; why: string }[];
  claims: ClaimResult[];
}

const TITLES: Record<PlotName, string> = {
  'accuracy-energy': 'Accuracy vs energy',
  'class-iou': 'IoU per class',
  gates: 'DSP gate values per layer',
  attention: 'Attention before and after compression',
};

/** Writes report.json, report.md and the plots (SVG + PNG) for `report` into `outDir` (created if needed). */
export async function renderReport(
  report: ReportData,
  outDir: string,
  options: RenderOptions = {},
): Promise<RenderedReport> {
  const data = validateReport(report, 'renderReport');
  const scale = options.pngScale ?? 2;
  if (!(scale > 0 && scale <= 8)) {
    throw new Error(`renderReport: pngScale out of range. Expected a number in (0, 8], got ${scale}.`);
  }
  const claims = computeClaims(data, options.claims);
  const plots: RenderedPlot[] = [];
  const skipped: RenderedReport['skipped'] = [];
  const links: PlotLink[] = [];

  const emit = async (name: PlotName, svg: string | null, caption: string, why: string) => {
    if (svg === null) {
      skipped.push({ name, title: TITLES[name], why });
      return;
    }
    const raster = await svgToPng(svg, scale);
    const svgPath = join(outDir, `${name}.svg`);
    const pngPath = join(outDir, `${name}.png`);
    await writeFileAtomic(svgPath, svg);
    await writeFileAtomic(pngPath, raster.png);
    plots.push({
      name,
      title: TITLES[name],
      svg: svgPath,
      png: pngPath,
      width: raster.width,
      height: raster.height,
    });
    links.push({ title: TITLES[name], svg: `${name}.svg`, png: `${name}.png`, caption });
  };

  const ae = accuracyEnergySpec(data);
  await emit(
    'accuracy-energy',
    ae ? await vegaLiteToSvg(ae) : null,
    'mIoU against energy per frame, one labelled point per model (colour: role, shape: precision); the dashed line follows the pipeline from the teacher to the compressed student. Up and to the left is better.',
    'no row has an energy figure',
  );
  await emit(
    'class-iou',
    await vegaLiteToSvg(classIouSpec(data)),
    'IoU of each class for the teacher, the compressed student and the CNN baseline; thin classes are shaded and their names bold.',
    '',
  );
  const g = gatesSpec(data);
  await emit(
    'gates',
    g ? await vegaLiteToSvg(g) : null,
    'Deterministic gate value P(open) of every gated unit (rows, grouped by layer) at each recorded DSP step (columns); grey cells were excised.',
    'no gate history in this run',
  );
  const att = attentionSvg(data);
  await emit(
    'attention',
    att ? att.svg : null,
    'For each validation image: the input, then the attention maps of the teacher and of the compressed student overlaid on it (each map min–max normalized).',
    'no attention maps in this run',
  );

  const reportJson = join(outDir, 'report.json');
  const derived = {
    claims,
    plots: Object.fromEntries(
      plots.map((p) => [
        p.name,
        { svg: `${p.name}.svg`, png: `${p.name}.png`, width: p.width, height: p.height },
      ]),
    ),
    skipped: skipped.map(({ name, why }) => ({ name, why })),
  };
  await writeFileAtomic(reportJson, stringifyReportJson({ format: REPORT_FORMAT, ...data, derived }));
  const reportMd = join(outDir, 'report.md');
  await writeFileAtomic(
    reportMd,
    renderMarkdown(
      data,
      claims,
      links,
      skipped.map((s) => ({ title: s.title, why: s.why })),
    ),
  );
  return { dir: outDir, reportMd, reportJson, plots, skipped, claims };
}
