// labels.ts — the Cityscapes label table, as in cityscapesScripts `helpers/labels.py` (34 ids 0..33 plus
// license plate −1). Ground-truth PNGs store label *ids*; training and metrics use *trainIds* (19 classes,
// 255 = ignore). Everything the loader, the metrics and SynthCity know about classes comes from here.

export interface CityscapesLabel {
  readonly name: string;
  /** Value stored in `*_gtFine_labelIds.png`. −1 = license plate (never drawn into label images). */
  readonly id: number;
  /** 0..18 for the evaluated classes, 255 = ignored in training and evaluation. */
  readonly trainId: number;
  readonly category: string;
  readonly hasInstances: boolean;
  readonly ignoreInEval: boolean;
  readonly color: readonly [number, number, number];
}

const L = (
  name: string,
  id: number,
  trainId: number,
  category: string,
  hasInstances: boolean,
  ignoreInEval: boolean,
  color: [number, number, number],
): CityscapesLabel => ({ name, id, trainId, category, hasInstances, ignoreInEval, color });

/** All Cityscapes labels in id order (license plate last, as in labels.py). */
export const LABELS: readonly CityscapesLabel[] = [
  L('unlabeled', 0, 255, 'void', false, true, [0, 0, 0]),
  L('ego vehicle', 1, 255, 'void', false, true, [0, 0, 0]),
  L('rectification border', 2, 255, 'void', false, true, [0, 0, 0]),
  L('out of roi', 3, 255, 'void', false, true, [0, 0, 0]),
  L('static', 4, 255, 'void', false, true, [0, 0, 0]),
  L('dynamic', 5, 255, 'void', false, true, [111, 74, 0]),
  L('ground', 6, 255, 'void', false, true, [81, 0, 81]),
  L('road', 7, 0, 'flat', false, false, [128, 64, 128]),
  L('sidewalk', 8, 1, 'flat', false, false, [244, 35, 232]),
  L('parking', 9, 255, 'flat', false, true, [250, 170, 160]),
  L('rail track', 10, 255, 'flat', false, true, [230, 150, 140]),
  L('building', 11, 2, 'construction', false, false, [70, 70, 70]),
  L('wall', 12, 3, 'construction', false, false, [102, 102, 156]),
  L('fence', 13, 4, 'construction', false, false, [190, 153, 153]),
  L('guard rail', 14, 255, 'construction', false, true, [180, 165, 180]),
  L('bridge', 15, 255, 'construction', false, true, [150, 100, 100]),
  L('tunnel', 16, 255, 'construction', false, true, [150, 120, 90]),
  L('pole', 17, 5, 'object', false, false, [153, 153, 153]),
  L('polegroup', 18, 255, 'object', false, true, [153, 153, 153]),
  L('traffic light', 19, 6, 'object', false, false, [250, 170, 30]),
  L('traffic sign', 20, 7, 'object', false, false, [220, 220, 0]),
  L('vegetation', 21, 8, 'nature', false, false, [107, 142, 35]),
  L('terrain', 22, 9, 'nature', false, false, [152, 251, 152]),
  L('sky', 23, 10, 'sky', false, false, [70, 130, 180]),
  L('person', 24, 11, 'human', true, false, [220, 20, 60]),
  L('rider', 25, 12, 'human', true, false, [255, 0, 0]),
  L('car', 26, 13, 'vehicle', true, false, [0, 0, 142]),
  L('truck', 27, 14, 'vehicle', true, false, [0, 0, 70]),
  L('bus', 28, 15, 'vehicle', true, false, [0, 60, 100]),
  L('caravan', 29, 255, 'vehicle', true, true, [0, 0, 90]),
  L('trailer', 30, 255, 'vehicle', true, true, [0, 0, 110]),
  L('train', 31, 16, 'vehicle', true, false, [0, 80, 100]),
  L('motorcycle', 32, 17, 'vehicle', true, false, [0, 0, 230]),
  L('bicycle', 33, 18, 'vehicle', true, false, [119, 11, 32]),
  L('license plate', -1, -1, 'vehicle', false, true, [0, 0, 142]),
];

/** trainId used for every pixel that is not one of the 19 evaluated classes. */
export const IGNORE_INDEX = 255;
/** Number of evaluated (train) classes. */
export const NUM_CLASSES = 19;
/** Largest label id that may appear in a `*_gtFine_labelIds.png`. */
export const MAX_LABEL_ID = 33;

/** The 19 evaluated classes in trainId order. */
export const TRAIN_LABELS: readonly CityscapesLabel[] = LABELS.filter(
  (l) => l.trainId >= 0 && l.trainId < 255,
).sort((a, b) => a.trainId - b.trainId);

/** Class names in trainId order (`CLASS_NAMES[5] === 'pole'`). */
export const CLASS_NAMES: readonly string[] = TRAIN_LABELS.map((l) => l.name);

/** The Cityscapes palette in trainId order, flat RGB (19 × 3 bytes). */
export const PALETTE: Uint8Array = Uint8Array.from(TRAIN_LABELS.flatMap((l) => [...l.color]));

/**
 * labelId → trainId lookup over all 256 byte values: ids 0..33 map as labels.py says (non-evaluated ids to
 * 255); values 34..255 are not Cityscapes ids and map to −1, which the loader reports as an error.
 */
export const LABEL_ID_TO_TRAIN_ID: Int16Array = (() => {
  const lut = new Int16Array(256).fill(-1);
  for (const l of LABELS) if (l.id >= 0) lut[l.id] = l.trainId;
  return lut;
})();

/** trainId → labelId (for writing label images and for evaluating with label ids, as the official script does). */
export const TRAIN_ID_TO_LABEL_ID: Uint8Array = Uint8Array.from(TRAIN_LABELS.map((l) => l.id));

/** Looks a label up by its name (`labelByName('traffic light').id === 19`). */
export function labelByName(name: string): CityscapesLabel {
  const l = LABELS.find((x) => x.name === name);
  if (!l) throw new Error(`labelByName: unknown label. Expected a Cityscapes label name, got "${name}".`);
  return l;
}

/** Label ids by name, for code that paints label images (SynthCity). */
export const ID = {
  unlabeled: 0,
  egoVehicle: 1,
  rectificationBorder: 2,
  outOfRoi: 3,
  static: 4,
  dynamic: 5,
  ground: 6,
  road: 7,
  sidewalk: 8,
  parking: 9,
  railTrack: 10,
  building: 11,
  wall: 12,
  fence: 13,
  guardRail: 14,
  bridge: 15,
  tunnel: 16,
  pole: 17,
  polegroup: 18,
  trafficLight: 19,
  trafficSign: 20,
  vegetation: 21,
  terrain: 22,
  sky: 23,
  person: 24,
  rider: 25,
  car: 26,
  truck: 27,
  bus: 28,
  caravan: 29,
  trailer: 30,
  train: 31,
  motorcycle: 32,
  bicycle: 33,
} as const;

/**
 * Maps a labelIds image to trainIds (into `out`, which may be `labelIds` itself). A value that is not a
 * Cityscapes id (34..255) throws, naming `source` and the pixel: such a file is not a gtFine labelIds image.
 */
export function labelIdsToTrainIds(
  labelIds: Uint8Array,
  width: number,
  source = 'labelIdsToTrainIds',
  out: Uint8Array = new Uint8Array(labelIds.length),
): Uint8Array {
  const lut = LABEL_ID_TO_TRAIN_ID;
  for (let i = 0; i < labelIds.length; i++) {
    const t = lut[labelIds[i]];
    if (t < 0) {
      const x = i % width;
      const y = (i - x) / width;
      throw new Error(
        `${source}: unknown labelId at pixel (x=${x}, y=${y}). Expected a Cityscapes label id 0..${MAX_LABEL_ID}, got ${labelIds[i]}.`,
      );
    }
    out[i] = t;
  }
  return out;
}
