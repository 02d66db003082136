// augment.ts — the training-time transforms, mmsegmentation's Cityscapes pipeline in one pass: resize by a
// random ratio of a base size, random crop (re-drawn up to 10 times while one class fills more than
// `catMaxRatio` of it), pad to the crop size (image 0, label 255), horizontal flip, photometric jitter, then
// ImageNet normalization into planar NCHW floats. Resize and crop are fused: output pixel (y, x) is sampled
// straight from the source at the position the resized image would have had, so no full-size intermediate
// is ever allocated. Images are bilinear with half-pixel centres (PyTorch align_corners=false, no
// antialias); labels are nearest with half-pixel centres (PyTorch 'nearest-exact').
import { IGNORE_INDEX } from './labels.js';
import type { Rng } from './rng.js';

/** ImageNet mean / std in 0..255 RGB, as mmseg's Cityscapes configs use. */
export const IMAGENET_MEAN: readonly [number, number, number] = [123.675, 116.28, 103.53];
export const IMAGENET_STD: readonly [number, number, number] = [58.395, 57.12, 57.375];

/** Where a crop of the (virtually) resized frame comes from. */
export interface Window {
  /** Size of the resized frame. */
  scaledH: number;
  scaledW: number;
  /** Crop offset in the resized frame, and the crop (output) size. */
  offY: number;
  offX: number;
  outH: number;
  outW: number;
  flip: boolean;
}

/** Nearest-neighbour (half-pixel centres) label sampling of a window; outside the resized frame → 255. */
export function sampleLabel(
  src: Uint8Array,
  sw: number,
  sh: number,
  win: Window,
  out: Uint8Array,
  outOffset = 0,
): void {
  const ry = sh / win.scaledH;
  const rx = sw / win.scaledW;
  const xIdx = new Int32Array(win.outW);
  for (let x = 0; x < win.outW; x++) {
    const cx = win.flip ? win.outW - 1 - x : x;
    const gx = win.offX + cx;
    xIdx[x] = gx < win.scaledW ? Math.min(sw - 1, Math.floor((gx + 0.5) * rx)) : -1;
  }
  for (let y = 0; y < win.outH; y++) {
    const gy = win.offY + y;
    const o = outOffset + y * win.outW;
    if (gy >= win.scaledH) {
      out.fill(IGNORE_INDEX, o, o + win.outW);
      continue;
    }
    const row = Math.min(sh - 1, Math.floor((gy + 0.5) * ry)) * sw;
    for (let x = 0; x < win.outW; x++) out[o + x] = xIdx[x] < 0 ? IGNORE_INDEX : src[row + xIdx[x]];
  }
}

/**
 * Bilinear (half-pixel centres) sampling of interleaved RGB u8 into planar f32 0..255 (3 × outH × outW at
 * `out[outOffset…]`); outside the resized frame → `pad` (0, as mmseg pads images).
 */
export function sampleImage(
  src: Uint8Array,
  sw: number,
  sh: number,
  win: Window,
  out: Float32Array,
  outOffset = 0,
  pad = 0,
): void {
  const ry = sh / win.scaledH;
  const rx = sw / win.scaledW;
  const plane = win.outH * win.outW;
  const x0 = new Int32Array(win.outW);
  const x1 = new Int32Array(win.outW);
  const fx = new Float32Array(win.outW);
  for (let x = 0; x < win.outW; x++) {
    const gx = win.offX + (win.flip ? win.outW - 1 - x : x);
    if (gx >= win.scaledW) {
      x0[x] = -1;
      continue;
    }
    const s = Math.max(0, (gx + 0.5) * rx - 0.5);
    const i0 = Math.min(sw - 1, Math.floor(s));
    x0[x] = i0 * 3;
    x1[x] = Math.min(sw - 1, i0 + 1) * 3;
    fx[x] = s - i0;
  }
  for (let y = 0; y < win.outH; y++) {
    const gy = win.offY + y;
    const o = outOffset + y * win.outW;
    if (gy >= win.scaledH) {
      for (let c = 0; c < 3; c++) out.fill(pad, o + c * plane, o + c * plane + win.outW);
      continue;
    }
    const s = Math.max(0, (gy + 0.5) * ry - 0.5);
    const j0 = Math.min(sh - 1, Math.floor(s));
    const j1 = Math.min(sh - 1, j0 + 1);
    const fy = s - j0;
    const r0 = j0 * sw * 3;
    const r1 = j1 * sw * 3;
    for (let x = 0; x < win.outW; x++) {
      if (x0[x] < 0) {
        out[o + x] = out[o + plane + x] = out[o + 2 * plane + x] = pad;
        continue;
      }
      const a = fx[x];
      for (let c = 0; c < 3; c++) {
        const p00 = src[r0 + x0[x] + c];
        const p01 = src[r0 + x1[x] + c];
        const p10 = src[r1 + x0[x] + c];
        const p11 = src[r1 + x1[x] + c];
        const top = p00 + (p01 - p00) * a;
        const bot = p10 + (p11 - p10) * a;
        out[o + c * plane + x] = top + (bot - top) * fy;
      }
    }
  }
}

export interface CropChoice {
  scaledH: number;
  scaledW: number;
  offY: number;
  offX: number;
}

/**
 * mmseg RandomCrop with cat_max_ratio: up to 10 draws of the offset; a draw is kept when the crop holds more
 * than one class and no class exceeds `catMaxRatio` of its labelled pixels (the last draw is kept anyway).
 */
export function chooseCrop(
  labels: Uint8Array,
  sw: number,
  sh: number,
  scaledH: number,
  scaledW: number,
  cropH: number,
  cropW: number,
  catMaxRatio: number,
  rng: Rng,
  scratch: Uint8Array,
): CropChoice {
  const marginH = Math.max(scaledH - cropH, 0);
  const marginW = Math.max(scaledW - cropW, 0);
  let choice: CropChoice = { scaledH, scaledW, offY: 0, offX: 0 };
  const counts = new Int32Array(256);
  for (let t = 0; t < 10; t++) {
    choice = { scaledH, scaledW, offY: rng.int(0, marginH), offX: rng.int(0, marginW) };
    if (catMaxRatio >= 1) break;
    const win: Window = { ...choice, outH: cropH, outW: cropW, flip: false };
    sampleLabel(labels, sw, sh, win, scratch);
    counts.fill(0);
    for (let i = 0; i < cropH * cropW; i++) counts[scratch[i]]++;
    let classes = 0;
    let max = 0;
    let total = 0;
    for (let k = 0; k < 255; k++) {
      if (counts[k] === 0) continue;
      classes++;
      total += counts[k];
      if (counts[k] > max) max = counts[k];
    }
    if (classes > 1 && max / total < catMaxRatio) break;
  }
  return choice;
}

/**
 * Photometric distortion as one affine colour map (brightness ±32, contrast ×[0.5, 1.5], saturation ×[0.5, 1.5]
 * as a blend with luma, hue rotation ±18° in YIQ), each applied with probability 1/2 as in mmseg's
 * PhotoMetricDistortion (which works in HSV; a linear map keeps this one fused and cheap), clamped to 0..255,
 * then normalized by mean/std — all in place on a planar 3 × n block.
 */
export function photometricNormalize(
  img: Float32Array,
  offset: number,
  n: number,
  rng: Rng | null,
  mean: readonly number[],
  std: readonly number[],
): void {
  // M (3×3, row-major) and b such that rgb' = M·rgb + b.
  let M = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  let b = [0, 0, 0];
  if (rng) {
    if (rng.chance(0.5)) {
      const d = rng.uniform(-32, 32);
      b = b.map((x) => x + d);
    }
    if (rng.chance(0.5)) {
      const a = rng.uniform(0.5, 1.5);
      M = M.map((x) => x * a);
      b = b.map((x) => x * a);
    }
    if (rng.chance(0.5)) {
      const s = rng.uniform(0.5, 1.5);
      const lw = [0.299, 0.587, 0.114];
      const S = [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => (1 - s) * lw[c] + (r === c ? s : 0)));
      [M, b] = compose(S, [0, 0, 0], M, b);
    }
    if (rng.chance(0.5)) {
      const th = (rng.uniform(-18, 18) * Math.PI) / 180;
      const cos = Math.cos(th);
      const sin = Math.sin(th);
      // RGB→YIQ, rotate I/Q, YIQ→RGB.
      const T = [0.299, 0.587, 0.114, 0.596, -0.274, -0.322, 0.211, -0.523, 0.312];
      const Ti = [1, 0.956, 0.621, 1, -0.272, -0.647, 1, -1.106, 1.703];
      const R = [1, 0, 0, 0, cos, -sin, 0, sin, cos];
      const H = mul(Ti, mul(R, T));
      [M, b] = compose(H, [0, 0, 0], M, b);
    }
  }
  const p0 = offset;
  const p1 = offset + n;
  const p2 = offset + 2 * n;
  const identity =
    !rng || (M.every((x, i) => x === [1, 0, 0, 0, 1, 0, 0, 0, 1][i]) && b.every((x) => x === 0));
  const i0 = 1 / std[0];
  const i1 = 1 / std[1];
  const i2 = 1 / std[2];
  for (let i = 0; i < n; i++) {
    let r = img[p0 + i];
    let g = img[p1 + i];
    let bl = img[p2 + i];
    if (!identity) {
      const nr = M[0] * r + M[1] * g + M[2] * bl + b[0];
      const ng = M[3] * r + M[4] * g + M[5] * bl + b[1];
      const nb = M[6] * r + M[7] * g + M[8] * bl + b[2];
      r = nr < 0 ? 0 : Math.min(nr, 255);
      g = ng < 0 ? 0 : Math.min(ng, 255);
      bl = nb < 0 ? 0 : Math.min(nb, 255);
    }
    img[p0 + i] = (r - mean[0]) * i0;
    img[p1 + i] = (g - mean[1]) * i1;
    img[p2 + i] = (bl - mean[2]) * i2;
  }
}

function mul(A: number[], B: number[]): number[] {
  const C = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) C[r * 3 + c] += A[r * 3 + k] * B[k * 3 + c];
  return C;
}

/** (A, a) ∘ (M, b): x ↦ A·(M·x + b) + a. */
function compose(A: number[], a: number[], M: number[], b: number[]): [number[], number[]] {
  const AM = mul(A, M);
  const Ab = [0, 1, 2].map((r) => A[r * 3] * b[0] + A[r * 3 + 1] * b[1] + A[r * 3 + 2] * b[2] + a[r]);
  return [AM, Ab];
}
