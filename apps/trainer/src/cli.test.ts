import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from './io.js';
import { main } from './main.js';

function capture(tty = false): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: tty },
    out: () => out,
    err: () => err,
  };
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'edgeseg-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('edgeseg CLI', () => {
  it('prints help on stdout with exit 0, at every level', async () => {
    for (const argv of [
      ['--help'],
      ['data', '--help'],
      ['data', 'synth', '--help'],
      ['data', 'check', '--help'],
    ]) {
      const io = capture();
      expect(await main(argv, io)).toBe(0);
      expect(io.out()).toMatch(/^Usage: edgeseg/);
    }
  });

  it('data synth writes a split, JSON on stdout and nothing on a non-TTY stderr', async () => {
    const io = capture();
    const dir = join(root, 'synth');
    const code = await main(
      [
        'data',
        'synth',
        '--out',
        dir,
        '--train',
        '3',
        '--val',
        '2',
        '--size',
        '32x64',
        '--seed',
        '5',
        '--threads',
        '1',
        '--json',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(io.out());
    expect(r).toMatchObject({ out: dir, written: 5, skipped: 0, threads: 1 });
    expect(r.imagesPerSecond).toBeGreaterThan(0);
    await stat(join(dir, 'leftImg8bit/val/eastvale/eastvale_000000_000019_leftImg8bit.png'));
    await stat(join(dir, 'gtFine/train/carrow/carrow_000000_000019_gtFine_labelIds.png'));
  });

  it('data synth draws a progress bar only when stderr is a terminal', async () => {
    const io = capture(true);
    expect(
      await main(
        [
          'data',
          'synth',
          '--out',
          join(root, 'tty'),
          '--train',
          '2',
          '--val',
          '0',
          '--size',
          '16x32',
          '--threads',
          '1',
        ],
        io,
      ),
    ).toBe(0);
    expect(io.err()).toMatch(/synth \[#+\] 2\/2/);
    expect(io.out()).toMatch(/wrote 2 frames \(0 already present\)/);
  });

  it('data check validates and reports counts and class frequencies (text and --json)', async () => {
    const dir = join(root, 'synth');
    const io = capture();
    expect(await main(['data', 'check', dir, '--json'], io)).toBe(0);
    const r = JSON.parse(io.out());
    expect(r.splits.map((s: { split: string; images: number }) => [s.split, s.images])).toEqual([
      ['train', 3],
      ['val', 2],
    ]);
    const fractions = r.splits[0].classes.map((c: { fraction: number }) => c.fraction);
    expect(fractions).toHaveLength(19);
    expect(fractions.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 9);
    expect(r.synthcity).toMatchObject({ seed: 5, width: 64, height: 32 });
    const text = capture();
    expect(await main(['data', 'check', dir], text)).toBe(0);
    expect(text.out()).toMatch(/val: 2 images — eastvale 1, fenwick 1; size 64×32 \(2\)/);
    expect(text.out()).toMatch(/ 5 pole +\d+\.\d\d%/);
  });

  it('data baseline scores the colour-only classifiers', async () => {
    const io = capture();
    expect(await main(['data', 'baseline', join(root, 'synth'), '--json'], io)).toBe(0);
    const r = JSON.parse(io.out());
    expect(r.trainFrames).toBe(3);
    expect(r.nearestMean.miou).toBeGreaterThan(0);
    expect(r.nearestMean.miou).toBeLessThan(1);
    expect(r.colourLookup.iou).toHaveLength(19);
  });

  it('exits 2 on usage errors, with the problem on stderr', async () => {
    const cases: [string[], RegExp][] = [
      [['data', 'synth', '--train', '1', '--val', '1'], /required option '--out <dir>' not specified/],
      [
        ['data', 'synth', '--out', root, '--train', '1', '--val', '1', '--size', '256'],
        /--size: not a size\. Expected HxW .* got "256"\./,
      ],
      [
        ['data', 'synth', '--out', root, '--train', 'many', '--val', '1'],
        /--train: not a count\. Expected an integer ≥ 0, got "many"\./,
      ],
      [['data', 'check'], /missing required argument 'dir'/],
      [['data', 'frobnicate'], /unknown command 'frobnicate'/],
      [['data'], /Usage: edgeseg data/],
    ];
    for (const [argv, message] of cases) {
      const io = capture();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.err()).toMatch(message);
      expect(io.out()).toBe('');
    }
  });

  it('exits 1 on failures, naming the file', async () => {
    const io = capture();
    expect(await main(['data', 'check', join(root, 'missing')], io)).toBe(1);
    expect(io.err()).toBe(
      `error: ${join(root, 'missing')}: missing folder. Expected a data set root, got no such directory.\n`,
    );
  });
});
