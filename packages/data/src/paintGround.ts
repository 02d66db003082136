// paintGround.ts — the sky (gradient + fBm clouds), a distant skyline band at the horizon, and the ground
// plane: road with lane markings, crosswalks, tram rails and patches; parking strips; curbs; grass verges;
// paved sidewalks; gardens; and the shadows buildings cast on the street. The ground is drawn row by row:
// on a flat plane every pixel of a row has the same depth Z = f·camH / (y − horizon), so the band a pixel
// falls in (road, curb, sidewalk, …) is a function of its lateral X = (x − cx)·Z / f alone.
import type { Canvas } from './canvas.js';
import { ID } from './labels.js';
import { ASPHALT, FOLIAGE, PAVING, pickRgb, TERRAIN } from './palette.js';
import { type Scene, type Segment, type Side, segmentAt } from './sceneLayout.js';
import { cellRandom, fbm, noise2 } from './textures.js';

export function paintSky(c: Canvas, s: Scene): void {
  const { w } = c;
  const L = s.look;
  const overcast = L[0] < 0.3;
  const zen: [number, number, number] = overcast
    ? [0.7, 0.72, 0.75]
    : [0.32 + 0.15 * L[1], 0.5 + 0.12 * L[1], 0.82];
  const hor: [number, number, number] = overcast ? [0.82, 0.83, 0.84] : [0.72, 0.8, 0.88];
  const cloudiness = overcast ? 0.25 : L[2] * 0.8;
  const ox = L[3] * 200;
  const yh = Math.max(1, s.cam.yh);
  // The ground covers every row below the horizon, so the sky stops there.
  const h = Math.min(c.h, Math.ceil(yh) + 1);
  // Clouds are low-frequency: evaluate the noise on a 4-pixel grid and interpolate bilinearly.
  const gw = (w >> 2) + 2;
  const gh = (h >> 2) + 2;
  const cloud = new Float32Array(gw * gh);
  const shade = new Float32Array(gw * gh);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      const n = fbm((gx * 24) / w + ox, (gy * 56) / w, 3);
      const a = Math.max(0, Math.min(1, (n - (1 - cloudiness)) * 3.5));
      cloud[gy * gw + gx] = a;
      shade[gy * gw + gx] = 0.8 + 0.25 * noise2((gx * 80) / w, (gy * 120) / w);
    }
  }
  for (let y = 0; y < h; y++) {
    const t = Math.min(1, (y + 0.5) / yh);
    const r0 = zen[0] + (hor[0] - zen[0]) * t;
    const g0 = zen[1] + (hor[1] - zen[1]) * t;
    const b0 = zen[2] + (hor[2] - zen[2]) * t;
    const gy = y >> 2;
    const fy = (y & 3) / 4;
    let i = y * w;
    for (let x = 0; x < w; x++, i++) {
      const gx = x >> 2;
      const fx = (x & 3) / 4;
      const k = gy * gw + gx;
      const top = cloud[k] + (cloud[k + 1] - cloud[k]) * fx;
      const bot = cloud[k + gw] + (cloud[k + gw + 1] - cloud[k + gw]) * fx;
      const a = top + (bot - top) * fy; // cloud opacity
      let r = r0;
      let g = g0;
      let b = b0;
      if (a > 0) {
        const sh = shade[k] + (shade[k + gw + 1] - shade[k]) * 0.5 * (fx + fy);
        r += (0.9 * sh - r) * a;
        g += (0.9 * sh - g) * a;
        b += (0.92 * sh - b) * a;
      }
      c.r[i] = r;
      c.g[i] = g;
      c.b[i] = b;
      c.label[i] = ID.sky;
      c.depth[i] = 1e4;
    }
  }
}

/** Far silhouettes of buildings and trees just above the horizon (where the street is open). */
export function paintSkyline(c: Canvas, s: Scene): void {
  const { w } = c;
  const L = s.look;
  const unit = s.cam.f / 300; // pixels per metre at 300 m
  const yBase = s.cam.yh + s.cam.camH * unit;
  let x = 0;
  let k = 0;
  while (x < w) {
    const blockW = Math.max(2, (6 + 30 * cellRandom(k, 3)) * unit);
    const isTree = cellRandom(k, 7) < 0.35 + 0.3 * L[4];
    const height = (isTree ? 8 + 10 * cellRandom(k, 9) : 12 + 45 * cellRandom(k, 11)) * unit;
    const grey = 0.45 + 0.3 * cellRandom(k, 13);
    for (let xx = Math.floor(x); xx < Math.min(w, x + blockW); xx++) {
      const top = isTree ? yBase - height * (0.75 + 0.25 * noise2(xx * 0.35, k)) : yBase - height;
      for (let y = Math.max(0, Math.floor(top)); y < Math.min(c.h, Math.ceil(yBase)); y++) {
        const i = y * w + xx;
        const n = noise2(xx * 0.5, y * 0.5);
        if (isTree) {
          c.r[i] = 0.3 * (0.8 + 0.4 * n);
          c.g[i] = 0.38 * (0.8 + 0.4 * n);
          c.b[i] = 0.3 * (0.8 + 0.4 * n);
        } else {
          c.r[i] = grey * (0.9 + 0.2 * n);
          c.g[i] = grey * (0.92 + 0.2 * n);
          c.b[i] = grey * (0.98 + 0.2 * n);
        }
        c.label[i] = isTree ? ID.vegetation : ID.building;
        c.depth[i] = 300;
      }
    }
    x += blockW;
    k++;
  }
}

interface GroundStyle {
  asphalt: [number, number, number];
  paving: [number, number, number][];
  terrain: [number, number, number];
  tile: number;
  edgeLines: boolean;
  dashLen: number;
  dashGap: number;
  markW: number;
  shadowSide: number;
  shadowK: number;
  shadowLen: number;
}

function groundStyle(s: Scene): GroundStyle {
  const L = s.look;
  return {
    asphalt: pickRgb(ASPHALT, L[5], L[6]),
    paving: [pickRgb(PAVING, L[7]), pickRgb(PAVING, (L[7] + 0.37) % 1)],
    terrain: pickRgb(TERRAIN, L[8]),
    tile: 0.3 + 0.4 * L[9],
    edgeLines: L[10] < 0.6,
    dashLen: 3 + 3 * L[11],
    dashGap: 6 + 6 * L[1],
    markW: 0.12 + 0.05 * L[2],
    shadowSide: L[3] < 0.5 ? -1 : 1,
    shadowK: L[0] < 0.3 ? 1 : 0.45 + 0.25 * L[4],
    shadowLen: 0.3 + 1.2 * L[6],
  };
}

/** Coverage of the interval [a, b] by [m − hw, m + hw], in [0, 1] (anti-aliased thin markings). */
function cover(a: number, b: number, m: number, hw: number): number {
  const lo = Math.max(a, m - hw);
  const hi = Math.min(b, m + hw);
  return hi > lo ? (hi - lo) / (b - a) : 0;
}

/** Scratch output of the per-pixel material functions (r, g, b, labelId): no allocation per pixel. */
const px = new Float64Array(4);

export function paintGround(c: Canvas, s: Scene): void {
  const { w, h } = c;
  const { cam } = s;
  const st = groundStyle(s);
  const y0 = Math.max(0, Math.floor(cam.yh));
  const tramX = s.hasTram ? s.objects.find((o) => o.kind === 'train')?.x : undefined;
  const shadowSide = st.shadowSide < 0 ? s.sides[0] : s.sides[1];
  for (let y = y0; y < h; y++) {
    const dy = y + 0.5 - cam.yh;
    if (dy <= 0) continue;
    const z = (cam.f * cam.camH) / dy;
    const dX = z / cam.f; // metres per pixel across
    const segL = segmentAt(s.sides[0], z);
    const segR = segmentAt(s.sides[1], z);
    const dashOn = z % (st.dashLen + st.dashGap) < st.dashLen;
    const zebra = crosswalkAt(s, z);
    const detail = Math.max(0, Math.min(1, 1.5 - dX * 8)); // fade sub-pixel textures with distance
    // Building shadow edge for this row (|X| beyond it on the shadow side is shaded).
    const shSeg = st.shadowSide < 0 ? segL : segR;
    const shadowEdge =
      shSeg && shSeg.kind !== 'cross' && shSeg.kind !== 'open'
        ? shadowSide.facadeX + shSeg.setback - shSeg.height * st.shadowLen * (0.9 + 0.2 * noise2(z * 0.2, 3))
        : Infinity;
    let i = y * w;
    for (let x = 0; x < w; x++, i++) {
      const X = (x + 0.5 - cam.cx) * dX;
      if (X >= s.roadL && X <= s.roadR) {
        road(st, X, z, detail);
        px[3] = ID.road;
        let m = 0;
        for (let k = 1; k < s.lanes; k++)
          if (dashOn) m += cover(X - dX / 2, X + dX / 2, s.roadL + k * s.laneW, st.markW / 2);
        if (st.edgeLines) {
          m += cover(X - dX / 2, X + dX / 2, s.roadL + 0.35, st.markW / 2);
          m += cover(X - dX / 2, X + dX / 2, s.roadR - 0.35, st.markW / 2);
        }
        if (zebra && (((X - s.roadL) / 0.5) & 1) === 0) m = 1;
        if (tramX !== undefined) {
          const rail =
            cover(X - dX / 2, X + dX / 2, tramX - 0.72, 0.04) +
            cover(X - dX / 2, X + dX / 2, tramX + 0.72, 0.04);
          mix(0.55, 0.55, 0.57, rail);
        }
        if (m > 0) mix(0.85, 0.85, 0.82, Math.min(1, m) * (0.75 + 0.25 * noise2(X * 3, z * 0.7)));
      } else {
        const side = X < 0 ? s.sides[0] : s.sides[1];
        sideGround(st, side, X < 0 ? segL : segR, Math.abs(X), X, z, detail);
      }
      let k = 1;
      if (X * st.shadowSide > shadowEdge) k = st.shadowK;
      c.r[i] = px[0] * k;
      c.g[i] = px[1] * k;
      c.b[i] = px[2] * k * (k < 1 ? 1.06 : 1);
      c.label[i] = px[3];
      c.depth[i] = z;
    }
  }
}

function mix(r: number, g: number, b: number, a: number): void {
  px[0] += (r - px[0]) * a;
  px[1] += (g - px[1]) * a;
  px[2] += (b - px[2]) * a;
}

function set(r: number, g: number, b: number, label: number): void {
  px[0] = r;
  px[1] = g;
  px[2] = b;
  px[3] = label;
}

function crosswalkAt(s: Scene, z: number): boolean {
  for (const side of s.sides) {
    for (const seg of side.segments) {
      if (seg.kind === 'cross' && z > seg.z0 - 4.5 && z < seg.z0 - 1) return true;
    }
  }
  return false;
}

function road(st: GroundStyle, X: number, z: number, detail: number): void {
  const n = noise2(X * 0.35, z * 0.12) * 0.7 + noise2(X * 1.1, z * 0.4) * 0.3;
  const patch = noise2(X * 0.15 + 40, z * 0.05) > 0.72 ? 0.82 : 1;
  const grain = detail > 0 ? 1 + 0.18 * detail * (noise2(X * 9, z * 9) - 0.5) : 1;
  const k = (0.8 + 0.4 * n) * patch * grain;
  set(st.asphalt[0] * k, st.asphalt[1] * k, st.asphalt[2] * k, ID.road);
}

function sideGround(
  st: GroundStyle,
  side: Side,
  seg: Segment | undefined,
  a: number,
  X: number,
  z: number,
  detail: number,
): void {
  if (seg?.kind === 'cross') {
    road(st, X, z, detail);
    return;
  }
  let edge = side.roadEdge + side.parkingW;
  if (a < edge) {
    road(st, X + 50, z, detail);
    px[3] = ID.parking;
    if (Math.abs(((z + 100) % 6.5) - 0.1) < 0.12) mix(0.8, 0.8, 0.78, 0.25);
    return;
  }
  edge += side.curbW;
  if (a < edge) {
    const k = 0.95 + 0.1 * noise2(z * 2, 5);
    set(0.66 * k, 0.66 * k, 0.64 * k, ID.sidewalk);
    return;
  }
  if (a < edge + side.vergeW) {
    grass(st, X, z, detail);
    return;
  }
  if (a < side.facadeX) {
    paving(st, side, X, z, detail);
    return;
  }
  // Beyond the facade line: a garden or a paved forecourt, hidden where a facade stands.
  if (seg && seg.kind === 'building' && seg.style[0] < 0.45) {
    paving(st, side, X, z, detail);
    return;
  }
  if (seg && seg.kind === 'park' && seg.style[1] < 0.3) {
    const f = FOLIAGE[0];
    const k = 0.8 + 0.4 * noise2(X * 0.8, z * 0.8);
    set(f[0] * k, f[1] * 1.1 * k, f[2] * k, ID.vegetation);
    return;
  }
  grass(st, X, z, detail);
}

function grass(st: GroundStyle, X: number, z: number, detail: number): void {
  const n = noise2(X * 0.6, z * 0.3) * 0.65 + noise2(X * 1.9, z * 0.9) * 0.35;
  const blades = detail > 0 ? 1 + 0.35 * detail * (noise2(X * 12, z * 5) - 0.5) : 1;
  const k = (0.75 + 0.5 * n) * blades;
  const t = st.terrain;
  if (noise2(X * 0.2 + 9, z * 0.1) > 0.7) set(0.45 * k, 0.38 * k, 0.28 * k, ID.terrain);
  else set(t[0] * k, t[1] * k, t[2] * k, ID.terrain);
}

function paving(st: GroundStyle, side: Side, X: number, z: number, detail: number): void {
  const p = st.paving[side.sign < 0 ? 0 : 1];
  const u = X / st.tile;
  const v = z / st.tile;
  const fu = u - Math.floor(u);
  const fv = v - Math.floor(v);
  const joint = detail > 0.3 && (fu < 0.07 || fv < 0.07) ? 0.8 : 1;
  const tileK = 0.92 + 0.16 * cellRandom(Math.floor(u) & 1023, Math.floor(v) & 1023) * detail;
  const k = (0.85 + 0.3 * noise2(X * 0.3, z * 0.15)) * joint * tileK;
  set(p[0] * k, p[1] * k, p[2] * k, ID.sidewalk);
}
