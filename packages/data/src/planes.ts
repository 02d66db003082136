// planes.ts — rasterizing road-aligned vertical planes through the camera. A "side" plane X = Xs (a facade,
// a wall, a vehicle's flank) is drawn column by column: each screen column sees it at one depth
// Z = f·Xs / (x − cx), which gives the along-plane coordinate u = Z − z0 and, per row, the height
// v = camH − (y − horizon)·Z / f. A "front" plane Z = const (a gable end, a vehicle's rear) is a screen
// rectangle with u = X − x0. Shaders get (u, v) in metres, so textures (windows, bars, wheels) keep their
// physical size at every depth.
import type { Canvas } from './canvas.js';
import type { Camera } from './sceneLayout.js';

/** Writes pixel i for plane coordinates (u, v) in metres at depth z; `du` is metres per pixel along u. */
export type PlaneShader = (i: number, u: number, v: number, z: number, du: number) => void;

/**
 * Side plane X = xs between depths z0 < z1, from height vBot to vTop(u) (metres). vTop may vary along the
 * plane (tree canopies, roof lines).
 */
export function drawSidePlane(
  c: Canvas,
  cam: Camera,
  xs: number,
  z0: number,
  z1: number,
  vBot: number,
  vTop: number | ((u: number) => number),
  shade: PlaneShader,
): void {
  if (z1 <= 0.3 || xs === 0) return;
  z0 = Math.max(z0, 0.3);
  const xa = cam.cx + (cam.f * xs) / (xs > 0 ? z1 : z0);
  const xb = cam.cx + (cam.f * xs) / (xs > 0 ? z0 : z1);
  const c0 = Math.max(0, Math.ceil(xa - 0.5));
  const c1 = Math.min(c.w - 1, Math.floor(xb - 0.5));
  for (let x = c0; x <= c1; x++) {
    const dx = x + 0.5 - cam.cx;
    if (dx * xs <= 0) continue;
    const z = (cam.f * xs) / dx;
    if (z < z0 || z > z1) continue;
    const u = z - z0;
    const du = (z * z) / (cam.f * Math.abs(xs)); // |dZ/dx| per pixel
    const top = typeof vTop === 'number' ? vTop : vTop(u);
    const yTop = cam.yh - (cam.f * (top - cam.camH)) / z;
    const yBot = cam.yh - (cam.f * (vBot - cam.camH)) / z;
    const r0 = Math.max(0, Math.ceil(yTop - 0.5));
    const r1 = Math.min(c.h - 1, Math.floor(yBot - 0.5));
    const k = z / cam.f;
    for (let y = r0; y <= r1; y++) {
      const v = cam.camH - (y + 0.5 - cam.yh) * k;
      shade(y * c.w + x, u, v, z, du);
    }
  }
}

/** Front plane Z = z between lateral x0 < x1 and heights vBot..vTop (metres); u = X − x0. */
export function drawFrontPlane(
  c: Canvas,
  cam: Camera,
  z: number,
  x0: number,
  x1: number,
  vBot: number,
  vTop: number | ((u: number) => number),
  shade: PlaneShader,
): void {
  if (z <= 0.3) return;
  const k = z / cam.f;
  const c0 = Math.max(0, Math.ceil(cam.cx + x0 / k - 0.5));
  const c1 = Math.min(c.w - 1, Math.floor(cam.cx + x1 / k - 0.5));
  for (let x = c0; x <= c1; x++) {
    const u = (x + 0.5 - cam.cx) * k - x0;
    const top = typeof vTop === 'number' ? vTop : vTop(u);
    const r0 = Math.max(0, Math.ceil(cam.yh - (top - cam.camH) / k - 0.5));
    const r1 = Math.min(c.h - 1, Math.floor(cam.yh - (vBot - cam.camH) / k - 0.5));
    for (let y = r0; y <= r1; y++) {
      const v = cam.camH - (y + 0.5 - cam.yh) * k;
      shade(y * c.w + x, u, v, z, k);
    }
  }
}

/** Horizontal plane Y = v between lateral x0..x1 and depths z0..z1 (vehicle roofs seen from above). */
export function drawTopPlane(
  c: Canvas,
  cam: Camera,
  v: number,
  x0: number,
  x1: number,
  z0: number,
  z1: number,
  shade: PlaneShader,
): void {
  const dh = cam.camH - v;
  if (dh <= 0 || z1 <= 0.3) return;
  z0 = Math.max(z0, 0.3);
  const rA = Math.max(0, Math.ceil(cam.yh + (cam.f * dh) / z1 - 0.5));
  const rB = Math.min(c.h - 1, Math.floor(cam.yh + (cam.f * dh) / z0 - 0.5));
  for (let y = rA; y <= rB; y++) {
    const z = (cam.f * dh) / (y + 0.5 - cam.yh);
    const k = z / cam.f;
    const c0 = Math.max(0, Math.ceil(cam.cx + x0 / k - 0.5));
    const c1 = Math.min(c.w - 1, Math.floor(cam.cx + x1 / k - 0.5));
    for (let x = c0; x <= c1; x++) shade(y * c.w + x, (x + 0.5 - cam.cx) * k - x0, z - z0, z, k);
  }
}

/** Sets a pixel's colour, label and depth (the common tail of every shader). */
export function put(c: Canvas, i: number, r: number, g: number, b: number, label: number, z: number): void {
  c.r[i] = r;
  c.g[i] = g;
  c.b[i] = b;
  c.label[i] = label;
  c.depth[i] = z;
}
