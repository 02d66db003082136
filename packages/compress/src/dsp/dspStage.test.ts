import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, WasmBackend } from '@edgeseg/autograd';
import { CityscapesDataset, writeSynthCity } from '@edgeseg/data';
import { archFor, SegFormer } from '@edgeseg/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RPI5 } from '../energy/profile.js';
import { SegFormerGates } from '../gates/segformerGates.js';
import { BatchSource } from '../train/batchSource.js';
import { StageDir } from '../train/stageDir.js';
import { BUDGET_TOLERANCE, type DspConfig, planForBudget, runDsp } from './dspStage.js';
import { excisedArch, planFromGates } from './excise.js';
import { archCost } from './objective.js';

let root: string;
let ds: CityscapesDataset;
const be = new WasmBackend(undefined, { isa: 'simd128' });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dsp-'));
  await writeSynthCity({ out: join(root, 'data'), train: 6, val: 2, width: 128, height: 64, seed: 3 });
  ds = await CityscapesDataset.open(join(root, 'data'), 'train');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config = (o: Partial<DspConfig> = {}): DspConfig => ({
  steps: 30,
  lr: 1e-3,
  gateLr: 0.2,
  weightDecay: 0.01,
  warmupSteps: 2,
  objective: 'energy',
  profile: RPI5,
  precision: 'int8',
  costSize: [64, 128],
  target: 0.5,
  lambdaE: 0,
  targetWarmup: 10,
  lagrangeLr: 2,
  mu: 10,
  distill: { alpha: 0.5, temperature: 2, cwd: 0.5 },
  exciseEvery: 5,
  exciseAfter: 2,
  checkpointEvery: 5,
  seed: 7,
  gates: { initOpen: 0.6 },
  ...o,
});

const source = () => new BatchSource(ds, { batchSize: 2, crop: [32, 64], baseSize: [64, 128], seed: 1 });
const student = () => new SegFormer(be, archFor('segformer-tiny'), new Rng(11));
const teacher = () => new SegFormer(be, archFor('segformer-tiny'), new Rng(12));

describe('planForBudget', () => {
  it('lands within [floor, budget] when the gates closed too much, skipping units too big to fit', () => {
    const model = student();
    const gates = new SegFormerGates(model, { initOpen: 0.9 });
    const cost = (a: Parameters<typeof archCost>[0]) => archCost(a, [64, 128], 'energy', RPI5, 'int8');
    const dense = cost(model.arch);
    // The gates close every whole FFN (log α far below 0) and keep everything else open.
    for (const g of gates.ffnBlocks.flat()) if (g) be.fill(g.logAlpha.storage, -20);
    for (const g of [...gates.heads.flat(), ...gates.ffnGroups.flat(), ...gates.decC, gates.decFuse])
      if (g) be.fill(g.logAlpha.storage, 5);
    const asGated = cost(
      excisedArch(
        model.arch,
        planFromGates(gates, (g) => g.deterministic()),
      ),
    );
    const budget = 0.5 * (1 + asGated / dense) * dense;
    const floor = (1 - BUDGET_TOLERANCE) * budget;
    expect(asGated).toBeLessThan(floor);
    const got = cost(excisedArch(model.arch, planForBudget(gates, cost, budget, floor)));
    expect(got).toBeLessThanOrEqual(budget);
    expect(got).toBeGreaterThanOrEqual(floor);
  });

  it('never exceeds the budget, even when no plan reaches the floor', () => {
    const model = student();
    const gates = new SegFormerGates(model, { initOpen: 0.9 });
    const cost = (a: Parameters<typeof archCost>[0]) => archCost(a, [64, 128], 'energy', RPI5, 'int8');
    const dense = cost(model.arch);
    const got = cost(excisedArch(model.arch, planForBudget(gates, cost, 0.3 * dense, 0.3 * dense)));
    expect(got).toBeLessThanOrEqual(0.3 * dense);
  });
});

describe('DSP stage', () => {
  it('prunes under the Energy-Complexity loss, cuts units while training and ends within the energy budget', async () => {
    const dir = new StageDir(join(root, 'run1'), 'dsp');
    const logs: string[] = [];
    const r = await runDsp({
      dir,
      backend: be,
      student: student(),
      teacher: teacher(),
      source: source(),
      config: config({ steps: 50, lambdaE: 0, lagrangeLr: 10, gateLr: 0.3 }),
      io: { log: (m) => logs.push(m) },
    });
    expect(r).not.toBeNull();
    // Within 5% of the target modelled energy, never above it.
    expect(r!.costRatio).toBeLessThanOrEqual(0.5);
    expect(r!.costRatio).toBeGreaterThanOrEqual(0.475);
    expect(r!.cut.length).toBeGreaterThan(0);
    expect(r!.excisions.length).toBeGreaterThan(0);
    // The expected cost follows the warmed-up target down.
    const first = r!.history[0];
    const last = r!.history[r!.history.length - 1];
    expect(last.expected).toBeLessThan(first.expected);
    expect(r!.model.numParameters()).toBeLessThan(student().numParameters());
    expect(logs.some((l) => l.includes('cut'))).toBe(true);
    // The gate trace keeps dense unit positions: cut units read null, the last point is the cut architecture.
    const tr = r!.gateTrace;
    expect(tr.steps.length).toBe(r!.history.length + 1);
    const heads = tr.layers['s2.b0.heads'];
    expect(heads.length).toBe(tr.steps.length);
    for (const row of heads) expect(row.length).toBe(student().arch.blocks[1][0].heads);
    const final = Object.values(tr.layers).map((rows) => rows[rows.length - 1]);
    const lastNulls = final.flat().filter((v) => v === null).length;
    expect(lastNulls).toBeGreaterThan(0);
    expect(final.flat().filter((v) => v === 0).length + lastNulls).toBeGreaterThanOrEqual(r!.cut.length);
  }, 120_000);

  it('stops with a clear error when the loss stops being finite, instead of training on NaN', async () => {
    const run = runDsp({
      dir: new StageDir(join(root, 'nan'), 'dsp'),
      backend: be,
      student: student(),
      teacher: null,
      source: source(),
      config: config({ steps: 12, lr: 1e12, warmupSteps: 0, distill: null }),
      io: { log: () => {} },
    });
    await expect(run).rejects.toThrow(/dsp: the loss became (NaN|-?Infinity).*lower the learning rate/);
  }, 60_000);

  it('an interrupted run resumes from its checkpoint and ends with the same model', async () => {
    const run = async (dirName: string, stopAt?: number) => {
      const dir = new StageDir(join(root, dirName), 'dsp');
      let step = 0;
      const io = {
        log: () => {},
        progress: (d: number) => (step = d),
        shouldStop: () => stopAt !== undefined && step >= stopAt,
      };
      const first = await runDsp({
        dir,
        backend: be,
        student: student(),
        teacher: null,
        source: source(),
        config: config({ steps: 16, distill: null }),
        io,
      });
      if (first) return { r: first, resumedLog: [] as string[], steps: 0 };
      const resumedLog: string[] = [];
      let steps = 0;
      const r = await runDsp({
        dir,
        backend: be,
        student: student(),
        teacher: null,
        source: source(),
        config: config({ steps: 16, distill: null }),
        io: { log: (m) => resumedLog.push(m), progress: () => steps++ },
      });
      return { r, resumedLog, steps };
    };
    const a = (await run('full')).r;
    const resumed = await run('interrupted', 7);
    const b = resumed.r;
    // It really resumed: from step 7, running only the 9 remaining steps.
    expect(resumed.resumedLog.some((l) => l.includes('resuming at step 7/16'))).toBe(true);
    expect(resumed.steps).toBe(9);
    expect(b!.arch).toEqual(a!.arch);
    const wa = a!.model.namedTensors();
    const wb = new Map(b!.model.namedTensors());
    for (const [name, t] of wa) expect([...wb.get(name)!.toArray()]).toEqual([...t.toArray()]);
  }, 120_000);
});
