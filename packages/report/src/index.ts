export { attentionSvg, inferno, overlayRgb, upsampleNormalized } from './attention.js';
export {
  accuracyEnergySpec,
  classIouSpec,
  comparedRows,
  gatesSpec,
  orderedRows,
  ROLE_COLOURS,
  vegaLiteToSvg,
} from './charts.js';
export {
  ACCEPTANCE_CLAIMS,
  type ClaimId,
  type ClaimResult,
  computeClaims,
  PAPER_CLAIMS,
  PAPER_TABLE,
  type PaperClaims,
  summarizeClaims,
} from './claims.js';
export { stringifyReportJson } from './json.js';
export { type PlotLink, renderMarkdown } from './markdown.js';
export { FONT_FAMILY, type Raster, svgToPng } from './raster.js';
export {
  type PlotName,
  type RenderedPlot,
  type RenderedReport,
  type RenderOptions,
  renderReport,
} from './render.js';
export {
  type AttentionMap,
  type AttentionSample,
  DEFAULT_THIN_CLASSES,
  findRow,
  type GateHistory,
  type Precision,
  REPORT_FORMAT,
  type ReportData,
  type ReportRow,
  type RowRole,
  readReport,
  rowLabel,
  thinClassesOf,
  validateReport,
} from './reportData.js';
