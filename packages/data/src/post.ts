// post.ts — what turns a clean render into a camera frame: aerial perspective (haze grows with depth), the
// ego vehicle's bonnet at the bottom (labelled "ego vehicle", ignored), exposure, white balance, saturation
// and gamma, optical blur, sensor noise, and an out-of-roi border (ignored), as in Cityscapes frames.
// Every knob is drawn per image, so the same material shows in many colours across the data set.
import type { Canvas } from './canvas.js';
import { ID } from './labels.js';
import { pickRgb, VEHICLE } from './palette.js';
import type { Rng } from './rng.js';
import type { Scene } from './sceneLayout.js';
import { GAUSS_TABLE } from './textures.js';

export function applyHaze(c: Canvas, rng: Rng): void {
  const dist = rng.uniform(150, 900);
  const fog = [0.72 + rng.uniform(-0.05, 0.05), 0.76, 0.8 + rng.uniform(-0.05, 0.05)];
  for (let i = 0; i < c.label.length; i++) {
    if (c.label[i] === ID.sky) continue;
    const d = c.depth[i];
    const a = d / (d + dist); // ≈ 1 − exp(−d/dist) for haze; cheaper than exp per pixel
    c.r[i] += (fog[0] - c.r[i]) * a;
    c.g[i] += (fog[1] - c.g[i]) * a;
    c.b[i] += (fog[2] - c.b[i]) * a;
  }
}

/** The bonnet: a curved band at the bottom reflecting a blurred, darkened copy of the scene above it. */
export function paintEgoHood(c: Canvas, s: Scene, rng: Rng): void {
  if (rng.chance(0.1)) return;
  const { w, h } = c;
  const hh = h * rng.uniform(0.06, 0.14);
  const paint = pickRgb(VEHICLE, rng.float(), rng.float(), 0.1);
  const cx = s.cam.cx;
  for (let x = 0; x < w; x++) {
    const t = (x + 0.5 - cx) / (w / 2);
    const top = h - hh * (1 - 0.55 * t * t);
    for (let y = Math.max(0, Math.ceil(top - 0.5)); y < h; y++) {
      const i = y * w + x;
      const my = Math.max(0, Math.floor(2 * top - y - 1)); // mirrored row above the hood line
      const j = my * w + x;
      const k = 0.35 + 0.25 * ((y - top) / hh);
      const refl = 0.3 * (1 - (y - top) / hh);
      c.r[i] = paint[0] * k + c.r[j] * refl;
      c.g[i] = paint[1] * k + c.g[j] * refl;
      c.b[i] = paint[2] * k + c.b[j] * refl;
      c.label[i] = ID.egoVehicle;
    }
  }
}

let blurTmp = new Float32Array(0);

/** Separable 3-tap blur [a, 1 − 2a, a] applied `passes` times on each plane. */
function blur(c: Canvas, a: number, passes: number): void {
  const { w, h } = c;
  if (blurTmp.length !== w * h) blurTmp = new Float32Array(w * h);
  const tmp = blurTmp;
  const m = 1 - 2 * a;
  for (const plane of [c.r, c.g, c.b]) {
    for (let p = 0; p < passes; p++) {
      for (let y = 0; y < h; y++) {
        const row = y * w;
        tmp[row] = plane[row] * (m + a) + plane[row + 1] * a;
        for (let x = 1; x < w - 1; x++)
          tmp[row + x] = plane[row + x - 1] * a + plane[row + x] * m + plane[row + x + 1] * a;
        tmp[row + w - 1] = plane[row + w - 1] * (m + a) + plane[row + w - 2] * a;
      }
      for (let x = 0; x < w; x++) {
        plane[x] = tmp[x] * (m + a) + tmp[x + w] * a;
        plane[(h - 1) * w + x] = tmp[(h - 1) * w + x] * (m + a) + tmp[(h - 2) * w + x] * a;
      }
      for (let y = 1; y < h - 1; y++) {
        const row = y * w;
        for (let x = 0; x < w; x++)
          plane[row + x] = tmp[row - w + x] * a + tmp[row + x] * m + tmp[row + w + x] * a;
      }
    }
  }
}

/**
 * Camera response and sensor: exposure, white balance, saturation, gamma, vignetting, blur, noise; then
 * quantization to interleaved 8-bit RGB.
 */
export function develop(c: Canvas, rng: Rng): Uint8Array {
  const { w, h } = c;
  const n = w * h;
  const blurPick = rng.float();
  if (blurPick > 0.35) blur(c, rng.uniform(0.12, 0.25), blurPick > 0.8 ? 2 : 1);
  const exposure = Math.exp(rng.uniform(-0.45, 0.3));
  const wb = [1 + rng.normal() * 0.07, 1 + rng.normal() * 0.03, 1 + rng.normal() * 0.07];
  const sat = rng.uniform(0.65, 1.25);
  const gamma = rng.uniform(0.85, 1.15);
  const vig = rng.uniform(0, 0.35);
  const sigma = rng.uniform(1.5, 7) / 255;
  const chroma = rng.uniform(0.2, 0.6);
  const tint = rng.chance(0.3)
    ? [rng.uniform(-0.04, 0.04), rng.uniform(-0.03, 0.03), rng.uniform(-0.04, 0.04)]
    : [0, 0, 0];
  let state = (rng.u32() | 1) >>> 0;
  const out = new Uint8Array(n * 3);
  const lut = new Uint8Array(4096); // gamma curve over [0, 1] in 4096 steps
  for (let k = 0; k < 4096; k++) lut[k] = Math.round(255 * Math.min(1, (k / 4095) ** gamma));
  const cx = w / 2;
  const cy = h / 2;
  const rr = 1 / (cx * cx + cy * cy);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const dx = x - cx;
      const dy = y - cy;
      const v = exposure * (1 - vig * (dx * dx + dy * dy) * rr);
      let r = c.r[i] * wb[0] * v + tint[0];
      let g = c.g[i] * wb[1] * v + tint[1];
      let b = c.b[i] * wb[2] * v + tint[2];
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      r = l + (r - l) * sat;
      g = l + (g - l) * sat;
      b = l + (b - l) * sat;
      // xorshift32 indexes a table of Gaussian deviates: luminance noise + weaker per-channel noise.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const nl = GAUSS_TABLE[state & 4095] * sigma;
      const nr = GAUSS_TABLE[(state >>> 12) & 4095] * sigma * chroma;
      const nb = GAUSS_TABLE[(state >>> 20) & 4095] * sigma * chroma;
      out[i * 3] = lut[q(r + nl + nr)];
      out[i * 3 + 1] = lut[q(g + nl)];
      out[i * 3 + 2] = lut[q(b + nl + nb)];
    }
  }
  return out;
}

function q(x: number): number {
  return x <= 0 ? 0 : x >= 1 ? 4095 : (x * 4095 + 0.5) | 0;
}

/** Cityscapes frames carry an unlabelled rim; mark a thin out-of-roi border (image pixels unchanged). */
export function markBorder(c: Canvas, width: number): void {
  const { w, h } = c;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x < width || y < width || x >= w - width || y >= h - width) {
        const i = y * w + x;
        if (c.label[i] !== ID.egoVehicle) c.label[i] = ID.outOfRoi;
      }
    }
  }
}
