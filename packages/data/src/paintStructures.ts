// paintStructures.ts — what lines the street: building facades with storeys, windows, shop fronts and
// cornices (and their gable ends where the building line steps), parks as masses of foliage, and the
// boundary in front of a plot: walls, fences (bars or mesh over whatever is behind) and hedges. Drawn per
// side from the far end towards the camera, so nearer segments occlude farther ones.
import type { Canvas } from './canvas.js';
import { ID } from './labels.js';
import { FACADE, FENCE, FOLIAGE, pickRgb, WALL } from './palette.js';
import { drawFrontPlane, drawSidePlane, type PlaneShader, put } from './planes.js';
import type { Camera, Scene, Segment } from './sceneLayout.js';
import { cellRandom, fbm, noise2 } from './textures.js';

export function paintStructures(c: Canvas, s: Scene): void {
  const sunSide = s.look[3] < 0.5 ? -1 : 1;
  if (Number.isFinite(s.zFar)) paintFarRow(c, s);
  for (const side of s.sides) {
    // Facades facing the sun-lit side of the street are brighter.
    const light = side.sign === sunSide ? 0.8 : 1.1;
    for (let k = side.segments.length - 1; k >= 0; k--) {
      const seg = side.segments[k];
      if (seg.z0 >= s.zFar) continue;
      const z1 = Math.min(seg.z1, s.zFar);
      const xs = side.sign * (side.facadeX + seg.setback);
      if (seg.kind === 'building') {
        const sh = facadeShader(c, seg, light);
        drawSidePlane(c, s.cam, xs, seg.z0, z1, 0, seg.height, sh);
        // Gable end at z0, running back from the facade line (visible where the neighbour is set back or lower).
        const end = facadeShader(c, seg, light * 0.8);
        const xa = side.sign > 0 ? xs : xs - 25;
        const xb = side.sign > 0 ? xs + 25 : xs;
        drawFrontPlane(c, s.cam, seg.z0, xa, xb, 0, seg.height, end);
      } else if (seg.kind === 'park') {
        drawSidePlane(c, s.cam, xs, seg.z0, z1, 0, canopyTop(seg), foliageShader(c, seg.style, light));
      } else if (seg.kind === 'open' && seg.style[2] < 0.5) {
        const far = side.sign * (side.facadeX + 30 + 30 * seg.style[3]);
        drawSidePlane(c, s.cam, far, seg.z0, z1 + 20, 0, seg.height, facadeShader(c, seg, light * 0.9));
      }
      if (seg.front !== 'none') paintFront(c, s.cam, side.sign * side.facadeX, seg, z1, light);
    }
  }
}

function paintFarRow(c: Canvas, s: Scene): void {
  const seg: Segment = {
    kind: 'building',
    z0: s.zFar,
    z1: s.zFar + 1,
    setback: 0,
    height: s.farHeight,
    front: 'none',
    frontHeight: 0,
    style: s.look.slice(2, 12),
  };
  drawFrontPlane(
    c,
    s.cam,
    s.zFar,
    -400,
    400,
    0,
    (u) => s.farHeight * (0.8 + 0.4 * cellRandom(Math.floor(u / 14), 21)),
    facadeShader(c, seg, 0.95),
  );
}

function canopyTop(seg: Segment): (u: number) => number {
  return (u) => seg.height * (0.55 + 0.45 * fbm(u * 0.25 + seg.style[4] * 50, seg.style[5] * 9, 2));
}

function foliageShader(c: Canvas, style: number[], light: number): PlaneShader {
  const base = pickRgb(FOLIAGE, style[6], style[7], 0.1);
  const off = style[8] * 100;
  return (i, u, v, z) => {
    const n = noise2(u * 0.9 + off, v * 0.9) * 0.6 + noise2(u * 2.7 + off, v * 2.7) * 0.4;
    const clump = noise2(u * 3 + off, v * 3) > 0.75 ? 0.55 : 1;
    const k = light * (0.55 + 0.8 * n) * clump;
    put(c, i, base[0] * k, base[1] * k, base[2] * k, ID.vegetation, z);
  };
}

/** Storeys, window grid, shop fronts and a cornice, in facade coordinates (u along, v up, metres). */
function facadeShader(c: Canvas, seg: Segment, light: number): PlaneShader {
  const st = seg.style;
  const wall = pickRgb(FACADE, st[0], st[1], 0.1);
  const storey = 2.9 + 0.7 * st[2];
  const pitch = 1.8 + 1.8 * st[3];
  const winW = pitch * (0.35 + 0.3 * st[4]);
  const winH = storey * (0.4 + 0.25 * st[5]);
  const sill = (storey - winH) * 0.6;
  const shops = st[6] < 0.5;
  const brick = st[7] < 0.25;
  const glass = 0.12 + 0.2 * st[8];
  const h = seg.height;
  const off = st[9] * 300;
  return (i, u, v, z, du) => {
    const stain = 0.85 + 0.3 * noise2(u * 0.15 + off, v * 0.2);
    let r = wall[0] * stain;
    let g = wall[1] * stain;
    let b = wall[2] * stain;
    if (brick && du < 0.05) {
      const row = Math.floor(v / 0.075);
      const m =
        (v / 0.075 - row < 0.18 ? 0.82 : 1) *
        (0.92 + 0.16 * cellRandom(Math.floor((u + (row & 1) * 0.12) / 0.24) & 1023, row & 1023));
      r *= m;
      g *= m;
      b *= m;
    }
    if (v > h - 0.45) {
      // Cornice.
      r *= 0.7;
      g *= 0.7;
      b *= 0.7;
    } else if (shops && v < storey) {
      const bay = u - Math.floor(u / 5) * 5;
      if (v > 0.35 && v < storey - 0.5 && bay > 0.4 && bay < 4.4) {
        const refl = 0.5 + 0.5 * noise2(u * 0.4 + off, v * 0.6);
        r = glass * 1.1 + 0.25 * refl;
        g = glass * 1.15 + 0.25 * refl;
        b = glass * 1.3 + 0.25 * refl;
      }
    } else {
      const fl = Math.floor(v / storey);
      const fv = v - fl * storey;
      const col = Math.floor(u / pitch);
      const fu = u - col * pitch - (pitch - winW) / 2;
      if (fv > sill && fv < sill + winH && fu > 0 && fu < winW && v < h - 0.9) {
        const frame =
          fu < 0.07 ||
          fu > winW - 0.07 ||
          fv < sill + 0.07 ||
          fv > sill + winH - 0.07 ||
          Math.abs(fu - winW / 2) < 0.035;
        if (frame) {
          r = g = b = 0.8;
        } else {
          const cr = cellRandom((col + 512) & 1023, (fl + (off | 0)) & 1023);
          const lit = cr > 0.93;
          const refl = glass + 0.35 * cr * (1 - (fv - sill) / winH);
          r = lit ? 0.85 : refl;
          g = lit ? 0.7 : refl * 1.05;
          b = lit ? 0.45 : refl * 1.2;
        }
      } else if (fv > sill - 0.08 && fv < sill && fu > -0.1 && fu < winW + 0.1 && v < h - 0.9) {
        r *= 1.15; // window sill
        g *= 1.15;
        b *= 1.15;
      }
    }
    put(c, i, r * light, g * light, b * light, ID.building, z);
  };
}

function paintFront(c: Canvas, cam: Camera, xs: number, seg: Segment, z1: number, light: number): void {
  const st = seg.style;
  const hgt = seg.frontHeight;
  if (seg.front === 'wall') {
    const col = pickRgb(WALL, st[3], st[4], 0.1);
    const off = st[5] * 200;
    const blocks = st[6] < 0.4;
    drawSidePlane(c, cam, xs, seg.z0, z1, 0, hgt, (i, u, v, z) => {
      let k = light * (0.8 + 0.35 * noise2(u * 0.5 + off, v * 0.8));
      if (v > hgt - 0.12) k *= 1.18; // coping
      if (blocks && (v % 0.4 < 0.03 || (u + (Math.floor(v / 0.4) & 1) * 0.4) % 0.8 < 0.03)) k *= 0.8;
      put(c, i, col[0] * k, col[1] * k, col[2] * k, ID.wall, z);
    });
  } else if (seg.front === 'fence') {
    const col = pickRgb(FENCE, st[7], st[8], 0.1);
    const gap = 0.1 + 0.15 * st[9];
    const barW = 0.025 + 0.02 * st[1];
    const mesh = st[2] < 0.35;
    const boards = st[2] > 0.85;
    drawSidePlane(c, cam, xs, seg.z0, z1, 0, hgt, (i, u, v, z, du) => {
      let a: number;
      if (boards) a = u % 0.15 < 0.01 ? 0.7 : 1;
      else if (v < 0.06 || v > hgt - 0.06 || Math.abs(v - hgt * 0.5) < 0.03) a = 1;
      else if (mesh) {
        const p = 0.06;
        const d1 = ((u + v) / p) % 1;
        const d2 = ((u - v + 100) / p) % 1;
        a = Math.min(1, 0.12 / Math.max(0.001, Math.min(d1, d2, 1 - d1, 1 - d2) * p * 20 + du)) * 0.5;
      } else {
        const fu = u % gap;
        // Bar coverage of this pixel's footprint along u (anti-aliasing far fences).
        a = Math.min(1, (fu < barW ? 1 : 0) * 0.6 + barW / Math.max(barW, du));
      }
      a = Math.min(1, a);
      const k = light * (0.85 + 0.3 * noise2(u * 2, v * 2));
      c.r[i] += (col[0] * k - c.r[i]) * a;
      c.g[i] += (col[1] * k - c.g[i]) * a;
      c.b[i] += (col[2] * k - c.b[i]) * a;
      c.label[i] = ID.fence;
      c.depth[i] = z;
    });
  } else if (seg.front === 'hedge') {
    const top = (u: number) => hgt * (0.85 + 0.3 * noise2(u * 1.5, st[1] * 40));
    drawSidePlane(c, cam, xs, seg.z0, z1, 0, top, foliageShader(c, st, light));
  }
}
