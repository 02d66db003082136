// loader.ts — reads a split in the Cityscapes layout (SynthCity or the real data set) and streams batches.
// Nothing holds a whole split: frames are read and decoded a few ahead of the consumer (`prefetch`), turned
// into crops, and dropped. Training order and every augmentation draw depend only on (seed, epoch, frame),
// so a run is reproducible and prefetch depth or timing cannot change a batch.
import { readFile } from 'node:fs/promises';
import { decodePng } from '@edgeseg/image';
import {
  chooseCrop,
  IMAGENET_MEAN,
  IMAGENET_STD,
  photometricNormalize,
  sampleImage,
  sampleLabel,
  type Window,
} from './augment.js';
import { type FramePaths, listFrames, type Split } from './cityscapesLayout.js';
import { labelIdsToTrainIds } from './labels.js';
import { mixSeed, Rng } from './rng.js';

export interface Batch {
  /** N × 3 × H × W, normalized (x − mean) / std, NCHW. */
  images: Float32Array;
  /** N × H × W trainIds, 255 = ignore. */
  labels: Uint8Array;
  names: string[];
  /** [N, 3, H, W]. */
  shape: [number, number, number, number];
}

export interface Frame {
  name: string;
  width: number;
  height: number;
  /** Interleaved RGB u8. */
  image: Uint8Array;
  /** trainIds (labelIds mapped through the Cityscapes table). */
  labels: Uint8Array;
}

export interface DatasetOptions {
  /** Every frame must have this size (W×H); checked from the PNG header before decoding. */
  width?: number;
  height?: number;
  /** Use only the first `limit` frames (sorted by name). */
  limit?: number;
}

export class CityscapesDataset {
  private constructor(
    readonly root: string,
    readonly split: Split,
    readonly frames: readonly FramePaths[],
    private readonly opts: DatasetOptions,
  ) {}

  /** Lists and checks a split's files (no image is read yet). */
  static async open(root: string, split: Split, opts: DatasetOptions = {}): Promise<CityscapesDataset> {
    let frames = await listFrames(root, split);
    if (opts.limit !== undefined) frames = frames.slice(0, opts.limit);
    return new CityscapesDataset(root, split, frames, opts);
  }

  get length(): number {
    return this.frames.length;
  }

  /** Reads, checks and decodes frame i; labelIds are mapped to trainIds (unknown ids are an error). */
  async readFrame(i: number): Promise<Frame> {
    const f = this.frames[i];
    const [imgBytes, lblBytes] = await Promise.all([readFile(f.image), readFile(f.label)]);
    return decodeFrame(f, imgBytes, lblBytes, this.opts);
  }
}

export function decodeFrame(
  f: FramePaths,
  imgBytes: Uint8Array,
  lblBytes: Uint8Array,
  opts: DatasetOptions = {},
): Frame {
  const img = decodePng(imgBytes, f.image, { kind: 'rgb', width: opts.width, height: opts.height });
  const lbl = decodePng(lblBytes, f.label, { kind: 'label', width: img.width, height: img.height });
  const labels = labelIdsToTrainIds(lbl.data, lbl.width, f.label, new Uint8Array(lbl.data.length));
  return { name: f.name, width: img.width, height: img.height, image: img.data, labels };
}

export interface TrainOptions {
  batchSize: number;
  seed?: number;
  /** Output crop [H, W] (default: half the base size, as mmseg's 512×1024 crops of 1024×2048). */
  crop?: [number, number];
  /** Size [H, W] the scale ratio applies to (default: the frame's own size). */
  baseSize?: [number, number];
  scaleRange?: [number, number];
  catMaxRatio?: number;
  flip?: boolean;
  photometric?: boolean;
  mean?: readonly number[];
  std?: readonly number[];
  /** Frames decoded ahead of the consumer (default 4). */
  prefetch?: number;
  /** Drop the last incomplete batch (default true). */
  dropLast?: boolean;
}

export interface EvalOptions {
  batchSize: number;
  /** Resize every frame to [H, W] (bilinear image, nearest label); default: native size. */
  size?: [number, number];
  mean?: readonly number[];
  std?: readonly number[];
  prefetch?: number;
}

export interface Sample {
  name: string;
  h: number;
  w: number;
  image: Float32Array;
  labels: Uint8Array;
}

/** The frame order of one training epoch: a seeded shuffle. */
export function epochOrder(n: number, seed: number, epoch: number): number[] {
  return new Rng(mixSeed(seed, 0x0e90c4, epoch)).shuffle(Array.from({ length: n }, (_, i) => i));
}

/** One epoch of augmented training batches. */
export async function* trainBatches(
  ds: CityscapesDataset,
  opts: TrainOptions,
  epoch = 0,
): AsyncGenerator<Batch> {
  const seed = opts.seed ?? 0;
  const order = epochOrder(ds.length, seed, epoch);
  const load = async (frameIndex: number): Promise<Sample> => {
    const fr = await ds.readFrame(frameIndex);
    return augmentFrame(fr, opts, new Rng(mixSeed(seed, epoch, frameIndex)));
  };
  yield* batched(order, load, opts.batchSize, opts.prefetch ?? 4, opts.dropLast ?? true);
}

/** Applies the training transforms to one decoded frame (exported for tests and custom pipelines). */
export function augmentFrame(fr: Frame, opts: Omit<TrainOptions, 'batchSize'>, rng: Rng): Sample {
  const [baseH, baseW] = opts.baseSize ?? [fr.height, fr.width];
  const [cropH, cropW] = opts.crop ?? [Math.round(baseH / 2), Math.round(baseW / 2)];
  const [lo, hi] = opts.scaleRange ?? [0.5, 2.0];
  const ratio = rng.uniform(lo, hi);
  // mmseg Resize(keep_ratio): fit the frame into base·ratio, preserving its aspect ratio.
  const k = Math.min((baseH * ratio) / fr.height, (baseW * ratio) / fr.width);
  const scaledH = Math.max(1, Math.round(fr.height * k));
  const scaledW = Math.max(1, Math.round(fr.width * k));
  const scratch = new Uint8Array(cropH * cropW);
  const c = chooseCrop(
    fr.labels,
    fr.width,
    fr.height,
    scaledH,
    scaledW,
    cropH,
    cropW,
    opts.catMaxRatio ?? 0.75,
    rng,
    scratch,
  );
  const flip = (opts.flip ?? true) && rng.chance(0.5);
  const win: Window = { ...c, outH: cropH, outW: cropW, flip };
  const labels = new Uint8Array(cropH * cropW);
  sampleLabel(fr.labels, fr.width, fr.height, win, labels);
  const image = new Float32Array(3 * cropH * cropW);
  sampleImage(fr.image, fr.width, fr.height, win, image);
  photometricNormalize(
    image,
    0,
    cropH * cropW,
    (opts.photometric ?? true) ? rng : null,
    opts.mean ?? IMAGENET_MEAN,
    opts.std ?? IMAGENET_STD,
  );
  // mmseg pads after Normalize (image 0, label 255): reset the padded area to 0 in normalized space.
  if (scaledH - c.offY < cropH || scaledW - c.offX < cropW) zeroPadding(image, win);
  return { name: fr.name, h: cropH, w: cropW, image, labels };
}

function zeroPadding(image: Float32Array, win: Window): void {
  const plane = win.outH * win.outW;
  for (let y = 0; y < win.outH; y++) {
    for (let x = 0; x < win.outW; x++) {
      const gx = win.offX + (win.flip ? win.outW - 1 - x : x);
      if (win.offY + y < win.scaledH && gx < win.scaledW) continue;
      const i = y * win.outW + x;
      image[i] = image[plane + i] = image[2 * plane + i] = 0;
    }
  }
}

/** Frames in order, resized only (no randomness), for evaluation. */
export async function* evalBatches(ds: CityscapesDataset, opts: EvalOptions): AsyncGenerator<Batch> {
  const order = Array.from({ length: ds.length }, (_, i) => i);
  const load = async (i: number): Promise<Sample> => {
    const fr = await ds.readFrame(i);
    const [h, w] = opts.size ?? [fr.height, fr.width];
    const win: Window = { scaledH: h, scaledW: w, offY: 0, offX: 0, outH: h, outW: w, flip: false };
    const labels = new Uint8Array(h * w);
    sampleLabel(fr.labels, fr.width, fr.height, win, labels);
    const image = new Float32Array(3 * h * w);
    sampleImage(fr.image, fr.width, fr.height, win, image);
    photometricNormalize(image, 0, h * w, null, opts.mean ?? IMAGENET_MEAN, opts.std ?? IMAGENET_STD);
    return { name: fr.name, h, w, image, labels };
  };
  yield* batched(order, load, opts.batchSize, opts.prefetch ?? 4, false);
}

async function* batched(
  order: number[],
  load: (i: number) => Promise<Sample>,
  batchSize: number,
  prefetch: number,
  dropLast: boolean,
): AsyncGenerator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`loader: bad batch size. Expected an integer ≥ 1, got ${batchSize}.`);
  }
  const pending: Promise<Sample>[] = [];
  let next = 0;
  const fill = () => {
    while (pending.length < Math.max(1, prefetch) && next < order.length) {
      const p = load(order[next++]);
      p.catch(() => {}); // surfaced when awaited below; avoid an unhandled rejection meanwhile
      pending.push(p);
    }
  };
  let group: Sample[] = [];
  while (pending.length > 0 || next < order.length) {
    fill();
    const s = await pending.shift()!;
    group.push(s);
    if (group.length === batchSize) {
      yield stack(group);
      group = [];
    }
  }
  if (group.length > 0 && !dropLast) yield stack(group);
}

function stack(samples: Sample[]): Batch {
  const n = samples.length;
  const { h, w } = samples[0];
  const hw = h * w;
  const chw = 3 * hw;
  for (const s of samples) {
    if (s.h !== h || s.w !== w) {
      throw new Error(
        `loader: frames of different sizes in one batch. Expected ${w}×${h} like ${samples[0].name}, got ${s.w}×${s.h} (${s.name}); pass a size to resize to.`,
      );
    }
  }
  const images = new Float32Array(n * chw);
  const labels = new Uint8Array(n * hw);
  samples.forEach((s, k) => {
    images.set(s.image, k * chw);
    labels.set(s.labels, k * hw);
  });
  return { images, labels, names: samples.map((s) => s.name), shape: [n, 3, h, w] };
}
