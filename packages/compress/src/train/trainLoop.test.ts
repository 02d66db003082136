import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, WasmBackend } from '@edgeseg/autograd';
import { CityscapesDataset, writeSynthCity } from '@edgeseg/data';
import { archFor, MOBILENET_CONFIGS, MobileNetV3LRASPP, SegFormer } from '@edgeseg/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchSource } from './batchSource.js';
import { StageDir } from './stageDir.js';
import { type TrainConfig, trainModel } from './trainLoop.js';

let root: string;
let ds: CityscapesDataset;
const be = new WasmBackend(undefined, { isa: 'simd128' });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'train-'));
  await writeSynthCity({ out: join(root, 'data'), train: 4, val: 1, width: 128, height: 64, seed: 5 });
  ds = await CityscapesDataset.open(join(root, 'data'), 'train');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config = (o: Partial<TrainConfig> = {}): TrainConfig => ({
  steps: 12,
  lr: 2e-3,
  weightDecay: 0.01,
  warmupSteps: 2,
  headLrMult: 10,
  headPrefix: 'head.',
  checkpointEvery: 4,
  seed: 3,
  distill: null,
  ...o,
});
const source = () => new BatchSource(ds, { batchSize: 2, crop: [32, 64], baseSize: [64, 128], seed: 2 });
const tiny = (seed: number) => new SegFormer(be, archFor('segformer-tiny'), new Rng(seed));

describe('trainModel', () => {
  it('lowers the loss of a SegFormer, and of an LR-ASPP student distilled from a SegFormer teacher', async () => {
    const quiet = { log: () => {} };
    const a = await trainModel({
      dir: new StageDir(join(root, 'seg'), 'train'),
      backend: be,
      model: tiny(1),
      source: source(),
      config: config({ steps: 40 }),
      io: quiet,
    });
    const h = a!.history;
    expect(h[h.length - 1].loss).toBeLessThan(h[0].loss * 0.8);
    const student = new MobileNetV3LRASPP(be, MOBILENET_CONFIGS['mobilenetv3-lraspp-small'], new Rng(4));
    const b = await trainModel({
      dir: new StageDir(join(root, 'mnv3'), 'train'),
      backend: be,
      model: student,
      teacher: tiny(1),
      source: source(),
      config: config({ steps: 6, distill: { alpha: 0.5, temperature: 2, cwd: 0.1 } }),
      io: quiet,
    });
    expect(b!.history.every((p) => Number.isFinite(p.loss) && p.distill > 0)).toBe(true);
  }, 120_000);

  it('resumes an interrupted run from its checkpoint to the same weights', async () => {
    const run = async (name: string, stopAt?: number) => {
      const dir = new StageDir(join(root, name), 'train');
      let step = 0;
      const first = await trainModel({
        dir,
        backend: be,
        model: tiny(9),
        source: source(),
        config: config(),
        io: {
          log: () => {},
          progress: (d) => (step = d),
          shouldStop: () => stopAt !== undefined && step >= stopAt,
        },
      });
      if (first) return { model: first, resumed: false, m: null };
      const logs: string[] = [];
      const model = tiny(9);
      const r = await trainModel({
        dir,
        backend: be,
        model,
        source: source(),
        config: config(),
        io: { log: (m) => logs.push(m) },
      });
      expect(r).not.toBeNull();
      expect(logs.some((l) => l.includes('resuming at step 5/12'))).toBe(true);
      return { model: r, resumed: true, m: model };
    };
    const m1 = tiny(9);
    await trainModel({
      dir: new StageDir(join(root, 'full'), 'train'),
      backend: be,
      model: m1,
      source: source(),
      config: config(),
      io: { log: () => {} },
    });
    const b = await run('stopped', 5);
    expect(b.resumed).toBe(true);
    const wb = new Map(b.m!.namedTensors());
    for (const [name, t] of m1.namedTensors()) expect([...wb.get(name)!.toArray()]).toEqual([...t.toArray()]);
  }, 120_000);
});
