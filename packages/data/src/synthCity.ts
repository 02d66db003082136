// synthCity.ts — renders one SynthCity frame: a forward-camera street scene with all 19 Cityscapes train
// classes and its labelIds image. The output is a pure function of (width, height, seed): the layout, every
// texture offset, the lighting and the sensor noise all come from one seeded generator.
import { acquireCanvas } from './canvas.js';
import { paintGround, paintSky, paintSkyline } from './paintGround.js';
import { paintPerson, paintTwoWheeler } from './paintPeople.js';
import { paintPole, paintTree } from './paintStreetFurniture.js';
import { paintStructures } from './paintStructures.js';
import { paintVehicle } from './paintVehicles.js';
import { applyHaze, develop, markBorder, paintEgoHood } from './post.js';
import { Rng } from './rng.js';
import { layoutScene } from './sceneLayout.js';

/** Bump when a change to the generator changes its output for the same seed (cached splits are then stale). */
export const SYNTHCITY_VERSION = 1;

export interface SynthFrame {
  width: number;
  height: number;
  /** Interleaved 8-bit RGB, row-major. */
  image: Uint8Array;
  /** Cityscapes label ids (0..33), row-major. */
  labelIds: Uint8Array;
}

export function renderSynthCity(width: number, height: number, seed: number): SynthFrame {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 8 || height < 8) {
    throw new Error(`renderSynthCity: image size too small. Expected integers ≥ 8, got ${width}×${height}.`);
  }
  const rng = new Rng(seed);
  const scene = layoutScene(rng, width, height);
  const c = acquireCanvas(width, height);
  paintSky(c, scene);
  paintSkyline(c, scene);
  paintGround(c, scene);
  paintStructures(c, scene);
  for (const o of scene.objects) {
    if (o.z >= scene.zFar) continue;
    switch (o.kind) {
      case 'pole':
        paintPole(c, scene.cam, o);
        break;
      case 'tree':
        paintTree(c, scene.cam, o);
        break;
      case 'person':
        paintPerson(c, scene.cam, o);
        break;
      case 'cyclist':
      case 'motorcyclist':
        paintTwoWheeler(c, scene.cam, o);
        break;
      default:
        paintVehicle(c, scene.cam, o);
    }
  }
  applyHaze(c, rng);
  paintEgoHood(c, scene, rng);
  const image = develop(c, rng);
  markBorder(c, Math.max(1, Math.round(width / 512)));
  return { width, height, image, labelIds: c.label.slice() };
}
