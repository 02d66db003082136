import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEdgeseg } from './formatFile.js';
import { loadModel } from './loadModel.js';
import { randomModelFile } from './randomModel.js';
import { tinyArch } from './testkit/tinyArch.js';

describe('loadModel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lm-'));

  it('segments an image of any size into classes at the model input size, deterministically', async () => {
    const path = join(dir, 'm.edgeseg');
    writeEdgeseg(path, randomModelFile(tinyArch(), 'int8', { height: 64, width: 128 }));
    const m = await loadModel(path);
    expect(m.info.arch).toBe('segformer-tiny');
    expect(m.info.input).toMatchObject({ height: 64, width: 128 });
    const rgb = Uint8Array.from({ length: 100 * 150 * 3 }, (_, i) => (i * 7) % 256);
    const a = await m.segment(rgb, 150, 100);
    const b = await m.segment(rgb, 150, 100);
    expect(a.classes.length).toBe(64 * 128);
    expect([...a.classes]).toEqual([...b.classes]);
    expect(Math.max(...a.classes)).toBeLessThan(19);
    await expect(m.segment(rgb, 151, 100)).rejects.toThrow(/is not 151×100 RGB/);
    await m.dispose();
  });

  it('runs at another input size when asked (inputSize), scaling the MAC count as an estimate', async () => {
    const file = randomModelFile(tinyArch(), 'int8', { height: 64, width: 128 });
    file.meta.macs = 1000;
    const path = join(dir, 'sized.edgeseg');
    writeEdgeseg(path, file);
    const m = await loadModel(path, { inputSize: { height: 128, width: 256 } });
    expect(m.info.input).toMatchObject({ height: 128, width: 256 });
    expect(m.info.macs).toBe(4000);
    expect(m.info.macsNote).toMatch(/64×128 count × 128×256/);
    const rgb = Uint8Array.from({ length: 100 * 150 * 3 }, (_, i) => (i * 7) % 256);
    const r = await m.segment(rgb, 150, 100);
    expect([r.height, r.width, r.classes.length]).toEqual([128, 256, 128 * 256]);
    await m.dispose();
    // The file's own size: no estimate.
    const same = await loadModel(path, { inputSize: { height: 64, width: 128 } });
    expect([same.info.macs, same.info.macsNote]).toEqual([1000, undefined]);
    await same.dispose();
    await expect(loadModel(path, { inputSize: { height: 100, width: 256 } })).rejects.toThrow(
      /inputSize.height must be a multiple of 32 in \[32, 8192\].*Got 100/,
    );
  });

  it('refuses a foreign or corrupt file with a clear message', async () => {
    const p = join(dir, 'junk.edgeseg');
    writeFileSync(p, 'not a model at all');
    await expect(loadModel(p)).rejects.toThrow(/file: .*junk.edgeseg: /);
    await expect(loadModel(join(dir, 'missing.edgeseg'))).rejects.toThrow(/cannot be read \(ENOENT\)/);
  });
});
