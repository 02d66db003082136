import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from './io.js';
import { main } from './main.js';

function capture(): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    out: () => out,
    err: () => err,
  };
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'edgeseg-compress-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('edgeseg compress / train / report', () => {
  it('refuses bad options with exit 2 and a message naming the flag', async () => {
    for (const [argv, msg] of [
      [['compress', '--out', join(root, 'x'), '--energy-target', '2'], '--energy-target: not a fraction'],
      [['compress', '--out', join(root, 'x'), '--preset', 'huge'], '--preset: unknown preset "huge"'],
      [
        ['compress', '--out', join(root, 'x'), '--objective', 'latency'],
        '--objective: unknown objective "latency"',
      ],
      [['compress', '--out', join(root, 'x'), '--teacher', 'resnet'], '--teacher: unknown teacher "resnet"'],
      [['compress', '--out', join(root, 'x'), '--data', 'imagenet'], '--data: not a data source'],
      [['compress', '--out', join(root, 'none'), '--resume'], '--resume: '],
      [['train', '--arch', 'vgg', '--out', join(root, 'x')], '--arch: unknown architecture "vgg"'],
      [
        ['train', '--arch', 'segformer-b0', '--out', join(root, 'x'), '--lr', '3'],
        '--lr: not a learning rate',
      ],
    ] as [string[], string][]) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.err()).toContain(msg);
    }
    const io = capture();
    expect(await main(['report', join(root, 'nothing')], io)).toBe(1);
    expect(io.err()).toContain('is not a run directory');
  });

  it('runs every stage of the test preset, writes the report, and a rerun skips what is done', async () => {
    const run = join(root, 'run');
    const io = capture();
    expect(await main(['compress', '--out', run, '--preset', 'test', '--json'], io)).toBe(0);
    const s = JSON.parse(io.out());
    expect(s.finished).toBe(true);
    const labels = s.rows.map((r: { label: string }) => r.label);
    expect(labels).toContain('Baseline (teacher)');
    expect(labels).toContain('Ours (DSP + QAT)');
    expect(labels).toContain('MobileNetV3-Seg');
    for (const f of ['report.md', 'report.json', 'accuracy-energy.svg', 'gates.png', 'attention.png']) {
      expect(existsSync(join(run, 'report', f))).toBe(true);
    }
    expect(existsSync(join(run, 'int8', 'model.edgeseg'))).toBe(true);
    expect(io.err()).toContain('teacher: started');

    const again = capture();
    expect(await main(['compress', '--out', run, '--resume'], again)).toBe(0);
    expect(again.err()).toContain('teacher: done earlier, skipped');
    expect(again.err()).toContain('qat: done earlier, skipped');

    // Another configuration on the same directory is refused, naming what differs.
    const other = capture();
    expect(await main(['compress', '--out', run, '--preset', 'test', '--seed', '5'], other)).toBe(1);
    expect(other.err()).toContain('seed');

    // edgeseg eval on the INT8 model reproduces the int8 stage's figure (the same runtime path).
    const ev = capture();
    expect(
      await main(['eval', join(run, 'int8', 'model.edgeseg'), '--data', join(run, 'data'), '--json'], ev),
    ).toBe(0);
    const int8Stage = JSON.parse(readFileSync(join(run, 'int8', 'stage.json'), 'utf8'));
    expect(JSON.parse(ev.out()).miou).toBeCloseTo(int8Stage.metrics.miou, 10);
    const evf = capture();
    expect(
      await main(
        [
          'eval',
          join(run, 'teacher', 'model.safetensors'),
          '--data',
          join(run, 'data'),
          '--size',
          '64x128',
          '--json',
        ],
        evf,
      ),
    ).toBe(0);
    const teacherStage = JSON.parse(readFileSync(join(run, 'teacher', 'stage.json'), 'utf8'));
    expect(JSON.parse(evf.out()).miou).toBeCloseTo(teacherStage.metrics.miou, 10);

    expect(existsSync(join(run, 'export', 'model.onnx'))).toBe(true);
    const ex = capture();
    const onnx = join(root, 'again.onnx');
    expect(await main(['export', join(run, 'int8', 'model.edgeseg'), '--onnx', onnx, '--json'], ex)).toBe(0);
    expect(JSON.parse(ex.out()).bytes).toBeGreaterThan(1000);
    expect(existsSync(onnx)).toBe(true);

    const rep = capture();
    expect(await main(['report', run, '--json'], rep)).toBe(0);
    expect(JSON.parse(rep.out()).rows.length).toBe(s.rows.length);
  }, 300_000);

  it('trains the CNN baseline on its own', async () => {
    const io = capture();
    const out = join(root, 'cnn');
    expect(
      await main(
        [
          'train',
          '--arch',
          'mobilenetv3-lraspp-small',
          '--out',
          out,
          '--preset',
          'test',
          '--steps',
          '3',
          '--json',
        ],
        io,
      ),
    ).toBe(0);
    const r = JSON.parse(io.out());
    expect(r.arch).toBe('mobilenetv3-lraspp-small');
    expect(existsSync(r.model)).toBe(true);
    expect(r.miou).toBeGreaterThanOrEqual(0);
  }, 120_000);
});
