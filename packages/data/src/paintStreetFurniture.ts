// paintStreetFurniture.ts — the thin classes and trees: poles (street lamps with arms, sign posts, plain
// posts, traffic-light poles with mast arms), traffic lights (housing, back plate, three lamps, one lit,
// sometimes seen from behind), traffic signs (round, triangular, square, diamond; front or grey back), and
// trees (trunk + a crown of textured blobs, all vegetation). Sizes are physical (metres) and projected at
// the object's depth, so a 0.12 m pole is a few pixels wide near the camera and one pixel far away.
import { type Canvas, fillColumnSpan, fillEllipse, fillPoly, type Paint, strokeLine } from './canvas.js';
import { ID } from './labels.js';
import { FOLIAGE, POLE, pickRgb } from './palette.js';
import type { Camera, SceneObject } from './sceneLayout.js';

/** Maps billboard coordinates (u metres right, v metres up, at depth z from ground point X) to pixels. */
export interface Billboard {
  x0: number;
  yb: number;
  s: number;
}

export function billboard(cam: Camera, X: number, z: number): Billboard {
  return { x0: cam.cx + (cam.f * X) / z, yb: cam.yh + (cam.f * cam.camH) / z, s: cam.f / z };
}

const px = (b: Billboard, u: number): number => b.x0 + b.s * u;
const py = (b: Billboard, v: number): number => b.yb - b.s * v;

export function paintPole(c: Canvas, cam: Camera, o: SceneObject): void {
  const p = o.p;
  const b = billboard(cam, o.x, o.z);
  const toRoad = o.x > 0 ? -1 : 1;
  const type = p[0] < 0.4 ? 'lamp' : p[0] < 0.72 ? 'sign' : p[0] < 0.9 ? 'plain' : 'light';
  const width = type === 'sign' ? 0.06 + 0.03 * p[1] : 0.1 + 0.1 * p[1];
  const height =
    type === 'lamp'
      ? 6 + 3 * p[2]
      : type === 'sign'
        ? 2.6 + 0.8 * p[2]
        : type === 'plain'
          ? 3 + 4 * p[2]
          : 3.3 + 1.3 * p[2];
  const col = pickRgb(POLE, p[3], p[4], 0.1);
  const paint: Paint = { r: col[0], g: col[1], b: col[2], label: ID.pole };
  fillColumnSpan(c, px(b, -width / 2), px(b, width / 2), py(b, height), b.yb, paint, o.z, 1.2, 0.75);
  if (type === 'lamp') {
    const len = 1.2 + 2 * p[5];
    const x1 = px(b, toRoad * len);
    const yTop = py(b, height);
    strokeLine(c, px(b, 0), yTop, x1, py(b, height + 0.3), Math.max(1, 0.07 * b.s), paint, o.z);
    fillEllipse(
      c,
      x1,
      py(b, height + 0.2),
      Math.max(1, 0.3 * b.s),
      Math.max(0.7, 0.1 * b.s),
      { ...paint, r: col[0] * 1.2, g: col[1] * 1.2, b: col[2] * 1.25 },
      o.z,
    );
    if (p[6] < 0.3) paintSign(c, b, toRoad * (width / 2 + 0.02), 2.3 + 0.6 * p[7], p, o.z);
  } else if (type === 'sign') {
    paintSign(c, b, 0, height - 0.35, p, o.z);
    if (p[8] < 0.4) paintSign(c, b, 0, height - 1.05, [p[9], p[10], p[11], p[6], p[7]], o.z, 0.8);
  } else if (type === 'plain') {
    if (p[6] < 0.45) paintSign(c, b, 0, height - 0.3, p, o.z);
  } else {
    const onPole = 2.5 + 0.6 * p[5];
    paintTrafficLight(c, b, toRoad * (width / 2 + 0.2), onPole, p[6], p[7], o.z);
    if (p[8] < 0.55) {
      // Mast arm over the road with one or two hanging lights.
      const len = 3 + 4 * p[9];
      const yArm = py(b, height);
      strokeLine(c, px(b, 0), yArm, px(b, toRoad * len), yArm, Math.max(1, 0.1 * b.s), paint, o.z);
      paintTrafficLight(c, b, toRoad * (len - 0.3), height - 1.05, p[10], p[11], o.z);
      if (p[10] < 0.5) paintTrafficLight(c, b, toRoad * (len * 0.55), height - 1.05, p[11], p[10], o.z);
    }
  }
}

/** A traffic light centred at u with its bottom at v: housing 0.34 × 0.95 m, three lamps. */
function paintTrafficLight(
  c: Canvas,
  b: Billboard,
  u: number,
  v: number,
  q: number,
  q2: number,
  z: number,
): void {
  const hw = 0.17;
  const hh = 0.95;
  const yellowHousing = q2 < 0.25;
  const housing: Paint = yellowHousing
    ? { r: 0.55, g: 0.48, b: 0.12, label: ID.trafficLight, tex: 0.1, texScale: 3 }
    : { r: 0.09, g: 0.09, b: 0.1, label: ID.trafficLight, tex: 0.15, texScale: 3 };
  if (q2 > 0.6) {
    // Back plate with a white border (common in Germany).
    const plate: Paint = { r: 0.8, g: 0.8, b: 0.78, label: ID.trafficLight };
    fillPoly(c, rect(b, u - hw - 0.08, v - 0.08, u + hw + 0.08, v + hh + 0.08), plate, z);
  }
  fillPoly(c, rect(b, u - hw, v, u + hw, v + hh), housing, z);
  if (q > 0.85) return; // seen from the side or behind: housing only
  const lit = Math.floor(q * 3.53) % 3; // 0 red, 1 amber, 2 green
  const colours = [
    [0.95, 0.12, 0.08],
    [0.98, 0.65, 0.1],
    [0.15, 0.9, 0.45],
  ];
  for (let k = 0; k < 3; k++) {
    const on = k === lit;
    const cl = colours[k];
    const dim = on ? 1 : 0.22;
    const lamp: Paint = {
      r: cl[0] * dim + 0.05,
      g: cl[1] * dim + 0.05,
      b: cl[2] * dim + 0.05,
      label: ID.trafficLight,
    };
    const r = Math.max(0.6, 0.1 * b.s);
    fillEllipse(c, px(b, u), py(b, v + hh - 0.17 - k * 0.3), r, r, lamp, z);
  }
}

/** A traffic sign centred at u with its centre at height v; the shape, colours and facing come from p. */
function paintSign(c: Canvas, b: Billboard, u: number, v: number, p: number[], z: number, scale = 1): void {
  const shape = Math.floor(p[9] * 5); // 0 round, 1 triangle up, 2 triangle down, 3 square, 4 diamond
  const r = (0.3 + 0.15 * p[10]) * scale;
  const back = p[11] > 0.82;
  const label = ID.trafficSign;
  const scheme = Math.floor(p[7] * 3); // 0 red rim/white, 1 blue, 2 yellow
  const rim: Paint = back
    ? { r: 0.5, g: 0.5, b: 0.52, label }
    : scheme === 1
      ? { r: 0.1, g: 0.25, b: 0.65, label }
      : { r: 0.78, g: 0.1, b: 0.1, label };
  const face: Paint = back
    ? { r: 0.45, g: 0.45, b: 0.47, label, tex: 0.1 }
    : scheme === 0
      ? { r: 0.92, g: 0.92, b: 0.9, label }
      : scheme === 1
        ? { r: 0.12, g: 0.3, b: 0.75, label }
        : { r: 0.95, g: 0.78, b: 0.1, label };
  const x = px(b, u);
  const y = py(b, v);
  const R = Math.max(1, r * b.s);
  if (shape === 0) {
    fillEllipse(c, x, y, R, R, rim, z);
    fillEllipse(c, x, y, R * 0.78, R * 0.78, face, z);
  } else if (shape === 1 || shape === 2) {
    const d = shape === 1 ? 1 : -1;
    fillPoly(c, [x - R * 1.1, y + d * R * 0.7, x + R * 1.1, y + d * R * 0.7, x, y - d * R * 1.2], rim, z);
    fillPoly(
      c,
      [x - R * 0.75, y + d * R * 0.48, x + R * 0.75, y + d * R * 0.48, x, y - d * R * 0.8],
      face,
      z,
    );
  } else if (shape === 3) {
    fillPoly(c, [x - R, y - R, x + R, y - R, x + R, y + R, x - R, y + R], rim, z);
    fillPoly(
      c,
      [
        x - R * 0.85,
        y - R * 0.85,
        x + R * 0.85,
        y - R * 0.85,
        x + R * 0.85,
        y + R * 0.85,
        x - R * 0.85,
        y + R * 0.85,
      ],
      face,
      z,
    );
  } else {
    fillPoly(
      c,
      [x, y - R * 1.2, x + R * 1.2, y, x, y + R * 1.2, x - R * 1.2, y],
      { r: 0.9, g: 0.9, b: 0.88, label },
      z,
    );
    fillPoly(c, [x, y - R * 0.8, x + R * 0.8, y, x, y + R * 0.8, x - R * 0.8, y], face, z);
  }
}

function rect(b: Billboard, u0: number, v0: number, u1: number, v1: number): number[] {
  return [px(b, u0), py(b, v1), px(b, u1), py(b, v1), px(b, u1), py(b, v0), px(b, u0), py(b, v0)];
}

export function paintTree(c: Canvas, cam: Camera, o: SceneObject): void {
  const p = o.p;
  const b = billboard(cam, o.x, o.z);
  const trunkH = 1.8 + 1.8 * p[0];
  const R = 1.4 + 2 * p[1];
  const trunkW = 0.18 + 0.22 * p[2];
  const bark: Paint = { r: 0.3, g: 0.26, b: 0.22, label: ID.vegetation, tex: 0.3, texScale: 2 };
  fillColumnSpan(
    c,
    px(b, -trunkW / 2),
    px(b, trunkW / 2),
    py(b, trunkH + R * 0.6),
    b.yb,
    bark,
    o.z,
    1.1,
    0.7,
  );
  const leaf = pickRgb(FOLIAGE, p[3], p[4], 0.12);
  const n = 5 + Math.floor(p[5] * 5);
  for (let k = 0; k < n; k++) {
    const a = (k / n) * Math.PI * 2 + p[6] * 6;
    const rr = R * (0.5 + 0.3 * Math.sin(a * 3 + p[7] * 9));
    const cu = Math.cos(a) * R * 0.55;
    const cv = trunkH + R + Math.sin(a) * R * 0.45;
    const light = 0.75 + 0.35 * ((k * 0.618 + p[7]) % 1);
    const paint: Paint = {
      r: leaf[0] * light,
      g: leaf[1] * light,
      b: leaf[2] * light,
      label: ID.vegetation,
      tex: 0.55,
      texScale: Math.max(1.2, 0.35 * b.s),
      grad: 0.2,
    };
    fillEllipse(c, px(b, cu), py(b, cv), rr * b.s, rr * b.s * 0.9, paint, o.z);
  }
}
