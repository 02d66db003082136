import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage, encodePng } from '@edgeseg/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type brightnessModel, fakeFactory } from './fakeModel.fixture.js';
import type { Io } from './io.js';
import { main } from './main.js';
import { type FakeHost, fakeHost, orinNano } from './sensors.fixture.js';

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

// 8×8, left half dark (30), right half bright (230).
const JPEG_B64 =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRQBAwQEBQQFCQUFCRQNCw0UFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFP/AABEIAAgACAMBEQACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AJf+CSv/ADVX/uFf+3lAH//Z';

let root: string;
let frames: string;
let host: FakeHost;
const MODEL = 'm.edgeseg';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'edgeseg-run-cli-'));
  frames = join(root, 'frames');
  await mkdir(frames);
  // 12×8 PNG: top half bright, bottom half dark.
  const png = new Uint8Array(12 * 8 * 3);
  png.fill(240, 0, 12 * 4 * 3);
  png.fill(10, 12 * 4 * 3);
  await writeFile(join(frames, 'a.png'), encodePng({ width: 12, height: 8, channels: 3, data: png }));
  await writeFile(join(frames, 'b.jpg'), Buffer.from(JPEG_B64, 'base64'));
  await writeFile(join(frames, 'c.png'), 'this is not a PNG');
  await writeFile(join(frames, 'readme.txt'), 'not an input: wrong extension');
  host = await fakeHost(); // no sensors at all
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await host.cleanup();
});

const deps = () => ({ loadModel: fakeFactory(), sensors: { ...host.env, now: () => performance.now() } });

describe('edgeseg-run', () => {
  it('prints help on stdout with exit 0, at every level', async () => {
    for (const argv of [['--help'], ['run', '--help'], ['info', '--help'], ['calibrate', '--help']]) {
      const io = capture();
      expect(await main(argv, io, deps()), argv.join(' ')).toBe(0);
      expect(io.out()).toMatch(/^Usage: edgeseg-run/);
    }
  });

  it('segments a folder: masks written atomically, bad files reported and skipped, exit 1', async () => {
    const io = capture();
    const out = join(root, 'masks');
    const made: ReturnType<typeof brightnessModel>[] = [];
    const code = await main([MODEL, '--input', frames, '--out', out, '--threads', '2', '--json'], io, {
      ...deps(),
      loadModel: fakeFactory(made),
    });
    expect(code).toBe(1);
    expect(io.err()).toMatch(
      /^error: .*c\.png: unknown image format\. Expected PNG or JPEG, got bytes 74 68 69 73\.\n$/,
    );
    const s = JSON.parse(io.out());
    expect(s).toMatchObject({
      model: { path: MODEL, arch: 'fake-threshold', precision: 'int8', classes: 2, threads: 2 },
      mode: 'run',
      inputs: 3,
      ok: 2,
      failed: 1,
      timing: { frames: 2, warmup: 0 },
      energy: { source: 'model', measured: false },
      thermal: null,
    });
    expect(s.failures[0].input).toBe(join(frames, 'c.png'));
    expect(s.energy.note).toBe('no power sensor found; energy is modelled');
    expect(s.energy.unavailable.map((u: { source: string }) => u.source)).toEqual([
      'ina3221',
      'vcgencmd',
      'rapl',
    ]);
    expect(s.energy.joulesPerFrame).toBeGreaterThan(0);
    expect(s.timing.latencyMs.p50).toBeGreaterThan(0);
    expect(made[0].disposed).toBe(true);
    expect((await readdir(out)).sort()).toEqual(['a_mask.png', 'b_mask.png']);
    // The mask is at the photo's size, coloured with the model's palette: top bright (yellow), bottom dark (blue).
    const mask = decodeImage(await readFile(join(out, 'a_mask.png')), 'a_mask.png');
    expect([mask.width, mask.height]).toEqual([12, 8]);
    expect(Array.from(mask.data.subarray(0, 3))).toEqual([255, 255, 0]);
    expect(Array.from(mask.data.subarray(mask.data.length - 3))).toEqual([0, 0, 255]);
    const jm = decodeImage(await readFile(join(out, 'b_mask.png')), 'b_mask.png');
    expect(Array.from(jm.data.subarray(0, 3))).toEqual([0, 0, 255]); // left of the JPEG is dark
    expect(Array.from(jm.data.subarray(7 * 3, 8 * 3))).toEqual([255, 255, 0]);
  });

  it('writes overlays blended over the input, and prints a text summary', async () => {
    const io = capture();
    const out = join(root, 'overlays');
    const code = await main(
      [
        MODEL,
        '--input',
        join(frames, 'a.png'),
        '--out',
        out,
        '--overlay',
        '--alpha',
        '0.5',
        '--power',
        'none',
      ],
      io,
      deps(),
    );
    expect(code).toBe(0);
    expect(io.err()).toBe('');
    const o = decodeImage(await readFile(join(out, 'a_overlay.png')), 'a_overlay.png');
    expect(Array.from(o.data.subarray(0, 3))).toEqual([248, 248, 120]); // (240 + [255,255,0]) / 2
    expect(io.out()).toMatch(
      /^model {4}fake-threshold · int8 · 2 classes · 4×6 input · \d+ thread\(s\) \(m\.edgeseg\)\n/m,
    );
    expect(io.out()).toMatch(/^frames {3}1 ok, 0 failed, of 1 input\(s\)$/m);
    expect(io.out()).toMatch(/^speed {4}[\d.]+ FPS · latency p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms/m);
    expect(io.out()).toMatch(/^out {6}1 overlay\(s\) in /m);
    expect(io.out()).not.toMatch(/^energy/m);
  });

  it('--bench N times N frames after warm-up, cycling the images, energy over those frames only', async () => {
    const io = capture();
    const made: ReturnType<typeof brightnessModel>[] = [];
    const sensors = await fakeHost(orinNano(5000, 1000));
    try {
      const code = await main(
        [
          MODEL,
          '--input',
          `${frames}/*.png`,
          join(frames, 'b.jpg'),
          '--bench',
          '7',
          '--warmup',
          '2',
          '--json',
        ],
        io,
        { loadModel: fakeFactory(made), sensors: { ...sensors.env, now: () => performance.now() } },
      );
      expect(code).toBe(1); // c.png still fails
      const s = JSON.parse(io.out());
      expect(s).toMatchObject({
        mode: 'bench',
        ok: 2,
        failed: 1,
        timing: { frames: 7, warmup: 2, imagesCycled: 2 },
      });
      expect(made[0].calls).toBe(9);
      expect(s.energy).toMatchObject({
        source: 'ina3221',
        measured: true,
        window: 'the timed frames only (after warm-up)',
      });
      expect(s.energy.watts).toBeCloseTo(5, 9); // 5000 mV × 1000 mA
      expect(s.energy.joulesPerFrame).toBeCloseTo(s.energy.joules / 7, 12);
    } finally {
      await sensors.cleanup();
    }
  });

  it('--soak runs for the duration, sampling temperature and flagging throttling', async () => {
    const io = capture(true);
    const sensors = await fakeHost({
      '/sys/class/thermal/thermal_zone0/type': 'cpu-thermal',
      '/sys/class/thermal/thermal_zone0/temp': 86000,
      '/sys/class/thermal/thermal_zone0/trip_point_0_type': 'passive',
      '/sys/class/thermal/thermal_zone0/trip_point_0_temp': 85000,
    });
    sensors.commands.set('vcgencmd get_throttled', 'throttled=0x80008');
    try {
      const code = await main([MODEL, '--input', join(frames, 'a.png'), '--soak', '300ms', '--json'], io, {
        loadModel: fakeFactory(),
        sensors: { ...sensors.env, now: () => performance.now() },
        soakReportMs: 50,
      });
      expect(code).toBe(0);
      const s = JSON.parse(io.out());
      expect(s.mode).toBe('soak');
      expect(s.soak.seconds).toBeGreaterThanOrEqual(0.3);
      expect(s.soak.samples.length).toBeGreaterThanOrEqual(2);
      expect(s.soak.samples[0]).toMatchObject({ tempC: 86, throttled: true });
      expect(s.soak.throttled).toBe(true);
      expect(s.soak.events.map((e: { reason: string }) => e.reason)).toEqual([
        'cpu-thermal 86.0 °C at its passive trip point 85 °C',
        'Pi firmware: soft temperature limit',
      ]);
      expect(s.thermal.end.pi).toEqual({
        raw: 0x80008,
        now: ['soft temperature limit'],
        sinceBoot: ['soft temperature limit'],
      });
      expect(io.err()).toMatch(
        /^soak [\d.]+s\/0\.3s {2}[\d.]+ FPS {2}86\.0 °C {2}THROTTLED: cpu-thermal 86\.0 °C/m,
      );
    } finally {
      await sensors.cleanup();
    }
  });

  it('exits 2 on usage errors and 1 when the model or every input fails', async () => {
    const cases: [string[], number, RegExp][] = [
      [[MODEL, '--input', frames, '--power', 'solar'], 2, /argument 'solar' is invalid/],
      [
        [MODEL, '--input', frames, '--overlay'],
        2,
        /^error: --overlay: nowhere to write\. Expected --out DIR as well, got none\./,
      ],
      [[MODEL, '--input', frames, '--bench', '3', '--soak', '1m'], 2, /--bench and --soak: both given/],
      [[MODEL, '--input', frames, '--soak', 'soon'], 2, /--soak: not a duration/],
      [
        [MODEL, '--input', frames, '--threads', '0'],
        2,
        /--threads: not a count\. Expected an integer ≥ 1, got "0"\./,
      ],
      [[MODEL, '--input', frames, '--profile', join(root, 'nope.json')], 2, /--profile: cannot read/],
      [[MODEL], 2, /required option '-i, --input <path\.\.\.>' not specified/],
      [['model.onnx', '--input', frames], 1, /^error: model\.onnx: not an edgeseg model\./],
      [[MODEL, '--input', join(root, 'none')], 1, /cannot read \(ENOENT.*\n.*--input: no images to run/s],
    ];
    for (const [argv, want, msg] of cases) {
      const io = capture();
      expect(await main(argv, io, deps()), argv.join(' ')).toBe(want);
      expect(io.err(), argv.join(' ')).toMatch(msg);
      expect(io.out()).toBe('');
    }
  });

  it('uses a profile file for modelled energy', async () => {
    const profile = join(root, 'p.json');
    const p = {
      name: 'test-board',
      macPj: { int8: 1, fp32: 2 },
      opPj: 0,
      bytePj: { dram: 10, onChip: 1 },
      cacheBytes: 1 << 20,
      staticW: 0,
      macsPerSecond: { int8: 1e9, fp32: 1e9 },
      dramBytesPerSecond: 1e9,
    };
    await writeFile(profile, JSON.stringify(p));
    const io = capture();
    const code = await main(
      [MODEL, '--input', join(frames, 'a.png'), '--power', 'model', '--profile', profile, '--json'],
      io,
      deps(),
    );
    expect(code).toBe(0);
    const s = JSON.parse(io.out());
    // 2e6 MACs × 1 pJ + 1000 int8 weights × 10 pJ/B, no static power
    expect(s.energy.joulesPerFrame).toBeCloseTo(2e6 * 1e-12 + 1000 * 10e-12, 15);
    expect(s.energy.what).toMatch(
      /^profile test-board \(.*p\.json\): 2\.00 MMAC × 1\.00 pJ \+ 1\.00 kB of weights × 10\.0 pJ\/B \+ 0 W static × time$/,
    );
    await writeFile(profile, JSON.stringify({ ...p, staticW: -1 }));
    const bad = capture();
    expect(await main([MODEL, '--input', frames, '--profile', profile], bad, deps())).toBe(2);
    expect(bad.err()).toMatch(/p\.json: staticW must be a finite number ≥ 0\. Got -1\./);
  });

  it('info prints the model description as text and JSON', async () => {
    const io = capture();
    expect(await main(['info', MODEL], io, deps())).toBe(0);
    expect(io.out()).toBe(
      [
        'm.edgeseg',
        '  format      edgeseg/1',
        '  arch        fake-threshold',
        '  precision   int8',
        '  params      1.00 k (1000)',
        '  MACs        2.00 M per frame at 4×6',
        '  input       4×6 (H×W), mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]',
        '  classes     2: dark, bright',
        '  provenance  teacher=none',
        '              dataset=synthetic',
        '',
      ].join('\n'),
    );
    const j = capture();
    expect(await main(['info', MODEL, '--json'], j, deps())).toBe(0);
    expect(JSON.parse(j.out())).toMatchObject({
      path: MODEL,
      arch: 'fake-threshold',
      macs: 2e6,
      classes: ['dark', 'bright'],
    });
    const bad = capture();
    expect(await main(['info', 'x.bin'], bad, deps())).toBe(1);
    expect(bad.err()).toMatch(/^error: x\.bin: not an edgeseg model/);
  });
});
