import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePng } from '@edgeseg/image';
import { describe, expect, it } from 'vitest';
import { listFrames } from './cityscapesLayout.js';
import { renderSynthCity } from './synthCity.js';
import { SYNTH_MANIFEST, synthFrame, writeSynthCity } from './synthWriter.js';
import { withTempDir } from './tmpdir.fixture.js';

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

describe('writeSynthCity', () => {
  it('writes the exact Cityscapes layout with labelIds PNGs and a manifest', async () => {
    await withTempDir(async (root) => {
      const progress: number[] = [];
      const r = await writeSynthCity({
        out: root,
        train: 5,
        val: 3,
        width: 64,
        height: 32,
        seed: 4,
        onProgress: (d) => progress.push(d),
      });
      expect(r).toMatchObject({ written: 8, skipped: 0, threads: 1 });
      expect(progress.at(-1)).toBe(8);
      const files = (await walk(root)).map((p) => p.slice(root.length + 1)).sort();
      expect(files).toContain('leftImg8bit/train/ashford/ashford_000000_000019_leftImg8bit.png');
      expect(files).toContain('gtFine/train/ashford/ashford_000001_000019_gtFine_labelIds.png');
      expect(files).toContain('leftImg8bit/val/eastvale/eastvale_000001_000019_leftImg8bit.png');
      expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
      expect(files).toHaveLength(8 * 2 + 1);
      const train = await listFrames(root, 'train');
      expect(train.map((f) => f.city)).toEqual(['ashford', 'ashford', 'brightwater', 'carrow', 'dunmere']);
      // Labels are 8-bit gray label ids equal to the renderer's, images 8-bit RGB.
      const f = synthFrame(root, 'val', 2, 4);
      const lbl = decodePng(await readFile(f.label), f.label, { kind: 'label', width: 64, height: 32 });
      expect(lbl.data).toEqual(renderSynthCity(64, 32, f.seed).labelIds);
      const manifest = JSON.parse(await readFile(join(root, SYNTH_MANIFEST), 'utf8'));
      expect(manifest).toMatchObject({
        generator: 'SynthCity',
        seed: 4,
        width: 64,
        height: 32,
        train: 5,
        val: 3,
      });
    });
  });

  it('does not depend on the order frames are produced in', async () => {
    // Frame i is rendered from mixSeed(seed, split, i): writing 3 frames, or frame 2 alone, gives the same bytes.
    await withTempDir(async (root) => {
      await writeSynthCity({ out: root, train: 3, val: 0, width: 32, height: 16, seed: 9 });
      const a = await readFile(synthFrame(root, 'train', 2, 9).image);
      const seedOf2 = synthFrame(root, 'train', 2, 9).seed;
      const f = renderSynthCity(32, 16, seedOf2);
      expect(decodePng(a, 'a', { kind: 'rgb' }).data).toEqual(f.image);
    });
  });

  it('skips existing frames on a rerun with the same parameters and refuses other parameters', async () => {
    await withTempDir(async (root) => {
      await writeSynthCity({ out: root, train: 2, val: 1, width: 32, height: 16, seed: 1 });
      const again = await writeSynthCity({ out: root, train: 3, val: 1, width: 32, height: 16, seed: 1 });
      expect(again).toMatchObject({ written: 1, skipped: 3 });
      await expect(
        writeSynthCity({ out: root, train: 1, val: 0, width: 32, height: 16, seed: 2 }),
      ).rejects.toThrow(
        /synthcity\.json: folder holds SynthCity made with other parameters\. Expected version \d+, seed 2, 32×16, got version \d+, seed 1, 32×16\. Use an empty folder or --force\./,
      );
      const forced = await writeSynthCity({
        out: root,
        train: 1,
        val: 0,
        width: 32,
        height: 16,
        seed: 2,
        force: true,
      });
      expect(forced.written).toBe(1);
    });
  });

  it('rejects a negative or fractional count', async () => {
    await withTempDir(async (root) => {
      await expect(writeSynthCity({ out: root, train: -1, val: 0 })).rejects.toThrow(
        'writeSynthCity: bad train count. Expected an integer ≥ 0, got -1.',
      );
      await writeFile(join(root, 'x'), '');
    });
  });
});
