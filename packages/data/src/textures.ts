// textures.ts — cheap procedural textures for SynthCity: value noise with smoothstep interpolation over a
// fixed 256×256 lattice (built once, from a constant seed, so every image's texture is a pure function of
// its own offsets), fractal sums of it, and a table of Gaussian deviates for sensor noise. Speed matters:
// these run per pixel, so there are no closures or allocations inside.
import { Rng } from './rng.js';

const N = 256;
const MASK = N - 1;
const LATTICE = (() => {
  const rng = new Rng(0x5eed_c17e);
  const t = new Float32Array(N * N);
  for (let i = 0; i < t.length; i++) t[i] = rng.float();
  return t;
})();

/** Value noise in [0, 1), period 256 in both directions; smooth at scale 1 lattice unit. */
export function noise2(x: number, y: number): number {
  const xf = Math.floor(x);
  const yf = Math.floor(y);
  let tx = x - xf;
  let ty = y - yf;
  tx = tx * tx * (3 - 2 * tx);
  ty = ty * ty * (3 - 2 * ty);
  const x0 = xf & MASK;
  const y0 = (yf & MASK) * N;
  const x1 = (xf + 1) & MASK;
  const y1 = ((yf + 1) & MASK) * N;
  const a = LATTICE[y0 + x0];
  const b = LATTICE[y0 + x1];
  const c = LATTICE[y1 + x0];
  const d = LATTICE[y1 + x1];
  const top = a + (b - a) * tx;
  const bot = c + (d - c) * tx;
  return top + (bot - top) * ty;
}

/** Fractal (fBm) value noise, `octaves` ≤ 4, normalized to [0, 1). */
export function fbm(x: number, y: number, octaves: number): number {
  let sum = 0;
  let amp = 0.5;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    sum += amp * noise2(x, y);
    norm += amp;
    x = x * 2.03 + 17.1;
    y = y * 2.03 + 5.7;
    amp *= 0.5;
  }
  return sum / norm;
}

/** A white-noise value in [0, 1) for an integer lattice point (hash of the lattice; for per-cell choices). */
export function cellRandom(ix: number, iy: number): number {
  return LATTICE[((iy * 31 + (ix >>> 8)) & MASK) * N + (ix & MASK)];
}

/** 4096 standard-normal deviates (for sensor noise: indexed by a fast integer hash, no Box–Muller per pixel). */
export const GAUSS_TABLE: Float32Array = (() => {
  const rng = new Rng(0x6a05_5eed);
  const t = new Float32Array(4096);
  for (let i = 0; i < t.length; i++) t[i] = rng.normal();
  return t;
})();
