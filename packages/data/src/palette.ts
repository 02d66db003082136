// palette.ts — SynthCity's material colours (sRGB in [0, 1]). Classes deliberately share colours (grey cars,
// grey walls, grey poles, grey sidewalks; green fences and green vegetation; red signs, red cars, red
// jackets) so that colour alone cannot decide the class.
export type Rgb = readonly [number, number, number];

export const ASPHALT: readonly Rgb[] = [
  [0.3, 0.3, 0.32],
  [0.36, 0.35, 0.36],
  [0.24, 0.24, 0.26],
  [0.42, 0.41, 0.43],
  [0.33, 0.31, 0.3],
];
export const PAVING: readonly Rgb[] = [
  [0.55, 0.54, 0.53],
  [0.62, 0.58, 0.55],
  [0.58, 0.45, 0.42],
  [0.46, 0.46, 0.47],
  [0.68, 0.64, 0.56],
  [0.4, 0.38, 0.4],
];
export const TERRAIN: readonly Rgb[] = [
  [0.36, 0.46, 0.2],
  [0.45, 0.5, 0.27],
  [0.5, 0.45, 0.3],
  [0.42, 0.38, 0.28],
  [0.3, 0.42, 0.18],
];
export const FOLIAGE: readonly Rgb[] = [
  [0.2, 0.32, 0.1],
  [0.26, 0.36, 0.12],
  [0.16, 0.26, 0.12],
  [0.34, 0.38, 0.16],
  [0.45, 0.38, 0.14],
];
export const FACADE: readonly Rgb[] = [
  [0.78, 0.72, 0.6],
  [0.86, 0.85, 0.82],
  [0.55, 0.55, 0.56],
  [0.55, 0.32, 0.24],
  [0.8, 0.7, 0.45],
  [0.62, 0.7, 0.72],
  [0.66, 0.74, 0.62],
  [0.42, 0.4, 0.4],
  [0.7, 0.55, 0.5],
  [0.35, 0.32, 0.36],
];
export const WALL: readonly Rgb[] = [
  [0.6, 0.6, 0.58],
  [0.7, 0.68, 0.64],
  [0.5, 0.32, 0.26],
  [0.45, 0.45, 0.46],
  [0.74, 0.7, 0.58],
];
export const FENCE: readonly Rgb[] = [
  [0.2, 0.22, 0.2],
  [0.55, 0.56, 0.58],
  [0.18, 0.3, 0.2],
  [0.45, 0.33, 0.22],
  [0.7, 0.7, 0.7],
];
export const POLE: readonly Rgb[] = [
  [0.5, 0.5, 0.52],
  [0.35, 0.36, 0.38],
  [0.2, 0.26, 0.22],
  [0.62, 0.62, 0.6],
  [0.16, 0.16, 0.17],
];
export const VEHICLE: readonly Rgb[] = [
  [0.85, 0.85, 0.86],
  [0.08, 0.08, 0.09],
  [0.6, 0.61, 0.63],
  [0.38, 0.39, 0.41],
  [0.12, 0.2, 0.45],
  [0.6, 0.08, 0.08],
  [0.15, 0.25, 0.17],
  [0.7, 0.65, 0.52],
  [0.25, 0.45, 0.7],
  [0.85, 0.75, 0.15],
];
export const BUS: readonly Rgb[] = [
  [0.9, 0.78, 0.1],
  [0.88, 0.88, 0.86],
  [0.75, 0.12, 0.1],
  [0.15, 0.3, 0.6],
  [0.2, 0.5, 0.3],
];
export const CLOTHES: readonly Rgb[] = [
  [0.1, 0.1, 0.12],
  [0.2, 0.25, 0.45],
  [0.6, 0.1, 0.12],
  [0.8, 0.8, 0.78],
  [0.4, 0.38, 0.32],
  [0.25, 0.3, 0.22],
  [0.55, 0.45, 0.3],
  [0.3, 0.3, 0.32],
  [0.75, 0.55, 0.2],
];
export const SKIN: readonly Rgb[] = [
  [0.92, 0.75, 0.62],
  [0.8, 0.6, 0.45],
  [0.6, 0.42, 0.3],
  [0.4, 0.28, 0.2],
];

/** Picks from a palette by a uniform u in [0, 1) and jitters it by ±j (uniform v in [0, 1) per call). */
export function pickRgb(list: readonly Rgb[], u: number, v = 0.5, j = 0.06): [number, number, number] {
  const c = list[Math.min(list.length - 1, Math.floor(u * list.length))];
  const k = 1 + (v - 0.5) * 2 * j * 2;
  return [c[0] * k, c[1] * k, c[2] * k];
}
