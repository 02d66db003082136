// paintPeople.ts — pedestrians, and riders on bicycles and motorcycles (or those vehicles parked), as
// side-or-front billboards at their depth. Proportions are in units of body height, poses (stride, arm
// swing, facing) come from the object's random numbers. Rider pixels are `rider`, the vehicle under them
// `bicycle` / `motorcycle`; bicycles are mostly thin tubes and tyres, as in real street scenes.
import { type Canvas, fillEllipse, fillPoly, fillRing, type Paint, strokeLine } from './canvas.js';
import { ID } from './labels.js';
import { type Billboard, billboard } from './paintStreetFurniture.js';
import { CLOTHES, pickRgb, SKIN, VEHICLE } from './palette.js';
import type { Camera, SceneObject } from './sceneLayout.js';

const px = (b: Billboard, u: number): number => b.x0 + b.s * u;
const py = (b: Billboard, v: number): number => b.yb - b.s * v;

function limb(
  c: Canvas,
  b: Billboard,
  u0: number,
  v0: number,
  u1: number,
  v1: number,
  w: number,
  p: Paint,
  z: number,
): void {
  strokeLine(c, px(b, u0), py(b, v0), px(b, u1), py(b, v1), Math.max(1, w * b.s), p, z);
}

function paintBody(
  c: Canvas,
  b: Billboard,
  p: number[],
  label: number,
  z: number,
  pose: 'walk' | 'ride',
  hipU: number,
  hipV: number,
  dir: number,
): void {
  const H = 1.55 + 0.4 * p[0];
  const top = pickRgb(CLOTHES, p[1], p[2], 0.1);
  const bottom = pickRgb(CLOTHES, p[3], p[4], 0.1);
  const skin = pickRgb(SKIN, p[5], p[6], 0.05);
  const hair = p[7] < 0.6 ? [0.1, 0.08, 0.06] : p[7] < 0.85 ? [0.4, 0.3, 0.18] : [0.7, 0.68, 0.62];
  const legP: Paint = { r: bottom[0], g: bottom[1], b: bottom[2], label, tex: 0.15, texScale: 3 };
  const topP: Paint = { r: top[0], g: top[1], b: top[2], label, tex: 0.15, texScale: 3, grad: 0.15 };
  const skinP: Paint = { r: skin[0], g: skin[1], b: skin[2], label };
  const hairP: Paint = { r: hair[0], g: hair[1], b: hair[2], label };
  const legW = 0.075 * H;
  const sideOn = p[8] < 0.6; // walking across the view vs towards/away from the camera
  const lean = pose === 'ride' ? 0.18 * H * dir : 0;
  const shoulderV = hipV + 0.32 * H;
  const shoulderU = hipU + lean;
  if (pose === 'walk') {
    const stride = sideOn ? (0.1 + 0.25 * p[9]) * H : 0.04 * H;
    const spread = sideOn ? 0 : 0.05 * H;
    limb(c, b, hipU - spread, hipV, hipU - stride / 2 - spread, 0.03, legW, legP, z);
    limb(c, b, hipU + spread, hipV, hipU + stride / 2 + spread, 0.03, legW, legP, z);
    const shoe: Paint = { r: 0.08, g: 0.08, b: 0.08, label };
    fillEllipse(
      c,
      px(b, hipU - stride / 2 - spread),
      py(b, 0.025),
      0.06 * H * b.s,
      Math.max(0.6, 0.025 * H * b.s),
      shoe,
      z,
    );
    fillEllipse(
      c,
      px(b, hipU + stride / 2 + spread),
      py(b, 0.025),
      0.06 * H * b.s,
      Math.max(0.6, 0.025 * H * b.s),
      shoe,
      z,
    );
  } else {
    // Thigh forward to the knee, shin down to the pedal.
    const knee = [hipU + 0.2 * H * dir, hipV + 0.02 * H];
    limb(c, b, hipU, hipV, knee[0], knee[1], legW * 1.1, legP, z);
    limb(c, b, knee[0], knee[1], knee[0] - 0.02 * H * dir, hipV - 0.26 * H, legW, legP, z);
  }
  const tw = (sideOn && pose === 'walk' ? 0.16 : 0.24) * H;
  fillPoly(
    c,
    [
      px(b, hipU - tw / 2),
      py(b, hipV - 0.02 * H),
      px(b, hipU + tw / 2),
      py(b, hipV - 0.02 * H),
      px(b, shoulderU + tw / 2 + 0.02 * H),
      py(b, shoulderV),
      px(b, shoulderU - tw / 2 - 0.02 * H),
      py(b, shoulderV),
    ],
    topP,
    z,
  );
  const swing = pose === 'walk' ? (p[10] - 0.5) * 0.2 * H : 0.25 * H * dir;
  const handV = pose === 'walk' ? hipV - 0.02 * H : shoulderV - 0.12 * H;
  limb(
    c,
    b,
    shoulderU - tw / 2,
    shoulderV - 0.02 * H,
    hipU - tw / 2 - 0.02 * H + swing,
    handV,
    0.055 * H,
    topP,
    z,
  );
  limb(
    c,
    b,
    shoulderU + tw / 2,
    shoulderV - 0.02 * H,
    hipU + tw / 2 + 0.02 * H - swing,
    handV,
    0.055 * H,
    topP,
    z,
  );
  const headU = shoulderU + (pose === 'ride' ? 0.03 * H * dir : 0);
  const headV = shoulderV + 0.1 * H;
  fillEllipse(c, px(b, headU), py(b, headV), 0.062 * H * b.s, 0.078 * H * b.s, skinP, z);
  if (pose === 'ride' && p[11] < 0.6) {
    const helmet = pickRgb(VEHICLE, p[11] * 1.6, 0.5);
    fillEllipse(
      c,
      px(b, headU),
      py(b, headV + 0.02 * H),
      0.07 * H * b.s,
      0.06 * H * b.s,
      { r: helmet[0], g: helmet[1], b: helmet[2], label },
      z,
    );
  } else {
    fillEllipse(c, px(b, headU), py(b, headV + 0.035 * H), 0.064 * H * b.s, 0.045 * H * b.s, hairP, z);
  }
  if (pose === 'walk' && p[11] > 0.75) {
    // A bag hanging at the hip.
    const bag = pickRgb(CLOTHES, p[11] * 3 - 2, 0.3);
    fillPoly(
      c,
      rectPts(b, hipU + tw / 2, hipV - 0.12 * H, hipU + tw / 2 + 0.12 * H, hipV + 0.05 * H),
      { r: bag[0], g: bag[1], b: bag[2], label },
      z,
    );
  }
}

function rectPts(b: Billboard, u0: number, v0: number, u1: number, v1: number): number[] {
  return [px(b, u0), py(b, v1), px(b, u1), py(b, v1), px(b, u1), py(b, v0), px(b, u0), py(b, v0)];
}

export function paintPerson(c: Canvas, cam: Camera, o: SceneObject): void {
  const b = billboard(cam, o.x, o.z);
  const H = 1.55 + 0.4 * o.p[0];
  paintBody(c, b, o.p, ID.person, o.z, 'walk', 0, 0.5 * H, 1);
}

/** Bicycle (o.kind 'cyclist') or motorcycle ('motorcyclist'), side view, with a rider when o.flag. */
export function paintTwoWheeler(c: Canvas, cam: Camera, o: SceneObject): void {
  const p = o.p;
  const b = billboard(cam, o.x, o.z);
  const dir = p[9] < 0.5 ? -1 : 1;
  const moto = o.kind === 'motorcyclist';
  const label = moto ? ID.motorcycle : ID.bicycle;
  const frameCol = pickRgb(VEHICLE, p[10], p[11], 0.1);
  const frame: Paint = { r: frameCol[0], g: frameCol[1], b: frameCol[2], label };
  const tyre: Paint = { r: 0.06, g: 0.06, b: 0.07, label };
  const R = moto ? 0.31 : 0.34;
  const half = moto ? 0.72 : 0.52;
  const rearU = -half * dir;
  const frontU = half * dir;
  const seat = [rearU * 0.35, moto ? 0.78 : 0.95];
  const bar = [frontU * 0.8, moto ? 1.0 : 1.05];
  if (moto) {
    fillEllipse(c, px(b, rearU), py(b, R), R * b.s, R * b.s, tyre, o.z);
    fillEllipse(c, px(b, frontU), py(b, R), R * b.s, R * b.s, tyre, o.z);
    const hub: Paint = { r: 0.55, g: 0.55, b: 0.57, label };
    fillEllipse(c, px(b, rearU), py(b, R), R * 0.45 * b.s, R * 0.45 * b.s, hub, o.z);
    fillEllipse(c, px(b, frontU), py(b, R), R * 0.45 * b.s, R * 0.45 * b.s, hub, o.z);
    const engine: Paint = { r: 0.18, g: 0.18, b: 0.2, label, tex: 0.2, texScale: 2 };
    fillPoly(
      c,
      [
        px(b, rearU * 0.3),
        py(b, 0.25),
        px(b, frontU * 0.45),
        py(b, 0.25),
        px(b, frontU * 0.5),
        py(b, 0.62),
        px(b, rearU * 0.35),
        py(b, 0.62),
      ],
      engine,
      o.z,
    );
    fillPoly(
      c,
      [
        px(b, rearU * 0.9),
        py(b, 0.62),
        px(b, frontU * 0.55),
        py(b, 0.62),
        px(b, frontU * 0.5),
        py(b, 0.9),
        px(b, rearU * 0.2),
        py(b, 0.82),
        px(b, rearU * 0.95),
        py(b, 0.78),
      ],
      { ...frame, grad: 0.2 },
      o.z,
    );
    limb(c, b, frontU, R, bar[0], bar[1], 0.06, frame, o.z);
    fillEllipse(
      c,
      px(b, frontU * 0.95),
      py(b, 0.85),
      0.1 * b.s,
      0.1 * b.s,
      { r: 0.9, g: 0.9, b: 0.85, label },
      o.z,
    );
  } else {
    const t = 0.045;
    fillRing(c, px(b, rearU), py(b, R), (R - t) * b.s, R * b.s, tyre, o.z);
    fillRing(c, px(b, frontU), py(b, R), (R - t) * b.s, R * b.s, tyre, o.z);
    const bb = [rearU * 0.1, 0.3];
    const w = 0.035;
    limb(c, b, rearU, R, bb[0], bb[1], w, frame, o.z);
    limb(c, b, rearU, R, seat[0], seat[1] - 0.08, w, frame, o.z);
    limb(c, b, bb[0], bb[1], seat[0], seat[1] - 0.08, w, frame, o.z);
    limb(c, b, bb[0], bb[1], bar[0] * 0.85, bar[1] - 0.15, w, frame, o.z);
    limb(c, b, seat[0], seat[1] - 0.1, bar[0] * 0.85, bar[1] - 0.15, w, frame, o.z);
    limb(c, b, frontU, R, bar[0], bar[1], w, frame, o.z);
    limb(
      c,
      b,
      seat[0] - 0.1 * dir,
      seat[1],
      seat[0] + 0.1 * dir,
      seat[1],
      0.05,
      { r: 0.08, g: 0.08, b: 0.08, label },
      o.z,
    );
    limb(
      c,
      b,
      bar[0] - 0.05 * dir,
      bar[1],
      bar[0] + 0.08 * dir,
      bar[1] + 0.02,
      0.03,
      { r: 0.1, g: 0.1, b: 0.1, label },
      o.z,
    );
  }
  if (o.flag) paintBody(c, b, p, ID.rider, o.z, 'ride', seat[0], seat[1] + 0.05, dir);
}
