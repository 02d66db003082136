// canvas.ts — SynthCity's raster target and its few primitives. A canvas holds planar linear-ish RGB in
// [0, 1] (f32, so lighting and fog can be applied before quantization), the labelId of every pixel and a
// depth in metres (for aerial perspective). Primitives sample at pixel centres (x + 0.5, y + 0.5), so a
// label is exactly "which shape covers the pixel centre" — the same rule Cityscapes' polygon rasterizer
// follows closely enough at these scales.
import { noise2 } from './textures.js';

export interface Canvas {
  readonly w: number;
  readonly h: number;
  readonly r: Float32Array;
  readonly g: Float32Array;
  readonly b: Float32Array;
  readonly label: Uint8Array;
  readonly depth: Float32Array;
}

let pooled: Canvas | undefined;

/**
 * A canvas of this size, reused from the previous call when the size matches (rendering allocates nothing
 * per frame; callers copy out what they keep). Every pixel is repainted by the sky and ground passes.
 */
export function acquireCanvas(w: number, h: number): Canvas {
  if (!pooled || pooled.w !== w || pooled.h !== h) pooled = createCanvas(w, h);
  pooled.depth.fill(1e4);
  pooled.label.fill(0);
  return pooled;
}

export function createCanvas(w: number, h: number): Canvas {
  const n = w * h;
  return {
    w,
    h,
    r: new Float32Array(n),
    g: new Float32Array(n),
    b: new Float32Array(n),
    label: new Uint8Array(n),
    depth: new Float32Array(n).fill(1e4),
  };
}

/** A flat colour with optional fBm texture (amplitude `tex`, feature size `texScale` pixels). */
export interface Paint {
  r: number;
  g: number;
  b: number;
  label: number;
  tex?: number;
  texScale?: number;
  /** 0..1: how much of the colour replaces what is underneath (the label is always replaced). */
  alpha?: number;
  /** Vertical brightness gradient over the shape: multiplier goes from 1 + grad (top) to 1 − grad (bottom). */
  grad?: number;
}

export function rgbPaint(rgb: readonly number[], label: number, tex = 0, texScale = 4): Paint {
  return { r: rgb[0], g: rgb[1], b: rgb[2], label, tex, texScale };
}

/** Writes one pixel with a paint (no bounds check: callers clip). */
export function plot(
  c: Canvas,
  i: number,
  x: number,
  y: number,
  p: Paint,
  depth: number,
  shade: number,
): void {
  let k = shade;
  if (p.tex) {
    const s = 1 / (p.texScale ?? 4);
    k *= 1 + p.tex * (noise2(x * s, y * s) * 2 - 1);
  }
  const a = p.alpha ?? 1;
  if (a >= 1) {
    c.r[i] = p.r * k;
    c.g[i] = p.g * k;
    c.b[i] = p.b * k;
  } else {
    c.r[i] += (p.r * k - c.r[i]) * a;
    c.g[i] += (p.g * k - c.g[i]) * a;
    c.b[i] += (p.b * k - c.b[i]) * a;
  }
  c.label[i] = p.label;
  c.depth[i] = depth;
}

/**
 * Fills a polygon (flat array x0,y0,x1,y1,… in pixel units) by the even–odd rule at pixel centres.
 * Sub-pixel-wide polygons may cover no centre; thin objects use `fillColumnSpan` instead.
 */
export function fillPoly(c: Canvas, pts: readonly number[], p: Paint, depth: number): void {
  const n = pts.length >> 1;
  if (n < 3) return;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let k = 0; k < n; k++) {
    const y = pts[2 * k + 1];
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const y0 = Math.max(0, Math.ceil(minY - 0.5));
  const y1 = Math.min(c.h - 1, Math.floor(maxY - 0.5));
  const xs: number[] = [];
  const span = Math.max(1e-6, maxY - minY);
  for (let y = y0; y <= y1; y++) {
    const yc = y + 0.5;
    xs.length = 0;
    for (let k = 0, j = n - 1; k < n; j = k++) {
      const ay = pts[2 * j + 1];
      const by = pts[2 * k + 1];
      if (ay > yc !== by > yc) {
        const ax = pts[2 * j];
        const bx = pts[2 * k];
        xs.push(ax + ((yc - ay) * (bx - ax)) / (by - ay));
      }
    }
    xs.sort((a, b) => a - b);
    const shade = p.grad ? 1 + p.grad * (1 - (2 * (yc - minY)) / span) : 1;
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const xa = Math.max(0, Math.ceil(xs[k] - 0.5));
      const xb = Math.min(c.w - 1, Math.floor(xs[k + 1] - 0.5));
      let i = y * c.w + xa;
      for (let x = xa; x <= xb; x++, i++) plot(c, i, x, y, p, depth, shade);
    }
  }
}

/** Axis-aligned ellipse centred at (ex, ey) with radii rx, ry (pixels), at pixel centres. */
export function fillEllipse(
  c: Canvas,
  ex: number,
  ey: number,
  rx: number,
  ry: number,
  p: Paint,
  depth: number,
): void {
  if (rx <= 0 || ry <= 0) return;
  const y0 = Math.max(0, Math.ceil(ey - ry - 0.5));
  const y1 = Math.min(c.h - 1, Math.floor(ey + ry - 0.5));
  for (let y = y0; y <= y1; y++) {
    const dy = (y + 0.5 - ey) / ry;
    const half = rx * Math.sqrt(Math.max(0, 1 - dy * dy));
    const xa = Math.max(0, Math.ceil(ex - half - 0.5));
    const xb = Math.min(c.w - 1, Math.floor(ex + half - 0.5));
    const shade = p.grad ? 1 + p.grad * -dy : 1;
    let i = y * c.w + xa;
    for (let x = xa; x <= xb; x++, i++) plot(c, i, x, y, p, depth, shade);
  }
}

/** A thick line segment as a quad (width in pixels). */
export function strokeLine(
  c: Canvas,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  width: number,
  p: Paint,
  depth: number,
): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.hypot(dx, dy) || 1;
  const hw = Math.max(0.5, width / 2);
  const nx = (-dy / len) * hw;
  const ny = (dx / len) * hw;
  fillPoly(c, [x0 + nx, y0 + ny, x1 + nx, y1 + ny, x1 - nx, y1 - ny, x0 - nx, y0 - ny], p, depth);
}

/**
 * A vertical bar from row yTop to yBot (pixel units) between x0 and x1 — used for poles, which must stay
 * labelled even when thinner than a pixel: the label covers at least the column holding the bar's centre,
 * and the colour is blended by the fraction of that column the bar really covers.
 */
export function fillColumnSpan(
  c: Canvas,
  x0: number,
  x1: number,
  yTop: number,
  yBot: number,
  p: Paint,
  depth: number,
  shadeLeft = 1,
  shadeRight = 1,
): void {
  const width = x1 - x0;
  const ya = Math.max(0, Math.ceil(yTop - 0.5));
  const yb = Math.min(c.h - 1, Math.floor(yBot - 0.5));
  if (yb < ya) return;
  let xa = Math.ceil(x0 - 0.5);
  let xb = Math.floor(x1 - 0.5);
  let alpha = 1;
  if (xb < xa) {
    // Narrower than one pixel: the column under the centre, colour weighted by coverage.
    xa = xb = Math.floor((x0 + x1) / 2);
    alpha = Math.max(0.35, Math.min(1, width));
  }
  xa = Math.max(0, xa);
  xb = Math.min(c.w - 1, xb);
  const saved = p.alpha;
  p.alpha = alpha * (saved ?? 1);
  for (let x = xa; x <= xb; x++) {
    const t = xb > xa ? (x - xa) / (xb - xa) : 0.5;
    const shade = shadeLeft + (shadeRight - shadeLeft) * t;
    let i = ya * c.w + x;
    for (let y = ya; y <= yb; y++, i += c.w) plot(c, i, x, y, p, depth, shade);
  }
  p.alpha = saved;
}

/** An annulus (ring) between radii r0 < r1 around (ex, ey), pixels — bicycle tyres. */
export function fillRing(
  c: Canvas,
  ex: number,
  ey: number,
  r0: number,
  r1: number,
  p: Paint,
  depth: number,
): void {
  const y0 = Math.max(0, Math.ceil(ey - r1 - 0.5));
  const y1 = Math.min(c.h - 1, Math.floor(ey + r1 - 0.5));
  const x0 = Math.max(0, Math.ceil(ex - r1 - 0.5));
  const x1 = Math.min(c.w - 1, Math.floor(ex + r1 - 0.5));
  // Keep at least a one-pixel ring when the tyre is thinner than a pixel.
  const inner = Math.min(r0, r1 - 0.75);
  const in2 = inner * inner;
  const out2 = r1 * r1;
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - ey;
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - ex;
      const d2 = dx * dx + dy * dy;
      if (d2 <= out2 && d2 >= in2) plot(c, y * c.w + x, x, y, p, depth, 1);
    }
  }
}
