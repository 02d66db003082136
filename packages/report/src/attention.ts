// attention.ts — attention heat maps before and after compression, drawn by hand: each map is upsampled
// (bilinear, half-pixel centres) to its image, min–max normalized, coloured with inferno and blended over a
// grey copy of the image; each panel is a PNG (encodePng from @edgeseg/data) embedded in one SVG as a data
// URL, with titles, the query pixel and a colour bar as SVG elements. The PNG is the SVG rasterized.
import { encodePng } from '@edgeseg/data';
import { orderedRows } from './charts.js';
import { FONT_FAMILY } from './raster.js';
import { type AttentionMap, type AttentionSample, type ReportData, rowLabel } from './reportData.js';

/** Inferno (matplotlib / d3) at 0, 0.1, …, 1. */
const INFERNO = [
  [0, 0, 4],
  [22, 11, 57],
  [66, 10, 104],
  [106, 23, 110],
  [147, 38, 103],
  [188, 55, 84],
  [221, 81, 58],
  [243, 120, 25],
  [252, 165, 10],
  [246, 215, 70],
  [252, 255, 164],
];

/** Inferno colour of t in [0, 1]. */
export function inferno(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (INFERNO.length - 1);
  const i = Math.min(INFERNO.length - 2, Math.floor(x));
  const f = x - i;
  const a = INFERNO[i];
  const b = INFERNO[i + 1];
  return [
    Math.round(a[0] + f * (b[0] - a[0])),
    Math.round(a[1] + f * (b[1] - a[1])),
    Math.round(a[2] + f * (b[2] - a[2])),
  ];
}

/** Bilinear resize of a row-major map (half-pixel centres, edges clamped), then min–max normalization. */
export function upsampleNormalized(
  values: ArrayLike<number>,
  h: number,
  w: number,
  outH: number,
  outW: number,
): Float32Array {
  const out = new Float32Array(outH * outW);
  const sy = h / outH;
  const sx = w / outW;
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < outW; x++) {
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const wx = fx - x0;
      const top = values[y0 * w + x0] * (1 - wx) + values[y0 * w + x1] * wx;
      const bot = values[y1 * w + x0] * (1 - wx) + values[y1 * w + x1] * wx;
      out[y * outW + x] = top * (1 - wy) + bot * wy;
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of out) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  for (let i = 0; i < out.length; i++) out[i] = span > 0 ? (out[i] - lo) / span : 0;
  return out;
}

/** The heat map of `map` over `image` (RGB, image size): 35 % grey image + 65 % inferno. */
export function overlayRgb(image: AttentionSample['image'], map: AttentionMap): Uint8Array {
  const { width, height, rgb } = image;
  const heat = upsampleNormalized(map.values, map.height, map.width, height, width);
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const grey = 0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2];
    const c = inferno(heat[i]);
    out[i * 3] = Math.round(0.35 * grey + 0.65 * c[0]);
    out[i * 3 + 1] = Math.round(0.35 * grey + 0.65 * c[1]);
    out[i * 3 + 2] = Math.round(0.35 * grey + 0.65 * c[2]);
  }
  return out;
}

function pngDataUrl(width: number, height: number, rgb: ArrayLike<number>): string {
  const data = rgb instanceof Uint8Array ? rgb : Uint8Array.from(rgb);
  return `data:image/png;base64,${Buffer.from(encodePng({ width, height, channels: 3, data }, 6)).toString('base64')}`;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Longest side of a panel in the SVG, px. */
const CELL = 240;
const GAP = 12;
const PAD = 14;
const TITLE_H = 22;

/**
 * (4) One row per sample: the input image, then each map (teacher first, then intermediate stages, the
 * student, the CNN; by stage within a model) overlaid on the image. Returns null when there is nothing to draw.
 */
export function attentionSvg(report: ReportData): { svg: string; width: number; height: number } | null {
  const samples = report.attention ?? [];
  if (samples.length === 0) return null;
  const order = orderedRows(report);
  const rank = (model: string) => {
    const i = order.findIndex((r) => r.model === model || rowLabel(r) === model);
    return i < 0 ? order.length : i;
  };
  const title = (model: string) => {
    const r = order.find((x) => x.model === model || rowLabel(x) === model);
    return r ? rowLabel(r) : model;
  };
  const cols = Math.max(...samples.map((s) => 1 + s.maps.length));
  const cellSize = (s: AttentionSample) => {
    const k = CELL / Math.max(s.image.width, s.image.height);
    return [Math.round(s.image.width * k), Math.round(s.image.height * k)] as const;
  };
  const colW = Math.max(...samples.map((s) => cellSize(s)[0]));
  const width = PAD * 2 + cols * colW + (cols - 1) * GAP;
  const parts: string[] = [];
  let y = PAD;
  parts.push(text(PAD, y + 16, 'Attention before and after compression', 16, 'bold'));
  y += 24;
  const kinds = new Set(samples.flatMap((s) => s.maps.map((m) => m.kind ?? 'received')));
  const what = [
    kinds.has('query') ? 'attention of the marked query pixel (mean over heads)' : null,
    kinds.has('received') ? 'mean attention received per key position' : null,
  ].filter(Boolean);
  parts.push(text(PAD, y + 12, clip(`${what.join('; ')}`, width - 2 * PAD, 11), 11, 'normal', '#555'));
  parts.push(
    text(
      PAD,
      y + 27,
      clip(
        `each map min–max normalized · network input ${report.resolution[0]}×${report.resolution[1]}`,
        width - 2 * PAD,
        11,
      ),
      11,
      'normal',
      '#555',
    ),
  );
  y += 38;
  for (const [si, s] of samples.entries()) {
    const [cw, ch] = cellSize(s);
    const maps = [...s.maps].sort((a, b) => rank(a.model) - rank(b.model) || a.stage - b.stage);
    const panels: { label: string; href: string; query: boolean }[] = [
      {
        label: s.name ? `${s.name} — input` : `image ${si + 1} — input`,
        href: pngDataUrl(s.image.width, s.image.height, s.image.rgb),
        query: s.query !== undefined,
      },
      ...maps.map((m) => ({
        label: `${title(m.model)} · stage ${m.stage}`,
        href: pngDataUrl(s.image.width, s.image.height, overlayRgb(s.image, m)),
        query: s.query !== undefined && (m.kind ?? 'received') === 'query',
      })),
    ];
    panels.forEach((p, c) => {
      const x = PAD + c * (colW + GAP);
      parts.push(text(x, y + 15, clip(p.label, colW), 12, 'normal'));
      const top = y + TITLE_H;
      parts.push(
        `<image x="${x}" y="${top}" width="${cw}" height="${ch}" preserveAspectRatio="none" xlink:href="${p.href}"/>`,
      );
      parts.push(
        `<rect x="${x}" y="${top}" width="${cw}" height="${ch}" fill="none" stroke="#888" stroke-width="0.5"/>`,
      );
      if (p.query && s.query) {
        const qx = x + ((s.query.x + 0.5) * cw) / s.image.width;
        const qy = top + ((s.query.y + 0.5) * ch) / s.image.height;
        parts.push(
          `<circle cx="${qx.toFixed(1)}" cy="${qy.toFixed(1)}" r="5" fill="none" stroke="#ffffff" stroke-width="2"/>`,
        );
        parts.push(
          `<circle cx="${qx.toFixed(1)}" cy="${qy.toFixed(1)}" r="5" fill="none" stroke="#00e5ff" stroke-width="1"/>`,
        );
      }
    });
    y += TITLE_H + ch + GAP;
  }
  // Colour bar.
  const barW = 200;
  const stops = Array.from({ length: 11 }, (_, i) => {
    const [r, g, b] = inferno(i / 10);
    return `<stop offset="${i / 10}" stop-color="rgb(${r},${g},${b})"/>`;
  }).join('');
  y += 4;
  parts.push(
    `<defs><linearGradient id="inferno" x1="0" x2="1" y1="0" y2="0">${stops}</linearGradient></defs>`,
  );
  parts.push(text(PAD, y + 11, 'low', 11, 'normal'));
  parts.push(
    `<rect x="${PAD + 30}" y="${y}" width="${barW}" height="12" fill="url(#inferno)" stroke="#888" stroke-width="0.5"/>`,
  );
  parts.push(text(PAD + 36 + barW, y + 11, 'high attention', 11, 'normal'));
  if (kinds.has('query'))
    parts.push(text(PAD + 150 + barW, y + 11, 'circle: query pixel', 11, 'normal', '#555'));
  y += 12 + PAD;
  const height = Math.ceil(y);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}, sans-serif">` +
    `<rect width="${width}" height="${height}" fill="white"/>${parts.join('')}</svg>\n`;
  return { svg, width, height };
}

function text(
  x: number,
  y: number,
  s: string,
  size: number,
  weight: 'normal' | 'bold',
  fill = '#222',
): string {
  return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}">${escapeXml(s)}</text>`;
}

/** Cuts a label so it fits `width` px (DejaVu Sans averages ≈ 0.58 em per character). */
function clip(s: string, width: number, size = 12): string {
  const max = Math.floor(width / (0.58 * size));
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
