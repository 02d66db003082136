import { describe, expect, it } from 'vitest';
import {
  CLASS_NAMES,
  LABEL_ID_TO_TRAIN_ID,
  LABELS,
  labelByName,
  labelIdsToTrainIds,
  PALETTE,
  TRAIN_ID_TO_LABEL_ID,
} from './labels.js';

// The canonical table from cityscapesScripts helpers/labels.py: labelId → trainId for all 34 ids.
const EXPECTED: number[] = [
  255, 255, 255, 255, 255, 255, 255, 0, 1, 255, 255, 2, 3, 4, 255, 255, 255, 5, 255, 6, 7, 8, 9, 10, 11, 12,
  13, 14, 15, 255, 255, 16, 17, 18,
];

describe('labels', () => {
  it('maps every one of the 34 label ids to its trainId as labels.py does', () => {
    expect(EXPECTED).toHaveLength(34);
    for (let id = 0; id < 34; id++) expect(LABEL_ID_TO_TRAIN_ID[id], `labelId ${id}`).toBe(EXPECTED[id]);
  });

  it('marks byte values that are not Cityscapes ids (34..255) as unknown', () => {
    for (let v = 34; v < 256; v++) expect(LABEL_ID_TO_TRAIN_ID[v]).toBe(-1);
  });

  it('has 19 train classes in order with the Cityscapes palette', () => {
    expect(CLASS_NAMES).toEqual([
      'road',
      'sidewalk',
      'building',
      'wall',
      'fence',
      'pole',
      'traffic light',
      'traffic sign',
      'vegetation',
      'terrain',
      'sky',
      'person',
      'rider',
      'car',
      'truck',
      'bus',
      'train',
      'motorcycle',
      'bicycle',
    ]);
    expect(Array.from(PALETTE.subarray(0, 6))).toEqual([128, 64, 128, 244, 35, 232]);
    expect(Array.from(PALETTE.subarray(5 * 3, 8 * 3))).toEqual([153, 153, 153, 250, 170, 30, 220, 220, 0]);
    expect(Array.from(PALETTE.subarray(18 * 3))).toEqual([119, 11, 32]);
    expect(Array.from(TRAIN_ID_TO_LABEL_ID)).toEqual([
      7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33,
    ]);
  });

  it('keeps license plate at id −1 and finds labels by name', () => {
    expect(LABELS).toHaveLength(35);
    expect(labelByName('license plate').id).toBe(-1);
    expect(labelByName('traffic light')).toMatchObject({ id: 19, trainId: 6 });
    expect(() => labelByName('lane marking')).toThrow(/unknown label/);
  });

  it('converts a labelIds image and names the pixel of an unknown id', () => {
    expect(Array.from(labelIdsToTrainIds(Uint8Array.from([7, 26, 1, 33]), 2))).toEqual([0, 13, 255, 18]);
    expect(() => labelIdsToTrainIds(Uint8Array.from([7, 26, 1, 40]), 2, 'x.png')).toThrow(
      'x.png: unknown labelId at pixel (x=1, y=1). Expected a Cityscapes label id 0..33, got 40.',
    );
  });
});
