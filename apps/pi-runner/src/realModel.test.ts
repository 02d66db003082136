// The runner on a real .edgeseg file through @edgeseg/runtime's loadModel (random weights: what is checked
// is the plumbing — decode, executor, mask size and palette, model info, errors — not the masks' quality).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage, encodePng, randomModelFile, type SegFormerArch, writeEdgeseg } from '@edgeseg/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from './io.js';
import { main } from './main.js';
import { type FakeHost, fakeHost } from './sensors.fixture.js';

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

// A small excised SegFormer (the runtime's test architecture).
const arch: SegFormerArch = {
  kind: 'segformer',
  config: {
    name: 'segformer-tiny',
    dims: [16, 32, 48, 64],
    depths: [1, 1, 1, 1],
    heads: [1, 2, 3, 4],
    srRatios: [8, 4, 2, 1],
    mlpRatio: 4,
    patchSizes: [7, 3, 3, 3],
    strides: [4, 2, 2, 2],
    decoderDim: 64,
    classes: 19,
    dropPath: 0,
    lnEps: 1e-6,
  },
  blocks: [
    [{ heads: 0, headDim: 16, ffn: 64 }],
    [{ heads: 1, headDim: 16, ffn: 64 }],
    [{ heads: 3, headDim: 16, ffn: 0 }],
    [{ heads: 4, headDim: 16, ffn: 256 }],
  ],
  decoder: { cDims: [48, 64, 32, 64], fuseDim: 48, bnFolded: true },
};

let dir: string;
let host: FakeHost;
let model: string;
let image: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edgeseg-run-real-'));
  host = await fakeHost();
  model = join(dir, 'tiny.edgeseg');
  writeEdgeseg(model, randomModelFile(arch, 'int8', { height: 64, width: 128 }));
  image = join(dir, 'frame.png');
  const rgb = Uint8Array.from({ length: 50 * 90 * 3 }, (_, i) => (i * 13) % 256);
  await writeFile(image, encodePng({ width: 90, height: 50, channels: 3, data: rgb }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await host.cleanup();
});

describe('edgeseg-run on a real .edgeseg model', () => {
  it('segments, writes a palette mask at the photo size, and models energy from the file’s MACs', async () => {
    const io = capture();
    const out = join(dir, 'out');
    const code = await main([model, '--input', image, '--out', out, '--threads', '1', '--json'], io, {
      sensors: host.env,
    });
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const s = JSON.parse(io.out());
    expect(s).toMatchObject({
      model: { arch: 'segformer-tiny', precision: 'int8', classes: 19, threads: 1 },
      ok: 1,
      failed: 0,
      energy: { source: 'model', measured: false },
    });
    expect(s.timing.inferenceMsMean).toBeGreaterThan(0);
    const info = JSON.parse(
      await (async () => {
        const j = capture();
        expect(await main(['info', model, '--json'], j, { sensors: host.env })).toBe(0);
        return j.out();
      })(),
    );
    expect(info.arch).toBe('segformer-tiny');
    // The meter charges what the file records, and says so when it records no MACs (random models).
    expect(/no MAC count/.test(s.energy.caveat)).toBe(info.macs === 0);
    const mask = decodeImage(await readFile(join(out, 'frame_mask.png')), 'frame_mask.png');
    expect([mask.width, mask.height]).toEqual([90, 50]);
    const palette = new Set(info.palette.map((c: number[]) => c.join(',')));
    for (let i = 0; i < mask.data.length; i += 3) {
      expect(palette.has(`${mask.data[i]},${mask.data[i + 1]},${mask.data[i + 2]}`)).toBe(true);
    }
  });

  it('benches pipelined (one frame in flight per thread) and gives the masks of one thread', async () => {
    const run = async (extra: string[], out: string) => {
      const io = capture();
      const code = await main(
        [model, '--input', image, '--out', out, '--bench', '6', '--json', ...extra],
        io,
        {
          sensors: host.env,
        },
      );
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      return { s: JSON.parse(io.out()), mask: await readFile(join(out, 'frame_mask.png')) };
    };
    const piped = await run(['--threads', '2', '--pipeline'], join(dir, 'piped'));
    expect(piped.s.model.threads).toBe(2);
    expect(piped.s.timing).toMatchObject({ frames: 6, schedule: 'pipeline', inFlight: 2 });
    // Pipelined FPS is frames over the wall clock, not 1000 / mean latency (frames overlap).
    expect(piped.s.timing.fps).toBeCloseTo(6 / piped.s.timing.seconds, 6);
    const solo = await run(['--threads', '1'], join(dir, 'solo'));
    expect(solo.s.timing).toMatchObject({ frames: 6, schedule: 'latency', inFlight: 1 });
    expect(Buffer.compare(piped.mask, solo.mask)).toBe(0);
  });

  it('--size runs the network at another resolution and says the MAC count is scaled', async () => {
    const io = capture();
    const out = join(dir, 'sized');
    const code = await main(
      [model, '--input', image, '--out', out, '--size', '128x256', '--bench', '2', '--json'],
      io,
      {
        sensors: host.env,
      },
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const s = JSON.parse(io.out());
    expect(s.timing.frames).toBe(2);
    expect(s.model.input).toEqual({ height: 128, width: 256 });
    const mask = decodeImage(await readFile(join(out, 'frame_mask.png')), 'frame_mask.png');
    expect([mask.width, mask.height]).toEqual([90, 50]); // back at the photo's size
    const bad = capture();
    expect(await main([model, '--input', image, '--size', '100x256'], bad, { sensors: host.env })).toBe(2);
    expect(bad.err()).toMatch(/--size: not a network input size\. Expected HxW with sides multiples of 32/);
  });

  it('refuses --pipeline without --bench (usage error, exit 2)', async () => {
    const io = capture();
    expect(await main([model, '--input', image, '--pipeline'], io, { sensors: host.env })).toBe(2);
    expect(io.err()).toMatch(/--pipeline: only with --bench/);
  });

  it('reports a corrupt model file with exit 1', async () => {
    const junk = join(dir, 'junk.edgeseg');
    await writeFile(junk, 'not a model at all');
    const io = capture();
    expect(await main([junk, '--input', image], io, { sensors: host.env })).toBe(1);
    expect(io.err()).toMatch(/^error: file: .*junk\.edgeseg: /);
  });
});
