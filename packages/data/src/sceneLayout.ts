// sceneLayout.ts — SynthCity's random scene description: a pinhole camera over a flat ground plane and a
// road-aligned street (road, curbs, sidewalks, verges, facades, cross streets) plus the objects standing in
// it. World units are metres: X to the right, Y up from the ground, Z forward along the road. Everything is
// drawn by projecting world geometry through one camera, so sizes are depth-consistent by construction
// (a 0.12 m pole is 1–4 px wide at 256×512 between ~15 m and ~60 m).
import type { Rng } from './rng.js';

export interface Camera {
  w: number;
  h: number;
  /** Focal length in pixels. */
  f: number;
  /** Principal point column (camera yaw shifts it). */
  cx: number;
  /** Horizon row. */
  yh: number;
  /** Camera height above the ground (m). */
  camH: number;
}

export const screenX = (cam: Camera, X: number, Z: number): number => cam.cx + (cam.f * X) / Z;
export const screenY = (cam: Camera, Y: number, Z: number): number => cam.yh - (cam.f * (Y - cam.camH)) / Z;

export type SegmentKind = 'building' | 'park' | 'open' | 'cross';
export type FrontKind = 'none' | 'wall' | 'fence' | 'hedge';

export interface Segment {
  kind: SegmentKind;
  z0: number;
  z1: number;
  /** Extra distance of the facade behind the side's facade line (m). */
  setback: number;
  height: number;
  front: FrontKind;
  frontHeight: number;
  /** Palette / pattern choices for this segment, each in [0, 1). */
  style: number[];
}

export interface Side {
  /** −1 = left of the camera, +1 = right. */
  sign: -1 | 1;
  /** |X| of the road edge on this side. */
  roadEdge: number;
  parkingW: number;
  curbW: number;
  vergeW: number;
  sidewalkW: number;
  /** |X| of the facade line (outer edge of the sidewalk). */
  facadeX: number;
  segments: Segment[];
}

export type ObjectKind =
  | 'pole'
  | 'tree'
  | 'car'
  | 'truck'
  | 'bus'
  | 'train'
  | 'person'
  | 'cyclist'
  | 'motorcyclist';

export interface SceneObject {
  kind: ObjectKind;
  /** Ground position of the object's centre line (X) and its near end (Z). */
  x: number;
  z: number;
  /** Random choices for size, colour, pose, attachments, each in [0, 1). */
  p: number[];
  /** For vehicles: true = seen from its front (oncoming), false = from behind. For bikes: false = parked, no rider. */
  flag: boolean;
}

export interface Scene {
  cam: Camera;
  sides: [Side, Side];
  laneW: number;
  lanes: number;
  /** X of the road's left and right edges (left < 0 < right). */
  roadL: number;
  roadR: number;
  /** Distance of the frontal row of buildings closing the street (Infinity = open to the horizon). */
  zFar: number;
  farHeight: number;
  hasTram: boolean;
  objects: SceneObject[];
  /** Global look: sun side (−1/1), sun strength, sky type, palettes, etc. */
  look: number[];
}

const rand = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.float());

export function layoutScene(rng: Rng, w: number, h: number): Scene {
  const cam: Camera = {
    w,
    h,
    f: w * rng.uniform(0.85, 1.15),
    cx: w * (0.5 + rng.uniform(-0.05, 0.05)),
    yh: h * rng.uniform(0.42, 0.52),
    camH: rng.uniform(1.25, 1.65),
  };
  const lanes = rng.pick([2, 2, 3, 3, 4]);
  const laneW = rng.uniform(3.0, 3.6);
  const egoLane = rng.int(0, lanes - 1);
  const roadL = -(egoLane + 0.5) * laneW + rng.uniform(-0.4, 0.4);
  const roadR = roadL + lanes * laneW;
  const zFar = rng.chance(0.4) ? rng.uniform(80, 240) : Infinity;
  const sides: [Side, Side] = [makeSide(rng, -1, -roadL), makeSide(rng, 1, roadR)];
  const scene: Scene = {
    cam,
    sides,
    laneW,
    lanes,
    roadL,
    roadR,
    zFar,
    farHeight: rng.uniform(6, 20),
    hasTram: rng.chance(0.22),
    objects: [],
    look: rand(rng, 12),
  };
  placeObjects(rng, scene);
  return scene;
}

function makeSide(rng: Rng, sign: -1 | 1, roadEdge: number): Side {
  const parkingW = rng.chance(0.22) ? rng.uniform(2.0, 2.5) : 0;
  const curbW = rng.uniform(0.15, 0.3);
  const vergeW = rng.chance(0.35) ? rng.uniform(0.8, 3) : 0;
  const sidewalkW = rng.uniform(1.8, 5);
  const facadeX = roadEdge + parkingW + curbW + vergeW + sidewalkW;
  const segments: Segment[] = [];
  let z = rng.uniform(1, 6);
  const zEnd = 400;
  while (z < zEnd) {
    const kind: SegmentKind = segments.length > 0 && rng.chance(0.12) ? 'cross' : pickKind(rng);
    const len = kind === 'cross' ? rng.uniform(10, 18) : rng.uniform(8, 35);
    const front: FrontKind =
      kind === 'cross'
        ? 'none'
        : (['none', 'wall', 'fence', 'hedge'] as const)[rng.weighted([5, 1.6, 1.8, 1])];
    segments.push({
      kind,
      z0: z,
      z1: z + len,
      setback: kind === 'building' ? (rng.chance(0.6) ? 0 : rng.uniform(1, 8)) : rng.uniform(1, 10),
      height: kind === 'park' ? rng.uniform(4, 12) : rng.uniform(6, 20),
      front,
      frontHeight:
        front === 'fence'
          ? rng.uniform(0.9, 2.2)
          : front === 'wall'
            ? rng.uniform(0.8, 2.8)
            : rng.uniform(0.7, 1.6),
      style: rand(rng, 10),
    });
    z += len + (rng.chance(0.2) ? rng.uniform(1, 6) : 0);
  }
  return { sign, roadEdge, parkingW, curbW, vergeW, sidewalkW, facadeX, segments };
}

function pickKind(rng: Rng): SegmentKind {
  return (['building', 'park', 'open'] as const)[rng.weighted([7.5, 2, 0.6])];
}

export function segmentAt(side: Side, z: number): Segment | undefined {
  for (const s of side.segments) if (z >= s.z0 && z < s.z1) return s;
  return undefined;
}

function placeObjects(rng: Rng, s: Scene): void {
  const objs = s.objects;
  const zMax = Math.min(s.zFar - 2, 140);
  // Poles along both curbs (street lamps, sign posts, traffic lights), denser near cross streets.
  for (const side of s.sides) {
    const inner = side.roadEdge + side.parkingW + side.curbW + 0.3;
    let z = rng.uniform(4, 14);
    while (z < zMax) {
      const seg = segmentAt(side, z);
      const atCross = seg?.kind === 'cross';
      objs.push({
        kind: 'pole',
        x: side.sign * (inner + rng.uniform(0, 0.6)),
        z,
        p: rand(rng, 12),
        flag: atCross,
      });
      z += rng.uniform(9, 24);
    }
    for (const seg of side.segments) {
      if (seg.kind === 'cross' && seg.z0 < zMax) {
        // Traffic lights and signs at both corners of every cross street.
        objs.push({
          kind: 'pole',
          x: side.sign * (inner + 0.2),
          z: seg.z0 - 0.5,
          p: tlPole(rng),
          flag: true,
        });
        if (rng.chance(0.7))
          objs.push({
            kind: 'pole',
            x: side.sign * (inner + 0.2),
            z: seg.z1 + 0.5,
            p: tlPole(rng),
            flag: true,
          });
      }
    }
    // Trees on the verge or the sidewalk's outer edge.
    if (rng.chance(0.75)) {
      let zt = rng.uniform(3, 15);
      const xt =
        side.vergeW > 0 ? side.roadEdge + side.parkingW + side.curbW + side.vergeW / 2 : side.facadeX - 0.6;
      while (zt < zMax) {
        if (segmentAt(side, zt)?.kind !== 'cross')
          objs.push({ kind: 'tree', x: side.sign * xt, z: zt, p: rand(rng, 8), flag: false });
        zt += rng.uniform(6, 18);
      }
    }
    // Pedestrians on the sidewalk.
    const nPeople = rng.int(0, 7);
    for (let k = 0; k < nPeople; k++) {
      const x = side.sign * (side.facadeX - rng.uniform(0.4, side.sidewalkW - 0.3));
      objs.push({ kind: 'person', x, z: rng.uniform(5, 60), p: rand(rng, 12), flag: false });
    }
    // Parked cars in the parking strip.
    if (side.parkingW > 0) {
      let zc = rng.uniform(3, 10);
      while (zc < zMax) {
        if (rng.chance(0.5)) {
          const kind = rng.chance(0.08) ? 'truck' : 'car';
          objs.push({
            kind,
            x: side.sign * (side.roadEdge + side.parkingW / 2),
            z: zc,
            p: rand(rng, 12),
            flag: false,
          });
        }
        zc += rng.uniform(5.5, 9);
      }
    }
    // Parked bicycles / motorcycles on the sidewalk.
    if (rng.chance(0.65)) {
      const n = rng.int(1, 5);
      const z0 = rng.uniform(6, 40);
      const kind = rng.chance(0.75) ? 'cyclist' : 'motorcyclist';
      for (let k = 0; k < n; k++) {
        const x = side.sign * (side.facadeX - rng.uniform(0.5, 1.2));
        objs.push({ kind, x, z: z0 + k * rng.uniform(0.7, 1.5), p: rand(rng, 12), flag: false });
      }
    }
  }
  // Traffic in the lanes: right-hand traffic, lanes left of the ego lane partly oncoming.
  const oncomingLanes = s.lanes >= 3 ? Math.floor(s.lanes / 2) : rng.chance(0.5) ? 1 : 0;
  for (let lane = 0; lane < s.lanes; lane++) {
    const laneX = s.roadL + (lane + 0.5) * s.laneW;
    const oncoming = lane < oncomingLanes;
    let z = rng.uniform(7, 30);
    while (z < zMax) {
      const kind = (['car', 'truck', 'bus', 'motorcyclist', 'cyclist'] as const)[
        rng.weighted([10, 0.7, 0.6, 1.1, 1.3])
      ];
      const x =
        laneX +
        rng.uniform(-0.4, 0.4) +
        (kind === 'cyclist' ? (s.laneW / 2 - 0.9) * (laneX < 0 ? -1 : 1) : 0);
      objs.push({
        kind,
        x,
        z,
        p: rand(rng, 12),
        flag: kind === 'cyclist' || kind === 'motorcyclist' ? true : oncoming,
      });
      z += rng.uniform(12, 50);
    }
  }
  if (s.hasTram) {
    const lane = rng.int(0, s.lanes - 1);
    const x = s.roadL + (lane + 0.5) * s.laneW;
    // Remove other traffic in the tram's lane where the tram stands.
    const z = rng.uniform(8, 60);
    const len = rng.uniform(20, 35);
    for (let k = objs.length - 1; k >= 0; k--) {
      const o = objs[k];
      if (Math.abs(o.x - x) < s.laneW * 0.8 && o.z > z - 8 && o.z < z + len + 2) objs.splice(k, 1);
    }
    objs.push({ kind: 'train', x, z, p: [len / 40, ...rand(rng, 11)], flag: rng.chance(0.5) });
  }
  // Pedestrians crossing the road, sometimes.
  if (rng.chance(0.3)) {
    const z = rng.uniform(8, 35);
    const n = rng.int(1, 4);
    for (let k = 0; k < n; k++) {
      objs.push({
        kind: 'person',
        x: rng.uniform(s.roadL, s.roadR),
        z: z + rng.uniform(0, 3),
        p: rand(rng, 12),
        flag: true,
      });
    }
  }
  // Keep vehicles from interpenetrating: drop an object that overlaps an earlier one in the same lane.
  const kept: SceneObject[] = [];
  for (const o of objs) {
    const clash = kept.some(
      (k) =>
        k.kind !== 'pole' &&
        o.kind !== 'pole' &&
        k.kind !== 'tree' &&
        o.kind !== 'tree' &&
        Math.abs(k.x - o.x) < 1.6 &&
        Math.abs(k.z - o.z) < 6,
    );
    if (!clash || o.kind === 'person') kept.push(o);
  }
  s.objects = kept.sort((a, b) => b.z - a.z);
}

function tlPole(rng: Rng): number[] {
  const p = Array.from({ length: 12 }, () => rng.float());
  p[0] = 0.9 + 0.1 * p[0]; // p[0] ≥ 0.9 selects the traffic-light pole type
  return p;
}
