import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameName, framePaths, listFrames } from './cityscapesLayout.js';
import { withTempDir, writeFrame } from './tmpdir.fixture.js';

const px = (n: number) => new Uint8Array(n);

describe('Cityscapes layout', () => {
  it('spells paths exactly as Cityscapes does', () => {
    expect(frameName('aachen', 0, 19)).toBe('aachen_000000_000019');
    const f = framePaths('/data', 'train', 'aachen', 0, 19);
    expect(f.image).toBe('/data/leftImg8bit/train/aachen/aachen_000000_000019_leftImg8bit.png');
    expect(f.label).toBe('/data/gtFine/train/aachen/aachen_000000_000019_gtFine_labelIds.png');
  });

  it('lists frames sorted by name and skips other gtFine files', async () => {
    await withTempDir(async (root) => {
      await writeFrame(root, 'val', 'lindau', 3, 2, 2, px(12), px(4));
      await writeFrame(root, 'val', 'frankfurt', 1, 2, 2, px(12), px(4));
      await writeFile(join(root, 'gtFine/val/lindau/lindau_000003_000019_gtFine_color.png'), 'x');
      const frames = await listFrames(root, 'val');
      expect(frames.map((f) => f.name)).toEqual(['frankfurt_000001_000019', 'lindau_000003_000019']);
      expect(frames[1]).toMatchObject({ city: 'lindau', seq: 3, frame: 19 });
    });
  });

  it('errors on a missing folder, naming it', async () => {
    await withTempDir(async (root) => {
      await expect(listFrames(root, 'train')).rejects.toThrow(
        new RegExp(
          `^${join(root, 'leftImg8bit', 'train')}: missing folder\\. Expected the Cityscapes layout`,
        ),
      );
    });
  });

  it('errors on a label file without its image, naming both', async () => {
    await withTempDir(async (root) => {
      const f = await writeFrame(root, 'train', 'ulm', 0, 2, 2, px(12), px(4));
      await rm(f.image);
      await expect(listFrames(root, 'train')).rejects.toThrow(
        `${f.label}: label file without its image. Expected ${f.image}, got no such file.`,
      );
    });
  });

  it('errors on an image without its label, and on an empty split', async () => {
    await withTempDir(async (root) => {
      const f = await writeFrame(root, 'train', 'ulm', 0, 2, 2, px(12), px(4));
      await rm(f.label);
      await expect(listFrames(root, 'train')).rejects.toThrow(`${f.image}: image without its label.`);
      await rm(f.image);
      await expect(listFrames(root, 'train')).rejects.toThrow(/empty split/);
    });
  });

  it('errors on a file name outside the pattern', async () => {
    await withTempDir(async (root) => {
      await mkdir(join(root, 'leftImg8bit/train/ulm'), { recursive: true });
      await mkdir(join(root, 'gtFine/train/ulm'), { recursive: true });
      await writeFile(join(root, 'leftImg8bit/train/ulm/ulm_12_19_leftImg8bit.png'), 'x');
      await expect(listFrames(root, 'train')).rejects.toThrow(
        /ulm_12_19_leftImg8bit\.png: file name not in the Cityscapes pattern/,
      );
    });
  });
});
