import { describe, expect, it } from 'vitest';
import { evaluateColourBaseline, fitColourBaseline, nearestMeanClass } from './colourBaseline.js';
import { CityscapesDataset } from './loader.js';
import { codedFrame, withTempDir, writeFrame } from './tmpdir.fixture.js';

describe('colour baselines', () => {
  it('are perfect when colour does decide the class (and only then)', async () => {
    await withTempDir(async (root) => {
      for (let i = 0; i < 2; i++) {
        const a = codedFrame(32, 16, 4, i);
        await writeFrame(root, 'train', 'ulm', i, 32, 16, a.rgb, a.labelIds);
        const b = codedFrame(32, 16, 4, i + 5);
        await writeFrame(root, 'val', 'jena', i, 32, 16, b.rgb, b.labelIds);
      }
      const model = await fitColourBaseline(await CityscapesDataset.open(root, 'train'));
      const s = await evaluateColourBaseline(model, await CityscapesDataset.open(root, 'val'));
      expect(s.nearestMean.miou).toBe(1);
      expect(s.colourLookup.miou).toBe(1);
      expect(s.nearestMean.classesCounted).toBe(7); // the coded pattern's 7 evaluated classes
    });
  });

  it('picks the nearest class mean', () => {
    const means = Float64Array.from([0, 0, 0, 100, 100, 100, 250, 0, 0]);
    expect(nearestMeanClass(means, 90, 95, 120)).toBe(1);
    expect(nearestMeanClass(means, 200, 10, 0)).toBe(2);
  });
});
