import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glob, segmentRegExp } from './glob.js';
import { expandInputs } from './inputs.js';
import { formatDuration, parseDuration, UsageError } from './io.js';
import { colorizeClasses, overlay, resizeNearest } from './render.js';
import { latencyStats, percentile } from './stats.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'edgeseg-run-glob-'));
  for (const f of ['a/x.png', 'a/y.JPG', 'a/notes.txt', 'a/.hidden.png', 'a/b/z.jpeg', 'c/w.png']) {
    await mkdir(join(root, f, '..'), { recursive: true });
    await writeFile(join(root, f), '');
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('glob', () => {
  it('matches *, ?, […] within a segment and ** across folders; hidden files need a dot', async () => {
    expect(segmentRegExp('f[0-9]?.p*').test('f1a.png')).toBe(true);
    expect(segmentRegExp('[!a]*').test('abc')).toBe(false);
    expect(await glob(`${root}/a/*.png`)).toEqual([`${root}/a/x.png`]);
    expect(await glob(`${root}/*/?.png`)).toEqual([`${root}/a/x.png`, `${root}/c/w.png`]);
    expect(await glob(`${root}/**/*.jp*g`)).toEqual([`${root}/a/b/z.jpeg`]);
    expect(await glob(`${root}/a/.h*`)).toEqual([`${root}/a/.hidden.png`]);
    expect(await glob(`${root}/nowhere/*`)).toEqual([]);
  });
});

describe('expandInputs', () => {
  it('takes files as given, image files of folders, globs; reports what gives nothing', async () => {
    const r = await expandInputs([
      join(root, 'a'),
      join(root, 'a/notes.txt'),
      `${root}/c/*.png`,
      `${root}/c/*.gif`,
      join(root, 'missing.png'),
      join(root, 'a/b/..'),
    ]);
    expect(r.files).toEqual([
      join(root, 'a/x.png'),
      join(root, 'a/y.JPG'),
      join(root, 'a/notes.txt'),
      join(root, 'c/w.png'),
    ]);
    expect(r.problems.map((p) => p.error)).toEqual([
      `${root}/c/*.gif: no file matches this pattern. Expected at least one image, got none.`,
      `${join(root, 'missing.png')}: cannot read (ENOENT: no such file or directory). Expected an image file, a folder or a glob.`,
    ]);
  });
});

describe('durations', () => {
  it('parses units and sums parts; rejects the rest as usage errors', () => {
    expect(parseDuration('--soak', '10m')).toBe(600_000);
    expect(parseDuration('--soak', '1h30m')).toBe(5_400_000);
    expect(parseDuration('--soak', '250ms')).toBe(250);
    expect(parseDuration('--soak', '90')).toBe(90_000);
    for (const bad of ['', '10x', 'm', '0s', '5m junk', '-1s']) {
      expect(() => parseDuration('--soak', bad), bad).toThrow(UsageError);
    }
    expect(() => parseDuration('--soak', '10x')).toThrow(
      '--soak: not a duration. Expected a number with a unit (ms, s, m, h) such as 10m or 1h30m, got "10x".',
    );
    expect(formatDuration(3_725_000)).toBe('1h02m05s');
    expect(formatDuration(185_000)).toBe('3m05s');
    expect(formatDuration(2_500)).toBe('2.5s');
  });
});

describe('render', () => {
  it('resizes a class map by nearest neighbour at pixel centres', () => {
    // 2×1 → 4×2: each source pixel covers two columns, both rows
    expect(Array.from(resizeNearest(Uint8Array.from([1, 2]), 2, 1, 4, 2))).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
    // 4×1 → 2×1 samples the centres 1 and 3
    expect(Array.from(resizeNearest(Uint8Array.from([1, 2, 3, 4]), 4, 1, 2, 1))).toEqual([2, 4]);
  });

  it('colours classes by the palette (others black) and blends overlays', () => {
    const pal: [number, number, number][] = [
      [10, 20, 30],
      [200, 100, 0],
    ];
    expect(Array.from(colorizeClasses(Uint8Array.from([1, 0, 255]), pal))).toEqual([
      200, 100, 0, 10, 20, 30, 0, 0, 0,
    ]);
    const o = overlay(Uint8Array.from([100, 100, 100]), Uint8Array.from([1]), pal, 0.25);
    expect(Array.from(o)).toEqual([125, 100, 75]);
    expect(() => overlay(new Uint8Array(6), new Uint8Array(1), pal, 0.5)).toThrow(/differ in size/);
  });
});

describe('latency stats', () => {
  it('uses nearest-rank percentiles (observed values)', () => {
    const xs = Array.from({ length: 10 }, (_, i) => i + 1); // 1..10
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 90)).toBe(9);
    expect(percentile(xs, 99)).toBe(10);
    expect(latencyStats([3, 1, 2])).toEqual({ frames: 3, mean: 2, min: 1, p50: 2, p90: 3, p99: 3, max: 3 });
  });
});
