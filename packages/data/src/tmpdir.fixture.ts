// tmpdir.fixture.ts — test helpers: a temp folder per test and a tiny hand-made data set in the Cityscapes
// layout (excluded from the build).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '@edgeseg/image';
import { writeFileAtomic } from './atomicWrite.js';
import { framePaths, type Split } from './cityscapesLayout.js';

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'edgeseg-data-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes one frame: RGB pixels and label ids given as arrays (W×H). */
export async function writeFrame(
  root: string,
  split: Split,
  city: string,
  seq: number,
  width: number,
  height: number,
  rgb: Uint8Array,
  labelIds: Uint8Array,
): Promise<{ image: string; label: string }> {
  const f = framePaths(root, split, city, seq, 19);
  await writeFileAtomic(f.image, encodePng({ width, height, channels: 3, data: rgb }));
  await writeFileAtomic(f.label, encodePng({ width, height, channels: 1, data: labelIds }));
  return f;
}

/** A frame whose colour encodes its label: blocks of `block` px, labelId from a fixed pattern, RGB = f(trainId). */
export function codedFrame(
  width: number,
  height: number,
  block: number,
  salt = 0,
): { rgb: Uint8Array; labelIds: Uint8Array } {
  const ids = PATTERN_IDS;
  const rgb = new Uint8Array(width * height * 3);
  const labelIds = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = (Math.floor(x / block) * 7 + Math.floor(y / block) * 3 + salt) % ids.length;
      const i = y * width + x;
      labelIds[i] = ids[k];
      const c = codeColour(k);
      rgb.set(c, i * 3);
    }
  }
  return { rgb, labelIds };
}

/** Label ids of the coded pattern: unlabeled (drawn black, like padding), road, sidewalk, building, vegetation, sky, car, pole. */
export const PATTERN_IDS = [0, 7, 8, 11, 21, 23, 26, 17];

/**
 * Colour of pattern entry k: the corners of the RGB cube. A corner is never a blend of other colours of the
 * set, so a bilinear mix across a block edge can never pass for a third code.
 */
export function codeColour(k: number): [number, number, number] {
  return [k & 1 ? 255 : 0, k & 2 ? 255 : 0, k & 4 ? 255 : 0];
}
