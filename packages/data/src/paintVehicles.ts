// paintVehicles.ts — cars, trucks, buses and trams as road-aligned boxes seen through the camera: the flank
// facing the road centre (with wheels, windows, pillars, doors), the roof when the camera is above it, and
// the near face (rear with tail lights and plate, or front with headlights and windscreen for oncoming
// traffic). A soft shadow is laid on the ground first. Colours come from shared palettes so a grey car can
// match a grey wall: shape and context, not colour, make the class.
import type { Canvas } from './canvas.js';
import { ID } from './labels.js';
import { BUS, pickRgb, VEHICLE } from './palette.js';
import { drawFrontPlane, drawSidePlane, drawTopPlane, type PlaneShader, put } from './planes.js';
import type { Camera, SceneObject } from './sceneLayout.js';
import { noise2 } from './textures.js';

interface Box {
  x0: number;
  x1: number;
  z0: number;
  z1: number;
  v0: number;
  v1: number;
}

function drawBox(
  c: Canvas,
  cam: Camera,
  b: Box,
  side: PlaneShader,
  near: PlaneShader,
  top: PlaneShader | null,
): void {
  if (b.x0 > 0) drawSidePlane(c, cam, b.x0, b.z0, b.z1, b.v0, b.v1, side);
  else if (b.x1 < 0) drawSidePlane(c, cam, b.x1, b.z0, b.z1, b.v0, b.v1, side);
  if (top && cam.camH > b.v1) drawTopPlane(c, cam, b.v1, b.x0, b.x1, b.z0, b.z1, top);
  drawFrontPlane(c, cam, b.z0, b.x0, b.x1, b.v0, b.v1, near);
}

function groundShadow(c: Canvas, cam: Camera, x0: number, x1: number, z0: number, z1: number): void {
  drawTopPlane(c, cam, 0.001, x0 - 0.15, x1 + 0.15, z0 - 0.3, z1 + 0.4, (i, u, v) => {
    const edge = Math.min(u, x1 - x0 + 0.3 - u, v, z1 - z0 + 0.7 - v);
    const k = edge < 0.25 ? 0.45 + 0.55 * (1 - edge / 0.25) : 0.45;
    c.r[i] *= k;
    c.g[i] *= k;
    c.b[i] *= k;
  });
}

/** Shader helper: tyres (dark disc, grey hub) at wheel centres along u, else the body shader. */
function withWheels(
  c: Canvas,
  label: number,
  wheelsU: number[],
  radius: number,
  body: PlaneShader,
  bodyFrom: number,
): PlaneShader {
  return (i, u, v, z, du) => {
    for (const wu of wheelsU) {
      const d = Math.hypot(u - wu, v - radius);
      if (d < radius) {
        const k = d < radius * 0.5 ? 0.45 : 0.07;
        put(c, i, k, k, k * 1.05, label, z);
        return;
      }
    }
    if (v >= bodyFrom) body(i, u, v, z, du);
  };
}

function glassColour(u: number, v: number, base: number): number {
  return base + 0.25 * noise2(u * 0.8, v * 1.5);
}

export function paintVehicle(c: Canvas, cam: Camera, o: SceneObject): void {
  if (o.kind === 'car') paintCar(c, cam, o);
  else if (o.kind === 'truck') paintTruck(c, cam, o);
  else paintLongVehicle(c, cam, o);
}

function paintCar(c: Canvas, cam: Camera, o: SceneObject): void {
  const p = o.p;
  const W = 1.7 + 0.25 * p[0];
  const L = 3.8 + 1.0 * p[1];
  const H = 1.4 + (p[2] < 0.2 ? 0.35 : 0.15) * p[3];
  const hb = 0.85 + 0.15 * p[4];
  const col = pickRgb(VEHICLE, p[5], p[6], 0.08);
  const front = o.flag;
  const x0 = o.x - W / 2;
  const x1 = o.x + W / 2;
  const z0 = o.z;
  const label = ID.car;
  groundShadow(c, cam, x0, x1, z0, z0 + L);
  const glass = 0.08 + 0.12 * p[7];
  const sideK = 0.8;
  const body =
    (k: number): PlaneShader =>
    (i, _u, v, z) => {
      const g = k * (0.9 + 0.2 * (v / H)); // sky reflection towards the top
      put(c, i, col[0] * g + 0.03, col[1] * g + 0.03, col[2] * g + 0.03, label, z);
    };
  const wheelsU = [0.75, L - 0.8];
  // Lower body flank with wheels.
  const lower: Box = { x0, x1, z0, z1: z0 + L, v0: 0, v1: hb };
  const nearLower: PlaneShader = (i, u, v, z) => {
    if (v < 0.2) {
      if ((u > 0.12 && u < 0.4) || (u > W - 0.4 && u < W - 0.12)) put(c, i, 0.06, 0.06, 0.06, label, z);
      return;
    }
    let r = col[0] * 0.95;
    let g = col[1] * 0.95;
    let b = col[2] * 0.95;
    if (v < 0.4) {
      r = g = b = 0.15 + 0.3 * p[8]; // bumper
    }
    const light = v > hb - 0.3 && v < hb - 0.1 && (u < 0.3 || u > W - 0.3);
    if (light) {
      if (front) r = g = b = 0.92;
      else [r, g, b] = [0.75, 0.06, 0.05];
    }
    if (v > 0.42 && v < 0.56 && Math.abs(u - W / 2) < 0.26) r = g = b = front ? 0.2 : 0.88; // plate / grille
    put(c, i, r, g, b, label, z);
  };
  drawBox(c, cam, lower, withWheels(c, label, wheelsU, 0.32, body(sideK), 0.2), nearLower, body(1.15));
  // Cabin: glass all round with pillars; set back from the near end.
  const cz0 = z0 + (front ? 1.2 : 0.8);
  const cz1 = z0 + L - (front ? 0.7 : 1.0);
  const cab: Box = { x0: x0 + 0.1, x1: x1 - 0.1, z0: cz0, z1: cz1, v0: hb, v1: H };
  const cabSide: PlaneShader = (i, u, v, z) => {
    const len = cz1 - cz0;
    const pillar =
      u < 0.12 || u > len - 0.15 || Math.abs(u - len * 0.5) < 0.06 || v > H - 0.07 || v < hb + 0.06;
    if (pillar) body(sideK)(i, u, v, z, 0);
    else {
      const gl = glassColour(u, v, glass);
      put(c, i, gl, gl * 1.03, gl * 1.1, label, z);
    }
  };
  const cabNear: PlaneShader = (i, u, v, z) => {
    const w = W - 0.2;
    if (u < 0.1 || u > w - 0.1 || v > H - 0.07 || v < hb + 0.05) body(1)(i, u, v, z, 0);
    else {
      const gl = glassColour(u + 7, v, glass * (front ? 0.8 : 1));
      put(c, i, gl, gl * 1.04, gl * 1.12, label, z);
    }
  };
  drawBox(c, cam, cab, cabSide, cabNear, body(1.25));
}

function paintTruck(c: Canvas, cam: Camera, o: SceneObject): void {
  const p = o.p;
  const W = 2.35 + 0.2 * p[0];
  const Lc = 4.5 + 3.5 * p[1];
  const H = 3 + 0.8 * p[2];
  const cargo = pickRgb(VEHICLE, p[3] < 0.5 ? 0 : p[4], p[5], 0.1);
  const cabCol = pickRgb(VEHICLE, p[6], p[7], 0.1);
  const x0 = o.x - W / 2;
  const x1 = o.x + W / 2;
  const label = ID.truck;
  const front = o.flag;
  const zc = front ? o.z : o.z + Lc + 0.2;
  const zb = front ? o.z + 2.3 : o.z;
  groundShadow(c, cam, x0, x1, o.z, o.z + Lc + 2.4);
  const flat =
    (col: readonly number[], k: number): PlaneShader =>
    (i, u, v, z) => {
      const g = k * (0.9 + 0.2 * noise2(u * 0.5, v * 0.5));
      put(c, i, col[0] * g, col[1] * g, col[2] * g, label, z);
    };
  const cabSide: PlaneShader = (i, u, v, z, du) => {
    if (v > 1.6 && v < 2.5 && u > 0.3 && u < 1.6) {
      const gl = glassColour(u, v, 0.12);
      put(c, i, gl, gl, gl * 1.1, label, z);
    } else flat(cabCol, 0.8)(i, u, v, z, du);
  };
  const cabNear: PlaneShader = (i, u, v, z, du) => {
    if (v > 1.7 && v < 2.6 && u > 0.15 && u < W - 0.15) {
      const gl = glassColour(u, v, 0.1);
      put(c, i, gl, gl, gl * 1.12, label, z);
    } else if (v > 0.6 && v < 0.8 && (u < 0.35 || u > W - 0.35)) put(c, i, 0.9, 0.9, 0.85, label, z);
    else flat(cabCol, 1)(i, u, v, z, du);
  };
  const cargoNear: PlaneShader = (i, u, v, z, du) => {
    if (v < 1.0) {
      if (v > 0.6 && (u < 0.25 || u > W - 0.25)) put(c, i, 0.7, 0.05, 0.05, label, z);
      else if (v > 0.4) put(c, i, 0.12, 0.12, 0.12, label, z);
      else if ((u > 0.15 && u < 0.6) || (u > W - 0.6 && u < W - 0.15)) put(c, i, 0.06, 0.06, 0.06, label, z);
      return;
    }
    const seam = Math.abs(u - W / 2) < 0.02 ? 0.7 : 1;
    flat(cargo, seam)(i, u, v, z, du);
  };
  const drawCab = () =>
    drawBox(
      c,
      cam,
      { x0, x1, z0: zc, z1: zc + 2.1, v0: 0, v1: 2.9 },
      withWheels(c, label, [1.0], 0.48, cabSide, 0.45),
      cabNear,
      flat(cabCol, 1.1),
    );
  const cargoSide = withWheels(
    c,
    label,
    [Lc - 1.4, Lc - 0.4],
    0.48,
    (i, u, v, z, du) => {
      if (v < 1.0) put(c, i, 0.1, 0.1, 0.1, label, z);
      else flat(cargo, 0.8)(i, u, v, z, du);
    },
    0.4,
  );
  const drawCargo = () =>
    drawBox(c, cam, { x0, x1, z0: zb, z1: zb + Lc, v0: 0, v1: H }, cargoSide, cargoNear, flat(cargo, 1.15));
  if (front) {
    drawCargo();
    drawCab();
  } else {
    drawCab();
    drawCargo();
  }
}

/** Buses and trams: one long box with a window band, doors and (trams) a pantograph. */
function paintLongVehicle(c: Canvas, cam: Camera, o: SceneObject): void {
  const p = o.p;
  const isTrain = o.kind === 'train';
  const W = isTrain ? 2.4 : 2.5;
  const L = isTrain ? Math.max(18, p[0] * 40) : 10.5 + 2.5 * p[1];
  const H = isTrain ? 3.3 + 0.3 * p[2] : 3 + 0.25 * p[2];
  const bottom = isTrain ? 0.35 : 0.3;
  const col = isTrain ? pickRgb(BUS, p[3], p[4], 0.08) : pickRgb(BUS, p[5], p[6], 0.08);
  const stripe = pickRgb(VEHICLE, p[7], p[8], 0.05);
  const label = isTrain ? ID.train : ID.bus;
  const x0 = o.x - W / 2;
  const x1 = o.x + W / 2;
  const front = o.flag;
  groundShadow(c, cam, x0, x1, o.z, o.z + L);
  const paintBody = (i: number, u: number, v: number, z: number, k: number) => {
    const s = v > 0.7 && v < 0.95 && isTrain ? stripe : col;
    const g = k * (0.92 + 0.12 * noise2(u * 0.3, v));
    put(c, i, s[0] * g, s[1] * g, s[2] * g, label, z);
  };
  const side: PlaneShader = (i, u, v, z) => {
    const inBand = v > 1.25 && v < H - 0.45;
    const pitch = isTrain ? 1.9 : 1.35;
    const fu = u % pitch;
    const door = isTrain ? u % 6.5 < 1.3 : u > 1.2 && u < 2.4;
    if (door && v > bottom + 0.1 && v < H - 0.35) {
      const gl = v > 1.1 ? glassColour(u, v, 0.15) : 0.35;
      put(c, i, gl, gl, gl * 1.08, label, z);
    } else if (inBand && fu > 0.12) {
      const gl = glassColour(u, v, 0.12);
      put(c, i, gl, gl * 1.02, gl * 1.1, label, z);
    } else paintBody(i, u, v, z, 0.82);
  };
  const near: PlaneShader = (i, u, v, z) => {
    const screen = front || isTrain ? v > 1.15 && v < H - 0.35 : v > 1.6 && v < H - 0.6;
    if (screen && u > 0.12 && u < W - 0.12) {
      const gl = glassColour(u + 3, v, 0.1);
      put(c, i, gl, gl * 1.02, gl * 1.1, label, z);
    } else if (v > 0.6 && v < 0.85 && (u < 0.35 || u > W - 0.35)) {
      if (front) put(c, i, 0.92, 0.92, 0.85, label, z);
      else put(c, i, 0.75, 0.08, 0.05, label, z);
    } else if (v < bottom) {
      if ((u > 0.2 && u < 0.55) || (u > W - 0.55 && u < W - 0.2)) put(c, i, 0.06, 0.06, 0.06, label, z);
    } else paintBody(i, u, v, z, 1);
  };
  const wheels = isTrain ? [1.6, 3.2, L - 3.2, L - 1.6] : [2.3, L - 3.2];
  const sideWithWheels = withWheels(c, label, wheels, isTrain ? 0.38 : 0.5, side, bottom);
  drawBox(c, cam, { x0, x1, z0: o.z, z1: o.z + L, v0: 0, v1: H }, sideWithWheels, near, (i, u, v, z) =>
    paintBody(i, u, v, z, 1.1),
  );
  if (isTrain) {
    // Pantograph: a thin rhombus of rods above the roof, at a third of the length.
    const zp = o.z + L * 0.35;
    const k = cam.f / zp;
    const xm = cam.cx + o.x * k;
    const yRoof = cam.yh - (H - cam.camH) * k;
    const yTop = cam.yh - (H + 1.1 - cam.camH) * k;
    const wire = Math.max(1, 0.04 * k);
    for (let y = Math.max(0, Math.floor(yTop)); y < Math.min(c.h, Math.ceil(yRoof)); y++) {
      const t = (y - yTop) / Math.max(1, yRoof - yTop);
      const half = (0.2 + 0.6 * (1 - Math.abs(t - 0.5) * 2)) * k;
      for (const xx of [xm - half, xm + half]) {
        for (let x = Math.floor(xx - wire / 2); x <= Math.floor(xx + wire / 2); x++) {
          if (x >= 0 && x < c.w) put(c, y * c.w + x, 0.2, 0.2, 0.22, label, zp);
        }
      }
    }
  }
}
