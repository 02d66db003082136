import { writeFile } from 'node:fs/promises';
import { encodePng } from '@edgeseg/image';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { LABEL_ID_TO_TRAIN_ID } from './labels.js';
import { type Batch, CityscapesDataset, evalBatches, trainBatches } from './loader.js';
import { codeColour, codedFrame, PATTERN_IDS, withTempDir, writeFrame } from './tmpdir.fixture.js';

async function collect(it: AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

/** A split of `n` colour-coded frames (W×H = 48×32). */
async function codedSplit(root: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const { rgb, labelIds } = codedFrame(48, 32, 8, i);
    await writeFrame(root, 'train', i % 2 ? 'ulm' : 'jena', i, 48, 32, rgb, labelIds);
  }
}

describe('trainBatches', () => {
  it('is deterministic: same seed and epoch → same batches; other seed or epoch → different', async () => {
    await withTempDir(async (root) => {
      await codedSplit(root, 5);
      const ds = await CityscapesDataset.open(root, 'train');
      const opts = { batchSize: 2, seed: 3, crop: [16, 24] as [number, number] };
      const a = await collect(trainBatches(ds, opts, 0));
      const b = await collect(trainBatches(ds, { ...opts, prefetch: 1 }, 0));
      expect(a).toHaveLength(2); // 5 frames, batch 2, last partial batch dropped
      expect(a[0].shape).toEqual([2, 3, 16, 24]);
      for (let k = 0; k < a.length; k++) {
        expect(a[k].names).toEqual(b[k].names);
        expect(a[k].images).toEqual(b[k].images);
        expect(a[k].labels).toEqual(b[k].labels);
      }
      const c = await collect(trainBatches(ds, { ...opts, seed: 4 }, 0));
      const d = await collect(trainBatches(ds, opts, 1));
      expect(c[0].images).not.toEqual(a[0].images);
      expect(d[0].images).not.toEqual(a[0].images);
      const all = await collect(trainBatches(ds, { ...opts, dropLast: false }, 0));
      expect(all.map((x) => x.names.length)).toEqual([2, 2, 1]);
      expect(new Set(all.flatMap((x) => x.names)).size).toBe(5); // each frame once per epoch
    });
  });

  it('keeps image and label aligned through scale, crop, flip and padding', async () => {
    await withTempDir(async (root) => {
      await codedSplit(root, 4);
      const ds = await CityscapesDataset.open(root, 'train');
      // No photometric change and identity normalization: pixel values are the sampled colours.
      const opts = {
        batchSize: 1,
        seed: 11,
        crop: [24, 40] as [number, number],
        photometric: false,
        mean: [0, 0, 0],
        std: [1, 1, 1],
      };
      const colours = PATTERN_IDS.map((_, k) => codeColour(k));
      const trainIdOfCode = PATTERN_IDS.map((id) => LABEL_ID_TO_TRAIN_ID[id]);
      let checked = 0;
      let agree = 0;
      let flipped = 0;
      for (let epoch = 0; epoch < 3; epoch++) {
        for await (const b of trainBatches(ds, opts, epoch)) {
          const [, , h, w] = b.shape;
          const plane = h * w;
          for (let i = 0; i < plane; i++) {
            const t = b.labels[i];
            const rgb = [b.images[i], b.images[plane + i], b.images[2 * plane + i]];
            // Nearest code colour to the pixel; bilinear blends at block edges are skipped (far from every code).
            let best = -1;
            let bestD = Infinity;
            colours.forEach((c, k) => {
              const d = Math.hypot(rgb[0] - c[0], rgb[1] - c[1], rgb[2] - c[2]);
              if (d < bestD) {
                bestD = d;
                best = k;
              }
            });
            if (bestD > 1) continue;
            if (best === 0 && t === 255) continue; // 'unlabeled' code and padding are black, labelled 255
            checked++;
            if (trainIdOfCode[best] === t) agree++;
          }
          flipped++;
        }
      }
      expect(flipped).toBe(12);
      expect(checked).toBeGreaterThan(3000);
      expect(agree).toBe(checked);
    });
  });

  it('pads with label 255 and image 0 when the scaled frame is smaller than the crop', async () => {
    await withTempDir(async (root) => {
      await codedSplit(root, 1);
      const ds = await CityscapesDataset.open(root, 'train');
      const [b] = await collect(
        trainBatches(ds, {
          batchSize: 1,
          seed: 0,
          crop: [64, 96],
          scaleRange: [0.5, 0.5],
          flip: false,
          photometric: false,
        }),
      );
      const [, , h, w] = b.shape;
      expect([h, w]).toEqual([64, 96]);
      // Scaled frame is 24×16 (W×H): row 20 is all padding.
      expect(Array.from(b.labels.subarray(20 * w, 21 * w)).every((v) => v === 255)).toBe(true);
      expect(b.images[20 * w + 5]).toBe(0);
    });
  });
});

describe('evalBatches', () => {
  it('resizes only, in file order, without randomness', async () => {
    await withTempDir(async (root) => {
      await codedSplit(root, 3);
      const ds = await CityscapesDataset.open(root, 'train');
      const a = await collect(evalBatches(ds, { batchSize: 2, size: [16, 24] }));
      const b = await collect(evalBatches(ds, { batchSize: 2, size: [16, 24] }));
      expect(a.map((x) => x.names)).toEqual([ds.frames.slice(0, 2).map((f) => f.name), [ds.frames[2].name]]);
      expect(a[0].shape).toEqual([2, 3, 16, 24]);
      expect(a[0].images).toEqual(b[0].images);
      const native = await collect(evalBatches(ds, { batchSize: 3 }));
      expect(native[0].shape).toEqual([3, 3, 32, 48]);
      // Native size: labels are exactly the mapped label file.
      const fr = await ds.readFrame(0);
      expect(native[0].labels.subarray(0, 48 * 32)).toEqual(fr.labels);
    });
  });
});

describe('loader errors name the file', () => {
  it('an unknown labelId', async () => {
    await withTempDir(async (root) => {
      const { rgb, labelIds } = codedFrame(8, 8, 4);
      labelIds[9] = 40;
      const f = await writeFrame(root, 'val', 'ulm', 0, 8, 8, rgb, labelIds);
      const ds = await CityscapesDataset.open(root, 'val');
      await expect(ds.readFrame(0)).rejects.toThrow(
        `${f.label}: unknown labelId at pixel (x=1, y=1). Expected a Cityscapes label id 0..33, got 40.`,
      );
    });
  });

  it('a label of the wrong size, a frame of an unexpected size, a 16-bit label', async () => {
    await withTempDir(async (root) => {
      const { rgb, labelIds } = codedFrame(8, 8, 4);
      const f = await writeFrame(root, 'val', 'ulm', 0, 8, 8, rgb, labelIds);
      await writeFile(
        f.label,
        encodePng({ width: 8, height: 4, channels: 1, data: labelIds.subarray(0, 32) }),
      );
      const ds = await CityscapesDataset.open(root, 'val');
      await expect(ds.readFrame(0)).rejects.toThrow(
        `${f.label}: wrong image size. Expected 8×8 (W×H), got 8×4.`,
      );
      const sized = await CityscapesDataset.open(root, 'val', { width: 16, height: 8 });
      await expect(sized.readFrame(0)).rejects.toThrow(
        `${f.image}: wrong image size. Expected 16×8 (W×H), got 8×8.`,
      );
      await writeFile(
        f.label,
        encode({ width: 8, height: 8, channels: 1, depth: 16, data: new Uint16Array(64) }),
      );
      await expect(ds.readFrame(0)).rejects.toThrow(
        `${f.label}: unsupported PNG bit depth. Expected 8 bits per sample, got 16.`,
      );
    });
  });
});
