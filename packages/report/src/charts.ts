// charts.ts — the three data charts as Vega-Lite specs, compiled to Vega and drawn by Vega's headless
// SVG renderer (`renderer: 'none'` + toSVG: no DOM, no canvas; text widths are estimated, which only
// affects how much padding is left around labels).
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT_FAMILY } from './raster.js';
import { type ReportData, type ReportRow, type RowRole, rowLabel, thinClassesOf } from './reportData.js';

/** Colour of each row role in every chart. */
export const ROLE_COLOURS: Record<RowRole, string> = {
  teacher: '#4c78a8',
  student: '#e45756',
  cnn: '#54a24b',
  stage: '#9d9d9d',
};

const THIN_FILL = '#fff1b8';
const THIN_TEXT = '#b35c00';

const CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  title: { fontSize: 14, subtitleFontSize: 11, anchor: 'start' as const, subtitleColor: '#555' },
};

/** Compiles a Vega-Lite spec and renders it to an SVG string, headless. */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile(spec).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function res(report: ReportData): string {
  return `${report.resolution[0]}×${report.resolution[1]}`;
}

/** Rows in pipeline order: teacher, intermediate stages (as given), student, CNN. */
export function orderedRows(report: ReportData): ReportRow[] {
  const by = (role: RowRole) => report.rows.filter((r) => r.role === role);
  return [...by('teacher'), ...by('stage'), ...by('student'), ...by('cnn')];
}

/** (1) mIoU against energy per frame, one labelled point per row; the pipeline's path drawn as a line. */
export function accuracyEnergySpec(report: ReportData): TopLevelSpec | null {
  const rows = orderedRows(report).filter((r) => r.energyMj !== null && r.miou !== null);
  if (rows.length === 0) return null;
  const pipeline = rows.filter((r) => r.role !== 'cnn');
  const values = rows.map((r, i) => ({
    label: rowLabel(r),
    role: r.role,
    precision: r.precision,
    energy: r.energyMj,
    miou: 100 * (r.miou as number),
    order: i,
    pipeline: r.role !== 'cnn',
  }));
  const roles = (['teacher', 'stage', 'student', 'cnn'] as RowRole[]).filter((role) =>
    rows.some((r) => r.role === role),
  );
  // Room on the right for the labels, which start at their point.
  const maxE = Math.max(...rows.map((r) => r.energyMj as number));
  const x = {
    field: 'energy',
    type: 'quantitative' as const,
    title: 'energy per frame (mJ)',
    scale: { domain: [0, maxE > 0 ? maxE * 1.3 : 1], nice: true },
  };
  const y = {
    field: 'miou',
    type: 'quantitative' as const,
    title: 'mIoU (%)',
    scale: { zero: false, padding: 12 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Accuracy vs energy',
      subtitle: `one point per model · ${res(report)} · energy: ${report.energy.source} (${report.energy.profile})`,
    },
    width: 520,
    height: 340,
    config: CONFIG,
    data: { values },
    layer: [
      ...(pipeline.length > 1
        ? [
            {
              transform: [{ filter: 'datum.pipeline' }],
              mark: { type: 'line' as const, color: '#bbbbbb', strokeDash: [4, 3] },
              encoding: { x, y, order: { field: 'order', type: 'quantitative' as const } },
            },
          ]
        : []),
      {
        mark: { type: 'point' as const, filled: true, size: 110, opacity: 1 },
        encoding: {
          x,
          y,
          color: {
            field: 'role',
            type: 'nominal' as const,
            title: 'role',
            scale: { domain: roles, range: roles.map((r) => ROLE_COLOURS[r]) },
            legend: { orient: 'bottom' as const, direction: 'horizontal' as const },
          },
          shape: {
            field: 'precision',
            type: 'nominal' as const,
            title: 'precision',
            scale: { domain: ['fp32', 'int8'], range: ['circle', 'square'] },
            legend: { orient: 'bottom' as const, direction: 'horizontal' as const },
          },
        },
      },
      {
        mark: { type: 'text' as const, align: 'left' as const, dx: 9, dy: -7, fontSize: 11 },
        encoding: { x, y, text: { field: 'label', type: 'nominal' as const } },
      },
    ],
  } as TopLevelSpec;
}

/** The rows the per-class chart compares: teacher, student and CNN (whichever exist). */
export function comparedRows(report: ReportData): ReportRow[] {
  return (['teacher', 'student', 'cnn'] as const)
    .map((role) => report.rows.find((r) => r.role === role))
    .filter((r): r is ReportRow => r !== undefined);
}

/** (2) IoU per class, grouped bars for teacher / student / CNN; thin classes shaded and their names bold. */
export function classIouSpec(report: ReportData): TopLevelSpec {
  const rows = comparedRows(report);
  const thin = thinClassesOf(report);
  const labels = rows.map(rowLabel);
  const values: { cls: string; model: string; iou: number }[] = [];
  for (const c of report.classes) {
    for (const r of rows) {
      const v = r.classIou[c];
      if (v !== undefined && v !== null) values.push({ cls: c, model: rowLabel(r), iou: 100 * v });
    }
  }
  const isThin = `indexof(${JSON.stringify(thin)}, datum.value) >= 0`;
  const x = {
    field: 'cls',
    type: 'nominal' as const,
    title: null,
    sort: report.classes,
    scale: { domain: report.classes, paddingInner: 0.25 },
    axis: {
      labelAngle: -40,
      labelFontWeight: { condition: { test: isThin, value: 'bold' }, value: 'normal' },
      labelColor: { condition: { test: isThin, value: THIN_TEXT }, value: '#333333' },
    },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'IoU per class',
      subtitle: thin.length
        ? `shaded, bold: thin classes (${thin.join(', ')}) · ${res(report)}`
        : `${res(report)}`,
    },
    width: report.classes.length * (14 * Math.max(2, rows.length) + 12),
    height: 280,
    config: CONFIG,
    layer: [
      {
        data: { values: thin.map((cls) => ({ cls })) },
        mark: { type: 'rect' as const, color: THIN_FILL },
        encoding: { x, y: { datum: 0, type: 'quantitative' as const }, y2: { datum: 100 } },
      },
      {
        data: { values },
        mark: { type: 'bar' as const },
        encoding: {
          x,
          xOffset: { field: 'model', type: 'nominal' as const, scale: { domain: labels } },
          y: {
            field: 'iou',
            type: 'quantitative' as const,
            title: 'IoU (%)',
            scale: { domain: [0, 100] },
            stack: null,
          },
          color: {
            field: 'model',
            type: 'nominal' as const,
            title: null,
            scale: { domain: labels, range: rows.map((r) => ROLE_COLOURS[r.role]) },
            legend: { orient: 'top' as const, direction: 'horizontal' as const },
          },
          tooltip: [
            { field: 'model', type: 'nominal' as const },
            { field: 'cls', type: 'nominal' as const },
            { field: 'iou', type: 'quantitative' as const, format: '.1f' },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}

/**
 * (3) Gate values per layer over training: a heat map, one row per gated unit (grouped by layer, the layer
 * named at its first unit), one column per recorded step; colour = deterministic gate value, grey = excised.
 */
export function gatesSpec(report: ReportData): TopLevelSpec | null {
  const g = report.gates;
  if (!g || g.steps.length === 0 || g.layers.length === 0) return null;
  const values: { key: string; step: number; value: number | null }[] = [];
  const keys: string[] = [];
  for (const layer of g.layers) {
    const units = Math.max(1, ...layer.values.map((v) => v.length));
    for (let u = 0; u < units; u++) {
      const key = u === 0 ? layer.name : `${layer.name} ·${u}`;
      keys.push(key);
      g.steps.forEach((step, s) => {
        const v = layer.values[s][u];
        values.push({ key, step, value: v === undefined ? null : v });
      });
    }
  }
  const step = Math.max(3, Math.min(14, Math.floor(900 / keys.length)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'DSP gate values per layer over training',
      subtitle: `deterministic P(open) of each gated unit · ${g.layers.length} layers, ${keys.length} units · grey: excised`,
    },
    width: { step: Math.max(10, Math.min(40, Math.floor(600 / g.steps.length))) },
    height: { step },
    config: { ...CONFIG, axis: { ...CONFIG.axis, labelFontSize: step >= 10 ? 10 : 8 } },
    data: { values },
    mark: { type: 'rect' as const, invalid: 'show' as const, stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: {
        field: 'step',
        type: 'ordinal' as const,
        title: 'training step',
        sort: g.steps,
        axis: { labelAngle: 0 },
      },
      y: {
        field: 'key',
        type: 'ordinal' as const,
        title: null,
        sort: keys,
        scale: { domain: keys },
        // Layer name at its first unit; the other units numbered "·u" when rows are tall enough to read.
        axis: {
          labelExpr:
            step >= 10
              ? "indexof(datum.value, ' ·') >= 0 ? substring(datum.value, indexof(datum.value, ' ·') + 1) : datum.value"
              : "indexof(datum.value, ' ·') >= 0 ? '' : datum.value",
          labelOverlap: 'greedy' as const,
          ticks: false,
        },
      },
      color: {
        condition: { test: 'datum.value === null', value: '#d9d9d9' },
        field: 'value',
        type: 'quantitative' as const,
        title: 'P(open)',
        scale: { domain: [0, 1], scheme: 'viridis' },
      },
    },
  } as TopLevelSpec;
}
